package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
)

// Three malls, one per platform, synced side by side through the same MallSync workflow into
// the same tables over 14 simulated days with faults on every simulator: after the backfill
// and after every 12-hour cycle, Postgres equals each simulator's truth for lines, claims and
// shipments.
func TestThreeMallsFourteenDaysWithFaults(t *testing.T) {
	ctx := context.Background()
	start, end := period(30)
	b := setup(t, cafe24sim.Options{Seed: 2, Orders: 1500, Start: start, End: end, NoLimits: true,
		Faults: cafe24sim.Faults{Rate429: 0.03, Rate5xx: 0.03, SlowRate: 0.02, SlowDelay: 20 * time.Millisecond,
			TruncateRate: 0.02, DuplicateRate: 0.05, LateRate: 0.1, LateBy: 90 * time.Minute}})
	coupang, _ := b.coupangMall(ctx, coupangsim.Options{Seed: 8, Orders: 1500, Start: start, End: end,
		NoLimits: true, Faults: coupangsim.Faults{Rate429: 0.03, Rate5xx: 0.03}})
	sides := []sideMall{coupang}
	keys := []mallsync.MallKey{b.mall.Key}
	for _, s := range sides {
		keys = append(keys, s.mall.Key)
	}

	b.syncMalls(ctx, keys...)
	check := func(when string) {
		t.Helper()
		b.requireEqualToTruth(ctx, when)
		for _, s := range sides {
			b.requireSideEqual(ctx, s, when)
		}
	}
	check("after the backfill")
	cycles := 0
	for now := end; now.Before(end.AddDate(0, 0, 14)); now = now.Add(12 * time.Hour) {
		b.sim.Clock().Set(now.Add(12 * time.Hour))
		b.clockJumps++
		b.syncMalls(ctx, keys...)
		check("at " + now.Add(12*time.Hour).Format(time.DateTime))
		cycles++
	}
	for _, s := range sides {
		t.Logf("%s after %d cycles: %v", s.mall.Key, cycles, b.requireSideEqual(ctx, s, "at the end"))
	}
}
