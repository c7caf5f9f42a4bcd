package growth

import (
	"net/http"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/web/page"
)

// countsRow is one area of the LA's aggregate: for each group, how many
// items were rated each way in first and latest reviews.
type countsRow struct {
	Area   string
	Groups []countsGroup
}

type countsGroup struct {
	Group    string
	Shown    bool
	Settings string
	First    []string // secure, partly, development
	Latest   []string
}

type laData struct {
	LAName     string
	Counts     []countsRow
	Review     map[domain.Group]figure
	Confidence map[domain.Group]figure
	Groups     []domain.Group
	Shared     []reviewRow
	Courses    []courseRow
	Contacts   []growth.MentoringContact
	Modes      []option
	MinCell    int
	Statement  string
	// Forms.
	CourseTitle, CourseHours, Attendees string
	CourseOn                            page.DateField
	ContactOn                           page.DateField
	ContactSetting, ContactPerson, Note string
	page.Form
}

type courseRow struct {
	Course    growth.LACourse
	On, Hours string
	Names     string
}

// figure is an impact cell as the page writes it.
type figure struct {
	Withheld                     bool
	Units, First, Latest, Change string
	Responded, Rate              string
}

func figureOf(f domain.ImpactFigure) figure {
	out := figure{Withheld: f.Withheld, Responded: page.Count(f.Responded) + " of " + page.Count(f.Of)}
	if f.Of > 0 {
		out.Rate = page.Percent(f.ResponseRate)
	} else {
		out.Rate = "None could respond"
	}
	if !f.Withheld {
		out.Units, out.First, out.Latest, out.Change = page.Count(f.Units), page.Decimal(f.First), page.Decimal(f.Latest), signed(f.Change)
	}
	return out
}

func (s *Handlers) loadLA(r *http.Request) (laData, error) {
	ctx := r.Context()
	u, _ := page.CurrentUser(r)
	la := u.Org.LACode
	d := laData{LAName: u.Org.Name, Groups: domain.Groups, MinCell: domain.MinCell, Statement: domain.ImpactStatement,
		CourseOn: page.DateFieldOf(s.Today()), ContactOn: page.DateFieldOf(s.Today())}
	if rec, err := s.DB.LocalAuthority(ctx, policy.Coverage(u), la); err == nil {
		d.LAName = rec.Name
	}
	im, err := s.Impact.Impact(ctx, s.DB, la, s.Today())
	if err != nil {
		return d, err
	}
	counts := im.AreaCounts()
	for _, a := range s.current().Areas {
		row := countsRow{Area: a.Title}
		for _, g := range domain.Groups {
			c := counts[a.Code][g]
			cg := countsGroup{Group: g.Label(), Shown: c.Shown(), Settings: page.Count(c.Settings)}
			if cg.Shown {
				for _, rt := range domain.ReviewRatings {
					cg.First = append(cg.First, page.Count(c.First[rt]))
					cg.Latest = append(cg.Latest, page.Count(c.Latest[rt]))
				}
			}
			row.Groups = append(row.Groups, cg)
		}
		d.Counts = append(d.Counts, row)
	}
	sums := im.Sums()
	d.Review, d.Confidence = map[domain.Group]figure{}, map[domain.Group]figure{}
	for _, g := range domain.Groups {
		d.Review[g] = figureOf(sums[domain.ImpactKey{LACode: la, Measure: domain.MeasureReview, Group: g}].Figure())
		d.Confidence[g] = figureOf(sums[domain.ImpactKey{LACode: la, Measure: domain.MeasureConfidence, Group: g}].Figure())
	}
	shared, err := growth.Reviews(ctx, s.DB.Reader(), policy.Reviews(u), growth.ReviewFilter{Size: 100})
	if err != nil {
		return d, err
	}
	for _, rv := range shared {
		d.Shared = append(d.Shared, reviewRow{Review: rv, Secure: page.Count(rv.Count(domain.RatingSecure)), Partly: page.Count(rv.Count(domain.RatingPartly)),
			Develop: page.Count(rv.Count(domain.RatingDevelopment))})
	}
	courses, err := growth.Courses(ctx, s.DB.Reader(), policy.LAWork(u))
	if err != nil {
		return d, err
	}
	for _, c := range courses {
		names := make([]string, 0, len(c.Attendees))
		for _, a := range c.Attendees {
			names = append(names, a.Name)
		}
		d.Courses = append(d.Courses, courseRow{Course: c, On: c.HeldOn.Long(), Hours: page.Hours(c.Minutes), Names: strings.Join(names, ", ")})
	}
	if d.Contacts, err = growth.Contacts(ctx, s.DB.Reader(), policy.LAWork(u)); err != nil {
		return d, err
	}
	d.Modes = modeOptions("")
	return d, nil
}

