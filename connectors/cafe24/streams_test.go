package cafe24

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
)

// streamState is what a consumer keeps of the refunds, products and suppliers streams.
type streamState struct {
	cursors   map[mallsync.Stream]string
	refunds   map[string]mallsync.Refund
	stock     map[string]int
	suppliers map[string]mallsync.Supplier
	calls     int
}

// syncStream fetches stream until caught up, keeping the latest of every record.
func (s *streamState) syncStream(t *testing.T, conn *Connector, stream mallsync.Stream, now time.Time) {
	t.Helper()
	for i := 0; ; i++ {
		if i > 100 {
			t.Fatalf("%s not caught up after 100 fetches", stream)
		}
		f, err := conn.Fetch(context.Background(), stream, s.cursors[stream], now)
		if err != nil {
			t.Fatalf("%s fetch %d: %v", stream, i, err)
		}
		s.calls += f.Calls
		for _, r := range f.Page.Rejects {
			t.Errorf("%s reject %s: %s", stream, r.PlatformID, r.Reason)
		}
		for _, r := range f.Page.Refunds {
			if old, ok := s.refunds[r.PlatformRefundID]; !ok || !r.ChangedAt.Before(old.ChangedAt) {
				s.refunds[r.PlatformRefundID] = r
			}
		}
		for _, p := range f.Page.Products {
			for _, v := range p.Variants {
				s.stock[v.VariantCode] = v.Quantity
			}
		}
		for _, sp := range f.Page.Suppliers {
			s.suppliers[sp.Code] = sp
		}
		s.cursors[stream] = f.Next
		if f.CaughtUp {
			return
		}
	}
}

// TestRefundsStockAndSuppliersFromSimulator reads the refunds, products and suppliers streams
// from the simulator, under faults and with late refunds, at several clock times, and checks
// them against its truth each time.
func TestRefundsStockAndSuppliersFromSimulator(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, 7, 1, 0, 0, 0, 0, kst)
	start := end.AddDate(0, 0, -60)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 11, Orders: 3000, Start: start, End: end, NoLimits: true,
		Clock:  cafe24sim.NewClock(start.AddDate(0, 0, 20)),
		Faults: cafe24sim.Faults{Rate5xx: 0.1, Rate429: 0.1, TruncateRate: 0.1, LateRate: 0.1, LateBy: 5 * time.Minute}})
	conn := newSimConnector(t, sim, start)
	st := &streamState{cursors: map[mallsync.Stream]string{}, refunds: map[string]mallsync.Refund{},
		stock: map[string]int{}, suppliers: map[string]mallsync.Supplier{}}
	waiting := 0
	for step := 0; step < 6; step++ {
		now := sim.Clock().Now()
		for _, stream := range []mallsync.Stream{mallsync.StreamSuppliers, mallsync.StreamProducts, mallsync.StreamRefunds} {
			st.syncStream(t, conn, stream, now)
		}
		truth := sim.Truth()
		var refunds []mallsync.Refund
		for _, r := range st.refunds {
			refunds = append(refunds, r)
			if !r.Done {
				waiting++
			}
		}
		if d := truth.DiffRefunds(refunds); d.Mismatches() > 0 {
			t.Fatalf("step %d: refunds differ from the truth: %+v", step, d)
		}
		var stock []cafe24sim.StoredStock
		for code, q := range st.stock {
			stock = append(stock, cafe24sim.StoredStock{VariantCode: code, Quantity: q})
		}
		if d := truth.DiffStock(stock); d.Mismatches() > 0 {
			t.Fatalf("step %d: stock differs from the truth: %+v", step, d)
		}
		if len(st.suppliers) != 7 || st.suppliers["S0000001"].TradingType != "C" || st.suppliers["S0000002"].TradingType != "D" {
			t.Fatalf("step %d: suppliers %+v", step, st.suppliers)
		}
		if len(truth.Refunds) == 0 {
			t.Fatalf("step %d: no refunds in the truth", step)
		}
		sim.Clock().Advance(7*time.Hour + 3*time.Minute) // refunds paid out between reads, some late
	}
	if waiting == 0 {
		t.Fatal("no refund was ever read before its payout: the payout update is not exercised")
	}
	// Within RescanEvery of the last full read, products and suppliers cost no call.
	now := sim.Clock().Now()
	st.syncStream(t, conn, mallsync.StreamProducts, now)
	st.syncStream(t, conn, mallsync.StreamSuppliers, now)
	before := st.calls
	st.syncStream(t, conn, mallsync.StreamProducts, now.Add(time.Minute))
	st.syncStream(t, conn, mallsync.StreamSuppliers, now.Add(RescanEvery-time.Second))
	if st.calls != before {
		t.Fatalf("reads within %v of a full pass made %d calls", RescanEvery, st.calls-before)
	}
	st.syncStream(t, conn, mallsync.StreamSuppliers, now.Add(RescanEvery))
	if st.calls == before {
		t.Fatalf("no suppliers pass %v after the last one", RescanEvery)
	}
}

