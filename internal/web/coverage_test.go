package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/store/storetest"
)

var covNational = policy.Scope{Kind: policy.National}

// covFix is the shared fixture (Leeds and Barking, their users) with
// coverage to show: certified and recognised SENCOs, one who moved from
// one Leeds setting to another two months ago, one who left a year ago, a
// learner in training, an authority that has ended with a setting still
// filed under it, a setting whose authority Ofsted did not record, and a
// programme with two suppliers, a withdrawal and a certification.
type covFix struct {
	*fixture
	today  domain.Date
	prog   domain.Programme
	moved  domain.Date // the day the SENCO left Gamma Nursery for Delta Nursery
	left   domain.Date // the day Epsilon Nursery's SENCO left
	cohort [2]int64
}

func covSetup(t *testing.T, db *store.DB) *covFix {
	t.Helper()
	ctx := context.Background()
	op := domain.OperatorActor("test")
	f := &covFix{fixture: newFixture(t, db)}
	f.today = domain.DateOf(db.Now())
	T := f.today
	f.moved, f.left = T.AddDays(-60), T.AddDays(-365)
	reg := domain.NewDate(2015, 1, 5)
	owner := f.users["sm1"].Org.ID
	nursery := func(urn, name string, typ domain.ProviderType, la string) domain.Setting {
		return domain.Setting{URN: urn, Name: name, Type: typ, Status: domain.Active, EYR: true, LACode: la, Places: 24, RegisteredOn: reg, Outcome: 2, InspectedOn: reg.AddDays(400)}
	}
	var practitioners []int64
	person := func(tx *store.Tx, given string, qualifiedOn domain.Date) (int64, error) {
		p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: given, FamilyName: "Covworker", Email: strings.ToLower(given) + "@cov.example.org",
			DateOfBirth: domain.NewDate(1988, 3, 1+len(practitioners)), QualificationLevel: 3, OwnerOrgID: owner})
		if err != nil {
			return 0, err
		}
		practitioners = append(practitioners, p.ID)
		if !qualifiedOn.IsZero() {
			err = tx.RecogniseQualification(ctx, op, p.ID, "Level 3 SENCO award", 3, qualifiedOn)
		}
		return p.ID, err
	}
	work := func(tx *store.Tx, p int64, urn string, role domain.EmploymentRole, from, to domain.Date) error {
		_, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p, SettingURN: urn, Role: role, StartedOn: from, EndedOn: to})
		return err
	}
	var apps [3]int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.UpsertLocalAuthorities(ctx, op, []domain.LocalAuthority{
			{Code: "E10000006", Name: "Cumbria", OfstedName: "Cumbria", RegionCode: "E12000002", RegionName: "North West", StartedOn: domain.NewDate(1974, 4, 1), EndedOn: domain.NewDate(2023, 3, 31)},
		}); err != nil {
			return err
		}
		settings := []domain.Setting{
			nursery("EY100010", "Gamma Nursery", domain.NonDomestic, "E08000035"),
			nursery("EY100011", "Delta Nursery", domain.NonDomestic, "E08000035"),
			nursery("EY100012", "Epsilon Nursery", domain.NonDomestic, "E08000035"),
			nursery("EY100013", "Zeta Nursery", domain.Domestic, "E08000035"),
			nursery("EY100015", "", domain.Childminder, "E08000035"),
			nursery("EY300001", "Fell Playgroup", domain.NonDomestic, "E10000006"),
			nursery("EY400001", "Unfiled Nursery", domain.NonDomestic, ""),
		}
		settings[0].Address1, settings[0].Town, settings[0].Postcode = "1 Park Row", "Leeds", "LS1 5AB"
		closed := nursery("EY100014", "Closed Nursery", domain.NonDomestic, "E08000035")
		closed.Status, closed.ClosedOn = domain.Closed, domain.NewDate(2020, 7, 1)
		settings = append(settings, closed)
		for i := range 8 {
			settings = append(settings, nursery(fmt.Sprintf("EY15%04d", i), "", domain.Childminder, "E08000035"))
		}
		for i := range 9 {
			settings = append(settings, nursery(fmt.Sprintf("EY25%04d", i), "", domain.Childminder, "E09000002"))
		}
		if err := tx.InsertSettings(ctx, settings); err != nil {
			return err
		}
		// Alice at Alpha and Bob at Beta hold recognised qualifications.
		if err := tx.RecogniseQualification(ctx, op, f.p1, "Level 3 SENCO award", 3, domain.NewDate(2016, 5, 1)); err != nil {
			return err
		}
		if err := tx.RecogniseQualification(ctx, op, f.p2, "Level 3 SENCO award", 3, domain.NewDate(2016, 5, 1)); err != nil {
			return err
		}
		// Cara moved from Gamma to Delta two months ago; Dev left Epsilon a
		// year ago.
		cara, err := person(tx, "Cara", domain.NewDate(2017, 1, 1))
		if err != nil {
			return err
		}
		if err := work(tx, cara, "EY100010", domain.RoleSENCO, reg, f.moved); err != nil {
			return err
		}
		if err := work(tx, cara, "EY100011", domain.RoleSENCO, f.moved, domain.Date{}); err != nil {
			return err
		}
		dev, err := person(tx, "Dev", domain.NewDate(2017, 1, 1))
		if err != nil {
			return err
		}
		if err := work(tx, dev, "EY100012", domain.RoleSENCO, reg, f.left); err != nil {
			return err
		}
		// Three qualified childminders in Barking.
		for i := range 3 {
			cm, err := person(tx, fmt.Sprint("Minder", i), domain.NewDate(2018, 1, 1))
			if err != nil {
				return err
			}
			if err := work(tx, cm, fmt.Sprintf("EY25%04d", i), domain.RoleChildminder, reg, domain.Date{}); err != nil {
				return err
			}
		}
		// The programme, two suppliers, two Leeds cohorts.
		q, err := tx.SaveQualification(ctx, domain.Qualification{Code: "COV-L3", Version: 1, Title: "Level 3 Early Years SENCO", Level: 3, AwardingOrganisation: "Awarding Body", GuidedLearningHours: 34})
		if err != nil {
			return err
		}
		rules := domain.DefaultRules()
		rules.PlacesPerSetting = 0
		if f.prog, err = tx.SaveProgramme(ctx, op, domain.Programme{Name: "National EY SENCO", QualificationID: q, OpensOn: T.AddDays(-400),
			ClosesOn: T.AddDays(400), StartsOn: T.AddDays(-400), EndsOn: T.AddDays(800), TargetCompletions: 100, Rules: rules}); err != nil {
			return err
		}
		con1, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: f.users["sup1"].Org.ID, ProgrammeID: f.prog.ID, LACodes: []string{"E08000035"}, AllocatedPlaces: 20})
		if err != nil {
			return err
		}
		if _, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: f.users["sup2"].Org.ID, ProgrammeID: f.prog.ID, LACodes: []string{"E09000002"}, AllocatedPlaces: 10}); err != nil {
			return err
		}
		for i, c := range []domain.Cohort{
			{Name: "Leeds spring", StartsOn: T.AddDays(-120), EndsOn: T.AddDays(-10)},
			{Name: "Leeds summer", StartsOn: T.AddDays(-30), EndsOn: T.AddDays(60)},
		} {
			c.ContractID, c.SupplierOrgID, c.Mode, c.LACodes, c.Capacity = con1.ID, con1.SupplierOrgID, domain.Blended, []string{"E08000035"}, 10
			c, err := tx.CreateCohort(ctx, op, c)
			if err != nil {
				return err
			}
			f.cohort[i] = c.ID
			if i == 0 {
				if _, err := tx.AddSession(ctx, op, c, domain.Session{Date: T.AddDays(-100), Minutes: 360, Mode: domain.FaceToFace, Topic: "Unit 1", Venue: "Leeds"}); err != nil {
					return err
				}
			}
		}
		// Fay (Zeta) will be in training, Gil (Zeta) will withdraw, Hana
		// (a Leeds childminder) will be certified.
		for i, w := range []struct{ name, urn string }{{"Fay", "EY100013"}, {"Gil", "EY100013"}, {"Hana", "EY100015"}} {
			p, err := person(tx, w.name, domain.Date{})
			if err != nil {
				return err
			}
			role := domain.RolePractitioner
			if w.urn == "EY100015" {
				role = domain.RoleChildminder
			}
			if err := work(tx, p, w.urn, role, reg, domain.Date{}); err != nil {
				return err
			}
			a, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: p, SettingURN: w.urn, AppliedOn: T.AddDays(-150 + i), Nominated: true})
			if err != nil {
				return err
			}
			if a.Status != domain.StatusEligible {
				return fmt.Errorf("%s is %s: %s", w.name, a.Status, a.Reason)
			}
			apps[i] = a.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	app := func(id int64) store.Application {
		a, err := db.Application(ctx, covNational, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	step := func(what string, fn func(tx *store.Tx) error) {
		if err := db.InTx(ctx, fn); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	c1, err := db.Cohort(ctx, covNational, f.cohort[0])
	if err != nil {
		t.Fatal(err)
	}
	c2, err := db.Cohort(ctx, covNational, f.cohort[1])
	if err != nil {
		t.Fatal(err)
	}
	step("place Fay", func(tx *store.Tx) error { _, err := tx.Place(ctx, op, app(apps[0]), c2, T.AddDays(-20)); return err })
	step("place Gil", func(tx *store.Tx) error { _, err := tx.Place(ctx, op, app(apps[1]), c1, T.AddDays(-110)); return err })
	step("withdraw Gil", func(tx *store.Tx) error {
		return tx.Withdraw(ctx, op, app(apps[1]), domain.WithdrawWorkload, T.AddDays(-50), "")
	})
	step("place Hana", func(tx *store.Tx) error { _, err := tx.Place(ctx, op, app(apps[2]), c1, T.AddDays(-110)); return err })
	sessions, err := db.Sessions(ctx, c1.ID)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions: %v %v", sessions, err)
	}
	step("register", func(tx *store.Tx) error {
		return tx.SaveRegister(ctx, op, sessions[0], sessions[0].RegisterVersion, map[int64]domain.Mark{apps[2]: domain.Present})
	})
	step("complete Hana", func(tx *store.Tx) error {
		done, rate, err := tx.CompleteAssessment(ctx, op, app(apps[2]), nil, T.AddDays(-15))
		if err == nil && !done {
			err = fmt.Errorf("not completed: attendance %.2f", rate)
		}
		return err
	})
	step("register Hana", func(tx *store.Tx) error { return tx.RegisterLearner(ctx, op, app(apps[2]), "COV0001", "") })
	step("certify Hana", func(tx *store.Tx) error {
		_, err := quality.Certify(ctx, tx, op, app(apps[2]), "CERT-COV-1", T.AddDays(-12))
		return err
	})
	return f
}

// covGet fetches a page and returns the status, headers and body.
func covGet(t *testing.T, c *http.Client, u string) (int, http.Header, []byte) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

var (
	covTagRE    = regexp.MustCompile(`(?s)<[^>]*>`)
	covCellRE   = regexp.MustCompile(`(?s)<t[hd][ >].*?</t[hd]>`)
	covHiddenRE = regexp.MustCompile(`(?s)<span class="govuk-visually-hidden">.*?</span>`)
)

// covRow returns the visible text of each cell of the table row with the
// given id, or nil when there is none.
func covRow(body, id string) []string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return nil
	}
	row := body[i:]
	row = row[:strings.Index(row, "</tr>")]
	var out []string
	for _, cell := range covCellRE.FindAllString(row, -1) {
		cell = covHiddenRE.ReplaceAllString(cell, "")
		out = append(out, strings.Join(strings.Fields(html.UnescapeString(covTagRE.ReplaceAllString(cell, " "))), " "))
	}
	return out
}

