package coupang

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/mappings"
)

func testConnector(t *testing.T) *Connector {
	t.Helper()
	m, err := mappings.StatusMap(mallsync.PlatformCoupang)
	if err != nil {
		t.Fatal(err)
	}
	return &Connector{statuses: m}
}

// The v4 order sheet of Coupang's public documentation (plain numbers, null discount, times
// with a space): one line, delivered, with its parcel.
func TestMapDocumentedSheet(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/ordersheets_v4.json")
	if err != nil {
		t.Fatal(err)
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	pass := time.Date(2017, 10, 20, 0, 0, 0, 0, time.UTC)
	p := testConnector(t).mapSheets(a.Data, pass)
	if len(p.Rejects) != 0 || len(p.Orders) != 1 || len(p.Orders[0].Lines) != 1 || len(p.Shipments) != 1 || a.NextToken != "448537989" {
		t.Fatalf("page = %+v, rejects %+v", p, p.Rejects)
	}
	o, l, s := p.Orders[0], p.Orders[0].Lines[0], p.Shipments[0]
	delivered := time.Date(2017, 10, 17, 11, 42, 23, 0, time.UTC) // 20:42:23 KST
	if o.PlatformOrderID != "22000009546630" || l.PlatformLineID != "448537989-3261300431" || l.Status != mallsync.LineDelivered ||
		l.Quantity != 1 || l.UnitPrice != 49900 || l.PaymentAmount != 49900 || o.PaymentAmount != 49900 || l.SKU != "170824416510" ||
		l.DeliveredAt == nil || !l.DeliveredAt.Equal(delivered) || !o.OrderedAt.Equal(time.Date(2017, 10, 10, 1, 35, 4, 0, time.UTC)) {
		t.Fatalf("order %+v\nline %+v", o, l)
	}
	if s.TrackingNo != "340010912565" || s.CarrierCode != "CJ 대한통운" || len(s.LineIDs) != 1 {
		t.Fatalf("shipment %+v", s)
	}
}

// v5 money objects and v4 numbers read the same; other currencies and nonsense are errors.
func TestMoneyShapes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{`5000`: 5000, `{"currencyCode":"KRW","units":5000,"nanos":0}`: 5000, `null`: 0, `41000.0`: 41000} {
		var m money
		if err := json.Unmarshal([]byte(in), &m); err != nil || int64(m) != want {
			t.Errorf("%s: %d, %v; want %d", in, m, err, want)
		}
	}
	for _, in := range []string{`{"currencyCode":"USD","units":5}`, `"five"`, `{"units":"x"}`, `true`} {
		var m money
		if err := json.Unmarshal([]byte(in), &m); err == nil {
			t.Errorf("%s: accepted", in)
		}
	}
}

// A sheet that does not map is a reject with its reason; the rest of the page goes on.
func TestMapRejects(t *testing.T) {
	t.Parallel()
	rows := []json.RawMessage{
		json.RawMessage(`{"shipmentBoxId":1,"orderId":2,"orderedAt":"2026-01-01T10:00:00","status":"TELEPORTED","orderItems":[{"vendorItemId":3,"shippingCount":1}]}`),
		json.RawMessage(`{"shipmentBoxId":4,"orderId":5,"orderedAt":"2026-01-01T10:00:00","status":"ACCEPT","orderItems":[]}`),
		json.RawMessage(`{"shipmentBoxId":6,"orderId":7,"orderedAt":"2026-01-01T10:00:00","status":"ACCEPT","orderItems":[{"vendorItemId":8,"shippingCount":1,"cancelCount":2}]}`),
		json.RawMessage(`{"shipmentBoxId":9,"orderId":10,"orderedAt":"2026-01-01T10:00:00","status":"ACCEPT","orderItems":[{"vendorItemId":11,"shippingCount":2,"salesPrice":{"units":100},"orderPrice":{"units":200}}]}`),
	}
	p := testConnector(t).mapSheets(rows, time.Now())
	if len(p.Rejects) != 3 || len(p.Orders) != 1 || p.Orders[0].Lines[0].PaymentAmount != 200 {
		t.Fatalf("rejects %+v, orders %+v", p.Rejects, p.Orders)
	}
}

// The documented sheet previews to one order and one parcel; a failed answer is refused.
func TestPreviewDocumentedSheet(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/ordersheets_v4.json")
	if err != nil {
		t.Fatal(err)
	}
	statuses := testConnector(t).statuses
	p, err := PreviewResponse("orders", body, statuses)
	if err != nil || p.Records() != 2 || len(p.Errors) != 0 || p.Orders[0].Raw != nil || p.Resource != "ordersheets" {
		t.Fatalf("preview = %+v, %v", p, err)
	}
	for body, want := range map[string]string{
		`{"code":"ERROR","message":"Invalid signature."}`: "not a successful answer",
		`{"code":200,"data":"x"}`:                         "neither a sheet",
		`[1]`:                                             "not a JSON object",
	} {
		if _, err := PreviewResponse("ordersheets", []byte(body), statuses); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
	if _, err := PreviewResponse("returns", body, statuses); err == nil {
		t.Error("an unknown resource was previewed")
	}
}
