package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
)

// The running programme of the demo: the national EY SENCO programme, the
// two suppliers' contracts, eight cohorts in every phase relative to the
// day the demo is made, a few hundred applications with their outcomes,
// attendance, assessments and certificates. Every write goes through the
// store's own methods, so the demo holds nothing the service could not
// have recorded itself, with its events and audit entries; the dates given
// to them are the dates things happened, relative to the store's clock.

// ProgrammeName is the demo's programme.
const ProgrammeName = "National Early Years SENCO programme"

// The programme's targets: set at launch, raised later (the audit log
// shows the change).
const (
	launchTarget = 5000
	raisedTarget = 7000
)

// programmeQualification is the catalogue version the programme funds.
var programmeQualification = catalogue.Key("EYSENCO-L3", 1)

// Regions the demo's contracts serve.
const (
	regionNorthWest = "E12000002"
	regionYorkshire = "E12000003"
	regionLondon    = "E12000007"
)

// The consortium's member organisations (generated names).
var consortiumMembers = []string{"Pennine Early Years Learning", "Fellside Family Learning", "Ribble Valley Childcare Training"}

// extraApplicants is how many practitioners the demo generates at register
// settings outside its organisations, by authority, so that applications
// come from many settings as they would nationally.
var extraApplicants = map[string]int{Leeds: 40, Lancashire: 30, Cumbria: 17, Hackney: 28}

// homeChildcarers of those work for home childcarers, which are not on the
// Early Years Register: their applications are ineligible.
var homeChildcarers = map[string]int{Leeds: 2, Lancashire: 1, Cumbria: 1, Hackney: 1}

// AwardingOrg is the demo's awarding organisation: the one the catalogue
// names for the programme's qualification, since the awarding scope
// (policy.Delivery) finds its learners by that name.
var AwardingOrg = awardingOrganisation()

func awardingOrganisation() string {
	q, err := qualificationOf(programmeQualification)
	if err != nil {
		return ""
	}
	return q.AwardingOrganisation
}

// qualificationOf finds a catalogue version by its key.
func qualificationOf(key string) (domain.Qualification, error) {
	qs, err := catalogue.Qualifications()
	if err != nil {
		return domain.Qualification{}, err
	}
	for _, q := range qs {
		if catalogue.Key(q.Code, q.Version) == key {
			return q, nil
		}
	}
	return domain.Qualification{}, fmt.Errorf("the catalogue has no %s", key)
}

// cohortPlan is one of the demo's cohorts, its dates relative to today.
type cohortPlan struct {
	supplier int // 0 the consortium, 1 the other supplier
	name     string
	mode     domain.DeliveryMode
	las      []string
	first    int // days from today to the first session (adjusted to a weekday)
	every    int // days between sessions: 7 or 14
	capacity int
	staffed  bool   // the demo trainer and assessor are its staff
	venue    string // for face-to-face sessions
	link     string // for online sessions
	// fill is how many to place: capacity plus a waiting list, or fewer.
	fill int
}

// sessionsPerCohort: twelve sessions, weekly or fortnightly, as courses of
// this qualification usually run.
const sessionsPerCohort = 12

var cohortPlans = []cohortPlan{
	{0, "Leeds face to face", domain.FaceToFace, []string{Leeds}, -420, 7, 16, true, "Leeds Early Years Training Centre, LS2", "", 16},
	{0, "Lancashire and Cumbria blended", domain.Blended, []string{Lancashire, Cumbria}, -390, 14, 18, false, "Preston Children's Centre, PR1", "https://meet.example.org/pennine-blended", 18},
	{1, "Hackney face to face", domain.FaceToFace, []string{Hackney}, -330, 7, 14, false, "Hackney Learning Hub, E8", "", 14},
	{0, "Leeds autumn", domain.FaceToFace, []string{Leeds}, -80, 14, 16, true, "Leeds Early Years Training Centre, LS2", "", 15},
	{1, "East London blended", domain.Blended, []string{Hackney, "E09000019", "E09000030"}, -65, 14, 12, false, "Dalston Family Centre, E8", "https://meet.example.org/brightstart-east", 12},
	{0, "Northern online", domain.Online, []string{Leeds, Lancashire, Cumbria}, -41, 7, 20, true, "", "https://meet.example.org/pennine-online", 19},
	{0, "Leeds and Lancashire next", domain.Blended, []string{Leeds, Lancashire}, 28, 14, 14, true, "Leeds Early Years Training Centre, LS2", "https://meet.example.org/pennine-next", 17},
	{1, "London online", domain.Online, []string{Hackney, "E09000019", "E09000030"}, 42, 7, 12, false, "", "https://meet.example.org/brightstart-online", 9},
}

// sessionTopics are the twelve sessions of a course, with the units of the
// qualification each covers.
var sessionTopics = []struct{ topic, unit string }{
	{"The SENCO's role, the law and the SEND Code of Practice", "301"},
	{"Equality, inclusion and the setting's SEN policy", "301"},
	{"Identifying needs early: observation and the progress check at two", "302"},
	{"Speech, language and communication needs", "302"},
	{"The graduated approach: assess, plan, do, review", "303"},
	{"Record keeping and SEN support plans", "303"},
	{"Working in partnership with parents and carers", "304"},
	{"Referrals, EHC needs assessments and EHC plans", "305"},
	{"Working with health, social care and the Area SENCO", "306"},
	{"Supporting and advising colleagues", "307"},
	{"Transitions to school", "306"},
	{"Developing own practice: reflection and celebration", "308"},
}

