package coupangsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mallsync/mallsync/connectors/simclock"
)

// Options configure a simulator.
type Options struct {
	Seed       int64
	Orders     int
	Start, End time.Time
	// VendorID, AccessKey and SecretKey are the vendor's (defaults A00012345 and fixed keys).
	VendorID, AccessKey, SecretKey string
	// Clock is the simulated now (default: a clock at End).
	Clock *simclock.Clock
	// NoLimits switches the 10 calls a second limit off.
	NoLimits bool
	// NoClaims leaves out cancels, returns and exchanges: the boxes only move through the
	// order-sheet statuses (the simulator before claims).
	NoClaims bool
	Faults   Faults
}

// Faults are failures injected into every API (order sheets, claims, writes) once a call
// passed the signature check and the limit. Rates are probabilities in [0, 1]; the zero
// value is a well-behaved server. They are drawn from a stream seeded by Options.Seed, a
// fixed number of draws per call.
type Faults struct {
	// Rate429 answers 429 whatever the limit says; Rate5xx answers 503.
	Rate429, Rate5xx float64
	// SlowRate holds an answer back by SlowDelay of real time.
	SlowRate  float64
	SlowDelay time.Duration
	// TruncateRate cuts a 200 body of a GET in half (Content-Length of the cut body), so the
	// client sees a complete answer that is not valid JSON.
	TruncateRate float64
	// DuplicateRate starts a list page after the first one row early: the previous page's last
	// row comes again (a list that shifted under the reader).
	DuplicateRate float64
	// LateRate picks claims (a pure function of the seed and the claim id) whose changes show
	// only LateBy after the time they carry: in the lists, in their box's sheet and in Truth.
	LateRate float64
	LateBy   time.Duration
	// LostWriteRate makes a write take effect and then answer 503, as when the answer is lost
	// on the way: the client's retry meets a write already done.
	LostWriteRate float64
}

// faultDraw is what the fault stream decided for one call.
type faultDraw struct {
	status              int
	slow                time.Duration
	truncate, dup, lost bool
}

// Server is the simulator.
type Server struct {
	opts      Options
	boxes     []box
	clock     *simclock.Clock
	calls     atomic.Int64
	throttled atomic.Int64

	// data guards boxes and claims, which writes change.
	data      sync.RWMutex
	claims    []claim
	claimOf   map[int]int   // box index → claim index
	boxByID   map[int64]int // shipmentBoxId → box index
	claimByID map[int64]int // receiptId or exchangeId → claim index
	boxesOf   map[int64][]int
	nextID    int64 // the next receiptId of a seller cancel

	mu      sync.Mutex
	faults  Faults
	rng     *rand.Rand
	second  int64 // the wall-clock second being counted
	inSec   int
	blocked time.Time // calls are refused until then
}

// blockFor is how long a vendor is blocked after going over 10 calls a second.
const blockFor = 2 * time.Second

// New generates the data set and returns the simulator.
func New(opts Options) *Server {
	if opts.VendorID == "" {
		opts.VendorID = "A00012345"
	}
	if opts.AccessKey == "" {
		opts.AccessKey = "sim-access-key"
	}
	if opts.SecretKey == "" {
		opts.SecretKey = "sim-secret-key-0123456789abcdef"
	}
	if opts.Clock == nil {
		opts.Clock = simclock.New(opts.End)
	}
	s := &Server{opts: opts, boxes: generate(opts), clock: opts.Clock, faults: opts.Faults,
		rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0xfa17)), claimOf: map[int]int{}, boxByID: map[int64]int{},
		claimByID: map[int64]int{}, boxesOf: map[int64][]int{}, nextID: 90000000}
	if !opts.NoClaims {
		s.claims = drawClaims(opts.Seed, s.boxes)
	}
	for i := range s.boxes {
		s.boxByID[s.boxes[i].boxID] = i
		s.boxesOf[s.boxes[i].orderID] = append(s.boxesOf[s.boxes[i].orderID], i)
	}
	for k := range s.claims {
		s.claimOf[s.claims[k].box] = k
		s.claimByID[s.claims[k].id] = k
	}
	return s
}

// Clock returns the simulator's clock.
func (s *Server) Clock() *simclock.Clock { return s.clock }

// Vendor returns the vendor id and its access and secret keys.
func (s *Server) Vendor() (vendorID, accessKey, secretKey string) {
	return s.opts.VendorID, s.opts.AccessKey, s.opts.SecretKey
}

