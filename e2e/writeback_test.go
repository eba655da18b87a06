package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// Write-backs through the WriteBack activity into the simulator, then the next sync cycle:
// Postgres equals the truth again, with the lines shipped under our invoices, the return
// withdrawn (back to N40, claim withdrawn) and the accepted return accepted.
func TestWriteBacksComeBackThroughTheSync(t *testing.T) {
	ctx := context.Background()
	start, end := period(20)
	b := setup(t, cafe24sim.Options{Seed: 4, Orders: 8000, Start: start, End: end, NoLimits: true,
		Clock: cafe24sim.NewClock(end.Add(-5 * 24 * time.Hour))})
	b.syncUntilCaughtUp(ctx)
	tr := b.requireEqualToTruth(ctx, "before the write-backs")

	used := map[string]bool{}
	pick := func(status string) cafe24sim.TruthLine {
		for _, l := range tr.Lines {
			if l.Status == status && !used[l.OrderID] {
				used[l.OrderID] = true
				return l
			}
		}
		t.Fatalf("no line in %s", status)
		return cafe24sim.TruthLine{}
	}
	var writes []mallsync.WriteBack
	var ship []cafe24sim.TruthLine
	for i := range 3 {
		l := pick("N10")
		ship = append(ship, l)
		writes = append(writes, mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: l.OrderID,
			Lines: []mallsync.WriteLine{{PlatformLineID: l.ItemCode}}, CarrierCode: "0004", TrackingNo: fmt.Sprintf("E2E-%d", i)})
	}
	withdraw, accept := pick("R10"), pick("R00")
	writes = append(writes,
		mallsync.WriteBack{Action: mallsync.WriteWithdrawClaim, OrderID: withdraw.OrderID, ClaimID: withdraw.ClaimCode, ClaimKind: mallsync.ClaimReturn},
		mallsync.WriteBack{Action: mallsync.WriteAcceptReturn, OrderID: accept.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: accept.ItemCode, Quantity: accept.Quantity}}})

	acts := b.activities(b.newRegistry())
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	v, err := env.ExecuteActivity(acts.WriteBack, syncwf.WriteBackInput{Mall: b.mall.Key, Writes: writes})
	if err != nil {
		t.Fatal(err)
	}
	var res syncwf.WriteBackResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	for i, r := range res.Results {
		if !r.Done || r.AlreadyDone {
			t.Fatalf("write-back %d (%s): %+v", i, writes[i].Action, r)
		}
	}

	// Past the catalog's rescan interval, so that stock is read again too.
	b.sim.Clock().Advance(cafe24.RescanEvery + time.Minute)
	b.syncUntilCaughtUp(ctx)
	b.requireEqualToTruth(ctx, "after the write-backs")
	lines, err := b.sync.LineFacts(ctx, b.mall.Key)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, f := range lines {
		status[f.PlatformLineID] = f.PlatformStatus
	}
	for _, l := range ship {
		if status[l.ItemCode] != "N30" {
			t.Errorf("shipped line %s is %s in Postgres", l.ItemCode, status[l.ItemCode])
		}
	}
	if status[withdraw.ItemCode] != "N40" || status[accept.ItemCode] != "R10" {
		t.Errorf("withdrawn return's line is %s, accepted return's %s", status[withdraw.ItemCode], status[accept.ItemCode])
	}
	claims, err := b.sync.Claims(ctx, b.mall.Key)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range claims {
		if c.PlatformClaimID == withdraw.ClaimCode && c.Status != mallsync.ClaimWithdrawn {
			t.Errorf("withdrawn return stored as %s", c.Status)
		}
	}
	var tracked int
	if err := b.db.Get(&tracked, `SELECT count(*) FROM shipments WHERE tracking_no LIKE 'E2E-%'`); err != nil {
		t.Fatal(err)
	}
	if tracked != 3 {
		t.Errorf("%d shipments carry our invoices in Postgres, want 3", tracked)
	}
}
