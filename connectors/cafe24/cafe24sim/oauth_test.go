package cafe24sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAuthorizeRedirects(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	cases := []struct {
		name   string
		query  string
		status int
		errStr string
	}{
		{"ok", "response_type=code&client_id=sim-client-id&state=xyz&redirect_uri=" + url.QueryEscape(testRedirect) + "&scope=mall.read_order,mall.write_order", http.StatusFound, ""},
		{"space scopes", "response_type=code&client_id=sim-client-id&state=xyz&redirect_uri=" + url.QueryEscape(testRedirect) + "&scope=mall.read_order+mall.read_product", http.StatusFound, ""},
		{"unknown client", "response_type=code&client_id=nope&state=xyz&redirect_uri=" + url.QueryEscape(testRedirect), http.StatusBadRequest, "invalid_client"},
		{"no state", "response_type=code&client_id=sim-client-id&redirect_uri=" + url.QueryEscape(testRedirect), http.StatusBadRequest, "invalid_request"},
		{"bad scope", "response_type=code&client_id=sim-client-id&state=x&redirect_uri=" + url.QueryEscape(testRedirect) + "&scope=all", http.StatusBadRequest, "invalid_scope"},
		{"token type", "response_type=token&client_id=sim-client-id&state=x&redirect_uri=" + url.QueryEscape(testRedirect), http.StatusBadRequest, "unsupported_response_type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			b.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v2/oauth/authorize?"+c.query, nil))
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body.String())
			}
			if c.status != http.StatusFound {
				var e struct{ Error, ErrorDescription string }
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error != c.errStr {
					t.Fatalf("flat error %q: %v", w.Body.String(), err)
				}
				return
			}
			loc, err := url.Parse(w.Header().Get("Location"))
			if err != nil || !strings.HasPrefix(loc.String(), testRedirect+"?") || loc.Query().Get("state") != "xyz" {
				t.Fatalf("location %q", w.Header().Get("Location"))
			}
			tr := b.exchange(t, loc.Query().Get("code"), true)
			if tr.AccessToken == "" {
				t.Fatal("no token")
			}
		})
	}
}

func TestTokenExchange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		basic   bool
		mutate  func(b *bundle, form url.Values)
		status  int
		errCode string
	}{
		{"basic auth", true, nil, 200, ""},
		{"body auth", false, nil, 200, ""},
		{"wrong redirect", true, func(b *bundle, f url.Values) { f.Set("redirect_uri", "https://evil.example.com/") }, 400, "invalid_grant"},
		{"unknown code", true, func(b *bundle, f url.Values) { f.Set("code", "nope") }, 400, "invalid_grant"},
		{"expired code", true, func(b *bundle, f url.Values) { b.srv.Clock().Advance(61 * time.Second) }, 400, "invalid_grant"},
		{"reused code", true, func(b *bundle, f url.Values) { b.exchange(t, f.Get("code"), true) }, 400, "invalid_grant"},
		{"bad grant", true, func(b *bundle, f url.Values) { f.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
		{"wrong secret", false, func(b *bundle, f url.Values) { b.srv.opts.ClientSecret = "other" }, 401, "invalid_client"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			o := testOptions()
			o.Orders = 10
			b := &bundle{srv: New(o)}
			b.h = b.srv.Handler()
			form := url.Values{"grant_type": {"authorization_code"}, "code": {b.srv.AuthorizeCode(testRedirect, "s")}, "redirect_uri": {testRedirect}}
			if c.mutate != nil {
				c.mutate(b, form)
			}
			if c.name == "wrong secret" { // the client sends the real secret; the server expects another
				form.Set("client_id", "sim-client-id")
				form.Set("client_secret", "sim-client-secret")
				c.basic = true
			}
			st, tr := b.tokenCall(t, form, c.basic)
			if st != c.status || tr.Error != c.errCode {
				t.Fatalf("got %d %+v, want %d %s", st, tr, c.status, c.errCode)
			}
			if st != 200 {
				return
			}
			now := b.srv.Clock().Now().In(kst)
			if tr.ExpiresAt != now.Add(2*time.Hour).Format("2006-01-02T15:04:05.000") ||
				tr.RefreshTokenExpiresAt != now.AddDate(0, 0, 14).Format("2006-01-02T15:04:05.000") ||
				tr.IssuedAt != now.Format("2006-01-02T15:04:05.000") ||
				tr.MallID != "demomall" || tr.ClientID != "sim-client-id" || tr.ShopNo != "1" || tr.UserID == "" || len(tr.Scopes) == 0 || tr.RefreshToken == "" {
				t.Fatalf("token fields %+v", tr)
			}
		})
	}
}

