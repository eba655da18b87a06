package postgres_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

func pendingEvents(t *testing.T, o *postgres.Outbox) ([]mallsync.OutboxMessage, []mallsync.ClaimEvent) {
	t.Helper()
	msgs, err := o.PendingOutbox(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	evs := make([]mallsync.ClaimEvent, len(msgs))
	for i, m := range msgs {
		if err := json.Unmarshal(m.Payload, &evs[i]); err != nil {
			t.Fatalf("outbox payload %s: %v", m.Payload, err)
		}
	}
	return msgs, evs
}

// A return or exchange that is new or changed status gets an outbox row with its page; a
// cancel, a repeat, a stale copy and a change of nothing but time do not.
func TestClaimChangesWriteOutboxRows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	o := postgres.NewOutbox(b.db)
	cancel := claim("C20260702-0000001", "requested", "C00", t0, "20260701-0000001-02")
	cancel.Kind = mallsync.ClaimCancel
	exch := claim("E20260702-0000001", "requested", "E00", t0, "20260701-0000001-02")
	exch.Kind = mallsync.ClaimExchange
	steps := []struct {
		name   string
		claims []mallsync.Claim
		want   []string // keys of the pending rows after the step
	}{
		{"new return, exchange and cancel", []mallsync.Claim{
			claim("R20260702-0000001", "requested", "R00", t0, "20260701-0000001-01"), exch, cancel},
			[]string{"R20260702-0000001/R00/2026-07-01T01:00:00.000000Z", "E20260702-0000001/E00/2026-07-01T01:00:00.000000Z"}},
		{"the same page again", []mallsync.Claim{
			claim("R20260702-0000001", "requested", "R00", t0, "20260701-0000001-01"), exch, cancel}, nil},
		{"a later copy with the same status", []mallsync.Claim{
			claim("R20260702-0000001", "requested", "R00", t0.Add(time.Minute), "20260701-0000001-01")}, nil},
		{"the return is collected", []mallsync.Claim{
			claim("R20260702-0000001", "collected", "R30", t0.Add(time.Hour), "20260701-0000001-01")},
			[]string{"R20260702-0000001/R30/2026-07-01T02:00:00.000000Z"}},
		{"a stale copy arrives", []mallsync.Claim{
			claim("R20260702-0000001", "accepted", "R10", t0.Add(30*time.Minute), "20260701-0000001-01")}, nil},
	}
	for _, st := range steps {
		apply(t, b, mallsync.Page{Claims: st.claims})
		msgs, _ := pendingEvents(t, o)
		var keys []string
		var ids []int64
		for _, m := range msgs {
			keys = append(keys, m.Key)
			ids = append(ids, m.ID)
			if m.Kind != "claim_event" || m.Mall != b.mall {
				t.Errorf("%s: row %+v", st.name, m)
			}
		}
		if !slices.Equal(keys, st.want) {
			t.Errorf("%s: pending outbox keys = %q, want %q", st.name, keys, st.want)
		}
		if err := o.MarkOutboxSent(context.Background(), ids); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, b, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); n != 0 {
		t.Errorf("%d rows unsent after marking", n)
	}
	if n := count(t, b, `SELECT count(*) FROM outbox`); n != 3 {
		t.Errorf("outbox rows = %d, want 3", n)
	}
}

// The payload is the mallsync.ClaimEvent the ReturnFlow takes, its EventID the row's key.
func TestOutboxPayloadIsAClaimEvent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	changed := time.Date(2026, 7, 2, 3, 4, 5, 123456000, time.UTC)
	apply(t, b, mallsync.Page{Claims: []mallsync.Claim{claim("R20260702-0000009", "collecting", "R20", changed, "20260701-0000001-01")}})
	msgs, evs := pendingEvents(t, postgres.NewOutbox(b.db))
	if len(msgs) != 1 {
		t.Fatalf("pending = %+v", msgs)
	}
	want := mallsync.ClaimEvent{EventID: msgs[0].Key, Mall: b.mall, ClaimID: "R20260702-0000009", PlatformOrderID: "20260701-0000001",
		Kind: mallsync.ClaimReturn, Status: mallsync.ClaimCollecting, PlatformStatus: "R20", ChangedAt: changed}
	if got := evs[0]; got != want || !got.ChangedAt.Equal(changed) {
		t.Errorf("event = %+v, want %+v", got, want)
	}
}

