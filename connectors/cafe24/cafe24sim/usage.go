package cafe24sim

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// usage is Cafe24's second, usage-based limit over all APIs of a mall (Faults.UsageCalls):
// calls per window of wall time. Every admin answer reports the usage in percent; the call
// that uses the quota up is still answered, with the seconds to wait; every call during the
// block is refused with 429 and makes the block a second longer.
type usage struct {
	mu           sync.Mutex
	now          func() time.Time
	windowStart  time.Time
	calls        int
	busy         time.Duration // time spent answering in this window
	blockedUntil time.Time
	blocks       int64
	whileBlocked int64
}

// take counts one call under f's quota. It returns the usage in percent, the time left of a
// block (0 when none) and whether the call may be answered.
func (u *usage) take(f Faults) (callPct, timePct int, remain time.Duration, ok bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	now := u.now()
	if now.Before(u.blockedUntil) {
		u.whileBlocked++
		u.blockedUntil = u.blockedUntil.Add(time.Second)
		return 100, u.timePct(f), u.blockedUntil.Sub(now), false
	}
	if u.windowStart.IsZero() || now.Sub(u.windowStart) >= f.UsageWindow {
		u.windowStart, u.calls, u.busy = now, 0, 0
	}
	u.calls++
	callPct = u.calls * 100 / f.UsageCalls
	if u.calls >= f.UsageCalls {
		u.blocks++
		u.blockedUntil = now.Add(f.UsageBlock)
		u.windowStart, u.calls, u.busy = u.blockedUntil, 0, 0
		return 100, u.timePct(f), f.UsageBlock, true
	}
	return callPct, u.timePct(f), 0, true
}

// timePct is the processing time used, against a quarter of the window.
func (u *usage) timePct(f Faults) int {
	return int(u.busy * 400 / max(f.UsageWindow, time.Second))
}

// spent adds the time one answer took.
func (u *usage) spent(d time.Duration) {
	u.mu.Lock()
	u.busy += d
	u.mu.Unlock()
}

// setUsageHeaders writes the usage headers of one answer.
func setUsageHeaders(w http.ResponseWriter, callPct, timePct int, remain time.Duration) {
	h := w.Header()
	h.Set("X-Cafe24-Call-Usage", strconv.Itoa(callPct))
	h.Set("X-Cafe24-Time-Usage", strconv.Itoa(timePct))
	if remain > 0 {
		secs := strconv.Itoa(int(math.Ceil(remain.Seconds())))
		h.Set("X-Cafe24-Call-Remain", secs)
		h.Set("X-Cafe24-Time-Remain", secs)
	}
}

// UsageBlocks returns how many usage blocks began, and how many calls were made while one
// lasted (each refused, each making it longer). A connector that honours
// X-Cafe24-Call-Remain keeps the second near zero.
func (s *Server) UsageBlocks() (blocks, callsWhileBlocked int64) {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	return s.usage.blocks, s.usage.whileBlocked
}
