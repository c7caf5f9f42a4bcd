package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"senco/internal/domain"
)

// RegisterLine is one learner on a session's register.
type RegisterLine struct {
	ApplicationID    int64
	PractitionerName string
	SettingName      string
	Status           domain.Status
	Mark             domain.Mark
	CaughtUpOn       domain.Date
	CatchUpNote      string
}

// Register is the attendance register of a session: the learners of its
// cohort (those withdrawn before the session are left off) and their marks.
func (db *DB) Register(ctx context.Context, s SessionRecord) ([]RegisterLine, error) {
	return register(ctx, db.read, s)
}

func register(ctx context.Context, q rowsQuerier, s SessionRecord) ([]RegisterLine, error) {
	return collect(ctx, q, "register", func(sc scanner, l *RegisterLine) error {
		return sc.Scan(&l.ApplicationID, &l.PractitionerName, &l.SettingName, &l.Status, &l.Mark, &l.CaughtUpOn, &l.CatchUpNote)
	}, `SELECT ap.id, p.given_name || ' ' || p.family_name, s.name, ap.status,
		COALESCE(at.mark, ''), at.caught_up_on, COALESCE(at.catch_up_note, '')
		FROM applications ap JOIN practitioners p ON p.id = ap.practitioner_id JOIN settings s ON s.urn = ap.setting_urn
		JOIN sessions_taught st ON st.id = $1
		LEFT JOIN attendance at ON at.application_id = ap.id AND at.session_id = st.id
		WHERE `+onRegisterSQL("ap", "st")+`
		ORDER BY p.family_name, p.given_name, ap.id`, s.ID)
}

// onRegisterSQL is domain.OnRegister for application ap and session st:
// the one definition of who is on a session's register, shared by the
// register itself and every count of it.
func onRegisterSQL(ap, st string) string {
	return ap + ".cohort_id = " + st + ".cohort_id AND (" + statusIn(ap+".status", domain.PlaceHolding) +
		" OR (" + statusIs(ap+".status", domain.StatusWithdrawn) + " AND " + ap + ".withdrawn_on > " + st + ".held_on)" +
		" OR EXISTS (SELECT 1 FROM attendance am WHERE am.application_id = " + ap + ".id AND am.session_id = " + st + ".id))"
}

// RegisterSizeSQL counts the learners on the register of session st
// (domain.OnRegister); RegisterMarkedSQL counts those marked, which a mark
// alone puts on it, so it never exceeds RegisterSizeSQL.
func RegisterSizeSQL(st string) string {
	return "(SELECT COUNT(*) FROM applications ra WHERE " + onRegisterSQL("ra", st) + ")"
}

func RegisterMarkedSQL(st string) string {
	return "(SELECT COUNT(*) FROM attendance rm JOIN applications rma ON rma.id = rm.application_id WHERE rm.session_id = " + st +
		".id AND rma.cohort_id = " + st + ".cohort_id)"
}

