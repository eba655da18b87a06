//go:build !nodev

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/simtruth"
)

// demoMall picks the demo mall of a platform among the embedded mall files.
func demoMall(malls []mallsync.Mall, p mallsync.Platform) (mallsync.Mall, error) {
	for _, m := range malls {
		if m.Platform == p {
			return m, nil
		}
	}
	return mallsync.Mall{}, fmt.Errorf("no %s demo mall among the embedded mall files", p)
}

// coupangDemo is dev's Coupang mall: the demo mall file pointed at a Coupang simulator that
// shares the Cafe24 simulator's clock.
type coupangDemo struct {
	sim  *coupangsim.Server
	url  string
	mall mallsync.Mall
	stop func()
}

// startCoupangDemo starts the simulator (half as many orders as Cafe24's, over the same days)
// and stores mall, the Coupang demo mall, pointed at it with the simulator's keys.
func startCoupangDemo(ctx context.Context, cfg devConfig, mall mallsync.Mall, clock *simclock.Clock, end time.Time, st stores) (*coupangDemo, error) {
	sim := coupangsim.New(coupangsim.Options{Seed: cfg.seed, Orders: max(cfg.orders/2, 1), Start: end.AddDate(0, 0, -cfg.days), End: end,
		Clock: clock, NoLimits: cfg.noLimits})
	if cfg.faults {
		sim.SetFaults(coupangsim.Faults{Rate429: 0.02, Rate5xx: 0.02})
	}
	url, stop, err := serveInBackground(ctx, "127.0.0.1:0", sim.Handler())
	if err != nil {
		return nil, fmt.Errorf("coupang simulator: %w", err)
	}
	d := &coupangDemo{sim: sim, url: url, mall: mall, stop: stop}
	vendor, access, secret := sim.Vendor()
	d.mall.Account.APIBase, d.mall.Account.VendorID = d.url, vendor
	d.mall.Sync.BackfillStart = end.AddDate(0, 0, -cfg.days)
	if cfg.interval > 0 {
		d.mall.Sync.Interval = cfg.interval
	}
	if err := st.malls.PutMall(ctx, d.mall); err != nil {
		d.stop()
		return nil, err
	}
	if err := st.creds.PutCredential(ctx, mallsync.Credential{Ref: d.mall.CredentialsRef,
		Client: mallsync.AppClient{ClientID: access, ClientSecret: secret}}); err != nil {
		d.stop()
		return nil, err
	}
	return d, nil
}

func (d *coupangDemo) report(ctx context.Context, st stores) (coupangReport, error) {
	sum, err := st.sync.Summary(ctx, d.mall.Key)
	if err != nil {
		return coupangReport{}, err
	}
	facts, err := st.sync.LineFacts(ctx, d.mall.Key)
	if err != nil {
		return coupangReport{}, err
	}
	tr := d.sim.Truth()
	stored := make([]simtruth.Line, len(facts))
	for i, f := range facts {
		stored[i] = simtruth.Line{Key: f.PlatformLineID, Status: f.PlatformStatus, Quantity: f.Quantity, PaymentAmount: int64(f.PaymentAmount)}
	}
	diff := tr.Diff(stored)
	r := coupangReport{Mall: string(d.mall.Key), Orders: sum.Orders, Lines: len(facts), TruthLines: len(tr.Lines), APICalls: d.sim.Calls(),
		Mismatches: diff.Mismatches(), Examples: diff.Examples}
	return r, nil
}
