package demo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// deliverySeed is the seed TestDeliveryDemo uses; the demo's default.
var deliverySeed = DefaultSeed

// TestDeliveryDemo checks the running programme the demo makes: the spread
// of outcomes, cohorts in every phase, who sees what, and that the records
// keep the rules a real programme's would.
func TestDeliveryDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Now()
		res, err := Seed(ctx, db, hasher(), Options{Seed: deliverySeed})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("demo seeded in %v: %+v", time.Since(start).Round(time.Millisecond), res.Counts)
		today := domain.DateOf(db.Now())
		all := policy.Scope{Kind: policy.National}
		users := deliveryUsers(t, db)

		progs, err := db.Programmes(ctx)
		if err != nil || len(progs) != 1 {
			t.Fatalf("programmes: %v %v", progs, err)
		}
		prog := progs[0]
		if prog.Name != ProgrammeName || prog.TargetCompletions != raisedTarget || !prog.Open(today) || prog.Rules.PlacesPerSetting != 2 {
			t.Errorf("programme %+v: want %q open today, target %d, two places per setting", prog, ProgrammeName, raisedTarget)
		}
		q, err := db.Qualification(ctx, prog.QualificationID)
		if err != nil || q.AwardingOrganisation != users["ao"].Org.Name {
			t.Errorf("qualification %+v (%v): awarding organisation is not the demo's %q", q, err, users["ao"].Org.Name)
		}
		members, err := db.SupplierMembers(ctx, users["supplier"].Org.ID)
		if err != nil || len(members) < 2 || len(members) > 3 {
			t.Errorf("consortium members %v (%v): want 2–3", members, err)
		}

		page, err := db.Applications(ctx, all, store.AppFilter{PageSize: 10000})
		if err != nil {
			t.Fatal(err)
		}
		apps := page.Applications
		byStatus := map[domain.Status]int{}
		reasons := map[domain.WithdrawalReason]int{}
		ineligible := map[string]int{}
		enrolledEver := 0
		manual := 0
		for _, a := range apps {
			byStatus[a.Status]++
			if a.Status == domain.StatusWithdrawn {
				reasons[a.WithdrawalReason]++
			}
			if a.Status == domain.StatusIneligible {
				ineligible[a.ReasonCode]++
			}
			if a.Status == domain.StatusApplied && a.Decision == domain.DecisionManual {
				manual++
			}
			if a.Status == domain.StatusWithdrawn && a.CohortID != 0 || a.Status.HoldsPlace() || a.Status == domain.StatusDeferred {
				enrolledEver++
			}
		}
		t.Logf("%d applications: %v; ineligible by rule %v; withdrawn %v; enrolled at some time %d", len(apps), byStatus, ineligible, reasons, enrolledEver)
		for _, c := range []struct {
			what     string
			got      int
			min, max int
		}{
			{"applications", len(apps), 200, 400},
			{"eligible, waiting for a place", byStatus[domain.StatusEligible], 20, 120},
			{"ineligible", byStatus[domain.StatusIneligible], 15, 60},
			{"ineligible: level 2", ineligible[string(domain.RuleLevel3)], 5, 40},
			{"ineligible: not on the Early Years Register (home childcarers)", ineligible[string(domain.RuleSettingOnEYR)], 5, 5},
			{"ineligible: already funded or qualified", ineligible[string(domain.RuleNotAlreadyFunded)], 4, 4},
			{"in manual review", manual, 2, 12},
			{"enrolled (cohorts recruiting)", byStatus[domain.StatusEnrolled], 10, 40},
			{"in training", byStatus[domain.StatusInTraining], 25, 70},
			{"completed (not yet certified, or revoked)", byStatus[domain.StatusCompleted], 1, 15},
			{"certified", byStatus[domain.StatusCertified], 18, 50},
			{"deferred", byStatus[domain.StatusDeferred], 1, 6},
			{"withdrawn for workload", reasons[domain.WithdrawWorkload], 8, 30},
		} {
			if c.got < c.min || c.got > c.max {
				t.Errorf("%s: %d, want %d–%d", c.what, c.got, c.min, c.max)
			}
		}
		// About a fifth of learners withdraw, mostly for workload.
		if share := float64(byStatus[domain.StatusWithdrawn]) / float64(enrolledEver); share < 0.12 || share > 0.3 {
			t.Errorf("withdrawn: %d of %d enrolled (%.0f%%), want about a fifth", byStatus[domain.StatusWithdrawn], enrolledEver, share*100)
		}
		for r, n := range reasons {
			if r != domain.WithdrawWorkload && n >= reasons[domain.WithdrawWorkload] {
				t.Errorf("withdrawals %v: want workload the commonest reason", reasons)
			}
		}

		cohorts := checkCohorts(t, db, today)
		checkRules(t, db, prog, apps, cohorts, today)
		checkDeliveryScopes(t, db, users, apps, cohorts)
		checkDemoPeople(t, db, users, cohorts, today)
	})
}

