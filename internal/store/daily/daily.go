// Package daily is the store's SQL for each role's home: what needs doing
// today, counted in the user's scope. It is part of the store, written
// with the store's kit (store.AppScope, store.CohortScope, store.StatusIn),
// in a package of its own so the store does not outgrow itself. Every
// query takes the scope of package policy, so a home never counts what its
// user may not open.
package daily

import (
	"context"
	"fmt"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// SessionLine is a session of a cohort in scope, with how many learners
// are on its register and how many are marked.
type SessionLine struct {
	ID, CohortID int64
	CohortName   string
	Date         domain.Date
	Minutes      int
	Topic, Venue string
	OnRegister   int
	Marked       int
}

// onRegister and sessionMarked count a session's register, by the store's
// one definition of it (domain.OnRegister).
var (
	onRegister    = store.RegisterSizeSQL("st")
	sessionMarked = store.RegisterMarkedSQL("st")
)

func scanSession(sc store.Scanner, s *SessionLine) error {
	return sc.Scan(&s.ID, &s.CohortID, &s.CohortName, &s.Date, &s.Minutes, &s.Topic, &s.Venue, &s.OnRegister, &s.Marked)
}

const sessionSelect = `SELECT st.id, st.cohort_id, ch.name, st.held_on, st.minutes, st.topic, st.venue, `

// Sessions lists the sessions of cohorts in scope held from from to to
// (inclusive), soonest first, at most limit.
func Sessions(ctx context.Context, q store.Querier, scope policy.Scope, from, to domain.Date, limit int) ([]SessionLine, error) {
	var a store.Args
	where, ok := store.CohortScope(&a, scope)
	if !ok {
		return nil, nil
	}
	return store.Collect(ctx, q, "home sessions", scanSession, sessionSelect+onRegister+`, `+sessionMarked+`
		FROM sessions_taught st JOIN cohorts ch ON ch.id = st.cohort_id
		WHERE `+where+` AND st.held_on >= `+a.Add(from)+` AND st.held_on <= `+a.Add(to)+`
		ORDER BY st.held_on, st.id LIMIT `+a.Add(limit), a...)
}

// RegistersToTake lists the sessions of cohorts in scope held on or before
// today whose register has a learner not marked yet, oldest first (at most
// limit), and how many there are.
func RegistersToTake(ctx context.Context, q store.Querier, scope policy.Scope, today domain.Date, limit int) ([]SessionLine, int, error) {
	var a store.Args
	where, ok := store.CohortScope(&a, scope)
	if !ok {
		return nil, 0, nil
	}
	cond := ` FROM sessions_taught st JOIN cohorts ch ON ch.id = st.cohort_id
		WHERE ` + where + ` AND st.held_on <= ` + a.Add(today) + ` AND ` + sessionMarked + ` < ` + onRegister
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+cond, a...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("registers to take: %w", err)
	}
	lines, err := store.Collect(ctx, q, "registers to take", scanSession, sessionSelect+onRegister+`, `+sessionMarked+cond+
		` ORDER BY st.held_on, st.id LIMIT `+a.Add(limit), a...)
	return lines, n, err
}

// Counts are the applications in scope at each step that waits for
// someone, for the homes' task lists.
type Counts struct {
	// ManualReview: applications the rules could not decide; OldestReview
	// the earliest applied_on among them.
	ManualReview int
	OldestReview domain.Date
	// ToConfirm: self-applications the setting has not confirmed.
	ToConfirm int
	// Waiting: eligible and on a cohort's waiting list; Unplaced: eligible
	// on no cohort and no waiting list.
	Waiting, Unplaced int
	// ToRegister: enrolled, in training or completed with no learner number;
	// ToCertify: completed and registered.
	ToRegister, ToCertify int
	// InTraining: enrolled or in training.
	InTraining int
}

