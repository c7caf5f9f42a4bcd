package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
)

// RuleError is the domain's refusal, for callers that still name it here.
type RuleError = domain.Refusal

// IsRule reports whether err is a rule refusal, and returns it.
func IsRule(err error) (*RuleError, bool) { return domain.IsRefusal(err) }

// cohortScope limits cohorts (aliased ch) to a scope.
func cohortScope(a *args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.Org:
		return "ch.supplier_org_id = " + a.add(scope.OrgID), true
	case policy.Staffed:
		return "EXISTS (SELECT 1 FROM cohort_staff cs WHERE cs.cohort_id = ch.id AND cs.user_id = " + a.add(scope.UserID) + ")", true
	case policy.Awarding:
		return "EXISTS (SELECT 1 FROM programmes pp JOIN qualifications q ON q.id = pp.qualification_id WHERE pp.id = ch.programme_id AND q.awarding_org = " + a.add(scope.OrgName) + ")", true
	case policy.LA:
		return "EXISTS (SELECT 1 FROM cohort_las cl WHERE cl.cohort_id = ch.id AND cl.la_code = " + a.add(scope.LACode) + ")", true
	case policy.Setting:
		return "EXISTS (SELECT 1 FROM applications ap WHERE ap.cohort_id = ch.id AND ap.setting_urn = " + a.add(scope.SettingURN) + ")", true
	case policy.Self:
		return "EXISTS (SELECT 1 FROM applications ap WHERE ap.cohort_id = ch.id AND ap.practitioner_id = " + a.add(scope.PractitionerID) + ")", true
	}
	return "", false
}

// CohortRecord is a cohort with its counts and names.
type CohortRecord struct {
	domain.Cohort
	SupplierName  string
	ProgrammeName string
	Placed        int // enrolled, in training, completed or certified
	Waiting       int
	Withdrawn     int
	Sessions      int
	Trainers      []string
	Assessors     []string
}

// Free is the number of places left.
func (c CohortRecord) Free() int { return max(0, c.Capacity-c.Placed) }

var cohortColumns = `ch.id, ch.contract_id, ch.programme_id, ch.supplier_org_id, ch.name, ch.mode, ch.starts_on, ch.ends_on, ch.capacity, ch.updated_at,
	o.name, p.name,
	(SELECT COUNT(*) FROM applications a1 WHERE a1.cohort_id = ch.id AND ` + statusIn("a1.status", domain.PlaceHolding) + `),
	(SELECT COUNT(*) FROM applications a2 WHERE a2.waitlist_cohort_id = ch.id AND ` + statusIs("a2.status", domain.StatusEligible) + `),
	(SELECT COUNT(*) FROM applications a3 WHERE a3.cohort_id = ch.id AND ` + statusIs("a3.status", domain.StatusWithdrawn) + `),
	(SELECT COUNT(*) FROM sessions_taught st WHERE st.cohort_id = ch.id)`

const cohortFrom = ` FROM cohorts ch JOIN organisations o ON o.id = ch.supplier_org_id JOIN programmes p ON p.id = ch.programme_id`

func scanCohort(sc interface{ Scan(...any) error }, r *CohortRecord) error {
	c := &r.Cohort
	return sc.Scan(&c.ID, &c.ContractID, &c.ProgrammeID, &c.SupplierOrgID, &c.Name, &c.Mode, &c.StartsOn, &c.EndsOn, &c.Capacity, nullTime{&c.UpdatedAt},
		&r.SupplierName, &r.ProgrammeName, &r.Placed, &r.Waiting, &r.Withdrawn, &r.Sessions)
}

// CohortFilter narrows a cohort list.
type CohortFilter struct {
	ProgrammeID  int64
	UpdatedSince time.Time
	Page         int
	PageSize     int
}

// CohortPage is a page of cohorts and the total.
type CohortPage struct {
	Cohorts []CohortRecord
	Total   int
}