// deliveryUsers returns the demo sign-ins by the part of their address
// before the @.
func deliveryUsers(t *testing.T, db *store.DB) map[string]domain.User {
	t.Helper()
	out := map[string]domain.User{}
	for _, e := range Emails() {
		u, _, err := db.UserByEmail(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(e, demoDomain)] = u
	}
	return out
}

// checkCohorts: six to eight cohorts of 12–20 places, twelve sessions
// each, in every phase, with a register taken at every session held.
func checkCohorts(t *testing.T, db *store.DB, today domain.Date) map[int64]store.CohortRecord {
	t.Helper()
	ctx := context.Background()
	page, err := db.Cohorts(ctx, policy.Scope{Kind: policy.National}, store.CohortFilter{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total < 6 || page.Total > 8 {
		t.Errorf("%d cohorts, want 6–8", page.Total)
	}
	phases := map[string]int{}
	out := map[int64]store.CohortRecord{}
	for _, c := range page.Cohorts {
		out[c.ID] = c
		phase := c.Phase(today)
		if phase == "in progress" {
			// Half way: some sessions held, some to come.
			if held := heldBy(t, db, c.ID, today); held == 0 || held == c.Sessions {
				phase = "started or ending"
			} else {
				phase = "half way"
			}
		}
		phases[phase]++
		if c.Capacity < 12 || c.Capacity > 20 || c.Sessions != sessionsPerCohort || c.Placed > c.Capacity {
			t.Errorf("cohort %s: capacity %d, %d sessions, %d placed", c.Name, c.Capacity, c.Sessions, c.Placed)
		}
		sessions, err := db.Sessions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range sessions {
			if s.Date.Before(c.StartsOn) || s.Date.After(c.EndsOn) || (i > 0 && !sessions[i-1].Date.Before(s.Date)) {
				t.Errorf("cohort %s: session %d on %s outside %s–%s or out of order", c.Name, i+1, s.Date, c.StartsOn, c.EndsOn)
			}
			if held := s.Date.Before(today); held != (s.Marked > 0) {
				t.Errorf("cohort %s: session on %s (today %s) has %d marks", c.Name, s.Date, today, s.Marked)
			}
		}
	}
	for _, p := range []string{"finished", "half way", "recruiting"} {
		if phases[p] == 0 {
			t.Errorf("no cohort %s: %v", p, phases)
		}
	}
	var waiting int
	for _, c := range page.Cohorts {
		waiting += c.Waiting
	}
	if waiting == 0 {
		t.Error("no cohort has a waiting list")
	}
	return out
}

func heldBy(t *testing.T, db *store.DB, cohortID int64, today domain.Date) int {
	t.Helper()
	sessions, err := db.Sessions(context.Background(), cohortID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range sessions {
		if s.Date.Before(today) {
			n++
		}
	}
	return n
}

// checkRules checks every application against the rules the store keeps:
// statuses match the recorded facts and events, dates run in order,
// completion means attendance at the threshold and a completed assessment,
// certificates only after completion, marks only for the learner's cohort.
func checkRules(t *testing.T, db *store.DB, prog domain.Programme, apps []store.Application, cohorts map[int64]store.CohortRecord, today domain.Date) {
	t.Helper()
	ctx := context.Background()
	marksOutsideCohort, transferred, revoked := 0, 0, 0
	for _, a := range apps {
		events, err := db.ApplicationEvents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("application %d (%s, %s)", a.ID, a.PractitionerName, a.Status)
		if len(events) == 0 || events[0].Event != "applied" || !events[0].On.Equal(a.AppliedOn) {
			t.Errorf("%s: first event %+v, want applied on %s", name, events, a.AppliedOn)
			continue
		}
		if last := events[len(events)-1]; last.To != a.Status && a.Status != events[len(events)-1].From {
			t.Errorf("%s: last event %+v does not end in the status", name, last)
		}
		for _, e := range events {
			if e.From != "" && e.From != e.To {
				if err := domain.CheckTransition(e.From, e.To); err != nil {
					t.Errorf("%s: event %+v: %v", name, e, err)
				}
			}
			if e.On.After(today) || e.On.Before(a.AppliedOn) {
				t.Errorf("%s: event %s on %s, outside %s–%s", name, e.Event, e.On, a.AppliedOn, today)
			}
		}
		enrolled := slices.IndexFunc(events, func(e store.AppEvent) bool { return e.To == domain.StatusEnrolled })
		if strings.Contains(eventsText(events), "transferred;") {
			transferred++
		}
		if !a.RevokedOn.IsZero() {
			revoked++
		}
		if a.Status.HoldsPlace() {
			c, ok := cohorts[a.CohortID]
			if !ok || enrolled < 0 {
				t.Errorf("%s: placed without a cohort or an enrolment", name)
				continue
			}
			if on := events[enrolled].On; on.Before(a.AppliedOn) || (!on.Before(c.StartsOn) && !strings.Contains(eventsText(events), "transferred")) {
				t.Errorf("%s: enrolled on %s, applied %s, cohort starts %s", name, on, a.AppliedOn, c.StartsOn)
			}
		}
		certified := !a.CertifiedOn.IsZero()
		switch {
		case a.Status == domain.StatusCertified && (!certified || a.CertificateNumber == "" || !a.RevokedOn.IsZero()):
			t.Errorf("%s: certified without a certificate %+v", name, a)
		case certified && a.Status != domain.StatusCertified && (a.Status != domain.StatusCompleted || a.RevokedOn.IsZero()):
			t.Errorf("%s: a certificate date on an application that is neither certified nor revoked", name)
		}
		if a.Status == domain.StatusCompleted || a.Status == domain.StatusCertified {
			if a.AssessmentCompleteOn.IsZero() || a.LearnerNumber == "" && a.Status == domain.StatusCertified {
				t.Errorf("%s: complete without an assessment (%s) or certified without a learner number", name, a.AssessmentCompleteOn)
			}
			marks, held, err := db.Attendance(ctx, a.ID, a.CohortID, a.AssessmentCompleteOn)
			if err != nil {
				t.Fatal(err)
			}
			if rate := domain.AttendanceRate(marks, held); !domain.TrainingComplete(rate, prog.Rules.AttendanceThreshold, true) {
				t.Errorf("%s: completed with attendance %.2f", name, rate)
			}
			if certified && !a.AssessmentCompleteOn.Before(a.CertifiedOn) {
				t.Errorf("%s: certified on %s, before the assessment was complete on %s", name, a.CertifiedOn, a.AssessmentCompleteOn)
			}
		}
		if a.ULN != "" && !domain.ValidULN(a.ULN) {
			t.Errorf("%s: ULN %s has a wrong check digit", name, a.ULN)
		}
		if a.Status == domain.StatusWithdrawn && (!a.WithdrawalReason.Valid() || a.WithdrawnOn.IsZero()) {
			t.Errorf("%s: withdrawn with reason %q on %s", name, a.WithdrawalReason, a.WithdrawnOn)
		}
		if a.Status == domain.StatusDeferred {
			// Deferred learners keep their marks from the cohort they left.
			for _, c := range cohorts {
				marks, _, err := db.Attendance(ctx, a.ID, c.ID, today)
				if err != nil {
					t.Fatal(err)
				}
				marksOutsideCohort += len(marks)
			}
		}
	}
	if transferred != 1 || revoked != 1 {
		t.Errorf("%d learners transferred and %d certificates revoked, want one of each", transferred, revoked)
	}
	// Every mark of every session is a learner of the session's cohort (or
	// one who deferred from it), and a session's count of marks is its
	// register's.
	total, onRegisters := 0, 0
	for _, c := range cohorts {
		sessions, err := db.Sessions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sessions {
			var all int
			if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM attendance WHERE session_id = $1`, s.ID).Scan(&all); err != nil {
				t.Fatal(err)
			}
			total += all
			lines, err := db.Register(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			marked := 0
			for _, l := range lines {
				if l.Mark != "" {
					marked++
				}
			}
			onRegisters += marked
			if s.Marked != marked || s.OnRegister != len(lines) {
				t.Errorf("session %d counts %d marked of %d; its register lists %d, %d marked", s.ID, s.Marked, s.OnRegister, len(lines), marked)
			}
		}
	}
	if total == 0 || total != onRegisters+marksOutsideCohort {
		t.Errorf("%d marks, %d on the registers of the learners' cohorts and %d of deferred learners", total, onRegisters, marksOutsideCohort)
	}
}

func eventsText(events []store.AppEvent) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString(e.Event + ";")
	}
	return b.String()
}

// checkDeliveryScopes: the awarding organisation sees the certified
// learners; each supplier sees its own cohorts only; an LA officer the
// applications from their authority.
func checkDeliveryScopes(t *testing.T, db *store.DB, users map[string]domain.User, apps []store.Application, cohorts map[int64]store.CohortRecord) {
	t.Helper()
	ctx := context.Background()
	var certified []int64
	for _, a := range apps {
		if a.Status == domain.StatusCertified {
			certified = append(certified, a.ID)
		}
	}
	aoPage, err := db.Applications(ctx, policy.Delivery(users["ao"]), store.AppFilter{Status: domain.StatusCertified, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var seen []int64
	for _, a := range aoPage.Applications {
		seen = append(seen, a.ID)
	}
	sort.Slice(seen, func(i, j int) bool { return seen[i] < seen[j] })
	sort.Slice(certified, func(i, j int) bool { return certified[i] < certified[j] })
	if len(certified) == 0 || !slices.Equal(seen, certified) {
		t.Errorf("the awarding organisation sees %d certified learners, want the %d", len(seen), len(certified))
	}
	for _, key := range []string{"supplier", "supplier.brightstart"} {
		u := users[key]
		page, err := db.Cohorts(ctx, policy.Delivery(u), store.CohortFilter{PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, c := range cohorts {
			if c.SupplierOrgID == u.Org.ID {
				want++
			}
		}
		if page.Total != want || want == 0 || want == len(cohorts) {
			t.Errorf("%s sees %d cohorts, want its own %d of %d", key, page.Total, want, len(cohorts))
		}
		for _, c := range page.Cohorts {
			if c.SupplierOrgID != u.Org.ID {
				t.Errorf("%s sees %s of %s", key, c.Name, c.SupplierName)
			}
		}
	}
	// The trainer sees the cohorts they teach.
	page, err := db.Cohorts(ctx, policy.Delivery(users["trainer"]), store.CohortFilter{PageSize: 100})
	if err != nil || page.Total == 0 || page.Total == len(cohorts) {
		t.Errorf("the trainer sees %d cohorts (%v), want some", page.Total, err)
	}
	leeds, err := db.Applications(ctx, policy.Delivery(users["la.leeds"]), store.AppFilter{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, a := range apps {
		if a.LACode == Leeds {
			want++
		}
	}
	if leeds.Total != want || want == 0 {
		t.Errorf("the Leeds LA officer sees %d applications, want the %d from Leeds", leeds.Total, want)
	}
}

// checkDemoPeople: the demo practitioner is on a cohort half way through,
// with attendance; the demo manager's nursery has staff in training and a
// certified SENCO, and its coverage shows both.
func checkDemoPeople(t *testing.T, db *store.DB, users map[string]domain.User, cohorts map[int64]store.CohortRecord, today domain.Date) {
	t.Helper()
	ctx := context.Background()
	learner := users["practitioner"]
	mine, err := db.Applications(ctx, policy.Delivery(learner), store.AppFilter{})
	if err != nil || mine.Total != 1 {
		t.Fatalf("the demo practitioner has %d applications (%v), want 1", mine.Total, err)
	}
	a := mine.Applications[0]
	c := cohorts[a.CohortID]
	marks, held, err := db.Attendance(ctx, a.ID, a.CohortID, today)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != domain.StatusInTraining || c.Phase(today) != "in progress" || held == 0 || held == c.Sessions || len(marks) != held {
		t.Errorf("the demo practitioner: %s on %q (%s), %d marks of %d sessions held", a.Status, c.Name, c.Phase(today), len(marks), held)
	}
	manager := users["manager"]
	staff, err := db.Applications(ctx, policy.Delivery(manager), store.AppFilter{})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[domain.Status]int{}
	for _, a := range staff.Applications {
		statuses[a.Status]++
	}
	if statuses[domain.StatusCertified] == 0 || statuses[domain.StatusInTraining] == 0 {
		t.Errorf("the demo manager's staff applications: %v, want one certified and one in training", statuses)
	}
	rows, err := db.CoverageSettings(ctx, policy.Scope{Kind: policy.National}, today, Leeds, false)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rows, func(r store.SettingCoverageRow) bool { return r.URN == manager.Org.SettingURN })
	if i < 0 || !rows[i].Qualified || !rows[i].InTraining {
		t.Errorf("the demo nursery's coverage: %+v, want a qualified SENCO and staff in training", rows[max(i, 0)])
	}
}

// TestDeliveryDeterministic: the same seed makes the same programme on the
// same day.
func TestDeliveryDeterministic(t *testing.T) {
	summary := func() []string {
		db := storetest.SQLite(t)
		ctx := context.Background()
		if _, err := Seed(ctx, db, hasher(), Options{Seed: 5}); err != nil {
			t.Fatal(err)
		}
		page, err := db.Applications(ctx, policy.Scope{Kind: policy.National}, store.AppFilter{PageSize: 10000})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range page.Applications {
			out = append(out, fmt.Sprint(a.PractitionerName, a.AppliedOn, a.Status, a.CohortName, a.WithdrawnOn, a.CertifiedOn))
		}
		return out
	}
	if a, b := summary(), summary(); !slices.Equal(a, b) {
		t.Error("the same seed made two different programmes")
	}
}
