package coupang

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/simtruth"
	"github.com/mallsync/mallsync/mappings"
)

func simConnector(t *testing.T, sim *coupangsim.Server, start time.Time, secret string, rate float64) *Connector {
	t.Helper()
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	vendor, access, sec := sim.Vendor()
	if secret != "" {
		sec = secret
	}
	mall := mallsync.Mall{Key: "coupang-a", Platform: mallsync.PlatformCoupang, CredentialsRef: "coupang-a",
		Account: mallsync.Account{VendorID: vendor, APIBase: srv.URL}, Sync: mallsync.SyncSettings{BackfillStart: start}}
	conn, err := New(context.Background(), mall, connectors.Deps{
		Credentials: &connectors.OneCredential{C: mallsync.Credential{Ref: "coupang-a", Client: mallsync.AppClient{ClientID: access, ClientSecret: sec}}},
		StatusMap:   mappings.StatusMap, MaxCallsPerSecond: rate, Now: sim.Clock().Now,
		Backoff429: 10 * time.Millisecond, RetryWaitMin: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return conn.(*Connector)
}

// store keeps what a synced store would (simtruth.Store).
type store struct{ *simtruth.Store }

func newStore() *store { return &store{simtruth.NewStore()} }

func (s *store) apply(p mallsync.Page) { s.Apply(p) }

// diff compares the store with the simulator's truth: lines, claims, shipments.
func (s *store) diff(tr coupangsim.Truth) (lines, claims, ships simtruth.Diff) {
	return tr.Diff(s.StoredLines()), tr.DiffClaims(coupangsim.StoredClaimsOf(s.StoredClaims())),
		tr.DiffShipments(coupangsim.StoredShipmentsOf(s.StoredShipments()))
}

// syncStream fetches stream until caught up into st and returns the cursor and the calls made.
func syncStream(t *testing.T, c *Connector, st *store, stream mallsync.Stream, cursor string, now time.Time) (string, int) {
	t.Helper()
	calls := 0
	for i := 0; i < 5000; i++ {
		f, err := c.Fetch(context.Background(), stream, cursor, now)
		if err != nil {
			t.Fatalf("%s: %v", stream, err)
		}
		calls += f.Calls
		if len(f.Page.Rejects) > 0 {
			t.Fatalf("%s rejects: %+v", stream, f.Page.Rejects[0])
		}
		if f.Page.WholeParcels {
			t.Fatal("a page of order sheets says its orders are whole: an order's other boxes would lose their parcels")
		}
		st.apply(f.Page)
		cursor = f.Next
		if f.CaughtUp {
			return cursor, calls
		}
	}
	t.Fatalf("%s never caught up", stream)
	return "", 0
}

// syncAll fetches the order sheets until caught up and returns the lines by id (the last
// reading wins).
func syncAll(t *testing.T, c *Connector, cursor string, now time.Time) (map[string]mallsync.OrderLine, string, int) {
	t.Helper()
	st := newStore()
	cursor, calls := syncStream(t, c, st, mallsync.StreamOrders, cursor, now)
	return st.Lines, cursor, calls
}

// A 70-day backfill (three windows) through the simulator, then a pass two days later: the
// lines read equal the truth, and the later pass sees the sheets that moved on.
func TestOrderSheetsFromSimulator(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 70)
	sim := coupangsim.New(coupangsim.Options{Seed: 5, Orders: 1500, Start: start, End: end, NoLimits: true, NoClaims: true,
		Clock: simclock.New(end), Faults: coupangsim.Faults{Rate429: 0.05, Rate5xx: 0.05}})
	c := simConnector(t, sim, start, "", -1)
	check := func(when string, got map[string]mallsync.OrderLine) {
		t.Helper()
		read := make([]simtruth.Line, 0, len(got))
		for id, l := range got {
			read = append(read, simtruth.Line{Key: id, Status: l.PlatformStatus, Quantity: l.Quantity, PaymentAmount: int64(l.PaymentAmount)})
		}
		tr := sim.Truth()
		if d := tr.Diff(read); d.Mismatches() != 0 || len(tr.Lines) < 2000 {
			t.Fatalf("%s: %d lines read, truth %d: %+v", when, len(got), len(tr.Lines), d)
		}
	}
	got, cursor, calls := syncAll(t, c, "", end)
	check("after the backfill", got)

	sim.Clock().Advance(48 * time.Hour)
	later, _, _ := syncAll(t, c, cursor, end.Add(48*time.Hour))
	moved := 0
	for id, l := range later {
		if got[id].PlatformStatus != l.PlatformStatus {
			moved++
		}
		got[id] = l
	}
	if moved == 0 {
		t.Fatal("two days later no sheet moved: the test proves nothing")
	}
	check("two days later", got)
	t.Logf("%d lines in %d calls; %d moved in two days", len(got), calls, moved)
}

// With the limits on and the default budget the connector never meets Coupang's limit; a
// wrong secret is refused as unauthorized.
func TestOrderSheetsWithinTheLimitAndSigned(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 5)
	sim := coupangsim.New(coupangsim.Options{Seed: 6, Orders: 120, Start: start, End: end, Clock: simclock.New(end), NoClaims: true})
	c := simConnector(t, sim, start, "", 0)
	got, _, calls := syncAll(t, c, "", end)
	if len(got) != len(sim.Truth().Lines) || sim.Throttled() != 0 || calls == 0 {
		t.Fatalf("%d lines (truth %d) in %d calls, %d of them throttled", len(got), len(sim.Truth().Lines), calls, sim.Throttled())
	}

	bad := simConnector(t, sim, start, "not-the-secret", -1)
	_, err := bad.Fetch(context.Background(), mallsync.StreamOrders, "", end)
	if mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a wrong secret: %v (%s), want EUNAUTHORIZED", err, mallsync.ErrorCode(err))
	}
}