func modeOptions(chosen string) []option {
	var out []option
	for _, m := range growth.MentoringModes {
		out = append(out, option{m, m, m == chosen})
	}
	return out
}

// LA is the LA officer's page: their settings' self-reviews in aggregate
// (cells of fewer than five withheld), the reviews shared with them, their
// mentoring contacts and their authority's own courses.
func (s *Handlers) LA(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadLA(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "growth-la", "Settings' growth in "+d.LAName, d)
}

// ids reads a list of practitioner ids separated by commas or spaces.
func ids(s string) ([]int64, bool) {
	var out []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, false
		}
		out = append(out, id)
	}
	return out, true
}

// CourseCreate records one of the authority's own courses and who attended.
func (s *Handlers) CourseCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadLA(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	d.CourseTitle, d.CourseHours, d.Attendees, d.CourseOn = r.PostFormValue("title"), r.PostFormValue("hours"), r.PostFormValue("attendees"), page.ReadDate(r, "held_on")
	c := growth.LACourse{Title: d.CourseTitle}
	c.HeldOn = d.ParseDate(d.CourseOn, "held_on-day", "the date of the course")
	var ok bool
	if c.Minutes, ok = hoursToMinutes(d.CourseHours); !ok {
		d.Fail("hours", "Enter the course's hours as a number in quarter hours, like 3 or 2.5")
	}
	people, ok := ids(d.Attendees)
	if !ok {
		d.Fail("attendees", "Enter the attendees' practitioner numbers separated by commas, like 12, 40, 41")
	}
	if d.Valid() {
		err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := growth.AddCourse(r.Context(), tx, domain.ActorOf(u), policy.LAWork(u), c, people)
			return err
		})
		if rule, ok := domain.IsRefusal(err); ok {
			field := rule.Field
			if field == "held_on" {
				field = "held_on-day"
			}
			d.Fail(field, rule.Msg)
		} else if err != nil {
			return err
		}
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "growth-la", "Settings' growth in "+d.LAName, d)
	}
	s.RedirectFlash(w, r, "/growth/la#courses", "Course recorded; its attendees show as LA-trained on coverage")
	return nil
}

// ContactCreate records a mentoring contact.
func (s *Handlers) ContactCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadLA(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	m := growth.MentoringContact{SettingURN: strings.TrimSpace(r.PostFormValue("setting")), Mode: r.PostFormValue("mode"), Note: r.PostFormValue("note")}
	d.ContactSetting, d.ContactPerson, d.Note, d.ContactOn, d.Modes = m.SettingURN, r.PostFormValue("practitioner"), m.Note, page.ReadDate(r, "contact_on"), modeOptions(m.Mode)
	if p := strings.TrimSpace(d.ContactPerson); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			d.Fail("practitioner", "Enter the practitioner's number, like 12, or leave it blank")
		}
		m.PractitionerID = id
	}
	m.ContactOn = d.ParseDate(d.ContactOn, "contact_on-day", "the date of the contact")
	if d.Valid() {
		err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := growth.AddContact(r.Context(), tx, domain.ActorOf(u), policy.LAWork(u), m)
			return err
		})
		if rule, ok := domain.IsRefusal(err); ok {
			field := rule.Field
			if field == "contact_on" {
				field = "contact_on-day"
			}
			d.Fail(field, rule.Msg)
		} else if err != nil {
			return err
		}
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "growth-la", "Settings' growth in "+d.LAName, d)
	}
	s.RedirectFlash(w, r, "/growth/la#mentoring", "Mentoring contact recorded")
	return nil
}
