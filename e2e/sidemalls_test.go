package e2e

import (
	"context"
	"net/http/httptest"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/simtruth"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
	"github.com/mallsync/mallsync/workflows"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// sideMall is a mall of another platform beside the bundle's Cafe24 one, on its own
// simulator that shares the Cafe24 simulator's clock.
type sideMall struct {
	mall mallsync.Mall
	// diffs compares what Postgres holds of the mall with its simulator's truth, by kind of
	// record ("lines", "claims", "shipments"), with the truth's count of each.
	diffs func(ctx context.Context) []sideDiff
}

type sideDiff struct {
	what  string
	truth int
	d     simtruth.Diff
}

// addSideMall stores mall and its credential, served by the simulator handler at url.
func (b *bundle) addSideMall(ctx context.Context, mall mallsync.Mall, cred mallsync.AppClient) {
	b.t.Helper()
	if err := b.malls.PutMall(ctx, mall); err != nil {
		b.t.Fatal(err)
	}
	if err := b.creds.PutCredential(ctx, mallsync.Credential{Ref: mall.CredentialsRef, Client: cred}); err != nil {
		b.t.Fatal(err)
	}
}

// syncMalls runs one sync of each mall, all at once, to caught-up.
func (b *bundle) syncMalls(ctx context.Context, keys ...mallsync.MallKey) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		run, err := b.tc.SignalWithStartWorkflow(ctx, syncwf.WorkflowID(key), syncwf.SignalSyncNow, syncwf.SyncNow{StopWhenCaughtUp: true},
			client.StartWorkflowOptions{TaskQueue: workflows.TaskQueue}, syncwf.WorkflowName, syncwf.Input{Mall: key, StopWhenCaughtUp: true})
		if err != nil {
			b.t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = run.Get(ctx, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			b.t.Fatalf("sync of %s: %v", keys[i], err)
		}
	}
}

// requireSideEqual fails the test when the side mall's stored lines, claims or shipments
// differ from its simulator's truth, and returns the truth's counts.
func (b *bundle) requireSideEqual(ctx context.Context, s sideMall, when string) map[string]int {
	b.t.Helper()
	counts := map[string]int{}
	for _, c := range s.diffs(ctx) {
		if c.d.Mismatches() != 0 {
			b.t.Fatalf("%s: %d %s of %s differ from the truth's %d (missing %d, extra %d, differing %d): %v",
				when, c.d.Mismatches(), c.what, s.mall.Key, c.truth, c.d.Missing, c.d.Extra, c.d.Differing, c.d.Examples)
		}
		counts[c.what] = c.truth
	}
	return counts
}

func (b *bundle) storedLines(ctx context.Context, key mallsync.MallKey) []simtruth.Line {
	b.t.Helper()
	facts, err := b.sync.LineFacts(ctx, key)
	if err != nil {
		b.t.Fatal(err)
	}
	stored := make([]simtruth.Line, len(facts))
	for i, f := range facts {
		stored[i] = simtruth.Line{Key: f.PlatformLineID, Status: f.PlatformStatus, Quantity: f.Quantity, PaymentAmount: int64(f.PaymentAmount)}
	}
	return stored
}

// coupangMall starts a Coupang simulator with opts on the bundle's clock and adds its mall.
func (b *bundle) coupangMall(ctx context.Context, opts coupangsim.Options) (sideMall, *coupangsim.Server) {
	b.t.Helper()
	opts.Clock = b.sim.Clock()
	sim := coupangsim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	b.t.Cleanup(srv.Close)
	vendor, access, secret := sim.Vendor()
	mall := mallsync.Mall{Key: "demo-coupang", Name: "데모 쿠팡", Platform: mallsync.PlatformCoupang, CredentialsRef: "demo-coupang",
		Account:   mallsync.Account{VendorID: vendor, APIBase: srv.URL},
		Sync:      mallsync.SyncSettings{Interval: 5 * time.Minute, BackfillStart: opts.Start, Lookback: 2 * time.Hour},
		Ownership: mallsync.OwnershipRules{Default: mallsync.OwnDirect}}
	b.addSideMall(ctx, mall, mallsync.AppClient{ClientID: access, ClientSecret: secret})
	return sideMall{mall: mall, diffs: func(ctx context.Context) []sideDiff {
		tr := sim.Truth()
		claims, ships := b.storedClaimsAndShipments(ctx, mall.Key)
		return []sideDiff{{"lines", len(tr.Lines), tr.Diff(b.storedLines(ctx, mall.Key))},
			{"claims", len(tr.Claims), tr.DiffClaims(coupangsim.StoredClaimsOf(claims))},
			{"shipments", len(tr.Shipments), tr.DiffShipments(coupangsim.StoredShipmentsOf(ships))}}
	}}, sim
}

// smartStoreMall starts a SmartStore simulator with opts on the bundle's clock and adds its
// mall.
func (b *bundle) smartStoreMall(ctx context.Context, opts smartstoresim.Options) (sideMall, *smartstoresim.Server) {
	b.t.Helper()
	opts.Clock = b.sim.Clock()
	sim := smartstoresim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	b.t.Cleanup(srv.Close)
	id, secret := sim.App()
	mall := mallsync.Mall{Key: "demo-smartstore", Name: "데모 스마트스토어", Platform: mallsync.PlatformSmartStore, CredentialsRef: "demo-smartstore",
		Account:   mallsync.Account{APIBase: srv.URL},
		Sync:      mallsync.SyncSettings{Interval: 5 * time.Minute, BackfillStart: opts.Start, Lookback: 2 * time.Hour},
		Ownership: mallsync.OwnershipRules{Default: mallsync.OwnConsignment}}
	b.addSideMall(ctx, mall, mallsync.AppClient{ClientID: id, ClientSecret: secret})
	return sideMall{mall: mall, diffs: func(ctx context.Context) []sideDiff {
		tr := sim.Truth()
		claims, ships := b.storedClaimsAndShipments(ctx, mall.Key)
		return []sideDiff{{"lines", len(tr.Lines), tr.Diff(b.storedLines(ctx, mall.Key))},
			{"claims", len(tr.Claims), tr.DiffClaims(smartstoresim.StoredClaimsOf(claims))},
			{"shipments", len(tr.Shipments), tr.DiffShipments(smartstoresim.StoredShipmentsOf(ships))}}
	}}, sim
}

func (b *bundle) storedClaimsAndShipments(ctx context.Context, key mallsync.MallKey) ([]mallsync.Claim, []mallsync.Shipment) {
	b.t.Helper()
	claims, err := b.sync.Claims(ctx, key)
	if err != nil {
		b.t.Fatal(err)
	}
	ships, err := b.sync.Shipments(ctx, key)
	if err != nil {
		b.t.Fatal(err)
	}
	return claims, ships
}
