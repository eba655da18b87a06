package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

// step is one reading of a line: its status and ownership, read later than the step before.
type step struct {
	status mallsync.LineStatus
	own    mallsync.Ownership
}

// move is a recorded movement, as the tests compare it.
type move struct {
	Key       string `db:"key"`
	Kind      string `db:"kind"`
	SKU       string `db:"sku"`
	Ownership string `db:"ownership"`
	Supplier  string `db:"supplier"`
	Quantity  int    `db:"quantity"`
	Reserved  int    `db:"reserved"`
}

func (m move) String() string {
	return fmt.Sprintf("%s %s %s/%s/%s qty %d reserved %d", m.Key, m.Kind, m.SKU, m.Ownership, m.Supplier, m.Quantity, m.Reserved)
}

func movesOf(t *testing.T, b bundle) []move {
	t.Helper()
	var ms []move
	if err := b.db.Select(&ms, `SELECT key, kind, sku, ownership, supplier, quantity, reserved FROM inventory_movements ORDER BY recorded_at, key`); err != nil {
		t.Fatal(err)
	}
	return ms
}

func wantMoves(t *testing.T, want, got []move) {
	t.Helper()
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("movements:\n got %v\nwant %v", got, want)
	}
}

// lineAt is a line of order O1 with quantity 2 of supplier S1, read at the given time.
func lineAt(s step, at time.Time, edit ...func(*mallsync.OrderLine)) mallsync.Order {
	l := line(s.status, "X")
	l.PlatformLineID, l.Quantity, l.SupplierCode, l.Ownership = "O1-01", 2, "S1", s.own
	for _, e := range edit {
		e(&l)
	}
	return order("O1", at, l)
}

func TestSyncRecordsMovementsOfStatusChanges(t *testing.T) {
	t.Parallel()
	const (
		direct, logistics, consignment = mallsync.OwnDirect, mallsync.OwnLogistics, mallsync.OwnConsignment
		sku                            = "P0001000000A"
	)
	reserve := func(own mallsync.Ownership) move {
		return move{"line/O1-01/reserve", "reserve", sku, string(own), "S1", 2, 2}
	}
	release := func(own mallsync.Ownership) move {
		return move{"line/O1-01/release", "release", sku, string(own), "S1", -2, -2}
	}
	issue := func(own mallsync.Ownership, endsReservation bool) move {
		m := move{"line/O1-01/issue", "issue", sku, string(own), "S1", -2, 0}
		if endsReservation {
			m.Reserved = -2
		}
		return m
	}
	for _, tc := range []struct {
		name  string
		steps []step
		want  []move
	}{
		{"direct paid, prepared, shipped, delivered", []step{{"paid", direct}, {"preparing", direct}, {"shipped", direct}, {"delivered", direct}},
			[]move{reserve(direct), issue(direct, true)}},
		{"logistics paid, shipped", []step{{"paid", logistics}, {"shipped", logistics}},
			[]move{reserve(logistics), issue(logistics, true)}},
		{"consignment paid, shipped, delivered", []step{{"paid", consignment}, {"shipped", consignment}, {"delivered", consignment}}, nil},
		{"consignment paid, canceled", []step{{"paid", consignment}, {"canceled", consignment}}, nil},
		{"direct awaiting payment, paid, shipped", []step{{"pending_payment", direct}, {"paid", direct}, {"shipped", direct}},
			[]move{reserve(direct), issue(direct, true)}},
		{"direct paid, canceled", []step{{"paid", direct}, {"canceled", direct}}, []move{reserve(direct), release(direct)}},
		{"logistics preparing, canceled", []step{{"preparing", logistics}, {"canceled", logistics}}, []move{reserve(logistics), release(logistics)}},
		{"direct awaiting payment, canceled", []step{{"pending_payment", direct}, {"canceled", direct}}, nil},
		{"direct awaiting payment, shipped", []step{{"pending_payment", direct}, {"shipped", direct}}, []move{issue(direct, false)}},
		{"direct first seen shipped", []step{{"shipped", direct}}, []move{issue(direct, false)}},
		{"logistics first seen delivered", []step{{"delivered", logistics}}, []move{issue(logistics, false)}},
		{"direct first seen confirmed", []step{{"confirmed", direct}}, []move{issue(direct, false)}},
		{"direct first seen returned", []step{{"returned", direct}}, []move{issue(direct, false)}},
		{"direct first seen exchanged", []step{{"exchanged", direct}}, []move{issue(direct, false)}},
		{"direct first seen canceled", []step{{"canceled", direct}}, nil},
		{"consignment first seen shipped", []step{{"shipped", consignment}}, nil},
		// a return and its withdrawal are the ReturnFlow's: the line going back to delivered issues nothing
		{"direct shipped, returned, delivered again", []step{{"shipped", direct}, {"returned", direct}, {"delivered", direct}},
			[]move{issue(direct, false)}},
		// a canceled line seen paid again is not reserved twice
		{"direct paid, canceled, paid", []step{{"paid", direct}, {"canceled", direct}, {"paid", direct}}, []move{reserve(direct), release(direct)}},
		// what was reserved while the line was ours is released, not issued, when it ships as consignment
		{"direct paid, shipped as consignment", []step{{"paid", direct}, {"shipped", consignment}}, []move{reserve(direct), release(direct)}},
		// the reservation's bucket is the one released or issued
		{"direct paid, shipped as logistics", []step{{"paid", direct}, {"shipped", logistics}}, []move{reserve(direct), issue(direct, true)}},
		{"consignment paid, shipped as direct", []step{{"paid", consignment}, {"shipped", direct}}, []move{issue(direct, false)}},
		// a line dispatched out of our ledger's sight (as consignment) is not issued later
		{"consignment shipped, returned as direct", []step{{"shipped", consignment}, {"returned", direct}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			for i, s := range tc.steps {
				apply(t, b, mallsync.Page{Orders: []mallsync.Order{lineAt(s, t0.Add(time.Duration(i)*time.Hour))}})
			}
			wantMoves(t, tc.want, movesOf(t, b))
		})
	}
}

