package cafe24

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mallsync/mallsync"
)

type fakeMalls []mallsync.Mall

func (f fakeMalls) Malls(context.Context) ([]mallsync.Mall, error) { return f, nil }

// fakeSignaler records the signals; err is what it answers.
type fakeSignaler struct {
	mu    sync.Mutex
	calls []string
	err   error
}

func (f *fakeSignaler) SyncNow(_ context.Context, mall mallsync.MallKey, eventID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, string(mall)+" "+eventID)
	return f.err
}

func TestWebhookHandler(t *testing.T) {
	t.Parallel()
	malls := fakeMalls{
		{Key: "shop-a", Platform: mallsync.PlatformCafe24, Account: mallsync.Account{MallID: "mall1"}, CredentialsRef: "ref-a"},
		{Key: "shop-b", Platform: mallsync.PlatformCafe24, Account: mallsync.Account{MallID: "mall2"}, CredentialsRef: "ref-b"},
		{Key: "shop-c", Platform: mallsync.PlatformCafe24, Account: mallsync.Account{MallID: "mall3"}, CredentialsRef: "ref-none"},
	}
	creds := newMemStore(mallsync.Credential{Ref: "ref-a", Client: mallsync.AppClient{WebhookKey: "key-a"}})
	_ = creds.PutCredential(context.Background(), mallsync.Credential{Ref: "ref-b"}) // no webhook key: refuse all
	const hook = `{"event_no":90023,"resource":{"mall_id":"mall1","event_shop_no":"1","order_id":"20260701-0000013,20260701-0000014"}}`
	tests := []struct {
		name, method, body, key string
		status                  int
		signals                 int
		logNot                  string
	}{
		{"good", http.MethodPost, hook, "key-a", 200, 1, ""},
		{"wrong key", http.MethodPost, hook, "key-b", 403, 0, "key-b"},
		{"no key", http.MethodPost, hook, "", 403, 0, ""},
		{"mall without a webhook key", http.MethodPost, strings.Replace(hook, "mall1", "mall2", 1), "", 403, 0, ""},
		{"unknown mall", http.MethodPost, strings.Replace(hook, "mall1", "nomall", 1), "key-a", 403, 0, ""},
		{"mall without a credential", http.MethodPost, strings.Replace(hook, "mall1", "mall3", 1), "key-a", 403, 0, ""},
		{"not json", http.MethodPost, `event_no=90023`, "key-a", 400, 0, ""},
		{"no mall_id", http.MethodPost, `{"event_no":90023,"resource":{}}`, "key-a", 400, 0, ""},
		{"too large", http.MethodPost, `{"event_no":90023,"resource":{"mall_id":"mall1","order_id":"` + strings.Repeat("1", 70000) + `"}}`, "key-a", 400, 0, ""},
		{"get", http.MethodGet, "", "key-a", 405, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			sig := &fakeSignaler{}
			h := &WebhookHandler{Malls: malls, Credentials: creds, Signal: sig, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			r := httptest.NewRequest(tt.method, "/webhooks/cafe24", strings.NewReader(tt.body))
			if tt.key != "" {
				r.Header.Set("X-API-Key", tt.key)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status || len(sig.calls) != tt.signals {
				t.Fatalf("%d with %d signals, want %d with %d: %s", w.Code, len(sig.calls), tt.status, tt.signals, w.Body.String())
			}
			if tt.status != 200 && !strings.Contains(w.Body.String(), `"error"`) {
				t.Fatalf("error answer without the envelope: %s", w.Body.String())
			}
			if strings.Contains(logs.String(), "key-a") || strings.Contains(w.Body.String(), "key-a") {
				t.Fatal("the webhook key appears in the logs or the answer")
			}
		})
	}
	// A signal that fails (the sync is stopped) still answers 200: the webhook is only a hint.
	sig := &fakeSignaler{err: mallsync.Errorf(mallsync.ENOTFOUND, "no running sync")}
	h := &WebhookHandler{Malls: malls, Credentials: creds, Signal: sig, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := httptest.NewRequest(http.MethodPost, "/webhooks/cafe24", strings.NewReader(hook))
	r.Header.Set("X-API-Key", "key-a")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || len(sig.calls) != 1 || !strings.HasPrefix(sig.calls[0], "shop-a cafe24-webhook:") {
		t.Fatalf("stopped sync: %d %v", w.Code, sig.calls)
	}
	// The same body twice carries the same event id (the workflow drops the repeat).
	r2 := httptest.NewRequest(http.MethodPost, "/webhooks/cafe24", strings.NewReader(hook))
	r2.Header.Set("X-API-Key", "key-a")
	h.ServeHTTP(httptest.NewRecorder(), r2)
	if sig.calls[len(sig.calls)-1] != sig.calls[0] {
		t.Fatalf("a resent webhook got another event id: %v", sig.calls)
	}
}

func TestWebhookOrderIDs(t *testing.T) {
	t.Parallel()
	var w Webhook
	w.Resource.OrderID = "20260701-0000013, 20260701-0000014,,"
	if ids := w.OrderIDs(); len(ids) != 2 || ids[1] != "20260701-0000014" {
		t.Fatalf("OrderIDs = %q", ids)
	}
}
