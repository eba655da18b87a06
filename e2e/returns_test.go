package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/workflows/returns"
)

// Returns run as workflows beside the sync, on the Cafe24 simulator: claim events reach one
// ReturnFlow per return or exchange through the outbox, logistics completes the inspection
// and re-shipment tasks as they appear (through the flows' Updates, as the tasks API does),
// withdrawals and exchanges run to their end. Afterwards every flow whose claim ended on the
// platform is closed, consignment goods moved nothing, and the ledger balances: for every SKU
// and ownership, on hand = receipts of the returns that stayed received − the dispatched
// quantities of the lines, counted from the lines and the flows, not from the ledger.
func TestReturnsRunToTheirEndAndTheLedgerBalances(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 20)
	b := setupWithReturns(t, cafe24sim.Options{Seed: 41, Orders: 1200, Start: start, End: end, NoLimits: true,
		Clock: cafe24sim.NewClock(start.AddDate(0, 0, 2))})
	actions := returns.Actions{Client: b.tc}

	completed := map[mallsync.TaskKind]int{}
	agentWithdrew := map[string]bool{} // flow id → withdrawn by an agent after the item arrived
	act := func() {
		t.Helper()
		b.waitForOutbox(ctx)
		for _, kind := range []mallsync.TaskKind{mallsync.TaskInspection, mallsync.TaskReshipment} {
			open, err := b.tasks.Tasks(ctx, mallsync.TaskFilter{Kind: kind, Status: mallsync.TaskOpen, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, task := range open {
				if task.WorkflowID == "" {
					continue
				}
				// One inspection in seven: the buyer calls CS to keep the item after all, and an
				// agent withdraws the return although it already reached the warehouse.
				if kind == mallsync.TaskInspection && task.ID%7 == 3 {
					err := actions.Withdraw(ctx, b.mall.Key, task.ClaimID, "agent-lee")
					if err == nil {
						agentWithdrew[task.WorkflowID] = true
						continue
					}
					if code := mallsync.ErrorCode(err); code != mallsync.ECONFLICT && code != mallsync.EINVALID && code != mallsync.ENOTFOUND {
						t.Fatalf("withdrawing claim %s: %v", task.ClaimID, err)
					}
				}
				var result any
				switch kind {
				case mallsync.TaskInspection: // one in four defective, into quarantine
					result = mallsync.InspectionResult{Disposition: mallsync.DispositionRestock, Grade: "A"}
					if task.ID%4 == 0 {
						result = mallsync.InspectionResult{Defect: true, Grade: "C", Disposition: mallsync.DispositionQuarantine}
					}
				case mallsync.TaskReshipment:
					result = mallsync.ReshipmentResult{CarrierCode: "0006", TrackingNo: fmt.Sprintf("RS%010d", task.ID)}
				}
				body, _ := json.Marshal(result)
				// A flow may have moved on since the list (the platform completed or withdrew the
				// claim): its refusal is the flow's answer, not a failure.
				if err := actions.CompleteTask(ctx, task.WorkflowID, task.ID, body, "logistics-kim"); err == nil {
					completed[kind]++
				} else if code := mallsync.ErrorCode(err); code != mallsync.ECONFLICT && code != mallsync.EINVALID && code != mallsync.ENOTFOUND {
					t.Fatalf("completing %s task %d: %v", kind, task.ID, err)
				}
			}
		}
	}

	b.syncUntilCaughtUp(ctx)
	act()
	for now := start.AddDate(0, 0, 2); now.Before(end.AddDate(0, 0, 9)); now = now.Add(12 * time.Hour) {
		b.sim.Clock().Set(now.Add(12 * time.Hour))
		b.clockJumps++
		b.syncUntilCaughtUp(ctx)
		act()
	}
	// The last round's decisions are written back by the flows after their updates returned:
	// once no flow has an activity in flight, one more sync 11 minutes later brings them in (a
	// pass starts only when the clock moved, and the catalog is read at most every 10 minutes).
	b.waitForFlowsIdle(ctx)
	b.sim.Clock().Advance(11 * time.Minute)
	b.syncUntilCaughtUp(ctx)
	b.waitForOutbox(ctx)
	b.waitForFlowsIdle(ctx)
	b.requireEqualToTruth(ctx, "after the returns")

	// Every return and exchange has its flow; those whose claim ended on the platform are closed.
	claims, err := b.sync.Claims(ctx, b.mall.Key)
	if err != nil {
		t.Fatal(err)
	}
	flows, withdrawn, exchanges, received, reversed := 0, 0, 0, 0, 0
	receipts := map[[2]string]int{} // (sku, ownership) → quantity received and kept
	lines := b.lineFacts(ctx)
	for _, c := range claims {
		if c.Kind == mallsync.ClaimCancel {
			continue
		}
		flows++
		id := returns.WorkflowID(b.mall.Key, c.PlatformClaimID)
		st := b.flowState(ctx, id)
		desc, err := b.tc.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			t.Fatalf("claim %s (%s %s) has no flow: %v", c.PlatformClaimID, c.Kind, c.Status, err)
		}
		closed := desc.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED
		if !c.Open() && !closed && st.Stage != returns.StageReshipment {
			t.Errorf("claim %s ended on the platform (%s) but its flow is %s at %s: %v", c.PlatformClaimID, c.Status,
				desc.WorkflowExecutionInfo.Status, st.Stage, st.History)
		}
		if st.Outcome == returns.OutcomeWithdrawn {
			withdrawn++
		}
		if c.Kind == mallsync.ClaimExchange {
			exchanges++
		}
		if agentWithdrew[id] {
			// Withdrawn after arrival: exactly one re-shipment back to the buyer, and every
			// movement the return made reversed.
			back := 0
			for _, task := range st.Tasks {
				if task.Kind == mallsync.TaskReshipment {
					back++
				}
			}
			if st.Outcome != returns.OutcomeWithdrawn || back != 1 || (len(st.Movements) > 0 && st.Reversed != len(st.Movements)) {
				t.Errorf("claim %s withdrawn after arrival: outcome %s, %d re-shipment tasks, %d of %d movements reversed",
					c.PlatformClaimID, st.Outcome, back, st.Reversed, len(st.Movements))
			}
		}
		if st.Reversed > 0 {
			reversed++
			continue // a withdrawal reversed what the return had received
		}
		if len(st.Movements) > 0 {
			received++
			for _, l := range st.Lines {
				f, ok := lines[l.ID]
				if !ok {
					t.Fatalf("claim %s names line %s, not stored", c.PlatformClaimID, l.ID)
				}
				receipts[[2]string{f.sku, string(l.Ownership)}] += l.Quantity
			}
		}
	}
	if flows == 0 || withdrawn == 0 || exchanges == 0 || received == 0 || completed[mallsync.TaskInspection] == 0 || len(agentWithdrew) == 0 {
		t.Fatalf("%d flows, %d withdrawn (%d by an agent after arrival), %d exchanges, %d received, %d inspections completed: the test proves nothing",
			flows, withdrawn, len(agentWithdrew), exchanges, received, completed[mallsync.TaskInspection])
	}

	// The ledger against what the lines and the flows say.
	want := map[[2]string]int{}
	for _, f := range lines {
		if f.ownership == mallsync.OwnConsignment || !f.dispatched {
			continue
		}
		want[[2]string{f.sku, string(f.ownership)}] -= f.quantity
	}
	for k, q := range receipts {
		if k[1] != string(mallsync.OwnConsignment) {
			want[k] += q
		}
	}
	figures, err := b.ledger.StockByOwnership(ctx, b.mall.Key)
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]int{}
	for _, f := range figures {
		if f.Ownership == mallsync.OwnConsignment && (f.OnHand != 0 || f.Reserved != 0) {
			t.Errorf("consignment stock moved: %+v", f)
		}
		got[[2]string{f.SKU, string(f.Ownership)}] += f.OnHand
	}
	bad := 0
	for k, w := range want {
		if got[k] != w {
			bad++
			if bad <= 5 {
				t.Errorf("SKU %s (%s): ledger on hand %d, lines and flows say %d", k[0], k[1], got[k], w)
			}
		}
		delete(got, k)
	}
	for k, g := range got {
		if g != 0 {
			t.Errorf("SKU %s (%s): ledger on hand %d where nothing moved", k[0], k[1], g)
		}
	}
	t.Logf("%d flows: %d received and kept, %d withdrawn (%d by an agent after arrival, %d with movements reversed), %d exchanges; tasks completed %v; %d SKU/ownership figures balance",
		flows, received, withdrawn, len(agentWithdrew), reversed, exchanges, completed, len(want)-bad)
}

