package auth

import (
	"context"
	"fmt"
	"time"
)

// Failures are the recent failed sign-ins counted against one key: a source
// address or an account.
type Failures struct {
	Count int
	Last  time.Time // the latest failure
}

// Throttle decides when a sign-in attempt must wait. It slows guessing
// without handing an attacker the power to lock a person out:
//
//   - A source address that keeps failing waits longer after each failure
//     (SourceDelay, doubling, up to SourceMaxDelay), whatever account it
//     tries, so guessing from one place becomes slow.
//   - An account that has failed AccountLimit times, from anywhere, accepts
//     attempts only from sources with no recent failures. The holder, at
//     their own desk, still signs in; the sources doing the guessing do not.
//
// Failures are forgotten Window after the latest one, so a source that goes
// on guessing keeps its delay.
type Throttle struct {
	Window         time.Duration
	SourceFree     int // failures from a source before it must wait
	SourceDelay    time.Duration
	SourceMaxDelay time.Duration
	AccountLimit   int
}

// DefaultThrottle: three free mistakes from a source, then 1 s, 2 s, 4 s …
// up to 15 minutes; an account under attack after ten failures.
var DefaultThrottle = Throttle{
	Window:         time.Hour,
	SourceFree:     3,
	SourceDelay:    time.Second,
	SourceMaxDelay: 15 * time.Minute,
	AccountLimit:   10,
}

// Reasons a sign-in attempt is held back, for logs.
const (
	ThrottledSource  = "source"
	ThrottledAccount = "account"
)

// Check returns how long an attempt at now must wait, and why; a zero wait
// lets it through. source and account are the failures counted against the
// attempt's address and account within the window.
func (t Throttle) Check(now time.Time, source, account Failures) (time.Duration, string) {
	if wait := source.Last.Add(t.sourceDelay(source.Count)).Sub(now); wait > 0 {
		return wait, ThrottledSource
	}
	if account.Count >= t.AccountLimit && source.Count > 0 {
		// This source has failed lately and the account is under attack:
		// it may try again once its own failures are forgotten.
		if wait := source.Last.Add(t.Window).Sub(now); wait > 0 {
			return wait, ThrottledAccount
		}
	}
	return 0, ""
}

// sourceDelay is the wait after the n-th failure from one source.
func (t Throttle) sourceDelay(n int) time.Duration {
	if n < t.SourceFree {
		return 0
	}
	d := t.SourceDelay
	for i := t.SourceFree; i < n && d < t.SourceMaxDelay; i++ {
		d *= 2
	}
	return min(d, t.SourceMaxDelay)
}

// FailureCounter is where failed sign-ins are counted (the store), shared
// by every serve process.
type FailureCounter interface {
	SignInFailuresSince(ctx context.Context, key string, window time.Duration) (int, time.Time, error)
}

// Wait loads the failures of a sign-in attempt's source and account keys
// and returns Check's answer for them.
func (t Throttle) Wait(ctx context.Context, c FailureCounter, now time.Time, sourceKey, accountKey string) (time.Duration, string, error) {
	var src, acc Failures
	var err error
	if src.Count, src.Last, err = c.SignInFailuresSince(ctx, sourceKey, t.Window); err != nil {
		return 0, "", fmt.Errorf("sign-in failures of the source: %w", err)
	}
	if acc.Count, acc.Last, err = c.SignInFailuresSince(ctx, accountKey, t.Window); err != nil {
		return 0, "", fmt.Errorf("sign-in failures of the account: %w", err)
	}
	wait, why := t.Check(now, src, acc)
	return wait, why, nil
}

// WaitMessage says how long to wait in whole minutes (rounded up), for a
// person at the sign-in page.
func WaitMessage(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "Too many failed attempts to sign in. Wait a minute, then try again"
	}
	return fmt.Sprintf("Too many failed attempts to sign in. Wait %d minutes, then try again", m)
}