// SessionTopic is the topic of session i of a course (counting from 0;
// courses longer than twelve sessions start the list again) and the unit
// of the qualification it covers.
func SessionTopic(i int) (topic, unit string) {
	t := sessionTopics[i%len(sessionTopics)]
	return t.topic, t.unit
}

// SessionShape is how session i of n of a cohort delivered in mode is
// taught, and for how many minutes: a face-to-face day (five and a half
// hours) or an online afternoon (three); a blended cohort meets face to face
// every fourth session and at the end, online otherwise.
func SessionShape(mode domain.DeliveryMode, i, n int) (domain.DeliveryMode, int) {
	if mode == domain.Blended {
		mode = domain.Online
		if i%4 == 0 || i == n-1 {
			mode = domain.FaceToFace
		}
	}
	if mode == domain.FaceToFace {
		return mode, 330
	}
	return mode, 180
}

// Withdrawal reasons for staff of the demo's own settings, and for the
// others (who may leave their setting or the sector, ending their
// employment), as weights over domain.WithdrawalReasons.
var (
	staffWithdrawal = map[domain.WithdrawalReason]int{domain.WithdrawWorkload: 66, domain.WithdrawPersonal: 24, domain.WithdrawOther: 10}
	otherWithdrawal = map[domain.WithdrawalReason]int{domain.WithdrawWorkload: 45, domain.WithdrawLeftSetting: 22, domain.WithdrawLeftSector: 13,
		domain.WithdrawPersonal: 15, domain.WithdrawOther: 5}
)

var withdrawalNotes = map[domain.WithdrawalReason][]string{
	domain.WithdrawWorkload:    {"Could not be released from the room often enough", "Short-staffed; no cover for the sessions", "Too much alongside the key person role", ""},
	domain.WithdrawPersonal:    {"Family circumstances", "Long-term illness", ""},
	domain.WithdrawOther:       {"Moving to a different course", "Setting changed ownership"},
	domain.WithdrawLeftSetting: {"Moved to another nursery", ""},
	domain.WithdrawLeftSector:  {"Left early years for primary teaching assistant work", "Left the sector", ""},
}

var deferralNotes = []string{"Maternity leave; will join a later cohort", "Setting short-staffed this term; will join the next cohort", "Illness in the family"}

// dApp is an application as the demo plans it.
type dApp struct {
	id         int64
	person     domain.Practitioner
	urn, la    string
	appliedOn  domain.Date
	readyOn    domain.Date // earliest day to place: after a manual decision
	extra      bool        // generated outside the demo's organisations
	employment domain.Employment
	status     domain.Status // as last read or written
	special    string        // "learner" (the demo practitioner) or "senco" (the nursery's)
	cohort     *dCohort
	reliable   float64 // chance of being present at a session
	leaveAt    int     // session index before which they leave; -1 to stay
	leave      domain.Status
	placedOn   domain.Date
}

// dCohort is a cohort made, with its learners.
type dCohort struct {
	plan     cohortPlan
	cohort   domain.Cohort
	sessions []store.SessionRecord
	learners []*dApp
}

// delivery writes the running programme in one transaction.
type delivery struct {
	ctx       context.Context
	tx        *store.Tx
	p         *plan
	rng       *rand.Rand
	today     domain.Date
	all       policy.Scope
	prog      domain.Programme
	users     map[string]domain.User // by account key
	suppliers [2]domain.Organisation
	contracts [2]domain.Contract
	apps      []*dApp
	cohorts   []*dCohort
	learnerNo int
	// heldForQA is the learner whose certificate waits for an IQA action.
	heldForQA int64
}