// lineFact is what the ledger check needs of a stored line.
type lineFact struct {
	sku        string
	ownership  mallsync.Ownership
	quantity   int
	dispatched bool
}

func (b *bundle) lineFacts(ctx context.Context) map[string]lineFact {
	b.t.Helper()
	rows, err := b.db.QueryContext(ctx, `
		SELECT l.platform_line_id, COALESCE(NULLIF(l.sku, ''), NULLIF(l.variant_code, ''), l.product_code), l.ownership, l.quantity,
			l.status IN ('shipped', 'delivered', 'confirmed', 'returned', 'exchanged')
		FROM order_lines l JOIN malls m ON m.id = l.mall_id WHERE m.key = $1`, string(b.mall.Key))
	if err != nil {
		b.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]lineFact{}
	for rows.Next() {
		var id string
		var f lineFact
		if err := rows.Scan(&id, &f.sku, &f.ownership, &f.quantity, &f.dispatched); err != nil {
			b.t.Fatal(err)
		}
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		b.t.Fatal(err)
	}
	return out
}

// flowState queries a ReturnFlow's state.
func (b *bundle) flowState(ctx context.Context, workflowID string) returns.State {
	b.t.Helper()
	v, err := b.tc.QueryWorkflow(ctx, workflowID, "", returns.QueryState)
	if err != nil {
		b.t.Fatalf("querying %s: %v", workflowID, err)
	}
	var st returns.State
	if err := v.Get(&st); err != nil {
		b.t.Fatal(err)
	}
	return st
}

