package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

type bundle struct {
	db    *sqlx.DB
	malls *postgres.MallStore
	sync  *postgres.SyncStore
	mall  mallsync.MallKey
}

func setup(t testing.TB) bundle {
	t.Helper()
	db := pgtest.DB(t)
	malls := postgres.NewMallStore(db)
	m := mallsync.Mall{Key: "shop-a", Name: "가게 A", Platform: mallsync.PlatformCafe24,
		Account: mallsync.Account{MallID: "shopa", ShopNo: 1}, CredentialsRef: "shop-a"}
	if err := malls.PutMall(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	return bundle{db: db, malls: malls, sync: postgres.NewSyncStore(db, malls), mall: m.Key}
}

var t0 = time.Date(2026, 7, 1, 1, 0, 0, 0, time.UTC)

func order(id string, changed time.Time, lines ...mallsync.OrderLine) mallsync.Order {
	for i := range lines {
		if lines[i].PlatformLineID == "" {
			lines[i].PlatformLineID = fmt.Sprintf("%s-%02d", id, i+1)
		}
		if lines[i].ChangedAt.IsZero() {
			lines[i].ChangedAt = changed
		}
		if lines[i].Ownership == "" {
			lines[i].Ownership = mallsync.OwnDirect
		}
		if lines[i].Quantity == 0 {
			lines[i].Quantity = 1
		}
	}
	raw, _ := json.Marshal(map[string]any{"order_id": id, "changed": changed})
	return mallsync.Order{PlatformOrderID: id, OrderedAt: t0, ChangedAt: changed, PaymentAmount: 30000,
		Buyer: mallsync.Person{Name: "김철수", Cellphone: "010-1234-5678"}, Raw: raw, Lines: lines}
}

func line(status mallsync.LineStatus, code string) mallsync.OrderLine {
	return mallsync.OrderLine{Status: status, PlatformStatus: code, PaymentAmount: 15000, SKU: "P0001000000A"}
}

func apply(t *testing.T, b bundle, page mallsync.Page) mallsync.Applied {
	t.Helper()
	ctx := context.Background()
	cur, err := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.sync.ApplyPage(ctx, b.mall, mallsync.StreamOrders, page, cur, fmt.Sprintf("c%d", cur.Seq+1))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

type lineState struct {
	Status, PlatformStatus string
	Quantity               int
	Payment                int64 `db:"payment_amount"`
}

func lineOf(t *testing.T, b bundle, id string) lineState {
	t.Helper()
	var s lineState
	if err := b.db.QueryRowx(`SELECT status, platform_status, quantity, payment_amount FROM order_lines WHERE platform_line_id = $1`, id).
		Scan(&s.Status, &s.PlatformStatus, &s.Quantity, &s.Payment); err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t *testing.T, b bundle, q string, args ...any) int {
	t.Helper()
	var n int
	if err := b.db.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApplyPageIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	page := mallsync.Page{Orders: []mallsync.Order{
		order("20260701-0000001", t0, line(mallsync.LinePaid, "N10"), line(mallsync.LinePaid, "N10")),
		order("20260701-0000002", t0, line(mallsync.LinePendingPayment, "N00")),
	}}
	first := apply(t, b, page)
	if first.Orders != 2 || first.Lines != 3 || first.Events != 3 || first.Cursor.Seq != 1 {
		t.Fatalf("first apply = %+v", first)
	}
	second := apply(t, b, page)
	if second.Events != 0 || second.Stale != 0 || second.Cursor.Seq != 2 {
		t.Fatalf("second apply = %+v", second)
	}
	if n := count(t, b, `SELECT count(*) FROM order_lines`); n != 3 {
		t.Fatalf("lines = %d, want 3", n)
	}
	if n := count(t, b, `SELECT count(*) FROM line_status_events`); n != 3 {
		t.Fatalf("events = %d, want 3", n)
	}
}

func TestApplyPageNeverMovesBackwards(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := "20260701-0000001"
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{order(id, t0, line(mallsync.LinePaid, "N10"))}})
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{order(id, t2, line(mallsync.LineShipped, "N30"))}})
	// A late copy of an older state arrives: recorded, not applied.
	res := apply(t, b, mallsync.Page{Orders: []mallsync.Order{order(id, t1, line(mallsync.LinePreparing, "N20"))}})
	if res.Stale != 1 || res.Events != 1 {
		t.Fatalf("stale apply = %+v, want 1 stale line and 1 event", res)
	}
	if got := lineOf(t, b, id+"-01"); got.Status != "shipped" || got.PlatformStatus != "N30" {
		t.Fatalf("line = %+v, want shipped/N30", got)
	}
	var events []struct {
		From    *string `db:"from_status"`
		To      string  `db:"to_status"`
		Applied bool    `db:"applied"`
	}
	if err := b.db.Select(&events, `SELECT from_status, to_status, applied FROM line_status_events ORDER BY seen_at`); err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 || !events[0].Applied || events[0].From != nil || !events[1].Applied || *events[1].From != "paid" ||
		events[2].Applied || events[2].To != "preparing" || *events[2].From != "shipped" {
		t.Fatalf("events = %+v", events)
	}
	// Same time as stored, newer status: applied (a tie is not older).
	apply(t, b, mallsync.Page{Orders: []mallsync.Order{order(id, t2, line(mallsync.LineDelivered, "N40"))}})
	if got := lineOf(t, b, id+"-01"); got.Status != "delivered" {
		t.Fatalf("line after tie = %+v", got)
	}
	// Orders follow the same rule.
	var ch time.Time
	if err := b.db.Get(&ch, `SELECT changed_at FROM orders WHERE platform_order_id = $1`, id); err != nil || !ch.Equal(t2) {
		t.Fatalf("order changed_at = %v, %v; want %v", ch, err, t2)
	}
}