// Calls counts the API calls answered.
func (s *Server) Calls() int64 { return s.calls.Load() }

// Throttled counts the calls refused for going over 10 a second (or during the block after).
func (s *Server) Throttled() int64 { return s.throttled.Load() }

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

func (s *Server) currentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// Handler serves the API.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

const apiPrefix = "/v2/providers/openapi/apis/api/"

// call is what a handler gets: the request, the moment (unix seconds), the faults and
// whether this list page repeats the previous page's last row.
type call struct {
	r   *http.Request
	now int64
	f   Faults
	dup bool
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	if msg := s.checkSignature(r); msg != "" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"code": "ERROR", "message": msg, "transactionId": "sim"}, false)
		return
	}
	d := s.limit()
	if d.status != 0 {
		writeJSON(w, d.status, map[string]any{"code": d.status, "message": http.StatusText(d.status)}, false)
		return
	}
	h, write, vendor, ok := route(r)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "message": "No API found for " + r.Method + " " + r.URL.Path}, false)
		return
	}
	if vendor != s.opts.VendorID {
		writeJSON(w, http.StatusForbidden, map[string]any{"code": 403, "message": "the access key does not belong to vendor " + vendor}, false)
		return
	}
	if d.slow > 0 {
		time.Sleep(d.slow)
	}
	c := call{r: r, now: s.clock.Now().Unix(), f: s.currentFaults(), dup: d.dup}
	if write {
		s.data.Lock()
	} else {
		s.data.RLock()
	}
	status, body := h(s, c)
	if write {
		s.data.Unlock()
	} else {
		s.data.RUnlock()
	}
	if write && d.lost {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"code": 503, "message": "Service Unavailable"}, false)
		return
	}
	writeJSON(w, status, body, !write && d.truncate)
}

// checkSignature verifies the CEA Authorization header against the request as received:
// signed-date + method + path + raw query, HMAC-SHA256 with the vendor's secret key.
func (s *Server) checkSignature(r *http.Request) string {
	h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "CEA ")
	if !ok {
		return "Invalid authorization header."
	}
	f := map[string]string{}
	for _, kv := range strings.Split(h, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok {
			f[k] = v
		}
	}
	if f["algorithm"] != "HmacSHA256" || f["access-key"] != s.opts.AccessKey {
		return "Invalid signature."
	}
	at, err := time.Parse("060102T150405Z", f["signed-date"])
	if err != nil {
		return "Invalid signature."
	}
	if !s.clock.Near(at, 5*time.Minute) {
		return "Specified signature is expired"
	}
	m := hmac.New(sha256.New, []byte(s.opts.SecretKey))
	m.Write([]byte(f["signed-date"] + r.Method + r.URL.EscapedPath() + r.URL.RawQuery))
	if !hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(f["signature"])) {
		return "Invalid signature."
	}
	return ""
}

// limit answers 429 over 10 calls in a wall-clock second across every API, and during the
// block that follows; and draws the injected faults (six draws a call).
func (s *Server) limit() faultDraw {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.opts.NoLimits {
		now := time.Now()
		if now.Before(s.blocked) {
			s.throttled.Add(1)
			return faultDraw{status: http.StatusTooManyRequests}
		}
		if sec := now.Unix(); sec != s.second {
			s.second, s.inSec = sec, 0
		}
		if s.inSec++; s.inSec > 10 {
			s.blocked = now.Add(blockFor)
			s.throttled.Add(1)
			return faultDraw{status: http.StatusTooManyRequests}
		}
	}
	var u [6]float64
	for i := range u {
		u[i] = s.rng.Float64()
	}
	f := s.faults
	var d faultDraw
	switch {
	case u[0] < f.Rate429:
		d.status = http.StatusTooManyRequests
	case u[0] < f.Rate429+f.Rate5xx:
		d.status = http.StatusServiceUnavailable
	}
	if u[1] < f.SlowRate && f.SlowDelay > 0 {
		d.slow = f.SlowDelay
	}
	d.truncate, d.dup, d.lost = u[2] < f.TruncateRate, u[3] < f.DuplicateRate, u[4] < f.LostWriteRate
	return d
}

func writeJSON(w http.ResponseWriter, status int, v any, truncate bool) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":500,"message":"encoding"}`)
	}
	if truncate && status == http.StatusOK {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
