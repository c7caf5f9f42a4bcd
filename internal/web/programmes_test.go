package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
	"senco/internal/web/page"
)

var progNational = policy.Scope{Kind: policy.National}

// progFixture is the shared fixture with the catalogue loaded and a
// programme open for applications.
type progFixture struct {
	*fixture
	quals map[string]int64
	prog  domain.Programme
}

func progSetup(t *testing.T, db *store.DB) *progFixture {
	t.Helper()
	ctx := context.Background()
	f := &progFixture{fixture: newFixture(t, db)}
	var err error
	if f.quals, err = catalogue.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	today := domain.Today()
	err = db.InTx(ctx, func(tx *store.Tx) error {
		f.prog, err = tx.SaveProgramme(ctx, domain.OperatorActor("test"), domain.Programme{Name: "National EY SENCO", QualificationID: f.quals["EYSENCO-L3@v1"],
			OpensOn: today.AddDays(-30), ClosesOn: today.AddDays(365), TargetCompletions: 5000, Rules: domain.DefaultRules()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// progPost posts a form and returns the status, the redirect and the body.
func progPost(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// progLatestAudit is the id of the newest audit entry: every write audits,
// so an unchanged id means nothing was written.
func progLatestAudit(t *testing.T, db *store.DB) int64 {
	t.Helper()
	entries, err := db.ListAudit(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		return 0
	}
	return entries[0].ID
}

func progWantAll(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func TestProgMoneyParser(t *testing.T) {
	for _, c := range []struct {
		in    string
		pence int64
		ok    bool
	}{
		{"300", 30000, true},
		{"300.5", 30050, true},
		{"300.50", 30050, true},
		{"300.05", 30005, true},
		{"3,000.00", 300000, true},
		{"£1,234.56", 123456, true},
		{" £ 12 ", 1200, true},
		{"0", 0, true},
		{"0.99", 99, true},
		{".5", 50, true},
		{"1,000,000", 100000000, true},
		{"100000000", 10000000000, true},
		{"100000000.01", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"-5", 0, false},
		{"-0.01", 0, false},
		{"1.234", 0, false},
		{"1.", 0, false},
		{"1.2.3", 0, false},
		{"30,00", 0, false},
		{"3000,00", 0, false},
		{",300", 0, false},
		{"1e3", 0, false},
		{"12 34", 0, false},
		{"99999999999999999999", 0, false},
		{"٣٠٠", 0, false},
	} {
		got, err := page.ParsePence(c.in)
		if (err == nil) != c.ok || got != c.pence {
			t.Errorf("parse %q = %d, %v; want %d, ok %v", c.in, got, err, c.pence, c.ok)
		}
	}
	for _, c := range []struct {
		pence int64
		want  string
	}{
		{0, "£0.00"}, {5, "£0.05"}, {30050, "£300.50"}, {123456, "£1,234.56"}, {100000000, "£1,000,000.00"}, {-2550, "-£25.50"},
	} {
		if got := page.Pounds(c.pence); got != c.want {
			t.Errorf("format %d = %q, want %q", c.pence, got, c.want)
		}
	}
}

func progProgrammeForm(qual int64) url.Values {
	return url.Values{
		"name": {"Spring pilot"}, "qualification": {strconv.FormatInt(qual, 10)},
		"opens-day": {"1"}, "opens-month": {"9"}, "opens-year": {"2026"},
		"closes-day": {"31"}, "closes-month": {"3"}, "closes-year": {"2027"},
		"starts-day": {"1"}, "starts-month": {"1"}, "starts-year": {"2027"},
		"ends-day": {"31"}, "ends-month": {"12"}, "ends-year": {"2027"},
		"target": {"5,000"}, "eligibility": {"programme_open", "setting_active_eyr", "setting_type", "level3_qualification"},
		"allow_working_towards": {"yes"}, "places_per_setting": {"2"}, "attendance_threshold": {"75"},
		"priority_regions": {"E12000007"}, "priority_las": {"E08000035"},
	}
}

func TestProgProgrammeCreateAndRaiseTarget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := progSetup(t, db)
		u := f.srv.URL
		c := f.client(t, "programme")

		code, body := get(t, c, u+"/programmes/new")
		if code != 200 {
			t.Fatalf("new programme form: %d", code)
		}
		progWantAll(t, "new form", body, "Create a programme", "EYSENCO-L3 version 2", domain.EligibilityRules[1].Text, "London")

		// Nothing filled in: every required field says so, linked to it.
		code, _, body = progPost(t, c, u+"/programmes", url.Values{})
		if code != 422 {
			t.Fatalf("empty programme: %d", code)
		}
		progWantAll(t, "empty form", body, "There is a problem", "Enter the programme&#39;s name", `href="#name"`, `href="#qualification"`,
			"Enter the date applications open", `href="#opens-day"`, "Enter the target number of completions", `href="#eligibility"`,
			`href="#allow_working_towards"`, `href="#places_per_setting"`, `href="#attendance_threshold"`, "<title>Error: Create a programme")

		// Wrong values: a closing date before the opening one, an unreal
		// date, a target that is not a number, a threshold over 100%.
		bad := progProgrammeForm(f.quals["EYSENCO-L3@v2"])
		bad.Set("closes-year", "2025")
		bad.Set("starts-day", "31")
		bad.Set("starts-month", "2")
		bad.Set("target", "lots")
		bad.Set("attendance_threshold", "120")
		bad.Set("qualification", "999999")
		code, _, body = progPost(t, c, u+"/programmes", bad)
		if code != 422 {
			t.Fatalf("bad programme: %d", code)
		}
		progWantAll(t, "bad form", body, "The closing date must be on or after the opening date", `href="#closes-day"`,
			"The date training starts must be a real date", "The target must be a whole number", "between 0% and 100%", "Choose the qualification",
			`value="lots"`)
		if ps, _ := db.Programmes(ctx); len(ps) != 1 {
			t.Fatalf("a refused form saved a programme: %d programmes", len(ps))
		}

		code, loc, body := progPost(t, c, u+"/programmes", progProgrammeForm(f.quals["EYSENCO-L3@v2"]))
		if code != 303 || !strings.HasPrefix(loc, "/programmes/") {
			t.Fatalf("create programme: %d %s %s", code, loc, body)
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/programmes/"), 10, 64)
		p, err := db.Programme(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.TargetCompletions != 5000 || !p.Rules.AllowWorkingTowards || p.Rules.PlacesPerSetting != 2 || p.Rules.AttendanceThreshold != 0.75 ||
			len(p.Rules.Eligibility) != 4 || p.Rules.Eligibility[3] != domain.RuleLevel3 || p.QualificationID != f.quals["EYSENCO-L3@v2"] ||
			p.OpensOn != domain.NewDate(2026, 9, 1) || p.ClosesOn != domain.NewDate(2027, 3, 31) ||
			fmt.Sprint(p.Rules.PriorityRegions, p.Rules.PriorityLAs) != "[E12000007] [E08000035]" {
			t.Errorf("saved programme: %+v", p)
		}
		_, body = get(t, c, u+loc)
		progWantAll(t, "programme page", body, "Spring pilot created", "5,000", "75%", "Level 3 early years qualification", "London", "Leeds",
			"EYSENCO-L3 version 2")

		// The same name again is refused.
		code, _, body = progPost(t, c, u+"/programmes", progProgrammeForm(f.quals["EYSENCO-L3@v2"]))
		if code != 422 || !strings.Contains(body, "A programme called Spring pilot already exists") {
			t.Errorf("duplicate programme: %d", code)
		}

		_, body = get(t, c, u+"/programmes")
		progWantAll(t, "programme list", body, "Spring pilot", "National EY SENCO", "5,000", "Create a programme", "govuk-tag--green")

		// Raise the target from 5,000 to 7,000.
		code, body = get(t, c, fmt.Sprintf("%s/programmes/%d/edit", u, id))
		if code != 200 || !strings.Contains(body, `value="5000"`) {
			t.Fatalf("edit form: %d", code)
		}
		stamp := p.UpdatedAt
		form := progProgrammeForm(f.quals["EYSENCO-L3@v2"])
		form.Set("target", "7,000")
		form.Set("updated_at", stamp.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"))
		code, loc, body = progPost(t, c, fmt.Sprintf("%s/programmes/%d/edit", u, id), form)
		if code != 303 {
			t.Fatalf("raise target: %d %s", code, body)
		}
		if p, _ = db.Programme(ctx, id); p.TargetCompletions != 7000 {
			t.Errorf("target after raising: %d", p.TargetCompletions)
		}
		_, body = get(t, c, u+loc)
		progWantAll(t, "programme page after raising", body, "Spring pilot saved", "7,000")
		entries, err := db.ListAudit(ctx, store.AuditFilter{Entity: "programme", EntityID: fmt.Sprint(id)})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit of the programme: %d entries, %v", len(entries), err)
		}
		e := entries[0]
		if e.Action != "update" || !strings.Contains(e.Before, `"TargetCompletions":5000`) || !strings.Contains(e.After, `"TargetCompletions":7000`) ||
			!strings.Contains(e.Actor, "programme@example.org") {
			t.Errorf("audit of the raise: %s by %s: %s → %s", e.Action, e.Actor, e.Before, e.After)
		}

		// A form opened before that change is not saved over it silently.
		form.Set("target", "6000")
		code, _, body = progPost(t, c, fmt.Sprintf("%s/programmes/%d/edit", u, id), form)
		if code != 422 || !strings.Contains(body, "Someone else changed this programme") {
			t.Errorf("stale edit: %d", code)
		}
		if p, _ = db.Programme(ctx, id); p.TargetCompletions != 7000 {
			t.Errorf("a stale edit changed the target to %d", p.TargetCompletions)
		}
	})
}

func progContractForm(prog int64) url.Values {
	return url.Values{"programme": {fmt.Sprint(prog)}, "regions": {"E12000007"}, "las": {"E08000035"}, "places": {"1,200"},
		"price_started": {"300"}, "price_retained": {"300.5"}, "price_completed": {"3,000.00"}}
}

func TestProgSuppliersAndContracts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := progSetup(t, db)
		u := f.srv.URL
		c := f.client(t, "programme")

		code, _, body := progPost(t, c, u+"/suppliers", url.Values{"members": {"x"}})
		if code != 422 || !strings.Contains(body, "Enter the supplier&#39;s name") {
			t.Fatalf("supplier without a name: %d", code)
		}
		code, _, body = progPost(t, c, u+"/suppliers", url.Values{"name": {"supplier one"}})
		if code != 422 || !strings.Contains(body, "A supplier called Supplier One is already registered") {
			t.Fatalf("duplicate supplier: %d", code)
		}
		code, loc, body := progPost(t, c, u+"/suppliers", url.Values{"name": {"  Northern   Early Years Consortium "},
			"members": {"Dales Training Ltd\r\n\r\nPennine Early Years CIC\r\ndales training ltd\r\n"}})
		if code != 303 {
			t.Fatalf("register consortium: %d %s", code, body)
		}
		sid, _ := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/suppliers/"), 10, 64)
		org, err := db.Organisation(ctx, sid)
		if err != nil || org.Kind != domain.OrgSupplier || org.Name != "Northern Early Years Consortium" {
			t.Fatalf("supplier: %+v %v", org, err)
		}
		members, _ := db.SupplierMembers(ctx, sid)
		if fmt.Sprint(members) != "[Dales Training Ltd Pennine Early Years CIC]" {
			t.Errorf("members: %q", members)
		}
		_, body = get(t, c, u+loc)
		progWantAll(t, "supplier page", body, "registered as a consortium of 2 members", "Dales Training Ltd", "Pennine Early Years CIC", "No contracts yet")
		_, body = get(t, c, u+"/suppliers")
		progWantAll(t, "supplier list", body, "Northern Early Years Consortium", "Supplier One", "Not a consortium", "Pennine Early Years CIC")

		// Bad money and no areas: refused, nothing made.
		bad := progContractForm(f.prog.ID)
		bad.Del("regions")
		bad.Del("las")
		bad.Set("price_started", "abc")
		bad.Set("price_retained", "-5")
		bad.Set("price_completed", "1.234")
		bad.Set("places", "0")
		code, _, body = progPost(t, c, fmt.Sprintf("%s/suppliers/%d/contracts", u, sid), bad)
		if code != 422 {
			t.Fatalf("bad contract: %d", code)
		}
		progWantAll(t, "bad contract", body, "Choose the regions or local authorities the contract serves", `href="#regions"`,
			"Allocated places must be a whole number, 1 or more", "must be an amount of money", "must be £0 or more",
			"must not have more than 2 decimal places", `href="#price_completed"`, `value="abc"`)
		if cs, _ := db.Contracts(ctx, progNational, false); len(cs) != 0 {
			t.Fatalf("a refused contract was saved: %d", len(cs))
		}

		code, loc, body = progPost(t, c, fmt.Sprintf("%s/suppliers/%d/contracts", u, sid), progContractForm(f.prog.ID))
		if code != 303 {
			t.Fatalf("create contract: %d %s", code, body)
		}
		cs, err := db.Contracts(ctx, progNational, false)
		if err != nil || len(cs) != 1 {
			t.Fatalf("contracts: %d %v", len(cs), err)
		}
		v1 := cs[0]
		if v1.Version != 1 || v1.SupplierOrgID != sid || v1.PriceStarted != 30000 || v1.PriceRetained != 30050 || v1.PriceCompleted != 300000 ||
			v1.AllocatedPlaces != 1200 || fmt.Sprint(v1.LACodes) != "[E08000035 E09000002]" || fmt.Sprint(v1.RegionCodes) != "[E12000007]" {
			t.Errorf("contract v1: %+v", v1.Contract)
		}
		_, body = get(t, c, u+loc)
		progWantAll(t, "supplier with a contract", body, "Contract version 1 for National EY SENCO created", "£300.00", "£300.50", "£3,000.00",
			"1,200", "London (whole region)", "Leeds", "In force", fmt.Sprintf("/contracts/new?from=%d", v1.ID))

		// A new version, prefilled from the one in force.
		code, body = get(t, c, fmt.Sprintf("%s/suppliers/%d/contracts/new?from=%d", u, sid, v1.ID))
		if code != 200 {
			t.Fatalf("new version form: %d", code)
		}
		progWantAll(t, "new version form", body, "This makes version 2", `value="300.00"`, `value="300.50"`, `value="3000.00"`, `value="1200"`,
			`name="from" value="`+fmt.Sprint(v1.ID))
		next := progContractForm(f.prog.ID)
		next.Set("from", fmt.Sprint(v1.ID))
		next.Set("places", "1500")
		next.Set("price_completed", "3,250.75")
		code, loc, body = progPost(t, c, fmt.Sprintf("%s/suppliers/%d/contracts", u, sid), next)
		if code != 303 {
			t.Fatalf("new version: %d %s", code, body)
		}
		cs, _ = db.Contracts(ctx, progNational, false)
		var v2, old store.ContractRecord
		for _, k := range cs {
			switch k.Version {
			case 1:
				old = k
			case 2:
				v2 = k
			}
		}
		if len(cs) != 2 || v2.ID == 0 || old.SupersededBy != v2.ID || v2.SupersededBy != 0 || v2.AllocatedPlaces != 1500 || v2.PriceCompleted != 325075 {
			t.Errorf("after the new version: v1 %+v, v2 %+v", old.Contract, v2.Contract)
		}
		if cur, _ := db.Contracts(ctx, progNational, true); len(cur) != 1 || cur[0].ID != v2.ID {
			t.Errorf("contracts in force: %+v", cur)
		}
		_, body = get(t, c, u+loc)
		progWantAll(t, "supplier after the new version", body, "and replaces version 1", "Replaced", "£3,250.75")
		// The replaced version cannot be versioned again.
		if code, _ := get(t, c, fmt.Sprintf("%s/suppliers/%d/contracts/new?from=%d", u, sid, v1.ID)); code != 404 {
			t.Errorf("new version of a replaced contract: %d", code)
		}
		code, _, body = progPost(t, c, fmt.Sprintf("%s/suppliers/%d/contracts", u, sid), next)
		if code != 422 || !strings.Contains(body, "Version 1 has already been replaced") {
			t.Errorf("posting a new version of a replaced contract: %d", code)
		}
		// Another supplier's contract is not a starting point here.
		sup1 := f.users["sup1"].Org.ID
		if code, _ := get(t, c, fmt.Sprintf("%s/suppliers/%d/contracts/new?from=%d", u, sup1, v2.ID)); code != 404 {
			t.Errorf("new version from another supplier's contract: %d", code)
		}
		if cs, _ = db.Contracts(ctx, progNational, false); len(cs) != 2 {
			t.Errorf("contracts after refusals: %d", len(cs))
		}
		_, body = get(t, c, fmt.Sprintf("%s/programmes/%d", u, f.prog.ID))
		progWantAll(t, "programme with a contract", body, "Northern Early Years Consortium", "1,500")

		// Members can be changed afterwards.
		code, _, _ = progPost(t, c, fmt.Sprintf("%s/suppliers/%d/members", u, sid), url.Values{"members": {"Dales Training Ltd\nMoorland Nurseries"}})
		if members, _ = db.SupplierMembers(ctx, sid); code != 303 || fmt.Sprint(members) != "[Dales Training Ltd Moorland Nurseries]" {
			t.Errorf("change members: %d %q", code, members)
		}
	})
}

func TestProgManualReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := progSetup(t, db)
		u := f.srv.URL
		op := domain.OperatorActor("test")
		var first, second, alice store.Application
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var ids []int64
			for _, name := range []string{"Dana", "Erin"} {
				p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: name, FamilyName: "Alphastaff", QualificationLevel: 3,
					Email: strings.ToLower(name) + "@example.org", DateOfBirth: domain.NewDate(1990, 5, 1), OwnerOrgID: f.users["sm1"].Org.ID})
				if err != nil {
					return err
				}
				if _, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: "EY100001", Role: domain.RolePractitioner, StartedOn: domain.NewDate(2020, 1, 1)}); err != nil {
					return err
				}
				ids = append(ids, p.ID)
			}
			apply := func(pid int64) (store.Application, error) {
				return tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: pid, SettingURN: "EY100001", AppliedOn: domain.Today(), Nominated: true})
			}
			var err error
			if first, err = apply(ids[0]); err != nil {
				return err
			}
			if second, err = apply(ids[1]); err != nil {
				return err
			}
			alice, err = apply(f.p1)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if first.Status != domain.StatusEligible || second.Decision != domain.DecisionManual || second.ReasonCode != string(domain.RuleSettingPlaces) ||
			alice.Decision != domain.DecisionManual || alice.ReasonCode != string(domain.RuleLevel3) {
			t.Fatalf("applications: %s; %s %s; %s %s", first.Status, second.Decision, second.ReasonCode, alice.Decision, alice.ReasonCode)
		}
		c := f.client(t, "programme")
		_, body := get(t, c, u+"/review")
		progWantAll(t, "review queue", body, "Showing 1 to 2 of 2 applications", "Erin Alphastaff", "Alice Leedsworker", "Setting&#39;s funded places not used up",
			"has used its 1 funded place(s)", "qualification is not recorded", fmt.Sprintf("/applications/%d/decide", second.ID))
		if strings.Contains(body, "Dana Alphastaff") {
			t.Errorf("an eligible application is in the queue")
		}
		_, body = get(t, c, fmt.Sprintf("%s/review?programme=%d", u, f.prog.ID+1000))
		progWantAll(t, "review queue of another programme", body, "No applications are waiting")

		code, body := get(t, c, fmt.Sprintf("%s/applications/%d/decide", u, second.ID))
		if code != 200 {
			t.Fatalf("decide form: %d", code)
		}
		progWantAll(t, "decide form", body, "Decide on Erin Alphastaff", "Grant the setting an extra funded place", fmt.Sprintf(`href="/applications/%d"`, second.ID))
		_, body = get(t, c, fmt.Sprintf("%s/applications/%d/decide", u, alice.ID))
		if strings.Contains(body, "extra funded place") {
			t.Errorf("extra place offered for a qualification question")
		}

		code, _, body = progPost(t, c, fmt.Sprintf("%s/applications/%d/decide", u, second.ID), url.Values{"extra_place": {"yes"}})
		if code != 422 {
			t.Fatalf("empty decision: %d", code)
		}
		progWantAll(t, "empty decision", body, "Choose whether the applicant is eligible", `href="#decision"`, "Enter the reason for your decision", `href="#reason"`)
		if a, _ := db.Application(ctx, progNational, second.ID); a.ManualDecision || a.Status != domain.StatusApplied {
			t.Fatalf("a refused decision changed the application: %s", a.Status)
		}

		code, loc, body := progPost(t, c, fmt.Sprintf("%s/applications/%d/decide", u, second.ID),
			url.Values{"decision": {"eligible"}, "reason": {"Large setting with two rooms: a second place is agreed"}, "extra_place": {"yes"}})
		if code != 303 || loc != "/review" {
			t.Fatalf("decide: %d %s %s", code, loc, body)
		}
		a, err := db.Application(ctx, progNational, second.ID)
		if err != nil || a.Status != domain.StatusEligible || !a.ManualDecision || !a.ExtraSettingPlace || a.Reason != "Large setting with two rooms: a second place is agreed" {
			t.Fatalf("decided application: %+v %v", a, err)
		}
		_, body = get(t, c, u+loc)
		progWantAll(t, "queue after deciding", body, "Erin Alphastaff&#39;s application is now eligible, with an extra funded place for Alpha Nursery", "Showing 1 to 1 of 1")
		// The confirmation is shown once, and words in a link never become one.
		if _, again := get(t, c, u+"/review?decided=Your+account+is+suspended"); strings.Contains(again, "now eligible") || strings.Contains(again, "suspended") {
			t.Errorf("the review queue shows a confirmation it was not given: %s", again)
		}

		// The decision stands when the rules run again.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			a, err = tx.Assess(ctx, op, second.ID)
			return err
		})
		if err != nil || a.Status != domain.StatusEligible || a.ReasonCode != "manual" || !a.ManualDecision {
			t.Errorf("after re-assessing: %s %s %v", a.Status, a.ReasonCode, err)
		}
		entries, _ := db.ListAudit(ctx, store.AuditFilter{Entity: "application", EntityID: fmt.Sprint(second.ID)})
		if len(entries) == 0 || entries[0].Action != "decide" || !strings.Contains(entries[0].Actor, "programme@example.org") {
			t.Errorf("audit of the decision: %+v", entries)
		}

		// Ineligible, without an extra place even if one is asked for.
		code, _, _ = progPost(t, c, fmt.Sprintf("%s/applications/%d/decide", u, alice.ID),
			url.Values{"decision": {"ineligible"}, "reason": {"No Level 3 qualification after checking certificates"}, "extra_place": {"yes"}})
		if a, _ = db.Application(ctx, progNational, alice.ID); code != 303 || a.Status != domain.StatusIneligible || a.ExtraSettingPlace {
			t.Errorf("ineligible decision: %d %s extra %v", code, a.Status, a.ExtraSettingPlace)
		}
		if code, _ := get(t, c, u+"/applications/999999/decide"); code != 404 {
			t.Errorf("decide on a missing application: %d", code)
		}
	})
}

