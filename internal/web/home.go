package web

import (
	"context"
	"net/http"
	"net/url"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
	"senco/internal/store/daily"
	"senco/internal/store/portfolio"
	"senco/internal/web/page"
)

// homeData is a role's home: the work of each area that serves the role,
// and, for a setting or a practitioner, their own record.
type homeData struct {
	Role  domain.Role
	Today domain.Date
	page.Home
	Setting      *store.SettingRecord
	Staff        page.StaffList
	Practitioner *store.PractitionerRecord
	Employments  []store.EmploymentRecord
}

// homeSource is one area's part of a role's home.
type homeSource func(ctx context.Context, u domain.User, today domain.Date) (page.Home, error)

// homeSources are the areas that add to each role's home, in the order
// the home shows them. An area that gives a role new work adds its own
// function here: one line.
func (s *Server) homeSources(role domain.Role) []homeSource {
	switch role {
	case domain.RoleProgrammeTeam:
		return []homeSource{s.programmeHome}
	case domain.RoleSupplierAdmin:
		return []homeSource{s.supplierHome}
	case domain.RoleTrainer:
		return []homeSource{s.trainerHome}
	case domain.RoleAssessor:
		return []homeSource{s.assessorHome}
	case domain.RoleIQA:
		return []homeSource{s.iqaHome}
	case domain.RoleAOOfficer:
		return []homeSource{s.awardingHome}
	case domain.RoleLAOfficer:
		return []homeSource{s.laHome}
	case domain.RoleSettingManager:
		return []homeSource{s.settingHome}
	case domain.RoleLearner:
		return []homeSource{s.learnerHome}
	}
	return nil
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	u, ok := page.CurrentUser(r)
	if !ok {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return nil
	}
	ctx := r.Context()
	d := homeData{Role: u.Role, Today: s.site.Today()}
	for _, src := range s.homeSources(u.Role) {
		h, err := src(ctx, u, d.Today)
		if err != nil {
			return err
		}
		d.Add(h)
	}
	if sc := policy.Settings(u); policy.HasOwnSetting(u) {
		st, err := s.db.Setting(ctx, sc, sc.SettingURN)
		if err != nil {
			return err
		}
		d.Setting = &st
		if u.Role == domain.RoleSettingManager && policy.CanSeeSettingStaff(u) {
			if d.Staff, err = s.homeStaff(ctx, st.URN, d.Today); err != nil {
				return err
			}
		}
	}
	if u.Role == domain.RoleLearner && u.PractitionerID != 0 {
		p, err := s.db.Practitioner(ctx, policy.People(u), u.PractitionerID)
		if err != nil {
			return err
		}
		d.Practitioner = &p
		emps, err := s.db.Employments(ctx, policy.People(u), store.PeopleFilter{PractitionerID: p.ID})
		if err != nil {
			return err
		}
		d.Employments = emps.Employments
	}
	return s.site.Render(w, r, "home", "Home", d)
}

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	return s.site.Render(w, r, "accessibility", "Accessibility statement", nil)
}

// homeRegisters is the task list of registers to take in scope.
func (s *Server) homeRegisters(ctx context.Context, scope policy.Scope, today domain.Date) (page.TaskGroup, error) {
	g := page.TaskGroup{Heading: "Registers to take", Empty: "Every register of a session held so far is complete."}
	lines, n, err := daily.RegistersToTake(ctx, s.db.Reader(), scope, today, 5)
	if err != nil {
		return g, err
	}
	for _, l := range lines {
		g.Tasks = append(g.Tasks, page.Task{Text: l.CohortName + ", " + l.Date.Long(), Href: "/sessions/" + page.Itoa(l.ID) + "/attendance",
			Hint: page.Count(l.Marked) + " of " + page.Count(l.OnRegister) + " " + page.Plural(l.OnRegister, "learner", "learners") + " marked", Count: l.OnRegister - l.Marked})
	}
	if n > len(lines) {
		g.Tasks = append(g.Tasks, page.Task{Text: "Every cohort's registers", Href: "/cohorts", Hint: page.Count(n) + " sessions have a register to complete; the oldest are above", Count: n})
	}
	return g, nil
}

