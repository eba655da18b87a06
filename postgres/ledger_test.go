package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

func ledgerOf(b bundle) *postgres.LedgerStore { return postgres.NewLedgerStore(b.db, b.malls) }

// mv is a movement in the warehouse of a direct SKU, changed by opts.
func mv(key string, kind mallsync.MovementKind, qty int, opts ...func(*mallsync.Movement)) mallsync.Movement {
	m := mallsync.Movement{Key: key, Kind: kind, SKU: "SKU-A", Location: mallsync.LocationWarehouse,
		Ownership: mallsync.OwnDirect, Quantity: qty, At: t0}
	for _, o := range opts {
		o(&m)
	}
	return m
}

func owned(o mallsync.Ownership, supplier string) func(*mallsync.Movement) {
	return func(m *mallsync.Movement) { m.Ownership, m.Supplier = o, supplier }
}

func at(loc string) func(*mallsync.Movement) { return func(m *mallsync.Movement) { m.Location = loc } }

func sku(s string) func(*mallsync.Movement) { return func(m *mallsync.Movement) { m.SKU = s } }

func ofLine(lid string) func(*mallsync.Movement) {
	return func(m *mallsync.Movement) { m.PlatformOrderID, m.PlatformLineID = "O1", lid }
}

func record(t *testing.T, l *postgres.LedgerStore, mall mallsync.MallKey, want int, moves ...mallsync.Movement) {
	t.Helper()
	n, err := l.RecordMovements(context.Background(), mall, moves)
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("recorded %d movements, want %d", n, want)
	}
}

func stock(t *testing.T, l *postgres.LedgerStore, mall mallsync.MallKey) []mallsync.StockFigure {
	t.Helper()
	got, err := l.StockByOwnership(context.Background(), mall)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// wantStock fails t unless got equals want, listing both.
func wantStock(t *testing.T, want, got []mallsync.StockFigure) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("stock:\n got %s\nwant %s", figures(got), figures(want))
	}
}

func figures(fs []mallsync.StockFigure) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n\t%s/%s/%s/%s on hand %d reserved %d available %d", f.SKU, f.Location, f.Ownership, f.Supplier, f.OnHand, f.Reserved, f.Available)
	}
	return b.String()
}

// fig is a stock figure; Available follows from the other two.
func fig(sku, loc string, own mallsync.Ownership, supplier string, onHand, reserved int) mallsync.StockFigure {
	return mallsync.StockFigure{SKU: sku, Location: loc, Ownership: own, Supplier: supplier,
		OnHand: onHand, Reserved: reserved, Available: onHand - reserved}
}

func TestRecordMovementsIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := ledgerOf(b)
	first := []mallsync.Movement{mv("adjust/open/SKU-A", mallsync.MoveAdjust, 10), mv("adjust/open/SKU-B", mallsync.MoveAdjust, 4, sku("SKU-B"))}
	record(t, l, b.mall, 2, first...)
	record(t, l, b.mall, 0, first...)
	// Only the new key of a mixed batch is appended; a key repeated in one batch counts once.
	record(t, l, b.mall, 1, first[0], mv("adjust/count/SKU-A", mallsync.MoveAdjust, -1), mv("adjust/count/SKU-A", mallsync.MoveAdjust, -1))
	record(t, l, b.mall, 0)
	want := []mallsync.StockFigure{
		fig("SKU-A", "warehouse", mallsync.OwnDirect, "", 9, 0),
		fig("SKU-B", "warehouse", mallsync.OwnDirect, "", 4, 0),
	}
	wantStock(t, want, stock(t, l, b.mall))
}

