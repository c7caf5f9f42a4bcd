package gen

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"senco/internal/catalogue"
	"senco/internal/demo"
	"senco/internal/domain"
)

// The programme: opened two and a half years ago, suppliers by region with
// contracts, cohorts starting ever more often as it grows, applications
// checked by the programme's rules in the order they arrive, and each
// cohort run session by session.

// programmeQualification is the catalogue version the programme funds.
var programmeQualification = catalogue.Key("EYSENCO-L3", 1)

// cohortsPerSupplier: a supplier runs about this many cohorts.
const cohortsPerSupplier = 27

type gsupplier struct {
	org      domain.Organisation
	regions  []string
	contract domain.Contract
	admin    domain.User
	trainers []domain.User
	assessor domain.User
}

type gsession struct {
	id      int64
	date    domain.Date
	mode    domain.DeliveryMode
	minutes int
	topic   string
	unit    string
	venue   string
	marked  bool
}

type gcohort struct {
	c        domain.Cohort
	supplier int
	sessions []*gsession
	trainer  int64
	assessor int64
	fill     int     // how many the supplier will place
	planned  []*gapp // applicants meant for it
	learners []*gapp // placed (or transferred in)
	waiting  int
}

// phase is the cohort's phase today.
func (c *gcohort) phase(today domain.Date) string { return c.c.Phase(today) }

type gmark struct {
	session  *gsession
	mark     domain.Mark
	caughtUp domain.Date
	note     string
}

// gapp is an application: its row (the domain's Application, changed
// only by the domain's decisions, as the store's transactions change it)
// and its history.
type gapp struct {
	domain.Application
	person           *gperson
	setting          int32
	readyOn          domain.Date // eligible from
	fate             string      // what the plan meant: "learner", "waiting", "leaves", "other"
	cohort, waitlist *gcohort
	events           []domain.Event
	marks            []gmark
	reliable         float64
	leaveAt          int // session index before which they withdraw; -1 to stay
}

// take applies a decision of the domain's to the application. The plan
// only asks for moves the workflow allows, so a refusal is a bug here.
func (a *gapp) take(ch domain.Change, err error) {
	if err != nil {
		panic(fmt.Sprintf("generator: application %d: %v", a.ID, err))
	}
	a.Application = ch.App
	a.events = append(a.events, ch.Events...)
}

// apply records the application and its eligibility, decided by the
// programme's rules on the day it arrived (domain.Apply and domain.Assess,
// as the store's Apply does).
func (a *gapp) apply(prog domain.Programme, laCode string, f domain.EligibilityFacts) domain.EligibilityResult {
	a.take(domain.Apply(domain.NewApplication{ProgrammeID: prog.ID, QualificationID: prog.QualificationID, PractitionerID: a.person.id,
		SettingFound: true, LACode: laCode, AppliedOn: a.AppliedOn, Nominated: a.Nominated, SettingConfirmed: a.SettingConfirmed,
		WorkingTowardsL3: a.WorkingTowardsL3}))
	a.take(domain.Assess(a.Application, f, a.AppliedOn), nil)
	return domain.EligibilityResult{Decision: a.Decision, Code: a.ReasonCode, Reason: a.Reason}
}

type deliveryState struct {
	prog      domain.Programme
	suppliers []*gsupplier
	cohorts   []*gcohort
	apps      []*gapp
	dups      []*gperson
	orgs      map[string]int64 // by LA code; "" the programme team
	users     int
	learnerNo int
	certNo    int
}