func covPercent(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// covWantCells are a coverage row's cells as the dashboard shows them:
// eligible, qualified, in training, gap, then coverage of group settings,
// childminders and all.
func covWantCells(a domain.AreaCoverage) []string {
	all := a.All()
	return []string{fmt.Sprint(all.Eligible), fmt.Sprint(all.Qualified), fmt.Sprint(all.InTraining), fmt.Sprint(all.Gap),
		covShare(a.Group), covShare(a.Childminder), covShare(all)}
}

// covShare is a coverage cell: "–" when there is nothing to count, never
// "0.0%".
func covShare(c domain.Counts) string {
	if c.Eligible == 0 {
		return "–"
	}
	return covPercent(c.Coverage())
}

func TestCoverageDashboardMatchesReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := covSetup(t, db)
		ctx := context.Background()
		c := f.client(t, "programme")
		for _, asAt := range []domain.Date{f.today, f.today.AddDays(-90), domain.NewDate(2022, 6, 30)} {
			code, _, b := covGet(t, c, f.srv.URL+"/coverage?as_at="+asAt.String())
			body := string(b)
			if code != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", asAt, code, body)
			}
			cov, err := report.BuildCoverage(ctx, db, covNational, asAt)
			if err != nil {
				t.Fatal(err)
			}
			if len(cov.LAs) < 4 {
				t.Fatalf("%s: the report has %d authority rows", asAt, len(cov.LAs))
			}
			for _, la := range cov.LAs {
				id := "la-" + la.Code
				if la.Level == report.LevelNotRecorded {
					id = "not_recorded-none"
				}
				got := covRow(body, id)
				if len(got) < 9 {
					t.Errorf("%s: no row %s: %v", asAt, id, got)
					continue
				}
				want := covWantCells(la.AreaCoverage)
				if strings.Join(got[2:9], "|") != strings.Join(want, "|") {
					t.Errorf("%s %s: page %v, report %v", asAt, la.Name, got[2:9], want)
				}
				if !strings.HasPrefix(got[0], la.Name) {
					t.Errorf("%s: row %s is %q", asAt, id, got[0])
				}
			}
			for _, reg := range cov.Regions {
				got := covRow(body, "region-"+reg.Code)
				if len(got) < 8 || strings.Join(got[1:8], "|") != strings.Join(covWantCells(reg.AreaCoverage), "|") {
					t.Errorf("%s region %s: page %v, report %v", asAt, reg.Name, got, covWantCells(reg.AreaCoverage))
				}
			}
			got := covRow(body, "england-"+report.EnglandCode)
			if len(got) < 8 || strings.Join(got[1:8], "|") != strings.Join(covWantCells(cov.England.AreaCoverage), "|") {
				t.Errorf("%s England: page %v, report %v", asAt, got, covWantCells(cov.England.AreaCoverage))
			}
			if ended := strings.Contains(body, "(ended 31 March 2023)"); ended != asAt.After(domain.NewDate(2023, 3, 31)) {
				t.Errorf("%s: Cumbria marked ended: %v", asAt, ended)
			}
			for _, want := range []string{"Not recorded by Ofsted", `role="img"`, `<title id="region-chart-title">`, `aria-labelledby="region-chart-title region-chart-desc"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", asAt, want)
				}
			}
		}
		// Today: Leeds 3 of 15, Barking 4 of 10.
		_, _, b := covGet(t, c, f.srv.URL+"/coverage")
		body := string(b)
		cov, err := report.BuildCoverage(ctx, db, covNational, f.today)
		if err != nil {
			t.Fatal(err)
		}
		england := cov.England.All().Eligible
		unfiled := fmt.Sprintf("England&#39;s %d eligible settings include 1 that Ofsted filed under no local authority: it counts in England&#39;s figures but in no region&#39;s or authority&#39;s, so the regions add up to %d.", england, england-1)
		if !strings.Contains(body, unfiled) {
			t.Errorf("today: England's figure does not explain the setting filed under no authority (want %q)", unfiled)
		}
		if strings.Count(body, "No eligible settings to count") == 0 {
			t.Errorf("today: no figure says there is nothing to count, though Cumbria has no childminders")
		}
		for _, want := range []string{"Coverage ranges from 20.0% in Leeds to 40.0% in Barking and Dagenham, a gap of 20.0 percentage points",
			"Figures as at " + f.today.Long() + " (today)", "IMD 2019", "English Indices of Deprivation 2019"} {
			if !strings.Contains(body, want) {
				t.Errorf("today: the page lacks %q", want)
			}
		}
		// Sorting without JavaScript.
		_, _, b = covGet(t, c, f.srv.URL+"/coverage?sort=coverage&dir=asc")
		body = string(b)
		if strings.Index(body, `id="la-E08000035"`) > strings.Index(body, `id="la-E09000002"`) {
			t.Error("sorted by coverage ascending, Leeds (20%) should come before Barking (40%)")
		}
		if !regexp.MustCompile(`aria-sort="ascending"><a class="govuk-link cov-sort" href="[^"]*sort=coverage[^"]*">Coverage: all</a>`).MatchString(body) {
			t.Error("the sorted column does not say it is sorted ascending")
		}
		_, _, b = covGet(t, c, f.srv.URL+"/coverage?sort=coverage&dir=desc")
		if body = string(b); strings.Index(body, `id="la-E08000035"`) < strings.Index(body, `id="la-E09000002"`) || !strings.Contains(body, `aria-sort="descending"`) {
			t.Error("sorted by coverage descending, Barking should come first, marked descending")
		}
		// A region narrows the authorities.
		_, _, b = covGet(t, c, f.srv.URL+"/coverage?region=E12000007")
		if body = string(b); strings.Contains(body, `id="la-E08000035"`) || !strings.Contains(body, `id="la-E09000002"`) {
			t.Error("the London filter should show Barking and not Leeds")
		}
		// Every LA figure links to the rows behind it.
		_, _, b = covGet(t, c, f.srv.URL+"/coverage?as_at="+f.today.String())
		if !strings.Contains(string(b), `href="/coverage/la/E08000035?as_at=`+f.today.String()+`&amp;show=gap#settings"`) {
			t.Error("Leeds' gap figure does not link to its gap list")
		}
	})
}

func TestCoverageScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := covSetup(t, db)
		u := f.srv.URL
		progPath := fmt.Sprintf("/coverage/programmes/%d", f.prog.ID)
		routes := []struct {
			path  string
			deflt int
			want  map[string]int
		}{
			{"/coverage", 200, map[string]int{"la1": 303, "la2": 303, "sm1": 403, "sm2": 403, "learner1": 403}},
			{"/coverage/la/E08000035", 200, map[string]int{"la2": 404, "sm1": 403, "sm2": 403, "learner1": 403}},
			{"/coverage/la/E09000002", 200, map[string]int{"la1": 404, "sm1": 403, "sm2": 403, "learner1": 403}},
			{"/coverage/la/E10000006", 200, map[string]int{"la1": 404, "la2": 404, "sm1": 403, "sm2": 403, "learner1": 403}},
			{"/coverage/la/none", 200, map[string]int{"la1": 404, "la2": 404, "sm1": 403, "sm2": 403, "learner1": 403}},
			{"/coverage/la/E06099999", 404, map[string]int{"sm1": 403, "sm2": 403, "learner1": 403}},
			{progPath, 200, map[string]int{"learner1": 403}},
			{"/coverage/programmes/999999", 404, map[string]int{"learner1": 403}},
		}
		for key := range f.users {
			c := f.client(t, key)
			for _, rt := range routes {
				want := rt.deflt
				if w, ok := rt.want[key]; ok {
					want = w
				}
				code, h, body := covGet(t, c, u+rt.path)
				if code != want {
					t.Errorf("%s GET %s: %d, want %d", key, rt.path, code, want)
				}
				if code == 303 && rt.path == "/coverage" {
					if loc := h.Get("Location"); loc != "/coverage/la/"+f.users[key].Org.LACode {
						t.Errorf("%s is sent to %s", key, loc)
					}
				}
				if key == "la1" && code == 200 && bytes.Contains(body, []byte("Beta Nursery")) {
					t.Errorf("la1 sees Barking's Beta Nursery at %s", rt.path)
				}
			}
		}
		// The redirect keeps the date.
		code, h, _ := covGet(t, f.client(t, "la1"), u+"/coverage?as_at=2025-01-31")
		if code != 303 || h.Get("Location") != "/coverage/la/E08000035?as_at=2025-01-31" {
			t.Errorf("la1 /coverage?as_at: %d %s", code, h.Get("Location"))
		}
		res, err := f.client(t, "").Get(u + "/coverage")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
			t.Errorf("anonymous /coverage: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

// covURNs are the settings listed on an authority's page, in order.
func covURNs(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`id="setting-([^"]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestCoverageGapList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := covSetup(t, db)
		ctx := context.Background()
		leeds := policy.Scope{Kind: policy.LA, LACode: "E08000035"}
		c := f.client(t, "la1")
		base := f.srv.URL + "/coverage/la/E08000035?as_at=" + f.today.String()
		check := func(what, query string, gapOnly bool, keep func(store.SettingCoverageRow) bool) string {
			t.Helper()
			code, _, b := covGet(t, c, base+query)
			if code != 200 {
				t.Fatalf("%s: status %d\n%s", what, code, b)
			}
			rows, err := db.CoverageSettings(ctx, leeds, f.today, "E08000035", gapOnly)
			if err != nil {
				t.Fatal(err)
			}
			var kept []store.SettingCoverageRow
			for _, r := range rows {
				if keep == nil || keep(r) {
					kept = append(kept, r)
				}
			}
			if !strings.Contains(query, "show=") {
				// The gap list is in the domain's order of priority.
				lost, err := db.SettingsLostSENCO(ctx, leeds, f.today.AddMonths(-6), f.today, "E08000035")
				if err != nil {
					t.Fatal(err)
				}
				facts := func(r store.SettingCoverageRow) domain.GapFacts {
					return domain.GapFacts{URN: r.URN, Places: r.Places, Outcome: r.Outcome, LostOn: lost[r.URN]}
				}
				sort.SliceStable(kept, func(i, j int) bool { return domain.GapBefore(facts(kept[i]), facts(kept[j])) })
			}
			var want []string
			for _, r := range kept {
				want = append(want, r.URN)
			}
			if got := covURNs(string(b)); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: page lists %v, store %v", what, got, want)
			}
			return string(b)
		}
		body := check("gap list", "", true, nil)
		if len(covURNs(body)) != 11 {
			t.Errorf("Leeds' gap list has %d settings, want 11 (Leeds childminders, Gamma, Epsilon)", len(covURNs(body)))
		}
		// Gamma lost its SENCO two months ago: first, whatever its name.
		if got := covURNs(body); len(got) == 0 || got[0] != "EY100010" {
			t.Errorf("the gap list does not start with the setting that lost its SENCO: %v", got)
		}
		if !strings.Contains(body, `id="gap-priority"`) || strings.Contains(body, ">Someone in training</th>") {
			t.Errorf("the gap list does not state its order, or shows a column that says No on every row")
		}
		if got := strings.Join(covRow(body, "setting-EY100010"), "|"); !strings.Contains(got, "Gamma Nursery") || !strings.Contains(got, "1 Park Row, Leeds, LS1 5AB") {
			t.Errorf("the gap list does not show Gamma's address: %s", got)
		}
		check("all eligible", "&show=all", false, nil)
		check("qualified", "&show=qualified", false, func(r store.SettingCoverageRow) bool { return r.Qualified })
		check("in training", "&show=training", false, func(r store.SettingCoverageRow) bool { return r.InTraining })
		check("childminders in the gap", "&type=childminder", true, func(r store.SettingCoverageRow) bool { return r.Type == domain.Childminder })
		check("group settings", "&show=all&type=group", false, func(r store.SettingCoverageRow) bool { return r.Type.IsGroup() })

		// Lost their qualified SENCO: Gamma two months ago is flagged
		// within 6 months; Epsilon, a year ago, only within 24.
		lostGamma := "Lost on " + f.moved.Long()
		if got := strings.Join(covRow(body, "setting-EY100010"), "|"); !strings.Contains(got, lostGamma) {
			t.Errorf("Gamma is not flagged: %s", got)
		}
		if got := strings.Join(covRow(body, "setting-EY100012"), "|"); strings.Contains(got, "Lost on") {
			t.Errorf("Epsilon is flagged within 6 months: %s", got)
		}
		if !strings.Contains(body, "lost their qualified SENCO") && !strings.Contains(body, "lost its qualified SENCO") {
			t.Error("the page does not count the settings that lost their SENCO")
		}
		_, _, b := covGet(t, c, base+"&months=24")
		if got := strings.Join(covRow(string(b), "setting-EY100012"), "|"); !strings.Contains(got, "Lost on "+f.left.Long()) {
			t.Errorf("Epsilon is not flagged within 24 months: %s", got)
		}
		_, _, b = covGet(t, c, base+"&show=lost")
		if got := covURNs(string(b)); strings.Join(got, " ") != "EY100010" {
			t.Errorf("show=lost lists %v, want Gamma only", got)
		}
		// The same flag, from the store, as the domain defines it.
		lost, err := db.SettingsLostSENCO(ctx, leeds, f.today.AddMonths(-6), f.today, "E08000035")
		if err != nil || len(lost) != 1 || !lost["EY100010"].Equal(f.moved) {
			t.Errorf("SettingsLostSENCO: %v %v", lost, err)
		}
		// Before Cara moved, Gamma was covered and Delta in the gap.
		code, _, b := covGet(t, c, f.srv.URL+"/coverage/la/E08000035?as_at="+f.today.AddDays(-90).String())
		got := covURNs(string(b))
		if code != 200 || strings.Contains(strings.Join(got, " "), "EY100010") || !strings.Contains(strings.Join(got, " "), "EY100011") {
			t.Errorf("90 days ago the gap list should hold Delta and not Gamma: %v", got)
		}
		// The authority's figures are its row of the national report, for
		// its officer and for the programme team.
		cov, err := report.BuildCoverage(ctx, db, covNational, f.today)
		if err != nil {
			t.Fatal(err)
		}
		row, _ := cov.Find("E08000035")
		for _, key := range []string{"la1", "programme"} {
			_, _, b := covGet(t, f.client(t, key), base)
			for id, k := range map[string]domain.Counts{"figures-group": row.Group, "figures-childminder": row.Childminder, "figures-all": row.All()} {
				want := []string{fmt.Sprint(k.Eligible), fmt.Sprint(k.Qualified), covPercent(k.Coverage()), fmt.Sprint(k.InTraining), covPercent(k.TrainingCoverage()), fmt.Sprint(k.Gap), fmt.Sprint(k.Designated)}
				if got := covRow(string(b), id); len(got) != 8 || strings.Join(got[1:], "|") != strings.Join(want, "|") {
					t.Errorf("%s, Leeds %s: page %v, report %v", key, id, got, want)
				}
			}
		}
		// Bad filters are form errors.
		for _, q := range []string{"&months=0", "&months=six", "&type=castle", "&show=everything"} {
			code, _, b := covGet(t, c, base+q)
			if code != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte("govuk-error-summary")) {
				t.Errorf("%s: %d, want 422 with an error summary", q, code)
			}
		}
		// The not-recorded row has its own list.
		code, _, b = covGet(t, f.client(t, "programme"), f.srv.URL+"/coverage/la/none")
		if got := covURNs(string(b)); code != 200 || strings.Join(got, " ") != "EY400001" {
			t.Errorf("/coverage/la/none: %d %v", code, got)
		}
		// The ended authority still shows the setting filed under it.
		code, _, b = covGet(t, f.client(t, "programme"), f.srv.URL+"/coverage/la/E10000006")
		if got := covURNs(string(b)); code != 200 || strings.Join(got, " ") != "EY300001" || !bytes.Contains(b, []byte("This authority ended on 31 March 2023")) {
			t.Errorf("/coverage/la/E10000006: %d %v", code, got)
		}
	})
}

