//go:build !nodev

package main

import (
	"context"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/simtruth"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
)

// startSmartStoreDemo starts the SmartStore simulator (half as many orders as Cafe24's, over
// the same days) and stores mall, the SmartStore demo mall, pointed at it with the app's
// client id and secret.
func startSmartStoreDemo(ctx context.Context, cfg devConfig, mall mallsync.Mall, clock *simclock.Clock, end time.Time, st stores) (*sideDemo, error) {
	orders := max(cfg.orders/2, 1)
	sim := smartstoresim.New(smartstoresim.Options{Seed: cfg.seed, Orders: orders, Start: end.AddDate(0, 0, -cfg.days), End: end,
		Clock: clock, NoLimits: cfg.noLimits})
	if cfg.faults {
		sim.SetFaults(smartstoresim.Faults{Rate429: 0.01, Rate5xx: 0.02, RateSlow: 0.02, RateTruncated: 0.02, RateDuplicate: 0.05})
	}
	d, err := newSideDemo(ctx, cfg, mall, sim.Handler(), orders, end)
	if err != nil {
		return nil, err
	}
	d.calls = sim.Calls
	d.truth = func(lines []simtruth.Line, claims []mallsync.Claim, ships []mallsync.Shipment) sideTruth {
		tr := sim.Truth()
		return sideTruth{TruthLines: len(tr.Lines), TruthClaims: len(tr.Claims), TruthShipments: len(tr.Shipments),
			Lines: tr.Diff(lines), Claims: tr.DiffClaims(smartstoresim.StoredClaimsOf(claims)),
			Shipments: tr.DiffShipments(smartstoresim.StoredShipmentsOf(ships))}
	}
	id, secret := sim.App()
	return d, d.put(ctx, st, mallsync.Credential{Client: mallsync.AppClient{ClientID: id, ClientSecret: secret}})
}
