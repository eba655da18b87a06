package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
)

// serve's mux with the login routes: a user logs in, reads with the cookie, is refused a
// change without the CSRF token and allowed one with it; the environment's tokens still work.
func TestServeMuxLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testStores(t)
	if _, err := s.users.CreateUser(ctx, "kim", mallsync.RoleLogistics, "kim-password-123"); err != nil {
		t.Fatal(err)
	}
	static, err := console.ParseTokens("env:admin:env-admin-token-0001")
	if err != nil {
		t.Fatal(err)
	}
	mux := newServeMux(s, &recordingSignaler{}, nil)
	mountConsole(mux, s, consoleParts{static: static, reg: newRegistry(s, nil, 0, nil)})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	do := func(method, path, body string, header map[string]string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, srv.URL+path, strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	resp, body := do("POST", "/login", `{"name":"kim","password":"kim-password-123"}`, map[string]string{"Content-Type": "application/json"})
	var in struct{ User, Role, CSRF string }
	if err := json.Unmarshal([]byte(body), &in); err != nil || resp.StatusCode != 200 || in.User != "kim" || in.CSRF == "" {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == console.SessionCookie && c.Secure && c.HttpOnly {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		t.Fatalf("no secure session cookie: %v", resp.Header["Set-Cookie"])
	}
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
	}{
		{"the login page", "GET", "/login", "", nil, http.StatusOK},
		{"the health check beside the console", "GET", "/healthz", "", nil, http.StatusOK},
		{"an order search with the cookie (logistics may)", "GET", "/api/orders?q=5678", "", map[string]string{"Cookie": cookie}, 200},
		{"the search page without a session", "GET", "/orders?q=5678", "", nil, http.StatusOK}, // redirected to /login
		{"tasks with the cookie", "GET", "/api/tasks", "", map[string]string{"Cookie": cookie}, 200},
		{"a reorder read with the cookie", "GET", "/api/orders/demo/1/reorder", "", map[string]string{"Cookie": cookie}, 404},
		{"a change without the CSRF token", "POST", "/api/tasks/1/claim", "", map[string]string{"Cookie": cookie}, 403},
		{"a change with it (no such task)", "POST", "/api/tasks/1/claim", "", map[string]string{"Cookie": cookie, "X-CSRF-Token": in.CSRF}, 404},
		{"an environment token", "GET", "/api/tasks", "", map[string]string{"Authorization": "Bearer env-admin-token-0001"}, 200},
		{"logout", "POST", "/logout", "", map[string]string{"Cookie": cookie, "X-CSRF-Token": in.CSRF}, 204},
		{"tasks after logout", "GET", "/api/tasks", "", map[string]string{"Cookie": cookie}, 401},
	}
	for _, tt := range tests {
		if resp, body := do(tt.method, tt.path, tt.body, tt.header); resp.StatusCode != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, body, tt.want)
		}
	}
	got, err := s.audit.Entries(ctx, mallsync.AuditFilter{User: "kim"})
	if err != nil || len(got) != 2 || got[0].Action != "logout" || got[1].Action != "login" {
		t.Fatalf("audit: %+v, %v", got, err)
	}
}