func TestCoverageDownloads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := covSetup(t, db)
		ctx := context.Background()
		asAt := f.today
		d := asAt.String()
		prog := f.client(t, "programme")

		// The gap list as CSV is report.GapTable of the store's gap list,
		// with the lost-SENCO date beside each setting.
		leeds := policy.Scope{Kind: policy.LA, LACode: "E08000035"}
		code, h, got := covGet(t, f.client(t, "la1"), f.srv.URL+"/coverage/la/E08000035?as_at="+d+"&table=settings&format=csv")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("gap CSV: %d %s", code, h.Get("Content-Type"))
		}
		if cd := h.Get("Content-Disposition"); cd != `attachment; filename=gap-list-E08000035-`+d+`.csv` {
			t.Errorf("gap CSV disposition %q", cd)
		}
		rows, err := db.CoverageSettings(ctx, leeds, asAt, "E08000035", true)
		if err != nil {
			t.Fatal(err)
		}
		lost, err := db.SettingsLostSENCO(ctx, leeds, asAt.AddMonths(-6), asAt, "E08000035")
		if err != nil {
			t.Fatal(err)
		}
		want := report.GapTable(rows, asAt)
		want.Columns = append(want.Columns, report.Column{Key: "lost_senco_on", Title: "Lost its qualified SENCO in the 6 months to the as-at date, on", Kind: report.KindDate})
		for i, r := range rows {
			want.Rows[i] = append(want.Rows[i], lost[r.URN])
		}
		var buf bytes.Buffer
		if err := report.WriteCSV(&buf, want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, buf.Bytes()) {
			t.Errorf("gap CSV differs from report.WriteCSV:\n%s\nwant\n%s", got, buf.Bytes())
		}
		if !bytes.Contains(got, []byte(","+f.moved.String())) {
			t.Error("the gap CSV does not carry Gamma's lost-SENCO date")
		}

		// The national table by authority.
		cov, err := report.BuildCoverage(ctx, db, covNational, asAt)
		if err != nil {
			t.Fatal(err)
		}
		for _, by := range []string{"la", "region"} {
			code, h, got := covGet(t, prog, f.srv.URL+"/coverage?as_at="+d+"&table="+by+"&format=csv")
			tbl, err := cov.Table(by)
			if err != nil {
				t.Fatal(err)
			}
			buf.Reset()
			if err := report.WriteCSV(&buf, tbl); err != nil {
				t.Fatal(err)
			}
			if code != 200 || !bytes.Equal(got, buf.Bytes()) {
				t.Errorf("coverage by %s CSV: %d, differs from report.WriteCSV:\n%s\nwant\n%s", by, code, got, buf.Bytes())
			}
			if cd := h.Get("Content-Disposition"); !strings.Contains(cd, d) {
				t.Errorf("coverage by %s: disposition %q lacks the date", by, cd)
			}
		}

		equity, err := report.BuildEquity(ctx, db, covNational, asAt, 0)
		if err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		if err := report.WriteCSV(&buf, report.EquityTable(equity, asAt)); err != nil {
			t.Fatal(err)
		}
		if code, _, got := covGet(t, prog, f.srv.URL+"/coverage?as_at="+d+"&table=equity&format=csv"); code != 200 || !bytes.Equal(got, buf.Bytes()) {
			t.Errorf("equity CSV: %d, differs from report.WriteCSV:\n%s\nwant\n%s", code, got, buf.Bytes())
		}

		// The XLSX is a real workbook: typed cells, a frozen header and the
		// definitions.
		code, h, got = covGet(t, prog, f.srv.URL+"/coverage?as_at="+d+"&table=la&format=xlsx")
		if code != 200 || h.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("XLSX: %d %s", code, h.Get("Content-Type"))
		}
		if cd := h.Get("Content-Disposition"); cd != `attachment; filename=coverage-by-la-`+d+`.xlsx` {
			t.Errorf("XLSX disposition %q", cd)
		}
		x, err := excelize.OpenReader(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("the XLSX does not open: %v", err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) != 2 || sheets[1] != report.DefinitionsSheet {
			t.Fatalf("sheets %v", sheets)
		}
		panes, err := x.GetPanes(sheets[0])
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("the header row is not frozen: %+v %v", panes, err)
		}
		xrows, err := x.GetRows(sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(xrows) != len(cov.LAs)+2 {
			t.Errorf("the sheet has %d rows, want %d authorities, England and the header", len(xrows), len(cov.LAs)+2)
		}
		leedsRow := 0
		for i, r := range xrows {
			if len(r) > 0 && r[0] == "E08000035" {
				leedsRow = i + 1
			}
		}
		if leedsRow == 0 {
			t.Fatal("no Leeds row in the sheet")
		}
		for col, kind := range map[int]string{1: "text", 2: "text", 13: "int", 14: "int", 16: "percent"} {
			cell, _ := excelize.CoordinatesToCellName(col, leedsRow)
			typ, err := x.GetCellType(sheets[0], cell)
			if err != nil {
				t.Fatal(err)
			}
			isText := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
			if (kind == "text") != isText {
				t.Errorf("cell %s (%s) has type %v", cell, kind, typ)
			}
			if kind == "percent" {
				v, _ := x.GetCellValue(sheets[0], cell, excelize.Options{RawCellValue: true})
				if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 1 {
					t.Errorf("coverage cell %s holds %q, not a fraction", cell, v)
				}
			}
		}
		defs, err := x.GetRows(report.DefinitionsSheet)
		if err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprint(defs)
		for _, want := range []string{"Qualified SENCO", "Eligible setting", "As at"} {
			if !strings.Contains(text, want) {
				t.Errorf("the Definitions sheet lacks %q", want)
			}
		}

		// The gap list as XLSX opens too.
		code, _, got = covGet(t, prog, f.srv.URL+"/coverage/la/E08000035?table=settings&format=xlsx")
		if _, err := excelize.OpenReader(bytes.NewReader(got)); code != 200 || err != nil {
			t.Errorf("gap XLSX: %d %v", code, err)
		}
		// Unknown formats and tables are not found.
		for _, q := range []string{"?table=la&format=pdf", "?table=nothing&format=csv"} {
			if code, _, _ := covGet(t, prog, f.srv.URL+"/coverage"+q); code != 404 {
				t.Errorf("/coverage%s: %d, want 404", q, code)
			}
		}
	})
}

func TestCoverageInvalidAsAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := covSetup(t, db)
		prog := f.client(t, "programme")
		la := f.client(t, "la1")
		for _, c := range []struct {
			client *http.Client
			path   string
			msg    string
		}{
			{prog, "/coverage?as_at=2026-02-30", "The date must be a real date"},
			{prog, "/coverage?as_at=yesterday", "The date must be a real date"},
			{prog, "/coverage?as_at-day=&as_at-month=&as_at-year=", "Enter the date"},
			{prog, "/coverage?as_at-day=3&as_at-month=&as_at-year=2026", "The date must include a month"},
			{prog, "/coverage?as_at=2026-02-30&table=la&format=csv", "The date must be a real date"},
			{la, "/coverage/la/E08000035?as_at=2026-13-01", "The date must be a real date"},
			{prog, fmt.Sprintf("/coverage/programmes/%d?as_at=2026-02-30", f.prog.ID), "The date must be a real date"},
			{prog, fmt.Sprintf("/coverage/programmes/%d?as_at=%s", f.prog.ID, f.today.AddDays(-1)), "Programme progress is counted as it stands today"},
		} {
			code, _, b := covGet(t, c.client, f.srv.URL+c.path)
			body := string(b)
			if code != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", c.path, code)
			}
			if !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `href="#as_at-day"`) || !strings.Contains(body, c.msg) {
				t.Errorf("%s: no error summary linking to the date saying %q", c.path, c.msg)
			}
			if !strings.Contains(body, "<title>Error: ") {
				t.Errorf("%s: the title does not start with Error", c.path)
			}
		}
		// The date input's fields are accepted.
		code, _, b := covGet(t, prog, f.srv.URL+"/coverage?as_at-day=31&as_at-month=3&as_at-year=2024")
		if code != 200 || !bytes.Contains(b, []byte("Figures as at 31 March 2024")) {
			t.Errorf("date input: %d", code)
		}
	})
}

func TestCoverageProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := covSetup(t, db)
		ctx := context.Background()
		path := fmt.Sprintf("%s/coverage/programmes/%d", f.srv.URL, f.prog.ID)
		code, _, b := covGet(t, f.client(t, "programme"), path)
		body := string(b)
		if code != 200 {
			t.Fatalf("progress: %d\n%s", code, body)
		}
		for _, want := range []string{
			"1 practitioner has been certified: 1.0% of the target of 100 completions.",
			"Based on the completion rate observed so far: 50.0% (1 completed of 2 who finished).",
			`<title id="forecast-chart-title">`, `<title id="target-chart-title">`,
			"Supplier One", "Supplier Two", "Workload",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("progress page lacks %q", want)
			}
		}
		// The figures are report.BuildProgress's.
		rep, err := report.BuildProgress(ctx, db, covNational, f.prog.ID, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Applications != 3 || rep.Withdrawn != 1 || rep.Certified != 1 || rep.InTraining != 1 {
			t.Errorf("fixture progress %+v", rep.Progress)
		}
		code, _, got := covGet(t, f.client(t, "programme"), path+"?table=progress&format=csv")
		var buf bytes.Buffer
		if err := report.WriteCSV(&buf, rep.Table()); err != nil {
			t.Fatal(err)
		}
		if code != 200 || !bytes.Equal(got, buf.Bytes()) {
			t.Errorf("progress CSV: %d\n%s\nwant\n%s", code, got, buf.Bytes())
		}
		// A supplier sees its own row only.
		for key, other := range map[string]string{"sup1": "Supplier Two", "sup2": "Supplier One"} {
			code, _, b := covGet(t, f.client(t, key), path)
			if code != 200 || bytes.Contains(b, []byte(other)) || !bytes.Contains(b, []byte("Your cohorts")) {
				t.Errorf("%s: %d, sees %s or lacks its own cohorts", key, code, other)
			}
		}
		_, _, b = covGet(t, f.client(t, "sup1"), path)
		if !bytes.Contains(b, []byte("Supplier One")) {
			t.Error("sup1 does not see its own row")
		}
	})
}

