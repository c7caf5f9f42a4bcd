package demo

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

func hasher() *auth.Hasher { return auth.NewHasher(auth.FastParams, 4) }

func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		res, err := Seed(ctx, db, hasher(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.AlreadySeeded {
			t.Error("a fresh database reported as already seeded")
		}
		c := res.Counts
		shipped, _ := importer.ShippedLocalAuthorities()
		for _, tc := range []struct {
			what      string
			got, want int
		}{
			{"local authorities", c.LocalAuthorities, len(shipped)},
			{"settings", c.Settings, 3105},
			{"settings with no recorded authority", c.NotRecorded, 36},
			{"organisations", c.Organisations, 4 + len(demoLAs) + 60},
			{"setting organisations", c.SettingOrgs, 60},
			{"demo users", c.Users, len(accounts)},
			{"users in result", len(res.Users), len(accounts)},
		} {
			if tc.got != tc.want {
				t.Errorf("%s: got %d, want %d", tc.what, tc.got, tc.want)
			}
		}
		// 40 group settings of 6–12 current staff plus leavers, 20 childminders.
		if c.Practitioners < 40*7+20 || c.Practitioners > 40*15+20 {
			t.Errorf("practitioners: got %d, want about 300–600", c.Practitioners)
		}
		if c.Employments <= c.Practitioners || c.CurrentEmployments >= c.Employments {
			t.Errorf("employments: %d, current %d, practitioners %d: want some people with several and some ended", c.Employments, c.CurrentEmployments, c.Practitioners)
		}
		if c.DesignatedSENCOs < 25 || c.DesignatedSENCOs > 40 {
			t.Errorf("designated SENCOs: got %d, want most of the 40 group settings", c.DesignatedSENCOs)
		}
		if c.PractitionersMoved < 5 {
			t.Errorf("practitioners who moved setting: got %d, want some", c.PractitionersMoved)
		}
		checkSettings(t, db)
		checkUsers(t, db, res.Users)
	})
}