// AppCounts counts the applications in scope waiting at each step.
func AppCounts(ctx context.Context, q store.Querier, scope policy.Scope) (Counts, error) {
	var c Counts
	var a store.Args
	where, ok := store.AppScope(&a, scope)
	if !ok {
		return c, nil
	}
	sum := func(cond string) string { return `COALESCE(SUM(CASE WHEN ` + cond + ` THEN 1 ELSE 0 END), 0)` }
	manual := `ap.decision = '` + string(domain.DecisionManual) + `' AND ` + store.StatusIs("ap.status", domain.StatusApplied)
	err := q.QueryRowContext(ctx, `SELECT `+
		sum(manual)+`, MIN(CASE WHEN `+manual+` THEN ap.applied_on END), `+
		sum(`NOT ap.nominated AND ap.setting_confirmed_at IS NULL AND NOT `+store.StatusIn("ap.status", domain.NotLive))+`, `+
		sum(store.StatusIs("ap.status", domain.StatusEligible)+` AND ap.waitlist_cohort_id IS NOT NULL`)+`, `+
		sum(store.StatusIs("ap.status", domain.StatusEligible)+` AND ap.waitlist_cohort_id IS NULL AND ap.cohort_id IS NULL`)+`, `+
		sum(store.StatusIn("ap.status", []domain.Status{domain.StatusEnrolled, domain.StatusInTraining, domain.StatusCompleted})+` AND ap.learner_number = ''`)+`, `+
		sum(store.StatusIs("ap.status", domain.StatusCompleted)+` AND ap.learner_number <> ''`)+`, `+
		sum(store.StatusIn("ap.status", domain.Training))+`
		FROM applications ap WHERE `+where, a...).
		Scan(&c.ManualReview, &c.OldestReview, &c.ToConfirm, &c.Waiting, &c.Unplaced, &c.ToRegister, &c.ToCertify, &c.InTraining)
	if err != nil {
		return c, fmt.Errorf("home counts: %w", err)
	}
	return c, nil
}

// StaffLine is one person working at a setting today, with their
// certificates and enrolments (for the domain's rules) and the status of
// their latest application.
type StaffLine struct {
	domain.StaffMember
	Name   string
	Status domain.Status
	AppID  int64
	// ProgrammeID is the latest application's programme.
	ProgrammeID int64
	Designated  bool
}

// SettingStaff lists the people whose employment at the setting covers d,
// by name. The caller has checked that the user may see the setting's
// staff.
func SettingStaff(ctx context.Context, q store.Querier, urn string, d domain.Date) ([]StaffLine, error) {
	lines, err := store.Collect(ctx, q, "setting staff", func(sc store.Scanner, l *StaffLine) error {
		e := &l.Employment
		return sc.Scan(&e.ID, &e.PractitionerID, &e.SettingURN, &e.Role, &e.StartedOn, &e.EndedOn, &l.Name, &l.AppID, &l.Status, &l.ProgrammeID)
	}, `SELECT e.id, e.practitioner_id, e.setting_urn, e.role, e.started_on, e.ended_on, p.given_name || ' ' || p.family_name,
		COALESCE((SELECT ap.id FROM applications ap WHERE ap.practitioner_id = p.id ORDER BY ap.applied_on DESC, ap.id DESC LIMIT 1), 0),
		COALESCE((SELECT ap.status FROM applications ap WHERE ap.practitioner_id = p.id ORDER BY ap.applied_on DESC, ap.id DESC LIMIT 1), ''),
		COALESCE((SELECT ap.programme_id FROM applications ap WHERE ap.practitioner_id = p.id ORDER BY ap.applied_on DESC, ap.id DESC LIMIT 1), 0)
		FROM employments e JOIN practitioners p ON p.id = e.practitioner_id
		WHERE e.setting_urn = $1 AND e.started_on <= $2 AND (e.ended_on IS NULL OR e.ended_on > $2)
		ORDER BY p.family_name, p.given_name, e.id`, urn, d)
	if err != nil {
		return nil, err
	}
	at := map[int64][]int{}
	for i := range lines {
		at[lines[i].Employment.PractitionerID] = append(at[lines[i].Employment.PractitionerID], i)
		lines[i].Designated = lines[i].Employment.Role == domain.RoleSENCO
	}
	rows, err := q.QueryContext(ctx, `SELECT c.practitioner_id, c.level, c.certified_on, c.revoked_on FROM certificates c
		JOIN employments e ON e.practitioner_id = c.practitioner_id WHERE e.setting_urn = $1`, urn)
	if err != nil {
		return nil, fmt.Errorf("setting staff certificates: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var id int64
		var c domain.Certificate
		if err := rows.Scan(&id, &c.Level, &c.CertifiedOn, &c.RevokedOn); err != nil {
			return nil, fmt.Errorf("setting staff certificates: %w", err)
		}
		// The join repeats a certificate for each employment at the setting.
		key := fmt.Sprint(id, c.Level, c.CertifiedOn, c.RevokedOn)
		if seen[key] {
			continue
		}
		seen[key] = true
		for _, i := range at[id] {
			lines[i].Certificates = append(lines[i].Certificates, c)
		}
	}
	return lines, rows.Err()
}