func TestRecordMovementsRefusesInvalidOnes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := ledgerOf(b)
	for _, tc := range []struct {
		name string
		m    mallsync.Movement
	}{
		{"no key", mv("", mallsync.MoveReceipt, 1)},
		{"unknown kind", mv("k", "teleport", 1)},
		{"unknown ownership", mv("k", mallsync.MoveReceipt, 1, owned("borrowed", ""))},
		{"no SKU", mv("k", mallsync.MoveReceipt, 1, sku(""))},
		{"no location", mv("k", mallsync.MoveReceipt, 1, at(""))},
		{"negative receipt", mv("k", mallsync.MoveReceipt, -1)},
		{"positive issue", mv("k", mallsync.MoveIssue, 1)},
		{"negative reserve", mv("k", mallsync.MoveReserve, -1)},
		{"positive release", mv("k", mallsync.MoveRelease, 1)},
		{"positive return to supplier", mv("k", mallsync.MoveReturnToSupplier, 2)},
		{"zero adjust", mv("k", mallsync.MoveAdjust, 0)},
		{"reversal of a receipt adding stock", mv("k", mallsync.MoveReceipt, 1, func(m *mallsync.Movement) { m.Reverses = "r" })},
		{"huge quantity", mv("k", mallsync.MoveReceipt, 1<<40)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// a valid movement beside it is not recorded either
			_, err := l.RecordMovements(context.Background(), b.mall, []mallsync.Movement{mv("ok", mallsync.MoveReceipt, 1), tc.m})
			if mallsync.ErrorCode(err) != mallsync.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
		})
	}
	if n := count(t, b, `SELECT count(*) FROM inventory_movements`); n != 0 {
		t.Fatalf("%d movements recorded from invalid batches", n)
	}
	if _, err := l.RecordMovements(context.Background(), "no-such-mall", []mallsync.Movement{mv("ok", mallsync.MoveReceipt, 1)}); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("unknown mall: err = %v, want ENOTFOUND", err)
	}
}

func TestReverseMovementsTwiceAppendsOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := ledgerOf(b)
	ctx := context.Background()
	record(t, l, b.mall, 5,
		mv("adjust/open", mallsync.MoveAdjust, 5),
		mv("return/C1/receipt/L1", mallsync.MoveReceipt, 2),
		mv("return/C1/quarantine/L2", mallsync.MoveQuarantine, 1, at(mallsync.LocationQuarantine)),
		// another claim whose id starts with the first one's, and a key with LIKE's wildcards
		mv("return/C10/receipt/L3", mallsync.MoveReceipt, 3),
		mv("return/C_%/receipt/L4", mallsync.MoveReceipt, 4),
	)
	later := t0.Add(time.Hour)
	for i, want := range []int{2, 0} {
		n, err := l.ReverseMovements(ctx, b.mall, "return/C1/", "return withdrawn", later)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("reversal %d appended %d movements, want %d", i+1, n, want)
		}
	}
	// "C_%" is a prefix, not a pattern: it matches only itself.
	if n, err := l.ReverseMovements(ctx, b.mall, "return/C_%/", "return withdrawn", time.Time{}); err != nil || n != 1 {
		t.Fatalf("reversing return/C_%%/ = %d, %v; want 1", n, err)
	}
	if _, err := l.ReverseMovements(ctx, b.mall, "", "everything", later); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Fatalf("empty prefix: err = %v, want EINVALID", err)
	}
	want := []mallsync.StockFigure{
		fig("SKU-A", "quarantine", mallsync.OwnDirect, "", 0, 0),
		fig("SKU-A", "warehouse", mallsync.OwnDirect, "", 5+3, 0),
	}
	wantStock(t, want, stock(t, l, b.mall))
	var rev struct {
		Reverses string    `db:"reverses"`
		Quantity int       `db:"quantity"`
		Reason   string    `db:"reason"`
		At       time.Time `db:"at"`
	}
	if err := b.db.Get(&rev, `SELECT reverses, quantity, reason, at FROM inventory_movements WHERE key = 'return/C1/receipt/L1/reversed'`); err != nil {
		t.Fatal(err)
	}
	if rev.Reverses != "return/C1/receipt/L1" || rev.Quantity != -2 || rev.Reason != "return withdrawn" || !rev.At.Equal(later) {
		t.Fatalf("reversal = %+v", rev)
	}
	// A movement a caller reversed under its own key is not reversed again.
	record(t, l, b.mall, 1, mv("undo/C10", mallsync.MoveReceipt, -3, func(m *mallsync.Movement) { m.Reverses = "return/C10/receipt/L3" }))
	if n, err := l.ReverseMovements(ctx, b.mall, "return/C10/", "withdrawn", later); err != nil || n != 0 {
		t.Fatalf("reversing a reversed movement = %d, %v; want 0", n, err)
	}
	// A second reversal of a reversed movement, under another key, is refused.
	_, err := l.RecordMovements(ctx, b.mall, []mallsync.Movement{mv("undo/again", mallsync.MoveReceipt, -2, func(m *mallsync.Movement) { m.Reverses = "return/C1/receipt/L1" })})
	if mallsync.ErrorCode(err) != mallsync.ECONFLICT {
		t.Fatalf("second reversal: err = %v, want ECONFLICT", err)
	}
}