// checkSettings checks each demo setting's staff: a group setting has 6–12
// (plus any who joined from elsewhere) current staff and at most one
// designated SENCO; a childminder is one person.
func checkSettings(t *testing.T, db *store.DB) {
	ctx := context.Background()
	orgs, err := db.Organisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := policy.Scope{Kind: policy.National}
	today := domain.Today()
	var cumbria int
	withoutSENCO := 0
	for _, o := range orgs {
		if o.Kind != domain.OrgSetting {
			continue
		}
		s, err := db.Setting(ctx, all, o.SettingURN)
		if err != nil {
			t.Fatal(err)
		}
		if !domain.EligibleSetting(s.Setting, today) {
			t.Errorf("setting %s of a demo organisation is not eligible", s.URN)
		}
		if s.LACode == Cumbria {
			cumbria++
			if s.LAEndedOn.IsZero() {
				t.Errorf("Cumbria has no end date")
			}
		}
		ep, err := db.Employments(ctx, all, store.PeopleFilter{SettingURN: s.URN, CurrentOn: today, PageSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		roles := map[domain.EmploymentRole]int{}
		for _, e := range ep.Employments {
			roles[e.Role]++
		}
		if s.Type == domain.Childminder {
			if ep.Total != 1 || roles[domain.RoleChildminder] != 1 {
				t.Errorf("childminder %s: %d current employments %v, want the childminder alone", s.URN, ep.Total, roles)
			}
			continue
		}
		if ep.Total < 6 || ep.Total > 20 {
			t.Errorf("group setting %s: %d current employments, want 6–12 and a few who joined", s.URN, ep.Total)
		}
		if roles[domain.RoleManager] != 1 || roles[domain.RoleSENCO] > 1 {
			t.Errorf("group setting %s: roles %v, want one manager and at most one SENCO", s.URN, roles)
		}
		if roles[domain.RoleSENCO] == 0 {
			withoutSENCO++
		}
	}
	if cumbria == 0 {
		t.Error("no demo setting in Cumbria, the authority that has since ended")
	}
	if withoutSENCO == 0 {
		t.Error("every group setting has a SENCO; the demo should show some without")
	}
}

func checkUsers(t *testing.T, db *store.DB, users []User) {
	ctx := context.Background()
	h := hasher()
	byRole := map[domain.Role][]domain.User{}
	for _, du := range users {
		u, hash, err := db.UserByEmail(ctx, du.Email)
		if err != nil {
			t.Fatalf("demo user %s: %v", du.Email, err)
		}
		if ok, err := h.Verify(ctx, hash, du.Password); err != nil || !ok {
			t.Errorf("demo user %s: password %q does not verify (%v)", du.Email, du.Password, err)
		}
		if u.Role.OrgKind() != u.Org.Kind {
			t.Errorf("demo user %s: role %s in a %s organisation", u.Email, u.Role, u.Org.Kind)
		}
		if !strings.HasSuffix(u.Email, "@demo.senco.example") || du.Organisation != u.Org.Name || du.RoleLabel == "" {
			t.Errorf("demo user %+v does not match the database %+v", du, u)
		}
		byRole[u.Role] = append(byRole[u.Role], u)
	}
	for _, r := range domain.Roles {
		if len(byRole[r]) == 0 {
			t.Errorf("no demo user for role %s", r)
		}
	}
	all := policy.Scope{Kind: policy.National}

	// The practitioner is linked to a record employed at the Leeds
	// nursery whose manager is a demo user.
	learner := byRole[domain.RoleLearner][0]
	manager := byRole[domain.RoleSettingManager][0]
	if learner.PractitionerID == 0 || learner.Org.SettingURN != manager.Org.SettingURN {
		t.Errorf("practitioner user %+v is not linked at the manager's setting %s", learner, manager.Org.SettingURN)
	}
	ep, err := db.Employments(ctx, policy.People(learner), store.PeopleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(ep.Employments, func(e store.EmploymentRecord) bool {
		return e.SettingURN == manager.Org.SettingURN && e.EndedOn.IsZero()
	}) {
		t.Errorf("practitioner user sees employments %+v, want a current one at %s", ep.Employments, manager.Org.SettingURN)
	}
	nursery, err := db.Setting(ctx, all, manager.Org.SettingURN)
	if err != nil || nursery.LACode != Leeds || !nursery.Type.IsGroup() {
		t.Errorf("setting manager's setting %+v (%v): want a Leeds group setting", nursery, err)
	}

	// LA officers see practitioners employed (now or before) at settings in
	// their authority, and no others.
	everyone, err := db.SearchPractitioners(ctx, all, store.PeopleFilter{PageSize: 10000})
	if err != nil {
		t.Fatal(err)
	}
	laOf := map[string]string{}
	settingLA := func(urn string) string {
		if la, ok := laOf[urn]; ok {
			return la
		}
		s, err := db.Setting(ctx, all, urn)
		if err != nil {
			t.Fatal(err)
		}
		laOf[urn] = s.LACode
		return s.LACode
	}
	worksIn := map[int64]map[string]bool{} // practitioner → LA codes
	for _, p := range everyone.Practitioners {
		ep, err := db.Employments(ctx, all, store.PeopleFilter{PractitionerID: p.ID, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		worksIn[p.ID] = map[string]bool{}
		for _, e := range ep.Employments {
			worksIn[p.ID][settingLA(e.SettingURN)] = true
		}
	}
	seenLAs := map[string]bool{}
	for _, u := range byRole[domain.RoleLAOfficer] {
		seenLAs[u.Org.LACode] = true
		page, err := db.SearchPractitioners(ctx, policy.People(u), store.PeopleFilter{PageSize: 10000})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, w := range worksIn {
			if w[u.Org.LACode] {
				want++
			}
		}
		if page.Total != want || want == 0 || want == everyone.Total {
			t.Errorf("LA officer of %s sees %d practitioners, want the %d (of %d) who work or worked there", u.Org.LACode, page.Total, want, everyone.Total)
		}
		for _, p := range page.Practitioners {
			if !worksIn[p.ID][u.Org.LACode] {
				t.Errorf("LA officer of %s sees %s, who never worked there", u.Org.LACode, p.FullName())
			}
		}
	}
	if !seenLAs[Leeds] || !seenLAs[Hackney] {
		t.Errorf("LA officer demo users cover %v, want Leeds and Hackney", seenLAs)
	}

	// A setting manager sees only people who work or worked at the setting.
	for _, m := range byRole[domain.RoleSettingManager] {
		page, err := db.SearchPractitioners(ctx, policy.People(m), store.PeopleFilter{PageSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total < 6 || page.Total > 30 {
			t.Errorf("setting manager at %s sees %d practitioners", m.Org.SettingURN, page.Total)
		}
	}
}

func TestSeedTwiceIsSafe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		first, err := Seed(ctx, db, hasher(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		again, err := Seed(ctx, db, hasher(), Options{Seed: 99})
		if err != nil {
			t.Fatalf("seeding a demo database again: %v", err)
		}
		if !again.AlreadySeeded {
			t.Error("second seed did not report the database as already seeded")
		}
		first.Counts.SettingsImportAdded = 0
		if again.Counts != first.Counts {
			t.Errorf("second seed changed the counts:\n%+v\n%+v", first.Counts, again.Counts)
		}
		if !slices.Equal(again.Users, first.Users) {
			t.Errorf("second seed returned other users:\n%+v\n%+v", first.Users, again.Users)
		}
	})
}

func TestSeedRefusesOtherData(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.CreateOrganisation(ctx, domain.OperatorActor("test"), domain.Organisation{Kind: domain.OrgProgramme, Name: "Real team"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Seed(ctx, db, hasher(), Options{})
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("seeding a database with other records: got %v, want ErrNotEmpty", err)
	}
	orgs, _ := db.Organisations(ctx)
	if len(orgs) != 1 {
		t.Errorf("refused seed left %d organisations, want the 1 there was", len(orgs))
	}
}

// TestPlanDeterministic checks that the same seed makes the same demo and
// another seed another, and that generated people look like people.
func TestPlanDeterministic(t *testing.T) {
	las, err := importer.ShippedLocalAuthorities()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := importer.ParseOfsted(ExtractFile, strings.NewReader(string(extract)), importer.NewLAIndex(las), ReleaseDate)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.NotRecorded) != 36 {
		t.Errorf("Not Recorded rows: got %d, want 36", len(rel.NotRecorded))
	}
	summary := func(seed uint64) []string {
		p, err := makePlan(seed, rel.Settings)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, pr := range p.people {
			if errs := pr.p.Validate(); len(errs) > 0 {
				t.Errorf("generated practitioner %+v: %v", pr.p, errs)
			}
			if y := pr.p.DateOfBirth.Time().Year(); y < 1965 || y > 2002 {
				t.Errorf("%s born %s, want 1965–2002", pr.p.FullName(), pr.p.DateOfBirth)
			}
			if e := pr.p.Email; e != "" && !strings.HasSuffix(e, "@example.org") && !strings.HasSuffix(e, "@example.com") {
				t.Errorf("email %s is not at example.org or example.com", e)
			}
			for _, j := range pr.jobs {
				e := domain.Employment{SettingURN: p.settings[j.setting].s.URN, Role: j.role, StartedOn: j.start, EndedOn: j.end}
				if err := e.Validate(); err != nil {
					t.Errorf("%s: %v", pr.p.FullName(), err)
				}
				if j.start.Before(p.settings[j.setting].s.RegisteredOn) {
					t.Errorf("%s starts at %s on %s, before it was registered", pr.p.FullName(), e.SettingURN, j.start)
				}
				out = append(out, pr.p.FullName()+" "+pr.p.DateOfBirth.String()+" "+e.SettingURN+" "+string(j.role)+" "+j.start.String()+" "+j.end.String())
			}
		}
		return out
	}
	a, b, c := summary(DefaultSeed), summary(DefaultSeed), summary(7)
	if !slices.Equal(a, b) {
		t.Error("the same seed made two different demos")
	}
	if slices.Equal(a, c) {
		t.Error("two seeds made the same demo")
	}
}
