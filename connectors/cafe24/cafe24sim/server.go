package cafe24sim

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a simulated Cafe24 mall. The zero value is usable: no orders, the
// defaults below.
type Options struct {
	// Seed makes everything reproducible: orders, tokens, late events and the fault stream.
	Seed int64
	// Orders is the number of orders to generate.
	Orders int
	// Start and End bound the order dates: [Start, End). Zero End means 2026-07-01 00:00 KST;
	// zero Start (or Start not before End) means End minus 120 days.
	Start, End time.Time
	// MaxItems bounds the items per order, 1..MaxItems (default 3, at most 99). Up to 3 the
	// count is uniform (mean 2 for 3); beyond, geometric, with a mean just under 2.
	MaxItems int
	// MallID is the mall's id (default "demomall").
	MallID string
	// ClientID and ClientSecret are the app's credentials (defaults "sim-client-id",
	// "sim-client-secret").
	ClientID     string
	ClientSecret string
	// NoLimits disables the leaky bucket and omits X-Api-Call-Limit.
	NoLimits bool
	// Clock is the simulated time; nil means NewClock(End).
	Clock *Clock
	// Faults are injected from the start; see SetFaults to change them.
	Faults Faults
	// BucketNow is the wall time the leaky bucket drains by; nil means time.Now.
	BucketNow func() time.Time
}

func (o Options) withDefaults() Options {
	if o.End.IsZero() {
		o.End = time.Date(2026, 7, 1, 0, 0, 0, 0, kst)
	}
	if o.Start.IsZero() || !o.Start.Before(o.End) {
		o.Start = o.End.AddDate(0, 0, -120)
	}
	if o.End.Sub(o.Start) > 30*365*24*time.Hour { // times are int32 seconds after Start
		o.End = o.Start.Add(30 * 365 * 24 * time.Hour)
	}
	if o.Start.Truncate(time.Second) != o.Start {
		o.Start = o.Start.Truncate(time.Second)
	}
	if o.MaxItems <= 0 {
		o.MaxItems = 3
	}
	o.MaxItems = min(o.MaxItems, maxItemsCap)
	if o.MallID == "" {
		o.MallID = "demomall"
	}
	if o.ClientID == "" {
		o.ClientID = "sim-client-id"
	}
	if o.ClientSecret == "" {
		o.ClientSecret = "sim-client-secret"
	}
	if o.Clock == nil {
		o.Clock = NewClock(o.End)
	}
	if o.BucketNow == nil {
		o.BucketNow = time.Now
	}
	return o
}

// Server is a simulated Cafe24 mall: its orders, its OAuth app and its Admin API. It is safe
// for concurrent use.
type Server struct {
	opts   Options
	clock  *Clock
	d      *dataset
	faults *faultSource
	bucket bucket
	auth   *authState
	usage  usage
	hooks  webhooks
	// mu guards the data set: requests that read share it, writes (writes.go) hold it alone.
	mu      sync.RWMutex
	calls   atomic.Int64
	reuses  atomic.Int64
	bufPool sync.Pool // *[]byte response buffers
	rowPool sync.Pool // *[]uint32 page rows
	handler http.Handler
}

// New generates the mall's data (eagerly) and returns its server. The data, the tokens, the
// late events and the fault stream depend only on (Seed, Orders, Start, End, MaxItems, Faults).
func New(opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{
		opts:   opts,
		clock:  opts.Clock,
		d:      generate(opts),
		faults: newFaultSource(opts.Seed, opts.Faults),
		bucket: bucket{now: opts.BucketNow},
		usage:  usage{now: opts.BucketNow},
		auth:   newAuthState(),
	}
	s.bufPool.New = func() any { b := make([]byte, 0, 64<<10); return &b }
	s.rowPool.New = func() any { r := make([]uint32, 0, 64); return &r }
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v2/oauth/authorize", s.authorize)
	mux.HandleFunc("/api/v2/oauth/token", s.token)
	mux.HandleFunc("/api/v2/oauth/revoke", s.revoke)
	mux.HandleFunc("/api/v2/", s.admin)
	mux.HandleFunc("GET /debug/truth", s.debugTruth)
	mux.HandleFunc("POST /debug/clock", s.debugClock)
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Path) >= 8 && r.URL.Path[:8] == "/api/v2/" {
			s.calls.Add(1)
		}
		mux.ServeHTTP(w, r)
	})
	return s
}

// Handler returns the whole API: OAuth under /api/v2/oauth/, the Admin API under
// /api/v2/admin/, and the simulator's own /debug/ endpoints.
func (s *Server) Handler() http.Handler { return s.handler }

// Clock returns the simulated clock.
func (s *Server) Clock() *Clock { return s.clock }

