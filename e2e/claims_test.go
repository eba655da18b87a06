package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
)

// Change capture without gaps: 20,000 orders over 30 simulated days, synced every 12 hours
// while claims are requested, accepted, held, picked up, rejected, withdrawn and completed,
// refunds are accepted and paid out and stock moves, with events landing late (inside the
// lookback), 429s, 5xx and slow responses all along, and usage blocks. After every cycle
// Postgres equals the simulator's truth for orders, lines, claims, shipments, refunds and
// stock. Withdrawals and holds move no date_type: only the re-read of open claims catches them.
func TestThirtyDaysEveryEntityEqualsTruth(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 30)
	b := setup(t, cafe24sim.Options{Seed: 30, Orders: 20000, Start: start, End: end, NoLimits: true,
		Clock: cafe24sim.NewClock(start.AddDate(0, 0, 2)),
		Faults: cafe24sim.Faults{Rate429: 0.03, Rate5xx: 0.03, SlowRate: 0.02, SlowDelay: 20 * time.Millisecond,
			LateRate: 0.1, LateBy: 90 * time.Minute, UsageCalls: 600, UsageWindow: time.Minute, UsageBlock: time.Second}})
	b.syncUntilCaughtUp(ctx)
	prev := b.requireEqualToTruth(ctx, "after the backfill")

	withdrawnSeen, heldSeen, paidOutSeen, stockMoved, steps := 0, 0, 0, 0, 0
	for now := start.AddDate(0, 0, 2); now.Before(end.AddDate(0, 0, 10)); now = now.Add(12 * time.Hour) {
		b.sim.Clock().Set(now.Add(12 * time.Hour))
		b.clockJumps++
		b.syncUntilCaughtUp(ctx)
		truth := b.requireEqualToTruth(ctx, "at "+now.Add(12*time.Hour).Format(time.DateTime))
		was := map[string]string{}
		for _, c := range prev.Claims {
			was[c.Code] = c.Status
		}
		for _, c := range truth.Claims {
			if c.Status == "undone" && was[c.Code] != "" && was[c.Code] != "undone" {
				withdrawnSeen++ // a claim that was open at the last cycle and is withdrawn now
			}
			if (c.Status == "R12" || c.Status == "E12") && was[c.Code] != c.Status {
				heldSeen++
			}
		}
		waiting := map[string]bool{}
		for _, r := range prev.Refunds {
			waiting[r.Code] = !r.Done
		}
		for _, r := range truth.Refunds {
			if r.Done && waiting[r.Code] {
				paidOutSeen++ // stored as waiting at the last cycle, paid out now
			}
		}
		for i, s := range truth.Stock {
			if i < len(prev.Stock) && prev.Stock[i].Quantity != s.Quantity {
				stockMoved++
			}
		}
		prev = truth
		steps++
	}
	blocks, during := b.sim.UsageBlocks()
	if withdrawnSeen == 0 || heldSeen == 0 || paidOutSeen == 0 || stockMoved == 0 || blocks == 0 {
		t.Fatalf("over %d cycles %d claims were withdrawn and %d held, %d refunds paid out and %d stock figures moved between two syncs, with %d usage blocks: the test proves nothing",
			steps, withdrawnSeen, heldSeen, paidOutSeen, stockMoved, blocks)
	}
	if during > blocks {
		t.Fatalf("%d calls were made during %d usage blocks: the connector does not wait them out", during, blocks)
	}
	t.Logf("%d cycles, %d claims at the end (%d withdrawn between two syncs, %d put on hold), %d lines, %d shipments, %d refunds (%d paid out between syncs), %d variants (%d stock moves seen), %d usage blocks (%d calls during them)",
		steps, len(prev.Claims), withdrawnSeen, heldSeen, len(prev.Lines), len(prev.Shipments), len(prev.Refunds), paidOutSeen, len(prev.Stock), stockMoved, blocks, during)
}
