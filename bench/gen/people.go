package gen

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/store"
)

// The workforce: every setting of the register staffed by its size (a
// childminder is one person), careers with earlier jobs at other settings
// of the same area, managers, designated SENCOs (often promoted from
// within), deputies, a few people with two jobs at once, and people who
// have left the sector. Tenures are drawn so that turnover is high, as it
// is in early years: the median current job began about two and a half
// years ago.

// workforceSize is the number of practitioners at Scale 1.
const workforceSize = 300000

// currentShare of them work in a setting today; the others have left.
const currentShare = 0.8

var earliestJob = domain.NewDate(2000, time.January, 1)

type gsetting struct {
	domain.Setting
	region   string
	eligible bool  // today
	sencos   []job // its designated SENCOs over time, one at a time
}

type job struct {
	setting    int32
	role       domain.EmploymentRole
	start, end domain.Date
}

type recognised struct {
	title     string
	level     int
	on        domain.Date
	revokedOn domain.Date
}

type gperson struct {
	id    int64
	p     domain.Practitioner
	jobs  []job
	cert  *recognised
	taken bool // applied to the programme
}

// current is the person's job covering today with the highest rank, if any.
func (p *gperson) current(today domain.Date) (job, bool) {
	var best job
	found := false
	for _, j := range p.jobs {
		if j.start.OnOrBefore(today) && (j.end.IsZero() || today.Before(j.end)) && (!found || rank(j.role) < rank(best.role)) {
			best, found = j, true
		}
	}
	return best, found
}

func rank(r domain.EmploymentRole) int {
	switch r {
	case domain.RoleSENCO:
		return 0
	case domain.RoleDeputySENCO:
		return 1
	case domain.RoleChildminder:
		return 2
	case domain.RoleManager:
		return 4
	}
	return 3
}

type generator struct {
	opts     Options
	r        rnd
	today    domain.Date
	names    *demo.People
	las      map[string]domain.LocalAuthority
	settings []*gsetting
	groups   map[string][]int32 // group settings by authority, for moves
	allGroup []int32
	persons  []*gperson
	// nextPractitioner is the id the next practitioner written gets.
	nextPractitioner int64

	state deliveryState
}

func newGenerator(opts Options, today domain.Date, las []domain.LocalAuthority, settings []store.SettingRecord) *generator {
	g := &generator{
		opts:   opts,
		r:      rnd{rand.New(rand.NewPCG(uint64(opts.Seed), 0x6e6c616e64))},
		today:  today,
		names:  demo.NewPeople(uint64(opts.Seed)),
		las:    map[string]domain.LocalAuthority{},
		groups: map[string][]int32{},
	}
	for _, la := range las {
		g.las[la.Code] = la
	}
	for i, s := range settings {
		gs := &gsetting{Setting: s.Setting, region: g.las[s.LACode].RegionCode, eligible: domain.EligibleSetting(s.Setting, today)}
		g.settings = append(g.settings, gs)
		if s.Type.IsGroup() && !s.RegisteredOn.IsZero() {
			g.groups[s.LACode] = append(g.groups[s.LACode], int32(i))
			g.allGroup = append(g.allGroup, int32(i))
		}
	}
	return g
}

// headcount is a setting's staff today at full scale.
func headcount(s domain.Setting) float64 {
	switch {
	case s.Type.IsGroup() && s.EYR:
		return math.Min(25, math.Max(2, float64(s.Places)/4))
	case s.Type.IsGroup():
		return math.Min(12, math.Max(1, float64(s.Places)/6)) // out-of-school clubs
	}
	return 1 // a childminder or home childcarer
}

// workforce generates everyone, in memory.
func (g *generator) workforce() {
	total := 0.0
	for _, s := range g.settings {
		if !s.RegisteredOn.IsZero() {
			total += headcount(s.Setting)
		}
	}
	target := float64(workforceSize) * g.opts.Scale
	f := currentShare * target / math.Max(total, 1)
	for i, s := range g.settings {
		if s.RegisteredOn.IsZero() {
			continue
		}
		x := headcount(s.Setting) * f
		n := int(x)
		if g.r.Float64() < x-float64(n) {
			n++
		}
		for slot := range n {
			g.staff(int32(i), slot)
		}
	}
	for len(g.persons) < int(target) && len(g.allGroup) > 0 {
		g.leaver()
	}
}

