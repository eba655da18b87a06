package cafe24sim

import (
	"time"

	"github.com/mallsync/mallsync/connectors/simclock"
)

// Clock is the simulator's notion of now (simclock.Clock). It moves only when told to (Set,
// Advance, or POST /debug/clock), never with the wall clock.
type Clock = simclock.Clock

// NewClock returns a clock that reads t until it is moved.
func NewClock(t time.Time) *Clock { return simclock.New(t) }