// A line's first event is kept on the line, the changes after it in line_status_changes: an
// event that repeats the first one (same change time and platform code) is not recorded
// again, whichever way it comes back.
func TestFirstEventIsNotRecordedTwice(t *testing.T) {
	t.Parallel()
	id := "20260701-0000001"
	t2 := t0.Add(2 * time.Hour)
	for _, tc := range []struct {
		name       string
		pages      []mallsync.Order
		stale      int
		wantEvents int
	}{
		{"a late copy of the first sighting", []mallsync.Order{
			order(id, t0, line(mallsync.LinePaid, "N10")), order(id, t2, line(mallsync.LineShipped, "N30")),
			order(id, t0, line(mallsync.LinePaid, "N10"))}, 1, 2},
		{"the first sighting's time and code with another status", []mallsync.Order{
			order(id, t0, line(mallsync.LinePaid, "N10")), order(id, t0, line(mallsync.LinePreparing, "N10"))}, 0, 1},
		{"a change at the first sighting's time with another code", []mallsync.Order{
			order(id, t0, line(mallsync.LinePaid, "N10")), order(id, t0, line(mallsync.LinePreparing, "N20"))}, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			var last mallsync.Applied
			for _, o := range tc.pages {
				last = apply(t, b, mallsync.Page{Orders: []mallsync.Order{o}})
			}
			if last.Stale != tc.stale {
				t.Errorf("last page: %d stale, want %d", last.Stale, tc.stale)
			}
			if n := count(t, b, `SELECT count(*) FROM line_status_events`); n != tc.wantEvents {
				t.Errorf("%d events in the line's history, want %d", n, tc.wantEvents)
			}
		})
	}
}

func TestApplyPageCursorAndDataAreAtomic(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	page := mallsync.Page{Orders: []mallsync.Order{order("20260701-0000001", t0, line(mallsync.LinePaid, "N10"))}}
	if cur, err := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders); err != nil || cur != (mallsync.Cursor{}) {
		t.Fatalf("first cursor = %+v, %v", cur, err)
	}
	if _, err := b.sync.ApplyPage(ctx, b.mall, mallsync.StreamOrders, page, mallsync.Cursor{}, "a"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		page mallsync.Page
		from mallsync.Cursor
		code string
	}{
		{"stale cursor", mallsync.Page{Orders: []mallsync.Order{order("20260701-0000009", t0, line(mallsync.LinePaid, "N10"))}},
			mallsync.Cursor{Value: "", Seq: 0}, mallsync.ECONFLICT},
		{"refused row rolls back the whole page", mallsync.Page{Orders: []mallsync.Order{
			order("20260701-0000008", t0, line(mallsync.LinePaid, "N10")),
			order("20260701-0000009", t0, line("lost", "N??")),
		}}, mallsync.Cursor{Value: "a", Seq: 1}, mallsync.EINVALID},
	}
	for _, tt := range tests {
		_, err := b.sync.ApplyPage(ctx, b.mall, mallsync.StreamOrders, tt.page, tt.from, "b")
		if mallsync.ErrorCode(err) != tt.code {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
		}
	}
	cur, err := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders)
	if err != nil || cur != (mallsync.Cursor{Value: "a", Seq: 1}) {
		t.Fatalf("cursor = %+v, %v", cur, err)
	}
	if n := count(t, b, `SELECT count(*) FROM orders`); n != 1 {
		t.Fatalf("orders = %d, want 1 (failed pages must write nothing)", n)
	}
}