func TestSyncMovementSKUFallsBack(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := func(id, sku, variant, product string) mallsync.OrderLine {
		x := line(mallsync.LinePaid, "N10")
		x.PlatformLineID, x.SKU, x.VariantCode, x.ProductCode = id, sku, variant, product
		return x
	}
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{order("O1", t0,
		l("L1", "SKU1", "V1", "P1"), l("L2", "", "V2", "P2"), l("L3", "", "", "P3"), l("L4", "", "", ""))}})
	var got []string
	if err := b.db.Select(&got, `SELECT platform_line_id || '=' || sku FROM inventory_movements ORDER BY platform_line_id`); err != nil {
		t.Fatal(err)
	}
	// a line with nothing to count stock by records nothing
	if want := "L1=SKU1 L2=V2 L3=P3"; strings.Join(got, " ") != want {
		t.Fatalf("movement SKUs = %v, want %s", got, want)
	}
}

func TestSyncMovementsAreIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	page := mallsync.Page{Orders: []mallsync.Order{
		order("O1", t0, line(mallsync.LinePaid, "N10"), line(mallsync.LineShipped, "N30")),
		order("O2", t0, line(mallsync.LinePreparing, "N20")),
	}}
	apply(t, b, page)
	first := movesOf(t, b)
	if len(first) != 3 {
		t.Fatalf("first apply recorded %v, want 3 movements", first)
	}
	apply(t, b, page)
	wantMoves(t, first, movesOf(t, b))

	// O2's line ships; a late copy of its older state (preparing, then canceled) arrives after:
	// it is not applied and records nothing.
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{order("O2", t2, line(mallsync.LineShipped, "N30"))}})
	shipped := movesOf(t, b)
	if len(shipped) != 4 || shipped[3].Kind != "issue" || shipped[3].Reserved != -1 {
		t.Fatalf("after O2 shipped: %v, want its issue ending the reservation", shipped)
	}
	for _, s := range []mallsync.LineStatus{mallsync.LinePreparing, mallsync.LineCanceled} {
		res := apply(t, b, mallsync.Page{Orders: []mallsync.Order{order("O2", t1, line(s, "N"+string(s)))}})
		if res.Stale != 1 {
			t.Fatalf("late %s: %+v, want 1 stale line", s, res)
		}
	}
	wantMoves(t, shipped, movesOf(t, b))
}

func TestSyncMovementsShareThePageTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	cur, err := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders)
	if err != nil {
		t.Fatal(err)
	}
	page := mallsync.Page{Orders: []mallsync.Order{order("O1", t0, line(mallsync.LinePaid, "N10"))}}
	// A page whose cursor moved on keeps nothing, its movements included.
	stale := cur
	stale.Seq++
	if _, err := b.sync.ApplyPage(ctx, b.mall, mallsync.StreamOrders, page, stale, "next"); mallsync.ErrorCode(err) != mallsync.ECONFLICT {
		t.Fatalf("err = %v, want ECONFLICT", err)
	}
	staged, err := b.sync.StagePage(ctx, b.mall, mallsync.StreamOrders, page)
	if err != nil {
		t.Fatal(err)
	}
	staged.Abort()
	if n := count(t, b, `SELECT count(*) FROM inventory_movements`); n != 0 {
		t.Fatalf("%d movements kept from pages that were not committed", n)
	}
	if _, err := b.sync.ApplyPage(ctx, b.mall, mallsync.StreamOrders, page, cur, "next"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM inventory_movements`); n != 1 {
		t.Fatalf("%d movements after the page committed, want 1", n)
	}
}

// A scripted day of one mall: stock per SKU and ownership equals what the movements say.
func TestStockAfterSyncAndReturns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := ledgerOf(b)
	ctx := context.Background()
	ln := func(id string, s mallsync.LineStatus, sku string, qty int, own mallsync.Ownership, supplier string) mallsync.OrderLine {
		x := line(s, "X")
		x.PlatformLineID, x.SKU, x.Quantity, x.Ownership, x.SupplierCode = id, sku, qty, own, supplier
		return x
	}
	const a, c = "SKU-A", "SKU-C"
	direct, logistics, consignment := mallsync.OwnDirect, mallsync.OwnLogistics, mallsync.OwnConsignment
	record(t, l, b.mall, 3,
		mv("adjust/open/A", mallsync.MoveAdjust, 20, sku(a)),
		mv("adjust/open/A/P1", mallsync.MoveAdjust, 10, sku(a), owned(logistics, "P1")),
		mv("adjust/open/C", mallsync.MoveAdjust, 5, sku(c)))
	day := []mallsync.Page{
		{Orders: []mallsync.Order{
			order("O1", t0, ln("O1-1", "paid", a, 3, direct, ""), ln("O1-2", "paid", a, 2, logistics, "P1")),
			order("O2", t0, ln("O2-1", "preparing", a, 1, direct, ""), ln("O2-2", "paid", "SKU-Z", 4, consignment, "P2")),
			order("O3", t0, ln("O3-1", "pending_payment", c, 1, direct, "")),
		}},
		{Orders: []mallsync.Order{
			order("O1", t0.Add(time.Hour), ln("O1-1", "shipped", a, 3, direct, ""), ln("O1-2", "preparing", a, 2, logistics, "P1")),
			order("O2", t0.Add(time.Hour), ln("O2-1", "canceled", a, 1, direct, ""), ln("O2-2", "shipped", "SKU-Z", 4, consignment, "P2")),
			order("O3", t0.Add(time.Hour), ln("O3-1", "paid", c, 1, direct, "")),
			// an order first seen delivered, from before the ledger
			order("O4", t0.Add(time.Hour), ln("O4-1", "delivered", c, 2, direct, "")),
		}},
		{Orders: []mallsync.Order{
			order("O1", t0.Add(2*time.Hour), ln("O1-1", "delivered", a, 3, direct, ""), ln("O1-2", "shipped", a, 2, logistics, "P1")),
		}},
	}
	for _, p := range day {
		apply(t, b, p)
		apply(t, b, p) // every page twice
	}
	// O1-1 comes back: the ReturnFlow receives 1 into stock and 2 into quarantine, then the
	// buyer withdraws the quarantined part.
	record(t, l, b.mall, 2,
		mv("return/R1/receipt/O1-1", mallsync.MoveReceipt, 1, sku(a)),
		mv("return/R1/quarantine/O1-1", mallsync.MoveQuarantine, 2, sku(a), at(mallsync.LocationQuarantine)))
	if n, err := l.ReverseMovements(ctx, b.mall, "return/R1/quarantine/", "withdrawn", t0.Add(3*time.Hour)); err != nil || n != 1 {
		t.Fatalf("reversing the quarantine = %d, %v", n, err)
	}
	want := []mallsync.StockFigure{
		fig(a, "quarantine", direct, "", 0, 0),
		fig(a, "warehouse", direct, "", 20-3+1, 0),    // O1-1 issued and 1 returned; O2-1 reserved and released
		fig(a, "warehouse", logistics, "P1", 10-2, 0), // O1-2 reserved, then issued
		fig(c, "warehouse", direct, "", 5-2, 1),       // O3-1 reserved; O4-1 issued without a reservation
	}
	wantStock(t, want, stock(t, l, b.mall))
}
