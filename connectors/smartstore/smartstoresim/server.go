package smartstoresim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mallsync/mallsync/connectors/simclock"
)

// kst is Korea Standard Time, the zone of every time on the wire.
var kst = time.FixedZone("KST", 9*3600)

// wireTime formats Unix milliseconds the way Naver does: 2023-01-16T17:14:51.794+09:00.
func wireTime(ms int64) string {
	return time.UnixMilli(ms).In(kst).Format("2006-01-02T15:04:05.000-07:00")
}

// Options configure a simulator.
type Options struct {
	Seed   int64
	Orders int
	// Start and End bound the order dates.
	Start, End time.Time
	// ClientID and ClientSecret are the app's (defaults: fixed ones, the secret a bcrypt salt
	// of cost 4 so that tests stay quick; Naver's are of cost 10).
	ClientID, ClientSecret string
	// Clock is the simulated now (default: a clock at End).
	Clock *simclock.Clock
	// NoLimits switches the app's token bucket off.
	NoLimits bool
	// ReplenishRate and BurstCapacity shape the token bucket (defaults 10 a second, 20).
	ReplenishRate float64
	BurstCapacity int
	Faults        Faults
}

// Faults are failures injected into API calls (not into the token endpoint). Rates are
// probabilities in [0, 1].
type Faults struct {
	// Rate429 answers 429 GW.RATE_LIMIT; Rate5xx answers 500 GW.PROXY or 504 GW.TIMEOUT.
	Rate429, Rate5xx float64
	// RateSlow delays an answer by SlowFor (default 30ms of wall time).
	RateSlow float64
	SlowFor  time.Duration
	// RateTruncated cuts a 200 body in half (Content-Length says the whole).
	RateTruncated float64
	// RateDuplicate makes a page of changes hand back a `more` that starts at its own last
	// row, so that the next page repeats it.
	RateDuplicate float64
	// LateRate is the share of reported changes that show (in the changes and in the details)
	// only some time after their lastChangedDate: up to LateMax (default 30 minutes) later.
	LateRate float64
	LateMax  time.Duration
}

// tokenLife is how long an access token lives (expires_in 10800).
const tokenLife = 3 * time.Hour

// Server is the simulator: a real net/http handler over a generated mall.
type Server struct {
	opts   Options
	clock  *simclock.Clock
	calls  atomic.Int64
	tokens atomic.Int64 // token requests

	mu     sync.RWMutex
	orders []*order
	byID   map[string]*productOrder
	index  []ref // reported events by (at, productOrderId)
	claims map[string]bool

	fmu    sync.Mutex
	faults Faults
	rng    *mrand.Rand
	bucket float64
	filled time.Time

	tmu     sync.Mutex
	token   string
	expires time.Time
	issued  int
}

// New generates the data set and returns the simulator.
func New(opts Options) *Server {
	if opts.ClientID == "" {
		opts.ClientID = "sim-smartstore-app"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "$2a$04$mallsyncSimulatorSaltA"
	}
	if opts.Clock == nil {
		opts.Clock = simclock.New(opts.End)
	}
	if opts.ReplenishRate <= 0 {
		opts.ReplenishRate = 10
	}
	if opts.BurstCapacity <= 0 {
		opts.BurstCapacity = 20
	}
	s := &Server{opts: opts, clock: opts.Clock, faults: opts.Faults, byID: map[string]*productOrder{}, claims: map[string]bool{},
		rng: mrand.New(mrand.NewPCG(uint64(opts.Seed), 0xfa17)), bucket: float64(opts.BurstCapacity)}
	if opts.Orders > 0 {
		s.orders = generate(opts)
	}
	for _, o := range s.orders {
		for _, po := range o.pos {
			s.byID[po.id] = po
			for i := range po.events {
				s.indexEvent(po, i)
			}
		}
	}
	s.sortIndex()
	return s
}

// App returns the app's client id and client secret.
func (s *Server) App() (clientID, clientSecret string) { return s.opts.ClientID, s.opts.ClientSecret }

// Clock returns the simulator's clock.
func (s *Server) Clock() *simclock.Clock { return s.clock }

// Calls counts the API calls served (every call but the token endpoint's, refused ones too).
func (s *Server) Calls() int64 { return s.calls.Load() }

// TokenRequests counts the calls to the token endpoint.
func (s *Server) TokenRequests() int64 { return s.tokens.Load() }

// Issued counts the distinct tokens handed out.
func (s *Server) Issued() int {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	return s.issued
}

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(f Faults) {
	s.fmu.Lock()
	s.faults = f
	s.fmu.Unlock()
}

func (s *Server) currentFaults() Faults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.faults
}

// apiPrefix is where the pay-order API lives.
const apiPrefix = "/v1/pay-order/seller/product-orders"