// Client returns the app credentials the simulator accepts.
func (s *Server) Client() (id, secret string) { return s.opts.ClientID, s.opts.ClientSecret }

// MallID returns the simulated mall's id.
func (s *Server) MallID() string { return s.opts.MallID }

// Calls returns how many OAuth and Admin API requests were served, whatever their answer
// (errors and injected faults included). /debug calls are not counted.
func (s *Server) Calls() int64 { return s.calls.Load() }

// RefreshReuses returns how many times a used, revoked or unknown refresh token was
// presented. A correct connector keeps it at 0.
func (s *Server) RefreshReuses() int64 { return s.reuses.Load() }

// SetFaults replaces the faults from now on. Safe to call while requests are served.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// view returns the dataset as of the clock and the current faults.
func (s *Server) view() view {
	return newView(s.d, s.clock.Now().Unix(), s.faults.get())
}

// writeBody writes a JSON answer with its Content-Length.
func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// appendEnvelope appends Cafe24's error envelope.
func appendEnvelope(b []byte, status int, msg string) []byte {
	b = append(b, `{"error":{"code":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, `,"message":`...)
	b = appendStr(b, msg)
	return append(b, `,"more_info":{}}}`...)
}

func (s *Server) envelope(w http.ResponseWriter, status int, msg string) {
	writeBody(w, status, appendEnvelope(nil, status, msg))
}

func (s *Server) setLimit(w http.ResponseWriter, used int) {
	if !s.opts.NoLimits {
		w.Header().Set("X-Api-Call-Limit", strconv.Itoa(used)+"/"+strconv.Itoa(bucketCapacity))
	}
}

// admin serves /api/v2/admin/...: authentication, the leaky bucket, injected faults, then
// the resource.
func (s *Server) admin(w http.ResponseWriter, r *http.Request) {
	const prefix = "/api/v2/admin/"
	if len(r.URL.Path) < len(prefix) || r.URL.Path[:len(prefix)] != prefix {
		s.envelope(w, http.StatusNotFound, "No API found for "+r.URL.Path)
		return
	}
	if status, msg := s.bearer(r, scopeFor(r.Method, r.URL.Path[len(prefix):])); status == http.StatusUnauthorized {
		if !s.opts.NoLimits {
			s.setLimit(w, s.bucket.peek())
		}
		s.envelope(w, status, msg)
		return
	} else if !s.opts.NoLimits {
		used, ok := s.bucket.take()
		s.setLimit(w, used)
		if !ok {
			s.envelope(w, http.StatusTooManyRequests, "Too Many Requests: the API call limit of this mall was exceeded.")
			return
		}
		if status != 0 {
			s.envelope(w, status, msg)
			return
		}
	} else if status != 0 {
		s.envelope(w, status, msg)
		return
	}
	if v := r.Header.Get("X-Cafe24-Api-Version"); v != "" {
		if _, err := time.Parse("2006-01-02", v); err != nil {
			s.envelope(w, http.StatusUnprocessableEntity, "X-Cafe24-Api-Version must be yyyy-mm-dd")
			return
		}
	}
	if f := s.faults.get(); f.UsageCalls > 0 && f.UsageWindow > 0 {
		callPct, timePct, remain, ok := s.usage.take(f)
		setUsageHeaders(w, callPct, timePct, remain)
		if !ok {
			s.envelope(w, http.StatusTooManyRequests, "Too Many Requests: the API usage limit of this mall was exceeded. Wait for X-Cafe24-Call-Remain seconds.")
			return
		}
		began := time.Now()
		defer func() { s.usage.spent(time.Since(began)) }()
	}
	fd := s.faults.draw()
	if fd.slow > 0 {
		t := time.NewTimer(fd.slow)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch fd.status {
	case http.StatusTooManyRequests:
		s.envelope(w, fd.status, "Too Many Requests: the API call limit of this mall was exceeded.")
		return
	case 500, 503, 504:
		s.envelope(w, fd.status, http.StatusText(fd.status))
		return
	}
	bp := s.bufPool.Get().(*[]byte)
	defer s.bufPool.Put(bp)
	b := (*bp)[:0]
	status, b := s.route(b, r, r.URL.Path[len(prefix):], fd)
	if cap(b) <= 16<<20 {
		*bp = b[:0]
	}
	if status == http.StatusOK && fd.truncate {
		b = b[:len(b)/2]
	}
	writeBody(w, status, b)
}

// ListenAndServe runs a simulated mall on addr (":0" picks a port) until ctx is done. It
// prints to out the base URL, the mall and client ids, the client secret and example curl
// lines, including a ready authorization code.
func ListenAndServe(ctx context.Context, addr string, opts Options, out io.Writer) error {
	opts = opts.withDefaults()
	s := New(opts)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	base := "http://" + ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		base = fmt.Sprintf("http://127.0.0.1:%d", tcp.Port)
	}
	const redirect = "http://localhost:8080/callback"
	code := s.AuthorizeCode(redirect, "dev")
	from := opts.End.In(kst).AddDate(0, 0, -7).Format("2006-01-02")
	to := opts.End.In(kst).Format("2006-01-02")
	fmt.Fprintf(out, `cafe24 simulator
  base URL:      %s
  mall id:       %s
  client id:     %s
  client secret: %s
  orders:        %d (%s .. %s), clock %s
  auth code:     %s (single use, for redirect_uri %s)

  curl -i '%s/api/v2/oauth/authorize?response_type=code&client_id=%s&state=xyz&redirect_uri=%s&scope=mall.read_order'
  curl -u %s:%s -d grant_type=authorization_code -d code=%s -d redirect_uri=%s %s/api/v2/oauth/token
  curl -H "Authorization: Bearer $ACCESS_TOKEN" '%s/api/v2/admin/orders?start_date=%s&end_date=%s&embed=items,receivers,buyer&limit=2'
  curl -X POST '%s/debug/clock?advance=24h'; curl '%s/debug/truth'
