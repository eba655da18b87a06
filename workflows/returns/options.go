package returns

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// StoreOptions are the options of the activities over Postgres (claims, tasks, ledger,
// notifications): short attempts, retried with backoff for as long as the database is away
// (a return can wait), never for what retrying cannot fix.
func StoreOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: time.Minute, NonRetryableErrorTypes: storeNonRetryable},
	}
}

// WriteOptions are the options of the write-back activity: as workflows/sync.WriteBackOptions,
// a few minutes per attempt (a rate budget may pace it), retried for half an hour. A write-back
// that still fails then becomes an agent follow-up task, not a failed flow.
func WriteOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout:    5 * time.Minute,
		ScheduleToCloseTimeout: 30 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: 2 * time.Minute, NonRetryableErrorTypes: nonRetryable},
	}
}
