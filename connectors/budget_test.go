package connectors

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock whose Sleep moves time forward at once.
type fakeClock struct {
	t      time.Time
	slept  []time.Duration
	sleeps int
}

func (c *fakeClock) Now() time.Time { return c.t }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

// total returns the time slept since the last reset.
func (c *fakeClock) take() time.Duration {
	var s time.Duration
	for _, d := range c.slept {
		s += d
	}
	c.slept = nil
	return s
}

func newFakeBudget(max float64) (*Budget, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
	return NewBudget(BudgetOptions{MaxCallsPerSecond: max, NowFunc: c.Now, SleepFunc: c.Sleep}), c
}

func answer(status int, headers ...string) *http.Response {
	r := &http.Response{StatusCode: status, Header: http.Header{}}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

func near(got, want time.Duration) bool {
	d := got - want
	return d > -2*time.Millisecond && d < 2*time.Millisecond
}

func TestBudgetPacing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name    string
		max     float64
		observe *http.Response // before the calls
		calls   int
		want    time.Duration // total wait for the calls
	}{
		{"default cap is 8 per second", 0, nil, 9, time.Second},
		{"explicit cap", 4, nil, 5, time.Second},
		{"no cap", -1, nil, 100, 0},
		{"below 75% goes at the cap", 0, answer(200, "X-Api-Call-Limit", "29/40"), 9, time.Second},
		{"at 75% paces at the drain rate", 0, answer(200, "X-Api-Call-Limit", "30/40"), 5, 2 * time.Second},
		{"pacing applies without a cap too", -1, answer(200, "X-Api-Call-Limit", "39/40"), 5, 2 * time.Second},
		{"garbage header is ignored", 0, answer(200, "X-Api-Call-Limit", "lots"), 9, time.Second},
		// Naver: capacity 20, remaining 10 of it: half used, calls go at the cap.
		{"naver bucket with room", 0, answer(200, "GNCP-GW-RateLimit-Burst-Capacity", "20", "GNCP-GW-RateLimit-Remaining", "10",
			"GNCP-GW-RateLimit-Replenish-Rate", "4"), 9, time.Second},
		// 2 of 20 left: paced at the replenish rate, 4 a second.
		{"naver bucket nearly empty paces at its refill", 0, answer(200, "GNCP-GW-RateLimit-Burst-Capacity", "20",
			"GNCP-GW-RateLimit-Remaining", "2", "GNCP-GW-RateLimit-Replenish-Rate", "4"), 5, time.Second},
		{"naver bucket without refill paces at the drain default", -1, answer(200, "GNCP-GW-RateLimit-Burst-Capacity", "20",
			"GNCP-GW-RateLimit-Remaining", "0"), 5, 2 * time.Second},
		{"naver garbage is ignored", 0, answer(200, "GNCP-GW-RateLimit-Burst-Capacity", "20", "GNCP-GW-RateLimit-Remaining", "21"), 9, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, c := newFakeBudget(tt.max)
			if tt.observe != nil {
				b.Observe(tt.observe)
			}
			for i := 0; i < tt.calls; i++ {
				if err := b.Wait(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if got := c.take(); !near(got, tt.want) {
				t.Errorf("waited %v for %d calls, want %v", got, tt.calls, tt.want)
			}
		})
	}
}

func TestBudgetPacingEndsWhenBucketDrains(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, c := newFakeBudget(0)
	b.Observe(answer(200, "X-Api-Call-Limit", "35/40"))
	for i := 0; i < 3; i++ {
		_ = b.Wait(ctx)
	}
	if got := c.take(); !near(got, time.Second) {
		t.Fatalf("paced: waited %v for 3 calls, want 1s", got)
	}
	if !b.State().Pacing {
		t.Fatal("not pacing at 35/40")
	}
	b.Observe(answer(200, "X-Api-Call-Limit", "10/40"))
	c.t = c.t.Add(time.Second)
	for i := 0; i < 9; i++ {
		_ = b.Wait(ctx)
	}
	if got := c.take(); !near(got, time.Second) {
		t.Errorf("after draining: waited %v for 9 calls, want 1s (8/s)", got)
	}
}

