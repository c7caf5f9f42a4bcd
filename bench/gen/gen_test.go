package gen_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"testing"

	"senco/bench/gen"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// register is the 2021 Ofsted register beside the project, seen from here;
// where it is not (a checkout on its own), the extract of it the demo
// ships, in the same format, so the generator is always tested.
func register() string {
	full := "../../" + gen.DefaultRegister
	if _, err := os.Stat(full); err == nil {
		return full
	}
	return "../../internal/demo/data/ofsted_demo_extract.csv.gz"
}

// small is a small England: the first 2,000 settings of the register and a
// hundredth of the workforce.
func small(seed int64) gen.Options {
	return gen.Options{Seed: seed, Scale: 0.01, RegisterFile: register(), RegisterRows: 2000, Applications: 500, Cohorts: 20}
}

// TestGenerate builds a small England on both databases and checks that
// the records keep the rules the store's own writes keep, and that
// coverage computed in SQL equals the domain functions applied to the
// same records.
func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st, err := gen.Generate(ctx, db, small(1))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d settings, %d practitioners, %d employments, %d recognised, %d cohorts, %d sessions, %d applications %v, %d events, %d marks, coverage %.1f%% in %v",
			st.Settings, st.Practitioners, st.Employments, st.Recognised, st.Cohorts, st.Sessions, st.Applications, st.ByStatus,
			st.ApplicationEvents, st.Attendance, 100*st.Coverage.All().Coverage(), st.Took)
		all := policy.Scope{Kind: policy.National}
		if st.Settings != 2000 || st.Cohorts != 20 || st.Sessions != 20*12 {
			t.Errorf("settings %d, cohorts %d, sessions %d: want 2000, 20, 240", st.Settings, st.Cohorts, st.Sessions)
		}
		if st.Practitioners < 2500 || st.Practitioners > 3500 || st.Employments < st.Practitioners*11/10 {
			t.Errorf("%d practitioners with %d employments: want about 3,000, some with several", st.Practitioners, st.Employments)
		}
		if st.Applications < 450 || st.Applications > 500 {
			t.Errorf("%d applications, want about 500", st.Applications)
		}
		for _, s := range []domain.Status{domain.StatusEligible, domain.StatusIneligible, domain.StatusInTraining, domain.StatusCertified, domain.StatusWithdrawn} {
			if st.ByStatus[s] == 0 {
				t.Errorf("no application is %s: %v", s, st.ByStatus)
			}
		}
		people, err := db.SearchPractitioners(ctx, all, store.PeopleFilter{PageSize: 1})
		if err != nil || people.Total != st.Practitioners {
			t.Errorf("the database holds %d practitioners (%v), the generator says %d", people.Total, err, st.Practitioners)
		}

		page, err := db.Applications(ctx, all, store.AppFilter{PageSize: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != st.Applications {
			t.Errorf("the database holds %d applications, the generator says %d", page.Total, st.Applications)
		}
		progs, err := db.Programmes(ctx)
		if err != nil || len(progs) != 1 {
			t.Fatalf("programmes %v (%v)", progs, err)
		}
		staff, err := db.StaffFacts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkSENCOs(t, staff)
		checkApplications(t, db, progs[0], page.Applications, staff)
		checkAttendance(t, db, page.Applications)
		checkCoverage(t, db, staff, st)

		// Scope: a supplier sees its own cohorts only.
		cohorts, err := db.Cohorts(ctx, all, store.CohortFilter{PageSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		org := cohorts.Cohorts[0].SupplierOrgID
		mine, err := db.Cohorts(ctx, policy.Scope{Kind: policy.Org, OrgID: org}, store.CohortFilter{PageSize: 1000})
		if err != nil || mine.Total == 0 || mine.Total == cohorts.Total && len(slices.Compact(supplierIDs(cohorts.Cohorts))) > 1 {
			t.Errorf("supplier %d sees %d of %d cohorts (%v)", org, mine.Total, cohorts.Total, err)
		}
		for _, c := range cohorts.Cohorts {
			if c.Placed > c.Capacity {
				t.Errorf("cohort %s: %d placed, %d places", c.Name, c.Placed, c.Capacity)
			}
		}
		for _, c := range mine.Cohorts {
			if c.SupplierOrgID != org {
				t.Errorf("supplier %d sees cohort %s of %s", org, c.Name, c.SupplierName)
			}
		}
	})
}

func supplierIDs(cs []store.CohortRecord) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.SupplierOrgID)
	}
	slices.Sort(out)
	return out
}

