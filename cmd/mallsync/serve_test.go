package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/mappings"
)

// recordingSignaler remembers the malls it was asked to sync.
type recordingSignaler struct{ malls []mallsync.MallKey }

func (r *recordingSignaler) SyncNow(_ context.Context, mall mallsync.MallKey, _ string) error {
	r.malls = append(r.malls, mall)
	return nil
}

func TestServeMuxRoutes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testStores(t)
	demo, err := mappings.DemoMalls(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mall := demo[0]
	if err := s.malls.PutMall(ctx, mall); err != nil {
		t.Fatal(err)
	}
	if err := s.creds.PutCredential(ctx, mallsync.Credential{Ref: mall.CredentialsRef,
		Client: mallsync.AppClient{ClientID: "c", ClientSecret: "s", WebhookKey: "the-key"}}); err != nil {
		t.Fatal(err)
	}
	sig := &recordingSignaler{}
	srv := httptest.NewServer(newServeMux(s, sig, nil))
	t.Cleanup(srv.Close)

	hook := `{"event_no":90025,"resource":{"mall_id":"` + mall.Account.MallID + `","event_shop_no":"1","order_id":"20261101-0000001"}}`
	tests := []struct {
		name, method, path, key, body string
		want                          int
		signalled                     int
	}{
		{"health", http.MethodGet, "/healthz", "", "", http.StatusOK, 0},
		{"webhook without key", http.MethodPost, "/webhooks/cafe24", "", hook, http.StatusForbidden, 0},
		{"webhook with a wrong key", http.MethodPost, "/webhooks/cafe24", "the-kez", hook, http.StatusForbidden, 0},
		{"webhook not an envelope", http.MethodPost, "/webhooks/cafe24", "the-key", `{"hello":1}`, http.StatusBadRequest, 0},
		{"webhook by GET", http.MethodGet, "/webhooks/cafe24", "the-key", "", http.StatusMethodNotAllowed, 0},
		{"webhook", http.MethodPost, "/webhooks/cafe24", "the-key", hook, http.StatusOK, 1},
		{"unknown path", http.MethodGet, "/nothing", "", "", http.StatusNotFound, 1},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(ctx, tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		if tt.key != "" {
			req.Header.Set("X-API-Key", tt.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want || len(sig.malls) != tt.signalled {
			t.Errorf("%s: status %d, %d signals; want %d, %d", tt.name, resp.StatusCode, len(sig.malls), tt.want, tt.signalled)
		}
	}
	if len(sig.malls) == 1 && sig.malls[0] != mall.Key {
		t.Errorf("signalled %v, want %s", sig.malls, mall.Key)
	}
}

// The API that serve mounts: every route needs a known token, roles decide, and the reorder
// action answers with the mall's policy.
func TestServeMountsTheAPIs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testStores(t)
	demo, err := mappings.DemoMalls(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.malls.PutMall(ctx, demo[0]); err != nil {
		t.Fatal(err)
	}
	auth, err := console.ParseTokens("kim:logistics:logistics-token-0001 lee:agent:agent-token-000001")
	if err != nil {
		t.Fatal(err)
	}
	mux := newServeMux(s, &recordingSignaler{}, nil)
	mountConsole(mux, s, consoleParts{static: auth, reg: newRegistry(s, nil, 0, nil)})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tests := []struct {
		name, method, path, token, body string
		want                            int
		contains                        string
	}{
		{"tasks without a token", http.MethodGet, "/api/tasks", "", "", http.StatusUnauthorized, `"unauthorized"`},
		{"tasks with a wrong token", http.MethodGet, "/api/tasks", "logistics-token-0002", "", http.StatusUnauthorized, `"unauthorized"`},
		{"tasks as logistics", http.MethodGet, "/api/tasks?kind=inspection", "logistics-token-0001", "", http.StatusOK, ""},
		{"a reorder as logistics", http.MethodPost, "/api/orders/demo-cafe24/20261101-0000001/reorder-of", "logistics-token-0001",
			`{"original":"20261001-0000001"}`, http.StatusForbidden, ""},
		{"a reorder the policy forbids", http.MethodPost, "/api/orders/demo-cafe24/20261101-0000001/reorder-of", "agent-token-000001",
			`{"original":"20261001-0000001"}`, http.StatusUnprocessableEntity, "preshipped_reorder: false"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(ctx, tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want || !strings.Contains(string(b), tt.contains) || strings.Contains(string(b), "token-00") {
			t.Errorf("%s: %d %s, want %d containing %q", tt.name, resp.StatusCode, b, tt.want, tt.contains)
		}
	}
}
