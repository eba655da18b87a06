package cafe24

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
)

// TestBackfillFromSimulator backfills 3,000 orders from the simulator through Fetch until
// caught up and checks that every line of the simulator's truth was seen with its status,
// also when every page comes from a list that shifted since the page before.
func TestBackfillFromSimulator(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		faults cafe24sim.Faults
	}{
		{"clean", cafe24sim.Faults{}},
		{"every page shifted", cafe24sim.Faults{DuplicateRate: 1}},
		{"shifts, errors and truncation", cafe24sim.Faults{DuplicateRate: 0.3, Rate5xx: 0.1, Rate429: 0.1, TruncateRate: 0.1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			backfillFromSimulator(t, tt.faults)
		})
	}
}

func backfillFromSimulator(t *testing.T, faults cafe24sim.Faults) {
	end := time.Date(2026, 7, 1, 0, 0, 0, 0, kst)
	start := end.AddDate(0, 0, -120)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 7, Orders: 3000, Start: start, End: end, NoLimits: true, Faults: faults})
	conn := newSimConnector(t, sim, start)
	now := sim.Clock().Now()
	lines := map[string]mallsync.OrderLine{}
	cursor, calls := "", 0
	for i := 0; ; i++ {
		if i > 200 {
			t.Fatal("not caught up after 200 fetches")
		}
		f, err := conn.Fetch(context.Background(), mallsync.StreamOrders, cursor, now)
		if err != nil {
			t.Fatalf("fetch %d: %v", i, err)
		}
		calls += f.Calls
		for _, r := range f.Page.Rejects {
			t.Errorf("reject %s: %s", r.PlatformID, r.Reason)
		}
		for _, o := range f.Page.Orders {
			for _, l := range o.Lines {
				lines[l.PlatformLineID] = l
			}
		}
		cursor = f.Next
		if f.CaughtUp {
			break
		}
	}
	truth := sim.Truth()
	if truth.Orders != 3000 {
		t.Errorf("truth has %d orders, want 3000", truth.Orders)
	}
	for _, tl := range truth.Lines {
		l, ok := lines[tl.ItemCode]
		switch {
		case !ok:
			t.Errorf("line %s not seen", tl.ItemCode)
		case l.PlatformStatus != tl.Status || !l.Status.Valid():
			t.Errorf("line %s: status %s (%s), truth %s", tl.ItemCode, l.PlatformStatus, l.Status, tl.Status)
		case l.Quantity != tl.Quantity || int64(l.PaymentAmount) != tl.PaymentAmount:
			t.Errorf("line %s: quantity %d paid %d, truth %d paid %d", tl.ItemCode, l.Quantity, l.PaymentAmount, tl.Quantity, tl.PaymentAmount)
		}
	}
	if len(lines) != len(truth.Lines) {
		t.Errorf("saw %d lines, truth has %d", len(lines), len(truth.Lines))
	}
	if r := sim.RefreshReuses(); r != 0 {
		t.Errorf("refresh token reused %d times", r)
	}
	t.Logf("%d orders, %d lines in %d calls", truth.Orders, len(truth.Lines), calls)
}

// newSimConnector builds a connector for sim's mall (backfill from start, lookback 10 minutes)
// with fast retries, served by a test server that closes with the test.
func newSimConnector(t *testing.T, sim *cafe24sim.Server, start time.Time) *Connector {
	t.Helper()
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	const redirect = "https://app.example/cafe24/callback"
	app := mallsync.AppClient{ClientID: "sim-client-id", ClientSecret: "sim-client-secret"}
	tok, err := ExchangeCode(context.Background(), srv.Client(), srv.URL, app, sim.AuthorizeCode(redirect, "st"), redirect)
	if err != nil {
		t.Fatal(err)
	}
	store := newMemStore(mallsync.Credential{Ref: "cafe24/demomall", Client: app, Token: tok})
	mall := mallsync.Mall{
		Key: "demo", Platform: mallsync.PlatformCafe24,
		Account:        mallsync.Account{MallID: "demomall", ShopNo: 1, APIBase: srv.URL},
		CredentialsRef: "cafe24/demomall",
		Sync:           mallsync.SyncSettings{BackfillStart: start, Lookback: 10 * time.Minute},
	}
	deps := connectors.Deps{
		Credentials:       store,
		StatusMap:         func(mallsync.Platform) (mallsync.StatusMap, error) { return testStatusMap(), nil },
		MaxCallsPerSecond: -1,
		Logger:            slog.New(slog.DiscardHandler),
	}
	conn, err := newConnector(context.Background(), mall, deps, options{
		retry:  fastRetry,
		budget: connectors.NewBudget(connectors.BudgetOptions{MaxCallsPerSecond: -1, Backoff429: time.Millisecond, Pace429: 20 * time.Millisecond}),
		now:    sim.Clock().Now, // token expiry is judged on the simulator's clock
	})
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// Backfill pages read orders for the first time; pages of later passes carry orders whole, so
// the store may drop the parcels they no longer have.
func TestWholeParcelsOutsideBackfill(t *testing.T) {
	t.Parallel()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 10)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 3, Orders: 300, Start: start, End: end, NoLimits: true, Clock: cafe24sim.NewClock(end)})
	conn := newSimConnector(t, sim, start)
	ctx := context.Background()
	cursor, backfill, later := "", 0, 0
	for pass, now := range []time.Time{end, end.Add(6 * time.Hour)} {
		sim.Clock().Set(now)
		for i := 0; i < 200; i++ {
			f, err := conn.Fetch(ctx, mallsync.StreamOrders, cursor, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Page.Orders) > 0 {
				if pass == 0 { // the backfill: every order read for the first time
					if f.Page.WholeParcels {
						t.Fatalf("a backfill page says its orders are whole")
					}
					backfill++
				}
				if pass == 1 {
					if !f.Page.WholeParcels {
						t.Fatalf("a page of a later pass does not say its orders are whole")
					}
					later++
				}
			}
			cursor = f.Next
			if f.CaughtUp {
				break
			}
		}
	}
	if backfill == 0 || later == 0 {
		t.Fatalf("%d backfill pages, %d later ones: the test proves nothing", backfill, later)
	}
}