// seedDelivery adds the running programme to a database the demo has just
// filled with its register, organisations, people and sign-ins.
func seedDelivery(ctx context.Context, db *store.DB, p *plan, register []domain.Setting, seed uint64, quals map[string]int64) error {
	q, err := qualificationOf(programmeQualification)
	if err != nil {
		return err
	}
	if q.AwardingOrganisation != AwardingOrg {
		return fmt.Errorf("the awarding organisation %q is not the catalogue's %q", AwardingOrg, q.AwardingOrganisation)
	}
	qualID, ok := quals[programmeQualification]
	if !ok {
		return fmt.Errorf("the catalogue did not load %s", programmeQualification)
	}
	d := &delivery{ctx: ctx, p: p, rng: rand.New(rand.NewPCG(seed, 0xde11)), today: domain.DateOf(db.Now()),
		all: policy.Scope{Kind: policy.National}, users: map[string]domain.User{}}
	for _, a := range accounts {
		u, _, err := db.UserByEmail(ctx, a.email)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", a.email, err)
		}
		if _, ok := d.users[a.org+"/"+string(a.role)]; !ok {
			d.users[a.org+"/"+string(a.role)] = u
		}
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		d.tx = tx
		steps := []func() error{
			func() error { return d.programme(qualID) },
			d.contractsAndCohorts,
			func() error { return d.applications(register) },
			d.decideManualReviews,
			d.runCohorts,
			d.portfolios,
			d.quality,
			d.duplicates,
			d.payments,
			d.claims,
			func() error { return d.growth(register) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
}

// actor is the demo sign-in of an organisation and role, acting.
func (d *delivery) actor(org string, role domain.Role) domain.Actor {
	return domain.ActorOf(d.users[org+"/"+string(role)])
}

func (d *delivery) programmeTeam() domain.Actor {
	return d.actor("programme", domain.RoleProgrammeTeam)
}
func (d *delivery) ao() domain.Actor { return d.actor("awarding", domain.RoleAOOfficer) }

// supplierOf is the supplier whose contract serves an authority.
func (d *delivery) supplierOf(la string) int {
	if la == Hackney {
		return 1
	}
	return 0
}

// supplierAdmin acts for the supplier of a cohort plan.
func (d *delivery) supplierAdmin(supplier int) domain.Actor {
	if supplier == 0 {
		return d.actor("supplier", domain.RoleSupplierAdmin)
	}
	return d.actor("supplier2", domain.RoleSupplierAdmin)
}

// programme opens the national programme about 18 months ago, closing in a
// year, and raises its target.
func (d *delivery) programme(qualID int64) error {
	team := d.programmeTeam()
	opens := d.today.AddMonths(-18)
	rules := domain.DefaultRules()
	rules.PlacesPerSetting = 2
	prog, err := d.tx.SaveProgramme(d.ctx, team, domain.Programme{
		Name: ProgrammeName, QualificationID: qualID, OpensOn: opens, ClosesOn: d.today.AddMonths(12),
		StartsOn: opens.AddMonths(2), EndsOn: d.today.AddMonths(24), TargetCompletions: launchTarget, Rules: rules,
	})
	if err != nil {
		return err
	}
	prog.TargetCompletions = raisedTarget
	d.prog, err = d.tx.SaveProgramme(d.ctx, team, prog)
	return err
}

// contractsAndCohorts gives each supplier its contract and makes the
// cohorts with their staff and sessions.
func (d *delivery) contractsAndCohorts() error {
	team := d.programmeTeam()
	var err error
	for i, name := range []string{SupplierOrg, Supplier2Org} {
		// CreateOrganisation returns the organisation of that name the demo made.
		if d.suppliers[i], err = d.tx.CreateOrganisation(d.ctx, team, domain.Organisation{Kind: domain.OrgSupplier, Name: name}); err != nil {
			return err
		}
	}
	if err := d.tx.SetSupplierMembers(d.ctx, team, d.suppliers[0].ID, consortiumMembers); err != nil {
		return err
	}
	// Cumbria ended in 2023, but settings of the 2021 register are still
	// filed under it: the contract names it beside its regions.
	contracts := []domain.Contract{
		{SupplierOrgID: d.suppliers[0].ID, ProgrammeID: d.prog.ID, LACodes: []string{Cumbria}, RegionCodes: []string{regionYorkshire, regionNorthWest},
			AllocatedPlaces: 1200, PriceStarted: 45000, PriceRetained: 60000, PriceCompleted: 75000},
		{SupplierOrgID: d.suppliers[1].ID, ProgrammeID: d.prog.ID, RegionCodes: []string{regionLondon},
			AllocatedPlaces: 800, PriceStarted: 50000, PriceRetained: 55000, PriceCompleted: 80000},
	}
	for i, c := range contracts {
		if d.contracts[i], err = d.tx.CreateContract(d.ctx, team, c); err != nil {
			return err
		}
	}
	trainer := d.users["supplier/"+string(domain.RoleTrainer)]
	assessor := d.users["supplier/"+string(domain.RoleAssessor)]
	for _, cp := range cohortPlans {
		admin := d.supplierAdmin(cp.supplier)
		first := Weekday(d.today.AddDays(cp.first))
		last := first.AddDays(cp.every * (sessionsPerCohort - 1))
		c, err := d.tx.CreateCohort(d.ctx, admin, domain.Cohort{
			ContractID: d.contracts[cp.supplier].ID, SupplierOrgID: d.suppliers[cp.supplier].ID,
			Name: cp.name + " – " + first.Time().Format("January 2006"), Mode: cp.mode, LACodes: cp.las,
			StartsOn: first, EndsOn: last, Capacity: cp.capacity,
		})
		if err != nil {
			return fmt.Errorf("cohort %s: %w", cp.name, err)
		}
		if cp.staffed {
			if err := d.tx.SetCohortStaff(d.ctx, admin, c.ID, []int64{trainer.ID}, []int64{assessor.ID}); err != nil {
				return err
			}
		}
		dc := &dCohort{plan: cp, cohort: c}
		for i := range sessionsPerCohort {
			topic, unit := SessionTopic(i)
			on := first.AddDays(i * cp.every)
			// Trainers do not teach on bank holidays: the session moves to
			// the next working day within the cohort.
			for on.Before(last) && demoDayOff(on) {
				on = on.AddDays(1)
			}
			s := domain.Session{Date: on, Topic: topic, Units: []string{unit}, Venue: cp.link}
			s.Mode, s.Minutes = SessionShape(cp.mode, i, sessionsPerCohort)
			if s.Mode == domain.FaceToFace {
				s.Venue = cp.venue
			}
			if s, err = d.tx.AddSession(d.ctx, admin, c, s); err != nil {
				return fmt.Errorf("cohort %s session %d: %w", cp.name, i+1, err)
			}
			dc.sessions = append(dc.sessions, store.SessionRecord{Session: s})
		}
		d.cohorts = append(d.cohorts, dc)
	}
	return nil
}

// Weekday moves a weekend date to the Tuesday after: courses do not meet
// at weekends.
func Weekday(x domain.Date) domain.Date {
	switch x.Time().Weekday() {
	case time.Saturday:
		return x.AddDays(3)
	case time.Sunday:
		return x.AddDays(2)
	}
	return x
}

// applications: staff of the demo's settings apply (up to five from a
// group setting, so that a setting's third needs a manual decision on its
// places; some childminders), with practitioners generated at other
// settings of the register; each is checked by the programme's rules as it
// arrives.
func (d *delivery) applications(register []domain.Setting) error {
	opens := d.prog.OpensOn
	nursery := d.p.settings[d.p.nursery].s.URN
	senco := d.nurserySENCO()
	if senco == nil {
		return fmt.Errorf("no one at the demo nursery %s to be its certified SENCO", nursery)
	}
	// Staff of the demo's own settings.
	bySetting := map[int][]*person{}
	for _, pr := range d.p.people {
		if pr == d.p.manager || pr == d.p.manager2 {
			continue
		}
		if j, ok := currentJob(pr); ok {
			bySetting[j.setting] = append(bySetting[j.setting], pr)
		}
	}
	for i, c := range d.p.settings {
		staff := bySetting[i]
		var chosen []*person
		switch {
		case i == d.p.nursery:
			chosen = []*person{senco, d.p.learner}
		case !c.group:
			if d.rng.Float64() < 0.6 {
				chosen = staff
			}
		default:
			d.rng.Shuffle(len(staff), func(a, b int) { staff[a], staff[b] = staff[b], staff[a] })
			// SENCOs and deputies first: they are who settings send.
			slices.SortStableFunc(staff, func(a, b *person) int { return rolePriority(a) - rolePriority(b) })
			chosen = staff[:min(len(staff), pick(d.rng, []int{5, 15, 30, 25, 15, 10}))]
		}
		for _, pr := range chosen {
			j, _ := currentJob(pr)
			a := &dApp{person: pr.p, urn: c.s.URN, la: c.s.LACode, appliedOn: d.applyDate(opens, j.start)}
			switch pr {
			case senco:
				a.special, a.appliedOn = "senco", opens.AddDays(5+d.rng.IntN(30))
			case d.p.learner:
				// In time for the Leeds cohort that is half way now.
				a.special = "learner"
				a.appliedOn = Weekday(d.today.AddDays(cohortPlans[3].first)).AddDays(-75 - d.rng.IntN(20))
			}
			d.apps = append(d.apps, a)
		}
	}
	if err := d.extraApplicants(register); err != nil {
		return err
	}
	// Applications arrive in date order, each checked as it comes.
	slices.SortStableFunc(d.apps, func(a, b *dApp) int { return a.appliedOn.Compare(b.appliedOn) })
	manager := domain.ActorOf(d.users["nursery/"+string(domain.RoleSettingManager)])
	learner := domain.ActorOf(d.users["nursery/"+string(domain.RoleLearner)])
	for _, a := range d.apps {
		in := store.ApplyInput{ProgrammeID: d.prog.ID, PractitionerID: a.person.ID, SettingURN: a.urn, AppliedOn: a.appliedOn,
			Nominated: d.rng.Float64() < 0.55}
		in.SettingConfirmed = in.Nominated || d.rng.Float64() < 0.85
		actor := domain.OperatorActor("demo")
		switch a.special {
		case "senco":
			in.Nominated, actor = true, manager
		case "learner":
			in.Nominated, in.SettingConfirmed, actor = false, true, learner
		}
		if a.special != "" && a.person.QualificationLevel < 3 {
			// The demo's own people hold a Level 3, whatever was generated.
			if err := d.tx.SetQualificationLevel(d.ctx, manager, a.person.ID, 3); err != nil {
				return err
			}
		}
		app, err := d.tx.Apply(d.ctx, actor, in)
		if err != nil {
			return fmt.Errorf("application of %s: %w", a.person.FullName(), err)
		}
		// A week for the setting to confirm and the supplier to see it.
		a.id, a.status, a.readyOn = app.ID, app.Status, a.appliedOn.AddDays(7)
	}
	return nil
}

// nurserySENCO is who at the demo nursery will be its certified SENCO: its
// designated SENCO, or else a deputy or the manager, employed there since
// before the programme opened.
func (d *delivery) nurserySENCO() *person {
	var best *person
	for _, pr := range d.p.people {
		j, ok := currentJob(pr)
		if !ok || j.setting != d.p.nursery || pr == d.p.learner || !j.start.Before(d.prog.OpensOn.AddDays(-30)) {
			continue
		}
		if best == nil || rolePriority(pr) < rolePriority(best) {
			best = pr
		}
	}
	return best
}

// currentJob is a person's employment that has not ended, if any.
func currentJob(pr *person) (job, bool) {
	for _, j := range pr.jobs {
		if j.end.IsZero() {
			return j, true
		}
	}
	return job{}, false
}

func rolePriority(pr *person) int {
	j, _ := currentJob(pr)
	switch j.role {
	case domain.RoleSENCO:
		return 0
	case domain.RoleDeputySENCO:
		return 1
	case domain.RoleManager:
		return 3
	}
	return 2
}

// applyDate is when someone applies: many in the first weeks after the
// launch, the rest over the months since, and not before a month in their
// job.
func (d *delivery) applyDate(opens, started domain.Date) domain.Date {
	from := later(opens, started.AddDays(30))
	days := int(d.today.Time().Sub(from.Time()).Hours()/24) - 3
	if days <= 0 {
		return d.today.AddDays(-3)
	}
	switch x := d.rng.Float64(); {
	case x < 0.45:
		days = min(days, 90)
	case x < 0.7:
		days = min(days, 270)
	}
	return from.AddDays(d.rng.IntN(days))
}

// extraApplicants generates practitioners at settings of the register
// outside the demo's organisations, recorded by the supplier serving their
// authority, and their applications.
func (d *delivery) extraApplicants(register []domain.Setting) error {
	taken := map[string]bool{}
	for _, c := range d.p.settings {
		taken[c.s.URN] = true
	}
	for _, la := range demoLAs {
		var groups, cms, homes []domain.Setting
		for _, s := range register {
			if s.LACode != la.Code || s.Status != domain.Active || taken[s.URN] || !s.RegisteredOn.Before(d.prog.OpensOn.AddMonths(-12)) {
				continue
			}
			switch {
			case s.Type.IsGroup() && s.EYR:
				groups = append(groups, s)
			case s.Type == domain.Childminder && s.EYR:
				cms = append(cms, s)
			case s.Type == domain.HomeChildcarer:
				homes = append(homes, s)
			}
		}
		si := d.supplierOf(la.Code)
		admin := d.supplierAdmin(si)
		homeN := homeChildcarers[la.Code]
		for k := range extraApplicants[la.Code] {
			var s domain.Setting
			role := domain.RolePractitioner
			switch {
			case k < homeN && len(homes) > 0:
				s = takeOne(d.rng, &homes)
			case k%2 == 0 && len(cms) > 0:
				s, role = takeOne(d.rng, &cms), domain.RoleChildminder
			case len(groups) > 0:
				s = takeOne(d.rng, &groups)
				role = []domain.EmploymentRole{domain.RolePractitioner, domain.RoleDeputySENCO, domain.RoleManager}[pick(d.rng, []int{60, 30, 10})]
			default:
				continue
			}
			start := s.RegisteredOn
			if role != domain.RoleChildminder {
				start = d.p.date(later(s.RegisteredOn, domain.NewDate(2010, time.January, 1)), d.prog.OpensOn.AddDays(-60))
			}
			pr := d.p.practitioner(role, start)
			pr.OwnerOrgID = d.suppliers[si].ID
			pr, err := d.tx.CreatePractitioner(d.ctx, admin, pr)
			if err != nil {
				return err
			}
			e, err := d.tx.AddEmployment(d.ctx, admin, domain.Employment{PractitionerID: pr.ID, SettingURN: s.URN, Role: role, StartedOn: start})
			if err != nil {
				return err
			}
			d.apps = append(d.apps, &dApp{person: pr, urn: s.URN, la: s.LACode, appliedOn: d.applyDate(d.prog.OpensOn, start), extra: true, employment: e})
		}
	}
	return nil
}

// takeOne removes and returns a random setting of the list.
func takeOne(r *rand.Rand, list *[]domain.Setting) domain.Setting {
	i := r.IntN(len(*list))
	s := (*list)[i]
	(*list)[i] = (*list)[len(*list)-1]
	*list = (*list)[:len(*list)-1]
	return s
}

// decideManualReviews: the programme team decides most applications the
// rules sent to it: a further place for a setting agreed or refused, a
// qualification confirmed. A few wait in the queue.
func (d *delivery) decideManualReviews() error {
	team := d.programmeTeam()
	for _, a := range d.apps {
		if a.status != domain.StatusApplied {
			continue
		}
		app, err := d.tx.ScopedApplication(d.ctx, d.all, a.id)
		if err != nil {
			return err
		}
		if app.Decision != domain.DecisionManual || d.rng.Float64() < 0.2 {
			continue
		}
		var eligible, extra bool
		var reason string
		switch {
		case app.ReasonCode == string(domain.RuleSettingPlaces) && d.rng.Float64() < 0.75:
			eligible, extra, reason = true, true, "A further place agreed: the setting is large and its SENCO is leaving"
		case app.ReasonCode == string(domain.RuleSettingPlaces):
			reason = "The setting's two funded places are in use; it may apply again when one completes"
		case d.rng.Float64() < 0.7:
			eligible, reason = true, "Full and relevant Level 3 qualification confirmed from the certificate"
		default:
			reason = "The qualification held is not full and relevant at Level 3"
		}
		app, err = d.tx.Decide(d.ctx, team, app, eligible, extra, reason)
		if err != nil {
			return err
		}
		a.status, a.readyOn = app.Status, d.today
	}
	return nil
}

// runCohorts places applicants on each cohort in the order the cohorts
// start, then takes each cohort's sessions that have happened, with the
// withdrawals and deferrals between them, and finishes the cohorts that
// have ended: assessment, registration with the awarding organisation,
// certification.
func (d *delivery) runCohorts() error {
	order := slices.Clone(d.cohorts)
	slices.SortStableFunc(order, func(a, b *dCohort) int { return a.cohort.StartsOn.Compare(b.cohort.StartsOn) })
	for _, c := range order {
		if err := d.place(c); err != nil {
			return fmt.Errorf("cohort %s: %w", c.cohort.Name, err)
		}
		if c.plan.name == "Leeds autumn" {
			if err := d.transferOne(c); err != nil {
				return err
			}
		}
		if err := d.teach(c); err != nil {
			return fmt.Errorf("cohort %s: %w", c.cohort.Name, err)
		}
		if err := d.fromWaitingList(c); err != nil {
			return fmt.Errorf("cohort %s: %w", c.cohort.Name, err)
		}
		if c.cohort.EndsOn.Before(d.today) {
			if err := d.finish(c); err != nil {
				return fmt.Errorf("cohort %s: %w", c.cohort.Name, err)
			}
		}
	}
	return nil
}

// app reads an application's current state.
func (d *delivery) app(a *dApp) (store.Application, error) {
	app, err := d.tx.ScopedApplication(d.ctx, d.all, a.id)
	a.status = app.Status
	return app, err
}

// place fills a cohort from the eligible applicants its authorities
// serve, first come first placed, in the weeks before it starts (a cohort
// starting soon is still recruiting: its places are filled up to today).
func (d *delivery) place(c *dCohort) error {
	first := c.cohort.StartsOn
	from, to := first.AddDays(-70), first.AddDays(-7)
	if to.After(d.today) {
		to = d.today
	}
	var pool []*dApp
	for _, a := range d.apps {
		if a.status == domain.StatusEligible && a.cohort == nil && slices.Contains(c.cohort.LACodes, a.la) && !a.readyOn.After(to) && a.wants(c) {
			pool = append(pool, a)
		}
	}
	slices.SortStableFunc(pool, func(a, b *dApp) int {
		if (a.special != "") != (b.special != "") {
			if a.special != "" {
				return -1
			}
			return 1
		}
		return a.readyOn.Compare(b.readyOn)
	})
	rec, err := d.tx.ScopedCohort(d.ctx, d.all, c.cohort.ID)
	if err != nil {
		return err
	}
	admin := d.supplierAdmin(c.plan.supplier)
	phase := c.cohort.Phase(d.today)
	for _, a := range pool[:min(len(pool), max(0, c.plan.fill-len(c.learners)))] {
		on := later(a.readyOn.AddDays(d.rng.IntN(21)), from)
		if on.After(to) {
			on = to
		}
		app, err := d.app(a)
		if err != nil {
			return err
		}
		waiting, err := d.tx.Place(d.ctx, admin, app, rec, on)
		if err != nil {
			return fmt.Errorf("place %s: %w", a.person.FullName(), err)
		}
		a.cohort, a.placedOn, a.leaveAt = c, on, -1
		if waiting {
			continue // on the waiting list: still eligible
		}
		a.status = domain.StatusEnrolled
		c.learners = append(c.learners, a)
		a.reliable = []float64{0.97, 0.9, 0.72}[pick(d.rng, []int{60, 30, 10})]
		if a.special != "" {
			a.reliable = 0.97
		}
	}
	// About a fifth of learners leave before the end, mostly early on, and
	// one of each cohort half way defers to a later cohort: counted, not
	// drawn one by one, so every demo has about as many.
	var others []*dApp
	for _, a := range c.learners {
		if a.special == "" && a.leaveAt < 0 {
			others = append(others, a)
		}
	}
	d.rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	held := d.held(c)
	leavers := int(map[string]float64{"finished": 0.33, "in progress": 0.2, "recruiting": 0.1}[phase]*float64(len(others)) + 0.5)
	for i, a := range others[:min(leavers, len(others))] {
		a.leave, a.leaveAt = domain.StatusWithdrawn, min(held, d.rng.IntN(sessionsPerCohort/2)+d.rng.IntN(sessionsPerCohort/2))
		if i == 0 && phase == "in progress" {
			a.leave, a.leaveAt = domain.StatusDeferred, 1+d.rng.IntN(held)
		}
	}
	// Those who sign up with the awarding organisation at the start.
	if phase != "recruiting" {
		ao := d.ao()
		for _, a := range c.learners {
			if a.special == "" && d.rng.Float64() < 0.1 {
				continue
			}
			app, err := d.app(a)
			if err != nil {
				return err
			}
			d.learnerNo++
			uln := ""
			if a.special != "" || d.rng.Float64() < 0.85 {
				uln = ULN(d.rng)
			}
			if err := d.tx.RegisterLearner(d.ctx, ao, app, fmt.Sprintf("EYAB%07d", 4100000+d.learnerNo), uln); err != nil {
				return err
			}
		}
	}
	return nil
}

// wants reports whether an applicant goes on a cohort: the nursery's
// SENCO on the first Leeds cohort, the demo practitioner on the Leeds
// cohort now half way, anyone else wherever there is a place.
func (a *dApp) wants(c *dCohort) bool {
	switch a.special {
	case "senco":
		return c.plan.name == "Leeds face to face"
	case "learner":
		return c.plan.name == "Leeds autumn"
	}
	return true
}

// fromWaitingList offers the places of those who withdrew from a cohort
// still recruiting to those on its waiting list, today.
func (d *delivery) fromWaitingList(c *dCohort) error {
	if c.cohort.Phase(d.today) != "recruiting" {
		return nil
	}
	for _, a := range d.apps {
		if a.cohort != c || a.status != domain.StatusEligible {
			continue
		}
		rec, err := d.tx.ScopedCohort(d.ctx, d.all, c.cohort.ID)
		if err != nil || rec.Placed >= rec.Capacity {
			return err
		}
		app, err := d.app(a)
		if err != nil {
			return err
		}
		if _, err := d.tx.Place(d.ctx, d.supplierAdmin(c.plan.supplier), app, rec, d.today); err != nil {
			return err
		}
		a.status, a.placedOn, a.reliable = domain.StatusEnrolled, d.today, 0.9
		c.learners = append(c.learners, a)
	}
	return nil
}

// held is how many of a cohort's sessions have taken place.
func (d *delivery) held(c *dCohort) int {
	n := 0
	for _, s := range c.sessions {
		if s.Date.Before(d.today) {
			n++
		}
	}
	return n
}

// transferOne moves one learner of a cohort, before it starts, to the
// supplier's online cohort.
func (d *delivery) transferOne(from *dCohort) error {
	var to *dCohort
	for _, c := range d.cohorts {
		if c.plan.name == "Northern online" {
			to = c
		}
	}
	for i, a := range from.learners {
		if a.special != "" || a.leaveAt >= 0 {
			continue
		}
		app, err := d.app(a)
		if err != nil {
			return err
		}
		rec, err := d.tx.ScopedCohort(d.ctx, d.all, to.cohort.ID)
		if err != nil {
			return err
		}
		on := later(a.placedOn.AddDays(1), from.cohort.StartsOn.AddDays(-5))
		if err := d.tx.Transfer(d.ctx, d.supplierAdmin(0), app, rec, on); err != nil {
			return fmt.Errorf("transfer: %w", err)
		}
		from.learners = slices.Delete(from.learners, i, i+1)
		a.cohort = to
		to.learners = append(to.learners, a)
		return nil
	}
	return nil
}

// teach takes the register of every session held so far. Before each,
// those due to leave withdraw or defer; after it, some who missed it catch
// up.
func (d *delivery) teach(c *dCohort) error {
	marker := d.supplierAdmin(c.plan.supplier)
	if c.plan.staffed {
		marker = d.actor("supplier", domain.RoleTrainer)
	}
	held := d.held(c)
	for i := 0; i <= held; i++ {
		// The window since the last session (or the placement) for leaving.
		var lo domain.Date
		if i > 0 {
			lo = c.sessions[i-1].Date.AddDays(1)
		}
		hi := d.today.AddDays(-1)
		if i < len(c.sessions) && c.sessions[i].Date.Before(d.today) {
			hi = c.sessions[i].Date.AddDays(-1)
		}
		for _, a := range c.learners {
			if a.leaveAt != i || !a.status.HoldsPlace() || hi.Before(later(lo, a.placedOn.AddDays(1))) {
				continue
			}
			if err := d.leave(c, a, d.p.date(later(lo, a.placedOn.AddDays(1)), hi)); err != nil {
				return err
			}
		}
		if i == held {
			break
		}
		s := c.sessions[i]
		marks := map[int64]domain.Mark{}
		for _, a := range c.learners {
			if a.status.HoldsPlace() {
				marks[a.id] = d.mark(a)
			}
		}
		if len(marks) == 0 {
			continue
		}
		if err := d.tx.SaveRegister(d.ctx, marker, s, 0, marks); err != nil {
			return fmt.Errorf("register of %s: %w", s.Date, err)
		}
		for _, a := range c.learners {
			m, ok := marks[a.id]
			if !ok {
				continue
			}
			if a.status == domain.StatusEnrolled && m != domain.Excused {
				a.status = domain.StatusInTraining
			}
			on := s.Date.AddDays(3 + d.rng.IntN(12))
			if (m == domain.Absent || m == domain.Half) && d.rng.Float64() < 0.3 && on.Before(d.today) {
				note := []string{"Recorded session watched and workbook completed", "One-to-one catch-up with the trainer", "Joined the session with the online cohort"}[d.rng.IntN(3)]
				if err := d.tx.RecordCatchUp(d.ctx, marker, s, a.id, on, note); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// mark is a learner's attendance at one session.
func (d *delivery) mark(a *dApp) domain.Mark {
	if d.rng.Float64() < a.reliable {
		return domain.Present
	}
	return []domain.Mark{domain.Half, domain.Absent, domain.Excused}[pick(d.rng, []int{35, 40, 25})]
}

// leave withdraws or defers a learner on the date.
func (d *delivery) leave(c *dCohort, a *dApp, on domain.Date) error {
	app, err := d.app(a)
	if err != nil {
		return err
	}
	admin := d.supplierAdmin(c.plan.supplier)
	if a.leave == domain.StatusDeferred {
		a.status = domain.StatusDeferred
		return d.tx.Defer(d.ctx, admin, app, on, deferralNotes[d.rng.IntN(len(deferralNotes))])
	}
	weights := staffWithdrawal
	if a.extra {
		weights = otherWithdrawal
	}
	reason := pickReason(d.rng, weights)
	notes := withdrawalNotes[reason]
	if err := d.tx.Withdraw(d.ctx, admin, app, reason, on, notes[d.rng.IntN(len(notes))]); err != nil {
		return err
	}
	a.status = domain.StatusWithdrawn
	if again := on.AddDays(60 + d.rng.IntN(150)); (reason == domain.WithdrawWorkload || reason == domain.WithdrawPersonal) &&
		again.Before(d.today.AddDays(-7)) && d.rng.Float64() < 0.5 {
		// Some apply again when things are calmer.
		return d.reapply(a, again)
	}
	if reason == domain.WithdrawLeftSetting || reason == domain.WithdrawLeftSector {
		// They left on or just before the day the supplier heard.
		ended := later(a.employment.StartedOn.AddDays(1), on.AddDays(-d.rng.IntN(14)))
		if _, err := d.tx.EndEmployment(d.ctx, admin, a.employment, ended); err != nil {
			return err
		}
	}
	return nil
}

// reapply makes a new application for someone who withdrew.
func (d *delivery) reapply(a *dApp, on domain.Date) error {
	app, err := d.tx.Apply(d.ctx, domain.OperatorActor("demo"), store.ApplyInput{ProgrammeID: d.prog.ID, PractitionerID: a.person.ID,
		SettingURN: a.urn, AppliedOn: on, Nominated: true, SettingConfirmed: true})
	if err != nil {
		return fmt.Errorf("application again of %s: %w", a.person.FullName(), err)
	}
	d.apps = append(d.apps, &dApp{id: app.ID, person: a.person, urn: a.urn, la: a.la, appliedOn: on, readyOn: on.AddDays(7),
		extra: a.extra, employment: a.employment, status: app.Status})
	return nil
}

// pickReason draws a withdrawal reason by weight, in the fixed list's order.
func pickReason(r *rand.Rand, weights map[domain.WithdrawalReason]int) domain.WithdrawalReason {
	var w []int
	for _, reason := range domain.WithdrawalReasons {
		w = append(w, weights[reason])
	}
	return domain.WithdrawalReasons[pick(r, w)]
}

// finish completes a cohort that has ended: the assessor signs off most
// learners' assessments (training completes where attendance meets the
// threshold), and the awarding organisation certifies most of those
// registered, revoking one certificate on a later check.
func (d *delivery) finish(c *dCohort) error {
	ao := d.ao()
	revoked := false
	for _, a := range c.learners {
		if a.status != domain.StatusInTraining || (a.special == "" && d.rng.Float64() < 0.08) {
			continue
		}
		assessed := c.cohort.EndsOn.AddDays(14 + d.rng.IntN(35))
		if !assessed.Before(d.today) {
			continue
		}
		app, err := d.app(a)
		if err != nil {
			return err
		}
		done, err := d.completeAssessment(c, a, app, assessed)
		if err != nil {
			return err
		}
		if !done {
			continue
		}
		if app, err = d.app(a); err != nil {
			return err
		}
		certified := assessed.AddDays(21 + d.rng.IntN(42))
		if app.LearnerNumber == "" || !certified.Before(d.today) || (a.special == "" && d.rng.Float64() < 0.08) {
			continue
		}
		if c.plan.staffed && d.heldForQA == 0 && a.special == "" {
			// One registered learner waits for internal quality assurance:
			// its sample sends their assessor an action (quality.go).
			d.heldForQA = app.ID
			continue
		}
		d.learnerNo++
		if _, err := quality.Certify(d.ctx, d.tx, ao, app, fmt.Sprintf("EYAB-L3-%06d", 200000+d.learnerNo), certified); err != nil {
			return err
		}
		a.status = domain.StatusCertified
		revokedOn := certified.AddDays(40 + d.rng.IntN(40))
		if !revoked && a.special == "" && c.plan.name == "Lancashire and Cumbria blended" && revokedOn.Before(d.today) {
			if app, err = d.app(a); err != nil {
				return err
			}
			if err := quality.Revoke(d.ctx, d.tx, ao, app, "External quality assurance found that assessment evidence was not the learner's own work", revokedOn); err != nil {
				return err
			}
			a.status, revoked = domain.StatusCompleted, true
		}
	}
	return nil
}

// duplicates: four people apply again under another record (found by
// email and date of birth): two already funded on a cohort, two already
// holding the qualification. The rules refuse them.
func (d *delivery) duplicates() error {
	var funded, certified []*dApp
	for _, a := range d.apps {
		if a.person.Email == "" || a.special != "" || a.person.QualificationLevel < 3 {
			continue
		}
		switch a.status {
		case domain.StatusInTraining:
			funded = append(funded, a)
		case domain.StatusCertified:
			certified = append(certified, a)
		}
	}
	for _, list := range [][]*dApp{funded, certified} {
		for k := range min(2, len(list)) {
			orig := list[k*len(list)/2]
			dup := orig.person
			dup.ID, dup.OwnerOrgID = 0, d.suppliers[d.supplierOf(orig.la)].ID
			dup, err := d.tx.CreatePractitioner(d.ctx, domain.OperatorActor("demo"), dup)
			if err != nil {
				return err
			}
			on := d.today.AddDays(-2 - d.rng.IntN(30))
			app, err := d.tx.Apply(d.ctx, domain.OperatorActor("demo"), store.ApplyInput{ProgrammeID: d.prog.ID, PractitionerID: dup.ID,
				SettingURN: orig.urn, AppliedOn: on, SettingConfirmed: true})
			if err != nil {
				return err
			}
			d.apps = append(d.apps, &dApp{id: app.ID, person: dup, urn: orig.urn, la: orig.la, appliedOn: on, status: app.Status})
		}
	}
	return nil
}

// ULN makes a Unique Learner Number: nine random digits and the check
// digit domain.ValidULN accepts (a number whose check would be 10 is never
// issued, so another is drawn).
func ULN(r *rand.Rand) string {
	for {
		base := fmt.Sprintf("%d%08d", 1+r.IntN(9), r.IntN(100_000_000))
		for c := '0'; c <= '9'; c++ {
			if s := base + string(c); domain.ValidULN(s) {
				return s
			}
		}
	}
}

// People makes generated practitioners the way the demo does (names from
// its lists, ages, qualification levels by role, prior SEN training,
// unique example.org and example.com addresses), for generators of larger
// data sets.
type People struct {
	p    *plan
	seen map[string]int // addresses given so far, by how many times
}

// NewPeople starts a generator; the same seed gives the same people.
func NewPeople(seed uint64) *People {
	return &People{p: &plan{rng: rand.New(rand.NewPCG(seed, 0x9e0b1e)), emails: map[string]bool{}}, seen: map[string]int{}}
}

// Practitioner is a new person who started work in role on start.
func (g *People) Practitioner(role domain.EmploymentRole, start domain.Date) domain.Practitioner {
	pr := g.p.practitioner(role, start)
	// plan.email numbers a repeated address by searching for a free
	// number, which grows with the count; for hundreds of thousands of
	// people the count is kept here instead, giving the same addresses.
	clear(g.p.emails)
	if pr.Email != "" {
		g.seen[pr.Email]++
		if n := g.seen[pr.Email]; n > 1 {
			local, host, _ := strings.Cut(pr.Email, "@")
			pr.Email = fmt.Sprintf("%s%d@%s", local, n, host)
		}
	}
	return pr
}

// Name is a generated given and family name.
func (g *People) Name() (given, family string) { return g.p.name() }

// demoDayOff: a bank holiday in England or a weekend.
func demoDayOff(d domain.Date) bool {
	_, hol := domain.BankHoliday(d)
	wd := d.Time().Weekday()
	return hol || wd == time.Saturday || wd == time.Sunday
}
