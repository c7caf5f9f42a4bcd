package api

import (
	"sync"
	"time"
)

// limiter is a token bucket per API token, in memory. Each instance limits
// on its own: behind several instances a client may get up to n times the
// rate, which is acceptable for protecting the database from one runaway
// client.
type limiter struct {
	rate  float64 // tokens added per second; <= 0 means no limit
	burst float64

	mu        sync.Mutex
	buckets   map[int64]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{rate: perSecond, burst: float64(max(burst, 1)), buckets: map[int64]*bucket{}}
}

// sweepEvery is how often buckets that have refilled (idle tokens) are
// forgotten, so the map holds only recently active tokens.
const sweepEvery = time.Minute

// allow takes one request from key's bucket at now. When the bucket is
// empty it reports false and how long until a request would be allowed.
func (l *limiter) allow(key int64, now time.Time) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		for k, b := range l.buckets {
			if l.level(b, now) >= l.burst {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens, b.at = l.level(b, now), now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// level is the bucket's tokens at now, refilled since it was last touched.
func (l *limiter) level(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return min(l.burst, b.tokens+elapsed*l.rate)
}
