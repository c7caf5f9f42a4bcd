package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/store/storetest"
)

func ratedAll(f domain.ReviewFramework, r domain.ReviewRating) map[string]domain.ItemRating {
	m := map[string]domain.ItemRating{}
	for _, a := range f.Areas {
		for _, it := range a.Items {
			m[it.Code] = domain.ItemRating{Rating: r, Evidence: "Seen in the room plans"}
		}
	}
	return m
}

// TestGrowthScopes: a setting's reviews are its own and its LA's only when
// shared; a practitioner's ratings likewise; other organisations and the
// programme team read none individually, on both databases.
func TestGrowthScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDelivery(t, db)
		fws, err := catalogue.ReviewFrameworks()
		if err != nil {
			t.Fatal(err)
		}
		fw := fws[len(fws)-1]
		leedsSetting := policy.Scope{Kind: policy.Setting, SettingURN: "EY000001"}
		otherSetting := policy.Scope{Kind: policy.Setting, SettingURN: "EY000003"}
		leedsLA := policy.Scope{Kind: policy.LA, LACode: "E08000035"}
		barkingLA := policy.Scope{Kind: policy.LA, LACode: "E09000002"}
		today := domain.DateOf(db.Now())
		first, err := inTx(t, db, func(tx *store.Tx) (domain.SelfReview, error) {
			return growth.SaveReview(ctx, tx, op, leedsSetting, fw, domain.ReviewInput{ReviewedOn: today.AddDays(-200), ReviewedBy: "Sam Manager", Ratings: ratedAll(fw, domain.RatingDevelopment)})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.SelfReview, error) {
			return growth.SaveReview(ctx, tx, op, leedsSetting, fw, domain.ReviewInput{ReviewedOn: today.AddDays(-300), ReviewedBy: "Sam", Ratings: ratedAll(fw, domain.RatingSecure)})
		}); err == nil {
			t.Error("a review dated before the previous one was saved")
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.SelfReview, error) {
			return growth.SaveReview(ctx, tx, op, leedsLA, fw, domain.ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: ratedAll(fw, domain.RatingSecure)})
		}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an LA saved a setting's review: %v", err)
		}
		second, err := inTx(t, db, func(tx *store.Tx) (domain.SelfReview, error) {
			return growth.SaveReview(ctx, tx, op, leedsSetting, fw, domain.ReviewInput{ReviewedOn: today, ReviewedBy: "Sam Manager", Share: true, Ratings: ratedAll(fw, domain.RatingSecure)})
		})
		if err != nil {
			t.Fatal(err)
		}
		count := func(s policy.Scope) int {
			rs, err := growth.Reviews(ctx, db.Reader(), s, growth.ReviewFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(rs)
		}
		for _, c := range []struct {
			name  string
			scope policy.Scope
			want  int
		}{
			{"own setting", leedsSetting, 2}, {"another setting", otherSetting, 0}, {"own LA, one shared", leedsLA, 1},
			{"another LA", barkingLA, 0}, {"programme team", f.national, 0}, {"supplier", f.supScope, 0},
		} {
			if got := count(c.scope); got != c.want {
				t.Errorf("%s sees %d reviews, want %d", c.name, got, c.want)
			}
		}
		if _, err := growth.Review(ctx, db.Reader(), leedsLA, first.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LA read an unshared review: %v", err)
		}
		prev, ok, err := growth.Previous(ctx, db.Reader(), leedsSetting, second)
		if err != nil || !ok || prev.ID != first.ID || len(prev.Ratings) != 18 {
			t.Fatalf("previous %+v %v %v", prev.ID, ok, err)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.SelfReview, error) {
			return growth.ShareReview(ctx, tx, op, leedsSetting, first.ID, true)
		}); err != nil {
			t.Fatal(err)
		}
		if got := count(leedsLA); got != 2 {
			t.Errorf("LA sees %d after sharing", got)
		}
		since, _ := growth.Reviews(ctx, db.Reader(), leedsLA, growth.ReviewFilter{UpdatedSince: db.Now().Add(time.Hour)})
		if len(since) != 0 {
			t.Errorf("updated_since in the future: %d", len(since))
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.ReviewAction, error) {
			return growth.AddAction(ctx, tx, op, leedsSetting, fw, second.ID, "parents.involve", "Coffee mornings each term", "Sam", today.AddMonths(3))
		}); err != nil {
			t.Fatal(err)
		}
		if acts, _ := growth.Actions(ctx, db.Reader(), leedsSetting); len(acts) != 1 {
			t.Errorf("actions %d", len(acts))
		}
		if acts, _ := growth.Actions(ctx, db.Reader(), otherSetting); len(acts) != 0 {
			t.Errorf("another setting sees %d actions", len(acts))
		}

		// Confidence: own, and the LA's only when shared.
		self := policy.Scope{Kind: policy.Self, PractitionerID: f.people[0]}
		scores := map[string]int{}
		for _, a := range domain.JobRoleAreas {
			scores[a.Code] = 2
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.ConfidenceRating, error) {
			return growth.Rate(ctx, tx, op, self, domain.PointEnrolment, today.AddDays(-100), scores, true)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.ConfidenceRating, error) {
			return growth.Rate(ctx, tx, op, self, domain.PointEnrolment, today, scores, true)
		}); err == nil {
			t.Error("rated at enrolment twice")
		}
		for _, c := range []struct {
			name  string
			scope policy.Scope
			want  int
		}{{"self", self, 1}, {"another", policy.Scope{Kind: policy.Self, PractitionerID: f.people[1]}, 0}, {"own LA", leedsLA, 1}, {"another LA", barkingLA, 0}, {"national", f.national, 0}} {
			rs, err := growth.Ratings(ctx, db.Reader(), c.scope, growth.RatingFilter{})
			if err != nil || len(rs) != c.want {
				t.Errorf("%s: %d ratings (%v), want %d", c.name, len(rs), err, c.want)
			}
			if len(rs) == 1 && (rs[0].Scores["parents"] != 2 || rs[0].LACode != "E08000035") {
				t.Errorf("%s: %+v", c.name, rs[0])
			}
		}

		// Prior learning: claimed by the practitioner, decided by one who
		// sees their application; the approved criteria come back.
		q, err := db.Qualification(ctx, f.prog.QualificationID)
		if err != nil {
			t.Fatal(err)
		}
		q.Units = []domain.Unit{{Ref: "1", Outcomes: []domain.LearningOutcome{{Ref: "1.1", Criteria: []domain.Criterion{{Ref: "1.1.1", Text: "Explain"}}}}}}
		claim, err := inTx(t, db, func(tx *store.Tx) (domain.RPLClaim, error) {
			return growth.ClaimRPL(ctx, tx, op, self, q, "1/1.1/1.1.1", "LA SENCO course, 2024", "Certificate and reflective account")
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.RPLClaim, error) {
			return growth.DecideRPL(ctx, tx, op, self, claim.ID, true, "")
		}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a practitioner decided their own claim: %v", err)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (store.Application, error) {
			return tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: f.people[0], SettingURN: "EY000001", AppliedOn: domain.NewDate(2026, 2, 1), Nominated: true})
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.RPLClaim, error) {
			return growth.DecideRPL(ctx, tx, op, f.otherSup, claim.ID, true, "")
		}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a supplier outside the learner's authority decided: %v", err)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.RPLClaim, error) {
			return growth.DecideRPL(ctx, tx, op, f.national, claim.ID, true, "")
		}); err != nil {
			t.Fatal(err)
		}
		got, err := growth.ApprovedCriteria(ctx, db.Reader(), f.people[0], q.ID)
		if err != nil || got["1/1.1/1.1.1"].Source != "LA SENCO course, 2024" {
			t.Errorf("approved %+v %v", got, err)
		}

		// The LA's course makes the setting LA-trained.
		if _, err := inTx(t, db, func(tx *store.Tx) (growth.LACourse, error) {
			return growth.AddCourse(ctx, tx, op, barkingLA, growth.LACourse{Title: "SENCO network", HeldOn: today, Minutes: 180}, []int64{f.people[0]})
		}); err == nil {
			t.Error("Barking recorded a Leeds practitioner on its course")
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (growth.LACourse, error) {
			return growth.AddCourse(ctx, tx, op, leedsLA, growth.LACourse{Title: "SENCO network", HeldOn: today, Minutes: 180}, []int64{f.people[0]})
		}); err != nil {
			t.Fatal(err)
		}
		trained, err := growth.LATrained(ctx, db.Reader(), "E08000035", today)
		if err != nil || !trained["EY000001"] || trained["EY000003"] {
			t.Errorf("LA-trained %v %v", trained, err)
		}
		if cs, _ := growth.Courses(ctx, db.Reader(), barkingLA); len(cs) != 0 {
			t.Errorf("Barking sees Leeds's courses")
		}

		// Impact counts one setting with two reviews: too few to show.
		im, err := growth.LoadImpact(ctx, db.Reader(), "", today)
		if err != nil {
			t.Fatal(err)
		}
		sums := im.Sums()
		all := sums[domain.ImpactKey{LACode: "E08000035", Measure: domain.MeasureReview, Group: domain.GroupNotTrained}]
		if all.Units != 1 || all.Scores != 18 || all.First != 0 || all.Latest != 36 || all.Responded != 1 {
			t.Errorf("impact sums %+v", all)
		}
		if fig := all.Figure(); !fig.Withheld {
			t.Errorf("one setting shown: %+v", fig)
		}
		cache := growth.NewCache()
		a, _ := cache.Impact(ctx, db, "", today)
		b, _ := cache.Impact(ctx, db, "", today)
		if len(a.Reviews) != len(b.Reviews) || len(a.Reviews) == 0 {
			t.Errorf("cache %d %d", len(a.Reviews), len(b.Reviews))
		}
	})
}
