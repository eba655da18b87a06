//go:build !nodev

package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/mallsync/mallsync"
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

// sideDemo is one of dev's demo malls beside the Cafe24 one: its platform's simulator, on the
// Cafe24 simulator's clock, and the mall file pointed at it.
type sideDemo struct {
	url    string
	mall   mallsync.Mall
	orders int
	stop   func()
	// truth compares the mall's stored lines, claims and shipments with the simulator's truth.
	truth func(lines []simtruth.Line, claims []mallsync.Claim, ships []mallsync.Shipment) sideTruth
	// calls counts the API calls the simulator served.
	calls func() int64
}

// sideTruth is how a side mall's stored records compare with its simulator's truth.
type sideTruth struct {
	TruthLines, TruthClaims, TruthShipments int
	Lines, Claims, Shipments                simtruth.Diff
}

// newSideDemo serves a simulator's handler and points mall at it, backfilling dev's days.
func newSideDemo(ctx context.Context, cfg devConfig, mall mallsync.Mall, h http.Handler, orders int, end time.Time) (*sideDemo, error) {
	url, stop, err := serveInBackground(ctx, "127.0.0.1:0", h)
	if err != nil {
		return nil, fmt.Errorf("%s simulator: %w", mall.Platform, err)
	}
	d := &sideDemo{url: url, mall: mall, orders: orders, stop: stop}
	d.mall.Account.APIBase = url
	d.mall.Sync.BackfillStart = end.AddDate(0, 0, -cfg.days)
	if cfg.interval > 0 {
		d.mall.Sync.Interval = cfg.interval
	}
	return d, nil
}

// put stores the demo mall and its credential, stopping the simulator when that fails.
func (d *sideDemo) put(ctx context.Context, st stores, cred mallsync.Credential) error {
	if err := st.malls.PutMall(ctx, d.mall); err != nil {
		d.stop()
		return err
	}
	cred.Ref = d.mall.CredentialsRef
	if err := st.creds.PutCredential(ctx, cred); err != nil {
		d.stop()
		return err
	}
	return nil
}

// report summarizes the mall for dev's summary.
func (d *sideDemo) report(ctx context.Context, st stores) (sideReport, error) {
	sum, err := st.sync.Summary(ctx, d.mall.Key)
	if err != nil {
		return sideReport{}, err
	}
	lines, claims, ships, err := storedRecords(ctx, st, d.mall.Key)
	if err != nil {
		return sideReport{}, err
	}
	tr := d.truth(lines, claims, ships)
	r := sideReport{Mall: string(d.mall.Key), Platform: string(d.mall.Platform), Orders: sum.Orders, Lines: sum.Lines,
		TruthLines: tr.TruthLines, LineMismatches: tr.Lines.Mismatches(),
		Claims: len(claims), TruthClaims: tr.TruthClaims, ClaimMismatches: tr.Claims.Mismatches(),
		Shipments: len(ships), TruthShipments: tr.TruthShipments, ShipmentMismatches: tr.Shipments.Mismatches(),
		APICalls: d.calls(), Quarantined: sum.Quarantined, ByStatus: map[string]int{}}
	r.Mismatches = r.LineMismatches + r.ClaimMismatches + r.ShipmentMismatches
	for k, v := range sum.ByStatus {
		r.ByStatus[string(k)] = v
	}
	for _, d := range []simtruth.Diff{tr.Lines, tr.Claims, tr.Shipments} {
		r.Examples = append(r.Examples, d.Examples...)
	}
	return r, nil
}

// storedRecords reads a mall's stored lines (for simtruth), claims and shipments.
func storedRecords(ctx context.Context, st stores, key mallsync.MallKey) ([]simtruth.Line, []mallsync.Claim, []mallsync.Shipment, error) {
	facts, err := st.sync.LineFacts(ctx, key)
	if err != nil {
		return nil, nil, nil, err
	}
	claims, err := st.sync.Claims(ctx, key)
	if err != nil {
		return nil, nil, nil, err
	}
	ships, err := st.sync.Shipments(ctx, key)
	if err != nil {
		return nil, nil, nil, err
	}
	lines := make([]simtruth.Line, len(facts))
	for i, f := range facts {
		lines[i] = simtruth.Line{Key: f.PlatformLineID, Status: f.PlatformStatus, Quantity: f.Quantity, PaymentAmount: int64(f.PaymentAmount)}
	}
	return lines, claims, ships, nil
}

// startSideDemos starts the simulators of the demo malls beside the Cafe24 one, in the order
// the summary shows them, and stores the malls pointed at them.
func startSideDemos(ctx context.Context, cfg devConfig, malls []mallsync.Mall, clock *simclock.Clock, end time.Time, st stores) ([]*sideDemo, error) {
	starts := []struct {
		platform mallsync.Platform
		start    func(context.Context, devConfig, mallsync.Mall, *simclock.Clock, time.Time, stores) (*sideDemo, error)
	}{{mallsync.PlatformSmartStore, startSmartStoreDemo}, {mallsync.PlatformCoupang, startCoupangDemo}}
	var out []*sideDemo
	for _, s := range starts {
		m, err := demoMall(malls, s.platform)
		if err == nil {
			var d *sideDemo
			d, err = s.start(ctx, cfg, m, clock, end, st)
			if err == nil {
				out = append(out, d)
				continue
			}
		}
		for _, d := range out {
			d.stop()
		}
		return nil, err
	}
	return out, nil
}