func TestApplyPageQuarantinesAndDedupes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	o := order("20260701-0000001", t0, line(mallsync.LinePaid, "N10"))
	newer := order("20260701-0000001", t0.Add(time.Minute), line(mallsync.LinePreparing, "N20"))
	reject := mallsync.Reject{Resource: "order", PlatformID: "20260701-0000002", Reason: `unknown cafe24 status code "Z99"`, Raw: json.RawMessage(`{"order_id":"20260701-0000002"}`)}
	res := apply(t, b, mallsync.Page{Orders: []mallsync.Order{o, newer}, Rejects: []mallsync.Reject{reject, reject}})
	if res.Orders != 1 || res.Lines != 1 || res.Quarantined != 2 {
		t.Fatalf("apply = %+v", res)
	}
	if got := lineOf(t, b, "20260701-0000001-01"); got.Status != "preparing" {
		t.Fatalf("duplicate kept the older copy: %+v", got)
	}
	apply(t, b, mallsync.Page{Rejects: []mallsync.Reject{reject}})
	var q struct {
		Reason string `db:"reason"`
		Seen   int    `db:"seen_count"`
		Raw    string `db:"raw"`
	}
	if err := b.db.Get(&q, `SELECT reason, seen_count, raw FROM quarantine`); err != nil {
		t.Fatal(err)
	}
	if q.Seen != 2 || q.Reason != reject.Reason || q.Raw != string(reject.Raw) {
		t.Fatalf("quarantine = %+v", q)
	}
}