`, base, opts.MallID, opts.ClientID, opts.ClientSecret, opts.Orders,
		opts.Start.In(kst).Format(time.RFC3339), opts.End.In(kst).Format(time.RFC3339), s.clock.Now().In(kst).Format(time.RFC3339),
		code, redirect,
		base, opts.ClientID, redirect,
		opts.ClientID, opts.ClientSecret, code, redirect, base,
		base, from, to, base, base)

	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}

// scopeFor is the scope a read of the admin resource at path needs.
func scopeFor(method, path string) string {
	switch {
	case method != http.MethodGet && strings.HasPrefix(path, "products"):
		return "mall.write_product"
	case method != http.MethodGet:
		return "mall.write_order"
	case strings.HasPrefix(path, "products"):
		return "mall.read_product"
	case strings.HasPrefix(path, "suppliers"):
		return "mall.read_supply"
	}
	return "mall.read_order"
}

// route answers the admin resource at path (below /api/v2/admin/) into b.
func (s *Server) route(b []byte, r *http.Request, path string, fd faultDraw) (int, []byte) {
	switch r.Method {
	case http.MethodGet:
		s.mu.RLock()
		defer s.mu.RUnlock()
	case http.MethodPost, http.MethodPut, http.MethodDelete:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.write(b, r, path)
	default:
		return http.StatusMethodNotAllowed, appendEnvelope(b, http.StatusMethodNotAllowed, "Method "+r.Method+" is not allowed")
	}
	parts := strings.Split(path, "/")
	switch {
	case path == "orders":
		return s.listOrders(b, r, fd)
	case path == "orders/count":
		return s.countOrders(b, r)
	case path == "refunds":
		return s.listRefunds(b, r)
	case path == "products" || path == "products/count":
		return s.listProducts(b, r, path == "products/count")
	case len(parts) == 5 && parts[0] == "products" && parts[2] == "variants" && parts[4] == "inventories":
		return s.getInventory(b, parts[1], parts[3])
	case len(parts) == 2 && (parts[0] == "cancellation" || parts[0] == "return" || parts[0] == "exchange"):
		return s.getClaim(b, parts[0], parts[1])
	case len(parts) == 3 && parts[0] == "orders" && parts[2] == "shipments":
		return s.getShipments(b, parts[1])
	case path == "suppliers":
		return s.listSuppliers(b, r.URL.Query())
	case len(parts) == 2 && parts[0] == "suppliers":
		return s.getSupplier(b, parts[1])
	}
	return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No API found for /api/v2/admin/"+path)
}

// Fingerprint names the generated data set: the same options give the same fingerprint, and
// so does the same seed under another version of the generator only if it generates the same
// events. Callers that keep synced data across runs (mallsync dev) compare it to know whether
// that data still belongs to this data set.
func (s *Server) Fingerprint() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	h := fnv.New64a()
	var buf [8]byte
	put := func(v uint64) {
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
	for i := range s.d.orders {
		o := &s.d.orders[i]
		put(uint64(uint32(o.at))<<32 | uint64(uint32(o.pay)))
	}
	for i := range s.d.items {
		it := &s.d.items[i]
		for _, t := range it.ev {
			put(uint64(uint32(t)))
		}
		put(uint64(it.claim)<<16 | uint64(it.qty)<<8 | uint64(it.ship))
	}
	return strconv.FormatUint(h.Sum64(), 16)
}
