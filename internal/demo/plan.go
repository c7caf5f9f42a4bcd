package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"senco/internal/domain"
	"senco/internal/store"
)

// The window the generated employment histories fall in. Fixed dates keep
// the demo the same whenever it is made; open employments stay current.
var (
	earliestStart = domain.NewDate(2008, time.January, 1)
	latestStart   = domain.NewDate(2026, time.June, 30)
	latestEnd     = domain.NewDate(2026, time.July, 31)
)

// chosen is a setting that gets an organisation and staff.
type chosen struct {
	s       domain.Setting
	la      int // index into demoLAs
	group   bool
	orgName string
}

type job struct {
	setting    int // index into plan.settings
	role       domain.EmploymentRole
	start, end domain.Date
}

type person struct {
	p     domain.Practitioner
	owner int // the setting whose organisation recorded them
	jobs  []job
}

// plan is the whole generated demo, made before anything is written so that
// it depends on the seed and the register alone.
type plan struct {
	rng      *rand.Rand
	settings []chosen
	people   []*person
	emails   map[string]bool
	// The settings and people the demo sign-ins belong to.
	nursery, nursery2 int
	manager, manager2 *person
	learner           *person
	generatedNames    []string // for the sign-ins that are not practitioners
}

// makePlan picks the settings and generates their staff.
func makePlan(seed uint64, register []domain.Setting) (*plan, error) {
	p := &plan{rng: rand.New(rand.NewPCG(seed, 0x5e4c0)), emails: map[string]bool{}}
	names := map[string]bool{}
	for li, la := range demoLAs {
		var groups, cms []domain.Setting
		for _, s := range register {
			if s.LACode != la.Code || s.Status != domain.Active || !s.EYR {
				continue
			}
			switch {
			// Nurseries and pre-schools of some size: where a SENCO
			// matters most (out-of-school clubs are left out).
			case s.Type == domain.NonDomestic && s.Name != "" && s.Places >= 20 &&
				(s.Subtype == "Full day care" || s.Subtype == "Sessional day care"):
				groups = append(groups, s)
			// Childminders registered since 1992, so that one born from
			// 1965 on can have worked since registration.
			case s.Type == domain.Childminder && !s.RegisteredOn.Before(domain.NewDate(1992, time.January, 1)):
				cms = append(cms, s)
			}
		}
		p.rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
		p.rng.Shuffle(len(cms), func(i, j int) { cms[i], cms[j] = cms[j], cms[i] })
		n := 0
		for _, s := range groups {
			if n == la.Groups {
				break
			}
			// Organisations are found by name, so two settings of the
			// same name would share one: take the first of each name.
			k := strings.ToLower(s.Name)
			if names[k] {
				continue
			}
			names[k] = true
			p.settings = append(p.settings, chosen{s: s, la: li, group: true, orgName: s.Name})
			n++
		}
		if n < la.Groups || len(cms) < la.Childminders {
			return nil, fmt.Errorf("demo: the extract has too few settings in %s (%d group settings, %d childminders)", la.Council, n, len(cms))
		}
		for _, s := range cms[:la.Childminders] {
			p.settings = append(p.settings, chosen{s: s, la: li, orgName: "Childminder " + s.URN})
		}
	}
	p.nursery, p.nursery2 = p.firstGroup(Leeds), p.firstGroup(Hackney)

	for i, c := range p.settings {
		if c.group {
			p.staffGroup(i)
		} else {
			p.staffChildminder(i)
		}
	}
	p.moveSome()
	p.manager = p.staffWith(p.nursery, domain.RoleManager)
	p.manager2 = p.staffWith(p.nursery2, domain.RoleManager)
	p.learner = p.staffWith(p.nursery, domain.RoleDeputySENCO)
	if p.learner == nil {
		p.learner = p.staffWith(p.nursery, domain.RolePractitioner)
	}
	for range accounts {
		g, f := p.name()
		p.generatedNames = append(p.generatedNames, g+" "+f)
	}
	return p, nil
}