// Fourteen simulated days with every fault on (429, 5xx, slow and truncated answers, rows
// repeated across pages, claims that show late): a backfill, then a sync of both streams every
// four hours. After each cycle the last reading of lines, claims and shipments equals the
// truth, and the claims moved lines (cancels, returns) the order sheets alone would miss.
func TestFourteenDaysOfClaimsWithFaults(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 30)
	first := start.AddDate(0, 0, 12)
	sim := coupangsim.New(coupangsim.Options{Seed: 11, Orders: 700, Start: start, End: end, NoLimits: true, Clock: simclock.New(first),
		Faults: coupangsim.Faults{Rate429: 0.03, Rate5xx: 0.03, SlowRate: 0.02, SlowDelay: 2 * time.Millisecond, TruncateRate: 0.03,
			DuplicateRate: 0.2, LateRate: 0.15, LateBy: 2 * time.Hour}})
	c := simConnector(t, sim, start, "", -1)
	st := newStore()
	var orders, claims string
	cycles, calls, maxCalls := 0, 0, 0
	seen := map[string]bool{}
	for now := first; !now.After(first.AddDate(0, 0, 14)); now = now.Add(4 * time.Hour) {
		sim.Clock().Set(now)
		var n1, n2 int
		orders, n1 = syncStream(t, c, st, mallsync.StreamOrders, orders, now)
		claims, n2 = syncStream(t, c, st, mallsync.StreamClaims, claims, now)
		cycles, calls, maxCalls = cycles+1, calls+n1+n2, max(maxCalls, n1+n2)
		tr := sim.Truth()
		dl, dc, ds := st.diff(tr)
		if dl.Mismatches()+dc.Mismatches()+ds.Mismatches() != 0 {
			t.Fatalf("cycle %d at %s: lines %+v\nclaims %+v\nshipments %+v", cycles, now.In(kst), dl, dc, ds)
		}
		for _, tc := range tr.Claims {
			seen[tc.Kind+" "+tc.Status] = true
		}
	}
	for _, want := range []string{"cancel CANCEL_COMPLETED", "cancel RELEASE_STOP_UNCHECKED", "cancel STOP_SHIPMENT_COMPLETED",
		"return RETURNS_UNCHECKED", "return VENDOR_WAREHOUSE_CONFIRM", "return REQUEST_COUPANG_CHECK", "return RETURNS_COMPLETED",
		"return RETURN_WITHDRAWN", "exchange RECEIPT", "exchange PROGRESS", "exchange SUCCESS", "exchange REJECT", "exchange CANCEL"} {
		if !seen[want] {
			t.Errorf("in 14 days no claim was ever %s: the test proves less than it says", want)
		}
	}
	moved := 0
	for _, l := range st.Lines {
		if l.Status == mallsync.LineCanceled || l.Status == mallsync.LineReturned {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("no line was ever cancelled or returned")
	}
	t.Logf("%d cycles, %d calls (at most %d a cycle), %d lines (%d cancelled or returned), %d claims, %d shipments, 0 mismatches",
		cycles, calls, maxCalls, len(st.Lines), moved, len(st.Claims), len(st.Shipments))
}