// Cohorts lists cohorts in scope, newest start first (or by last change
// when syncing).
func (db *DB) Cohorts(ctx context.Context, scope policy.Scope, f CohortFilter) (CohortPage, error) {
	var page CohortPage
	var a args
	where, ok := cohortScope(&a, scope)
	if !ok {
		return page, nil
	}
	if f.ProgrammeID != 0 {
		where += " AND ch.programme_id = " + a.add(f.ProgrammeID)
	}
	order := "ch.starts_on DESC, ch.id DESC"
	if !f.UpdatedSince.IsZero() {
		where += " AND ch.updated_at >= " + a.add(f.UpdatedSince.UTC())
		order = "ch.updated_at, ch.id"
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM cohorts ch WHERE `+where, a...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count cohorts: %w", err)
	}
	var err error
	page.Cohorts, err = collect(ctx, db.read, "list cohorts", scanCohort,
		`SELECT `+cohortColumns+cohortFrom+` WHERE `+where+` ORDER BY `+order+pageClause(&a, f.Page, f.PageSize), a...)
	if err != nil {
		return page, err
	}
	return page, db.cohortsDetails(ctx, page.Cohorts)
}

// cohortsDetails loads the authorities and staff of many cohorts in two
// queries, not two per cohort.
func (db *DB) cohortsDetails(ctx context.Context, cs []CohortRecord) error {
	if len(cs) == 0 {
		return nil
	}
	var a args
	ph := make([]string, len(cs))
	at := make(map[int64]int, len(cs))
	for i, c := range cs {
		ph[i] = a.add(c.ID)
		at[c.ID] = i
	}
	in := "(" + strings.Join(ph, ", ") + ")"
	rows, err := db.read.QueryContext(ctx, `SELECT cohort_id, la_code FROM cohort_las WHERE cohort_id IN `+in+` ORDER BY cohort_id, la_code`, a...)
	if err != nil {
		return fmt.Errorf("cohort authorities: %w", err)
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return fmt.Errorf("cohort authorities: %w", err)
		}
		c := &cs[at[id]]
		c.LACodes = append(c.LACodes, code)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT cs.cohort_id, u.name, cs.role FROM cohort_staff cs JOIN users u ON u.id = cs.user_id
		WHERE cs.cohort_id IN `+in+` ORDER BY cs.cohort_id, u.name`, a...)
	if err != nil {
		return fmt.Errorf("cohort staff: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, role string
		if err := rows.Scan(&id, &name, &role); err != nil {
			return fmt.Errorf("cohort staff: %w", err)
		}
		c := &cs[at[id]]
		if role == "assessor" {
			c.Assessors = append(c.Assessors, name)
		} else {
			c.Trainers = append(c.Trainers, name)
		}
	}
	return rows.Err()
}

// Cohort returns one cohort in scope.
func (db *DB) Cohort(ctx context.Context, scope policy.Scope, id int64) (CohortRecord, error) {
	var r CohortRecord
	var a args
	where, ok := cohortScope(&a, scope)
	if !ok {
		return r, ErrNotFound
	}
	if err := scanCohort(db.read.QueryRowContext(ctx, `SELECT `+cohortColumns+cohortFrom+` WHERE `+where+` AND ch.id = `+a.add(id), a...), &r); err != nil {
		return r, notFound(err, "cohort")
	}
	one := []CohortRecord{r}
	err := db.cohortsDetails(ctx, one)
	return one[0], err
}

// CreateCohort adds a cohort under a contract in force. The cohort may only
// serve authorities the contract serves.
func (tx *Tx) CreateCohort(ctx context.Context, a domain.Actor, c domain.Cohort) (domain.Cohort, error) {
	var supplier, programme, superseded int64
	err := tx.tx.QueryRowContext(ctx, `SELECT supplier_org_id, programme_id, COALESCE(superseded_by, 0) FROM contracts WHERE id = $1`, c.ContractID).
		Scan(&supplier, &programme, &superseded)
	if err != nil {
		return c, notFound(err, "contract")
	}
	if supplier != c.SupplierOrgID {
		return c, ErrNotFound
	}
	served, err := queryStrings(ctx, tx.tx, `SELECT la_code FROM contract_las WHERE contract_id = $1`, c.ContractID)
	if err != nil {
		return c, err
	}
	if err := domain.CheckCohortContract(c, superseded != 0, served); err != nil {
		return c, err
	}
	c.ProgrammeID = programme
	c.ID, err = tx.insertID(ctx, `INSERT INTO cohorts (contract_id, programme_id, supplier_org_id, name, mode, starts_on, ends_on, capacity, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, c.ContractID, c.ProgrammeID, c.SupplierOrgID, c.Name, string(c.Mode), c.StartsOn, c.EndsOn, c.Capacity, tx.now)
	if err != nil {
		return c, fmt.Errorf("create cohort: %w", err)
	}
	sort.Strings(c.LACodes)
	for _, code := range c.LACodes {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO cohort_las (cohort_id, la_code) VALUES ($1, $2)`, c.ID, code); err != nil {
			return c, fmt.Errorf("cohort authority: %w", err)
		}
	}
	c.UpdatedAt = tx.now
	return c, tx.Audit(ctx, a, "create", "cohort", fmt.Sprint(c.ID), nil, c)
}

