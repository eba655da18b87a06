package console_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
)

// fakeReorders is an in-memory mallsync.ReorderActions: shop-a allows reorders of its
// delivered order O-1, shop-b forbids them.
type fakeReorders struct {
	mu     sync.Mutex
	marked map[string]mallsync.Reorder
	calls  []string
}

func (f *fakeReorders) Mark(_ context.Context, mall mallsync.MallKey, order, original, by string) (mallsync.Reorder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "mark "+string(mall)+" "+order+" "+original+" "+by)
	switch {
	case mall == "shop-b":
		return mallsync.Reorder{}, mallsync.Errorf(mallsync.EINVALID, "mall shop-b's policy does not allow pre-shipped reorders (preshipped_reorder: false)")
	case mall != "shop-a" || !strings.HasPrefix(order, "R-"):
		return mallsync.Reorder{}, mallsync.Errorf(mallsync.ENOTFOUND, "no order %s in mall %s", order, mall)
	case original != "O-1":
		return mallsync.Reorder{}, mallsync.Errorf(mallsync.EINVALID, "original order %s not found in mall %s", original, mall)
	}
	r := mallsync.Reorder{Mall: mall, OrderID: order, OriginalOrderID: original, Source: mallsync.ReorderByAgent, MarkedBy: by,
		MarkedAt: now, CarrierCode: "0006", TrackingNo: "111", ShipmentID: "preshipped/" + order, LineIDs: []string{order + "-01"},
		WriteBack: &mallsync.WriteResult{Done: true}, WrittenAt: &now}
	f.marked[order] = r
	return r, nil
}

func (f *fakeReorders) Reorder(_ context.Context, mall mallsync.MallKey, order string) (mallsync.Reorder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.marked[order]
	if !ok || mall != "shop-a" {
		return r, mallsync.Errorf(mallsync.ENOTFOUND, "order %s of %s is not marked as a pre-shipped reorder", order, mall)
	}
	return r, nil
}

func reorderSetup(t *testing.T) (apiBundle, *fakeReorders) {
	t.Helper()
	b := setup(t)
	auth, err := console.ParseTokens("lee:agent:" + agentToken + ",kim:logistics:" + logisticsToken +
		" park:sales:" + salesToken + "\nboss:admin:" + adminToken)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeReorders{marked: map[string]mallsync.Reorder{}}
	var logs bytes.Buffer
	b.h = console.NewReorderAPI(console.ReorderDeps{Reorders: f, Auth: auth, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	b.logs = &logs
	return b, f
}

func TestReorderAPI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, path, token, body string
		status                          int
		code                            string // the error code, or "" for a reorder
		message                         string
	}{
		{"agent marks", "POST", "/api/orders/shop-a/R-1/reorder-of", agentToken, `{"original":"O-1"}`, http.StatusOK, "", ""},
		{"admin marks", "POST", "/api/orders/shop-a/R-2/reorder-of", adminToken, `{"original":"O-1"}`, http.StatusOK, "", ""},
		{"logistics may not mark", "POST", "/api/orders/shop-a/R-1/reorder-of", logisticsToken, `{"original":"O-1"}`,
			http.StatusForbidden, "forbidden", "role logistics may not mark pre-shipped reorders"},
		{"sales may not mark", "POST", "/api/orders/shop-a/R-1/reorder-of", salesToken, `{"original":"O-1"}`, http.StatusForbidden, "forbidden", ""},
		{"no token", "POST", "/api/orders/shop-a/R-1/reorder-of", "", `{"original":"O-1"}`, http.StatusUnauthorized, "unauthorized", ""},
		{"policy forbids", "POST", "/api/orders/shop-b/R-1/reorder-of", agentToken, `{"original":"O-1"}`, http.StatusUnprocessableEntity, "refused",
			"mall shop-b's policy does not allow pre-shipped reorders (preshipped_reorder: false)"},
		{"original unknown", "POST", "/api/orders/shop-a/R-1/reorder-of", agentToken, `{"original":"O-9"}`, http.StatusUnprocessableEntity, "refused",
			"original order O-9 not found in mall shop-a"},
		{"unknown order", "POST", "/api/orders/shop-a/X-1/reorder-of", agentToken, `{"original":"O-1"}`, http.StatusNotFound, "not_found",
			"no order X-1 in mall shop-a"},
		{"no original", "POST", "/api/orders/shop-a/R-1/reorder-of", agentToken, `{}`, http.StatusBadRequest, "invalid", `"original" is required`},
		{"unknown field", "POST", "/api/orders/shop-a/R-1/reorder-of", agentToken, `{"orig":"O-1"}`, http.StatusBadRequest, "invalid", ""},
		{"read unmarked", "GET", "/api/orders/shop-a/R-9/reorder", logisticsToken, "", http.StatusNotFound, "not_found", "not marked"},
		{"sales may not read", "GET", "/api/orders/shop-a/R-9/reorder", salesToken, "", http.StatusForbidden, "forbidden", ""},
		{"GET on the mark route", "GET", "/api/orders/shop-a/R-1/reorder-of", agentToken, "", http.StatusMethodNotAllowed, "method_not_allowed", "use POST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, f := reorderSetup(t)
			res := b.do(t, tc.method, tc.path, tc.token, tc.body)
			if res.status != tc.status {
				t.Fatalf("status = %d, want %d: %s", res.status, tc.status, res.raw)
			}
			if tc.code == "" {
				ro, _ := res.body["reorder"].(map[string]any)
				if ro["original"] != "O-1" || ro["tracking_no"] != "111" || ro["write_back"].(map[string]any)["done"] != true {
					t.Fatalf("reorder = %s", res.raw)
				}
				return
			}
			e, _ := res.body["error"].(map[string]any)
			if e["code"] != tc.code || !strings.Contains(e["message"].(string), tc.message) {
				t.Fatalf("error = %s, want %s %q", res.raw, tc.code, tc.message)
			}
			if tc.status == http.StatusForbidden || tc.status == http.StatusUnauthorized || tc.status == http.StatusBadRequest {
				if len(f.calls) != 0 {
					t.Fatalf("a refused request reached the service: %v", f.calls)
				}
			}
		})
	}
}

func TestReorderAPIReadsWhatWasMarked(t *testing.T) {
	t.Parallel()
	b, f := reorderSetup(t)
	if res := b.do(t, "POST", "/api/orders/shop-a/R-1/reorder-of", agentToken, `{"original":"O-1"}`); res.status != http.StatusOK {
		t.Fatalf("mark: %d %s", res.status, res.raw)
	}
	if f.calls[0] != "mark shop-a R-1 O-1 lee" {
		t.Fatalf("service asked %q, want the agent's name as marker", f.calls[0])
	}
	res := b.do(t, "GET", "/api/orders/shop-a/R-1/reorder", logisticsToken, "")
	ro, _ := res.body["reorder"].(map[string]any)
	if res.status != http.StatusOK || ro["order"] != "R-1" || ro["marked_by"] != "lee" || ro["shipment_id"] != "preshipped/R-1" {
		t.Fatalf("read: %d %s", res.status, res.raw)
	}
	if !strings.Contains(b.logs.String(), "reorder marked") {
		t.Fatalf("the mark was not logged: %s", b.logs.String())
	}
}
