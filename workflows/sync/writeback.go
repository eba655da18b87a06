package sync

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// WriteBackInput asks for write-backs to one mall's platform.
type WriteBackInput struct {
	Mall   mallsync.MallKey
	Writes []mallsync.WriteBack
}

// WriteBackResult has one result per write-back, in order.
type WriteBackResult struct {
	Results []mallsync.WriteResult
}

// WriteBack writes the write-backs to the mall's platform (see connectors.Writer). A refusal
// by the platform is a result, not a failure; a failure (platform unreachable after the
// connector's retries) is retried by Temporal, which is safe: a write-back that already took
// effect comes back AlreadyDone. The change itself reaches Postgres with the mall's next sync
// pass, read back from the platform like any other change: signal sync-now after writing.
func (a *Activities) WriteBack(ctx context.Context, in WriteBackInput) (WriteBackResult, error) {
	mall, err := a.Malls.Mall(ctx, in.Mall)
	if err != nil {
		return WriteBackResult{}, activityError(err)
	}
	conn, err := a.Connectors.For(ctx, mall)
	if err != nil {
		return WriteBackResult{}, activityError(err)
	}
	w, ok := conn.(connectors.Writer)
	if !ok {
		return WriteBackResult{}, activityError(mallsync.Errorf(mallsync.EINVALID, "%s cannot write back to %s yet", mall.Key, mall.Platform))
	}
	res, err := w.Write(ctx, in.Writes)
	if err != nil {
		return WriteBackResult{}, activityError(fmt.Errorf("writing back %d change(s) to %s: %w", len(in.Writes), mall.Key, err))
	}
	refused := 0
	for _, r := range res {
		if !r.Done {
			refused++
		}
	}
	a.logger().Info("write-back", "mall", mall.Key, "writes", len(in.Writes), "refused", refused)
	return WriteBackResult{Results: res}, nil
}

// WriteBackOptions are the activity options a workflow calls WriteBack with: a few minutes
// per attempt (each call is capped, a budget may pace it), retried with backoff for half an
// hour, never for what retrying cannot fix.
func WriteBackOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout:    5 * time.Minute,
		ScheduleToCloseTimeout: 30 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: 2 * time.Minute, NonRetryableErrorTypes: nonRetryable},
	}
}
