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

// keys is a CredentialStore holding one vendor's keys.
type keys struct{ c mallsync.Credential }

func (k *keys) PutCredential(_ context.Context, c mallsync.Credential) error { k.c = c; return nil }
func (k *keys) Credential(_ context.Context, ref string) (mallsync.Credential, error) {
	if ref != k.c.Ref {
		return mallsync.Credential{}, mallsync.Errorf(mallsync.ENOTFOUND, "no credential %q", ref)
	}
	return k.c, nil
}
func (k *keys) RotateToken(context.Context, string, string, func(context.Context, mallsync.Credential) (mallsync.Token, error)) (mallsync.Token, error) {
	return mallsync.Token{}, mallsync.Errorf(mallsync.EINVALID, "coupang keys do not rotate")
}

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
		Credentials: &keys{mallsync.Credential{Ref: "coupang-a", Client: mallsync.AppClient{ClientID: access, ClientSecret: sec}}},
		StatusMap:   mappings.StatusMap, MaxCallsPerSecond: rate, Now: sim.Clock().Now,
		Backoff429: 10 * time.Millisecond, RetryWaitMin: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return conn.(*Connector)
}

// syncAll fetches until caught up and returns the lines by id (the last reading wins).
func syncAll(t *testing.T, c *Connector, cursor string, now time.Time) (map[string]mallsync.OrderLine, string, int) {
	t.Helper()
	lines := map[string]mallsync.OrderLine{}
	calls := 0
	for i := 0; i < 1000; i++ {
		f, err := c.Fetch(context.Background(), mallsync.StreamOrders, cursor, now)
		if err != nil {
			t.Fatal(err)
		}
		calls += f.Calls
		if len(f.Page.Rejects) > 0 {
			t.Fatalf("rejects: %+v", f.Page.Rejects[0])
		}
		if f.Page.WholeParcels {
			t.Fatal("a page of order sheets says its orders are whole: an order's other boxes would lose their parcels")
		}
		for _, o := range f.Page.Orders {
			for _, l := range o.Lines {
				lines[l.PlatformLineID] = l
			}
		}
		cursor = f.Next
		if f.CaughtUp {
			return lines, cursor, calls
		}
	}
	t.Fatal("never caught up")
	return nil, "", 0
}

// A 70-day backfill (three windows) through the simulator, then a pass two days later: the
// lines read equal the truth, and the later pass sees the sheets that moved on.
func TestOrderSheetsFromSimulator(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 70)
	sim := coupangsim.New(coupangsim.Options{Seed: 5, Orders: 1500, Start: start, End: end, NoLimits: true,
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
	sim := coupangsim.New(coupangsim.Options{Seed: 6, Orders: 120, Start: start, End: end, Clock: simclock.New(end)})
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