// homeSessions is the task list of sessions coming up in scope.
func (s *Server) homeSessions(ctx context.Context, scope policy.Scope, today domain.Date) (page.TaskGroup, error) {
	g := page.TaskGroup{Heading: "Today's and coming sessions", Empty: "No session is scheduled in the next four weeks."}
	lines, err := daily.Sessions(ctx, s.db.Reader(), scope, today, today.AddDays(28), 6)
	if err != nil {
		return g, err
	}
	for _, l := range lines {
		when, href := l.Date.Long(), "/cohorts/"+page.Itoa(l.CohortID)
		if l.Date.Equal(today) {
			// Today's session opens at its register.
			when, href = "Today", "/sessions/"+page.Itoa(l.ID)+"/attendance"
		}
		hint := page.Hours(l.Minutes)
		if l.Venue != "" {
			hint += " at " + l.Venue
		}
		g.Tasks = append(g.Tasks, page.Task{Text: when + ": " + l.CohortName + ", " + l.Topic, Href: href,
			Hint: hint + "; " + page.Count(l.OnRegister) + " " + page.Plural(l.OnRegister, "learner", "learners"), NoCount: true})
	}
	return g, nil
}

func (s *Server) programmeHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	c, err := daily.AppCounts(ctx, s.db.Reader(), policy.Delivery(u))
	if err != nil {
		return h, err
	}
	review := page.Task{Text: "Decide applications the rules could not", Href: "/review", Count: c.ManualReview, Hint: "Oldest first"}
	if c.ManualReview > 0 {
		review.Hint = "The oldest has waited " + page.Waited(c.OldestReview, today) + ", since " + c.OldestReview.Long()
	}
	h.Groups = append(h.Groups, page.TaskGroup{Heading: "Applications", Tasks: []page.Task{review}})
	progs, err := s.db.Programmes(ctx)
	if err != nil {
		return h, err
	}
	for _, p := range progs {
		if p.EndsOn.Before(today) {
			continue
		}
		rep, err := report.BuildProgress(ctx, s.db, policy.Delivery(u), p.ID, today)
		if err != nil {
			return h, err
		}
		pr := rep.Progress
		card := page.Card{Title: p.Name, Links: []page.Link{{Text: "Progress and forecast", Href: "/coverage/programmes/" + page.Itoa(p.ID)}, {Text: "Suppliers and contracts", Href: "/programmes/" + page.Itoa(p.ID)}}}
		if pr.Target > 0 {
			card.Rows = append(card.Rows, page.CardRow{Key: "Certified", Value: page.Count(pr.Certified) + " of the target of " + page.Count(pr.Target) + " (" + page.Percent(pr.TargetShare()) + ")"})
		} else {
			card.Rows = append(card.Rows, page.CardRow{Key: "Certified", Value: page.Count(pr.Certified) + " (no target set)"})
		}
		card.Rows = append(card.Rows,
			page.CardRow{Key: "Places contracted", Value: page.Count(rep.Allocated)},
			page.CardRow{Key: "In training", Value: page.Count(pr.InTraining)},
			page.CardRow{Key: "Forecast from cohorts in flight", Value: page.Decimal(rep.ForecastTotal()) + " more completions"})
		h.Cards = append(h.Cards, card)
		h.Warnings = append(h.Warnings, page.TargetWarnings(p.Name, pr.Target, rep.Allocated, pr.Certified, rep.ForecastTotal())...)
	}
	none, err := s.db.SearchSettings(ctx, policy.Settings(u), store.SettingFilter{LACode: "none", PageSize: 1})
	if err != nil {
		return h, err
	}
	h.Groups = append(h.Groups, page.TaskGroup{Heading: "Data quality", Tasks: []page.Task{
		{Text: "Settings Ofsted filed under no local authority", Href: "/settings?la=none", Count: none.Total,
			Hint: "They count in England's figures but in no authority's; check the register's latest release"},
		{Text: "Local authorities", Href: "/local-authorities", NoCount: true, Hint: "Each authority's settings on the register"},
	}})
	return h, nil
}

