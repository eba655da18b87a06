package smartstore

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/simtruth"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
	"github.com/mallsync/mallsync/mappings"
)

// simConnector builds a connector for the simulator's app (secret replaces its secret).
func simConnector(t *testing.T, sim *smartstoresim.Server, start time.Time, secret string, rate float64) *Connector {
	t.Helper()
	return simConnectorWith(t, sim, sim.Handler(), start, secret, rate)
}

// simConnectorWith is simConnector through handler (the simulator's, wrapped).
func simConnectorWith(t *testing.T, sim *smartstoresim.Server, handler http.Handler, start time.Time, secret string, rate float64) *Connector {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	id, sec := sim.App()
	if secret != "" {
		sec = secret
	}
	mall := mallsync.Mall{Key: mallsync.MallKey("smartstore-" + t.Name()), Platform: mallsync.PlatformSmartStore, CredentialsRef: "ss",
		Account: mallsync.Account{APIBase: srv.URL}, Sync: mallsync.SyncSettings{BackfillStart: start}}
	conn, err := New(context.Background(), mall, connectors.Deps{
		Credentials: &connectors.OneCredential{C: mallsync.Credential{Ref: "ss", Client: mallsync.AppClient{ClientID: id, ClientSecret: sec}}},
		StatusMap:   mappings.StatusMap, MaxCallsPerSecond: rate, Now: sim.Clock().Now,
		Backoff429: 5 * time.Millisecond, RetryWaitMin: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return conn.(*Connector)
}

// store keeps what a sync stored (simtruth.Store), failing the test on a reject.
type store struct{ *simtruth.Store }

func newStore() *store { return &store{simtruth.NewStore()} }

func (s *store) apply(t *testing.T, p mallsync.Page) {
	t.Helper()
	for _, r := range p.Rejects {
		t.Fatalf("reject %s %s: %s", r.Resource, r.PlatformID, r.Reason)
	}
	s.Apply(p)
}

// sync fetches until caught up; it returns the next cursor, the calls made and the pages.
func (s *store) sync(t *testing.T, c *Connector, cursor string, now time.Time) (string, int, int) {
	t.Helper()
	calls := 0
	for pages := 1; pages < 2000; pages++ {
		f, err := c.Fetch(context.Background(), mallsync.StreamOrders, cursor, now)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		calls += f.Calls
		s.apply(t, f.Page)
		cursor = f.Next
		if f.CaughtUp {
			return cursor, calls, pages
		}
	}
	t.Fatal("never caught up")
	return "", 0, 0
}

// diff compares the store with the simulator's truth.
func (s *store) diff(tr smartstoresim.Truth) (lines, claims, shipments simtruth.Diff) {
	return tr.Diff(s.StoredLines()), tr.DiffClaims(smartstoresim.StoredClaimsOf(s.StoredClaims())),
		tr.DiffShipments(smartstoresim.StoredShipmentsOf(s.StoredShipments()))
}

// Fourteen simulated days with every fault on (late changes among them), a sync every four
// hours: after each cycle every line, claim and parcel stored equals the simulator's truth,
// and the token endpoint is asked at most once a cycle (a token is kept until 30 minutes
// before its 3 hours are up).
func TestFourteenDaysAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
	clock := simclock.New(start)
	sim := smartstoresim.New(smartstoresim.Options{Seed: 11, Orders: 900, Start: start, End: start.AddDate(0, 0, 14), Clock: clock, NoLimits: true,
		Faults: smartstoresim.Faults{Rate429: 0.01, Rate5xx: 0.05, RateSlow: 0.02, SlowFor: 5 * time.Millisecond, RateTruncated: 0.03,
			RateDuplicate: 0.2, LateRate: 0.15, LateMax: 40 * time.Minute}})
	c := simConnector(t, sim, start, "", -1)
	st := newStore()
	cursor, calls, pages, cycles := "", 0, 0, 0
	moved := map[string]bool{}
	for clock.Now().Before(start.AddDate(0, 0, 15)) {
		clock.Advance(4 * time.Hour)
		cycles++
		before := map[string]string{}
		for id, l := range st.Lines {
			before[id] = l.PlatformStatus
		}
		next, n, p := st.sync(t, c, cursor, clock.Now())
		cursor, calls, pages = next, calls+n, pages+p
		for id, l := range st.Lines {
			if s, ok := before[id]; ok && s != l.PlatformStatus {
				moved[l.PlatformStatus] = true
			}
		}
		tr := sim.Truth()
		dl, dc, ds := st.diff(tr)
		if dl.Mismatches()+dc.Mismatches()+ds.Mismatches() != 0 {
			t.Fatalf("cycle %d (%s): lines %+v\nclaims %+v\nshipments %+v", cycles, clock.Now().In(kst), dl, dc, ds)
		}
	}
	tr := sim.Truth()
	if len(tr.Lines) < 1500 || len(tr.Claims) < 150 {
		t.Fatalf("a small data set proves little: %d lines, %d claims", len(tr.Lines), len(tr.Claims))
	}
	// steps Naver does not report as changes were read too
	for _, s := range []string{"PAYED:OK", "DELIVERED", "RETURNED", "EXCHANGED", "CANCELED"} {
		if !moved[s] {
			t.Errorf("no line moved to %s between cycles: %v", s, moved)
		}
	}
	if tok := sim.TokenRequests(); tok > int64(cycles)+1 || tok == 0 {
		t.Errorf("%d token requests over %d cycles", tok, cycles)
	}
	t.Logf("%d cycles, %d pages, %d calls counted, %d served, %d token requests; %d lines, %d claims, %d parcels",
		cycles, pages, calls, sim.Calls(), sim.TokenRequests(), len(tr.Lines), len(tr.Claims), len(tr.Shipments))
}

// Without a lookback late changes are lost, and without the revisit the steps Naver does not
// report (발주확인, 배송완료, pickups, holdbacks) are: the test above would catch a connector
// that forgot either.
func TestWithoutLookbackOrRevisitChangesAreLost(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name              string
		late              float64
		lookback, horizon time.Duration
	}{
		{"no lookback", 0.5, time.Millisecond, RevisitHorizon},
		{"no revisit", 0, DefaultLookback, time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
			clock := simclock.New(start)
			sim := smartstoresim.New(smartstoresim.Options{Seed: 12, Orders: 400, Start: start, End: start.AddDate(0, 0, 6), Clock: clock, NoLimits: true,
				Faults: smartstoresim.Faults{LateRate: tt.late, LateMax: 2 * time.Hour}})
			c := simConnector(t, sim, start, "", -1)
			c.lookback, c.horizon = tt.lookback, tt.horizon
			st := newStore()
			cursor, worst := "", 0
			for range 30 {
				clock.Advance(4 * time.Hour)
				cursor, _, _ = st.sync(t, c, cursor, clock.Now())
				dl, _, _ := st.diff(sim.Truth())
				worst = max(worst, dl.Mismatches())
			}
			if worst == 0 {
				t.Fatal("no line was ever missed: the test proves nothing")
			}
		})
	}
}

// With the limits on and the default budget the connector stays under the bucket; a wrong
// secret is refused as unauthorized.
func TestWithinTheBucketAndSigned(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 3)
	sim := smartstoresim.New(smartstoresim.Options{Seed: 13, Orders: 150, Start: start, End: end, Clock: simclock.New(end)})
	c := simConnector(t, sim, start, "", 0)
	st := newStore()
	st.sync(t, c, "", end)
	if dl, _, _ := st.diff(sim.Truth()); dl.Mismatches() != 0 || len(st.Lines) == 0 {
		t.Fatalf("%d lines: %+v", len(st.Lines), dl)
	}
	bad := simConnector(t, sim, start, "$2a$04$zzzzzzzzzzzzzzzzzzzzzz", -1)
	_, err := bad.Fetch(context.Background(), mallsync.StreamOrders, "", end)
	if mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a wrong secret: %v (%s), want EUNAUTHORIZED", err, mallsync.ErrorCode(err))
	}
}