// Handler serves the API: the token endpoint, the changes, the details, the writes, and
// GET /debug/truth (the Truth as JSON, no token needed).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/oauth2/token", s.tokenEndpoint)
	mux.HandleFunc("GET /debug/truth", s.debugTruth)
	api := func(pattern string, h func(*http.Request) (int, any)) {
		mux.Handle(pattern, s.guard(h))
	}
	api("GET "+apiPrefix+"/last-changed-statuses", s.lastChanged)
	api("POST "+apiPrefix+"/query", s.query)
	api("POST "+apiPrefix+"/confirm", s.confirm)
	api("POST "+apiPrefix+"/dispatch", s.dispatchWrite)
	api("POST "+apiPrefix+"/{id}/delay", s.delay)
	api("POST "+apiPrefix+"/{id}/claim/cancel/approve", s.claimWrite(cancelApprove))
	api("POST "+apiPrefix+"/{id}/claim/return/approve", s.claimWrite(returnApprove))
	api("POST "+apiPrefix+"/{id}/claim/return/reject", s.claimWrite(returnReject))
	api("POST "+apiPrefix+"/{id}/claim/return/holdback", s.claimWrite(returnHoldback))
	api("POST "+apiPrefix+"/{id}/claim/return/holdback/release", s.claimWrite(returnRelease))
	api("POST "+apiPrefix+"/{id}/claim/exchange/collect/approve", s.claimWrite(exchangeCollect))
	api("POST "+apiPrefix+"/{id}/claim/exchange/dispatch", s.claimWrite(exchangeRedeliver))
	api("POST "+apiPrefix+"/{id}/claim/exchange/reject", s.claimWrite(exchangeReject))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		fail(w, http.StatusNotFound, "GW.NOT_FOUND", "요청한 API를 찾을 수 없습니다: "+r.Method+" "+r.URL.Path, nil)
	})
	return mux
}

// guard serves one API call: counts it, checks the bearer token, applies the token bucket
// and the injected faults, then writes what h answers.
func (s *Server) guard(h func(*http.Request) (int, any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		w.Header().Set("GNCP-GW-Trace-ID", traceID())
		if !s.authorized(r) {
			fail(w, http.StatusUnauthorized, "GW.AUTHN", "요청을 처리하기 위한 인증 정보가 유효하지 않습니다.", nil)
			return
		}
		if !s.take(w) {
			fail(w, http.StatusTooManyRequests, "GW.RATE_LIMIT", "요청이 많아 서비스를 일시적으로 사용할 수 없습니다.", nil)
			return
		}
		f := s.currentFaults()
		s.fmu.Lock()
		u, slow, cut := s.rng.Float64(), s.rng.Float64() < f.RateSlow, s.rng.Float64() < f.RateTruncated
		s.fmu.Unlock()
		switch {
		case u < f.Rate429:
			fail(w, http.StatusTooManyRequests, "GW.RATE_LIMIT", "요청이 많아 서비스를 일시적으로 사용할 수 없습니다.", nil)
			return
		case u < f.Rate429+f.Rate5xx/2:
			fail(w, http.StatusInternalServerError, "GW.PROXY", "일시적인 오류가 발생했습니다.", nil)
			return
		case u < f.Rate429+f.Rate5xx:
			fail(w, http.StatusGatewayTimeout, "GW.TIMEOUT", "응답 시간이 초과되었습니다.", nil)
			return
		}
		if slow {
			d := f.SlowFor
			if d <= 0 {
				d = 30 * time.Millisecond
			}
			time.Sleep(d)
		}
		status, body := h(r)
		if e, ok := body.(*apiError); ok {
			fail(w, status, e.Code, e.Message, e.Invalid)
			return
		}
		b, err := json.Marshal(envelope(body))
		if err != nil {
			fail(w, http.StatusInternalServerError, "GW.PROXY", "encoding the answer", nil)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(status)
		if cut && status == http.StatusOK {
			b = b[:len(b)/2]
		}
		_, _ = w.Write(b)
	})
}

// envelope wraps data the way every answer carries it.
func envelope(data any) map[string]any {
	return map[string]any{"timestamp": time.Now().In(kst).Format("2006-01-02T15:04:05.000-07:00"), "traceId": traceID(), "data": data}
}

// authorized checks the bearer token against the one issued, and its expiry by the clock.
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.tmu.Lock()
	defer s.tmu.Unlock()
	return ok && tok != "" && tok == s.token && s.clock.Now().Before(s.expires)
}

// take draws a call from the app's token bucket (wall time) and writes the GNCP headers.
func (s *Server) take(w http.ResponseWriter) bool {
	if s.opts.NoLimits {
		return true
	}
	s.fmu.Lock()
	defer s.fmu.Unlock()
	now := time.Now()
	if !s.filled.IsZero() {
		s.bucket = min(float64(s.opts.BurstCapacity), s.bucket+now.Sub(s.filled).Seconds()*s.opts.ReplenishRate)
	}
	s.filled = now
	ok := s.bucket >= 1
	if ok {
		s.bucket--
	}
	h := w.Header()
	h.Set("GNCP-GW-RateLimit-Replenish-Rate", strconv.FormatFloat(s.opts.ReplenishRate, 'f', -1, 64))
	h.Set("GNCP-GW-RateLimit-Burst-Capacity", strconv.Itoa(s.opts.BurstCapacity))
	h.Set("GNCP-GW-RateLimit-Remaining", strconv.Itoa(int(s.bucket)))
	return ok
}

// apiError is a refusal: the error body of the gateway or of the API.
type apiError struct {
	Code    string
	Message string
	Invalid []invalidInput
}

type invalidInput struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

// badInput is a 400 for one invalid input.
func badInput(name, typ, msg string) (int, any) {
	return http.StatusBadRequest, &apiError{Code: "4000", Message: "잘못된 요청 파라미터입니다.", Invalid: []invalidInput{{name, typ, msg}}}
}

func fail(w http.ResponseWriter, status int, code, msg string, invalid []invalidInput) {
	body := map[string]any{"code": code, "message": msg, "timestamp": time.Now().In(kst).Format("2006-01-02T15:04:05.000-07:00"), "traceId": traceID()}
	if len(invalid) > 0 {
		body["invalidInputs"] = invalid
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func traceID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "sim-" + hex.EncodeToString(b[:])
}
