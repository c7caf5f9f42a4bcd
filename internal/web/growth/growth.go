// Package growth holds the pages of the SENCO's own growth: a setting's
// SEND self-review, its comparison with the previous review and its action
// plan; a practitioner's confidence against the job role, development
// plan, CPD, pathway and prior learning; an assessor's decisions on prior
// learning; the LA officer's view of their settings in aggregate, with
// mentoring and the authority's own courses; and the programme's impact.
package growth

import (
	"net/http"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store/growth"
	"senco/internal/web/page"
)

// Handlers are the growth pages.
type Handlers struct {
	*page.Site
	// Frameworks are the self-review's versions, oldest first.
	Frameworks []domain.ReviewFramework
	// Pathway is the catalogue's Level 3–7 pathway.
	Pathway []domain.PathwayLevel
	// Impact keeps the impact counts until the data changes.
	Impact *growth.Cache
}

// current is the framework new reviews use.
func (s *Handlers) current() domain.ReviewFramework { return s.Frameworks[len(s.Frameworks)-1] }

// framework is the version a review was made with.
func (s *Handlers) framework(v int) domain.ReviewFramework {
	for _, f := range s.Frameworks {
		if f.Version == v {
			return f
		}
	}
	return s.current()
}

type hubData struct {
	Links []hubLink
}

type hubLink struct{ Href, Text, Hint string }

// Hub is where the growth pages start: what this user may do here.
func (s *Handlers) Hub(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	var d hubData
	if policy.CanRunReview(u) {
		d.Links = append(d.Links, hubLink{"/growth/reviews", "Your setting's SEND self-review", "Rate your setting against each area, compare with your last review and keep an action plan"})
	}
	if policy.CanRateConfidence(u) {
		d.Links = append(d.Links, hubLink{"/growth/me", "Your confidence, development and pathway", "Rate your confidence against the SENCO job role, plan your development, log CPD and see what is open to you next"})
	}
	if policy.CanAssessPriorLearning(u) {
		d.Links = append(d.Links, hubLink{"/growth/prior-learning", "Prior learning to decide", "Approve or refuse learners' claims of prior learning, criterion by criterion"})
	}
	if policy.CanSupportSettings(u) {
		d.Links = append(d.Links, hubLink{"/growth/la", "Your settings' self-reviews, mentoring and courses", "Self-reviews in aggregate and those shared with you, your mentoring contacts and your authority's own SENCO courses"})
	}
	return s.Render(w, r, "growth-hub", "Growth", d)
}

// ratingItems are the radios of a review item.
type option struct {
	Value, Text string
	Checked     bool
}

func ratingOptions(chosen domain.ReviewRating) []option {
	out := make([]option, 0, len(domain.ReviewRatings))
	for _, r := range domain.ReviewRatings {
		out = append(out, option{string(r), r.Label(), r == chosen})
	}
	return out
}

func scoreOptions(chosen int) []option {
	out := make([]option, 0, domain.ConfidenceMax)
	for i := domain.ConfidenceMin; i <= domain.ConfidenceMax; i++ {
		out = append(out, option{strconv.Itoa(i), strconv.Itoa(i) + ": " + domain.ConfidenceLabel(i), i == chosen})
	}
	return out
}

func areaOptions(chosen string, none bool) []option {
	var out []option
	if none {
		out = append(out, option{"", "None in particular", chosen == ""})
	}
	for _, a := range domain.JobRoleAreas {
		out = append(out, option{a.Code, a.Title, a.Code == chosen})
	}
	return out
}

// ratingTag is a rating as a tag: colour with its words, never colour alone.
func ratingTag(r domain.ReviewRating) map[string]any {
	c := "govuk-tag--red"
	switch r {
	case domain.RatingSecure:
		c = "govuk-tag--green"
	case domain.RatingPartly:
		c = "govuk-tag--yellow"
	}
	return map[string]any{"text": r.Label(), "classes": c}
}

// signed writes a change with its sign: "+0.5", "-0.2", "0.0".
func signed(f float64) string {
	s := page.Decimal(f)
	if f > 0.00001 && !strings.HasPrefix(s, "+") {
		s = "+" + s
	}
	if s == "-0.0" {
		s = "0.0"
	}
	return s
}

// hoursToMinutes reads hours such as "1.5" as minutes, false when it is not
// a number of quarter hours.
func hoursToMinutes(s string) (int, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f <= 0 {
		return 0, false
	}
	m := int(f*60 + 0.5)
	return m, m%15 == 0
}
