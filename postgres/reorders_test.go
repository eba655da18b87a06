package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

// reorderBundle is a mall shop-a that allows pre-shipped reorders, holding:
//
//	O-1   delivered (CJ 111 in its forward parcel D-1)
//	O-2   shipped, not delivered
//	R-1   two paid lines (reserved), the reorder to mark
//	R-2   shipped; R-3 canceled
//
// and a mall shop-b that forbids them, holding its own delivered B-1 and paid B-R.
type reorderBundle struct {
	bundle
	reorders *postgres.ReorderStore
	b        bundle // shop-b
}

func reorderSetup(t *testing.T) reorderBundle {
	t.Helper()
	b := setup(t)
	ctx := context.Background()
	a, err := b.malls.Mall(ctx, b.mall)
	if err != nil {
		t.Fatal(err)
	}
	a.Policy.PreshippedReorder = true
	other := mallsync.Mall{Key: "shop-b", Name: "가게 B", Platform: mallsync.PlatformCafe24,
		Account: mallsync.Account{MallID: "shopb", ShopNo: 1}, CredentialsRef: "shop-b"}
	for _, m := range []mallsync.Mall{a, other} {
		if err := b.malls.PutMall(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	shipped, delivered := t0.Add(time.Hour), t0.Add(26*time.Hour)
	del := line(mallsync.LineDelivered, "N40")
	del.CarrierCode, del.TrackingNo, del.ShippedAt, del.DeliveredAt = "0006", "111", &shipped, &delivered
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{
		order("O-1", t0, del),
		order("O-2", t0, line(mallsync.LineShipped, "N30")),
		order("R-1", t0, line(mallsync.LinePaid, "N10"), line(mallsync.LinePreparing, "N20")),
		order("R-2", t0, line(mallsync.LineShipped, "N30")),
		order("R-3", t0, line(mallsync.LineCanceled, "C40")),
	}, Shipments: []mallsync.Shipment{{PlatformShipmentID: "D-1", PlatformOrderID: "O-1", Kind: mallsync.ShipmentForward,
		CarrierCode: "0006", TrackingNo: "111", ShippedAt: &shipped, DeliveredAt: &delivered, ChangedAt: delivered,
		LineIDs: []string{"O-1-01"}}}})
	bb := b
	bb.mall = other.Key
	apply(t, bb, mallsync.Page{Orders: []mallsync.Order{
		order("B-1", t0, del), order("B-R", t0, line(mallsync.LinePaid, "N10"))}})
	return reorderBundle{bundle: b, reorders: postgres.NewReorderStore(b.db, b.malls), b: bb}
}

func mark(mall mallsync.MallKey, orderID, original string) mallsync.ReorderMark {
	return mallsync.ReorderMark{Mall: mall, OrderID: orderID, OriginalOrderID: original, Source: mallsync.ReorderByAgent,
		By: "lee", At: t0.Add(48 * time.Hour)}
}

