package e2e

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/simtruth"
	"github.com/mallsync/mallsync/workflows"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// A Coupang mall beside the Cafe24 one: its order sheets go through the same MallSync
// workflow into the same tables, and Postgres equals the Coupang simulator's truth after the
// backfill and again after the sheets moved on, with 429s and 5xx on.
func TestCoupangMallBesideCafe24(t *testing.T) {
	ctx := context.Background()
	start, end := period(45)
	b := setup(t, cafe24sim.Options{Seed: 2, Orders: 500, Start: start, End: end, NoLimits: true})
	// One clock for both platforms, as in the world: the worker's connectors read "now" from it.
	csim := coupangsim.New(coupangsim.Options{Seed: 8, Orders: 2000, Start: start, End: end, Clock: b.sim.Clock(),
		NoLimits: true, Faults: coupangsim.Faults{Rate429: 0.03, Rate5xx: 0.03}})
	srv := httptest.NewServer(csim.Handler())
	t.Cleanup(srv.Close)
	vendor, access, secret := csim.Vendor()
	mall := mallsync.Mall{Key: "demo-coupang", Name: "데모 쿠팡", Platform: mallsync.PlatformCoupang, CredentialsRef: "demo-coupang",
		Account:   mallsync.Account{VendorID: vendor, APIBase: srv.URL},
		Sync:      mallsync.SyncSettings{Interval: 5 * time.Minute, BackfillStart: start, Lookback: time.Hour},
		Ownership: mallsync.OwnershipRules{Default: mallsync.OwnDirect}}
	if err := b.malls.PutMall(ctx, mall); err != nil {
		t.Fatal(err)
	}
	if err := b.creds.PutCredential(ctx, mallsync.Credential{Ref: mall.CredentialsRef, Client: mallsync.AppClient{ClientID: access, ClientSecret: secret}}); err != nil {
		t.Fatal(err)
	}
	syncCoupang := func() {
		t.Helper()
		cctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		defer cancel()
		run, err := b.tc.SignalWithStartWorkflow(cctx, syncwf.WorkflowID(mall.Key), syncwf.SignalSyncNow, syncwf.SyncNow{StopWhenCaughtUp: true},
			client.StartWorkflowOptions{TaskQueue: workflows.TaskQueue}, syncwf.WorkflowName, syncwf.Input{Mall: mall.Key, StopWhenCaughtUp: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Get(cctx, nil); err != nil {
			t.Fatalf("coupang sync: %v", err)
		}
	}
	equal := func(when string) int {
		t.Helper()
		facts, err := b.sync.LineFacts(ctx, mall.Key)
		if err != nil {
			t.Fatal(err)
		}
		stored := make([]simtruth.Line, len(facts))
		for i, f := range facts {
			stored[i] = simtruth.Line{Key: f.PlatformLineID, Status: f.PlatformStatus, Quantity: f.Quantity, PaymentAmount: int64(f.PaymentAmount)}
		}
		tr := csim.Truth()
		if d := tr.Diff(stored); d.Mismatches() != 0 || len(tr.Lines) < 3000 {
			t.Fatalf("%s: %d coupang lines stored, truth %d: %+v", when, len(stored), len(tr.Lines), d)
		}
		return len(tr.Lines)
	}
	syncCoupang()
	n := equal("after the backfill")
	b.sim.Clock().Advance(36 * time.Hour)
	b.clockJumps++
	syncCoupang()
	equal("36 hours later")

	// The Cafe24 mall syncs beside it as before.
	b.syncUntilCaughtUp(ctx)
	b.requireEqualToTruth(ctx, "the cafe24 mall beside coupang")
	t.Logf("%d coupang lines equal to the truth, twice", n)
}
