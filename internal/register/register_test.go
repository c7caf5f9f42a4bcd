package register

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

const (
	leeds     = "E08000035"
	hackney   = "E09000012"
	rosewood  = "319354"   // Leeds
	daisy     = "EY101465" // Leeds
	trinity   = "EY484249" // Hackney
	noLA      = "EY243486" // Not Recorded
	smallFile = "testdata/ofsted_2021-08-31_small.csv"
)

var operator = domain.OperatorActor("test")

// counts is what a refused import must leave as it was.
type counts struct{ settings, practitioners, employments, audit, las int }

func countAll(t *testing.T, db *store.DB) counts {
	t.Helper()
	ctx := context.Background()
	all := policy.Scope{Kind: policy.National}
	sp, err := db.SearchSettings(ctx, all, store.SettingFilter{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	pp, err := db.SearchPractitioners(ctx, all, store.PeopleFilter{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := db.Employments(ctx, all, store.PeopleFilter{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := db.ListAudit(ctx, store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	las, err := db.AllLocalAuthorities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return counts{sp.Total, pp.Total, ep.Total, len(audit), len(las)}
}

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// setup imports the shipped local authorities and the small register, and
// makes the organisations and users the tests act as.
func setup(t *testing.T, db *store.DB) (programme, leedsOfficer, manager domain.User) {
	t.Helper()
	ctx := context.Background()
	las, err := importer.ShippedLocalAuthorities()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UpsertLocalAuthorities(ctx, db, operator, las); err != nil {
		t.Fatal(err)
	}
	sum, warnings, err := ImportSettings(ctx, db, operator, smallFile, open(t, smallFile), domain.NewDate(2021, 8, 31), false)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 5 || sum.Rows != 5 {
		t.Errorf("register import: %+v, want 5 rows added", sum)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], noLA) {
		t.Errorf("register import warnings %q, want one naming %s", warnings, noLA)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for _, x := range []struct {
			u   *domain.User
			o   domain.Organisation
			r   domain.Role
			ema string
		}{
			{&programme, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme"}, domain.RoleProgrammeTeam, "p@example.org"},
			{&leedsOfficer, domain.Organisation{Kind: domain.OrgLA, Name: "Leeds City Council", LACode: leeds}, domain.RoleLAOfficer, "la@example.org"},
			{&manager, domain.Organisation{Kind: domain.OrgSetting, Name: "Rosewood Nursery", SettingURN: rosewood}, domain.RoleSettingManager, "m@example.org"},
		} {
			o, err := tx.CreateOrganisation(ctx, operator, x.o)
			if err != nil {
				return err
			}
			*x.u = domain.User{Email: x.ema, Name: x.ema, Role: x.r, Org: o}
			if *x.u, err = tx.CreateUser(ctx, operator, *x.u, "x"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return programme, leedsOfficer, manager
}

const goodPractitioners = `given_name,family_name,email,date_of_birth,qualification_level,qts,eyts,qtls,setting_urn,role,started_on,ended_on
Ada,Example,ada.example@example.com,1985-03-14,6,N,Y,N,319354,SENCO,2019-09-02,
Ada,Example,ada.example@example.com,1985-03-14,6,N,Y,N,EY101465,Practitioner,2015-01-05,2019-08-30
Ben,Sample,,1992-11-30,3,N,N,N,319354,Practitioner,2021-01-04,
Cara,Test,cara.test@example.org,,2,,,,EY484249,Deputy SENCO,2020-03-01,
`

func TestImportPractitioners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		programme, _, _ := setup(t, db)
		actor := domain.ActorOf(programme)

		sum, err := ImportPractitioners(ctx, db, actor, programme, "staff.csv", strings.NewReader(goodPractitioners))
		if err != nil {
			t.Fatal(err)
		}
		want := PractitionerSummary{Rows: 4, PractitionersAdded: 3, EmploymentsAdded: 4}
		if !summaryEqual(sum, want) {
			t.Errorf("first import: %+v, want %+v", sum, want)
		}
		c := countAll(t, db)
		if c.practitioners != 3 || c.employments != 4 {
			t.Errorf("after import: %+v, want 3 practitioners and 4 employments", c)
		}

		// The same file again changes nothing.
		sum, err = ImportPractitioners(ctx, db, actor, programme, "staff.csv", strings.NewReader(goodPractitioners))
		if err != nil {
			t.Fatal(err)
		}
		want = PractitionerSummary{Rows: 4, PractitionersKnown: 3, EmploymentsUnchanged: 4}
		if !summaryEqual(sum, want) || len(sum.Warnings) != 0 {
			t.Errorf("re-import: %+v, want %+v", sum, want)
		}
		if after := countAll(t, db); after != c {
			t.Errorf("re-import changed the database: %+v, was %+v", after, c)
		}

		// A file that ends an employment ends it, and a changed level is a
		// warning, not a change.
		ended := strings.Replace(goodPractitioners, "3,N,N,N,319354,Practitioner,2021-01-04,", "4,N,N,N,319354,Practitioner,2021-01-04,2026-07-31", 1)
		sum, err = ImportPractitioners(ctx, db, actor, programme, "staff.csv", strings.NewReader(ended))
		if err != nil {
			t.Fatal(err)
		}
		want = PractitionerSummary{Rows: 4, PractitionersKnown: 3, EmploymentsUnchanged: 3, EmploymentsEnded: 1}
		if !summaryEqual(sum, want) || len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "qualification level 3") {
			t.Errorf("import ending an employment: %+v, want %+v and a warning about the level", sum, want)
		}
		ep, err := db.Employments(ctx, policy.Scope{Kind: policy.National}, store.PeopleFilter{SettingURN: rosewood, CurrentOn: domain.NewDate(2026, 8, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if ep.Total != 1 || ep.Employments[0].Role != domain.RoleSENCO {
			t.Errorf("current employments at Rosewood after Ben left: %+v, want Ada as SENCO only", ep.Employments)
		}

		// Reopening an ended employment is refused, and nothing changes.
		before := countAll(t, db)
		_, err = ImportPractitioners(ctx, db, actor, programme, "staff.csv", strings.NewReader(goodPractitioners))
		probs := problemsOf(t, err)
		if len(probs.List) != 1 || probs.List[0].Row != 4 || probs.List[0].Column != "ended_on" {
			t.Errorf("reopening: %v, want one problem on row 4, ended_on", err)
		}
		if after := countAll(t, db); after != before {
			t.Errorf("refused import changed the database: %+v, was %+v", after, before)
		}
	})
}

func TestImportPractitionersRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		programme, leedsOfficer, manager := setup(t, db)
		before := countAll(t, db)

		// An unknown URN is named with its row; the good rows are not written.
		unknown := goodPractitioners + "Dee,New,dee@example.org,1990-01-01,3,N,N,N,EY999999,Practitioner,2022-01-01,\n"
		_, err := ImportPractitioners(ctx, db, domain.ActorOf(programme), programme, "staff.csv", strings.NewReader(unknown))
		probs := problemsOf(t, err)
		if probs.Total != 1 || probs.List[0].Row != 6 || probs.List[0].Value != "EY999999" || probs.List[0].File != "staff.csv" {
			t.Errorf("unknown URN: %v, want one problem on row 6 naming EY999999", err)
		}
		if after := countAll(t, db); after != before {
			t.Errorf("refused import changed the database: %+v, was %+v", after, before)
		}

		// A Leeds officer may not record staff in Hackney (row 5) or at a
		// setting with no recorded authority (row 6).
		outside := goodPractitioners + "Eve,Else,eve@example.org,1990-01-01,3,N,N,N,EY243486,Practitioner,2022-01-01,\n"
		_, err = ImportPractitioners(ctx, db, domain.ActorOf(leedsOfficer), leedsOfficer, "staff.csv", strings.NewReader(outside))
		probs = problemsOf(t, err)
		if probs.Total != 2 || probs.List[0].Row != 5 || !strings.Contains(probs.List[0].Expected, "another local authority") ||
			probs.List[1].Row != 6 || !strings.Contains(probs.List[1].Expected, "not recorded in any local authority") {
			t.Errorf("LA officer outside their authority: %v, want rows 5 and 6 refused", err)
		}
		if after := countAll(t, db); after != before {
			t.Errorf("refused import changed the database: %+v, was %+v", after, before)
		}

		// Inside their authority it works, recorded for the LA's organisation.
		inLeeds := strings.Join(strings.Split(goodPractitioners, "\n")[:4], "\n") + "\n"
		sum, err := ImportPractitioners(ctx, db, domain.ActorOf(leedsOfficer), leedsOfficer, "staff.csv", strings.NewReader(inLeeds))
		if err != nil {
			t.Fatal(err)
		}
		if sum.PractitionersAdded != 2 || sum.EmploymentsAdded != 3 {
			t.Errorf("LA officer in their authority: %+v", sum)
		}
		page, err := db.SearchPractitioners(ctx, policy.People(leedsOfficer), store.PeopleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 || page.Practitioners[0].OwnerOrgID != leedsOfficer.Org.ID {
			t.Errorf("LA officer sees %+v, want the 2 they recorded", page.Practitioners)
		}

		// A setting manager may not import at all.
		_, err = ImportPractitioners(ctx, db, domain.ActorOf(manager), manager, "staff.csv", strings.NewReader(goodPractitioners))
		if !errors.Is(err, ErrNotAllowed) {
			t.Errorf("setting manager import: %v, want ErrNotAllowed", err)
		}

		// A file the importer refuses changes nothing either.
		before = countAll(t, db)
		_, err = ImportPractitioners(ctx, db, domain.ActorOf(programme), programme, "staff.csv", strings.NewReader("given_name,family_name\nA,B\n"))
		problemsOf(t, err)
		if after := countAll(t, db); after != before {
			t.Errorf("refused file changed the database: %+v, was %+v", after, before)
		}
	})
}

func TestImportSettingsAndLAs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, _, err := ImportSettings(ctx, db, operator, smallFile, open(t, smallFile), domain.NewDate(2021, 8, 31), false)
		if !errors.Is(err, ErrNoLocalAuthorities) {
			t.Errorf("register before authorities: %v, want ErrNoLocalAuthorities", err)
		}

		lasFile := "../importer/data/local_authorities.csv"
		sum, err := ImportLocalAuthorities(ctx, db, operator, lasFile, open(t, lasFile))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Added < 150 || sum.Updated+sum.Unchanged != 0 {
			t.Errorf("first LA import: %+v", sum)
		}
		again, err := ImportLocalAuthorities(ctx, db, operator, lasFile, open(t, lasFile))
		if err != nil {
			t.Fatal(err)
		}
		if again.Unchanged != sum.Added || again.Added+again.Updated != 0 {
			t.Errorf("LA re-import: %+v, want all %d unchanged", again, sum.Added)
		}

		rs, _, err := ImportSettings(ctx, db, operator, smallFile, open(t, smallFile), domain.NewDate(2021, 8, 31), false)
		if err != nil || rs.Added != 5 {
			t.Fatalf("register import: %+v, %v", rs, err)
		}
		rs, warnings, err := ImportSettings(ctx, db, operator, smallFile, open(t, smallFile), domain.NewDate(2021, 8, 31), false)
		if err != nil || rs.Unchanged != 5 || rs.Added+rs.Updated+rs.Closed != 0 || len(warnings) != 1 {
			t.Errorf("register re-import: %+v, %q, %v; want all unchanged and the Not Recorded warning", rs, warnings, err)
		}

		// A broken register file is refused whole.
		before := countAll(t, db)
		data, err := os.ReadFile(smallFile)
		if err != nil {
			t.Fatal(err)
		}
		broken := strings.Replace(string(data), "04/01/1989", "31/02/1989", 1) + "Web link,EY999998,01/01/2020,Childminder,,Active,ALL,Y,Y,Y,,REDACTED,REDACTED,REDACTED,REDACTED,REDACTED,REDACTED,Leeds Central,Leeds,x,x,x,6,6,,,,,,,,,,,,,,,,,,,,,,\n"
		_, _, err = ImportSettings(ctx, db, operator, "broken_2021-08-31.csv", strings.NewReader(broken), domain.NewDate(2021, 8, 31), false)
		probs := problemsOf(t, err)
		if probs.List[0].Row != 2 || probs.List[0].Column != "Registration date" {
			t.Errorf("broken register: %v, want the bad date on row 2", err)
		}
		if after := countAll(t, db); after != before {
			t.Errorf("refused register changed the database: %+v, was %+v", after, before)
		}

		// A release missing most of the register needs confirming.
		lines := strings.SplitAfter(string(data), "\n")
		partial := lines[0] + lines[1]
		rs, _, err = ImportSettings(ctx, db, operator, "partial.csv", strings.NewReader(partial), domain.NewDate(2021, 9, 30), false)
		if !errors.Is(err, store.ErrTooManyClosures) || rs.Closed != 4 {
			t.Errorf("partial release: %+v, %v; want ErrTooManyClosures with 4 to close", rs, err)
		}
		if after := countAll(t, db); after != before {
			t.Errorf("refused release changed the database: %+v, was %+v", after, before)
		}
		rs, _, err = ImportSettings(ctx, db, operator, "partial.csv", strings.NewReader(partial), domain.NewDate(2021, 9, 30), true)
		if err != nil || rs.Closed != 4 {
			t.Errorf("confirmed partial release: %+v, %v", rs, err)
		}
	})
}

func TestReleaseDateFromName(t *testing.T) {
	for name, want := range map[string]string{
		"ofsted_childcare_providers_2021-08-31.csv":         "2021-08-31",
		"/tmp/x/Childcare_providers_2025-03-31_full.csv.gz": "2025-03-31",
		"providers.csv":                  "",
		"providers_2021-02-31.csv":       "",
		"providers_20210831.csv":         "",
		"2024-12-31 childcare.csv":       "2024-12-31",
		"/data/2024-12-31/providers.csv": "",
	} {
		d, ok := ReleaseDateFromName(name)
		if d.String() != want || ok != (want != "") {
			t.Errorf("ReleaseDateFromName(%q) = %s, %v; want %q", name, d, ok, want)
		}
	}
}

func summaryEqual(a, b PractitionerSummary) bool {
	a.Warnings, b.Warnings = nil, nil
	return a.Rows == b.Rows && a.PractitionersAdded == b.PractitionersAdded && a.PractitionersKnown == b.PractitionersKnown &&
		a.EmploymentsAdded == b.EmploymentsAdded && a.EmploymentsEnded == b.EmploymentsEnded && a.EmploymentsUnchanged == b.EmploymentsUnchanged
}

func problemsOf(t *testing.T, err error) *importer.Problems {
	t.Helper()
	var p *importer.Problems
	if !errors.As(err, &p) {
		t.Fatalf("got %v, want *importer.Problems", err)
	}
	return p
}
