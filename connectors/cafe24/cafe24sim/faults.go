package cafe24sim

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Faults says how often the simulator misbehaves. The zero value is a well-behaved server.
// Rates are probabilities in [0, 1]. Request faults (429, 5xx, slow, truncated, duplicated
// rows) hit admin calls that passed authentication and the leaky bucket; they are drawn from a
// random stream seeded by Options.Seed and separate from the data generator, a fixed number of
// draws per call, so a sequential run of calls sees the same faults every time.
type Faults struct {
	// Rate429 is the probability that an admin call answers 429 (error envelope, with
	// X-Api-Call-Limit) whatever the bucket says.
	Rate429 float64
	// Rate5xx is the probability of a 500, 503 or 504 (error envelope).
	Rate5xx float64
	// SlowRate is the probability that a response is held back by SlowDelay of real time.
	SlowRate  float64
	SlowDelay time.Duration
	// TruncateRate is the probability that a 200 body is cut in half; Content-Length is that
	// of the cut body, so the client sees a complete response that is not valid JSON.
	TruncateRate float64
	// DuplicateRate is the probability that a list page with offset > 0 starts one row early
	// (at offset-1), repeating the last order of the previous page as its first row, like a
	// platform whose list shifted under the reader. The page still holds at most limit rows,
	// so its last row is the one a later read must catch.
	DuplicateRate float64
	// LateRate is the probability that an event becomes visible only LateBy after the time
	// it carries: its date field says t, but it shows up (in lists, in its order's status and
	// in Truth) only once the clock reaches t+LateBy. Which events are late is a pure function
	// of the seed and the event, so it does not depend on the order of calls.
	LateRate float64
	LateBy   time.Duration
	// UsageCalls, when positive, switches on Cafe24's usage-based limit: UsageCalls admin calls
	// per UsageWindow of wall time (Options.BucketNow). Answers carry X-Cafe24-Call-Usage and
	// X-Cafe24-Time-Usage (percent); the call that uses the quota up is answered with
	// X-Cafe24-Call-Remain / X-Cafe24-Time-Remain (seconds); for UsageBlock after it every
	// call is refused with 429 and the same headers, and each one makes the block a second
	// longer. The block does not depend on the random fault stream.
	UsageCalls  int
	UsageWindow time.Duration
	UsageBlock  time.Duration
}

// faultDraw is what the fault stream decided for one call.
type faultDraw struct {
	status    int // 0, 429, 500, 503 or 504
	slow      time.Duration
	truncate  bool
	duplicate bool
}

// faultSource holds the current faults and the seeded stream that applies them.
type faultSource struct {
	mu  sync.Mutex
	rng *rand.Rand
	cur Faults
}

func newFaultSource(seed int64, f Faults) *faultSource {
	return &faultSource{rng: rand.New(rand.NewPCG(uint64(seed), 0xfa0175)), cur: f}
}

func (fs *faultSource) get() Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.cur
}

func (fs *faultSource) set(f Faults) {
	fs.mu.Lock()
	fs.cur = f
	fs.mu.Unlock()
}

// draw decides the faults of one admin call. It always takes six numbers from the stream.
func (fs *faultSource) draw() faultDraw {
	fs.mu.Lock()
	f := fs.cur
	var u [6]float64
	for i := range u {
		u[i] = fs.rng.Float64()
	}
	fs.mu.Unlock()
	var d faultDraw
	switch {
	case u[0] < f.Rate429:
		d.status = 429
	case u[1] < f.Rate5xx:
		d.status = [3]int{500, 503, 504}[int(u[2]*3)%3]
	}
	if u[3] < f.SlowRate && f.SlowDelay > 0 {
		d.slow = f.SlowDelay
	}
	d.truncate = u[4] < f.TruncateRate
	d.duplicate = u[5] < f.DuplicateRate
	return d
}
