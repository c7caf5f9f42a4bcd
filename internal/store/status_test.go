package store_test

import (
	"context"
	"slices"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestStatusGroupsSQLMatchDomain: the SQL the store builds for each status
// group selects exactly the statuses the domain puts in it.
func TestStatusGroupsSQLMatchDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		all := append(slices.Clone(domain.Statuses), domain.StatusTransferred)
		groups := map[string][]domain.Status{
			"holds a place": domain.PlaceHolding, "training": domain.Training, "finished": domain.Finished,
			"not live": domain.NotLive, "unfunded": domain.Unfunded, "departed": domain.Departed,
		}
		for name, group := range groups {
			for _, negate := range []bool{false, true} {
				got, err := db.StatusGroupForTest(context.Background(), all, group, negate)
				if err != nil {
					t.Fatal(err)
				}
				var want []domain.Status
				for _, s := range all {
					if s.In(group) != negate {
						want = append(want, s)
					}
				}
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s (negated %v): SQL selects %v, the domain %v", name, negate, got, want)
				}
			}
		}
	})
}
