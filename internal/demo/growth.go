package demo

import (
	"fmt"
	"slices"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
)

// growth: in every authority of the register, settings review themselves
// before their staff trained and again since, those that trained rising
// further than those not yet trained (the demo's own story, not a
// finding); about half share their reviews with the authority. Every
// learner on the programme rates their confidence at enrolment, those who
// finished at the end of training, and those who finished half a year ago
// six months on. Each authority records one of its own SENCO courses and
// two mentoring contacts.
func (d *delivery) growth(register []domain.Setting) error {
	fws, err := catalogue.ReviewFrameworks()
	if err != nil {
		return err
	}
	fw := fws[len(fws)-1]
	trained := map[string]bool{}
	urns, err := store.Collect(d.ctx, d.tx.Reader(), "demo growth", func(sc store.Scanner, s *string) error { return sc.Scan(s) },
		`SELECT DISTINCT ap.setting_urn FROM applications ap WHERE `+store.StatusIn("ap.status", domain.Finished))
	if err != nil {
		return err
	}
	for _, u := range urns {
		trained[u] = true
	}
	byLA := map[string][]domain.Setting{}
	var las []string
	for _, s := range register {
		if s.LACode == "" || !domain.EligibleSetting(s, d.today) {
			continue
		}
		if _, ok := byLA[s.LACode]; !ok {
			las = append(las, s.LACode)
		}
		byLA[s.LACode] = append(byLA[s.LACode], s)
	}
	slices.Sort(las)
	for _, la := range las {
		var withTraining, without []domain.Setting
		for _, s := range byLA[la] {
			if trained[s.URN] {
				withTraining = append(withTraining, s)
			} else {
				without = append(without, s)
			}
		}
		// Every trained setting and six others of the authority: enough for
		// the figures of five, few enough to keep the demo's start quick.
		chosen := append(withTraining, without[:min(6, len(without))]...)
		for _, s := range chosen {
			if err := d.reviewTwice(fw, s, trained[s.URN]); err != nil {
				return err
			}
		}
		if err := d.laWork(la, byLA[la]); err != nil {
			return err
		}
	}
	return d.confidence()
}

// ratingFor draws an item's rating around a level (0 to 2).
func (d *delivery) ratingFor(level float64) domain.ReviewRating {
	x := level + d.rng.Float64() - 0.5
	switch {
	case x >= 1.5:
		return domain.RatingSecure
	case x >= 0.6:
		return domain.RatingPartly
	}
	return domain.RatingDevelopment
}

var demoEvidence = []string{
	"Room plans show adapted activities for the week.",
	"Staff meeting minutes record the discussion.",
	"Policy reviewed in the spring term.",
	"Seen in the SENCO's file of support plans, kept anonymised here.",
	"Parents' feedback forms from the last term.",
}

func (d *delivery) reviewTwice(fw domain.ReviewFramework, s domain.Setting, trained bool) error {
	scope := policy.Scope{Kind: policy.Setting, SettingURN: s.URN}
	actor := domain.Actor{Label: "demo setting manager of " + s.URN}
	before := 0.5 + d.rng.Float64()*0.4
	rise := 0.15 + d.rng.Float64()*0.2
	if trained {
		rise += 0.45
	}
	share := d.rng.IntN(2) == 0
	for i, on := range []domain.Date{d.today.AddDays(-330 + d.rng.IntN(40)), d.today.AddDays(-40 + d.rng.IntN(30))} {
		level := before + float64(i)*rise
		in := domain.ReviewInput{ReviewedOn: on, ReviewedBy: "Setting manager", Share: share, Ratings: map[string]domain.ItemRating{}}
		for _, a := range fw.Areas {
			for _, it := range a.Items {
				r := d.ratingFor(level)
				ir := domain.ItemRating{Rating: r, Evidence: demoEvidence[d.rng.IntN(len(demoEvidence))]}
				if r != domain.RatingSecure {
					ir.Actions = "Discuss at the next staff meeting and agree who leads it."
				}
				in.Ratings[it.Code] = ir
			}
		}
		if _, err := growth.SaveReview(d.ctx, d.tx, actor, scope, fw, in); err != nil {
			return fmt.Errorf("demo review of %s: %w", s.URN, err)
		}
	}
	return nil
}

