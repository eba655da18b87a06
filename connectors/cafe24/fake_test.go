package cafe24

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// testStatusMap is the part of the Cafe24 status map the tests use (the real one is a
// mapping file loaded by the mappings package).
func testStatusMap() mallsync.StatusMap {
	r := map[string]mallsync.StatusRule{}
	line := func(code string, l mallsync.LineStatus) { r[code] = mallsync.StatusRule{Code: code, Line: l} }
	claim := func(code string, l mallsync.LineStatus, k mallsync.ClaimKind, s mallsync.ClaimStatus) {
		r[code] = mallsync.StatusRule{Code: code, Line: l, KeepsPriorStatus: l == "", ClaimKind: k, ClaimStatus: s}
	}
	line("N00", mallsync.LinePendingPayment)
	line("N10", mallsync.LinePaid)
	line("N20", mallsync.LinePreparing)
	line("N21", mallsync.LinePreparing)
	line("N22", mallsync.LinePreparing)
	line("N30", mallsync.LineShipped)
	line("N40", mallsync.LineDelivered)
	line("N50", mallsync.LineConfirmed)
	claim("C00", "", mallsync.ClaimCancel, mallsync.ClaimRequested)
	claim("C11", "", mallsync.ClaimCancel, mallsync.ClaimRejected)
	claim("C10", "", mallsync.ClaimCancel, mallsync.ClaimAccepted)
	claim("C40", mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted)
	claim("C47", mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted)
	claim("C48", mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted)
	claim("C49", mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted)
	claim("R00", "", mallsync.ClaimReturn, mallsync.ClaimRequested)
	claim("R10", "", mallsync.ClaimReturn, mallsync.ClaimAccepted)
	claim("R11", "", mallsync.ClaimReturn, mallsync.ClaimRejected)
	claim("R12", "", mallsync.ClaimReturn, mallsync.ClaimOnHold)
	claim("R20", "", mallsync.ClaimReturn, mallsync.ClaimCollected)
	claim("R40", mallsync.LineReturned, mallsync.ClaimReturn, mallsync.ClaimCompleted)
	claim("E00", "", mallsync.ClaimExchange, mallsync.ClaimRequested)
	claim("E10", "", mallsync.ClaimExchange, mallsync.ClaimAccepted)
	claim("E11", "", mallsync.ClaimExchange, mallsync.ClaimRejected)
	claim("E12", "", mallsync.ClaimExchange, mallsync.ClaimOnHold)
	claim("E31", "", mallsync.ClaimExchange, mallsync.ClaimCollected)
	line("N01", mallsync.LinePreparing)
	claim("E40", mallsync.LineExchanged, mallsync.ClaimExchange, mallsync.ClaimCompleted)
	return mallsync.StatusMap{Platform: mallsync.PlatformCafe24, Rules: r}
}

// memStore is an in-memory CredentialStore that serializes RotateToken with a mutex, like the
// Postgres store does with a row lock.
type memStore struct {
	mu        sync.Mutex
	creds     map[string]mallsync.Credential
	rotations int // refresh funcs called
	puts      int // tokens persisted by RotateToken
}

func newMemStore(c mallsync.Credential) *memStore {
	return &memStore{creds: map[string]mallsync.Credential{c.Ref: c}}
}

func (s *memStore) PutCredential(_ context.Context, c mallsync.Credential) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.creds[c.Ref] = c
	return nil
}

func (s *memStore) Credential(_ context.Context, ref string) (mallsync.Credential, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.creds[ref]
	if !ok {
		return c, mallsync.Errorf(mallsync.ENOTFOUND, "no credential %q", ref)
	}
	return c, nil
}

func (s *memStore) RotateToken(ctx context.Context, ref, stale string, refresh func(context.Context, mallsync.Credential) (mallsync.Token, error)) (mallsync.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.creds[ref]
	if !ok {
		return mallsync.Token{}, mallsync.Errorf(mallsync.ENOTFOUND, "no credential %q", ref)
	}
	if c.Token.AccessToken != stale {
		return c.Token, nil
	}
	s.rotations++
	tok, err := refresh(ctx, c)
	if err != nil {
		return mallsync.Token{}, err
	}
	c.Token = tok
	s.creds[ref] = c
	s.puts++
	return tok, nil
}