// staff generates the person in one of a setting's places today.
func (g *generator) staff(i int32, slot int) {
	s := g.settings[i]
	r := g.r
	if !s.Type.IsGroup() {
		role := domain.RoleChildminder
		start := s.RegisteredOn
		if s.Type != domain.Childminder || slot > 0 {
			// A home childcarer, or a childminder's assistant.
			role, start = domain.RolePractitioner, g.jobStart(s.Setting, 4*365)
		}
		p := &gperson{jobs: []job{{setting: i, role: role, start: start}}}
		if role == domain.RoleChildminder && r.chance(0.35) {
			g.history(p, s.LACode, 1) // worked in a nursery before registering
		}
		g.add(p)
		return
	}
	role := domain.RolePractitioner
	tenure := 2.5 * 365.0
	switch {
	case slot == 0:
		role, tenure = domain.RoleManager, 6*365
	case slot == 1 && s.EYR && len(s.sencos) == 0 && r.chance(0.8):
		role, tenure = domain.RoleSENCO, 4*365
	case slot == 2 && s.EYR && r.chance(0.3):
		role = domain.RoleDeputySENCO
	}
	start := g.jobStart(s.Setting, tenure)
	p := &gperson{jobs: []job{{setting: i, role: role, start: start}}}
	switch role {
	case domain.RoleSENCO:
		s.sencos = append(s.sencos, p.jobs[0])
		if r.chance(0.5) {
			// Promoted from within.
			before := later(s.RegisteredOn, start.AddDays(-90-r.expDays(2*365)))
			if before.Before(start) {
				p.jobs = append(p.jobs, job{setting: i, role: domain.RolePractitioner, start: before, end: start})
			}
		}
	case domain.RoleManager:
		if s.EYR && r.chance(0.08) {
			// A manager who is also the designated SENCO: the role taken on
			// later, beside the manager's own.
			p.jobs = append(p.jobs, job{setting: i, role: domain.RoleSENCO, start: r.between(start, g.today.AddDays(-30))})
			s.sencos = append(s.sencos, p.jobs[len(p.jobs)-1])
		}
	}
	if r.chance(0.5) {
		g.history(p, s.LACode, 1+r.IntN(2))
	}
	if role == domain.RolePractitioner && r.chance(0.03) {
		// Two jobs at once: bank staff at another nursery nearby.
		if k, ok := g.groupIn(s.LACode, start); ok && k != i {
			p.jobs = append(p.jobs, job{setting: k, role: domain.RolePractitioner, start: r.between(later(start, g.settings[k].RegisteredOn), g.today.AddDays(-14))})
		}
	}
	g.add(p)
}

// jobStart is when someone in a setting today started there: tenures are
// exponential with the mean given, none before the setting registered or
// before 2000.
func (g *generator) jobStart(s domain.Setting, mean float64) domain.Date {
	d := g.today.AddDays(-14 - g.r.expDays(mean))
	return earlier(later(d, later(s.RegisteredOn, earliestJob)), g.today.AddDays(-14))
}

// history adds up to n earlier jobs at other group settings, each ending
// shortly before the next began: mostly in the same authority.
func (g *generator) history(p *gperson, la string, n int) {
	first := p.jobs[0].start
	for _, j := range p.jobs {
		first = earlier(first, j.start)
	}
	for range n {
		end := first.AddDays(-g.r.IntN(90))
		start := end.AddDays(-180 - g.r.expDays(3*365))
		if start.Before(earliestJob) {
			return
		}
		area := la
		if g.r.chance(0.2) {
			area = "" // anywhere
		}
		k, ok := g.groupIn(area, start)
		if !ok {
			return
		}
		role := domain.RolePractitioner
		if g.r.chance(0.12) {
			role = domain.RoleDeputySENCO
		}
		p.jobs = append(p.jobs, job{setting: k, role: role, start: start, end: end})
		first = start
	}
}