// TestCoverageCacheFollowsChanges checks the dashboards kept between
// changes are never stale: a page seen twice is the same page, and a new
// SENCO recorded by anyone, in any process, shows on the next view.
func TestCoverageCacheFollowsChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := covSetup(t, db)
		ctx := context.Background()
		c := f.client(t, "la1")
		u := f.srv.URL + "/coverage/la/E08000035?as_at=" + f.today.String()
		_, _, first := covGet(t, c, u)
		_, _, again := covGet(t, c, u)
		if !bytes.Equal(first, again) {
			t.Fatal("the same page, asked twice with nothing changed, differs")
		}
		if !slices.Contains(covURNs(string(first)), "EY100010") {
			t.Fatalf("Gamma Nursery is not on Leeds' gap list to begin with: %v", covURNs(string(first)))
		}
		// Gamma Nursery gets a qualified SENCO.
		op := domain.OperatorActor("test")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Nia", FamilyName: "Newsenco", QualificationLevel: 3, OwnerOrgID: f.users["sm1"].Org.ID})
			if err != nil {
				return err
			}
			if err := tx.RecogniseQualification(ctx, op, p.ID, "Level 3 SENCO award", 3, f.today.AddDays(-400)); err != nil {
				return err
			}
			_, err = tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: "EY100010", Role: domain.RoleSENCO, StartedOn: f.today.AddDays(-1)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		_, _, after := covGet(t, c, u)
		if slices.Contains(covURNs(string(after)), "EY100010") {
			t.Errorf("Gamma Nursery is still on the gap list after its new SENCO started")
		}
		if len(covURNs(string(after))) != len(covURNs(string(first)))-1 {
			t.Errorf("gap list went from %d to %d settings, want one fewer", len(covURNs(string(first))), len(covURNs(string(after))))
		}
		// An officer of another authority asking for the same address is
		// refused, not served the kept page.
		if code, _, _ := covGet(t, f.client(t, "la2"), u); code != 404 {
			t.Errorf("Barking's officer asking for Leeds' kept page: status %d, want 404", code)
		}
	})
}
