// Package simclock is the clock the platform simulators keep: it moves only when told to, so
// that a test or a benchmark decides exactly which events have happened.
package simclock

import (
	"sync"
	"time"
)

// Clock is a simulator's notion of now. It moves only when told to (Set, Advance), never
// with the wall clock. A Clock is safe for concurrent use.
type Clock struct {
	mu sync.RWMutex
	t  time.Time
}

// New returns a clock that reads t until it is moved.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the simulated time.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.t
}

// Set moves the clock to t (backwards too).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock by d (backwards when d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Near reports whether t, a time a client stamped on a request (a signature's date, a token
// request's timestamp), is within d of now: of the simulated now, or of the wall clock. A
// client in the simulator's process reads the simulated clock; a client in another process
// (a separate worker, curl) can only read its wall clock, which a platform's real server
// compares with. Either is accepted, so that a simulated clock that stands still while a long
// backfill runs does not turn a separate worker's signatures stale.
func (c *Clock) Near(t time.Time, d time.Duration) bool {
	return t.Sub(c.Now()).Abs() <= d || time.Since(t).Abs() <= d
}
