package connectors

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultMaxCallsPerSecond is the cap a Budget applies when asked for the platform's safe
// default: Cafe24 may treat 10 or more calls a second from one IP to one mall as abuse.
const DefaultMaxCallsPerSecond = 8

// BudgetOptions configure a Budget. The zero value is Cafe24's documented bucket.
type BudgetOptions struct {
	// MaxCallsPerSecond caps calls while the platform's bucket has room. Zero means
	// DefaultMaxCallsPerSecond; a negative value removes the cap.
	MaxCallsPerSecond float64
	// DrainPerSecond is the platform's leak rate, the pace used once the bucket is filling up.
	// Zero means 2 (Cafe24).
	DrainPerSecond float64
	// PaceAt is the fill fraction of the bucket from which calls are paced at DrainPerSecond.
	// Zero means 0.75.
	PaceAt float64
	// Backoff429 is the first pause after a 429; it doubles with each 429 in a row, up to
	// MaxBackoff. Zero means 1s; MaxBackoff zero means 32s.
	Backoff429, MaxBackoff time.Duration
	// Pace429 is how long a 429 without X-Api-Call-Limit paces calls at DrainPerSecond. Zero
	// means as long as a full bucket (the last capacity seen, else 40) takes to drain.
	Pace429 time.Duration

	// NowFunc and SleepFunc replace the clock (tests).
	NowFunc   func() time.Time
	SleepFunc func(ctx context.Context, d time.Duration) error
}

// Budget is the call budget of one mall account in this process, shared by its sync and its
// write-backs. Call Wait before each call and Observe with each answer; the budget reads the
// platform's headers and slows down before the platform says no.
//
// Observe understands Cafe24's headers: X-Api-Call-Limit "used/capacity" (below PaceAt of the
// capacity calls go at up to MaxCallsPerSecond, from there on at the drain rate until the
// header shows room again), X-Cafe24-Call-Remain / X-Cafe24-Time-Remain (seconds to wait
// while a usage block lasts: no call is made before they are over), and 429 (a pause that
// doubles with each 429 in a row). It reads Naver's token bucket the same way:
// GNCP-GW-RateLimit-Burst-Capacity is the capacity, -Remaining what is left of it (used =
// capacity − remaining) and -Replenish-Rate the refill per second, which becomes the pace once
// the bucket is PaceAt full. A Budget is safe for concurrent use.
type Budget struct {
	opts BudgetOptions

	mu          sync.Mutex
	free        *rate.Limiter
	drain       *rate.Limiter
	pacing      bool
	paceUntil   time.Time // when pacing started by a 429 without X-Api-Call-Limit ends; zero: a header decides
	pauseUntil  time.Time
	tooMany     int // 429s in a row
	used, limit int // last X-Api-Call-Limit seen
}

// NewBudget returns a budget with opts.
func NewBudget(opts BudgetOptions) *Budget {
	if opts.DrainPerSecond <= 0 {
		opts.DrainPerSecond = 2
	}
	if opts.PaceAt <= 0 || opts.PaceAt > 1 {
		opts.PaceAt = 0.75
	}
	if opts.Backoff429 <= 0 {
		opts.Backoff429 = time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 32 * time.Second
	}
	if opts.NowFunc == nil {
		opts.NowFunc = time.Now
	}
	if opts.SleepFunc == nil {
		opts.SleepFunc = sleepCtx
	}
	b := &Budget{opts: opts, drain: rate.NewLimiter(rate.Limit(opts.DrainPerSecond), 1)}
	b.free = rate.NewLimiter(freeLimit(opts.MaxCallsPerSecond), 1)
	return b
}

func freeLimit(perSecond float64) rate.Limit {
	switch {
	case perSecond < 0:
		return rate.Inf
	case perSecond == 0:
		return DefaultMaxCallsPerSecond
	default:
		return rate.Limit(perSecond)
	}
}

// Wait blocks until a call may be made, or ctx is done.
func (b *Budget) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.mu.Lock()
		now := b.opts.NowFunc()
		if now.Before(b.pauseUntil) {
			d := b.pauseUntil.Sub(now)
			b.mu.Unlock()
			if err := b.opts.SleepFunc(ctx, d); err != nil {
				return err
			}
			continue
		}
		if b.pacing && !b.paceUntil.IsZero() && !now.Before(b.paceUntil) {
			b.pacing, b.paceUntil = false, time.Time{}
		}
		lim := b.free
		if b.pacing {
			lim = b.drain
		}
		r := lim.ReserveN(now, 1)
		d := r.DelayFrom(now)
		b.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := b.opts.SleepFunc(ctx, d); err != nil {
			r.CancelAt(now)
			return err
		}
		return nil
	}
}

