package smartstore

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/mappings"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func testMapper(t testing.TB) mapper {
	t.Helper()
	m, err := mappings.StatusMap(mallsync.PlatformSmartStore)
	if err != nil {
		t.Fatal(err)
	}
	return mapper{m}
}

// golden compares got, as indented JSON, with the file (rewritten with -update).
func golden(t *testing.T, file string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if string(want) != string(b) {
		t.Errorf("%s differs from what maps now (run with -update to accept):\n%s", file, b)
	}
}

// Every reference response previews to its golden outcome: what maps, and why the rest does not.
func TestReferencePreviews(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/reference/*.json")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		n++
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		resource, _, _ := strings.Cut(filepath.Base(f), ".")
		p, err := PreviewResponse(resource, body, testMapper(t).statuses)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(p.Errors) == 0 || len(p.Orders) == 0 {
			t.Errorf("%s: a reference should show records that map and records that do not: %+v", f, p)
		}
		golden(t, strings.TrimSuffix(f, ".json")+".golden.json", p)
	}
	if n < 2 {
		t.Fatalf("%d reference responses", n)
	}
}

// The mapping of each case of the reference details: the line's code and unified status, its
// claims and parcels.
func TestMapDetails(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/reference/product-orders.json")
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Data []detailJSON `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	row := time.Date(2023, 1, 17, 0, 0, 0, 0, time.UTC)
	listed := map[string]seen{"2022040521691951": {changed: row}, "2022040521691961": {changed: row}}
	page := testMapper(t).mapDetails(listed, []string{"2022040521691951", "2022040521691961", "2022040521699999"}, env.Data)
	lines := map[string]mallsync.OrderLine{}
	for _, o := range page.Orders {
		for _, l := range o.Lines {
			lines[l.PlatformLineID] = l
		}
	}
	claims := map[string]mallsync.Claim{}
	for _, c := range page.Claims {
		claims[c.PlatformClaimID] = c
	}
	ships := map[string]mallsync.Shipment{}
	for _, s := range page.Shipments {
		ships[s.PlatformShipmentID] = s
	}
	tests := []struct {
		line, code string
		status     mallsync.LineStatus
		claim      mallsync.ClaimStatus // of the line's open claim
	}{
		{"2022040521691951", "PAYED:OK", mallsync.LinePreparing, ""},
		{"2022040521691952", "PAYED", mallsync.LinePaid, mallsync.ClaimRequested},
		{"2022040521691961", "DELIVERED", mallsync.LineDelivered, ""},
		{"2022040521691991", "DELIVERED", mallsync.LineDelivered, mallsync.ClaimApproved},
	}
	for _, tt := range tests {
		l, ok := lines[tt.line]
		if !ok || l.PlatformStatus != tt.code || l.Status != tt.status || l.ClaimStatus != tt.claim {
			t.Errorf("line %s: %+v, want %s %s claim %q", tt.line, l, tt.code, tt.status, tt.claim)
		}
	}
	if l := lines["2022040521691951"]; l.PaymentAmount != 31800 || l.UnitPrice != 15900 || l.Quantity != 2 || l.SKU != "TB-500-NV" || !l.ChangedAt.Equal(row) {
		t.Errorf("amounts, sku and change time: %+v", l)
	}
	if o := page.Orders[0]; o.PaymentAmount != 42000 || o.ShippingFee != 3000 || len(o.Lines) != 2 || o.Receiver.Address != "경기도 성남시 분당구 정자일로 95 네이버 1784" {
		t.Errorf("order %+v", o)
	}
	for id, want := range map[string]string{"20230116000001": "CANCEL_REQUEST", "20230115000007": "RETURN:WITHDRAWN", "20230110000003": "EXCHANGE_REDELIVERING"} {
		if c := claims[id]; c.PlatformStatus != want {
			t.Errorf("claim %s: %+v, want %s", id, c, want)
		}
	}
	if c := claims["20230115000007"]; c.Status != mallsync.ClaimWithdrawn || c.Kind != mallsync.ClaimReturn || c.ReturnTrackingNo != "663412345679" {
		t.Errorf("withdrawn return %+v", c)
	}
	for id, kind := range map[string]mallsync.ShipmentKind{"2022040521691961:delivery": mallsync.ShipmentForward,
		"20230115000007:collect": mallsync.ShipmentReturnPickup, "20230110000003:redelivery": mallsync.ShipmentReshipment} {
		if s := ships[id]; s.Kind != kind || len(s.LineIDs) != 1 {
			t.Errorf("shipment %s: %+v, want %s", id, s, kind)
		}
	}
	reasons := map[string]string{}
	for _, r := range page.Rejects {
		reasons[r.PlatformID] = r.Reason
	}
	if len(page.Rejects) != 2 || !strings.Contains(reasons["2022040521691981"], "PAYMENT_TELEPORTED") || !strings.Contains(reasons["2022040521699999"], "did not come back") {
		t.Errorf("rejects %+v", page.Rejects)
	}
}

// The claim codes, the table the status map is keyed by.
func TestClaimCode(t *testing.T) {
	t.Parallel()
	m := testMapper(t)
	tests := []struct {
		typ, status, holdback string
		ended                 bool
		want                  string
		unified               mallsync.ClaimStatus
	}{
		{"CANCEL", "CANCEL_REQUEST", "", false, "CANCEL_REQUEST", mallsync.ClaimRequested},
		{"CANCEL", "CANCEL_REQUEST", "", true, "CANCEL:WITHDRAWN", mallsync.ClaimWithdrawn},
		{"CANCEL", "CANCEL_DONE", "", true, "CANCEL_DONE", mallsync.ClaimCompleted},
		{"RETURN", "COLLECT_DONE", "HOLDBACK", false, "RETURN:HOLDBACK", mallsync.ClaimOnHold},
		{"RETURN", "COLLECT_DONE", "RELEASED", false, "RETURN:COLLECT_DONE", mallsync.ClaimCollected},
		{"RETURN", "COLLECT_DONE", "HOLDBACK", true, "RETURN:WITHDRAWN", mallsync.ClaimWithdrawn},
		{"RETURN", "RETURN_REJECT", "", true, "RETURN_REJECT", mallsync.ClaimRejected},
		{"EXCHANGE", "COLLECTING", "", false, "EXCHANGE:COLLECTING", mallsync.ClaimCollecting},
		{"EXCHANGE", "EXCHANGE_DONE", "", true, "EXCHANGE_DONE", mallsync.ClaimCompleted},
		{"EXCHANGE", "EXCHANGE_REQUEST", "", true, "EXCHANGE:WITHDRAWN", mallsync.ClaimWithdrawn},
	}
	for _, tt := range tests {
		got := claimCode(tt.typ, tt.status, tt.holdback, tt.ended)
		r, ok := m.statuses.Lookup(got)
		if got != tt.want || !ok || r.ClaimStatus != tt.unified || strings.ToUpper(string(r.ClaimKind)) != tt.typ {
			t.Errorf("%s %s %s ended %v: %s (%+v), want %s %s", tt.typ, tt.status, tt.holdback, tt.ended, got, r, tt.want, tt.unified)
		}
	}
}

// The cursor's checks and moves.
func TestCursor(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"x", `{"v":2}`, `{"v":1,"phase":"later"}`, `{"v":1,"phase":"changes"}`} {
		if _, err := parseCursor(bad); mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Errorf("%s: %v", bad, err)
		}
	}
	pass := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	c := cursor{V: 1, Phase: phaseChanges, Pass: pass, From: pass.Add(-30 * time.Hour), To: pass.Add(-6 * time.Hour)}
	if _, _, err := c.next(&moreJSON{MoreFrom: "2026-10-01T00:00:00.000+09:00"}, time.Time{}, RevisitHorizon); err == nil {
		t.Error("a moreFrom before the window was followed")
	}
	n, done, err := c.next(nil, time.Time{}, RevisitHorizon)
	if err != nil || done || !n.From.Equal(c.To.Add(time.Millisecond)) || !n.To.Equal(pass) {
		t.Errorf("next window %+v %v %v", n, done, err)
	}
	n, done, _ = n.next(nil, time.Time{}, RevisitHorizon)
	if !done || !n.Last.Equal(pass) || n.Phase != "" {
		t.Errorf("the backfill pass ends without a revisit: %+v %v", n, done)
	}
	c.Last = pass.Add(-4 * time.Hour)
	c.To = pass
	n, done, _ = c.next(nil, time.Time{}, RevisitHorizon)
	if done || n.Phase != phaseRevisit || !n.From.Equal(pass.Add(-RevisitHorizon)) || !n.To.Equal(n.From.Add(MaxWindow)) {
		t.Errorf("a later pass revisits the horizon: %+v %v", n, done)
	}
	if back, err := parseCursor(n.String()); err != nil || back != n {
		t.Errorf("round trip %+v %v", back, err)
	}
}

// The response parsers never panic and never let a malformed answer through as records
// without ids.
func FuzzDetails(f *testing.F) {
	for _, s := range []string{`[{"order":{"orderId":"1","orderDate":"2023-01-16T17:14:51.794+09:00"},"productOrder":{"productOrderId":"2","productOrderStatus":"PAYED"}}]`,
		`[{"order":{},"productOrder":{"productOrderId":"2"},"currentClaim":{"return":{"claimId":"c","claimStatus":"COLLECTING"}}}]`, `[]`, `{}`} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/reference/product-orders.json"); err == nil {
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		_ = json.Unmarshal(b, &env)
		f.Add([]byte(env.Data))
	}
	m := testMapper(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var details []detailJSON
		if json.Unmarshal(b, &details) != nil {
			return
		}
		page := m.mapDetails(nil, nil, details)
		for _, o := range page.Orders {
			for _, l := range o.Lines {
				if l.PlatformLineID == "" || o.PlatformOrderID == "" || !l.Status.Valid() {
					t.Fatalf("a line without an id or status: %+v", l)
				}
			}
		}
		for _, c := range page.Claims {
			if c.PlatformClaimID == "" || !c.Status.Valid() || !c.Kind.Valid() {
				t.Fatalf("a claim without an id, status or kind: %+v", c)
			}
		}
	})
}

// FuzzChanges feeds the changes list's parser and preview.
func FuzzChanges(f *testing.F) {
	if b, err := os.ReadFile("testdata/reference/last-changed-statuses.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"data":{"lastChangeStatuses":[{"orderId":"1","productOrderId":"2","productOrderStatus":"PAYED","lastChangedDate":"x"}]}}`))
	m := testMapper(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := PreviewResponse("last-changed-statuses", b, m.statuses)
		if err != nil {
			return
		}
		for _, o := range p.Orders {
			if len(o.Lines) != 1 || o.Lines[0].PlatformLineID == "" || !o.Lines[0].Status.Valid() {
				t.Fatalf("a row previewed without an id or status: %+v", o)
			}
		}
		var more moreJSON
		_ = json.Unmarshal(b, &more)
		c := cursor{V: 1, Phase: phaseChanges, Pass: time.Unix(1e9, 0), From: time.Unix(1e9-3600, 0), To: time.Unix(1e9, 0)}
		if n, _, err := c.next(&more, time.Time{}, time.Hour); err == nil && (n.From.Before(c.From) || n.From.After(c.To)) {
			t.Fatalf("followed a moreFrom outside the window: %+v", n)
		}
	})
}