// SetCohortStaff names a cohort's trainers and assessors: users of the
// cohort's own supplier.
func (tx *Tx) SetCohortStaff(ctx context.Context, a domain.Actor, cohortID int64, trainers, assessors []int64) error {
	var supplier int64
	if err := tx.tx.QueryRowContext(ctx, `SELECT supplier_org_id FROM cohorts WHERE id = $1`, cohortID).Scan(&supplier); err != nil {
		return notFound(err, "cohort")
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM cohort_staff WHERE cohort_id = $1`, cohortID); err != nil {
		return fmt.Errorf("cohort staff: %w", err)
	}
	for _, staff := range []struct {
		role string
		ids  []int64
	}{{"trainer", trainers}, {"assessor", assessors}} {
		role := staff.role
		for _, id := range staff.ids {
			var org int64
			var userRole string
			err := tx.tx.QueryRowContext(ctx, `SELECT org_id, role FROM users WHERE id = $1`, id).Scan(&org, &userRole)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("cohort staff: %w", err)
			}
			if err := domain.CheckCohortStaff(role, err == nil && org == supplier, domain.Role(userRole)); err != nil {
				return err
			}
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO cohort_staff (cohort_id, user_id, role) VALUES ($1, $2, $3)`, cohortID, id, role); err != nil {
				return fmt.Errorf("cohort staff: %w", err)
			}
		}
	}
	return tx.Audit(ctx, a, "update", "cohort_staff", fmt.Sprint(cohortID), nil, map[string][]int64{"trainers": trainers, "assessors": assessors})
}

// SessionRecord is a session with its register's version.
type SessionRecord struct {
	domain.Session
	RegisterVersion int
	UpdatedAt       time.Time
	// OnRegister and Marked count the session's register
	// (domain.OnRegister): its learners, and how many are marked.
	OnRegister, Marked int
}

var sessionColumns = `st.id, st.cohort_id, st.held_on, st.minutes, st.mode, st.topic, st.venue, st.units, st.starts_at, st.ends_at,
	st.register_version, st.updated_at, ` + RegisterSizeSQL("st") + `, ` + RegisterMarkedSQL("st")

func scanSession(sc interface{ Scan(...any) error }, r *SessionRecord) error {
	var units string
	s := &r.Session
	if err := sc.Scan(&s.ID, &s.CohortID, &s.Date, &s.Minutes, &s.Mode, &s.Topic, &s.Venue, &units, &s.Starts, &s.Ends, &r.RegisterVersion, nullTime{&r.UpdatedAt}, &r.OnRegister, &r.Marked); err != nil {
		return err
	}
	if units != "" {
		s.Units = strings.Split(units, ",")
	}
	return nil
}

// AddSession schedules a session of a cohort loaded in scope; it must fall
// within the cohort's dates.
func (tx *Tx) AddSession(ctx context.Context, a domain.Actor, c domain.Cohort, s domain.Session) (domain.Session, error) {
	if err := s.CheckSession(c); err != nil {
		return s, err
	}
	var err error
	s.CohortID = c.ID
	// Times are kept as "HH:MM" however they were typed.
	if v, ok := domain.ParseClock(s.Starts); ok {
		s.Starts = v
	}
	if v, ok := domain.ParseClock(s.Ends); ok {
		s.Ends = v
	}
	s.ID, err = tx.insertID(ctx, `INSERT INTO sessions_taught (cohort_id, held_on, minutes, mode, topic, venue, units, starts_at, ends_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`, c.ID, s.Date, s.Minutes, string(s.Mode), s.Topic, s.Venue, strings.Join(s.Units, ","), s.Starts, s.Ends, tx.now)
	if err != nil {
		return s, fmt.Errorf("add session: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE cohorts SET updated_at = $2 WHERE id = $1`, c.ID, tx.now); err != nil {
		return s, err
	}
	return s, tx.Audit(ctx, a, "create", "session", fmt.Sprint(s.ID), nil, s)
}

// Sessions lists a cohort's sessions by date; the caller has loaded the
// cohort in scope.
func (db *DB) Sessions(ctx context.Context, cohortID int64) ([]SessionRecord, error) {
	return collect(ctx, db.read, "list sessions", scanSession,
		`SELECT `+sessionColumns+` FROM sessions_taught st WHERE st.cohort_id = $1 ORDER BY st.held_on, st.id`, cohortID)
}

// Session returns a session whose cohort is in scope, with the cohort.
func (db *DB) Session(ctx context.Context, scope policy.Scope, id int64) (SessionRecord, CohortRecord, error) {
	var r SessionRecord
	if err := scanSession(db.read.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions_taught st WHERE st.id = $1`, id), &r); err != nil {
		return r, CohortRecord{}, notFound(err, "session")
	}
	c, err := db.Cohort(ctx, scope, r.CohortID)
	if err != nil {
		return r, c, err
	}
	return r, c, nil
}