func TestStockByOwnershipAndLocation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := ledgerOf(b)
	log := owned(mallsync.OwnLogistics, "S1")
	record(t, l, b.mall, 9,
		mv("adjust/open/A", mallsync.MoveAdjust, 10),
		mv("adjust/open/A/S1", mallsync.MoveAdjust, 7, log),
		// a reserved line of our own stock, then its issue ends the reservation
		mv("line/L1/reserve", mallsync.MoveReserve, 3, ofLine("L1")),
		mv("line/L2/reserve", mallsync.MoveReserve, 2, ofLine("L2")),
		mv("line/L1/issue", mallsync.MoveIssue, -3, ofLine("L1")),
		// the partner's stock in our warehouse, and what we send back to it
		mv("return/C1/receipt/L9", mallsync.MoveReceipt, 1, log),
		mv("return/C2/quarantine/L8", mallsync.MoveQuarantine, 2, log, at(mallsync.LocationQuarantine)),
		mv("return/C2/rts/L8", mallsync.MoveReturnToSupplier, -2, log, at(mallsync.LocationQuarantine)),
		// an issue for a line that was never reserved moves on-hand only
		mv("reorder/L3/issue", mallsync.MoveIssue, -1, sku("SKU-B"), ofLine("L3")),
	)
	want := []mallsync.StockFigure{
		fig("SKU-A", "quarantine", mallsync.OwnLogistics, "S1", 0, 0),
		fig("SKU-A", "warehouse", mallsync.OwnDirect, "", 10-3, 2),
		fig("SKU-A", "warehouse", mallsync.OwnLogistics, "S1", 7+1, 0),
		fig("SKU-B", "warehouse", mallsync.OwnDirect, "", -1, 0),
	}
	wantStock(t, want, stock(t, l, b.mall))
	if _, err := l.StockByOwnership(context.Background(), "no-such-mall"); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("stock of an unknown mall: err = %v, want ENOTFOUND", err)
	}
}

func TestLedgerIsAppendOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	record(t, ledgerOf(b), b.mall, 1, mv("adjust/open", mallsync.MoveAdjust, 5))
	for _, q := range []string{
		`UPDATE inventory_movements SET quantity = 6`,
		`DELETE FROM inventory_movements`,
		`TRUNCATE inventory_movements`,
	} {
		if _, err := b.db.Exec(q); err == nil {
			t.Errorf("%s: no error", q)
		}
	}
	if n := count(t, b, `SELECT count(*) FROM inventory_movements WHERE quantity = 5`); n != 1 {
		t.Fatalf("%d movements left as recorded, want 1", n)
	}
	// Resetting a dev mall clears its ledger with the rest.
	if err := b.sync.ResetMall(context.Background(), b.mall, "seed 1"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM inventory_movements`); n != 0 {
		t.Fatalf("%d movements left after ResetMall", n)
	}
}
