package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/store/storetest"
)

// growthLeak is what Acorn's reviews say, which no other authority's token
// may read.
var growthLeak = []string{"Acorn shared evidence", "Acorn private evidence"}

func growthPath(prefix, name string) pathOf {
	return func(f *fixture, w *dlWorld) string { return prefix + dlID(w.growth, name) }
}

func growthIDs(w *dlWorld, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = dlID(w.growth, n)
	}
	return out
}

// growthSeed gives Acorn (EY000001, laA) a shared and an unshared
// self-review, and pA (who works there) a shared rating at enrolment and
// pS2 an unshared one.
func growthSeed(t *testing.T, f *fixture, w *dlWorld) {
	t.Helper()
	ctx := context.Background()
	fws, err := catalogue.ReviewFrameworks()
	if err != nil {
		t.Fatal(err)
	}
	fw := fws[len(fws)-1]
	w.growth = map[string]int64{}
	acorn := policy.Scope{Kind: policy.Setting, SettingURN: "EY000001"}
	err = f.db.InTx(ctx, func(tx *store.Tx) error {
		today := tx.Today()
		for _, r := range []struct {
			name, evidence string
			share          bool
		}{{"private", "Acorn private evidence", false}, {"shared", "Acorn shared evidence", true}} {
			ratings := map[string]domain.ItemRating{}
			for _, a := range fw.Areas {
				for _, it := range a.Items {
					ratings[it.Code] = domain.ItemRating{Rating: domain.RatingPartly, Evidence: r.evidence}
				}
			}
			rv, err := growth.SaveReview(ctx, tx, op, acorn, fw, domain.ReviewInput{ReviewedOn: today, ReviewedBy: "Acorn manager", Share: r.share, Ratings: ratings})
			if err != nil {
				return err
			}
			w.growth[r.name] = rv.ID
		}
		scores := map[string]int{}
		for _, a := range domain.JobRoleAreas {
			scores[a.Code] = 3
		}
		for name, who := range map[string]struct {
			p     string
			share bool
		}{"rating": {"pS2", true}, "unshared-rating": {"pB", false}} {
			id, _ := strconv.ParseInt(f.ids[who.p], 10, 64)
			r, err := growth.Rate(ctx, tx, op, policy.Scope{Kind: policy.Self, PractitionerID: id}, domain.PointEnrolment, today, scores, who.share)
			if err != nil {
				return err
			}
			w.growth[name] = r.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGrowthAPI: an LA's system reads only what its settings and
// practitioners shared; the programme team reads no individual review or
// rating; filter[updated_since] picks up a review shared later.
func TestGrowthAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		for _, c := range []struct {
			token, path string
			want        []string
		}{
			{"laA", "/api/v1/self-reviews", growthIDs(w, []string{"shared"})},
			{"laB", "/api/v1/self-reviews", nil},
			{"programme", "/api/v1/self-reviews", nil},
			{"supplier1", "/api/v1/self-reviews", nil},
			{"laA", "/api/v1/confidence-ratings", growthIDs(w, []string{"rating"})},
			{"programme", "/api/v1/confidence-ratings", nil},
		} {
			res := f.get(t, c.token, c.path)
			if res.Status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", c.token, c.path, res.Status, res.Body)
			}
			if got := res.ids(t); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("%s %s: %v, want %v", c.token, c.path, got, c.want)
			}
			if strings.Contains(string(res.Body), "Acorn private evidence") {
				t.Errorf("%s %s shows an unshared review", c.token, c.path)
			}
		}
		if res := f.get(t, "laA", "/api/v1/self-reviews/"+dlID(w.growth, "private")); res.Status != http.StatusNotFound {
			t.Errorf("laA reads an unshared review: %d", res.Status)
		}
		res := f.get(t, "laA", "/api/v1/self-reviews/"+dlID(w.growth, "shared"))
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"rating":"partly_in_place"`) {
			t.Errorf("shared review: %d %s", res.Status, res.Body)
		}
		later := now.Add(48 * 3600e9)
		f.db.SetClock(func() time.Time { return later })
		err := f.db.InTx(context.Background(), func(tx *store.Tx) error {
			_, err := growth.ShareReview(context.Background(), tx, op, policy.Scope{Kind: policy.Setting, SettingURN: "EY000001"}, w.growth["private"], true)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		res = f.get(t, "laA", "/api/v1/self-reviews?filter[updated_since]="+now.Add(24*3600e9).Format("2006-01-02T15:04:05Z"))
		if got := res.ids(t); res.Status != http.StatusOK || !slices.Equal(got, growthIDs(w, []string{"private"})) {
			t.Errorf("updated since: %d %v %s", res.Status, got, res.Body)
		}
	})
}