func (p *plan) firstGroup(la string) int {
	for i, c := range p.settings {
		if c.group && demoLAs[c.la].Code == la {
			return i
		}
	}
	panic("demo: no group setting in " + la)
}

// staffWith returns someone currently employed at setting i in role r.
func (p *plan) staffWith(i int, r domain.EmploymentRole) *person {
	for _, pr := range p.people {
		for _, j := range pr.jobs {
			if j.setting == i && j.role == r && j.end.IsZero() {
				return pr
			}
		}
	}
	return nil
}

// staffGroup generates a group setting's staff: 6–12 current, a manager,
// usually a designated SENCO (sometimes the manager too), sometimes a
// deputy SENCO, and 1–3 who have left, among them at some settings the
// SENCO, leaving the setting without one.
func (p *plan) staffGroup(i int) {
	s := p.settings[i].s
	earliest := later(s.RegisteredOn, earliestStart)
	r := p.rng
	n := 6 + r.IntN(7)
	hasSENCO := r.Float64() < 0.85
	managerIsSENCO := hasSENCO && r.Float64() < 0.15
	hasDeputy := r.Float64() < 0.4
	formerSENCO := r.Float64() < 0.6
	if hasSENCO {
		formerSENCO = r.Float64() < 0.25
	}

	// A SENCO who left: the setting lost its cover on the day they went.
	var sencoFrom domain.Date // earliest a current SENCO can start
	if formerSENCO {
		start := p.date(earliest, later(earliest, domain.NewDate(2023, time.January, 1)))
		end := p.date(later(start.AddDays(180), domain.NewDate(2022, time.January, 1)), domain.NewDate(2025, time.December, 31))
		p.add(i, domain.RoleSENCO, start, end)
		sencoFrom = end.AddDays(r.IntN(90))
	}
	for k := range n {
		start := p.date(earliest, latestStart)
		switch {
		case k == 0:
			m := p.add(i, domain.RoleManager, start, domain.Date{})
			if managerIsSENCO {
				m.jobs = append(m.jobs, job{setting: i, role: domain.RoleSENCO, start: p.date(later(start, sencoFrom), latestStart)})
			}
		case k == 1 && hasSENCO && !managerIsSENCO:
			p.add(i, domain.RoleSENCO, p.date(later(start, sencoFrom), latestStart), domain.Date{})
		case k == 2 && hasDeputy:
			p.add(i, domain.RoleDeputySENCO, start, domain.Date{})
		default:
			p.add(i, domain.RolePractitioner, start, domain.Date{})
		}
	}
	for range 1 + r.IntN(3) {
		role := domain.RolePractitioner
		if r.Float64() < 0.15 {
			role = domain.RoleDeputySENCO
		}
		start := p.date(earliest, later(earliest, domain.NewDate(2024, time.June, 30)))
		end := p.date(start.AddDays(90), later(start.AddDays(90), latestEnd))
		p.add(i, role, start, end)
	}
}

// staffChildminder generates the childminder, working since registration.
func (p *plan) staffChildminder(i int) {
	p.add(i, domain.RoleChildminder, p.settings[i].s.RegisteredOn, domain.Date{})
}

