//go:build !nodev

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simclock"
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
	url, stop, err := serveInBackground(ctx, "127.0.0.1:0", sim.Handler())
	if err != nil {
		return nil, fmt.Errorf("smartstore simulator: %w", err)
	}
	d := &sideDemo{url: url, mall: mall, orders: orders, stop: stop, calls: sim.Calls}
	d.mall.Account.APIBase = d.url
	d.mall.Sync.BackfillStart = end.AddDate(0, 0, -cfg.days)
	if cfg.interval > 0 {
		d.mall.Sync.Interval = cfg.interval
	}
	d.truth = func(ctx context.Context, st stores) (sideTruth, error) {
		lines, claims, ships, err := storedRecords(ctx, st, d.mall.Key)
		if err != nil {
			return sideTruth{}, err
		}
		tr := sim.Truth()
		return sideTruth{TruthLines: len(tr.Lines), TruthClaims: len(tr.Claims), TruthShipments: len(tr.Shipments),
			Lines: tr.Diff(lines), Claims: tr.DiffClaims(smartstoresim.StoredClaimsOf(claims)),
			Shipments: tr.DiffShipments(smartstoresim.StoredShipmentsOf(ships))}, nil
	}
	id, secret := sim.App()
	return d, d.put(ctx, st, mallsync.Credential{Client: mallsync.AppClient{ClientID: id, ClientSecret: secret}})
}
