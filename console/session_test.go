package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

// The passwords of the users in the database.
var passwords = map[string]string{
	"kim":  "kim-password-123",
	"lee":  "lee-password-123",
	"boss": "boss-password-123",
	"gone": "gone-password-123",
	"sam":  "sam-password-123", // sales, in the order console's tests
}

const (
	envAdminToken = "env-admin-token-0123456789" // a MALLSYNC_API_TOKENS token
	failDelay     = 150 * time.Millisecond
)

// testClock is the user store's settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authBundle is the console as serve mounts it, over users in Postgres.
type authBundle struct {
	h       http.Handler
	users   *postgres.UserStore
	audit   *postgres.AuditLog
	clock   *testClock
	logs    *bytes.Buffer
	tasks   *fakeTasks
	kimAPI  string // kim's API token from the database
	secrets []string
}

func authSetup(t *testing.T, insecure bool) authBundle {
	t.Helper()
	db := pgtest.DB(t)
	ctx := context.Background()
	c := &testClock{t: time.Now().UTC()}
	users := postgres.NewUserStore(db)
	users.NowFunc = c.now
	for name, role := range map[string]mallsync.Role{"kim": console.RoleLogistics, "lee": console.RoleAgent, "boss": console.RoleAdmin, "gone": console.RoleAgent} {
		if _, err := users.CreateUser(ctx, name, role, passwords[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := users.SetDisabled(ctx, "gone", true); err != nil {
		t.Fatal(err)
	}
	kimAPI, err := users.NewAPIToken(ctx, "kim", "script")
	if err != nil {
		t.Fatal(err)
	}
	static, err := console.ParseTokens("env:admin:" + envAdminToken)
	if err != nil {
		t.Fatal(err)
	}
	auth := &console.DBAuth{Users: users, Fallback: static}
	audit := postgres.NewAuditLog(db)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	tasks := seedTasks()
	login := console.NewLoginAPI(console.LoginDeps{Users: users, Audit: audit, Logger: logger, InsecureCookies: insecure, FailDelay: failDelay})
	mux := http.NewServeMux()
	mux.Handle("/login", login)
	mux.Handle("/logout", login)
	mux.Handle("/api/", console.NewTaskAPI(console.TaskDeps{Tasks: tasks, Returns: &fakeReturns{closes: tasks}, Auth: auth, Audit: audit,
		Logger: logger, NowFunc: func() time.Time { return now }}))
	mux.Handle("/api/orders/", console.NewReorderAPI(console.ReorderDeps{Reorders: &fakeReorders{marked: map[string]mallsync.Reorder{}},
		Auth: auth, Audit: audit, Logger: logger}))
	secrets := []string{kimAPI, envAdminToken}
	for _, p := range passwords {
		secrets = append(secrets, p)
	}
	return authBundle{h: mux, users: users, audit: audit, clock: c, logs: &logs, tasks: tasks, kimAPI: kimAPI, secrets: secrets}
}

// req is a request to the bundle's console.
type req struct {
	method, path, body string
	contentType        string
	bearer             string
	cookie             *http.Cookie
	csrf               string
}

func (b *authBundle) send(t *testing.T, r req) *httptest.ResponseRecorder {
	t.Helper()
	hr := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	if r.contentType != "" {
		hr.Header.Set("Content-Type", r.contentType)
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.cookie != nil {
		hr.AddCookie(r.cookie)
	}
	if r.csrf != "" {
		hr.Header.Set(console.CSRFHeader, r.csrf)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, hr)
	return rec
}

// sessionCookie returns the session cookie a response sets, or nil.
func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == console.SessionCookie {
			return c
		}
	}
	return nil
}

// login logs name in with JSON and returns the session cookie and CSRF token.
func (b *authBundle) login(t *testing.T, name string) (*http.Cookie, string) {
	t.Helper()
	rec := b.send(t, req{method: "POST", path: "/login", contentType: "application/json",
		body: `{"name":"` + name + `","password":"` + passwords[name] + `"}`})
	var out map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 {
		t.Fatalf("login %s: %d %s", name, rec.Code, rec.Body)
	}
	c := sessionCookie(rec)
	if c == nil || out["csrf"] == "" {
		t.Fatalf("login %s: no cookie or CSRF token: %s", name, rec.Body)
	}
	b.secrets = append(b.secrets, c.Value, out["csrf"])
	return c, out["csrf"]
}

// noSecretsLogged fails the test when a password or token shows in the logs.
func (b *authBundle) noSecretsLogged(t *testing.T) {
	t.Helper()
	for _, s := range b.secrets {
		if strings.Contains(b.logs.String(), s) {
			t.Fatalf("the logs show a secret:\n%s", b.logs)
		}
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	b := authSetup(t, false)
	const generic = `{"error":{"code":"unauthorized","message":"wrong user name or password"}}` + "\n"
	tests := []struct {
		name, contentType, body string
		wantStatus              int
		wantUser, wantRole      string
	}{
		{"json", "application/json", `{"name":"kim","password":"kim-password-123"}`, 200, "kim", "logistics"},
		{"form", "application/x-www-form-urlencoded", url.Values{"name": {"lee"}, "password": {"lee-password-123"}}.Encode(), 303, "lee", "agent"},
		{"wrong password", "application/json", `{"name":"kim","password":"kim-password-124"}`, 401, "", ""},
		{"unknown user", "application/json", `{"name":"nobody","password":"kim-password-123"}`, 401, "", ""},
		{"disabled user", "application/json", `{"name":"gone","password":"gone-password-123"}`, 401, "", ""},
		// a refused form login goes back to the login page, which says so
		{"wrong password in a form", "application/x-www-form-urlencoded", "name=kim&password=nope-nope-nope", 303, "", ""},
		{"no password", "application/json", `{"name":"kim"}`, 400, "", ""},
		{"not JSON", "application/json", `name=kim`, 400, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			rec := b.send(t, req{method: "POST", path: "/login", contentType: tt.contentType, body: tt.body})
			took := time.Since(start)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			c := sessionCookie(rec)
			switch {
			case tt.wantStatus == 303 && tt.wantUser == "":
				if c != nil || rec.Header().Get("Location") != "/login?failed=1" || took < failDelay {
					t.Fatalf("refused form login: cookie %v, location %q, took %v", c, rec.Header().Get("Location"), took)
				}
			case tt.wantStatus == 200 || tt.wantStatus == 303:
				if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || len(c.Value) < 40 {
					t.Fatalf("cookie %+v", c)
				}
				if tt.wantStatus == 303 && rec.Header().Get("Location") != "/" {
					t.Fatalf("a form login redirects to %q", rec.Header().Get("Location"))
				}
				if tt.wantStatus == 200 {
					var out map[string]string
					if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out["user"] != tt.wantUser || out["role"] != tt.wantRole || len(out["csrf"]) < 40 || len(out) != 3 {
						t.Fatalf("answer %s", rec.Body)
					}
				}
				if strings.Contains(rec.Body.String(), c.Value) || strings.Contains(rec.Body.String(), "password") {
					t.Fatalf("the answer shows the session token or the password: %s", rec.Body)
				}
			case tt.wantStatus == 401:
				if c != nil || rec.Body.String() != generic {
					t.Fatalf("refusal: cookie %v, body %s", c, rec.Body)
				}
				if took < failDelay {
					t.Fatalf("a refused login took %v, less than %v", took, failDelay)
				}
			default:
				if c != nil {
					t.Fatalf("a bad login set a cookie")
				}
			}
		})
	}
	if rec := b.send(t, req{method: "GET", path: "/login"}); rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /login: %d", rec.Code)
	}
	b.noSecretsLogged(t)
}

func TestDevCookiesAreNotSecure(t *testing.T) {
	t.Parallel()
	b := authSetup(t, true)
	c, _ := b.login(t, "kim")
	if c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("dev cookie %+v", c)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	b := authSetup(t, false)
	cookie, csrf := b.login(t, "kim")
	other, otherCSRF := b.login(t, "boss")
	_ = other
	tests := []struct {
		name       string
		r          req
		wantStatus int
	}{
		{"cookie, no token", req{method: "POST", path: "/api/tasks/5/claim", cookie: cookie}, 403},
		{"cookie, a wrong token", req{method: "POST", path: "/api/tasks/5/claim", cookie: cookie, csrf: csrf + "x"}, 403},
		{"cookie, another session's token", req{method: "POST", path: "/api/tasks/5/claim", cookie: cookie, csrf: otherCSRF}, 403},
		{"cookie, a wrong form field", req{method: "POST", path: "/api/tasks/5/claim", cookie: cookie,
			contentType: "application/x-www-form-urlencoded", body: "csrf=nope"}, 403},
		{"cookie, the token in JSON is not enough", req{method: "POST", path: "/api/tasks/5/memos", cookie: cookie,
			contentType: "application/json", body: `{"body":"x","csrf":"` + csrf + `"}`}, 403},
		{"cookie, the right header", req{method: "POST", path: "/api/tasks/5/claim", cookie: cookie, csrf: csrf}, 200},
		{"cookie, the right form field", req{method: "POST", path: "/api/tasks/5/claim", cookie: cookie,
			contentType: "application/x-www-form-urlencoded", body: url.Values{"csrf": {csrf}}.Encode()}, 200},
		{"cookie, a read needs no token", req{method: "GET", path: "/api/tasks/5", cookie: cookie}, 200},
		{"bearer from the database, no token", req{method: "POST", path: "/api/tasks/5/priority", bearer: b.kimAPI, body: `{"priority":"high"}`}, 200},
		{"bearer from the environment, no token", req{method: "POST", path: "/api/tasks/5/priority", bearer: envAdminToken, body: `{"priority":"urgent"}`}, 200},
		{"a bad cookie", req{method: "GET", path: "/api/tasks/5", cookie: &http.Cookie{Name: console.SessionCookie, Value: "mss_forged"}}, 401},
		{"nothing", req{method: "GET", path: "/api/tasks/5"}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := b.send(t, tt.r)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
		})
	}
	b.noSecretsLogged(t)
}