// SaveRegister writes a session's marks for the whole cohort at once. The
// save names the register version it was based on: if another save came
// first, it is refused with ErrConflict rather than silently undoing it.
// A mark for anyone not on the register refuses the whole save.
func (tx *Tx) SaveRegister(ctx context.Context, a domain.Actor, s SessionRecord, version int, marks map[int64]domain.Mark) error {
	if err := domain.CheckRegisterDay(s.Date, tx.today()); err != nil {
		return err
	}
	var current int
	if err := tx.tx.QueryRowContext(ctx, `SELECT register_version FROM sessions_taught WHERE id = $1`, s.ID).Scan(&current); err != nil {
		return notFound(err, "session")
	}
	if current != version {
		return fmt.Errorf("%w: %w", domain.ErrRegisterChanged, ErrConflict)
	}
	// Only learners on the register may be marked: those placed on the
	// cohort, and those who withdrew after the session took place.
	allowed := map[int64]domain.Status{}
	rows, err := tx.tx.QueryContext(ctx, `SELECT ap.id, ap.status FROM applications ap JOIN sessions_taught st ON st.id = $1
		WHERE `+onRegisterSQL("ap", "st"), s.ID)
	if err != nil {
		return fmt.Errorf("save register: %w", err)
	}
	for rows.Next() {
		var id int64
		var st domain.Status
		if err := rows.Scan(&id, &st); err != nil {
			rows.Close()
			return fmt.Errorf("save register: %w", err)
		}
		allowed[id] = st
	}
	rows.Close()
	if err := domain.CheckRegister(marks, allowed); err != nil {
		return err
	}
	for id, m := range marks {
		res, err := tx.tx.ExecContext(ctx, `UPDATE attendance SET mark = $3, updated_at = $4, updated_by = $5 WHERE application_id = $1 AND session_id = $2`,
			id, s.ID, string(m), tx.now, a.Label)
		if err != nil {
			return fmt.Errorf("save register: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO attendance (application_id, session_id, mark, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)`,
				id, s.ID, string(m), tx.now, a.Label); err != nil {
				return fmt.Errorf("save register: %w", err)
			}
		}
		if domain.StartsTraining(allowed[id], m) {
			app, err := tx.application(ctx, id)
			if err != nil {
				return err
			}
			if err := tx.StartTraining(ctx, a, app, s.Date); err != nil {
				return err
			}
			allowed[id] = domain.StatusInTraining
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET updated_at = $2 WHERE id = $1`, id, tx.now); err != nil {
			return err
		}
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE sessions_taught SET register_version = register_version + 1, updated_at = $2 WHERE id = $1`, s.ID, tx.now); err != nil {
		return fmt.Errorf("save register: %w", err)
	}
	return tx.Audit(ctx, a, "attendance", "session", fmt.Sprint(s.ID), map[string]int{"version": version}, marks)
}

// RecordCatchUp records that a learner caught up a session they missed.
func (tx *Tx) RecordCatchUp(ctx context.Context, a domain.Actor, s SessionRecord, appID int64, on domain.Date, note string) error {
	var mark domain.Mark
	err := tx.tx.QueryRowContext(ctx, `SELECT mark FROM attendance WHERE application_id = $1 AND session_id = $2`, appID, s.ID).Scan(&mark)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("catch-up: %w", err)
	}
	if err := domain.CheckCatchUp(mark, s.Date, on); err != nil {
		return err
	}
	if err := domain.NotInFuture("catch_up", "The date of the catch-up", on, tx.today()); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE attendance SET caught_up_on = $3, catch_up_note = $4, updated_at = $5, updated_by = $6
		WHERE application_id = $1 AND session_id = $2`, appID, s.ID, on, strings.TrimSpace(note), tx.now, a.Label); err != nil {
		return fmt.Errorf("catch-up: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET updated_at = $2 WHERE id = $1`, appID, tx.now); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "catch_up", "attendance", fmt.Sprintf("%d/%d", appID, s.ID), nil, map[string]any{"on": on, "note": note})
}

// attendanceOf returns a learner's marks and how many sessions their cohort
// has held on or before d.
func (tx *Tx) attendanceOf(ctx context.Context, appID, cohortID int64, d domain.Date) ([]domain.Attendance, int, error) {
	return attendanceOf(ctx, tx.tx, appID, cohortID, d)
}

// Attendance returns a learner's marks and the sessions held to date d, for
// domain.AttendanceRate; the caller has loaded the application in scope.
func (db *DB) Attendance(ctx context.Context, appID, cohortID int64, d domain.Date) ([]domain.Attendance, int, error) {
	return attendanceOf(ctx, db.read, appID, cohortID, d)
}

func attendanceOf(ctx context.Context, q rowsQuerier, appID, cohortID int64, d domain.Date) ([]domain.Attendance, int, error) {
	rows, err := q.QueryContext(ctx, `SELECT st.id, COALESCE(at.mark, ''), at.caught_up_on IS NOT NULL FROM sessions_taught st
		LEFT JOIN attendance at ON at.session_id = st.id AND at.application_id = $1
		WHERE st.cohort_id = $2 AND st.held_on <= $3`, appID, cohortID, d)
	if err != nil {
		return nil, 0, fmt.Errorf("attendance: %w", err)
	}
	defer rows.Close()
	var out []domain.Attendance
	held := 0
	for rows.Next() {
		var at domain.Attendance
		if err := rows.Scan(&at.SessionID, &at.Mark, &at.CaughtUp); err != nil {
			return nil, 0, fmt.Errorf("attendance: %w", err)
		}
		held++
		if at.Mark != "" {
			out = append(out, at)
		}
	}
	return out, held, rows.Err()
}