func TestProgCatalogueReadableByEveryone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := progSetup(t, db)
		u := f.srv.URL
		for key := range f.users {
			c := f.client(t, key)
			code, body := get(t, c, u+"/qualifications")
			if code != 200 {
				t.Fatalf("%s /qualifications: %d", key, code)
			}
			progWantAll(t, key+" catalogue", body, "Level 3 Award for the Early Years SENCO", "Early Years Awarding Body", "(QTS)", "(QTLS)", "(EYTS)",
				"Foundation and intermediate", "18 months", "Further education staff")
			code, body = get(t, c, fmt.Sprintf("%s/qualifications/%d", u, f.quals["EYSENCO-L3@v2"]))
			if code != 200 {
				t.Fatalf("%s qualification: %d", key, code)
			}
			progWantAll(t, key+" v2", body, "Unit 301", "Unit 308", "Learning outcome 1", "3.4", "Changes from version 1",
				"Unit 306, criterion 2.4 added", "Changed in version 2", "New in version 2")
			code, body = get(t, c, fmt.Sprintf("%s/qualifications/%d", u, f.quals["EYSENCO-L3@v1"]))
			if code != 200 || !strings.Contains(body, "The latest is version 2") || strings.Contains(body, "Changes from version") {
				t.Errorf("%s v1: %d", key, code)
			}
			if code, _ := get(t, c, u+"/qualifications/999999"); code != 404 {
				t.Errorf("%s missing qualification: %d", key, code)
			}
		}
		anon := f.client(t, "")
		if code, _ := get(t, anon, u+"/qualifications"); code != 303 {
			t.Errorf("anonymous catalogue: %d", code)
		}
	})
}