// checkSENCOs: a setting has one designated SENCO at a time.
func checkSENCOs(t *testing.T, staff map[string][]domain.StaffMember) {
	t.Helper()
	for urn, members := range staff {
		var sencos []domain.Employment
		for _, m := range members {
			if m.Employment.Role == domain.RoleSENCO {
				sencos = append(sencos, m.Employment)
			}
		}
		for i, a := range sencos {
			for _, b := range sencos[i+1:] {
				if a.Covers(b.StartedOn) || b.Covers(a.StartedOn) {
					t.Errorf("setting %s: designated SENCOs %+v and %+v at once", urn, a, b)
				}
			}
		}
	}
}

// checkApplications replays every application's events through the
// status machine and checks the row agrees with them.
func checkApplications(t *testing.T, db *store.DB, prog domain.Programme, apps []store.Application, staff map[string][]domain.StaffMember) {
	t.Helper()
	ctx := context.Background()
	// Enrolment spans as StaffFacts reads them (enrolled_on,
	// left_training_on), by practitioner.
	spans := map[int64][]domain.Enrolment{}
	for _, members := range staff {
		for _, m := range members {
			spans[m.Employment.PractitionerID] = m.Enrolments
		}
	}
	for _, a := range apps {
		events, err := db.ApplicationEvents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) < 2 || events[0].Event != "applied" || !events[0].On.Equal(a.AppliedOn) {
			t.Errorf("application %d: events %+v, want applied on %s then its eligibility", a.ID, events, a.AppliedOn)
			continue
		}
		status := domain.Status("")
		var span domain.Enrolment
		for i, e := range events {
			if e.From != status {
				t.Errorf("application %d: event %q from %s, but it was %s", a.ID, e.Event, e.From, status)
			}
			if i > 0 && e.To != e.From {
				if err := domain.CheckTransition(e.From, e.To); err != nil {
					t.Errorf("application %d: %v", a.ID, err)
				}
			}
			if i > 0 && e.On.Before(events[i-1].On) {
				t.Errorf("application %d: %s on %s, before %s on %s", a.ID, e.Event, e.On, events[i-1].Event, events[i-1].On)
			}
			switch {
			case e.To == domain.StatusEnrolled && e.From != e.To: // a transfer keeps the enrolment
				span = domain.Enrolment{From: e.On}
			case (e.From == domain.StatusEnrolled || e.From == domain.StatusInTraining) &&
				(e.To == domain.StatusWithdrawn || e.To == domain.StatusDeferred || e.To == domain.StatusCompleted):
				span.To = e.On
			}
			status = e.To
		}
		if status != a.Status {
			t.Errorf("application %d is %s, its events end in %s", a.ID, a.Status, status)
		}
		if !span.From.IsZero() && !slices.Contains(spans[a.PractitionerID], span) {
			t.Errorf("application %d: enrolment %v by its events, %v recorded", a.ID, span, spans[a.PractitionerID])
		}
		placed := a.Status == domain.StatusEnrolled || a.Status == domain.StatusInTraining || a.Status == domain.StatusCompleted || a.Status == domain.StatusCertified
		if placed != (a.CohortID != 0) && a.Status != domain.StatusWithdrawn {
			t.Errorf("application %d: %s on cohort %d", a.ID, a.Status, a.CohortID)
		}
		switch {
		case a.Status == domain.StatusCertified && (a.CertifiedOn.IsZero() || a.CertificateNumber == "" || a.LearnerNumber == ""):
			t.Errorf("application %d: certified without a certificate or a learner number", a.ID)
		case !a.CertifiedOn.IsZero() && a.Status != domain.StatusCertified && (a.Status != domain.StatusCompleted || a.RevokedOn.IsZero()):
			t.Errorf("application %d: a certificate date on a %s application that was not revoked", a.ID, a.Status)
		}
		if a.Status == domain.StatusCompleted || a.Status == domain.StatusCertified {
			marks, held, err := db.Attendance(ctx, a.ID, a.CohortID, a.AssessmentCompleteOn)
			if err != nil {
				t.Fatal(err)
			}
			if a.AssessmentCompleteOn.IsZero() || !domain.TrainingComplete(domain.AttendanceRate(marks, held), prog.Rules.AttendanceThreshold, true) {
				t.Errorf("application %d: completed with the assessment %q and attendance %.2f", a.ID, a.AssessmentCompleteOn, domain.AttendanceRate(marks, held))
			}
		}
		if a.Status == domain.StatusWithdrawn && (!a.WithdrawalReason.Valid() || a.WithdrawnOn.IsZero()) {
			t.Errorf("application %d: withdrawn with reason %q on %s", a.ID, a.WithdrawalReason, a.WithdrawnOn)
		}
		if a.ULN != "" && !domain.ValidULN(a.ULN) {
			t.Errorf("application %d: ULN %s", a.ID, a.ULN)
		}
	}
}

