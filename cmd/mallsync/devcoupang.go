//go:build !nodev

package main

import (
	"context"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/simtruth"
)

// startCoupangDemo starts the Coupang simulator (half as many orders as Cafe24's, over the
// same days) and stores mall, the Coupang demo mall, pointed at it with the simulator's keys.
func startCoupangDemo(ctx context.Context, cfg devConfig, mall mallsync.Mall, clock *simclock.Clock, end time.Time, st stores) (*sideDemo, error) {
	orders := max(cfg.orders/2, 1)
	sim := coupangsim.New(coupangsim.Options{Seed: cfg.seed, Orders: orders, Start: end.AddDate(0, 0, -cfg.days), End: end,
		Clock: clock, NoLimits: cfg.noLimits})
	if cfg.faults {
		sim.SetFaults(coupangsim.Faults{Rate429: 0.02, Rate5xx: 0.02, SlowRate: 0.02, SlowDelay: 300 * time.Millisecond,
			TruncateRate: 0.02, DuplicateRate: 0.05})
	}
	d, err := newSideDemo(ctx, cfg, mall, sim.Handler(), orders, end)
	if err != nil {
		return nil, err
	}
	vendor, access, secret := sim.Vendor()
	d.mall.Account.VendorID = vendor
	d.calls = sim.Calls
	d.truth = func(lines []simtruth.Line, claims []mallsync.Claim, ships []mallsync.Shipment) sideTruth {
		tr := sim.Truth()
		return sideTruth{TruthLines: len(tr.Lines), TruthClaims: len(tr.Claims), TruthShipments: len(tr.Shipments),
			Lines: tr.Diff(lines), Claims: tr.DiffClaims(coupangsim.StoredClaimsOf(claims)),
			Shipments: tr.DiffShipments(coupangsim.StoredShipmentsOf(ships))}
	}
	return d, d.put(ctx, st, mallsync.Credential{Client: mallsync.AppClient{ClientID: access, ClientSecret: secret}})
}