func TestRecordSyncRun(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	end := t0.Add(time.Minute)
	if err := b.sync.RecordSyncRun(ctx, b.mall, mallsync.StreamOrders, mallsync.SyncRun{Pages: 2, Lines: 10, APICalls: 3, CaughtUp: true, EndedAt: end}); err != nil {
		t.Fatal(err)
	}
	if err := b.sync.RecordSyncRun(ctx, b.mall, mallsync.StreamOrders, mallsync.SyncRun{Pages: 1, Err: "EUNAVAILABLE: 503", EndedAt: end.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	var h struct {
		Runs, Pages, Lines int
		Err                string
		Success            time.Time
	}
	if err := b.db.QueryRow(`SELECT runs, pages, lines, last_error, last_success_at FROM sync_cursors`).Scan(&h.Runs, &h.Pages, &h.Lines, &h.Err, &h.Success); err != nil {
		t.Fatal(err)
	}
	if h.Runs != 2 || h.Pages != 3 || h.Lines != 10 || h.Err != "EUNAVAILABLE: 503" || !h.Success.Equal(end) {
		t.Fatalf("health = %+v", h)
	}
}

func TestMigrationsAreReversible(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	exists := func(table string) bool {
		return count(t, b, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`, table) != 0
	}
	fkeys := func() int {
		return count(t, b, `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
			AND conrelid::regclass::text IN ('orders', 'shipments', 'claims', 'refunds', 'outbox')`)
	}
	if n := fkeys(); n != 0 {
		t.Fatalf("%d foreign keys on the synced tables, want none (00012)", n)
	}
	// 00014 moves a line's first event onto the line; down and up again, the history survives
	// each way, and line_status_events reads the same.
	if _, err := b.db.Exec(`WITH l AS (
			INSERT INTO order_lines (mall_id, platform_order_id, platform_line_id, quantity, status, platform_status, ownership,
				changed_at, first_status, first_platform_code, first_changed_at, first_seen_at)
			VALUES (1, 'O-1', 'O-1-01', 1, 'shipped', 'N30', 'direct', '2026-07-02Z', 'paid', 'N10', '2026-07-01Z', '2026-07-03Z')
			RETURNING id)
		INSERT INTO line_status_changes (line_id, changed_at, platform_code, from_status, to_status, applied)
		SELECT id, '2026-07-02Z', 'N30', 'paid', 'shipped', true FROM l`); err != nil {
		t.Fatal(err)
	}
	history := func() string {
		var h string
		if err := b.db.QueryRow(`SELECT string_agg(concat_ws('/', from_status, to_status, platform_code,
				to_char(changed_at AT TIME ZONE 'UTC', 'MM-DD'), applied), ' ' ORDER BY changed_at) FROM line_status_events`).Scan(&h); err != nil {
			t.Fatalf("reading line_status_events: %v", err)
		}
		return h
	}
	const wantHistory = "paid/N10/07-01/t paid/shipped/N30/07-02/t"
	if h := history(); h != wantHistory {
		t.Fatalf("history = %q, want %q", h, wantHistory)
	}
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if h := history(); h != wantHistory || !exists("line_status_events") || exists("line_status_changes") {
		t.Fatalf("after migrating 00014 down: history = %q, want %q, in the table line_status_events", h, wantHistory)
	}
	// A line without a recorded first event starts its history from its present state.
	if _, err := b.db.Exec(`INSERT INTO order_lines (mall_id, platform_order_id, platform_line_id, quantity, status,
			platform_status, ownership, changed_at, updated_at)
		VALUES (1, 'O-2', 'O-2-01', 1, 'preparing', 'N20', 'direct', '2026-07-04Z', '2026-07-05Z')`); err != nil {
		t.Fatal(err)
	}
	if err := postgres.MigrateUp(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	const upHistory = wantHistory + " preparing/N20/07-04/t"
	if h, n := history(), count(t, b, `SELECT count(*) FROM line_status_changes`); h != upHistory || n != 1 {
		t.Fatalf("after migrating 00014 up again: history = %q, want %q; %d rows in line_status_changes, want 1", h, upHistory, n)
	}
	if n := count(t, b, `SELECT count(*) FROM line_status_events WHERE seen_at = '2026-07-05Z'`); n != 1 {
		t.Fatalf("the line without a first event: %d events seen when it was last updated, want 1", n)
	}
	if _, err := b.db.Exec(`DELETE FROM line_status_changes; DELETE FROM order_lines`); err != nil {
		t.Fatal(err)
	}
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	// 00013 moves a parcel's lines onto the parcel; down and up again, they survive each way.
	if _, err := b.db.Exec(`INSERT INTO shipments (mall_id, platform_shipment_id, platform_order_id, kind, changed_at, line_ids)
		VALUES (1, 'D-1', 'O-1', 'forward', now(), '{O-1-02,O-1-01}'), (1, 'D-2', 'O-2', 'forward', now(), '{}')`); err != nil {
		t.Fatal(err)
	}
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM shipment_lines WHERE platform_shipment_id = 'D-1'`); n != 2 ||
		count(t, b, `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'shipments' AND column_name = 'line_ids'`) != 0 {
		t.Fatalf("after migrating 00013 down: %d lines of D-1 in shipment_lines, want 2, and no line_ids column", n)
	}
	if err := postgres.MigrateUp(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	lines := func(id string) string {
		var got string
		if err := b.db.QueryRow(`SELECT array_to_string(line_ids, ',') FROM shipments WHERE platform_shipment_id = $1`, id).Scan(&got); err != nil {
			t.Fatalf("reading the lines of %s: %v", id, err)
		}
		return got
	}
	if d1, d2 := lines("D-1"), lines("D-2"); d1 != "O-1-01,O-1-02" || d2 != "" || exists("shipment_lines") {
		t.Fatalf("after migrating 00013 up again: D-1 has %q, D-2 %q, want O-1-01,O-1-02 and none; shipment_lines kept = %v", d1, d2, exists("shipment_lines"))
	}
	if _, err := b.db.Exec(`DELETE FROM shipments`); err != nil {
		t.Fatal(err)
	}
	for range 2 { // MigrateUp went to the newest: down 00014 again, then 00013
		if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
			t.Fatal(err)
		}
	}
	// 00012 drops the synced tables' keys to malls; the step down puts them back.
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if n := fkeys(); n != 5 || !exists("order_notes") {
		t.Fatalf("after migrating 00012 down: %d foreign keys, want 5; order_notes kept = %v", n, exists("order_notes"))
	}
	// 00011 adds the order notes; the step down drops them and nothing else.
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if exists("order_notes") || !exists("users") {
		t.Fatalf("after migrating 00011 down: order_notes kept = %v, users kept = %v", exists("order_notes"), exists("users"))
	}
	// 00010 adds the order search's indexes and phone_digits; the step down drops them and
	// nothing else (pg_trgm stays: other schemas of the database may use it).
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN
		('orders_platform_order_id', 'orders_buyer_phone_last4', 'order_lines_product_trgm')`); n != 0 || !exists("users") {
		t.Fatalf("after migrating 00010 down: search indexes = %d, users kept = %v", n, exists("users"))
	}
	if n := count(t, b, `SELECT count(*) FROM pg_proc WHERE proname = 'phone_digits' AND pronamespace = current_schema()::regnamespace`); n != 0 {
		t.Fatalf("phone_digits survived migrating 00010 down")
	}
	// 00009 adds users, sessions, API tokens and the audit log (with its trigger function);
	// the step down drops them and nothing else.
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"users", "sessions", "api_tokens", "audit_log"} {
		if exists(gone) {
			t.Fatalf("%s survived migrating 00009 down", gone)
		}
	}
	if n := count(t, b, `SELECT count(*) FROM pg_proc WHERE proname = 'audit_log_append_only' AND pronamespace = current_schema()::regnamespace`); n != 0 || !exists("reorders") {
		t.Fatalf("after migrating 00009 down: trigger functions = %d, reorders kept = %v", n, exists("reorders"))
	}
	// 00008 adds the reorders table; the step down drops it and nothing else.
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if exists("reorders") || !exists("shipments") || count(t, b, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'outbox_key'`) != 1 {
		t.Fatalf("after migrating 00008 down: reorders kept = %v, shipments kept = %v", exists("reorders"), exists("shipments"))
	}
	// 00007 adds the outbox's key index; the step down drops it and nothing else.
	if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'outbox_key'`); n != 0 || !exists("outbox") {
		t.Fatalf("after migrating 00007 down: outbox_key indexes = %d, outbox kept = %v", n, exists("outbox"))
	}
	// Each step down removes the newest migration's tables, and only those.
	steps := []struct {
		gone []string
		kept string
	}{
		{[]string{"tasks", "task_memos", "notifications"}, "inventory_movements"},
		{[]string{"inventory_movements"}, "sim_data_sets"},
		{[]string{"sim_data_sets"}, "oauth_states"},
		{[]string{"oauth_states"}, "claims"},
		{[]string{"claims"}, "order_lines"},
		{[]string{"order_lines"}, ""},
	}
	for _, step := range steps {
		if err := postgres.MigrateDown(ctx, b.db.DB); err != nil {
			t.Fatal(err)
		}
		for _, gone := range step.gone {
			if exists(gone) {
				t.Fatalf("%s survived migrating down", gone)
			}
		}
		if step.kept != "" && !exists(step.kept) {
			t.Fatalf("%s went with the newer migration", step.kept)
		}
		if n := count(t, b, `SELECT count(*) FROM pg_proc WHERE proname = 'inventory_movements_append_only' AND pronamespace = current_schema()::regnamespace`); n != 0 && !exists("inventory_movements") {
			t.Fatalf("the ledger's trigger function survived migrating its table down")
		}
	}
	if err := postgres.MigrateUp(ctx, b.db.DB); err != nil {
		t.Fatal(err)
	}
	if !exists("users") || !exists("audit_log") || !exists("tasks") || !exists("inventory_movements") || !exists("sim_data_sets") || !exists("oauth_states") || !exists("claims") || !exists("order_lines") {
		t.Fatal("migrating up again did not restore the tables")
	}
}

// A page staged while the one before it is still being written commits after it, in cursor
// order; a page whose cursor moved on keeps nothing.
func TestStagedPagesCommitInOrder(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	cur, err := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders)
	if err != nil {
		t.Fatal(err)
	}
	p1 := mallsync.Page{Orders: []mallsync.Order{order("20260701-0000001", t0, line(mallsync.LinePaid, "N10"))}}
	p2 := mallsync.Page{Orders: []mallsync.Order{order("20260701-0000002", t0, line(mallsync.LinePaid, "N10"))}}
	s1, err := b.sync.StagePage(ctx, b.mall, mallsync.StreamOrders, p1)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := b.sync.StagePage(ctx, b.mall, mallsync.StreamOrders, p2)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM orders`); n != 0 {
		t.Fatalf("staged pages visible before commit: %d orders", n)
	}
	r1, err := s1.Commit(ctx, cur, "1")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := s2.Commit(ctx, r1.Cursor, "2")
	if err != nil || r2.Cursor != (mallsync.Cursor{Value: "2", Seq: 2}) {
		t.Fatalf("second commit = %+v, %v", r2, err)
	}
	// Staged from a cursor that is no longer current: refused, nothing kept.
	p3 := mallsync.Page{Orders: []mallsync.Order{order("20260701-0000003", t0, line(mallsync.LinePaid, "N10"))}}
	s3, err := b.sync.StagePage(ctx, b.mall, mallsync.StreamOrders, p3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3.Commit(ctx, r1.Cursor, "3"); mallsync.ErrorCode(err) != mallsync.ECONFLICT {
		t.Fatalf("stale commit: %v", err)
	}
	// An aborted page keeps nothing either.
	s4, err := b.sync.StagePage(ctx, b.mall, mallsync.StreamOrders, p3)
	if err != nil {
		t.Fatal(err)
	}
	s4.Abort()
	if n := count(t, b, `SELECT count(*) FROM orders`); n != 2 {
		t.Fatalf("orders = %d, want 2", n)
	}
}
