package cafe24sim

import (
	"sync"
	"testing"
	"time"
)

// wallClock is a settable stand-in for the wall time the limits run on.
type wallClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *wallClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *wallClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestUsageBlock(t *testing.T) {
	t.Parallel()
	wall := &wallClock{t: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
	opts := testOptions()
	opts.BucketNow = wall.now
	opts.Faults = Faults{UsageCalls: 5, UsageWindow: time.Minute, UsageBlock: 10 * time.Second}
	b := setup(t, opts)
	const path = "/api/v2/admin/orders/count?start_date=2024-01-01&end_date=2024-01-31"
	for i, want := range []struct {
		code           int
		usage, remain  string
		blockedCallsAt int64
	}{
		{200, "20", "", 0}, {200, "40", "", 0}, {200, "60", "", 0}, {200, "80", "", 0},
		{200, "100", "10", 0}, // the call that uses the quota up is answered, with the wait
		{429, "100", "11", 1}, // a call during the block is refused and makes it longer
		{429, "100", "12", 2},
	} {
		w := b.get(t, path, b.token)
		if w.Code != want.code || w.Header().Get("X-Cafe24-Call-Usage") != want.usage || w.Header().Get("X-Cafe24-Call-Remain") != want.remain {
			t.Fatalf("call %d: %d usage %q remain %q, want %d %q %q", i+1, w.Code, w.Header().Get("X-Cafe24-Call-Usage"),
				w.Header().Get("X-Cafe24-Call-Remain"), want.code, want.usage, want.remain)
		}
		if w.Header().Get("X-Cafe24-Time-Usage") == "" {
			t.Fatalf("call %d: no X-Cafe24-Time-Usage", i+1)
		}
		if _, during := b.srv.UsageBlocks(); during != want.blockedCallsAt {
			t.Fatalf("call %d: %d calls counted during the block, want %d", i+1, during, want.blockedCallsAt)
		}
	}
	wall.add(12 * time.Second)
	if w := b.get(t, path, b.token); w.Code != 200 || w.Header().Get("X-Cafe24-Call-Usage") != "20" {
		t.Fatalf("after the block: %d usage %q", w.Code, w.Header().Get("X-Cafe24-Call-Usage"))
	}
	if blocks, _ := b.srv.UsageBlocks(); blocks != 1 {
		t.Fatalf("%d blocks, want 1", blocks)
	}
	// Without UsageCalls there are no usage headers.
	b.srv.SetFaults(Faults{})
	if w := b.get(t, path, b.token); w.Header().Get("X-Cafe24-Call-Usage") != "" {
		t.Fatal("usage headers without a usage limit")
	}
}
