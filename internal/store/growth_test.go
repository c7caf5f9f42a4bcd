package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
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

// TestImpactKeptSumsAgree: the impact counts, read from the sums kept per
// authority and area, equal the same counts made directly from every
// setting's and practitioner's rows, for England and for one authority,
// on data written by the real review and rating functions (random ratings,
// one to three reviews a setting, some settings and people trained), on
// both databases.
func TestImpactKeptSumsAgree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDelivery(t, db)
		fws, err := catalogue.ReviewFrameworks()
		if err != nil {
			t.Fatal(err)
		}
		fw := fws[len(fws)-1]
		today := domain.DateOf(db.Now())
		rng := rand.New(rand.NewPCG(7, 11))
		las := []string{"E08000035", "E09000002"}
		var urns []string
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var ss []domain.Setting
			for i := range 24 {
				urn := fmt.Sprintf("EY9%05d", i)
				ss = append(ss, setting(urn, "Impact "+urn, domain.NonDomestic, las[i%2], true))
				urns = append(urns, urn)
			}
			return tx.InsertSettings(ctx, ss)
		})
		if err != nil {
			t.Fatal(err)
		}
		ratings := domain.ReviewRatings
		for i, urn := range urns {
			scope := policy.Scope{Kind: policy.Setting, SettingURN: urn}
			for k := range 1 + i%3 {
				m := map[string]domain.ItemRating{}
				for _, a := range fw.Areas {
					for _, it := range a.Items {
						m[it.Code] = domain.ItemRating{Rating: ratings[rng.IntN(len(ratings))], Evidence: "Seen"}
					}
				}
				if _, err := inTx(t, db, func(tx *store.Tx) (domain.SelfReview, error) {
					return growth.SaveReview(ctx, tx, op, scope, fw, domain.ReviewInput{ReviewedOn: today.AddDays(-300 + 100*k), ReviewedBy: "Manager", Ratings: m})
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i, id := range f.people {
			self := policy.Scope{Kind: policy.Self, PractitionerID: id}
			for k, point := range domain.RatingPoints[:1+i%3] {
				scores := map[string]int{}
				for _, a := range domain.JobRoleAreas {
					scores[a.Code] = 1 + rng.IntN(5)
				}
				if _, err := inTx(t, db, func(tx *store.Tx) (domain.ConfidenceRating, error) {
					return growth.Rate(ctx, tx, op, self, point, today.AddDays(-400+190*k), scores, false)
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Trained: completed applications from every third setting and of
		// two of the people (written as rows: only their status counts).
		err = db.InTx(ctx, func(tx *store.Tx) error {
			now := tx.Now()
			for i, urn := range urns {
				if i%3 != 0 {
					continue
				}
				p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "T", FamilyName: urn, QualificationLevel: 3, OwnerOrgID: f.supplier.ID})
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO applications (programme_id, practitioner_id, setting_urn, la_code, applied_on, nominated, status, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, f.prog.ID, p.ID, urn, las[i%2], today.AddDays(-400), true, string(domain.StatusCompleted), now); err != nil {
					return err
				}
			}
			for _, id := range f.people[1:3] {
				if _, err := tx.Exec(ctx, `INSERT INTO applications (programme_id, practitioner_id, setting_urn, la_code, applied_on, nominated, status, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, f.prog.ID, id, "EY000001", "E08000035", today.AddDays(-400), true, string(domain.StatusCertified), now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Responses are counted in two forms (a join for England, a probe
		// for one authority): Leeds's cells agree in both.
		responses := map[string]map[string]string{}
		for _, la := range []string{"", "E08000035"} {
			im, err := growth.LoadImpact(ctx, db.Reader(), la, today)
			if err != nil {
				t.Fatal(err)
			}
			responses[la] = map[string]string{}
			for _, r := range im.Responses {
				if r.LACode == "E08000035" {
					responses[la][fmt.Sprint(r.Measure, r.Group)] = fmt.Sprint(r.Of, r.Responded)
				}
			}
			wantReviews, wantConf := impactFromRows(t, db, la)
			if got := reviewCells(im.Reviews); !maps.Equal(got, wantReviews) {
				t.Errorf("la %q: reviews from the kept sums\n%v\nfrom the rows\n%v", la, got, wantReviews)
			}
			if got := confidenceCells(im.Confidence); !maps.Equal(got, wantConf) {
				t.Errorf("la %q: confidence from the kept sums\n%v\nfrom the rows\n%v", la, got, wantConf)
			}
			if len(wantReviews) == 0 || len(wantConf) == 0 {
				t.Errorf("la %q: nothing to compare (%d, %d)", la, len(wantReviews), len(wantConf))
			}
		}
		if !maps.Equal(responses[""], responses["E08000035"]) || len(responses[""]) < 3 {
			t.Errorf("Leeds's responses in England's count %v, in Leeds's own %v", responses[""], responses["E08000035"])
		}
	})
}

type impactCell struct {
	la    string
	group domain.Group
	area  string
}

func reviewCells(rs []growth.ReviewAgg) map[impactCell]string {
	out := map[impactCell]string{}
	for _, r := range rs {
		out[impactCell{r.LACode, r.Group, r.Area}] = fmt.Sprint(r.Settings, r.Items, r.First, r.Latest,
			r.FirstCounts[domain.RatingSecure], r.FirstCounts[domain.RatingPartly], r.FirstCounts[domain.RatingDevelopment],
			r.LatestCounts[domain.RatingSecure], r.LatestCounts[domain.RatingPartly], r.LatestCounts[domain.RatingDevelopment])
	}
	return out
}

func confidenceCells(cs []growth.ConfidenceAgg) map[impactCell]string {
	out := map[impactCell]string{}
	for _, c := range cs {
		out[impactCell{c.LACode, c.Group, c.Area}] = fmt.Sprint(c.People, c.First, c.Latest)
	}
	return out
}

// impactFromRows counts the impact cells in Go from every row of the
// per-setting and per-practitioner tables, and who trained.
func impactFromRows(t *testing.T, db *store.DB, la string) (map[impactCell]string, map[impactCell]string) {
	t.Helper()
	ctx := context.Background()
	trainedSettings, trainedPeople := map[string]bool{}, map[int64]bool{}
	type app struct {
		urn, la string
		person  int64
		status  domain.Status
	}
	apps, err := store.Collect(ctx, db.Reader(), "apps", func(sc store.Scanner, a *app) error {
		return sc.Scan(&a.urn, &a.la, &a.person, &a.status)
	}, `SELECT setting_urn, COALESCE(la_code, ''), practitioner_id, status FROM applications`)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if slices.Contains(domain.Finished, a.status) {
			if la == "" || a.la == la {
				trainedSettings[a.urn] = true
			}
			trainedPeople[a.person] = true
		}
	}
	reviews := map[impactCell]*growth.ReviewAgg{}
	type srow struct {
		urn, area, la                              string
		n, items, fp, fs, fpa, fd, lp, ls, lpa, ld int
	}
	srows, err := store.Collect(ctx, db.Reader(), "setting areas", func(sc store.Scanner, r *srow) error {
		return sc.Scan(&r.urn, &r.area, &r.la, &r.n, &r.items, &r.fp, &r.fs, &r.fpa, &r.fd, &r.lp, &r.ls, &r.lpa, &r.ld)
	}, `SELECT setting_urn, area_code, la_code, reviews, items, first_points, first_secure, first_partly, first_development,
		latest_points, latest_secure, latest_partly, latest_development FROM growth_setting_areas`)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range srows {
		if r.n < 2 || (la != "" && r.la != la) {
			continue
		}
		g := domain.GroupNotTrained
		if trainedSettings[r.urn] {
			g = domain.GroupTrained
		}
		k := impactCell{r.la, g, r.area}
		c := reviews[k]
		if c == nil {
			c = &growth.ReviewAgg{LACode: r.la, Group: g, Area: r.area, FirstCounts: map[domain.ReviewRating]int{}, LatestCounts: map[domain.ReviewRating]int{}}
			reviews[k] = c
		}
		c.Settings++
		c.Items += r.items
		c.First += r.fp
		c.Latest += r.lp
		c.FirstCounts[domain.RatingSecure] += r.fs
		c.FirstCounts[domain.RatingPartly] += r.fpa
		c.FirstCounts[domain.RatingDevelopment] += r.fd
		c.LatestCounts[domain.RatingSecure] += r.ls
		c.LatestCounts[domain.RatingPartly] += r.lpa
		c.LatestCounts[domain.RatingDevelopment] += r.ld
	}
	conf := map[impactCell]*growth.ConfidenceAgg{}
	type prow struct {
		person           int64
		area, la         string
		n, first, latest int
	}
	prows, err := store.Collect(ctx, db.Reader(), "practitioner areas", func(sc store.Scanner, r *prow) error {
		return sc.Scan(&r.person, &r.area, &r.la, &r.n, &r.first, &r.latest)
	}, `SELECT practitioner_id, area_code, la_code, ratings, first_score, latest_score FROM growth_practitioner_areas`)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range prows {
		if r.n < 2 || (la != "" && r.la != la) {
			continue
		}
		g := domain.GroupNotTrained
		if trainedPeople[r.person] {
			g = domain.GroupTrained
		}
		k := impactCell{r.la, g, r.area}
		c := conf[k]
		if c == nil {
			c = &growth.ConfidenceAgg{LACode: r.la, Group: g, Area: r.area}
			conf[k] = c
		}
		c.People++
		c.First += r.first
		c.Latest += r.latest
	}
	var rs []growth.ReviewAgg
	for _, c := range reviews {
		rs = append(rs, *c)
	}
	var cs []growth.ConfidenceAgg
	for _, c := range conf {
		cs = append(cs, *c)
	}
	return reviewCells(rs), confidenceCells(cs)
}