// organisations makes the programme team, the awarding organisation, an
// organisation for each local authority (which records its area's
// practitioners), and their sign-ins.
func (g *generator) organisations(w *writer, q domain.Qualification) error {
	ctx, tx := w.ctx, w.tx
	d := &g.state
	d.orgs = map[string]int64{}
	mk := func(o domain.Organisation) (domain.Organisation, error) { return tx.CreateOrganisation(ctx, actor, o) }
	team, err := mk(domain.Organisation{Kind: domain.OrgProgramme, Name: "Department for Education – EY SENCO programme"})
	if err != nil {
		return err
	}
	d.orgs[""] = team.ID
	ao, err := mk(domain.Organisation{Kind: domain.OrgAwarding, Name: q.AwardingOrganisation})
	if err != nil {
		return err
	}
	for _, u := range []domain.User{
		{Email: "programme@bench.senco.example", Name: "Programme team (generated)", Role: domain.RoleProgrammeTeam, Org: team},
		{Email: "ao@bench.senco.example", Name: "Awarding officer (generated)", Role: domain.RoleAOOfficer, Org: ao},
	} {
		if _, err := tx.CreateUser(ctx, actor, u, g.opts.PasswordHash); err != nil {
			return err
		}
		d.users++
	}
	codes := make([]string, 0, len(g.las))
	for code := range g.las {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		la := g.las[code]
		o, err := mk(domain.Organisation{Kind: domain.OrgLA, Name: la.Name + " Council", LACode: code})
		if err != nil {
			return err
		}
		d.orgs[code] = o.ID
		// One officer per authority, so that load and soak runs can sign
		// in as an LA (la.<code>@bench.senco.example, lower case).
		if _, err := tx.CreateUser(ctx, actor, domain.User{Email: "la." + strings.ToLower(code) + "@bench.senco.example",
			Name: la.Name + " officer (generated)", Role: domain.RoleLAOfficer, Org: o}, g.opts.PasswordHash); err != nil {
			return err
		}
		d.users++
	}
	rules := domain.DefaultRules()
	rules.PlacesPerSetting = 2
	opens := g.today.AddMonths(-30)
	d.prog, err = tx.SaveProgramme(ctx, actor, domain.Programme{Name: "National Early Years SENCO programme", QualificationID: q.ID,
		OpensOn: opens, ClosesOn: g.today.AddMonths(12), StartsOn: opens.AddMonths(2), EndsOn: g.today.AddMonths(24), TargetCompletions: 5000, Rules: rules})
	if err != nil {
		return err
	}
	d.prog.TargetCompletions = 7000
	d.prog, err = tx.SaveProgramme(ctx, actor, d.prog)
	return err
}

// ownerOf is the organisation that recorded a person: the authority of
// their first setting.
func (g *generator) ownerOf(p *gperson) int64 {
	if len(p.jobs) == 0 {
		return g.state.orgs[""]
	}
	if id, ok := g.state.orgs[g.settings[p.jobs[0].setting].LACode]; ok {
		return id
	}
	return g.state.orgs[""]
}

// delivery runs the programme in memory, after making its suppliers,
// contracts and cohorts through the store.
func (g *generator) delivery(w *writer) error {
	if err := g.suppliersAndCohorts(w); err != nil {
		return err
	}
	next, err := w.tx.NextID(w.ctx, "sessions_taught")
	if err != nil {
		return err
	}
	for _, c := range g.state.cohorts {
		for _, s := range c.sessions {
			s.id = next
			next++
		}
	}
	g.plan()
	g.assess()
	g.run()
	g.duplicates()
	return nil
}

// regionWeights counts eligible settings by region and by authority.
func (g *generator) areaWeights() (regions []string, byRegion map[string]int, las []string, byLA map[string]int) {
	byRegion, byLA = map[string]int{}, map[string]int{}
	for _, s := range g.settings {
		if s.eligible && s.LACode != "" {
			if byLA[s.LACode] == 0 {
				las = append(las, s.LACode)
			}
			byLA[s.LACode]++
			byRegion[s.region]++
		}
	}
	sort.Strings(las)
	for r := range byRegion {
		regions = append(regions, r)
	}
	sort.Slice(regions, func(i, j int) bool {
		if byRegion[regions[i]] != byRegion[regions[j]] {
			return byRegion[regions[i]] > byRegion[regions[j]]
		}
		return regions[i] < regions[j]
	})
	return
}

var supplierWords = [][]string{
	{"Northern", "Southern", "Midlands", "Eastern", "Western", "Coastal", "Riverside", "Pennine", "Chiltern", "Fenland", "Downs", "Vale"},
	{"Early Years", "Childcare", "Inclusion", "SEN", "Little Steps", "First Steps", "Sunrise", "Acorn"},
	{"Training", "Learning", "Academy", "Partnership", "Training Partnership", "Consortium"},
}