func TestBudgetPauses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name    string
		answers []*http.Response
		want    time.Duration // wait before the next call
	}{
		{"429 pauses 1s", []*http.Response{answer(429)}, time.Second},
		{"429s in a row double the pause", []*http.Response{answer(429), answer(429), answer(429)}, 4 * time.Second},
		{"call remain", []*http.Response{answer(200, "X-Cafe24-Call-Remain", "5")}, 5 * time.Second},
		{"time remain wins when longer", []*http.Response{answer(429, "X-Cafe24-Call-Remain", "3", "X-Cafe24-Time-Remain", "7")}, 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, c := newFakeBudget(-1)
			for _, a := range tt.answers {
				b.Observe(a)
			}
			_ = b.Wait(ctx)
			if got := c.take(); !near(got, tt.want) {
				t.Errorf("waited %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBudget429Sequence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, c := newFakeBudget(-1)
	steps := []struct {
		answer *http.Response
		want   time.Duration
	}{
		{answer(429), time.Second},
		{answer(429), 2 * time.Second},
		{answer(429), 4 * time.Second},
		{answer(200, "X-Api-Call-Limit", "5/40"), 0}, // room again: no pacing, no pause
		{answer(429), time.Second},                   // a success reset the run of 429s
	}
	for i, s := range steps {
		b.Observe(s.answer)
		_ = b.Wait(ctx)
		if got := c.take(); !near(got, s.want) {
			t.Errorf("step %d: waited %v, want %v", i, got, s.want)
		}
	}
}

func TestBudgetWaitHonoursContext(t *testing.T) {
	t.Parallel()
	b := NewBudget(BudgetOptions{})
	b.Observe(answer(200, "X-Cafe24-Call-Remain", "3600"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := b.Wait(ctx); err == nil {
		t.Fatal("Wait returned nil during an hour-long block")
	}
}

func TestBudgetTransportObserves(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("X-Api-Call-Limit", "31/40")
	}))
	defer srv.Close()
	b, _ := newFakeBudget(-1)
	cl := &http.Client{Transport: BudgetTransport(nil, b)}
	resp, err := cl.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s := b.State(); !s.Pacing || s.Used != 31 || s.Limit != 40 {
		t.Errorf("state after 31/40 = %+v", s)
	}
}

func TestSharedBudget(t *testing.T) {
	t.Parallel()
	a := SharedBudget("test:shared-a", BudgetOptions{})
	if SharedBudget("test:shared-a", BudgetOptions{MaxCallsPerSecond: -1}) != a {
		t.Error("same key gave two budgets")
	}
	if SharedBudget("test:shared-b", BudgetOptions{}) == a {
		t.Error("two keys share a budget")
	}
}

// A 429 from a platform that sends no X-Api-Call-Limit (a simulator without limits) paces
// calls for as long as a full bucket takes to drain, then lets them go free again; it does not
// leave the account at the drain rate for good.
func TestBudget429WithoutHeaderPacesForADrain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, c := newFakeBudget(-1)
	b.Observe(answer(429))
	_ = b.Wait(ctx) // the 1s pause
	c.take()
	for i := 0; i < 3; i++ {
		_ = b.Wait(ctx)
	}
	if got := c.take(); got < time.Second {
		t.Fatalf("paced: waited %v for 3 calls, want at least 1s (2/s)", got)
	}
	c.t = c.t.Add(20 * time.Second)
	for i := 0; i < 10; i++ {
		_ = b.Wait(ctx)
	}
	if got := c.take(); got != 0 || b.State().Pacing {
		t.Fatalf("20s after the 429: waited %v for 10 calls, pacing %v; want free calls", got, b.State().Pacing)
	}
	// With the header, the header decides: a 429 at 40/40 paces until a header shows room.
	b.Observe(answer(429, "X-Api-Call-Limit", "40/40"))
	c.t = c.t.Add(time.Minute)
	_ = b.Wait(ctx)
	if !b.State().Pacing {
		t.Fatal("a 429 with a full bucket header stopped pacing without a header saying so")
	}
}
