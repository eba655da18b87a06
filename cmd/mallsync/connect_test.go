package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/postgres/pgtest"
	"github.com/mallsync/mallsync/secret"
)

// Onboarding end to end: mall apply, mall connect prints the authorize URL, the operator
// approves (the simulator redirects with a code), the callback served by `serve`'s mux
// stores the sealed tokens, and the mall can be read. The callback refuses a state it did
// not issue and a state used once already.
func TestMallConnectThroughTheCallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 3, Orders: 40, Start: end.AddDate(0, 0, -5), End: end, NoLimits: true})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(simSrv.Close)

	db, dbURL := pgtest.DBWithURL(t)
	k, _ := secret.NewKey()
	id, sec := sim.Client()
	e := envOf(map[string]string{"DATABASE_URL": dbURL, "MALLSYNC_SECRET_KEY": k,
		"CAFE24_CLIENT_ID": id, "CAFE24_CLIENT_SECRET": sec, "CAFE24_WEBHOOK_KEY": "hook-key"})
	run := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := Run(ctx, args, e, &out, &errb)
		return out.String() + errb.String(), err
	}

	demo, err := os.ReadFile("../../mappings/malls/demo-cafe24.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "demo-cafe24.yaml")
	body := strings.Replace(strings.Replace(string(demo), "mall_id: demomall", "mall_id: "+sim.MallID(), 1),
		`api_base: ""`, `api_base: "`+simSrv.URL+`"`, 1)
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := run("mall", "apply", file); err != nil {
		t.Fatalf("mall apply: %v\n%s", err, out)
	}

	// The callback, as `mallsync serve` answers it.
	box, _, err := secretBox(e, "")
	if err != nil {
		t.Fatal(err)
	}
	s := newStores(db, box)
	app := httptest.NewServer(newServeMux(s, &recordingSignaler{}, nil))
	t.Cleanup(app.Close)
	redirect := app.URL + callbackPath

	if _, err := run("mall", "connect", "no-such-mall", "--redirect", redirect); err == nil {
		t.Fatal("connecting an unknown mall succeeded")
	}
	out, err := run("mall", "connect", "--redirect", redirect, "demo-cafe24")
	if err != nil {
		t.Fatalf("mall connect: %v\n%s", err, out)
	}
	authorize := regexp.MustCompile(`https?://\S+/api/v2/oauth/authorize\?\S+`).FindString(out)
	if authorize == "" || strings.Contains(out, sec) {
		t.Fatalf("mall connect printed no authorize URL, or the secret:\n%s", out)
	}

	// The operator approves: Cafe24 redirects the browser to the callback with code and state.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authorize)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(back.String(), redirect) {
		t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	forged := *back
	q := forged.Query()
	q.Set("state", "made-up")
	forged.RawQuery = q.Encode()
	if code, page := get(forged.String()); code != http.StatusBadRequest || !strings.Contains(page, "unknown or already used") {
		t.Fatalf("a forged state got %d: %s", code, page)
	}
	if code, page := get(back.String()); code != http.StatusOK || !strings.Contains(page, "demo-cafe24 is connected") {
		t.Fatalf("the callback got %d: %s", code, page)
	}
	if code, _ := get(back.String()); code != http.StatusBadRequest {
		t.Fatalf("the same state twice got %d, want 400", code)
	}
	if code, page := get(app.URL + callbackPath + "?error=access_denied&error_description=denied"); code != http.StatusBadRequest || !strings.Contains(page, "access_denied") {
		t.Fatalf("a refusal got %d: %s", code, page)
	}

	c, err := s.creds.Credential(ctx, "demo-cafe24")
	if err != nil {
		t.Fatal(err)
	}
	if c.Token.AccessToken == "" || c.Token.RefreshToken == "" || c.Client.ClientSecret != sec || c.Client.WebhookKey != "hook-key" {
		t.Fatalf("stored credential: token set %v, client %q, webhook key set %v", c.Token.AccessToken != "", c.Client.ClientID, c.Client.WebhookKey != "")
	}
	// The tokens work: the mall's orders can be counted with them.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, simSrv.URL+"/api/v2/admin/orders/count?start_date=2026-10-20&end_date=2026-11-01", nil)
	req.Header.Set("Authorization", "Bearer "+c.Token.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the stored access token got %d", resp.StatusCode)
	}
}
