package sync

import (
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// TestReplayRecordedHistory replays a MallSync history recorded from a real run (the e2e
// backfill; refresh it with `go test ./e2e -run TestBackfillThenNextDay -args -update-history`).
// A change that makes the workflow issue other commands for the same history fails here: such
// a change needs workflow versioning (workflow.GetVersion), not a silent edit.
func TestReplayRecordedHistory(t *testing.T) {
	t.Parallel()
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(MallSync, workflow.RegisterOptions{Name: WorkflowName})
	if err := r.ReplayWorkflowHistoryFromJSONFile(nil, "testdata/mallsync_history.json"); err != nil {
		t.Fatalf("replaying the recorded MallSync history: %v", err)
	}
}