func TestAccessTokenExpiresAndRefreshIsSingleUse(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Orders = 50
	b := &bundle{srv: New(o)}
	b.h = b.srv.Handler()
	tr := b.exchange(t, b.srv.AuthorizeCode(testRedirect, "s"), true)
	const path = "/api/v2/admin/orders/count?start_date=2024-04-01&end_date=2024-04-29"
	if w := b.get(t, path, tr.AccessToken); w.Code != 200 {
		t.Fatalf("fresh token: %d %s", w.Code, w.Body.String())
	}
	b.srv.Clock().Advance(2*time.Hour - time.Second)
	if w := b.get(t, path, tr.AccessToken); w.Code != 200 {
		t.Fatalf("token before 2h: %d", w.Code)
	}
	b.srv.Clock().Advance(time.Second)
	w := b.get(t, path, tr.AccessToken)
	var env struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if w.Code != 401 || json.Unmarshal(w.Body.Bytes(), &env) != nil || env.Error.Code != 401 || !strings.Contains(env.Error.Message, "expired") {
		t.Fatalf("expired token: %d %s", w.Code, w.Body.String())
	}

	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}}
	st, tr2 := b.tokenCall(t, refresh, true)
	if st != 200 || tr2.RefreshToken == tr.RefreshToken || tr2.AccessToken == tr.AccessToken {
		t.Fatalf("refresh: %d %+v", st, tr2)
	}
	if w := b.get(t, path, tr2.AccessToken); w.Code != 200 {
		t.Fatalf("refreshed token: %d", w.Code)
	}
	if b.srv.RefreshReuses() != 0 {
		t.Fatal("reuse counted for a good refresh")
	}
	st, tr3 := b.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}}, false)
	if st != 400 || tr3.Error != "invalid_grant" || b.srv.RefreshReuses() != 1 {
		t.Fatalf("reused refresh token: %d %+v, reuses %d", st, tr3, b.srv.RefreshReuses())
	}
	st, _ = b.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"unknown"}}, true)
	if st != 400 || b.srv.RefreshReuses() != 2 {
		t.Fatalf("unknown refresh token: %d, reuses %d", st, b.srv.RefreshReuses())
	}
	// Refreshing again from the new pair revokes its access token at once.
	st, tr4 := b.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr2.RefreshToken}}, true)
	if st != 200 {
		t.Fatalf("second refresh: %d", st)
	}
	if w := b.get(t, path, tr2.AccessToken); w.Code != 401 {
		t.Fatalf("replaced access token still works: %d", w.Code)
	}
	// Refresh tokens expire after 14 days.
	b.srv.Clock().Advance(14 * 24 * time.Hour)
	st, tr5 := b.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr4.RefreshToken}}, true)
	if st != 400 || tr5.Error != "invalid_grant" || b.srv.RefreshReuses() != 2 {
		t.Fatalf("expired refresh token: %d %+v reuses %d", st, tr5, b.srv.RefreshReuses())
	}
}

func TestAdminNeedsToken(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	for _, tok := range []string{"", "not-a-token"} {
		w := b.get(t, "/api/v2/admin/orders?start_date=2024-04-01&end_date=2024-04-02", tok)
		var env struct {
			Error struct {
				Code     int            `json:"code"`
				Message  string         `json:"message"`
				MoreInfo map[string]any `json:"more_info"`
			} `json:"error"`
		}
		if w.Code != 401 || json.Unmarshal(w.Body.Bytes(), &env) != nil || env.Error.Code != 401 || env.Error.Message == "" || env.Error.MoreInfo == nil {
			t.Errorf("token %q: %d %s", tok, w.Code, w.Body.String())
		}
	}
	if got := b.srv.Calls(); got != 3 { // the token exchange and two admin calls
		t.Errorf("Calls() = %d, want 3", got)
	}
}

// Revoke shares the token endpoint's checks (POST, form body, client auth) and kills the token.
func TestRevoke(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	const path = "/api/v2/admin/orders?start_date=2024-04-01&end_date=2024-04-02"
	revoke := func(method, contentType string, basic bool) int {
		r := httptest.NewRequest(method, "/api/v2/oauth/revoke", strings.NewReader(url.Values{"token": {b.token}}.Encode()))
		r.Header.Set("Content-Type", contentType)
		if basic {
			r.SetBasicAuth(b.srv.opts.ClientID, b.srv.opts.ClientSecret)
		}
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		return w.Code
	}
	const form = "application/x-www-form-urlencoded"
	for _, c := range []struct {
		name       string
		method, ct string
		basic      bool
		status     int
	}{
		{"GET", http.MethodGet, form, true, http.StatusMethodNotAllowed},
		{"JSON body", http.MethodPost, "application/json", true, http.StatusBadRequest},
		{"no client auth", http.MethodPost, form, false, http.StatusUnauthorized},
	} {
		if got := revoke(c.method, c.ct, c.basic); got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
		}
	}
	if w := b.get(t, path, b.token); w.Code != http.StatusOK {
		t.Fatalf("refused revokes must leave the token working: %d", w.Code)
	}
	if got := revoke(http.MethodPost, form, true); got != http.StatusOK {
		t.Fatalf("revoke: %d", got)
	}
	if w := b.get(t, path, b.token); w.Code != http.StatusUnauthorized {
		t.Fatalf("revoked token still works: %d", w.Code)
	}
}
