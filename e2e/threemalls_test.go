package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
)

// Three malls, one per platform, synced side by side through the same MallSync workflow into
// the same tables over 14 simulated days with faults on every simulator: after the backfill
// and after every 12-hour cycle, Postgres equals each simulator's truth for lines, claims and
// shipments.
func TestThreeMallsFourteenDaysWithFaults(t *testing.T) {
	ctx := context.Background()
	start, end := period(30)
	// The clock starts 14 days before the last order: orders keep arriving while the cycles run.
	from := end.AddDate(0, 0, -14)
	b := setup(t, cafe24sim.Options{Seed: 2, Orders: 1500, Start: start, End: end, NoLimits: true, Clock: cafe24sim.NewClock(from),
		Faults: cafe24sim.Faults{Rate429: 0.03, Rate5xx: 0.03, SlowRate: 0.02, SlowDelay: 20 * time.Millisecond,
			TruncateRate: 0.02, DuplicateRate: 0.05, LateRate: 0.1, LateBy: 90 * time.Minute}})
	smartstore, _ := b.smartStoreMall(ctx, smartstoresim.Options{Seed: 5, Orders: 1500, Start: start, End: end, NoLimits: true,
		Faults: smartstoresim.Faults{Rate429: 0.01, Rate5xx: 0.03, RateSlow: 0.02, SlowFor: 20 * time.Millisecond,
			RateTruncated: 0.02, RateDuplicate: 0.05, LateRate: 0.1, LateMax: 40 * time.Minute}})
	coupang, _ := b.coupangMall(ctx, coupangsim.Options{Seed: 8, Orders: 1500, Start: start, End: end, NoLimits: true,
		Faults: coupangsim.Faults{Rate429: 0.03, Rate5xx: 0.03, SlowRate: 0.02, SlowDelay: 20 * time.Millisecond,
			TruncateRate: 0.02, DuplicateRate: 0.05, LateRate: 0.1, LateBy: 90 * time.Minute}})
	sides := []sideMall{smartstore, coupang}
	keys := []mallsync.MallKey{b.mall.Key}
	for _, s := range sides {
		keys = append(keys, s.mall.Key)
	}

	b.syncMalls(ctx, keys...)
	check := func(when string) []map[string]int {
		t.Helper()
		b.requireEqualToTruth(ctx, when)
		var counts []map[string]int
		for _, s := range sides {
			counts = append(counts, b.requireSideEqual(ctx, s, when))
		}
		return counts
	}
	first := check("after the backfill")
	cycles := 0
	for now := from; now.Before(end); now = now.Add(12 * time.Hour) {
		b.sim.Clock().Set(now.Add(12 * time.Hour))
		b.clockJumps++
		b.syncMalls(ctx, keys...)
		check("at " + now.Add(12*time.Hour).Format(time.DateTime))
		cycles++
	}
	for i, s := range sides {
		last := b.requireSideEqual(ctx, s, "at the end")
		// The cycles must have carried new orders, claims and parcels in, or they proved little.
		if last["lines"] <= first[i]["lines"] || last["claims"] <= first[i]["claims"] || last["shipments"] <= first[i]["shipments"] {
			t.Fatalf("%s: lines %d → %d, claims %d → %d, shipments %d → %d over the 14 days: nothing new to catch",
				s.mall.Key, first[i]["lines"], last["lines"], first[i]["claims"], last["claims"], first[i]["shipments"], last["shipments"])
		}
		t.Logf("%s after %d cycles: %v (after the backfill %v)", s.mall.Key, cycles, last, first[i])
	}
}