func (s *memStore) token(ref string) mallsync.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creds[ref].Token
}

// fakeOrder is one order the fake serves: its dates by date_type and its wire JSON.
type fakeOrder struct {
	id     string
	dates  map[string]time.Time
	status string
	json   []byte
}

// apiCall is one admin call the fake saw.
type apiCall struct {
	path     string
	dateType string
	w        window
	offset   int
	answered int // count (for /count) or rows (for /orders)
	orderIDs int // order_id values given
}

// fakeCafe24 speaks enough of the Cafe24 Admin API and OAuth for the connector: orders by
// date windows with the documented limits, counts, token rotation with single-use refresh
// tokens, the error envelopes, and scripted faults.
type fakeCafe24 struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	orders  []*fakeOrder // by order_date, then id
	calls   []apiCall
	access  map[string]bool // access tokens the API accepts
	refresh string          // the one live refresh token
	seen    map[string]int  // refresh tokens presented
	issued  int
	faults  []string // next admin calls: "429", "503", "401", "truncate", "dup"
	ttl     time.Duration
	nowFunc func() time.Time
}

func newFake(t *testing.T) *fakeCafe24 {
	f := &fakeCafe24{
		t: t, access: map[string]bool{"at-0": true}, refresh: "rt-0", seen: map[string]int{},
		ttl: 2 * time.Hour, nowFunc: time.Now,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCafe24) addOrders(os ...*fakeOrder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.orders = append(f.orders, os...)
	f.sortLocked()
}

func (f *fakeCafe24) sortLocked() {
	sort.SliceStable(f.orders, func(i, j int) bool {
		a, b := f.orders[i], f.orders[j]
		if !a.dates["order_date"].Equal(b.dates["order_date"]) {
			return a.dates["order_date"].Before(b.dates["order_date"])
		}
		return a.id < b.id
	})
}

func (f *fakeCafe24) fault(fs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fs...)
}

func (f *fakeCafe24) log() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, code, msg)
}