func TestSessionRoles(t *testing.T) {
	t.Parallel()
	b := authSetup(t, false)
	lee, leeCSRF := b.login(t, "lee")
	kim, kimCSRF := b.login(t, "kim")
	tests := []struct {
		name       string
		cookie     *http.Cookie
		csrf, path string
		body       string
		wantStatus int
	}{
		{"an agent may not reassign", lee, leeCSRF, "/api/tasks/5/reassign", `{"assignee":"lee"}`, 403},
		{"an agent may not claim a return to supplier", lee, leeCSRF, "/api/tasks/5/claim", ``, 403},
		{"an agent claims a photo review", lee, leeCSRF, "/api/tasks/2/claim", ``, 200},
		{"an agent marks a reorder", lee, leeCSRF, "/api/orders/shop-a/R-1/reorder-of", `{"original":"O-1"}`, 200},
		{"logistics may not mark a reorder", kim, kimCSRF, "/api/orders/shop-a/R-2/reorder-of", `{"original":"O-1"}`, 403},
		{"logistics reassigns", kim, kimCSRF, "/api/tasks/5/reassign", `{"assignee":"kim"}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := b.send(t, req{method: "POST", path: tt.path, body: tt.body, cookie: tt.cookie, csrf: tt.csrf})
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
		})
	}
}

func TestSessionExpiresAndEnds(t *testing.T) {
	t.Parallel()
	b := authSetup(t, false)
	get := func(c *http.Cookie) int {
		return b.send(t, req{method: "GET", path: "/api/tasks", cookie: c}).Code
	}
	idle, _ := b.login(t, "kim")
	b.clock.add(11 * time.Hour)
	if code := get(idle); code != 200 {
		t.Fatalf("after 11h: %d", code)
	}
	b.clock.add(12*time.Hour + time.Minute)
	if code := get(idle); code != 401 {
		t.Fatalf("after 12h idle: %d", code)
	}

	c, csrf := b.login(t, "kim")
	if rec := b.send(t, req{method: "POST", path: "/logout", cookie: c}); rec.Code != 403 || get(c) != 200 {
		t.Fatalf("logout without the CSRF token: %d, and the session must live on", rec.Code)
	}
	rec := b.send(t, req{method: "POST", path: "/logout", cookie: c, csrf: csrf})
	cleared := sessionCookie(rec)
	if rec.Code != 204 || cleared == nil || cleared.MaxAge >= 0 || cleared.Value != "" {
		t.Fatalf("logout: %d, cookie %+v", rec.Code, cleared)
	}
	if code := get(c); code != 401 {
		t.Fatalf("after logout: %d", code)
	}
	if rec := b.send(t, req{method: "POST", path: "/logout", cookie: c, csrf: csrf}); rec.Code != 204 {
		t.Fatalf("logging out twice: %d", rec.Code)
	}

	d, _ := b.login(t, "lee")
	if err := b.users.SetDisabled(context.Background(), "lee", true); err != nil {
		t.Fatal(err)
	}
	if code := get(d); code != 401 {
		t.Fatalf("a disabled user's session: %d", code)
	}
}

func TestActionsAreAudited(t *testing.T) {
	t.Parallel()
	b := authSetup(t, false)
	ctx := context.Background()
	kim, kimCSRF := b.login(t, "kim")
	lee, leeCSRF := b.login(t, "lee")
	b.send(t, req{method: "POST", path: "/login", contentType: "application/json", body: `{"name":"lee","password":"wrong-password-1"}`})
	steps := []struct {
		r          req
		wantStatus int
	}{
		{req{method: "POST", path: "/api/tasks/5/claim", cookie: kim, csrf: kimCSRF}, 200},
		{req{method: "POST", path: "/api/tasks/5/memos", cookie: kim, csrf: kimCSRF, body: `{"body":"박스 교체"}`}, 201},
		{req{method: "POST", path: "/api/tasks/5/priority", bearer: envAdminToken, body: `{"priority":"urgent"}`}, 200},
		{req{method: "POST", path: "/api/tasks/3/complete", bearer: b.kimAPI, body: `{"carrier_code":"HANJIN","tracking_no":"420000000001"}`}, 200},
		{req{method: "POST", path: "/api/orders/shop-a/R-1/reorder-of", cookie: lee, csrf: leeCSRF, body: `{"original":"O-1"}`}, 200},
		{req{method: "POST", path: "/api/tasks/5/reassign", cookie: lee, csrf: leeCSRF, body: `{"assignee":"lee"}`}, 403}, // refused: no row
		{req{method: "GET", path: "/api/tasks/5", cookie: kim}, 200},                                                      // a read: no row
		{req{method: "POST", path: "/logout", cookie: lee, csrf: leeCSRF}, 204},
	}
	for i, s := range steps {
		if rec := b.send(t, s.r); rec.Code != s.wantStatus {
			t.Fatalf("step %d %s %s: %d, want %d: %s", i, s.r.method, s.r.path, rec.Code, s.wantStatus, rec.Body)
		}
	}
	got, err := b.audit.Entries(ctx, mallsync.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := len(got) - 1; i >= 0; i-- {
		e := got[i]
		lines = append(lines, e.User+" "+string(e.Role)+" "+e.Action+" "+e.Target+" auth="+toString(e.Detail["auth"]))
	}
	want := []string{
		"kim logistics login kim auth=password",
		"lee agent login lee auth=password",
		"lee  login.refused  auth=password",
		"kim logistics task.claim task/5 auth=session",
		"kim logistics task.memo task/5 auth=session",
		"env admin task.priority task/5 auth=token",
		"kim logistics task.complete task/3 auth=token",
		"lee agent reorder.mark order/shop-a/R-1 auth=session",
		"lee agent logout lee auth=session",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit log:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range got {
		raw, _ := json.Marshal(e)
		for _, s := range b.secrets {
			if strings.Contains(string(raw), s) {
				t.Fatalf("an audit row shows a secret: %s", raw)
			}
		}
		if e.Action == "task.complete" && (e.Detail["via"] != "store" || e.Detail["kind"] != "reshipment") {
			t.Fatalf("completion row %+v", e)
		}
		if e.Action == "task.priority" && e.Detail["priority"] != "urgent" {
			t.Fatalf("priority row %+v", e)
		}
	}
	b.noSecretsLogged(t)
}

func toString(v any) string { s, _ := v.(string); return s }

// Failed logins of a name are limited: after five, even the right password waits (429 with
// Retry-After), while another user from the same address still logs in.
func TestFailedLoginsAreLimited(t *testing.T) {
	t.Parallel()
	b := authSetup(t, false)
	wrong := `{"name":"kim","password":"not-kims-password"}`
	for i := range 5 {
		if rec := b.send(t, req{method: "POST", path: "/login", contentType: "application/json", body: wrong}); rec.Code != 401 {
			t.Fatalf("failure %d: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	rec := b.send(t, req{method: "POST", path: "/login", contentType: "application/json", body: `{"name":"KIM","password":"kim-password-123"}`})
	if rec.Code != 429 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), `"code":"rate_limited"`) || sessionCookie(rec) != nil {
		t.Fatalf("sixth login: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	rec = b.send(t, req{method: "POST", path: "/login", contentType: "application/x-www-form-urlencoded", body: "name=kim&password=kim-password-123"})
	if rec.Code != 303 || !strings.HasPrefix(rec.Header().Get("Location"), "/login?limited=") {
		t.Fatalf("a limited form login: %d %v", rec.Code, rec.Header())
	}
	if c, _ := b.login(t, "lee"); c == nil {
		t.Fatal("lee could not log in")
	}
	entries, err := b.audit.Entries(context.Background(), mallsync.AuditFilter{Action: "login.limited"})
	if err != nil || len(entries) != 2 {
		t.Fatalf("login.limited audit rows = %d (%v)", len(entries), err)
	}
}