// moveSome sends about four in ten of those who left a group setting to
// another one (mostly in the same authority), starting there after they
// left: turnover that takes a trained SENCO from one setting to another.
func (p *plan) moveSome() {
	var groups []int
	for i, c := range p.settings {
		if c.group {
			groups = append(groups, i)
		}
	}
	for _, pr := range p.people {
		j := pr.jobs[0]
		if j.end.IsZero() || !p.settings[j.setting].group || p.rng.Float64() >= 0.4 {
			continue
		}
		from := p.settings[j.setting]
		var dest []int
		sameLA := p.rng.Float64() < 0.8
		for _, g := range groups {
			if g != j.setting && (p.settings[g].la == from.la) == sameLA {
				dest = append(dest, g)
			}
		}
		if len(dest) == 0 {
			continue
		}
		to := dest[p.rng.IntN(len(dest))]
		start := j.end.AddDays(p.rng.IntN(91))
		if p.settings[to].s.RegisteredOn.After(start) {
			continue
		}
		role := domain.RolePractitioner
		if j.role == domain.RoleDeputySENCO && p.rng.Float64() < 0.5 {
			role = j.role
		}
		if j.role == domain.RoleSENCO && !p.hasSENCO(to, start) {
			role = j.role // a SENCO takes the role to a setting without one
		}
		pr.jobs = append(pr.jobs, job{setting: to, role: role, start: start})
	}
}

// hasSENCO reports whether setting i has a designated SENCO from d on.
func (p *plan) hasSENCO(i int, d domain.Date) bool {
	for _, pr := range p.people {
		for _, j := range pr.jobs {
			if j.setting == i && j.role == domain.RoleSENCO && (j.end.IsZero() || d.Before(j.end)) {
				return true
			}
		}
	}
	return false
}

// add makes a new person whose first job is given.
func (p *plan) add(i int, role domain.EmploymentRole, start, end domain.Date) *person {
	pr := &person{owner: i, jobs: []job{{setting: i, role: role, start: start, end: end}}}
	pr.p = p.practitioner(role, start)
	p.people = append(p.people, pr)
	return pr
}

// practitioner generates a person who started work in role on start: born
// 1965–2002 and at least 18 then, qualified as the role suggests.
func (p *plan) practitioner(role domain.EmploymentRole, start domain.Date) domain.Practitioner {
	r := p.rng
	given, family := p.name()
	last := min(2002, start.Time().Year()-18)
	if role == domain.RoleChildminder {
		last = min(2002, start.Time().Year()-21)
	}
	y := 1965 + r.IntN(max(1, last-1965+1))
	dob := domain.NewDate(y, time.January, 1).AddDays(r.IntN(365))
	pr := domain.Practitioner{GivenName: given, FamilyName: family, DateOfBirth: dob}
	if r.Float64() < 0.88 {
		pr.Email = p.email(given, family)
	}

	// Qualification level by role: weights for none, 2, 3, 4, 5, 6.
	weights := map[domain.EmploymentRole][]int{
		domain.RoleManager:      {0, 0, 40, 15, 20, 25},
		domain.RoleSENCO:        {0, 0, 55, 15, 15, 15},
		domain.RoleDeputySENCO:  {0, 5, 70, 10, 10, 5},
		domain.RolePractitioner: {6, 15, 62, 5, 5, 7},
		domain.RoleChildminder:  {5, 10, 70, 5, 5, 5},
	}[role]
	levels := []int{0, 2, 3, 4, 5, 6}
	pr.QualificationLevel = levels[pick(r, weights)]
	if pr.QualificationLevel == 6 {
		switch x := r.Float64(); {
		case x < 0.15:
			pr.QTS = true
		case x < 0.45:
			pr.EYTS = true
		}
	}
	if pr.QualificationLevel >= 5 && !pr.QTS && r.Float64() < 0.04 {
		pr.QTLS = true
	}
	sen := 0.2
	if role == domain.RoleSENCO || role == domain.RoleDeputySENCO {
		sen = 0.7
	}
	if r.Float64() < sen {
		pr.PriorSENTraining = priorSENTraining[r.IntN(len(priorSENTraining))]
	}
	return pr
}

func (p *plan) name() (given, family string) {
	return givenNames[p.rng.IntN(len(givenNames))], familyNames[p.rng.IntN(len(familyNames))]
}

