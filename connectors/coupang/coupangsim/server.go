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
	Faults   Faults
}

// Faults are failures injected into order-sheet calls.
type Faults struct {
	Rate429, Rate5xx float64
}

// Server is the simulator.
type Server struct {
	opts      Options
	boxes     []box
	clock     *simclock.Clock
	calls     atomic.Int64
	throttled atomic.Int64

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
	return &Server{opts: opts, boxes: generate(opts), clock: opts.Clock, faults: opts.Faults,
		rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0xfa17))}
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

// Handler serves the API.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

const apiPrefix = "/v2/providers/openapi/apis/api/"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	if msg := s.checkSignature(r); msg != "" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"code": "ERROR", "message": msg, "transactionId": "sim"})
		return
	}
	if status := s.limit(); status != 0 {
		writeJSON(w, status, map[string]any{"code": status, "message": http.StatusText(status)})
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, apiPrefix), "/")
	// v5/vendors/{vendorId}/ordersheets
	if !strings.HasPrefix(r.URL.Path, apiPrefix) || len(parts) != 4 || parts[0] != "v5" || parts[1] != "vendors" || parts[3] != "ordersheets" {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "message": "No API found for " + r.URL.Path})
		return
	}
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"code": 405, "message": "use GET"})
		return
	}
	if parts[2] != s.opts.VendorID {
		writeJSON(w, http.StatusForbidden, map[string]any{"code": 403, "message": "the access key does not belong to vendor " + parts[2]})
		return
	}
	status, body := s.listOrderSheets(r)
	writeJSON(w, status, body)
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
	if d := at.Sub(s.clock.Now()); d > 5*time.Minute || d < -5*time.Minute {
		return "Specified signature is expired"
	}
	m := hmac.New(sha256.New, []byte(s.opts.SecretKey))
	m.Write([]byte(f["signed-date"] + r.Method + r.URL.EscapedPath() + r.URL.RawQuery))
	if !hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(f["signature"])) {
		return "Invalid signature."
	}
	return ""
}

// limit answers 429 over 10 calls in a wall-clock second, and during the block that follows;
// and draws the injected faults.
func (s *Server) limit() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.opts.NoLimits {
		now := time.Now()
		if now.Before(s.blocked) {
			s.throttled.Add(1)
			return http.StatusTooManyRequests
		}
		if sec := now.Unix(); sec != s.second {
			s.second, s.inSec = sec, 0
		}
		if s.inSec++; s.inSec > 10 {
			s.blocked = now.Add(blockFor)
			s.throttled.Add(1)
			return http.StatusTooManyRequests
		}
	}
	switch u := s.rng.Float64(); {
	case u < s.faults.Rate429:
		return http.StatusTooManyRequests
	case u < s.faults.Rate429+s.faults.Rate5xx:
		return http.StatusServiceUnavailable
	}
	return 0
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":500,"message":"encoding"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