// laWork is an authority's own course, attended by up to three people
// working in it, and two mentoring contacts.
func (d *delivery) laWork(la string, settings []domain.Setting) error {
	scope := policy.Scope{Kind: policy.LA, LACode: la}
	actor := domain.Actor{Label: "demo Area SENCO of " + la}
	in := map[string]bool{}
	for _, s := range settings {
		in[s.URN] = true
	}
	var attendees []int64
	for _, a := range d.apps {
		if in[a.urn] && len(attendees) < 3 && !slices.Contains(attendees, a.person.ID) {
			attendees = append(attendees, a.person.ID)
		}
	}
	if _, err := growth.AddCourse(d.ctx, d.tx, actor, scope, growth.LACourse{Title: "Local SENCO network: the graduated approach", HeldOn: d.today.AddDays(-400), Minutes: 180}, attendees); err != nil {
		return fmt.Errorf("demo LA course in %s: %w", la, err)
	}
	for i := range min(2, len(settings)) {
		s := settings[d.rng.IntN(len(settings))]
		m := growth.MentoringContact{SettingURN: s.URN, ContactOn: d.today.AddDays(-20 - 30*i), Mode: growth.MentoringModes[i],
			Note: "Talked through the setting's self-review and agreed the next steps of its action plan."}
		if _, err := growth.AddContact(d.ctx, d.tx, actor, scope, m); err != nil {
			return fmt.Errorf("demo mentoring in %s: %w", la, err)
		}
	}
	return nil
}

// confidence: each learner placed on a cohort rates at enrolment; those
// who finished, at the end; those who finished six months ago, again.
func (d *delivery) confidence() error {
	seen := map[int64]bool{}
	for _, a := range d.apps {
		if a.special == "learner" || seen[a.person.ID] {
			continue // the demo practitioner rates for themself
		}
		app, err := d.app(a)
		if err != nil {
			return err
		}
		if app.EnrolledOn.IsZero() || !app.Status.In(domain.PlaceHolding) {
			continue
		}
		seen[a.person.ID] = true
		scope := policy.Scope{Kind: policy.Self, PractitionerID: a.person.ID}
		actor := domain.Actor{Label: "demo practitioner " + fmt.Sprint(a.person.ID)}
		base := 1 + d.rng.IntN(3)
		share := d.rng.IntN(3) > 0
		points := []struct {
			p    domain.RatingPoint
			on   domain.Date
			lift int
		}{{domain.PointEnrolment, app.EnrolledOn, 0}}
		if app.Status.In(domain.Finished) && !app.LeftTrainingOn.IsZero() {
			points = append(points, struct {
				p    domain.RatingPoint
				on   domain.Date
				lift int
			}{domain.PointEnd, app.LeftTrainingOn, 1})
			if six := app.LeftTrainingOn.AddMonths(6); !six.After(d.today) {
				points = append(points, struct {
					p    domain.RatingPoint
					on   domain.Date
					lift int
				}{domain.PointFollowUp, six, 2})
			}
		}
		for _, pt := range points {
			if pt.on.After(d.today) {
				break
			}
			scores := map[string]int{}
			for _, area := range domain.JobRoleAreas {
				scores[area.Code] = max(domain.ConfidenceMin, min(domain.ConfidenceMax, base+pt.lift+d.rng.IntN(2)))
			}
			if _, err := growth.Rate(d.ctx, d.tx, actor, scope, pt.p, pt.on, scores, share); err != nil {
				if _, refused := domain.IsRefusal(err); refused {
					break
				}
				return fmt.Errorf("demo confidence of %d: %w", a.person.ID, err)
			}
		}
	}
	return nil
}