func TestMarkReorderLinksReleasesAndReusesTracking(t *testing.T) {
	t.Parallel()
	b := reorderSetup(t)
	ctx := context.Background()
	r, created, err := b.reorders.MarkReorder(ctx, mark(b.mall, "R-1", "O-1"))
	if err != nil {
		t.Fatal(err)
	}
	want := mallsync.Reorder{Mall: b.mall, OrderID: "R-1", OriginalOrderID: "O-1", Source: mallsync.ReorderByAgent,
		MarkedBy: "lee", MarkedAt: t0.Add(48 * time.Hour), CarrierCode: "0006", TrackingNo: "111",
		ShipmentID: "preshipped/R-1", LineIDs: []string{"R-1-01", "R-1-02"}, Released: 2}
	if !created || !sameReorder(r, want) {
		t.Fatalf("mark = %+v (created %v), want %+v", r, created, want)
	}
	// the reservations are released in their buckets
	var r1 []move
	for _, m := range movesOf(t, b.bundle) {
		if strings.HasPrefix(m.Key, "line/R-1-") {
			r1 = append(r1, m)
		}
	}
	wantMoves(t, []move{
		{"line/R-1-01/reserve", "reserve", "P0001000000A", "direct", "", 1, 1},
		{"line/R-1-02/reserve", "reserve", "P0001000000A", "direct", "", 1, 1},
		{"line/R-1-01/release", "release", "P0001000000A", "direct", "", -1, -1},
		{"line/R-1-02/release", "release", "P0001000000A", "direct", "", -1, -1},
	}, r1)

	// The platform ships the reorder with the original's invoice (the write-back) and later
	// delivers it: its lines record no movement, and a page carrying its parcels whole keeps
	// the preshipped shipment.
	for i, st := range []mallsync.LineStatus{mallsync.LineShipped, mallsync.LineDelivered} {
		at := t0.Add(time.Duration(50+i) * time.Hour)
		l1, l2 := line(st, "N"), line(st, "N")
		l1.TrackingNo, l2.TrackingNo = "111", "111"
		apply(t, b.bundle, mallsync.Page{Orders: []mallsync.Order{order("R-1", at, l1, l2)}, WholeParcels: true,
			Shipments: []mallsync.Shipment{{PlatformShipmentID: "D-R1", PlatformOrderID: "R-1", Kind: mallsync.ShipmentForward,
				CarrierCode: "0006", TrackingNo: "111", ChangedAt: at, LineIDs: []string{"R-1-01", "R-1-02"}}}})
	}
	if n := count(t, b.bundle, `SELECT count(*) FROM inventory_movements WHERE platform_order_id = 'R-1' AND kind IN ('issue', 'reserve')`); n != 2 {
		t.Fatalf("%d reserve/issue movements of R-1, want its 2 reserves only", n)
	}
	if n := count(t, b.bundle, `SELECT count(*) FROM inventory_movements WHERE platform_order_id = 'R-1' AND kind = 'issue'`); n != 0 {
		t.Fatalf("%d issue movements of the reorder", n)
	}
	var s struct {
		Kind, Carrier, Tracking string
		Lines                   int
	}
	if err := b.db.QueryRowx(`SELECT kind, carrier_code, tracking_no,
			cardinality(s.line_ids)
		FROM shipments s WHERE platform_shipment_id = 'preshipped/R-1'`).Scan(&s.Kind, &s.Carrier, &s.Tracking, &s.Lines); err != nil {
		t.Fatalf("the preshipped shipment after the reorder synced again: %v", err)
	}
	if s.Kind != "preshipped" || s.Carrier != "0006" || s.Tracking != "111" || s.Lines != 2 {
		t.Fatalf("preshipped shipment = %+v", s)
	}

	// Marking again with the same original changes nothing; the link reads back.
	before := count(t, b.bundle, `SELECT count(*) FROM inventory_movements`)
	again, created, err := b.reorders.MarkReorder(ctx, mark(b.mall, "R-1", "O-1"))
	if err != nil || created || !sameReorder(again, want) {
		t.Fatalf("marking again = %+v, created %v, %v", again, created, err)
	}
	if n := count(t, b.bundle, `SELECT count(*) FROM inventory_movements`); n != before {
		t.Fatalf("marking again recorded %d movements", n-before)
	}
	got, err := b.reorders.Reorder(ctx, b.mall, "R-1")
	if err != nil || !sameReorder(got, want) {
		t.Fatalf("Reorder = %+v, %v", got, err)
	}

	// The write-back's result is recorded and read back.
	res := mallsync.WriteResult{Code: mallsync.EINVALID, Message: "이미 배송중인 주문입니다"}
	if err := b.reorders.RecordReorderWriteBack(ctx, b.mall, "R-1", res, t0.Add(49*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := b.reorders.Reorder(ctx, b.mall, "R-1"); err != nil || got.WriteBack == nil || *got.WriteBack != res ||
		!got.WrittenAt.Equal(t0.Add(49*time.Hour)) {
		t.Fatalf("after recording the write-back: %+v, %v", got, err)
	}
	if err := b.reorders.RecordReorderWriteBack(ctx, b.mall, "R-2", res, time.Time{}); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("recording the write-back of an order not marked: %v, want ENOTFOUND", err)
	}
}

func sameReorder(got, want mallsync.Reorder) bool {
	if got.WriteBack != nil || got.WrittenAt != nil {
		got.WriteBack, got.WrittenAt = nil, nil
	}
	return got.Mall == want.Mall && got.OrderID == want.OrderID && got.OriginalOrderID == want.OriginalOrderID &&
		got.Source == want.Source && got.MarkedBy == want.MarkedBy && got.MarkedAt.Equal(want.MarkedAt) &&
		got.CarrierCode == want.CarrierCode && got.TrackingNo == want.TrackingNo && got.ShipmentID == want.ShipmentID &&
		strings.Join(got.LineIDs, ",") == strings.Join(want.LineIDs, ",") && got.Released == want.Released
}

func TestMarkReorderRefusesWithReason(t *testing.T) {
	t.Parallel()
	b := reorderSetup(t)
	ctx := context.Background()
	if _, _, err := b.reorders.MarkReorder(ctx, mark(b.mall, "R-1", "O-1")); err != nil {
		t.Fatal(err)
	}
	state := func() [4]int {
		return [4]int{count(t, b.bundle, `SELECT count(*) FROM reorders`), count(t, b.bundle, `SELECT count(*) FROM inventory_movements`),
			count(t, b.bundle, `SELECT count(*) FROM shipments`), count(t, b.bundle, `SELECT coalesce(sum(cardinality(line_ids)), 0) FROM shipments`)}
	}
	for _, tc := range []struct {
		name string
		m    mallsync.ReorderMark
		code string
		want string
	}{
		{"policy forbids", mark("shop-b", "B-R", "B-1"), mallsync.EINVALID,
			"mall shop-b's policy does not allow pre-shipped reorders (preshipped_reorder: false)"},
		{"unknown reorder", mark(b.mall, "R-1x", "O-2"), mallsync.ENOTFOUND, "no order R-1x in mall shop-a"},
		{"original shipped only", mallsync.ReorderMark{Mall: b.mall, OrderID: "R-3", OriginalOrderID: "O-2", Source: "agent", By: "lee"},
			mallsync.EINVALID, "original order O-2 is not delivered yet (line O-2-01 is shipped)"},
		{"self", mark(b.mall, "O-1", "O-1"), mallsync.EINVALID, "order O-1 cannot be a reorder of itself"},
		{"original of another mall", mark(b.mall, "R-3", "B-1"), mallsync.EINVALID,
			"original order B-1 is of mall shop-b, not shop-a: a reorder's original must be of the same mall"},
		{"original unknown", mark(b.mall, "R-3", "NOPE"), mallsync.EINVALID, "original order NOPE not found in mall shop-a"},
		{"reorder shipped", mark(b.mall, "R-2", "O-1"), mallsync.EINVALID, "order R-2 is already shipped (line R-2-01 is shipped)"},
		{"reorder canceled", mark(b.mall, "R-3", "O-1"), mallsync.EINVALID, "order R-3 is canceled"},
		{"marked with another original", mark(b.mall, "R-1", "O-2"), mallsync.EINVALID,
			"order R-1 is already marked as a reorder of O-1, not O-2"},
		{"unknown mall", mark("shop-z", "R-1", "O-1"), mallsync.ENOTFOUND, "shop-z"},
		{"no source", mallsync.ReorderMark{Mall: b.mall, OrderID: "R-3", OriginalOrderID: "O-1", By: "lee"}, mallsync.EINVALID, "source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := state()
			_, _, err := b.reorders.MarkReorder(ctx, tc.m)
			if mallsync.ErrorCode(err) != tc.code || !strings.Contains(mallsync.ErrorMessage(err), tc.want) {
				t.Fatalf("err = %v, want %s %q", err, tc.code, tc.want)
			}
			if after := state(); after != before {
				t.Fatalf("a refused mark changed reorders/movements/shipments/lines from %v to %v", before, after)
			}
		})
	}
	if _, err := b.reorders.Reorder(ctx, b.mall, "R-2"); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("Reorder of an order not marked: %v, want ENOTFOUND", err)
	}
}

