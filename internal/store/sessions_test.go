package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestSessionLimits holds sessions to both limits on the store's clock: a
// session used every hour still ends 12 hours after it began, and one left
// alone ends after the idle time; touching an ended session does not revive it.
func TestSessionLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		now := start
		db.SetClock(func() time.Time { return now })
		lim := store.SessionLimits{Idle: 2 * time.Hour, Max: 12 * time.Hour}
		op := domain.OperatorActor("test")
		var u domain.User
		err := db.InTx(ctx, func(tx *store.Tx) error {
			o, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme"})
			if err != nil {
				return err
			}
			u, err = tx.CreateUser(ctx, op, domain.User{Email: "a@example.org", Name: "A", Role: domain.RoleProgrammeTeam, Org: o}, "hash")
			if err != nil {
				return err
			}
			if err := tx.CreateSession(ctx, "busy", u.ID, lim); err != nil {
				return err
			}
			return tx.CreateSession(ctx, "idle", u.ID, lim)
		})
		if err != nil {
			t.Fatal(err)
		}
		live := func(token string) bool {
			t.Helper()
			_, _, err := db.SessionUser(ctx, token, lim)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}

		// Used every hour: live through the 11th hour, ended by the 13th.
		for h := 1; h <= 11; h++ {
			now = start.Add(time.Duration(h) * time.Hour)
			if !live("busy") {
				t.Fatalf("busy session ended after %d hours", h)
			}
			if err := db.TouchSession(ctx, "busy", lim); err != nil {
				t.Fatal(err)
			}
		}
		now = start.Add(12*time.Hour + time.Minute)
		if live("busy") {
			t.Error("session accepted 12 hours and a minute after it began")
		}
		now = start.Add(13 * time.Hour)
		if err := db.TouchSession(ctx, "busy", lim); err != nil {
			t.Fatal(err)
		}
		if live("busy") {
			t.Error("session accepted 13 hours after it began, after a touch")
		}

		// Left alone: ended after the idle time, and a touch then does not
		// bring it back.
		if live("idle") {
			t.Error("idle session accepted 13 hours on")
		}
		now = start.Add(2*time.Hour + time.Minute)
		if err := db.TouchSession(ctx, "idle", lim); err != nil {
			t.Fatal(err)
		}
		if live("idle") {
			t.Error("idle session revived by a touch after its idle expiry")
		}
	})
}