// waitForOutbox waits until the dispatcher delivered every claim event and the flows had a
// moment to act on them.
func (b *bundle) waitForOutbox(ctx context.Context) {
	b.t.Helper()
	outbox := postgresOutbox(b)
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		pending, err := outbox.PendingOutbox(ctx, 1)
		if err != nil {
			b.t.Fatal(err)
		}
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the outbox did not drain in 2 minutes")
		}
	}
	time.Sleep(time.Second)
}

func postgresOutbox(b *bundle) mallsync.Outbox { return postgres.NewOutbox(b.db) }

// waitForFlowsIdle waits until no running ReturnFlow has an activity scheduled or running.
func (b *bundle) waitForFlowsIdle(ctx context.Context) {
	b.t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(300 * time.Millisecond) {
		busy := 0
		var token []byte
		for {
			page, err := b.tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{NextPageToken: token,
				Query: "WorkflowType = '" + returns.WorkflowName + "' AND ExecutionStatus = 'Running'"})
			if err != nil {
				b.t.Fatal(err)
			}
			for _, e := range page.Executions {
				d, err := b.tc.DescribeWorkflowExecution(ctx, e.Execution.WorkflowId, e.Execution.RunId)
				if err != nil {
					b.t.Fatal(err)
				}
				if len(d.PendingActivities) > 0 {
					busy++
				}
			}
			if token = page.NextPageToken; len(token) == 0 {
				break
			}
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%d return flows still busy after a minute", busy)
		}
	}
}