// A reorder marked before its lines were first seen paid never reserves: sync skips them.
func TestSyncSkipsMovementsOfReorders(t *testing.T) {
	t.Parallel()
	b := reorderSetup(t)
	ctx := context.Background()
	// R-4 arrives awaiting payment (no reservation), is marked, then is paid and shipped.
	apply(t, b.bundle, mallsync.Page{Orders: []mallsync.Order{order("R-4", t0, line(mallsync.LinePendingPayment, "N00"))}})
	r, _, err := b.reorders.MarkReorder(ctx, mark(b.mall, "R-4", "O-1"))
	if err != nil || r.Released != 0 {
		t.Fatalf("mark = %+v, %v", r, err)
	}
	for i, st := range []mallsync.LineStatus{mallsync.LinePaid, mallsync.LineShipped, mallsync.LineCanceled} {
		apply(t, b.bundle, mallsync.Page{Orders: []mallsync.Order{order("R-4", t0.Add(time.Duration(i+1)*time.Hour), line(st, "N"))}})
	}
	if n := count(t, b.bundle, `SELECT count(*) FROM inventory_movements WHERE platform_order_id = 'R-4'`); n != 0 {
		t.Fatalf("the reorder's lines recorded %d movements", n)
	}
	// another order in the same page still moves stock
	apply(t, b.bundle, mallsync.Page{Orders: []mallsync.Order{order("N-1", t0, line(mallsync.LinePaid, "N10"))}})
	if n := count(t, b.bundle, `SELECT count(*) FROM inventory_movements WHERE platform_order_id = 'N-1'`); n != 1 {
		t.Fatalf("an ordinary order recorded %d movements, want its reserve", n)
	}
}
