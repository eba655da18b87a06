package cafe24

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/mappings"
)

// cafe24Statuses is the status map the preview command uses: mappings/platforms/cafe24.yaml.
func cafe24Statuses(t *testing.T) mallsync.StatusMap {
	t.Helper()
	m, err := mappings.StatusMap(mallsync.PlatformCafe24)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The response samples of the public Cafe24 reference, previewed: what maps, and a clear
// reason for each record that does not. The golden files hold the whole output; the table
// holds what must not change even when a golden file is rewritten.
func TestPreviewReferenceExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, resource string
		wantRecords    int
		wantErrors     []string // substrings, one per error, in order
		check          func(t *testing.T, p Preview)
	}{
		{file: "reference/orders.json", resource: "orders", wantRecords: 1,
			wantErrors: []string{"order 20170710-0000013: order has no items (the API gives them with embed=items)"}},
		{file: "orders_claims.json", resource: "orders", wantRecords: 20,
			wantErrors: []string{`claim R20250704-0000005: return claim R20250704-0000005 names item "20250701-0000106-09", which the order does not have`},
			check: func(t *testing.T, p Preview) {
				if len(p.Orders) == 0 || len(p.Claims) == 0 || len(p.Shipments) == 0 || p.Orders[0].Raw != nil {
					t.Errorf("orders %d, claims %d, shipments %d (raw left out: %v)", len(p.Orders), len(p.Claims), len(p.Shipments), p.Orders[0].Raw == nil)
				}
			}},
		{file: "reference/cancellation.json", resource: "cancellation", wantRecords: 1,
			wantErrors: []string{`cancellation C20190610-0000001: cancel claim C20190610-0000001 has no status: no status field, not withdrawn, and none of its items is in a C… status of this claim (item 20190607-0000018-01 is N40 under claim "C20190107-0000001")`}},
		{file: "reference/return.json", resource: "return", wantRecords: 1,
			wantErrors: []string{"return C20190610-0000001: return claim C20190610-0000001 has no status"}},
		{file: "reference/return_update.json", resource: "return", wantRecords: 1, check: func(t *testing.T, p Preview) {
			c := p.Claims[0]
			if c.Status != "completed" || c.PlatformStatus != "returned" || len(c.Lines) != 2 || c.Lines[0].Quantity != 4 || c.PlatformOrderID != "20190805-0000011" {
				t.Errorf("claim = %+v", c)
			}
		}},
		{file: "reference/exchange.json", resource: "exchange", wantRecords: 1,
			wantErrors: []string{`exchange B20190610-0000001: exchange claim B20190610-0000001 has no status: no status field, not withdrawn, and none of its items is in a E… status of this claim (item 20190607-0000018-01 is N40 under claim "B20190610-0000001")`}},
		{file: "reference/exchange_create.json", resource: "exchange", wantRecords: 2, check: func(t *testing.T, p Preview) {
			for _, c := range p.Claims {
				if c.Status != "accepted" || c.Kind != "exchange" || len(c.Lines) != 2 {
					t.Errorf("claim = %+v", c)
				}
			}
		}},
		{file: "reference/shipments.json", resource: "shipments", wantRecords: 2, check: func(t *testing.T, p Preview) {
			s := p.Shipments[0]
			// One item standby, one "shipping " (sic): the parcel is on its way.
			if s.PlatformStatus != "M" || s.TrackingNo != "101080903" || s.CarrierCode != "0001" || len(s.LineIDs) != 2 || s.ChangedAt.IsZero() {
				t.Errorf("shipment = %+v", s)
			}
		}},
		{file: "reference/shipments_create.json", resource: "shipments", wantRecords: 1, check: func(t *testing.T, p Preview) {
			if s := p.Shipments[0]; s.PlatformStatus != "M" || len(s.LineIDs) != 2 {
				t.Errorf("shipment = %+v", s)
			}
		}},
		{file: "reference/shipments_update.json", resource: "shipments", wantRecords: 2, wantErrors: []string{
			"shipment D-20190108-0000791-00: shipment D-20190108-0000791-00 has no tracking_no",
			"shipment D-20190108-0000801-00: shipment D-20190108-0000801-00 has no tracking_no"}},
		{file: "reference/inventory.json", resource: "inventory", wantRecords: 1, check: func(t *testing.T, p Preview) {
			if v := p.Variants[0]; v.VariantCode != "P000000R000C" || v.Quantity != 3 || v.SafetyStock != 8 || !v.UseInventory {
				t.Errorf("variant = %+v", v)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := PreviewResponse(tt.resource, body, cafe24Statuses(t))
			if err != nil {
				t.Fatal(err)
			}
			if p.Records() != tt.wantRecords || len(p.Errors) != len(tt.wantErrors) {
				t.Fatalf("%d records with %d errors, want %d with %d: %+v", p.Records(), len(p.Errors), tt.wantRecords, len(tt.wantErrors), p.Errors)
			}
			for i, want := range tt.wantErrors {
				if got := p.Errors[i].Record + ": " + p.Errors[i].Reason; !strings.HasPrefix(got, want) {
					t.Errorf("error %d = %q\nwant prefix %q", i, got, want)
				}
			}
			if tt.check != nil {
				tt.check(t, p)
			}
			got, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(tt.file, ".json")+".preview.golden")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("preview differs from %s:\n%s", golden, got)
			}
		})
	}
}

