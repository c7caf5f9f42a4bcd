package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// runDelivery measures issue 3's requests: the supplier's cohort list, a
// session's attendance page and the learners API with updated_since.
func runDelivery(ctx context.Context, c config) error {
	db, bare, err := open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	defer bare.Close()
	machine(db, c.db, c)
	today := domain.DateOf(db.Now())

	// The supplier running the most cohorts, and its admin.
	orgID, err := scalar[int64](ctx, bare, `SELECT supplier_org_id FROM cohorts GROUP BY supplier_org_id ORDER BY COUNT(*) DESC, supplier_org_id LIMIT 1`)
	if err != nil {
		return err
	}
	nCohorts, _ := scalar[int64](ctx, bare, `SELECT COUNT(*) FROM cohorts WHERE supplier_org_id = $1`, orgID)
	allCohorts, _ := scalar[int64](ctx, bare, `SELECT COUNT(*) FROM cohorts`)
	adminID, err := scalar[int64](ctx, bare, `SELECT id FROM users WHERE org_id = $1 AND role = 'supplier_admin' ORDER BY id LIMIT 1`, orgID)
	if err != nil {
		return err
	}
	// The session with the longest register among those held, and its
	// trainer.
	var sessionID, trainerID, cohortID int64
	if err := bare.QueryRowContext(ctx, `SELECT st.id, cs.user_id, st.cohort_id FROM sessions_taught st
		JOIN cohort_staff cs ON cs.cohort_id = st.cohort_id AND cs.role = 'trainer'
		WHERE st.held_on <= $1
		ORDER BY (SELECT COUNT(*) FROM applications ap WHERE ap.cohort_id = st.cohort_id) DESC, st.held_on DESC, st.id LIMIT 1`, today).Scan(&sessionID, &trainerID, &cohortID); err != nil {
		return fmt.Errorf("choose a session: %w", err)
	}
	since := db.Now().AddDate(0, 0, -90).Truncate(time.Second)

	adminCookie, adminToken, err := signIn(ctx, db, adminID)
	if err != nil {
		return err
	}
	trainerCookie, _, err := signIn(ctx, db, trainerID)
	if err != nil {
		return err
	}
	admin, err := db.User(ctx, adminID)
	if err != nil {
		return err
	}
	trainer, err := db.User(ctx, trainerID)
	if err != nil {
		return err
	}

	// The store's answers, which the bare SQL must give too.
	cohorts, err := db.Cohorts(ctx, policy.Delivery(admin), store.CohortFilter{Page: 1, PageSize: 50})
	if err != nil {
		return err
	}
	sess, _, err := db.Session(ctx, policy.Delivery(trainer), sessionID)
	if err != nil {
		return err
	}
	register, err := db.Register(ctx, sess)
	if err != nil {
		return err
	}
	learners, err := db.Learners(ctx, policy.Delivery(admin), store.LearnerFilter{UpdatedSince: since, PageSize: 100})
	if err != nil {
		return err
	}
	check := func(name string, want []int64, got []int64, err error) error {
		if err != nil {
			return fmt.Errorf("bare %s: %w", name, err)
		}
		if !slices.Equal(want, got) {
			return fmt.Errorf("bare %s differs from the store: %v vs %v", name, got, want)
		}
		return nil
	}
	var want []int64
	for _, ch := range cohorts.Cohorts {
		want = append(want, ch.ID)
	}
	got, err := bareCohortList(ctx, bare, orgID)
	if err := check("cohort list", want, got, err); err != nil {
		return err
	}
	want = want[:0]
	for _, l := range register {
		want = append(want, l.ApplicationID)
	}
	got, err = bareAttendance(ctx, bare, sessionID, trainerID)
	if err := check("attendance", want, got, err); err != nil {
		return err
	}
	want = want[:0]
	for _, ap := range learners.Applications {
		want = append(want, ap.ID)
	}
	got, err = bareLearners(ctx, bare, orgID, since, 100, today)
	if err := check("learners", want, got, err); err != nil {
		return err
	}

	fmt.Printf("supplier org %d: %d of %d cohorts (page 1 of 50 shown; %d on it); session %d of cohort %d: %d learners on the register, trainer user %d;\n",
		orgID, nCohorts, allCohorts, len(cohorts.Cohorts), sessionID, cohortID, len(register), trainerID)
	fmt.Printf("learners of the supplier updated since %s: %d (first page of 100: %d)\n\n", since.Format(time.RFC3339), learners.Total, len(learners.Applications))

	s, err := startServer(db, c.clients)
	if err != nil {
		return err
	}
	defer s.close()
	v := url.Values{}
	v.Set("filter[updated_since]", since.UTC().Format(time.RFC3339))
	v.Set("page[size]", "100")
	learnersPath := "/api/v1/learners?" + v.Encode()
	attendancePath := "/sessions/" + strconv.FormatInt(sessionID, 10) + "/attendance"
	pairs := []*pair{
		{name: "cohort list /cohorts (supplier admin)",
			request: func(ctx context.Context) error {
				_, err := s.get(ctx, "cohorts", "/cohorts", credential{cookie: adminCookie})
				return err
			},
			query: func(ctx context.Context) error { _, err := bareCohortList(ctx, bare, orgID); return err }},
		{name: "attendance " + attendancePath + " (trainer)",
			request: func(ctx context.Context) error {
				_, err := s.get(ctx, "attendance", attendancePath, credential{cookie: trainerCookie})
				return err
			},
			query: func(ctx context.Context) error { _, err := bareAttendance(ctx, bare, sessionID, trainerID); return err }},
		{name: "learners API updated_since, 100 a page (supplier token)",
			request: func(ctx context.Context) error {
				_, err := s.get(ctx, "learners", learnersPath, credential{token: adminToken})
				return err
			},
			query: func(ctx context.Context) error {
				_, err := bareLearners(ctx, bare, orgID, since, 100, domain.DateOf(db.Now()))
				return err
			}},
	}
	kinds := []string{"cohorts", "attendance", "learners"}
	for i, p := range pairs {
		p.http, p.bare = &results{}, &results{}
		// The wrapping handler files durations by the kind header.
		p.name = kinds[i] + ": " + p.name
		if err := p.request(ctx); err != nil {
			return err
		}
	}
	measureKinds(ctx, s, pairs, kinds, c)
	fmt.Printf("GET %s\n\n", learnersPath)
	printPairs("Issue 3 at national scale: server time per request (wrapping handler) and the store's SQL for it run bare", c.clients, pairs)
	return nil
}

// measureKinds is measure with each pair's server times filed under its
// kind header.
func measureKinds(ctx context.Context, s *server, pairs []*pair, kinds []string, c config) {
	slice := c.dur / time.Duration(c.rounds)
	for range c.rounds {
		for i, p := range pairs {
			if c.only != "" && kinds[i] != c.only {
				continue
			}
			s.record(kinds[i], p.http)
			drive(ctx, p.http, c.clients, slice, c.warm, func(ctx context.Context) (time.Time, time.Duration, error) {
				return time.Time{}, -1, p.request(ctx)
			})
			s.record(kinds[i], nil)
			drive(ctx, p.bare, c.clients, slice, c.warm, func(ctx context.Context) (time.Time, time.Duration, error) {
				start := time.Now()
				err := p.query(ctx)
				return start, time.Since(start), err
			})
		}
	}
}