// The outbox row commits or aborts with the claim: it is written in the page's transaction.
func TestOutboxRowSharesThePageTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	page := mallsync.Page{Claims: []mallsync.Claim{claim("R20260702-0000002", "requested", "R00", t0, "20260701-0000001-01")}}
	staged, err := b.sync.StagePage(ctx, b.mall, mallsync.StreamOrders, page)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM outbox`); n != 0 {
		t.Errorf("an uncommitted page's outbox row is visible: %d", n)
	}
	staged.Abort()
	if n := count(t, b, `SELECT count(*) FROM outbox`) + count(t, b, `SELECT count(*) FROM claims`); n != 0 {
		t.Errorf("an aborted page left %d claim or outbox rows", n)
	}
	cur, _ := b.sync.Cursor(ctx, b.mall, mallsync.StreamOrders)
	staged, err = b.sync.StagePage(ctx, b.mall, mallsync.StreamOrders, page)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := staged.Commit(ctx, cur, "c1"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, `SELECT count(*) FROM outbox`); n != 1 {
		t.Errorf("outbox rows after commit = %d, want 1", n)
	}
}

func TestPendingOutboxOrderAndLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	o := postgres.NewOutbox(b.db)
	for i, id := range []string{"R1", "R2", "R3"} {
		apply(t, b, mallsync.Page{Claims: []mallsync.Claim{claim(id, "requested", "R00", t0.Add(time.Duration(i)*time.Minute), "L-"+id)}})
	}
	if n, err := o.PendingCount(ctx); err != nil || n != 3 {
		t.Fatalf("pending count = %d, %v; want 3", n, err)
	}
	first, err := o.PendingOutbox(ctx, 2)
	if err != nil || len(first) != 2 || first[0].ID >= first[1].ID {
		t.Fatalf("first two = %+v, %v", first, err)
	}
	if err := o.MarkOutboxSent(ctx, []int64{first[0].ID, first[1].ID}); err != nil {
		t.Fatal(err)
	}
	rest, err := o.PendingOutbox(ctx, 2)
	if err != nil || len(rest) != 1 || rest[0].ID <= first[1].ID {
		t.Fatalf("rest = %+v, %v", rest, err)
	}
	if n, err := o.PendingCount(ctx); err != nil || n != 1 {
		t.Fatalf("pending count after marking two = %d, %v; want 1", n, err)
	}
	if _, err := o.PendingOutbox(ctx, 0); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Errorf("limit 0: err = %v, want EINVALID", err)
	}
}

func TestClaimReader(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	l1, l2 := line(mallsync.LineDelivered, "N40"), line(mallsync.LineDelivered, "N40")
	l1.SupplierCode, l1.Ownership = "S0000001", mallsync.OwnLogistics
	apply(t, b, mallsync.Page{
		Orders: []mallsync.Order{order("20260701-0000001", t0, l1, l2)},
		Claims: []mallsync.Claim{claim("R20260702-0000001", "collected", "R30", t0, "20260701-0000001-01")},
	})
	r := postgres.NewClaimReader(b.db, b.malls)
	c, err := r.Claim(ctx, b.mall, "R20260702-0000001")
	if err != nil || c.Kind != mallsync.ClaimReturn || c.Status != mallsync.ClaimCollected || c.PlatformOrderID != "20260701-0000001" ||
		len(c.Lines) != 1 || c.Lines[0].PlatformLineID != "20260701-0000001-01" || !c.RequestedAt.Equal(t0) {
		t.Fatalf("claim = %+v, %v", c, err)
	}
	if _, err := r.Claim(ctx, b.mall, "R-none"); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Errorf("missing claim: err = %v, want ENOTFOUND", err)
	}
	lines, err := r.LinesByID(ctx, b.mall, []string{"20260701-0000001-01", "20260701-0000001-02", "nope"})
	if err != nil || len(lines) != 2 {
		t.Fatalf("lines = %+v, %v", lines, err)
	}
	slices.SortFunc(lines, func(a, b mallsync.OrderLine) int { return strings.Compare(a.PlatformLineID, b.PlatformLineID) })
	if l := lines[0]; l.Ownership != mallsync.OwnLogistics || l.SupplierCode != "S0000001" || l.SKU != "P0001000000A" || l.Status != mallsync.LineDelivered {
		t.Errorf("line = %+v", l)
	}
	if lines[1].Ownership != mallsync.OwnDirect {
		t.Errorf("line 2 = %+v", lines[1])
	}
}
