package cafe24sim

import (
	"math"
	"sync"
	"time"
)

const (
	bucketCapacity = 40
	bucketDrain    = 2.0 // calls per second
)

// bucket is Cafe24's per-mall leaky bucket: each admin call adds one, the level drains at
// two per second of wall time (Options.BucketNow), and a call that would overflow the
// capacity is refused with 429 without adding to the level.
type bucket struct {
	mu    sync.Mutex
	now   func() time.Time
	level float64
	last  time.Time
}

func (b *bucket) drain() {
	t := b.now()
	if !b.last.IsZero() {
		if el := t.Sub(b.last).Seconds(); el > 0 {
			b.level = math.Max(0, b.level-el*bucketDrain)
		}
	}
	b.last = t
}

// take admits one call if it fits. used is the level to report in X-Api-Call-Limit.
func (b *bucket) take() (used int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drain()
	if b.level+1 > bucketCapacity+1e-9 {
		return bucketCapacity, false
	}
	b.level++
	return int(math.Ceil(b.level - 1e-9)), true
}

// peek returns the level without adding a call.
func (b *bucket) peek() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drain()
	return int(math.Ceil(b.level - 1e-9))
}