// email makes an address at example.org or example.com, unique in the demo.
func (p *plan) email(given, family string) string {
	local := letters(given) + "." + letters(family)
	domainPart := "example.org"
	if p.rng.IntN(3) == 0 {
		domainPart = "example.com"
	}
	e := local + "@" + domainPart
	for n := 2; p.emails[e]; n++ {
		e = fmt.Sprintf("%s%d@%s", local, n, domainPart)
	}
	p.emails[e] = true
	return e
}

func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// date returns a date from a to b inclusive (a when b is before a).
func (p *plan) date(a, b domain.Date) domain.Date {
	days := int(b.Time().Sub(a.Time()).Hours() / 24)
	if days <= 0 {
		return a
	}
	return a.AddDays(p.rng.IntN(days + 1))
}

func later(a, b domain.Date) domain.Date {
	if a.After(b) {
		return a
	}
	return b
}

// pick returns an index with probability proportional to its weight.
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// write stores the plan's organisations, practitioners, employments and
// sign-ins in tx, and returns the sign-ins.
func (p *plan) write(ctx context.Context, tx *store.Tx, actor domain.Actor, hashed func() ([]string, error)) ([]User, error) {
	orgs := map[string]domain.Organisation{}
	mk := func(key string, o domain.Organisation) error {
		o, err := tx.CreateOrganisation(ctx, actor, o)
		orgs[key] = o
		return err
	}
	for _, o := range []struct {
		key string
		org domain.Organisation
	}{
		{"programme", domain.Organisation{Kind: domain.OrgProgramme, Name: ProgrammeOrg}},
		{"supplier", domain.Organisation{Kind: domain.OrgSupplier, Name: SupplierOrg}},
		{"supplier2", domain.Organisation{Kind: domain.OrgSupplier, Name: Supplier2Org}},
		{"awarding", domain.Organisation{Kind: domain.OrgAwarding, Name: AwardingOrg}},
	} {
		if err := mk(o.key, o.org); err != nil {
			return nil, err
		}
	}
	for _, la := range demoLAs {
		if err := mk("la:"+la.Code, domain.Organisation{Kind: domain.OrgLA, Name: la.Council, LACode: la.Code}); err != nil {
			return nil, err
		}
	}
	settingOrgs := make([]domain.Organisation, len(p.settings))
	for i, c := range p.settings {
		if err := mk("setting:"+c.s.URN, domain.Organisation{Kind: domain.OrgSetting, Name: c.orgName, SettingURN: c.s.URN}); err != nil {
			return nil, err
		}
		settingOrgs[i] = orgs["setting:"+c.s.URN]
	}
	orgs["nursery"], orgs["nursery2"] = settingOrgs[p.nursery], settingOrgs[p.nursery2]

	for _, pr := range p.people {
		pr.p.OwnerOrgID = settingOrgs[pr.owner].ID
		var err error
		if pr.p, err = tx.CreatePractitioner(ctx, actor, pr.p); err != nil {
			return nil, err
		}
		for _, j := range pr.jobs {
			e := domain.Employment{PractitionerID: pr.p.ID, SettingURN: p.settings[j.setting].s.URN, Role: j.role, StartedOn: j.start, EndedOn: j.end}
			if _, err := tx.AddEmployment(ctx, actor, e); err != nil {
				return nil, fmt.Errorf("employment of %s at %s: %w", pr.p.FullName(), e.SettingURN, err)
			}
		}
	}

	hashes, err := hashed()
	if err != nil {
		return nil, err
	}
	var users []User
	for i, a := range accounts {
		u := domain.User{Email: a.email, Role: a.role, Org: orgs[a.org], Name: p.generatedNames[i]}
		switch a.who {
		case "manager":
			u.Name = p.manager.p.FullName()
		case "manager2":
			u.Name = p.manager2.p.FullName()
		case "learner":
			u.Name = p.learner.p.FullName()
			u.PractitionerID = p.learner.p.ID
		}
		u, err := tx.CreateUser(ctx, actor, u, hashes[i])
		if err != nil {
			return nil, err
		}
		users = append(users, userOf(u))
	}
	return users, nil
}