// Observe feeds the budget what the platform said about its limits in resp.
func (b *Budget) Observe(resp *http.Response) {
	if resp == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.opts.NowFunc()
	bucketHeader := false
	if used, limit, ok := parseCallLimit(resp.Header.Get("X-Api-Call-Limit")); ok {
		b.used, b.limit = used, limit
		b.pacing = float64(used) >= b.opts.PaceAt*float64(limit)
		b.paceUntil = time.Time{}
		bucketHeader = true
	}
	if used, limit, refill, ok := parseNaverLimit(resp.Header); ok {
		b.used, b.limit = used, limit
		if refill > 0 && rate.Limit(refill) != b.drain.Limit() {
			b.drain.SetLimitAt(now, rate.Limit(refill))
		}
		b.pacing = float64(used) >= b.opts.PaceAt*float64(limit)
		b.paceUntil = time.Time{}
		bucketHeader = true
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		b.tooMany++
		d := b.opts.Backoff429
		for i := 1; i < b.tooMany && d < b.opts.MaxBackoff; i++ {
			d *= 2
		}
		if d > b.opts.MaxBackoff {
			d = b.opts.MaxBackoff
		}
		b.pauseAtLeast(now.Add(d))
		// The bucket is full: leave it at the drain rate until a header says otherwise or,
		// from a platform that sends none, for as long as a full bucket takes to drain.
		if !b.pacing || !b.paceUntil.IsZero() {
			d := b.opts.Pace429
			if d <= 0 {
				capacity := b.limit
				if capacity <= 0 {
					capacity = 40
				}
				d = time.Duration(float64(capacity) / b.opts.DrainPerSecond * float64(time.Second))
			}
			b.paceUntil = now.Add(d)
		}
		if bucketHeader {
			b.paceUntil = time.Time{}
		}
		b.pacing = true
	} else {
		b.tooMany = 0
	}
	remain := max(headerSeconds(resp.Header.Get("X-Cafe24-Call-Remain")), headerSeconds(resp.Header.Get("X-Cafe24-Time-Remain")))
	if remain > 0 {
		b.pauseAtLeast(now.Add(remain))
	}
}

func (b *Budget) pauseAtLeast(t time.Time) {
	if t.After(b.pauseUntil) {
		b.pauseUntil = t
	}
}

// BudgetState is a snapshot of a budget, for health views and tests.
type BudgetState struct {
	Used, Limit int
	Pacing      bool
	PausedUntil time.Time
}

// State returns the budget's current state.
func (b *Budget) State() BudgetState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return BudgetState{Used: b.used, Limit: b.limit, Pacing: b.pacing, PausedUntil: b.pauseUntil}
}

func parseCallLimit(v string) (used, limit int, ok bool) {
	u, l, found := strings.Cut(strings.TrimSpace(v), "/")
	if !found {
		return 0, 0, false
	}
	used, err1 := strconv.Atoi(strings.TrimSpace(u))
	limit, err2 := strconv.Atoi(strings.TrimSpace(l))
	if err1 != nil || err2 != nil || limit <= 0 || used < 0 {
		return 0, 0, false
	}
	return used, limit, true
}

func headerSeconds(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f > 24*3600 {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// BudgetTransport wraps rt (nil means http.DefaultTransport) so that every request waits on b
// first and b observes every answer.
func BudgetTransport(rt http.RoundTripper, b *Budget) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return budgetTransport{next: rt, b: b}
}

type budgetTransport struct {
	next http.RoundTripper
	b    *Budget
}

func (t budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.b.Wait(req.Context()); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		t.b.Observe(resp)
	}
	return resp, err
}

var (
	sharedMu      sync.Mutex
	sharedBudgets = map[string]*Budget{}
)

// SharedBudget returns the process's budget for the account named key (for Cafe24 the API base
// of the mall_id), creating it with opts on first use. Later calls return the same budget,
// whatever their opts, so that every connector and write-back of an account draws from one
// budget even when a connector is rebuilt.
func SharedBudget(key string, opts BudgetOptions) *Budget {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if b, ok := sharedBudgets[key]; ok {
		return b
	}
	b := NewBudget(opts)
	sharedBudgets[key] = b
	return b
}

// parseNaverLimit reads Naver's GNCP-GW-RateLimit-* headers: the bucket's capacity, what
// remains of it, and its refill a second (0 when absent). ok is false without a usable
// capacity and remainder.
func parseNaverLimit(h http.Header) (used, limit int, refill float64, ok bool) {
	capacity, err1 := strconv.Atoi(strings.TrimSpace(h.Get("GNCP-GW-RateLimit-Burst-Capacity")))
	remaining, err2 := strconv.Atoi(strings.TrimSpace(h.Get("GNCP-GW-RateLimit-Remaining")))
	if err1 != nil || err2 != nil || capacity <= 0 || remaining < 0 || remaining > capacity {
		return 0, 0, 0, false
	}
	refill, err := strconv.ParseFloat(strings.TrimSpace(h.Get("GNCP-GW-RateLimit-Replenish-Rate")), 64)
	if err != nil || refill < 0 {
		refill = 0
	}
	return capacity - remaining, capacity, refill, true
}