// checkAttendance: every mark is on the register of the learner's own
// cohort, for a session held while they were on it.
func checkAttendance(t *testing.T, db *store.DB, apps []store.Application) {
	t.Helper()
	ctx := context.Background()
	byID := map[int64]store.Application{}
	for _, a := range apps {
		byID[a.ID] = a
	}
	cohorts, err := db.Cohorts(ctx, policy.Scope{Kind: policy.National}, store.CohortFilter{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	total, onRegisters := 0, 0
	for _, c := range cohorts.Cohorts {
		sessions, err := db.Sessions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sessions {
			total += s.Marked
			lines, err := db.Register(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if l.Mark == "" {
					continue
				}
				onRegisters++
				a := byID[l.ApplicationID]
				if !a.WithdrawnOn.IsZero() && !a.WithdrawnOn.After(s.Date) {
					t.Errorf("application %d marked %s on %s, after withdrawing on %s", a.ID, l.Mark, s.Date, a.WithdrawnOn)
				}
			}
		}
	}
	if total == 0 || total != onRegisters {
		t.Errorf("%d marks, %d of them on the registers of the learners' own cohorts", total, onRegisters)
	}
}

// checkCoverage compares store.CoverageByLA with domain.CoverSetting over
// StaffFacts, on several dates.
func checkCoverage(t *testing.T, db *store.DB, staff map[string][]domain.StaffMember, st gen.Stats) {
	t.Helper()
	ctx := context.Background()
	all := policy.Scope{Kind: policy.National}
	settings, err := db.SearchSettings(ctx, all, store.SettingFilter{PageSize: 100000})
	if err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(db.Now())
	for _, d := range []domain.Date{today, today.AddMonths(-12), domain.NewDate(2020, 1, 1)} {
		want := map[string]domain.AreaCoverage{}
		var england domain.AreaCoverage
		for _, s := range settings.Settings {
			c := domain.CoverSetting(s.Setting, staff[s.URN], d)
			ac := want[s.LACode]
			ac.Count(s.Type, c)
			want[s.LACode] = ac
			england.Count(s.Type, c)
		}
		rows, err := db.CoverageByLA(ctx, all, d)
		if err != nil {
			t.Fatal(err)
		}
		var sum domain.AreaCoverage
		for _, r := range rows {
			if r.AreaCoverage != want[r.Code] {
				t.Errorf("%s, %q: SQL %+v, domain %+v", d, r.Code, r.AreaCoverage, want[r.Code])
			}
			sum = sum.Add(r.AreaCoverage)
		}
		if sum != england {
			t.Errorf("%s: authorities add up to %+v, England is %+v", d, sum, england)
		}
		if d == today {
			if sum != st.Coverage {
				t.Errorf("the generator's coverage %+v, the store's %+v", st.Coverage, sum)
			}
			if england.All().Qualified == 0 || england.All().InTraining == 0 {
				t.Errorf("coverage today %+v: want qualified SENCOs and staff in training", england.All())
			}
		}
	}
}

// TestGenerateDeterministic: the same seed builds the same England.
func TestGenerateDeterministic(t *testing.T) {
	run := func(seed int64) gen.Stats {
		opts := small(seed)
		opts.RegisterRows, opts.Applications, opts.Cohorts = 600, 150, 6
		st, err := gen.Generate(context.Background(), storetest.SQLite(t), opts)
		if err != nil {
			t.Fatal(err)
		}
		st.Phases, st.Took = nil, 0
		return st
	}
	a, b, c := run(7), run(7), run(8)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the same seed built two Englands:\n%+v\n%+v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Error("two seeds built the same England")
	}
}

// TestGenerateRefusesNonEmpty: ids are assigned by the generator, so it
// only writes into an empty database.
func TestGenerateRefusesNonEmpty(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.CreateOrganisation(ctx, domain.OperatorActor("test"), domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Generate(ctx, db, small(1)); err != gen.ErrNotEmpty {
		t.Errorf("got %v, want ErrNotEmpty", err)
	}
}
