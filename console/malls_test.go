package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/mappings"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

// mallNow is the console's clock in the malls tests: 25 minutes after the demo mall's orders
// stream last caught up.
var (
	mallNow    = time.Date(2026, 7, 10, 3, 25, 0, 0, time.UTC)
	caughtUpAt = time.Date(2026, 7, 10, 3, 0, 0, 0, time.UTC) // 12:00 KST
)

// fakeMalls is an in-memory mallsync.MallStore and MallHealthReader.
type fakeMalls struct {
	mu    sync.Mutex
	malls map[mallsync.MallKey]mallsync.Mall
	fail  error
}

func (f *fakeMalls) PutMall(_ context.Context, m mallsync.Mall) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.malls[m.Key] = m
	return nil
}

func (f *fakeMalls) Mall(_ context.Context, key mallsync.MallKey) (mallsync.Mall, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.malls[key]
	if !ok {
		return m, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q", key)
	}
	return m, nil
}

func (f *fakeMalls) Malls(context.Context) ([]mallsync.Mall, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []mallsync.Mall
	for _, m := range f.malls {
		out = append(out, m)
	}
	return out, nil
}

// MallHealth gives the demo mall a caught-up claims stream and a failing orders stream.
func (f *fakeMalls) MallHealth(ctx context.Context) ([]mallsync.MallHealth, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	malls, _ := f.Malls(ctx)
	var out []mallsync.MallHealth
	for _, m := range malls {
		h := mallsync.MallHealth{Mall: m}
		if m.Key == "demo-cafe24" {
			ok, failed, recent := caughtUpAt, caughtUpAt.Add(20*time.Minute), mallNow.Add(-2*time.Minute)
			h.Connected, h.Orders, h.Lines = true, 12, 20
			h.Streams = []mallsync.StreamHealth{
				{Stream: mallsync.StreamClaims, LastRunAt: &recent, LastSuccessAt: &recent, LastCaughtUpAt: &recent, Runs: 3},
				{Stream: mallsync.StreamOrders, LastRunAt: &failed, LastSuccessAt: &ok, LastCaughtUpAt: &ok, LastError: "cafe24 answered 401: invalid_token",
					LastErrorAt: &failed, Runs: 7, Pages: 9, Lines: 20, APICalls: 31, Quarantined: 3},
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// noOrders is an OrderReader with no orders.
type noOrders struct{}

func (noOrders) SearchOrders(context.Context, mallsync.OrderQuery) ([]mallsync.OrderHit, error) {
	return nil, nil
}

func (noOrders) OrderDetail(context.Context, mallsync.MallKey, string) (mallsync.OrderDetail, error) {
	return mallsync.OrderDetail{}, mallsync.Errorf(mallsync.ENOTFOUND, "no order")
}

// validateMall is the ValidateFunc cmd builds, over mappings.
func validateMall(file string, data []byte) (mallsync.Mall, []console.FileProblem) {
	m, err := mappings.ParseMall(file, data, mallNow)
	var fe *mappings.FileError
	if errors.As(err, &fe) {
		var out []console.FileProblem
		for _, p := range fe.Problems {
			out = append(out, console.FileProblem{Line: p.Line, Column: p.Col, Message: p.Message})
		}
		return m, out
	}
	return m, nil
}

const newMallFile = `version: 1
key: new-shop
name: 새 가게
platform: coupang
account:
  vendor_id: A00012345
credentials: new-shop
sync:
  backfill_start: 2026-07-01
ownership:
  default: consignment
`

// badMallFile has an unknown platform at line 4, column 11.
var badMallFile = strings.Replace(newMallFile, "platform: coupang", "platform: gmarket", 1)

// mallBundle is the console with the sales section, over users in Postgres and fake malls.
type mallBundle struct {
	h        http.Handler
	malls    *fakeMalls
	audit    *postgres.AuditLog
	logs     *bytes.Buffer
	previews []string
}

var mallPasswords = map[string]string{"sue": "sue-password-123", "lee": "lee-password-123", "kim": "kim-password-123", "boss": "boss-password-123"}

func mallSetup(t *testing.T) *mallBundle {
	t.Helper()
	db := pgtest.DB(t)
	ctx := context.Background()
	users := postgres.NewUserStore(db)
	for name, role := range map[string]mallsync.Role{"sue": console.RoleSales, "lee": console.RoleAgent, "kim": console.RoleLogistics, "boss": console.RoleAdmin} {
		if _, err := users.CreateUser(ctx, name, role, mallPasswords[name]); err != nil {
			t.Fatal(err)
		}
	}
	demo, err := mappings.LoadMallFile("../mappings/malls/demo-cafe24.yaml", mallNow)
	if err != nil {
		t.Fatal(err)
	}
	b := &mallBundle{malls: &fakeMalls{malls: map[mallsync.MallKey]mallsync.Mall{demo.Key: demo}}, audit: postgres.NewAuditLog(db), logs: &bytes.Buffer{}}
	deps := &console.MallDeps{
		Health: b.malls, Malls: b.malls, ValidateFunc: validateMall,
		PreviewFunc: func(p mallsync.Platform, resource string, body []byte) (connectors.Preview, error) {
			b.previews = append(b.previews, string(p)+"/"+resource)
			if !json.Valid(body) {
				return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "%s preview: the file is not a JSON object", p)
			}
			return connectors.Preview{Resource: resource, Orders: []mallsync.Order{{PlatformOrderID: "O-1"}},
				Errors: []connectors.PreviewError{{Record: "O-2", Reason: "status \"X9\" is not a line status"}}}, nil
		},
		PreviewResources: map[mallsync.Platform][]string{mallsync.PlatformCafe24: {"orders", "return"}, mallsync.PlatformCoupang: {"ordersheets"}},
		ConnectFunc: func(_ context.Context, m mallsync.Mall) (console.Connection, error) {
			if m.Platform == mallsync.PlatformCafe24 {
				return console.Connection{AuthorizeURL: "https://" + m.Account.MallID + ".cafe24api.com/api/v2/oauth/authorize?state=one-time-state"}, nil
			}
			return console.Connection{Command: "mallsync mall connect " + string(m.Key)}, nil
		},
	}
	b.h = console.New(console.Deps{Auth: &console.DBAuth{Users: users}, Users: users, Tasks: seedTasks(), Orders: noOrders{},
		Malls: deps, Audit: b.audit, Logger: slog.New(slog.NewTextHandler(b.logs, nil)), NowFunc: func() time.Time { return mallNow }})
	return b
}

// session logs name in and returns its cookie and CSRF token.
func (b *mallBundle) session(t *testing.T, name string) (*http.Cookie, string) {
	t.Helper()
	r := httptest.NewRequest("POST", "/login", strings.NewReader(`{"name":"`+name+`","password":"`+mallPasswords[name]+`"}`))
	r.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, r)
	var out map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 || sessionCookie(rec) == nil {
		t.Fatalf("login %s: %d %s", name, rec.Code, rec.Body)
	}
	return sessionCookie(rec), out["csrf"]
}

// do sends a request with an optional session.
func (b *mallBundle) do(t *testing.T, method, path, contentType string, body []byte, cookie *http.Cookie, csrfHeader string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	if csrfHeader != "" {
		r.Header.Set(console.CSRFHeader, csrfHeader)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, r)
	return rec
}

// form posts a multipart form with fields (and a csrf field when csrf is not empty).
func (b *mallBundle) form(t *testing.T, path string, cookie *http.Cookie, csrf string, fields map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if csrf != "" {
		_ = w.WriteField("csrf", csrf)
	}
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	_ = w.Close()
	return b.do(t, "POST", path, w.FormDataContentType(), body.Bytes(), cookie, "")
}

func TestMallPagesRoles(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	for _, tt := range []struct {
		user string
		want int
	}{{"lee", 403}, {"kim", 403}, {"sue", 200}, {"boss", 200}} {
		c, _ := b.session(t, tt.user)
		for _, path := range []string{"/malls", "/malls/onboard"} {
			if rec := b.do(t, "GET", path, "", nil, c, ""); rec.Code != tt.want {
				t.Errorf("%s GET %s: %d, want %d", tt.user, path, rec.Code, tt.want)
			}
		}
		if rec := b.do(t, "GET", "/api/malls", "", nil, c, ""); rec.Code != tt.want {
			t.Errorf("%s GET /api/malls: %d, want %d: %s", tt.user, rec.Code, tt.want, rec.Body)
		}
	}
	lee, leeCSRF := b.session(t, "lee")
	if rec := b.form(t, "/malls/onboard/apply", lee, leeCSRF, map[string]string{"mallfile": newMallFile}); rec.Code != 403 {
		t.Errorf("agent apply: %d", rec.Code)
	}
	if rec := b.do(t, "POST", "/api/malls/apply", "application/yaml", []byte(newMallFile), lee, leeCSRF); rec.Code != 403 || !strings.Contains(rec.Body.String(), `"forbidden"`) {
		t.Errorf("agent API apply: %d %s", rec.Code, rec.Body)
	}
	if _, err := b.malls.Mall(context.Background(), "new-shop"); err == nil {
		t.Fatal("an agent applied a mall")
	}
	if rec := b.do(t, "GET", "/malls", "", nil, nil, ""); rec.Code != 303 || !strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
		t.Errorf("no session: %d %v", rec.Code, rec.Header())
	}
}

func TestMallsPageShowsHealth(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	c, _ := b.session(t, "sue")
	rec := b.do(t, "GET", "/malls", "", nil, c, "")
	page := rec.Body.String()
	for _, want := range []string{
		"데모 카페24 쇼핑몰", "cafe24", "연결됨 connected",
		"2026-07-10 12:00 KST",                    // last success, in KST
		"25분",                                     // lag
		"cafe24 answered 401: invalid_token",      // last error
		`<td class="num">3</td>`,                  // quarantined
		"supplier_code S0000001 → 위탁 consignment", // an ownership rule
		"그 밖 otherwise → 직매입 direct purchase",
		"반품 철회 return withdrawal: 허용 allowed",
		"오류 Failing", "정상 OK",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(page)
	}
}

func TestMallAPI(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	if rec := b.do(t, "GET", "/api/malls", "", nil, nil, ""); rec.Code != 401 || !strings.Contains(rec.Body.String(), `{"error":{"code":"unauthorized"`) {
		t.Errorf("no credentials: %d %s", rec.Code, rec.Body)
	}
	c, csrf := b.session(t, "sue")
	rec := b.do(t, "GET", "/api/malls/demo-cafe24", "", nil, c, "")
	var one struct {
		Mall struct {
			Key       string `json:"key"`
			Connected bool   `json:"connected"`
			Streams   []struct {
				Stream      string `json:"stream"`
				State       string `json:"state"`
				LagSeconds  *int64 `json:"lag_seconds"`
				Quarantined int64  `json:"quarantined"`
			} `json:"streams"`
		} `json:"mall"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &one); err != nil || rec.Code != 200 {
		t.Fatalf("GET one: %d %s", rec.Code, rec.Body)
	}
	o := one.Mall.Streams[1]
	if !one.Mall.Connected || o.Stream != "orders" || o.State != "failing" || o.LagSeconds == nil || *o.LagSeconds != 1500 || o.Quarantined != 3 {
		t.Errorf("mall = %s", rec.Body)
	}
	tests := []struct {
		name, method, path, ctype string
		body                      []byte
		want                      int
		wantBody                  string
	}{
		{"unknown mall", "GET", "/api/malls/nope", "", nil, 404, `"not_found"`},
		{"valid file", "POST", "/api/malls/validate", "application/yaml", []byte(newMallFile), 200, `"valid":true`},
		{"invalid file", "POST", "/api/malls/validate", "application/yaml", []byte(badMallFile), 422, `"problems":[{"line":4,"column":11,`},
		{"empty file", "POST", "/api/malls/validate", "application/yaml", nil, 400, `"invalid"`},
		{"file too large", "POST", "/api/malls/validate", "application/yaml", bytes.Repeat([]byte("# x\n"), console.MaxMallFile/4+1), 413, `"too_large"`},
		{"preview", "POST", "/api/malls/preview?platform=cafe24&resource=orders", "application/json", []byte(`{"orders":[]}`), 200, `"unmapped":1`},
		{"preview unknown platform", "POST", "/api/malls/preview?platform=gmarket&resource=orders", "application/json", []byte(`{}`), 400, `platform \"gmarket\"`},
		{"preview unknown resource", "POST", "/api/malls/preview?platform=coupang&resource=orders", "application/json", []byte(`{}`), 400, `ordersheets`},
		{"preview not JSON", "POST", "/api/malls/preview?platform=cafe24&resource=return", "application/json", []byte(`<html>`), 422, `"invalid_response"`},
		{"preview too large", "POST", "/api/malls/preview?platform=cafe24&resource=orders", "application/json", make([]byte, console.MaxPreviewBody+1), 413, `"too_large"`},
		{"apply invalid", "POST", "/api/malls/apply", "application/yaml", []byte(badMallFile), 422, `"code":"invalid_mall_file"`},
		{"wrong method", "DELETE", "/api/malls/validate", "", nil, 405, `"method_not_allowed"`},
	}
	for _, tt := range tests {
		rec := b.do(t, tt.method, tt.path, tt.ctype, tt.body, c, csrf)
		if rec.Code != tt.want || !strings.Contains(rec.Body.String(), tt.wantBody) || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s, want %d with %s", tt.name, rec.Code, rec.Body, tt.want, tt.wantBody)
		}
	}
	if rec := b.do(t, "POST", "/api/malls/validate", "application/yaml", []byte(newMallFile), c, ""); rec.Code != 403 {
		t.Errorf("session post without CSRF: %d", rec.Code)
	}
	if _, err := b.malls.Mall(context.Background(), "new-shop"); err == nil {
		t.Fatal("a refused apply stored the mall")
	}
}

func TestMallFormsNeedCSRF(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	c, csrf := b.session(t, "sue")
	for _, path := range []string{"/malls/onboard/validate", "/malls/onboard/apply", "/malls/onboard/preview", "/malls/onboard/connect"} {
		fields := map[string]string{"mallfile": newMallFile, "mall": "demo-cafe24", "platform": "cafe24", "resource": "orders", "body": "{}"}
		if rec := b.form(t, path, c, "", fields); rec.Code != 403 {
			t.Errorf("%s without CSRF: %d", path, rec.Code)
		}
		if rec := b.form(t, path, c, "wrong-token", fields); rec.Code != 403 {
			t.Errorf("%s with a wrong CSRF token: %d", path, rec.Code)
		}
	}
	if _, err := b.malls.Mall(context.Background(), "new-shop"); err == nil {
		t.Fatal("a form without CSRF token applied a mall")
	}
	if len(b.previews) > 0 {
		t.Fatalf("a form without CSRF token previewed: %v", b.previews)
	}
	if entries, _ := b.audit.Entries(context.Background(), mallsync.AuditFilter{}); len(entries) != 1 { // sue's login
		t.Fatalf("audit rows for refused forms: %+v", entries)
	}
	// A mall file over 64 KB (the console's usual form cap) still gets through.
	big := newMallFile + strings.Repeat("# 주석 comment line\n", 5000)
	if rec := b.form(t, "/malls/onboard/validate", c, csrf, map[string]string{"mallfile": big}); rec.Code != 200 {
		t.Errorf("a %d-byte mall file: %d", len(big), rec.Code)
	}
	huge := strings.Repeat("#", console.MaxMallFile+formOverhead)
	if rec := b.form(t, "/malls/onboard/validate", c, csrf, map[string]string{"mallfile": huge}); rec.Code != 413 {
		t.Errorf("a too large mall file: %d", rec.Code)
	}
}

// formOverhead is more than the room the form cap leaves beside a mall file.
const formOverhead = 65 << 10

func TestValidatePageShowsLineAndColumn(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	c, csrf := b.session(t, "sue")
	rec := b.form(t, "/malls/onboard/validate", c, csrf, map[string]string{"mallfile": badMallFile})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "<code>4:11</code> platform: expected one of cafe24, smartstore, coupang") {
		t.Fatalf("invalid file: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "platform: gmarket") { // the file stays in the textarea to fix
		t.Error("the page lost the file")
	}
	rec = b.form(t, "/malls/onboard/validate", c, csrf, map[string]string{"mallfile": newMallFile})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "통과 Valid: <strong>새 가게</strong> (new-shop, coupang)") ||
		!strings.Contains(rec.Body.String(), "그 밖 otherwise → 위탁 consignment") {
		t.Fatalf("valid file: %d %s", rec.Code, rec.Body)
	}
	if _, err := b.malls.Mall(context.Background(), "new-shop"); err == nil {
		t.Fatal("validating stored the mall")
	}
}

func TestApplyStoresTheMallAndAudits(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	ctx := context.Background()
	c, csrf := b.session(t, "sue")
	if rec := b.form(t, "/malls/onboard/apply", c, csrf, map[string]string{"mallfile": badMallFile}); rec.Code != 422 || !strings.Contains(rec.Body.String(), "4:11") {
		t.Fatalf("applying an invalid file: %d %s", rec.Code, rec.Body)
	}
	rec := b.form(t, "/malls/onboard/apply", c, csrf, map[string]string{"mallfile": newMallFile})
	loc, _ := url.Parse(rec.Header().Get("Location"))
	if rec.Code != 303 || loc.Path != "/malls/onboard" || !strings.Contains(loc.Query().Get("done"), "new-shop") || loc.Query().Get("mall") != "new-shop" {
		t.Fatalf("apply: %d %v", rec.Code, rec.Header())
	}
	m, err := b.malls.Mall(ctx, "new-shop")
	if err != nil || m.Name != "새 가게" || m.Ownership.Default != mallsync.OwnConsignment || m.Account.VendorID != "A00012345" {
		t.Fatalf("stored %+v, %v", m, err)
	}
	// The page it sends to shows what was done and offers the mall to connect.
	loc.Fragment = "" // browsers keep it to themselves
	page := b.do(t, "GET", loc.String(), "", nil, c, "").Body.String()
	if !strings.Contains(page, `class="flash"`) || !strings.Contains(page, `<option value="new-shop" selected>`) {
		t.Errorf("page after apply: %s", page)
	}
	// Again through the API, by an admin, replacing it.
	boss, bossCSRF := b.session(t, "boss")
	rec = b.do(t, "POST", "/api/malls/apply", "application/yaml", []byte(strings.Replace(newMallFile, "새 가게", "새 가게 2", 1)), boss, bossCSRF)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"created":false`) {
		t.Fatalf("API apply: %d %s", rec.Code, rec.Body)
	}
	if m, _ := b.malls.Mall(ctx, "new-shop"); m.Name != "새 가게 2" {
		t.Fatalf("API apply stored %+v", m)
	}
	entries, err := b.audit.Entries(ctx, mallsync.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "mall.") {
			got = append(got, e.User+" "+e.Action+" "+e.Target+" created="+toStringAny(e.Detail["created"]))
		}
	}
	want := []string{"boss mall.apply mall/new-shop created=false", "sue mall.apply mall/new-shop created=true"} // newest first
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func toStringAny(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestPreviewAndConnectPages(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	ctx := context.Background()
	c, csrf := b.session(t, "sue")
	rec := b.form(t, "/malls/onboard/preview", c, csrf, map[string]string{"platform": "cafe24", "resource": "orders", "body": `{"orders":[]}`})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "1 orders") || !strings.Contains(rec.Body.String(), "<code>O-2</code> status &#34;X9&#34; is not a line status") {
		t.Fatalf("preview: %d %s", rec.Code, rec.Body)
	}
	if rec := b.form(t, "/malls/onboard/preview", c, csrf, map[string]string{"platform": "cafe24", "resource": "orders", "body": `not json`}); rec.Code != 422 ||
		!strings.Contains(rec.Body.String(), "not a JSON object") {
		t.Fatalf("preview of a bad body: %d %s", rec.Code, rec.Body)
	}
	rec = b.form(t, "/malls/onboard/connect", c, csrf, map[string]string{"mall": "demo-cafe24"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `href="https://demomall.cafe24api.com/api/v2/oauth/authorize?state=one-time-state"`) {
		t.Fatalf("connect: %d %s", rec.Code, rec.Body)
	}
	if rec := b.form(t, "/malls/onboard/connect", c, csrf, map[string]string{"mall": "nope"}); rec.Code != 404 {
		t.Fatalf("connect an unknown mall: %d", rec.Code)
	}
	if _, err := b.malls.Mall(ctx, "new-shop"); err != nil {
		_ = b.malls.PutMall(ctx, mallsync.Mall{Key: "new-shop", Platform: mallsync.PlatformCoupang})
	}
	rec = b.do(t, "POST", "/api/malls/new-shop/connect", "", nil, c, csrf)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"command":"mallsync mall connect new-shop"`) {
		t.Fatalf("API connect: %d %s", rec.Code, rec.Body)
	}
	entries, _ := b.audit.Entries(ctx, mallsync.AuditFilter{})
	var got []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "mall.") {
			got = append(got, e.Action+" "+e.Target+" via="+toString(e.Detail["via"]))
		}
		if raw, _ := json.Marshal(e); strings.Contains(string(raw), "one-time-state") {
			t.Errorf("an audit row holds the OAuth state: %s", raw)
		}
	}
	if want := "mall.connect mall/new-shop via=command\nmall.connect mall/demo-cafe24 via=oauth"; strings.Join(got, "\n") != want {
		t.Errorf("audit:\n%s", strings.Join(got, "\n"))
	}
	if strings.Contains(b.logs.String(), "one-time-state") {
		t.Errorf("the logs show the OAuth state: %s", b.logs)
	}
}

func TestMallsPageWhenTheStoreFails(t *testing.T) {
	t.Parallel()
	b := mallSetup(t)
	b.malls.fail = errors.New("connection refused to 10.0.0.5")
	c, _ := b.session(t, "sue")
	rec := b.do(t, "GET", "/malls", "", nil, c, "")
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "10.0.0.5") {
		t.Fatalf("page: %d %s", rec.Code, rec.Body)
	}
	rec = b.do(t, "GET", "/api/malls", "", nil, c, "")
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `{"error":{"code":"internal","message":"internal error"}}`) {
		t.Fatalf("API: %d %s", rec.Code, rec.Body)
	}
}