func TestPreviewRefusesWhatIsNotTheResource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		resource, body, want string
	}{
		{"orders", `not json`, "not a JSON object"},
		{"orders", `{"cancellation":{}}`, `no "orders" or "order" (its keys: cancellation)`},
		{"return", `{"error":{"code":"404","message":"No API found"}}`, "error response"},
		{"refunds", `{}`, `unknown resource "refunds"`},
		{"shipments", `{"shipments":"x"}`, "neither an object nor a list"},
	}
	for _, tt := range tests {
		_, err := PreviewResponse(tt.resource, []byte(tt.body), cafe24Statuses(t))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: err %v, want %q", tt.resource, tt.body, err, tt.want)
		}
	}
}

// A withdrawn claim maps whatever its items say; a claim's status word maps through the
// status map; an unknown word is an error.
func TestPreviewClaimStatuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		resource, claim, wantStatus, wantErr string
	}{
		{"cancellation", `{"claim_code":"C1","undone":"T","items":[{"order_item_code":"o-01","quantity":1}]}`, "withdrawn", ""},
		{"cancellation", `{"claim_code":"C1","status":"canceled","items":[{"order_item_code":"o-01","quantity":1}]}`, "completed", ""},
		{"return", `{"claim_code":"R1","status":"processing","pickup_completed":"T","items":[{"order_item_code":"o-01","quantity":1}]}`, "collected", ""},
		{"return", `{"claim_code":"R1","status":"processing","pickup_completed":"F","items":[{"order_item_code":"o-01","quantity":1}]}`, "collecting", ""},
		{"return", `{"claim_code":"R1","items":[{"order_item_code":"o-01","quantity":2,"claim_quantity":1,"order_status":"R12","claim_code":"R1"}]}`, "on_hold", ""},
		{"return", `{"claim_code":"R1","status":"lost","items":[{"order_item_code":"o-01","quantity":1}]}`, "", `status "lost" is not one of the return endpoint's`},
		{"exchange", `{"claim_code":"B1","status":"accept","items":[]}`, "", "has no items"},
		{"exchange", `{"claim_code":"B1","status":"accept","items":[{"order_item_code":"o-01","quantity":-1}]}`, "", `quantity "-1" is not a count`},
	}
	for _, tt := range tests {
		p, err := PreviewResponse(tt.resource, []byte(`{"`+tt.resource+`":`+tt.claim+`}`), cafe24Statuses(t))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case tt.wantErr != "":
			if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Reason, tt.wantErr) {
				t.Errorf("%s: errors %+v, want %q", tt.claim, p.Errors, tt.wantErr)
			}
		case len(p.Claims) != 1 || string(p.Claims[0].Status) != tt.wantStatus:
			t.Errorf("%s: claims %+v errors %+v, want status %s", tt.claim, p.Claims, p.Errors, tt.wantStatus)
		}
	}
}