func (s *Server) supplierHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	scope := policy.Delivery(u)
	c, err := daily.AppCounts(ctx, s.db.Reader(), scope)
	if err != nil {
		return h, err
	}
	cohorts, err := s.db.Cohorts(ctx, scope, store.CohortFilter{PageSize: 1000})
	if err != nil {
		return h, err
	}
	places := page.TaskGroup{Heading: "Places", Tasks: []page.Task{
		{Text: "Place eligible applicants on a cohort", Href: "/applications?" + url.Values{"status": {string(domain.StatusEligible)}}.Encode(), Count: c.Unplaced,
			Hint: "Eligible, on no cohort and no waiting list"},
	}}
	starting := page.TaskGroup{Heading: "Cohorts starting in the next four weeks", Empty: "No cohort starts in the next four weeks."}
	for _, ch := range cohorts.Cohorts {
		if ch.Waiting > 0 {
			hint, href := "Full: move them to a cohort with space", "/cohorts/"+page.Itoa(ch.ID)+"/waiting-list/move"
			if ch.Free() > 0 {
				hint = page.Count(ch.Free()) + " " + page.Plural(ch.Free(), "place", "places") + " free on this cohort"
				href = "/cohorts/" + page.Itoa(ch.ID) + "#waiting-list"
			}
			places.Tasks = append(places.Tasks, page.Task{Text: "Waiting list of " + ch.Name, Href: href, Count: ch.Waiting, Hint: hint})
		}
		if !ch.StartsOn.Before(today) && ch.StartsOn.OnOrBefore(today.AddDays(28)) {
			starting.Tasks = append(starting.Tasks, page.Task{Text: ch.Name + ", from " + ch.StartsOn.Long(), Href: "/cohorts/" + page.Itoa(ch.ID),
				Hint: page.Count(ch.Placed) + " of " + page.Count(ch.Capacity) + " " + page.Plural(ch.Capacity, "place", "places") + " filled", Count: ch.Free()})
		}
	}
	regs, err := s.homeRegisters(ctx, scope, today)
	if err != nil {
		return h, err
	}
	h.Groups = append(h.Groups, places, regs, starting)
	if policy.CanSeeStatements(u) {
		h.Groups = append(h.Groups, page.TaskGroup{Heading: "Money", Tasks: []page.Task{
			{Text: "Statements and declarations", Href: "/statements", NoCount: true, Hint: "Declarations are made from each learner's record"},
		}})
	}
	return h, nil
}

func (s *Server) trainerHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	scope := policy.Delivery(u)
	next, err := s.homeSessions(ctx, scope, today)
	if err != nil {
		return h, err
	}
	regs, err := s.homeRegisters(ctx, scope, today)
	if err != nil {
		return h, err
	}
	h.Groups = append(h.Groups, next, regs)
	return h, nil
}

// assessorHome holds the assessor's place on the home until assessment
// adds its queue (marking, observations) with its own homeSource.
func (s *Server) assessorHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	c, err := daily.AppCounts(ctx, s.db.Reader(), policy.Delivery(u))
	if err != nil {
		return h, err
	}
	q, err := portfolio.Queue(ctx, s.db.Reader(), policy.Portfolio(u), 1, 1)
	if err != nil {
		return h, err
	}
	h.Groups = append(h.Groups, page.TaskGroup{Heading: "Your learners", Tasks: []page.Task{
		{Text: "Work waiting to be marked", Href: "/portfolio", Count: q.Total, Hint: "Submissions of your learners, oldest first"},
		{Text: "Quality assurance actions on your decisions", Href: "/quality/actions", NoCount: true},
		{Text: "Learners in training on your cohorts", Href: "/cohorts", Count: c.InTraining, Hint: "Open a cohort to record that a learner's assessment is complete"},
	}})
	return h, nil
}

// iqaHome is the IQA's way into sampling their supplier's assessment.
func (s *Server) iqaHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	return page.Home{Groups: []page.TaskGroup{{Heading: "Quality assurance", Tasks: []page.Task{
		{Text: "Sampling plans, samples and reports per assessor", Href: "/quality", NoCount: true},
		{Text: "Your supplier's cohorts", Href: "/cohorts", NoCount: true},
	}}}}, nil
}

func (s *Server) awardingHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	c, err := daily.AppCounts(ctx, s.db.Reader(), policy.Delivery(u))
	if err != nil {
		return h, err
	}
	h.Groups = append(h.Groups, page.TaskGroup{Heading: "Learners", Tasks: []page.Task{
		{Text: "Register learners", Href: "/applications?" + url.Values{"status": {string(domain.StatusInTraining)}}.Encode(), Count: c.ToRegister,
			Hint: "Enrolled, in training or completed with no learner number yet"},
		{Text: "Certify learners", Href: "/applications?" + url.Values{"status": {string(domain.StatusCompleted)}}.Encode(), Count: c.ToCertify,
			Hint: "Completed training and registered"},
	}})
	return h, nil
}

