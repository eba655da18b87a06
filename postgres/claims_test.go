package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

func claim(id, status, code string, changed time.Time, lines ...string) mallsync.Claim {
	c := mallsync.Claim{PlatformClaimID: id, PlatformOrderID: "20260701-0000001", Kind: mallsync.ClaimReturn,
		Status: mallsync.ClaimStatus(status), PlatformStatus: code, Reason: "단순 변심", RequestedAt: t0,
		ChangedAt: changed, Raw: []byte(`{"claim_code":"` + id + `"}`)}
	for _, l := range lines {
		c.Lines = append(c.Lines, mallsync.ClaimLine{PlatformLineID: l, Quantity: 1, PlatformStatus: code})
	}
	return c
}

func TestClaimsShipmentsRefundsCatalogRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	shipped := t0.Add(time.Hour)
	page := mallsync.Page{
		Orders: []mallsync.Order{order("20260701-0000001", t0, line(mallsync.LineDelivered, "N40"), line(mallsync.LineDelivered, "N40"))},
		Claims: []mallsync.Claim{claim("R20260702-0000001", "requested", "R00", t0, "20260701-0000001-01", "20260701-0000001-02")},
		Shipments: []mallsync.Shipment{{PlatformShipmentID: "D-1", PlatformOrderID: "20260701-0000001", Kind: mallsync.ShipmentForward,
			CarrierCode: "0001", TrackingNo: "612345678901", ShippedAt: &shipped, ChangedAt: shipped,
			LineIDs: []string{"20260701-0000001-01", "20260701-0000001-02"}}},
		Refunds: []mallsync.Refund{{PlatformRefundID: "RF-1", PlatformOrderID: "20260701-0000001", PlatformClaimID: "R20260702-0000001",
			LineIDs: []string{"20260701-0000001-01"}, Amount: 15000, ChangedAt: t0}},
		Suppliers: []mallsync.Supplier{{Code: "S0000001", Name: "협력사", TradingType: "C", PaymentType: "P"}},
		Products: []mallsync.Product{{ProductNo: "12", ProductCode: "P000000A", SupplierCode: "S0000001", ShippingType: "D",
			Price: 15000, Variants: []mallsync.Variant{{VariantCode: "P000000A000A", UseInventory: true, Quantity: 7}}}},
	}
	res := apply(t, b, page)
	if res.Claims != 1 || res.Shipments != 1 || res.Refunds != 1 || res.Suppliers != 1 || res.Variants != 1 {
		t.Fatalf("applied = %+v", res)
	}

	claims, err := b.sync.Claims(ctx, b.mall)
	if err != nil || len(claims) != 1 || len(claims[0].Lines) != 2 || claims[0].Status != mallsync.ClaimRequested || !claims[0].RequestedAt.Equal(t0) {
		t.Fatalf("claims = %+v, %v", claims, err)
	}
	ships, err := b.sync.Shipments(ctx, b.mall)
	if err != nil || len(ships) != 1 || ships[0].TrackingNo != "612345678901" || len(ships[0].LineIDs) != 2 || !ships[0].ShippedAt.Equal(shipped) {
		t.Fatalf("shipments = %+v, %v", ships, err)
	}
	refunds, err := b.sync.Refunds(ctx, b.mall)
	if err != nil || len(refunds) != 1 || refunds[0].Amount != 15000 || refunds[0].Done || len(refunds[0].LineIDs) != 1 {
		t.Fatalf("refunds = %+v, %v", refunds, err)
	}
	stock, err := b.sync.Stock(ctx, b.mall)
	if err != nil || len(stock) != 1 || stock[0].Quantity != 7 || stock[0].ProductNo != "12" {
		t.Fatalf("stock = %+v, %v", stock, err)
	}
	facts, err := b.sync.CatalogFacts(ctx, b.mall)
	if err != nil || facts.SupplierTradingTypes["S0000001"] != "C" || facts.ProductShippingTypes["P000000A"] != "D" {
		t.Fatalf("facts = %+v, %v", facts, err)
	}
	open, err := b.sync.OpenClaimOrders(ctx, b.mall, 10)
	if err != nil || len(open) != 1 || open[0] != "20260701-0000001" {
		t.Fatalf("open claim orders = %v, %v", open, err)
	}

	// The claim moves on and loses a line; an older copy arrives after: recorded, not applied.
	later := t0.Add(48 * time.Hour)
	apply(t, b, mallsync.Page{Claims: []mallsync.Claim{claim("R20260702-0000001", "withdrawn", "undone", later, "20260701-0000001-01")}})
	apply(t, b, mallsync.Page{Claims: []mallsync.Claim{claim("R20260702-0000001", "accepted", "R10", t0.Add(time.Hour), "20260701-0000001-01", "20260701-0000001-02")}})
	claims, _ = b.sync.Claims(ctx, b.mall)
	if c := claims[0]; c.Status != mallsync.ClaimWithdrawn || len(c.Lines) != 1 {
		t.Fatalf("after withdrawal and a stale copy: %+v", c)
	}
	if n := count(t, b, `SELECT count(*) FROM claim_status_events WHERE applied`); n != 2 {
		t.Errorf("applied claim events = %d, want 2 (requested, withdrawn)", n)
	}
	if n := count(t, b, `SELECT count(*) FROM claim_status_events WHERE NOT applied AND platform_code = 'R10'`); n != 1 {
		t.Errorf("stale claim events = %d, want 1", n)
	}
	if open, _ := b.sync.OpenClaimOrders(ctx, b.mall, 10); len(open) != 0 {
		t.Errorf("a withdrawn claim is still open: %v", open)
	}

	// A parcel and a refund seen again with other lines: their lines are replaced, not added to.
	apply(t, b, mallsync.Page{
		Shipments: []mallsync.Shipment{{PlatformShipmentID: "D-1", PlatformOrderID: "20260701-0000001", Kind: mallsync.ShipmentForward,
			CarrierCode: "0001", TrackingNo: "612345678901", ShippedAt: &shipped, ChangedAt: later,
			LineIDs: []string{"20260701-0000001-02"}}},
		Refunds: []mallsync.Refund{{PlatformRefundID: "RF-1", PlatformOrderID: "20260701-0000001", PlatformClaimID: "R20260702-0000001",
			LineIDs: []string{"20260701-0000001-02"}, Amount: 15000, ChangedAt: later}},
	})
	ships, _ = b.sync.Shipments(ctx, b.mall)
	if len(ships) != 1 || len(ships[0].LineIDs) != 1 || ships[0].LineIDs[0] != "20260701-0000001-02" {
		t.Errorf("a parcel's lines after it changed = %+v", ships)
	}
	refunds, _ = b.sync.Refunds(ctx, b.mall)
	if len(refunds) != 1 || len(refunds[0].LineIDs) != 1 || refunds[0].LineIDs[0] != "20260701-0000001-02" {
		t.Errorf("a refund's lines after it changed = %+v", refunds)
	}

	// The same page again changes nothing.
	before := count(t, b, `SELECT count(*) FROM claim_status_events`)
	apply(t, b, mallsync.Page{Claims: []mallsync.Claim{claim("R20260702-0000001", "withdrawn", "undone", later, "20260701-0000001-01")}})
	if after := count(t, b, `SELECT count(*) FROM claim_status_events`); after != before {
		t.Errorf("a repeated claim added %d events", after-before)
	}
	if ds, err := b.sync.SimDataSet(ctx, b.mall); err != nil || ds != "" {
		t.Fatalf("data set before any reset = %q, %v", ds, err)
	}
	if err := b.sync.ResetMall(ctx, b.mall, "seed 1"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM claims`) + count(t, b, `SELECT count(*) FROM shipments`) + count(t, b, `SELECT count(*) FROM variants`); n != 0 {
		t.Errorf("%d rows left after ResetMall", n)
	}
	// The data set is recorded with the reset, and a later reset replaces it.
	dataSetIs := func(want string) {
		t.Helper()
		if ds, err := b.sync.SimDataSet(ctx, b.mall); err != nil || ds != want {
			t.Errorf("data set after a reset = %q, %v; want %q", ds, err, want)
		}
	}
	dataSetIs("seed 1")
	if err := b.sync.ResetMall(ctx, b.mall, "seed 2"); err != nil {
		t.Fatal(err)
	}
	dataSetIs("seed 2")
}

func TestShipmentOfUnknownKindFailsThePage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	cur, _ := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders)
	_, err := b.sync.ApplyPage(ctx, b.mall, mallsync.StreamOrders, mallsync.Page{Shipments: []mallsync.Shipment{
		{PlatformShipmentID: "X", Kind: "teleport", ChangedAt: t0}}}, cur, "next")
	if mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if c, _ := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders); c.Seq != cur.Seq {
		t.Errorf("the cursor moved on a failed page")
	}
}

// A page carries its orders whole: a forward parcel of one of them that the page no longer
// has was deleted on the platform and goes; return pickups, parcels of orders outside the page
// and those of an order whose shipments did not map stay.
func TestVanishedParcelsAreDropped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	shipped := t0.Add(time.Hour)
	parcel := func(id, orderID string, kind mallsync.ShipmentKind) mallsync.Shipment {
		return mallsync.Shipment{PlatformShipmentID: id, PlatformOrderID: orderID, Kind: kind, TrackingNo: "T-" + id,
			ShippedAt: &shipped, ChangedAt: shipped, LineIDs: []string{orderID + "-01"}}
	}
	o1, o2 := order("20260701-0000001", t0, line(mallsync.LineShipped, "N30")), order("20260701-0000002", t0, line(mallsync.LineShipped, "N30"))
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{o1, o2}, Shipments: []mallsync.Shipment{
		parcel("D-1", o1.PlatformOrderID, mallsync.ShipmentForward), parcel("D-1b", o1.PlatformOrderID, mallsync.ShipmentReshipment),
		parcel("R-1", o1.PlatformOrderID, mallsync.ShipmentReturnPickup), parcel("D-2", o2.PlatformOrderID, mallsync.ShipmentForward)}})

	// A page that does not say its orders are whole drops nothing.
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{o1}})
	if n := count(t, b, `SELECT count(*) FROM shipments`); n != 4 {
		t.Fatalf("%d parcels after a page without WholeParcels, want 4", n)
	}
	// o1 again without its parcels; o2 again with a shipment that did not map.
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{o1}, WholeParcels: true})
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{o2}, WholeParcels: true,
		Rejects: []mallsync.Reject{{Resource: "shipment", PlatformID: o2.PlatformOrderID, Reason: "x"}}})
	ships, err := b.sync.Shipments(ctx, b.mall)
	if err != nil {
		t.Fatal(err)
	}
	left := map[string]bool{}
	for _, s := range ships {
		left[s.PlatformShipmentID] = true
	}
	if len(ships) != 2 || !left["R-1"] || !left["D-2"] {
		t.Fatalf("parcels left: %v, want R-1 and D-2", left)
	}
	for _, s := range ships {
		if want := []string{s.PlatformOrderID + "-01"}; !slices.Equal(s.LineIDs, want) {
			t.Errorf("parcel %s kept lines %v, want %v", s.PlatformShipmentID, s.LineIDs, want)
		}
	}
}

// A parcel's lines are stored once each, in byte order, and a newer version of the parcel
// replaces them whole; an older one changes nothing.
func TestParcelLinesAreReplacedWhole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	o := order("20260701-0000001", t0, line(mallsync.LineShipped, "N30"))
	parcel := func(at time.Time, lines ...string) mallsync.Page {
		return mallsync.Page{Orders: []mallsync.Order{o}, Shipments: []mallsync.Shipment{{PlatformShipmentID: "D-1",
			PlatformOrderID: o.PlatformOrderID, Kind: mallsync.ShipmentForward, ChangedAt: at, LineIDs: lines}}}
	}
	for _, tc := range []struct {
		name string
		page mallsync.Page
		want []string
	}{
		{"first sighting", parcel(t0, "L-2", "L-10", "L-2", "L-1"), []string{"L-1", "L-10", "L-2"}},
		{"newer, fewer lines", parcel(t0.Add(time.Hour), "L-3"), []string{"L-3"}},
		{"older", parcel(t0.Add(time.Minute), "L-9"), []string{"L-3"}},
		{"newer, no lines", parcel(t0.Add(2 * time.Hour)), nil},
		{"ids an array literal must escape", parcel(t0.Add(3*time.Hour), `L"1`, `L\2`, "L,3", "{L4}", "NULL", "L 6", ""),
			[]string{"", "L 6", `L"1`, "L,3", `L\2`, "NULL", "{L4}"}},
	} {
		apply(t, b, tc.page)
		ships, err := b.sync.Shipments(ctx, b.mall)
		if err != nil {
			t.Fatal(err)
		}
		if len(ships) != 1 || !slices.Equal(ships[0].LineIDs, tc.want) {
			t.Fatalf("%s: parcels %+v, want D-1 with lines %v", tc.name, ships, tc.want)
		}
	}
}