// A saved response is outside input: whatever it holds, the preview answers with records,
// errors or a refusal, never a panic.
func FuzzPreview(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "reference", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, strings.TrimSuffix(strings.Split(filepath.Base(name), "_")[0], ".json"))
	}
	statuses, err := mappings.StatusMap(mallsync.PlatformCafe24)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, resource string) {
		p, err := PreviewResponse(resource, body, statuses)
		if err != nil {
			return
		}
		if p.Resource != resource {
			t.Fatalf("resource %q, asked %q", p.Resource, resource)
		}
		// What maps is whole: ids, statuses and invoices are there; what does not says why.
		for _, c := range p.Claims {
			if c.PlatformClaimID == "" || c.Status == "" || len(c.Lines) == 0 {
				t.Fatalf("claim %+v", c)
			}
		}
		for _, s := range p.Shipments {
			if s.PlatformShipmentID == "" || s.TrackingNo == "" || len(s.LineIDs) == 0 {
				t.Fatalf("shipment %+v", s)
			}
		}
		for _, v := range p.Variants {
			if v.VariantCode == "" {
				t.Fatalf("variant %+v", v)
			}
		}
		for _, e := range p.Errors {
			if e.Record == "" || e.Reason == "" {
				t.Fatalf("error %+v", e)
			}
		}
	})
}

// The simulator's claim and shipment endpoints, previewed: every claim maps to the unified
// status its truth code has in the status map, every parcel to its truth invoice.
func TestPreviewOfTheSimulatorsAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, kst)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 2, Orders: 6000, Start: start, End: start.AddDate(0, 0, 90), NoLimits: true,
		Clock: cafe24sim.NewClock(start.AddDate(0, 0, 45))})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	id, sec := sim.Client()
	tok, err := ExchangeCode(ctx, srv.Client(), srv.URL, mallsync.AppClient{ClientID: id, ClientSecret: sec}, sim.AuthorizeCode("https://x/cb", "s"), "https://x/cb")
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) []byte {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v2/admin/"+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	statuses := cafe24Statuses(t)
	tr := sim.Truth()
	resource := map[string]string{"cancel": "cancellation", "return": "return", "exchange": "exchange"}
	kinds := map[string]int{}
	for _, c := range tr.Claims {
		p, err := PreviewResponse(resource[c.Kind], get(resource[c.Kind]+"/"+c.Code), statuses)
		if err != nil || len(p.Errors) != 0 || len(p.Claims) != 1 {
			t.Fatalf("claim %s: %v %+v", c.Code, err, p.Errors)
		}
		want := mallsync.ClaimWithdrawn
		if c.Status != "undone" {
			rule, _ := statuses.Lookup(c.Status)
			want = rule.ClaimStatus
		}
		if got := p.Claims[0]; got.Status != want || got.PlatformClaimID != c.Code || string(got.Kind) != c.Kind {
			t.Fatalf("claim %s (%s): previewed %s %s, want %s", c.Code, c.Status, got.Kind, got.Status, want)
		}
		kinds[c.Kind]++
	}
	if len(kinds) != 3 {
		t.Fatalf("claims previewed by kind: %v", kinds)
	}
	n := 0
	for _, s := range tr.Shipments {
		if s.Kind != "forward" || n == 200 {
			continue
		}
		n++
		p, err := PreviewResponse("shipments", get("orders/"+s.OrderID+"/shipments"), statuses)
		if err != nil || len(p.Errors) != 0 {
			t.Fatalf("shipments of %s: %v %+v", s.OrderID, err, p.Errors)
		}
		found := false
		for _, g := range p.Shipments {
			found = found || (g.PlatformShipmentID == s.ID && g.TrackingNo == s.TrackingNo && g.CarrierCode == s.CarrierCode && len(g.LineIDs) == len(s.ItemCodes))
		}
		if !found {
			t.Fatalf("parcel %s not previewed from its order's shipments", s.ID)
		}
	}
}