// TestProgRoutesRefused tries every programme team route as everyone else:
// refused, and nothing written.
func TestProgRoutesRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := progSetup(t, db)
		u := f.srv.URL
		op := domain.OperatorActor("test")
		sup1 := f.users["sup1"].Org.ID
		var contract domain.Contract
		var app store.Application
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			contract, err = tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: sup1, ProgrammeID: f.prog.ID, LACodes: []string{"E08000035"}, AllocatedPlaces: 10})
			if err != nil {
				return err
			}
			app, err = tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: f.p1, SettingURN: "EY100001", AppliedOn: domain.Today(), Nominated: true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		gets := []string{"/programmes", "/programmes/new", fmt.Sprintf("/programmes/%d", f.prog.ID), fmt.Sprintf("/programmes/%d/edit", f.prog.ID),
			"/suppliers", "/suppliers/new", fmt.Sprintf("/suppliers/%d", sup1), fmt.Sprintf("/suppliers/%d/members", sup1),
			fmt.Sprintf("/suppliers/%d/contracts/new", sup1), fmt.Sprintf("/suppliers/%d/contracts/new?from=%d", sup1, contract.ID),
			"/review", fmt.Sprintf("/applications/%d/decide", app.ID), "/programmes/999999", "/suppliers/999999"}
		form := progProgrammeForm(f.quals["EYSENCO-L3@v1"])
		form.Set("name", "National EY SENCO")
		form.Set("target", "1")
		posts := []struct {
			path string
			form url.Values
		}{
			{"/programmes", progProgrammeForm(f.quals["EYSENCO-L3@v1"])},
			{fmt.Sprintf("/programmes/%d/edit", f.prog.ID), form},
			{"/suppliers", url.Values{"name": {"Intruder Ltd"}}},
			{fmt.Sprintf("/suppliers/%d/members", sup1), url.Values{"members": {"Intruder Ltd"}}},
			{fmt.Sprintf("/suppliers/%d/contracts", sup1), progContractForm(f.prog.ID)},
			{fmt.Sprintf("/applications/%d/decide", app.ID), url.Values{"decision": {"eligible"}, "reason": {"Because I can"}}},
		}
		clients := map[string]*http.Client{}
		for key := range f.users {
			if key != "programme" {
				clients[key] = f.client(t, key)
			}
		}
		// Signing in is audited; from here on nothing may be.
		before := progLatestAudit(t, db)
		for key, c := range clients {
			for _, p := range gets {
				if code, _ := get(t, c, u+p); code != 403 {
					t.Errorf("%s GET %s: %d, want 403", key, p, code)
				}
			}
			for _, p := range posts {
				if code, _, _ := progPost(t, c, u+p.path, p.form); code != 403 {
					t.Errorf("%s POST %s: %d, want 403", key, p.path, code)
				}
			}
		}
		if after := progLatestAudit(t, db); after != before {
			t.Errorf("refused posts wrote to the audit log: %d → %d", before, after)
		}
		if p, _ := db.Programme(ctx, f.prog.ID); p.TargetCompletions != 5000 {
			t.Errorf("target changed to %d", p.TargetCompletions)
		}
		if a, _ := db.Application(ctx, progNational, app.ID); a.ManualDecision {
			t.Errorf("the application was decided")
		}
		if cs, _ := db.Contracts(ctx, progNational, false); len(cs) != 1 {
			t.Errorf("contracts: %d", len(cs))
		}
		if m, _ := db.SupplierMembers(ctx, sup1); len(m) != 0 {
			t.Errorf("members: %q", m)
		}

		// The programme team: records that do not exist are not found.
		c := f.client(t, "programme")
		laOrg := f.users["la1"].Org.ID
		for _, p := range []string{"/programmes/999999", "/programmes/999999/edit", "/programmes/abc", "/suppliers/999999",
			fmt.Sprintf("/suppliers/%d", laOrg), fmt.Sprintf("/suppliers/%d/contracts/new", laOrg), "/suppliers/999999/members",
			fmt.Sprintf("/suppliers/%d/contracts/new?from=999999", sup1), "/applications/999999/decide", "/review?page=0"} {
			if code, _ := get(t, c, u+p); code != 404 {
				t.Errorf("programme team GET %s: %d, want 404", p, code)
			}
		}
		if code, _, _ := progPost(t, c, u+"/programmes/999999/edit", form); code != 404 {
			t.Errorf("programme team POST to a missing programme: %d", code)
		}
		if code, _, _ := progPost(t, c, fmt.Sprintf("%s/suppliers/%d/contracts", u, laOrg), progContractForm(f.prog.ID)); code != 404 {
			t.Errorf("programme team contract for a local authority: %d", code)
		}
		for _, p := range gets[:12] {
			if code, _ := get(t, c, u+p); code != 200 {
				t.Errorf("programme team GET %s: %d", p, code)
			}
		}
		anon := f.client(t, "")
		for _, p := range []string{"/programmes", "/suppliers", "/review"} {
			if code, _ := get(t, anon, u+p); code != 303 {
				t.Errorf("anonymous GET %s: %d", p, code)
			}
		}
	})
}
