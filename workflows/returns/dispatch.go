package returns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/mallsync/mallsync"
)

// Starter delivers a claim event to its claim's ReturnFlow, starting the flow if it is not
// running (SignalWithStart).
type Starter interface {
	SignalWithStart(ctx context.Context, ev mallsync.ClaimEvent) error
}

// ClientStarter is the Starter over a Temporal client.
type ClientStarter struct {
	Client    client.Client
	TaskQueue string
	// SLA is passed to the flows it starts (zero fields: the defaults).
	SLA SLA
}

// SignalWithStart signals claim-event to return/<mall>/<claim>, starting the flow with this
// event if none runs. A flow that already closed is not started again (the claim ended): the
// event is dropped.
func (s ClientStarter) SignalWithStart(ctx context.Context, ev mallsync.ClaimEvent) error {
	id := WorkflowID(ev.Mall, ev.ClaimID)
	_, err := s.Client.SignalWithStartWorkflow(ctx, id, SignalClaimEvent, ev, client.StartWorkflowOptions{
		ID: id, TaskQueue: s.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, WorkflowName, Input{Mall: ev.Mall, ClaimID: ev.ClaimID, SLA: s.SLA})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("signalling %s: %w", id, err)
	}
	return nil
}

// DispatchInput bounds one Dispatch activity.
type DispatchInput struct {
	// Batch is how many outbox rows one pass reads (default 100).
	Batch int
	// Slice is how long the activity keeps polling the outbox (0 = until it is empty once);
	// Idle is the pause between polls of an empty outbox (default 2s).
	Slice time.Duration
	Idle  time.Duration
}

// DispatchResult counts what a Dispatch delivered.
type DispatchResult struct {
	Delivered int
	Skipped   int
}

// Dispatch delivers pending outbox rows: each claim_event row is signalled (with start) to
// its claim's ReturnFlow, then the rows are marked sent. It heartbeats after every batch. A
// crash between a signal and the mark sends the row again next time, which is harmless: the
// flow ignores an event id it has seen.
func (a *Activities) Dispatch(ctx context.Context, in DispatchInput) (DispatchResult, error) {
	var res DispatchResult
	if a.Outbox == nil || a.Starter == nil {
		return res, activityError(mallsync.Errorf(mallsync.EINVALID, "this worker has no outbox dispatcher"))
	}
	batch, idle := in.Batch, in.Idle
	if batch <= 0 {
		batch = 100
	}
	if idle <= 0 {
		idle = 2 * time.Second
	}
	end := time.Now().Add(in.Slice)
	for {
		msgs, err := a.Outbox.PendingOutbox(ctx, batch)
		if err != nil {
			return res, activityError(fmt.Errorf("reading the outbox: %w", err))
		}
		sent := make([]int64, 0, len(msgs))
		for _, m := range msgs {
			if m.Kind == "claim_event" {
				var ev mallsync.ClaimEvent
				if err := json.Unmarshal(m.Payload, &ev); err != nil || ev.ClaimID == "" {
					a.logger().Error("undeliverable outbox row", "id", m.ID, "key", m.Key, "error", err)
					res.Skipped++
				} else {
					if ev.Mall == "" {
						ev.Mall = m.Mall
					}
					if err := a.Starter.SignalWithStart(ctx, ev); err != nil {
						// Keep what was delivered; the rest goes next time.
						_ = a.markSent(ctx, sent)
						return res, activityError(err)
					}
					res.Delivered++
				}
			} else {
				res.Skipped++
			}
			sent = append(sent, m.ID)
		}
		if err := a.markSent(ctx, sent); err != nil {
			return res, activityError(err)
		}
		activity.RecordHeartbeat(ctx, res)
		if len(msgs) == batch {
			continue
		}
		if !time.Now().Add(idle).Before(end) {
			return res, nil
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(idle):
		}
	}
}

func (a *Activities) markSent(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := a.Outbox.MarkOutboxSent(ctx, ids); err != nil {
		return fmt.Errorf("marking %d outbox row(s) sent: %w", len(ids), err)
	}
	return nil
}

// Dispatcher workflow names.
const (
	DispatcherWorkflowName = "OutboxDispatcher"
	DispatcherWorkflowID   = "outbox/dispatcher"
	defaultDispatchSlice   = 5 * time.Minute
	dispatchRunsPerHistory = 100
)

// DispatcherInput starts the OutboxDispatcher.
type DispatcherInput struct {
	// Slice is how long one Dispatch activity polls (default 5m); Idle its pause between polls
	// of an empty outbox (default 2s).
	Slice time.Duration
	Idle  time.Duration
	// Runs is how many Dispatch activities ran before this run (carried over continue-as-new).
	Runs int
	// Once ends the workflow after one Dispatch that found the outbox empty (tests, `--once`).
	Once bool
}

// OutboxDispatcher runs the Dispatch activity back to back, one per worker fleet (ID
// outbox/dispatcher): each activity polls the outbox for a slice, heartbeating, so an idle
// outbox costs Postgres a cheap query every Idle and Temporal three events per slice. It
// continues as new every 100 slices.
func OutboxDispatcher(ctx workflow.Context, in DispatcherInput) (DispatchResult, error) {
	if in.Slice <= 0 {
		in.Slice = defaultDispatchSlice
	}
	if in.Once {
		in.Slice = 0
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: in.Slice + 2*time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: time.Minute, NonRetryableErrorTypes: nonRetryable},
	})
	var total DispatchResult
	for i := 0; i < dispatchRunsPerHistory; i++ {
		var res DispatchResult
		if err := workflow.ExecuteActivity(actx, act.Dispatch, DispatchInput{Slice: in.Slice, Idle: in.Idle}).Get(ctx, &res); err != nil {
			return total, fmt.Errorf("dispatching the outbox: %w", err)
		}
		total.Delivered += res.Delivered
		total.Skipped += res.Skipped
		if in.Once {
			return total, nil
		}
	}
	in.Runs += dispatchRunsPerHistory
	return total, workflow.NewContinueAsNewError(ctx, OutboxDispatcher, in)
}
