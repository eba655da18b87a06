package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/workflows/returns"
)

// returnsReport is the returns part of dev's summary: the ReturnFlows, the tasks they opened,
// and stock by ownership from the ledger.
type returnsReport struct {
	FlowsRunning int64 `json:"flows_running"`
	FlowsClosed  int64 `json:"flows_closed"`
	// OutboxPending counts claim events not yet delivered to their flows.
	OutboxPending int `json:"outbox_pending"`
	// OpenTasks counts open and claimed tasks by kind; DoneTasks closed ones.
	OpenTasks map[string]int   `json:"open_tasks_by_kind"`
	DoneTasks map[string]int   `json:"closed_tasks_by_kind"`
	Stock     []ownershipStock `json:"stock_by_ownership"`
}

// ownershipStock sums a mall's ledger for one ownership and location.
type ownershipStock struct {
	Mall      string `json:"mall"`
	Ownership string `json:"ownership"`
	Location  string `json:"location"`
	SKUs      int    `json:"skus"`
	OnHand    int    `json:"on_hand"`
	Reserved  int    `json:"reserved"`
	Available int    `json:"available"`
}

// waitForOutbox waits up to max for the dispatcher to deliver the sync's claim events, so
// that the summary shows the flows they started; it says what it waits for.
func waitForOutbox(ctx context.Context, st stores, max time.Duration, say func(string, ...any)) {
	deadline := time.Now().Add(max)
	for {
		pending, err := st.outbox.PendingCount(ctx)
		if err != nil || pending == 0 || time.Now().After(deadline) {
			return
		}
		say("delivering claim events to their return flows: %d pending", pending)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func buildReturnsReport(ctx context.Context, st stores, tc client.Client, malls []mallsync.MallKey) (returnsReport, error) {
	r := returnsReport{OpenTasks: map[string]int{}, DoneTasks: map[string]int{}}
	for status, n := range map[string]*int64{"Running": &r.FlowsRunning, "Completed": &r.FlowsClosed} {
		res, err := tc.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Query: fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = '%s'", returns.WorkflowName, status)})
		if err != nil {
			return r, fmt.Errorf("counting return flows: %w", err)
		}
		*n = res.GetCount()
	}
	var err error
	if r.OutboxPending, err = st.outbox.PendingCount(ctx); err != nil {
		return r, err
	}
	counts, err := st.tasks.TaskCounts(ctx)
	if err != nil {
		return r, err
	}
	for _, c := range counts {
		if c.Status == mallsync.TaskOpen || c.Status == mallsync.TaskClaimed {
			r.OpenTasks[string(c.Kind)] += c.Count
		} else {
			r.DoneTasks[string(c.Kind)+" "+string(c.Status)] += c.Count
		}
	}
	for _, m := range malls {
		figures, err := st.ledger.StockByOwnership(ctx, m)
		if err != nil {
			return r, err
		}
		by := map[[2]string]*ownershipStock{}
		for _, f := range figures {
			k := [2]string{string(f.Ownership), f.Location}
			s := by[k]
			if s == nil {
				s = &ownershipStock{Mall: string(m), Ownership: string(f.Ownership), Location: f.Location}
				by[k] = s
			}
			s.SKUs++
			s.OnHand += f.OnHand
			s.Reserved += f.Reserved
			s.Available += f.Available
		}
		var part []ownershipStock
		for _, s := range by {
			part = append(part, *s)
		}
		sort.Slice(part, func(i, j int) bool {
			return part[i].Ownership < part[j].Ownership || part[i].Ownership == part[j].Ownership && part[i].Location < part[j].Location
		})
		r.Stock = append(r.Stock, part...)
	}
	return r, nil
}

func (r returnsReport) print(w io.Writer) {
	fmt.Fprintf(w, "\nmallsync dev: returns and stock\n")
	fmt.Fprintf(w, "  return flows   %d running · %d closed · %d claim events waiting\n", r.FlowsRunning, r.FlowsClosed, r.OutboxPending)
	fmt.Fprintf(w, "  open tasks     %s\n", joinCounts(r.OpenTasks, taskKindOrder()))
	fmt.Fprintf(w, "  closed tasks   %s\n", joinCounts(r.DoneTasks, nil))
	fmt.Fprintf(w, "  stock by ownership: the ledger's net movements since the first sync (opening balances are\n")
	fmt.Fprintf(w, "  not loaded yet, so dispatches show as negative on hand; consignment goods are the partners'):\n")
	if len(r.Stock) == 0 {
		fmt.Fprintf(w, "    none\n")
	}
	for _, s := range r.Stock {
		fmt.Fprintf(w, "    %-16s %-11s %-10s %5d SKUs  on hand %6d  reserved %5d  available %6d\n",
			s.Mall, s.Ownership, s.Location, s.SKUs, s.OnHand, s.Reserved, s.Available)
	}
}

func taskKindOrder() []string {
	return []string{string(mallsync.TaskInspection), string(mallsync.TaskPhotoReview), string(mallsync.TaskReshipment),
		string(mallsync.TaskReturnToSupplier), string(mallsync.TaskAgentFollowup)}
}