func TestMapRefundAndVariant(t *testing.T) {
	t.Parallel()
	good := `{"order_id":"20260701-0000001","refund_code":"R20260702-0000001","accepted_refund_date":"2026-07-02T10:00:00+09:00",
		"refund_date":"2026-07-02T12:00:00+09:00","status":"T","actual_refund_amount":"12000.00","order_item_code":["20260701-0000001-01"]}`
	r, err := mapRefund(json.RawMessage(good))
	if err != nil || !r.Done || r.Amount != 12000 || r.RefundedAt == nil || !r.ChangedAt.Equal(*r.RefundedAt) || len(r.LineIDs) != 1 {
		t.Fatalf("good refund: %+v %v", r, err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"status", strings.Replace(good, `"status":"T"`, `"status":"X"`, 1), "status"},
		{"amount", strings.Replace(good, `"12000.00"`, `"12,000원"`, 1), "actual_refund_amount"},
		{"date", strings.Replace(good, `2026-07-02T10:00:00+09:00`, `어제`, 1), "accepted_refund_date"},
		{"code", strings.Replace(good, `"R20260702-0000001"`, `""`, 1), "refund_code"},
		{"type", strings.Replace(good, `"order_item_code":[`, `"order_item_code":[1,`, 1), "field"},
	} {
		if _, err := mapRefund(json.RawMessage(tc.body)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name, body string
		qty        int
	}{
		{"inventories object", `{"variant_code":"P0000001000A","inventories":{"use_inventory":"T","quantity":7,"safety_inventory":3}}`, 7},
		{"inventories list", `{"variant_code":"P0000001000A","inventories":[{"use_inventory":"T","quantity":8}]}`, 8},
		{"on the variant", `{"variant_code":"P0000001000A","use_inventory":"T","quantity":9}`, 9},
	} {
		var v variantJSON
		if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
			t.Fatal(err)
		}
		mv, err := mapVariant(v)
		if err != nil || mv.Quantity != tc.qty || !mv.UseInventory {
			t.Errorf("%s: %+v %v", tc.name, mv, err)
		}
	}
}

// TestUsageBlockIsWaitedOut reads through two usage blocks: the connector sees
// X-Cafe24-Call-Remain on the answer that used the quota up and makes no call until the
// block is over (a call during it would make it longer).
func TestUsageBlockIsWaitedOut(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, 7, 1, 0, 0, 0, 0, kst)
	start := end.AddDate(0, 0, -30)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 3, Orders: 300, Start: start, End: end, NoLimits: true,
		Faults: cafe24sim.Faults{UsageCalls: 4, UsageWindow: time.Minute, UsageBlock: time.Second}})
	conn := newSimConnector(t, sim, start)
	st := &streamState{cursors: map[mallsync.Stream]string{}, refunds: map[string]mallsync.Refund{},
		stock: map[string]int{}, suppliers: map[string]mallsync.Supplier{}}
	for _, stream := range []mallsync.Stream{mallsync.StreamSuppliers, mallsync.StreamProducts, mallsync.StreamRefunds, mallsync.StreamOrders} {
		st.syncStream(t, conn, stream, sim.Clock().Now())
	}
	blocks, during := sim.UsageBlocks()
	if blocks < 2 {
		t.Fatalf("%d usage blocks in %d calls: the test proves nothing", blocks, st.calls)
	}
	if during != 0 {
		t.Fatalf("%d calls made during a usage block", during)
	}
}