func (s *Server) laHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	code := u.Org.LACode
	scope, ok := policy.LACoverage(u, code)
	if !ok {
		return h, nil
	}
	cov, err := s.coverageCache.Build(ctx, s.db, scope, today)
	if err != nil {
		return h, err
	}
	row, ok := cov.Find(code)
	if !ok {
		return h, nil
	}
	all := row.All()
	path := "/coverage/la/" + url.PathEscape(code)
	h.Cards = append(h.Cards, page.Card{Title: row.Name + ": coverage today", Rows: []page.CardRow{
		{Key: "Eligible settings", Value: page.Count(all.Eligible)},
		{Key: "With a qualified SENCO", Value: page.Count(all.Qualified) + " (" + page.PercentOfText(all.Qualified, all.Eligible) + ")"},
		{Key: "With someone in training", Value: page.Count(all.InTraining)},
	}, Links: []page.Link{{Text: "Coverage of your authority", Href: path}, {Text: "Your local authority", Href: "/local-authorities"}}})
	lost, err := s.db.SettingsLostSENCO(ctx, scope, today.AddMonths(-6), today, code)
	if err != nil {
		return h, err
	}
	h.Groups = append(h.Groups, page.TaskGroup{Heading: "Settings to reach", Tasks: []page.Task{
		{Text: "Gap list", Href: path + "?show=gap", Count: all.Gap, Hint: "Eligible settings with no qualified SENCO and no one in training"},
		{Text: "Settings that lost their qualified SENCO", Href: path + "?show=lost", Count: len(lost), Hint: "In the last 6 months"},
	}})
	return h, nil
}

func (s *Server) settingHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	c, err := daily.AppCounts(ctx, s.db.Reader(), policy.Delivery(u))
	if err != nil {
		return h, err
	}
	h.Groups = append(h.Groups, page.TaskGroup{Heading: "Applications", Tasks: []page.Task{
		{Text: "Confirm your staff's applications", Href: "/applications", Count: c.ToConfirm, Hint: "Staff who applied themselves wait for you to confirm"},
		{Text: "Nominate a member of staff for SENCO training", Href: "/nominate", NoCount: true},
	}})
	return h, nil
}

func (s *Server) learnerHome(ctx context.Context, u domain.User, today domain.Date) (page.Home, error) {
	var h page.Home
	scope := policy.Delivery(u)
	apps, err := s.db.Applications(ctx, scope, store.AppFilter{PageSize: 20})
	if err != nil {
		return h, err
	}
	var live *store.Application
	for i, a := range apps.Applications {
		if a.Status.Live() && a.Status != domain.StatusCertified {
			live = &apps.Applications[i]
			break
		}
	}
	g := page.TaskGroup{Heading: "SENCO training"}
	switch {
	case live == nil:
		if policy.CanApply(u) {
			g.Tasks = append(g.Tasks, page.Task{Text: "Apply for Level 3 Early Years SENCO training", Href: "/apply", NoCount: true})
		}
		if apps.Total > 0 {
			g.Tasks = append(g.Tasks, page.Task{Text: "Your training record", Href: "/my-training", NoCount: true})
		}
	default:
		card := page.Card{Title: "Your training", Rows: []page.CardRow{{Key: "Status", Value: page.StatusTag(*live)["text"].(string)}},
			Links: []page.Link{{Text: "Your training: sessions and attendance", Href: "/my-training"}}}
		if live.CohortID != 0 {
			card.Rows = append(card.Rows, page.CardRow{Key: "Cohort", Value: live.CohortName})
			marks, held, err := s.db.Attendance(ctx, live.ID, live.CohortID, today)
			if err != nil {
				return h, err
			}
			if held > 0 {
				card.Rows = append(card.Rows, page.CardRow{Key: "Attendance so far", Value: page.Rate(domain.AttendanceRate(marks, held)) + " of " + page.Count(held) + " " + page.Plural(held, "session", "sessions")})
			}
			next, err := daily.Sessions(ctx, s.db.Reader(), scope, today, today.AddDays(366), 1)
			if err != nil {
				return h, err
			}
			if len(next) > 0 {
				n := next[0]
				v := n.Date.Long() + ": " + n.Topic + " (" + page.Hours(n.Minutes)
				if n.Venue != "" {
					v += ", " + n.Venue
				}
				card.Rows = append(card.Rows, page.CardRow{Key: "Next session", Value: v + ")"})
			} else {
				card.Rows = append(card.Rows, page.CardRow{Key: "Next session", Value: "None scheduled yet"})
			}
		}
		h.Cards = append(h.Cards, card)
		g.Tasks = append(g.Tasks, page.Task{Text: "Add your training sessions to your calendar", Href: "/my-training/sessions.ics", NoCount: true})
	}
	h.Groups = append(h.Groups, g)
	return h, nil
}

// homeStaff lists a setting's staff today with whether each is a qualified
// SENCO (the domain's rule) or where their training stands.
func (s *Server) homeStaff(ctx context.Context, urn string, today domain.Date) (page.StaffList, error) {
	lines, err := daily.SettingStaff(ctx, s.db.Reader(), urn, today)
	if err != nil {
		return nil, err
	}
	return page.StaffRows(lines, today), nil
}