// groupIn picks a group setting in an authority ("" for anywhere) that
// was registered by the date.
func (g *generator) groupIn(la string, by domain.Date) (int32, bool) {
	list := g.allGroup
	if la != "" {
		list = g.groups[la]
	}
	for range 6 {
		if len(list) == 0 {
			return 0, false
		}
		k := list[g.r.IntN(len(list))]
		if g.settings[k].RegisteredOn.OnOrBefore(by) {
			return k, true
		}
	}
	return 0, false
}

// leaver generates someone who worked in group settings and has left the
// sector: among them SENCOs whose settings lost their qualified cover.
func (g *generator) leaver() {
	r := g.r
	end := r.between(domain.NewDate(2012, time.January, 1), g.today.AddDays(-30))
	start := end.AddDays(-180 - r.expDays(3*365))
	k, ok := g.groupIn("", start)
	if !ok {
		k = g.allGroup[r.IntN(len(g.allGroup))]
		start = later(start, g.settings[k].RegisteredOn)
		if !start.Before(end) {
			return
		}
	}
	s := g.settings[k]
	role := []domain.EmploymentRole{domain.RolePractitioner, domain.RoleDeputySENCO, domain.RoleSENCO, domain.RoleManager}[r.pick(70, 10, 15, 5)]
	if role == domain.RoleSENCO {
		// One designated SENCO at a time: this one left before the next
		// began, or was the deputy.
		for _, other := range s.sencos {
			if start.Before(other.start) && other.start.Before(end) {
				end = other.start.AddDays(-r.IntN(60))
			}
		}
		if !start.Before(end) || slices.ContainsFunc(s.sencos, func(o job) bool { return overlaps(o, start, end) }) {
			role, end = domain.RoleDeputySENCO, earlier(later(end, start.AddDays(180+r.IntN(700))), g.today.AddDays(-30))
			if !start.Before(end) {
				return
			}
		} else {
			s.sencos = append(s.sencos, job{setting: k, role: role, start: start, end: end})
		}
	}
	p := &gperson{jobs: []job{{setting: k, role: role, start: start, end: end}}}
	if r.chance(0.3) {
		g.history(p, s.LACode, 1)
	}
	g.add(p)
}

// overlaps reports whether job o shares a day with [start, end).
func overlaps(o job, start, end domain.Date) bool {
	return o.start.Before(end) && (o.end.IsZero() || start.Before(o.end))
}

// add makes the person's details from their earliest job and main role,
// and perhaps a recognised SENCO qualification.
func (g *generator) add(p *gperson) {
	first, main := p.jobs[0].start, p.jobs[0].role
	for _, j := range p.jobs {
		first = earlier(first, j.start)
		if rank(j.role) < rank(main) {
			main = j.role
		}
	}
	p.p = g.names.Practitioner(main, first)
	// Recognised SENCO qualifications from before the programme, most
	// often held by SENCOs.
	chance := map[domain.EmploymentRole]float64{domain.RoleSENCO: 0.3, domain.RoleDeputySENCO: 0.12, domain.RoleManager: 0.05,
		domain.RoleChildminder: 0.12, domain.RolePractitioner: 0.008}[main]
	if g.r.chance(chance) {
		c := &recognised{level: 3, title: "Level 3 Award for SENCOs in Early Years Settings (earlier award)"}
		switch {
		case p.p.QTS && g.r.chance(0.4):
			c.level, c.title = 7, "National Award for SEN Co-ordination"
		case g.r.chance(0.06):
			c.level, c.title = 4, "Level 4 Certificate in Special Educational Needs Co-ordination"
		}
		c.on = g.r.between(later(first, domain.NewDate(2008, time.January, 1)), g.today.AddDays(-30))
		if g.r.chance(0.003) {
			c.revokedOn = g.r.between(c.on.AddDays(30), g.today.AddDays(-1))
		}
		p.cert = c
	}
	g.persons = append(g.persons, p)
}