// suppliersAndCohorts makes the suppliers (each serving one or more
// regions, some of them consortia), their staff, contracts and cohorts.
func (g *generator) suppliersAndCohorts(w *writer) error {
	ctx, tx, r := w.ctx, w.tx, g.r
	d := &g.state
	regions, _, las, byLA := g.areaWeights()
	if len(las) == 0 {
		return fmt.Errorf("no eligible settings with a local authority in the register")
	}
	n := max(1, int(math.Round(float64(g.opts.Cohorts)/cohortsPerSupplier)))
	for i := range n {
		name := fmt.Sprintf("%s %s %s", supplierWords[0][i%12], supplierWords[1][(i/12+i)%8], supplierWords[2][(i*7)%6])
		if i >= 12*8 {
			name += fmt.Sprint(" ", i)
		}
		s := &gsupplier{}
		var err error
		if s.org, err = tx.CreateOrganisation(ctx, actor, domain.Organisation{Kind: domain.OrgSupplier, Name: name}); err != nil {
			return err
		}
		if r.chance(0.3) {
			var members []string
			for k := range 2 + r.IntN(3) {
				members = append(members, fmt.Sprintf("%s %s (member %d)", supplierWords[0][r.IntN(12)], supplierWords[1][r.IntN(8)], k+1))
			}
			if err := tx.SetSupplierMembers(ctx, actor, s.org.ID, members); err != nil {
				return err
			}
		}
		slug := fmt.Sprintf("s%03d", i+1)
		mkUser := func(kind string, role domain.Role) (domain.User, error) {
			given, family := g.names.Name()
			d.users++
			return tx.CreateUser(ctx, actor, domain.User{Email: kind + "." + slug + "@bench.senco.example", Name: given + " " + family, Role: role, Org: s.org}, g.opts.PasswordHash)
		}
		if s.admin, err = mkUser("admin", domain.RoleSupplierAdmin); err != nil {
			return err
		}
		for k := range 2 {
			t, err := mkUser(fmt.Sprint("trainer", k+1), domain.RoleTrainer)
			if err != nil {
				return err
			}
			s.trainers = append(s.trainers, t)
		}
		if s.assessor, err = mkUser("assessor", domain.RoleAssessor); err != nil {
			return err
		}
		d.suppliers = append(d.suppliers, s)
	}
	// Regions go to suppliers biggest first; with more suppliers than
	// regions the big regions get several.
	for i, region := range regions {
		d.suppliers[i%n].regions = append(d.suppliers[i%n].regions, region)
	}
	for i := len(regions); i < n; i++ {
		d.suppliers[i].regions = []string{regions[(i-len(regions))%len(regions)]}
	}
	servedBy := map[string][]int{}
	for i, s := range d.suppliers {
		c := domain.Contract{SupplierOrgID: s.org.ID, ProgrammeID: d.prog.ID, RegionCodes: s.regions,
			AllocatedPlaces: cohortsPerSupplier * 18, PriceStarted: 45000, PriceRetained: 55000, PriceCompleted: 80000}
		for _, code := range sortedKeys(g.las) {
			// Authorities that have since ended are named: the 2021
			// register still files settings under them.
			if la := g.las[code]; slices.Contains(s.regions, la.RegionCode) && !la.EndedOn.IsZero() {
				c.LACodes = append(c.LACodes, code)
			}
		}
		var err error
		if s.contract, err = tx.CreateContract(ctx, actor, c); err != nil {
			return err
		}
		for _, region := range s.regions {
			servedBy[region] = append(servedBy[region], i)
		}
	}
	// Cohorts: in authorities by their number of eligible settings,
	// starting more often as the programme grows.
	cum := make([]int, len(las))
	total := 0
	for i, code := range las {
		total += byLA[code]
		cum[i] = total
	}
	regionLAs := map[string][]string{}
	for _, code := range las {
		regionLAs[g.las[code].RegionCode] = append(regionLAs[g.las[code].RegionCode], code)
	}
	opens := d.prog.OpensOn
	span := days(opens.AddDays(60), g.today.AddDays(90))
	for k := range g.opts.Cohorts {
		la := las[sort.SearchInts(cum, 1+r.IntN(total))]
		region := g.las[la].RegionCode
		sups := servedBy[region]
		si := sups[r.IntN(len(sups))]
		s := d.suppliers[si]
		areas := []string{la}
		if others := regionLAs[region]; len(others) > 1 && r.chance(0.3) {
			if o := others[r.IntN(len(others))]; o != la {
				areas = append(areas, o)
			}
		}
		first := demo.Weekday(opens.AddDays(60 + int(float64(span)*math.Sqrt(r.Float64()))))
		every := []int{7, 14}[r.IntN(2)]
		mode := []domain.DeliveryMode{domain.FaceToFace, domain.Online, domain.Blended}[r.pick(40, 30, 30)]
		n := g.opts.SessionsPerCohort
		c, err := tx.CreateCohort(ctx, domain.ActorOf(s.admin), domain.Cohort{ContractID: s.contract.ID, SupplierOrgID: s.org.ID,
			Name: fmt.Sprintf("%s %s %d – %s", g.las[la].Name, strings.ToLower(mode.Label()), k+1, first.Time().Format("January 2006")),
			Mode: mode, LACodes: areas, StartsOn: first, EndsOn: first.AddDays(every * (n - 1)), Capacity: 12 + r.IntN(9)})
		if err != nil {
			return fmt.Errorf("cohort %d: %w", k+1, err)
		}
		gc := &gcohort{c: c, supplier: si, trainer: s.trainers[r.IntN(len(s.trainers))].ID, assessor: s.assessor.ID}
		for i := range n {
			topic, unit := demo.SessionTopic(i)
			m, minutes := demo.SessionShape(mode, i, n)
			venue := fmt.Sprintf("https://meet.example.org/cohort-%d", c.ID)
			if m == domain.FaceToFace {
				venue = g.las[la].Name + " early years training centre"
			}
			gc.sessions = append(gc.sessions, &gsession{date: first.AddDays(i * every), mode: m, minutes: minutes, topic: topic, unit: unit, venue: venue})
		}
		d.cohorts = append(d.cohorts, gc)
	}
	slices.SortStableFunc(d.cohorts, func(a, b *gcohort) int { return a.c.StartsOn.Compare(b.c.StartsOn) })
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// window is when a cohort's places are filled: the ten weeks before its
// first session, up to today for one still recruiting.
func (g *generator) window(c *gcohort) (from, to domain.Date) {
	from, to = c.c.StartsOn.AddDays(-70), c.c.StartsOn.AddDays(-7)
	return from, earlier(to, g.today)
}

// candidates are the people who may apply, by authority: employed today
// at an eligible setting, holding no SENCO qualification; SENCOs, deputies
// and childminders first, as settings send them.
type candidates struct {
	first, rest []int // indexes into persons, shuffled
	next        [2]int
}

func (g *generator) candidatePools() map[string]*candidates {
	pools := map[string]*candidates{}
	for i, p := range g.persons {
		j, ok := p.current(g.today)
		if !ok || p.cert != nil {
			continue
		}
		s := g.settings[j.setting]
		if !s.eligible || s.LACode == "" {
			continue
		}
		c := pools[s.LACode]
		if c == nil {
			c = &candidates{}
			pools[s.LACode] = c
		}
		if rank(j.role) <= 2 {
			c.first = append(c.first, i)
		} else {
			c.rest = append(c.rest, i)
		}
	}
	for _, code := range sortedKeys(pools) {
		c := pools[code]
		g.r.Shuffle(len(c.first), func(a, b int) { c.first[a], c.first[b] = c.first[b], c.first[a] })
		g.r.Shuffle(len(c.rest), func(a, b int) { c.rest[a], c.rest[b] = c.rest[b], c.rest[a] })
	}
	return pools
}

// take returns the next candidate who holds a Level 3 and has been in
// their job since before the date, or -1.
func (g *generator) take(c *candidates, by domain.Date) int {
	order := []int{0, 1}
	if g.r.chance(0.45) {
		order = []int{1, 0}
	}
	for _, k := range order {
		list := [][]int{c.first, c.rest}[k]
		for look := c.next[k]; look < len(list) && look < c.next[k]+40; look++ {
			p := g.persons[list[look]]
			if p.taken {
				continue
			}
			j, _ := p.current(g.today)
			if p.p.QualificationLevel >= 3 && j.start.OnOrBefore(by) {
				p.taken = true
				list[look], list[c.next[k]] = list[c.next[k]], list[look]
				c.next[k]++
				return list[c.next[k]-1]
			}
		}
	}
	return -1
}

// plan chooses the applicants: those each cohort will place (applying in
// the months before it), and the others that make up the programme's
// applications: waiting for a place, not qualified, from settings the
// programme does not fund, undecided.
func (g *generator) plan() {
	d, r := &g.state, g.r
	pools := g.candidatePools()
	opens := d.prog.OpensOn
	for _, c := range d.cohorts {
		switch c.phase(g.today) {
		case "recruiting":
			c.fill = int(float64(c.c.Capacity) * (0.4 + 0.6*r.Float64()))
			if r.chance(0.15) {
				c.fill = c.c.Capacity + 1 + r.IntN(4) // full, with a waiting list
			}
		default:
			c.fill = c.c.Capacity - r.IntN(3)
		}
	}
	// The learners should be at most about two thirds of all applications.
	planned := 0
	for _, c := range d.cohorts {
		planned += c.fill
	}
	if limit := g.opts.Applications * 2 / 3; planned > limit {
		for _, c := range d.cohorts {
			c.fill = c.fill * limit / planned
		}
	}
	for _, c := range d.cohorts {
		from, to := g.window(c)
		for range c.fill {
			la := c.c.LACodes[r.IntN(len(c.c.LACodes))]
			pool := pools[la]
			if pool == nil {
				continue
			}
			applied := later(opens, from.AddDays(-r.IntN(150)))
			applied = earlier(applied, to.AddDays(-10))
			if applied.Before(opens) {
				continue
			}
			i := g.take(pool, applied.AddDays(-30))
			if i < 0 {
				continue
			}
			a := g.newApp(i, applied, "learner")
			c.planned = append(c.planned, a)
		}
	}
	// The rest.
	var staff []int
	for i, p := range g.persons {
		if _, ok := p.current(g.today); ok && !p.taken && p.cert == nil {
			staff = append(staff, i)
		}
	}
	want := g.opts.Applications - len(d.apps) - duplicateCount(g.opts.Applications)
	for k := 0; k < want && len(staff) > 0; k++ {
		fate := []string{"waiting", "level2", "not_eyr", "level0", "towards", "leaves"}[r.pick(40, 22, 6, 6, 4, 12)]
		for try := 0; try < 60; try++ {
			i := staff[r.IntN(len(staff))]
			p := g.persons[i]
			j, _ := p.current(g.today)
			s := g.settings[j.setting]
			lvl := p.p.QualificationLevel
			ok := !p.taken
			switch fate {
			case "waiting", "leaves":
				ok = ok && s.eligible && lvl >= 3
			case "level2":
				ok = ok && s.eligible && lvl == 2
			case "not_eyr":
				ok = ok && !s.EYR
			case "level0":
				ok = ok && s.eligible && lvl == 0
			case "towards":
				ok = ok && s.eligible && lvl < 3
			}
			if !ok {
				continue
			}
			applied := r.between(later(opens, j.start.AddDays(30)), g.today.AddDays(-3))
			if applied.After(g.today.AddDays(-3)) {
				continue
			}
			p.taken = true
			a := g.newApp(i, applied, fate)
			a.WorkingTowardsL3 = fate == "towards"
			break
		}
	}
}

func (g *generator) newApp(person int, applied domain.Date, fate string) *gapp {
	p := g.persons[person]
	j, _ := p.current(g.today)
	a := &gapp{person: p, setting: j.setting, fate: fate, leaveAt: -1}
	a.AppliedOn, a.Nominated = applied, g.r.chance(0.55)
	a.SettingConfirmed = a.Nominated || g.r.chance(0.85)
	g.state.apps = append(g.state.apps, a)
	return a
}

// assess checks every application with the programme's rules in the order
// they arrived (domain.CheckEligibility), counting each setting's funded
// places as it goes, and has the programme team decide most of those the
// rules could not.
func (g *generator) assess() {
	d, r := &g.state, g.r
	slices.SortStableFunc(d.apps, func(a, b *gapp) int { return a.AppliedOn.Compare(b.AppliedOn) })
	used := map[int32]int{}
	for _, a := range d.apps {
		s := g.settings[a.setting].Setting
		res := a.apply(d.prog, s.LACode, domain.EligibilityFacts{Programme: d.prog, AppliedOn: a.AppliedOn, Setting: &s,
			QualificationLevel: a.person.p.QualificationLevel, WorkingTowardsL3: a.WorkingTowardsL3, SettingPlacesUsed: used[a.setting]})
		a.readyOn = a.AppliedOn
		if res.Decision == domain.DecisionManual {
			// The programme team decides most within a fortnight: a
			// further place, or a qualification confirmed; some refused,
			// a few wait.
			on := a.AppliedOn.AddDays(2 + r.IntN(12))
			places := res.Code == string(domain.RuleSettingPlaces)
			switch x := r.Float64(); {
			case !on.Before(g.today) || (a.fate != "learner" && x < 0.2):
			case a.fate == "learner" || x < 0.75:
				reason := "Full and relevant Level 3 qualification confirmed from the certificate"
				if places {
					reason = "A further place agreed for the setting"
				}
				a.take(domain.Decide(a.Application, true, places, reason, on))
				a.readyOn = on
			default:
				reason := "The qualification held is not full and relevant at Level 3"
				if places {
					reason = "The setting's funded places are in use"
				}
				a.take(domain.Decide(a.Application, false, false, reason, on))
			}
		}
		if a.Status == domain.StatusEligible {
			used[a.setting]++
		}
	}
}

// run places each cohort's applicants in the weeks before it starts, and
// takes it session by session up to today: withdrawals and deferrals,
// attendance and catch-ups, then the assessment, registration with the
// awarding organisation and certification for those that have ended.
func (g *generator) run() {
	d, r := &g.state, g.r
	deferred := map[int][]*gapp{} // by supplier, waiting for a later cohort
	for ci, c := range d.cohorts {
		from, to := g.window(c)
		var queue []*gapp
		// Those who deferred from this supplier's earlier cohorts first.
		deferred[c.supplier] = slices.DeleteFunc(deferred[c.supplier], func(a *gapp) bool { return a.Status != domain.StatusDeferred })
		for _, a := range deferred[c.supplier] {
			if slices.Contains(c.c.LACodes, g.settings[a.setting].LACode) && a.LeftTrainingOn.Before(to) {
				queue = append(queue, a)
			}
		}
		for _, a := range c.planned {
			if a.Status == domain.StatusEligible && !a.readyOn.After(to) {
				queue = append(queue, a)
			}
		}
		for _, a := range queue {
			on := earlier(later(later(a.readyOn, a.LeftTrainingOn).AddDays(1+r.IntN(21)), from), to)
			if len(c.learners) >= c.c.Capacity {
				if a.Status == domain.StatusEligible && c.waiting < 4 {
					ch, _, err := domain.Place(a.Application, c.c, len(c.learners), on)
					a.take(ch, err)
					a.waitlist = c
					c.waiting++
				}
				continue
			}
			ch, _, err := domain.Place(a.Application, c.c, len(c.learners), on)
			a.take(ch, err)
			a.cohort, a.waitlist = c, nil
			c.learners = append(c.learners, a)
			if a.LearnerNumber == "" && c.phase(g.today) != "recruiting" && r.chance(0.95) {
				d.learnerNo++
				reg := domain.Registration{LearnerNumber: fmt.Sprintf("EYAB%08d", 10000000+d.learnerNo)}
				if r.chance(0.85) {
					reg.ULN = demo.ULN(r.Rand)
				}
				a.take(domain.RegisterLearner(a.Application, reg))
			}
		}
		// Before the first session: a few move to a later cohort of the
		// supplier, or defer.
		for _, a := range slices.Clone(c.learners) {
			lo, hi := a.EnrolledOn.AddDays(1), earlier(c.c.StartsOn.AddDays(-2), g.today.AddDays(-1))
			if hi.Before(lo) || a.Status != domain.StatusEnrolled {
				continue
			}
			switch x := r.Float64(); {
			case x < 0.005:
				if to := g.laterCohort(ci, a); to != nil {
					a.take(domain.Transfer(a.Application, c.c, to.c, len(to.learners), r.between(lo, hi)))
					c.learners = slices.DeleteFunc(c.learners, func(b *gapp) bool { return b == a })
					a.cohort = to
					to.learners = append(to.learners, a)
				}
			case x < 0.02:
				a.take(domain.Defer(a.Application, r.between(lo, hi), "Will join a later cohort"))
				a.cohort = nil
				c.learners = slices.DeleteFunc(c.learners, func(b *gapp) bool { return b == a })
				if !slices.Contains(deferred[c.supplier], a) { // deferred a second time
					deferred[c.supplier] = append(deferred[c.supplier], a)
				}
			}
		}
		g.teach(c)
	}
	// Some waiting applicants withdraw.
	for _, a := range d.apps {
		if a.fate == "leaves" && a.Status == domain.StatusEligible {
			on := r.between(a.readyOn.AddDays(10), g.today.AddDays(-1))
			if on.Before(g.today) && !on.Before(a.readyOn) {
				reason := []domain.WithdrawalReason{domain.WithdrawPersonal, domain.WithdrawWorkload, domain.WithdrawOther, domain.WithdrawLeftSetting}[r.pick(40, 30, 20, 10)]
				a.take(domain.Withdraw(a.Application, reason, on, ""))
				a.waitlist = nil
			}
		}
	}
}

// laterCohort is a later cohort of the same supplier, serving the
// applicant's authority, with room.
func (g *generator) laterCohort(ci int, a *gapp) *gcohort {
	d := &g.state
	c := d.cohorts[ci]
	for _, o := range d.cohorts[ci+1:] {
		if o.supplier == c.supplier && o.c.StartsOn.After(c.c.StartsOn) && len(o.learners)+len(o.planned) < o.c.Capacity &&
			slices.Contains(o.c.LACodes, g.settings[a.setting].LACode) {
			return o
		}
	}
	return nil
}

// teach takes the cohort's sessions held so far.
func (g *generator) teach(c *gcohort) {
	r := g.r
	held := 0
	for _, s := range c.sessions {
		if s.date.Before(g.today) {
			held++
		}
	}
	chance := map[string]float64{"finished": 0.22, "in progress": 0.14, "recruiting": 0.05}[c.phase(g.today)]
	for _, a := range c.learners {
		a.reliable = []float64{0.97, 0.9, 0.72}[r.pick(60, 30, 10)]
		if r.chance(chance) {
			a.leaveAt = min(held, r.IntN(len(c.sessions)/2+1)+r.IntN(len(c.sessions)/2+1))
		}
	}
	for i := 0; i <= held; i++ {
		var lo domain.Date // before the first session: from their enrolment
		if i > 0 {
			lo = c.sessions[i-1].date.AddDays(1)
		}
		hi := g.today.AddDays(-1)
		if i < held {
			hi = c.sessions[i].date.AddDays(-1)
		}
		for _, a := range c.learners {
			if a.leaveAt == i && a.Status.HoldsPlace() && a.Status != domain.StatusCompleted {
				on := r.between(later(lo, a.EnrolledOn.AddDays(1)), hi)
				if on.After(hi) {
					continue
				}
				reason := []domain.WithdrawalReason{domain.WithdrawWorkload, domain.WithdrawPersonal, domain.WithdrawLeftSetting, domain.WithdrawLeftSector,
					domain.WithdrawOther}[r.pick(52, 18, 14, 8, 8)]
				a.take(domain.Withdraw(a.Application, reason, on, ""))
			}
		}
		if i == held {
			break
		}
		s := c.sessions[i]
		for _, a := range c.learners {
			if a.Status != domain.StatusEnrolled && a.Status != domain.StatusInTraining {
				continue
			}
			m := domain.Present
			if !r.chance(a.reliable) {
				m = []domain.Mark{domain.Half, domain.Absent, domain.Excused}[r.pick(35, 40, 25)]
			}
			gm := gmark{session: s, mark: m}
			if (m == domain.Absent || m == domain.Half) && r.chance(0.25) {
				if on := s.date.AddDays(3 + r.IntN(12)); on.Before(g.today) {
					gm.caughtUp, gm.note = on, "Recorded session watched and workbook completed"
				}
			}
			a.marks = append(a.marks, gm)
			s.marked = true
			if domain.StartsTraining(a.Status, m) {
				a.take(domain.StartTraining(a.Application, s.date))
			}
		}
	}
	if !c.c.EndsOn.Before(g.today) {
		return
	}
	d := &g.state
	for _, a := range c.learners {
		if a.Status != domain.StatusInTraining || r.chance(0.08) {
			continue
		}
		assessed := c.c.EndsOn.AddDays(14 + r.IntN(42))
		if !assessed.Before(g.today) {
			continue
		}
		var marks []domain.Attendance
		for _, m := range a.marks {
			marks = append(marks, domain.Attendance{SessionID: m.session.id, Mark: m.mark, CaughtUp: !m.caughtUp.IsZero()})
		}
		rate := domain.AttendanceRate(marks, len(c.sessions))
		// The generator does not model portfolios: a learner it assesses has
		// every mandatory criterion met (nothing missing).
		ch, completed, err := domain.CompleteAssessment(a.Application, rate, d.prog.Rules.AttendanceThreshold, nil, assessed)
		a.take(ch, err)
		if !completed {
			continue
		}
		certified := assessed.AddDays(21 + r.IntN(42))
		if a.LearnerNumber == "" || !certified.Before(g.today) || r.chance(0.07) {
			continue
		}
		d.certNo++
		a.take(domain.Certify(domain.CertificationFacts{App: a.Application}, fmt.Sprintf("EYAB-L3-%07d", d.certNo), certified, g.today))
		if revoked := certified.AddDays(30 + r.IntN(170)); revoked.Before(g.today) && r.chance(0.004) {
			a.take(domain.Revoke(a.Application, "External quality assurance found the assessment evidence was not the learner's own", revoked))
		}
	}
}

// duplicateCount is how many of the applications are second records.
func duplicateCount(applications int) int { return max(1, applications/200) }

// duplicates: a few people apply again under a second record (the same
// email and date of birth), already funded on a cohort or already holding
// the qualification; the rules refuse them.
func (g *generator) duplicates() {
	d, r := &g.state, g.r
	n := duplicateCount(g.opts.Applications)
	var funded, certified []*gapp
	for _, a := range d.apps {
		if a.person.p.Email == "" {
			continue
		}
		switch a.Status {
		case domain.StatusInTraining:
			funded = append(funded, a)
		case domain.StatusCertified:
			certified = append(certified, a)
		}
	}
	for k := 0; k < n; k++ {
		list := funded
		if k%2 == 1 {
			list = certified
		}
		if len(list) == 0 {
			continue
		}
		orig := list[r.IntN(len(list))]
		since := later(orig.EnrolledOn, orig.CertifiedOn).AddDays(1)
		if !since.Before(g.today) {
			continue
		}
		dup := &gperson{p: orig.person.p}
		d.dups = append(d.dups, dup)
		a := &gapp{person: dup, setting: orig.setting, leaveAt: -1, fate: "duplicate"}
		a.AppliedOn, a.SettingConfirmed = r.between(since, g.today.AddDays(-1)), true
		s := g.settings[a.setting].Setting
		a.apply(d.prog, s.LACode, domain.EligibilityFacts{Programme: d.prog, AppliedOn: a.AppliedOn, Setting: &s, QualificationLevel: dup.p.QualificationLevel,
			AlreadyFunded: orig.Status == domain.StatusInTraining, HoldsQualification: orig.Status == domain.StatusCertified})
		d.apps = append(d.apps, a)
	}
	slices.SortStableFunc(d.apps, func(a, b *gapp) int { return a.AppliedOn.Compare(b.AppliedOn) })
}