func (f *fakeCafe24) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/v2/oauth/token" {
		f.serveToken(w, r)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("X-Api-Call-Limit", "1/40")
	fault := ""
	if len(f.faults) > 0 {
		fault, f.faults = f.faults[0], f.faults[1:]
	}
	switch fault {
	case "429":
		apiError(w, 429, "too_many_requests", "slow down")
		return
	case "503":
		apiError(w, 503, "unavailable", "maintenance")
		return
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !f.access[tok] || fault == "401" {
		apiError(w, 401, "unauthorized", "access token expired")
		return
	}
	q := r.URL.Query()
	dt := q.Get("date_type")
	start, err1 := time.Parse(time.RFC3339, q.Get("start_date"))
	end, err2 := time.Parse(time.RFC3339, q.Get("end_date"))
	if !slices.Contains(DateTypes, dt) || err1 != nil || err2 != nil || end.Before(start) {
		apiError(w, 400, "invalid_request", "bad date_type or dates")
		return
	}
	if end.After(start.In(kst).AddDate(0, windowMonths, 0)) {
		apiError(w, 400, "invalid_request", "the period can not exceed 3 months")
		return
	}
	var ids map[string]bool // the order_id filter, nil when not given
	if v := q.Get("order_id"); v != "" {
		ids = map[string]bool{}
		for _, id := range strings.Split(v, ",") {
			ids[id] = true
		}
		if len(ids) > 100 {
			apiError(w, 400, "invalid_request", "at most 100 order_id values")
			return
		}
	}
	var match []*fakeOrder
	for _, o := range f.orders {
		if ids != nil && !ids[o.id] {
			continue
		}
		if t, ok := o.dates[dt]; ok && !t.Before(start) && !t.After(end) {
			match = append(match, o)
		}
	}
	call := apiCall{path: strings.TrimPrefix(r.URL.Path, "/api/v2/admin"), dateType: dt, w: window{start.UTC(), end.UTC()}, orderIDs: len(ids)}
	switch call.path {
	case "/orders/count":
		call.answered = len(match)
		f.calls = append(f.calls, call)
		fmt.Fprintf(w, `{"count":%d}`, len(match))
	case "/orders":
		limit, _ := strconv.Atoi(q.Get("limit"))
		offset, _ := strconv.Atoi(q.Get("offset"))
		if limit < 1 || limit > 1000 || offset < 0 || offset > maxOffset {
			apiError(w, 400, "invalid_request", "bad limit or offset")
			return
		}
		if q.Get("embed") != orderEmbed {
			apiError(w, 400, "invalid_request", "embed")
			return
		}
		page := match[min(offset, len(match)):min(offset+limit, len(match))]
		call.offset, call.answered = offset, len(page)
		f.calls = append(f.calls, call)
		var b strings.Builder
		b.WriteString(`{"orders":[`)
		for i, o := range page {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(o.json)
			if fault == "dup" && i == 0 {
				b.WriteByte(',')
				b.Write(o.json)
			}
		}
		b.WriteString(`],"links":[]}`)
		body := b.String()
		if fault == "truncate" {
			body = body[:len(body)/2]
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	default:
		apiError(w, 404, "not_found", "no such resource")
	}
}

func (f *fakeCafe24) serveToken(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	user, pass, ok := r.BasicAuth()
	if !ok || user != "client-id" || pass != "client-secret" {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"client authentication failed"}`)
		return
	}
	_ = r.ParseForm()
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		f.seen[rt]++
		if rt != f.refresh {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Validation error: invalid refresh_token"}`)
			return
		}
	case "authorization_code":
		if r.PostForm.Get("code") != "good-code" || r.PostForm.Get("redirect_uri") != "https://app.example/cb" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"bad code"}`)
			return
		}
	default:
		w.WriteHeader(400)
		fmt.Fprint(w, `{"error":"unsupported_grant_type","error_description":"?"}`)
		return
	}
	f.issued++
	at, rt := fmt.Sprintf("at-%d", f.issued), fmt.Sprintf("rt-%d", f.issued)
	f.access[at] = true
	f.refresh = rt
	now := f.nowFunc().In(kst)
	fmt.Fprintf(w, `{"access_token":%q,"expires_at":%q,"refresh_token":%q,"refresh_token_expires_at":%q,"client_id":"client-id","mall_id":"testmall","user_id":"admin","scopes":["mall.read_order"],"issued_at":%q}`,
		at, now.Add(f.ttl).Format("2006-01-02T15:04:05.000"), rt, now.Add(14*24*time.Hour).Format("2006-01-02T15:04:05.000"), now.Format("2006-01-02T15:04:05.000"))
}

func (f *fakeCafe24) presentations() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps(f.seen)
}

func maps(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// basicAuth is the header value a client id and secret make.
func basicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// testOrderJSON renders an order in the Cafe24 wire format with one item per status given.
func testOrderJSON(id string, ordered time.Time, dates map[string]time.Time, statuses ...string) []byte {
	kt := func(t time.Time) string { return t.In(kst).Format(kstLayout) }
	opt := func(dt string) string {
		if t, ok := dates[dt]; ok {
			return strconv.Quote(kt(t))
		}
		return "null"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"shop_no":1,"currency":"KRW","order_id":%q,"market_id":"self","order_place_id":"cafe24","paid":"T","canceled":"F","order_date":%q,"payment_date":%s,"cancel_date":null,"payment_amount":"%d.00","actual_order_amount":{"order_price_amount":"30000.00","shipping_fee":"2500.00","payment_amount":"32500.00"},"shipping_status":"F",`,
		id, kt(ordered), opt("pay_date"), 32500)
	b.WriteString(`"buyer":{"name":"홍길동","email":"buyer@example.com","phone":"","cellphone":"010-0000-0000","buyer_zipcode":"04524","buyer_address1":"서울 중구 세종대로 110","buyer_address2":"1층"},`)
	b.WriteString(`"receivers":[{"name":"홍길동","phone":"","cellphone":"01000000000","zipcode":"04524","address1":"서울 중구 세종대로 110","address2":"1층","address_full":"서울 중구 세종대로 110 1층","shipping_message":"","shipping_code":"D-` + id + `-00"}],"items":[`)
	for i, st := range statuses {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"item_no":%d,"order_item_code":"%s-%02d","variant_code":"P000000A000A","product_no":%d,"product_code":"P000000A","product_name":"린넨 셔츠","option_value":"색상=블루","product_price":"15000.00","option_price":"0.00","quantity":2,"payment_amount":"30000.00","supplier_id":"S0000000","supplier_name":"자체공급","order_status":%q,"order_status_before_cs":null,"claim_code":null,"tracking_no":null,"shipping_company_code":null,"shipped_date":%s,"delivered_date":%s,"purchaseconfirmation_date":null,"cancel_date":null,"return_request_date":null,"return_collected_date":null,"refund_date":null,"exchange_request_date":null}`,
			i+1, id, i+1, 10+i, st, opt("shipbegin_date"), opt("shipend_date"))
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// newTestOrder is an order placed at t, with status N10 (paid at t).
func newTestOrder(n int, t time.Time) *fakeOrder {
	id := fmt.Sprintf("%s-%07d", t.In(kst).Format("20060102"), n)
	o := &fakeOrder{id: id, dates: map[string]time.Time{"order_date": t, "pay_date": t}, status: "N10"}
	o.json = testOrderJSON(id, t, o.dates, o.status)
	return o
}

// setup is what a connector test needs.
type setup struct {
	fake  *fakeCafe24
	store *memStore
	mall  mallsync.Mall
	conn  *Connector
}

var fastRetry = connectors.RetryPolicy{MaxRetries: 3, WaitMin: time.Millisecond, WaitMax: 5 * time.Millisecond}

func newSetup(t *testing.T, backfillStart time.Time, lookback time.Duration) *setup {
	t.Helper()
	f := newFake(t)
	store := newMemStore(mallsync.Credential{
		Ref:    "cafe24/testmall",
		Client: mallsync.AppClient{ClientID: "client-id", ClientSecret: "client-secret"},
		Token:  mallsync.Token{AccessToken: "at-0", RefreshToken: "rt-0", AccessExpiresAt: time.Now().Add(time.Hour)},
	})
	mall := mallsync.Mall{
		Key: "test-mall", Platform: mallsync.PlatformCafe24,
		Account:        mallsync.Account{MallID: "testmall", ShopNo: 1, APIBase: f.srv.URL + "/"},
		CredentialsRef: "cafe24/testmall",
		Sync:           mallsync.SyncSettings{BackfillStart: backfillStart, Lookback: lookback},
	}
	s := &setup{fake: f, store: store, mall: mall}
	s.conn = s.connector(t)
	return s
}

func (s *setup) connector(t *testing.T) *Connector {
	t.Helper()
	deps := connectors.Deps{
		Credentials: s.store,
		StatusMap:   func(mallsync.Platform) (mallsync.StatusMap, error) { return testStatusMap(), nil },
		Logger:      slog.New(slog.DiscardHandler),
	}
	c, err := newConnector(context.Background(), s.mall, deps, options{
		retry:  fastRetry,
		budget: connectors.NewBudget(connectors.BudgetOptions{MaxCallsPerSecond: -1, Backoff429: time.Millisecond}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// run fetches from cursor until caught up (or maxFetches), returning the order ids seen, the
// last result and the number of fetches.
func (s *setup) run(t *testing.T, cursor string, now time.Time, maxFetches int) (map[string]int, connectors.Fetched, int) {
	t.Helper()
	seen := map[string]int{}
	var f connectors.Fetched
	for i := 1; i <= maxFetches; i++ {
		var err error
		f, err = s.conn.Fetch(context.Background(), mallsync.StreamOrders, cursor, now)
		if err != nil {
			t.Fatalf("fetch %d: %v", i, err)
		}
		for _, o := range f.Page.Orders {
			seen[o.PlatformOrderID]++
		}
		cursor = f.Next
		if f.CaughtUp {
			return seen, f, i
		}
	}
	t.Fatalf("not caught up after %d fetches", maxFetches)
	return nil, f, 0
}
