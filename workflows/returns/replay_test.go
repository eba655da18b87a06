package returns

import (
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// TestReplayRecordedHistory replays a ReturnFlow history recorded from a run on a real server
// (events through the dispatcher's SignalWithStart, a refused and an accepted inspection
// result, a refused approval, an agent's withdrawal after the receipt, the reshipment; refresh
// it with `go test -tags record ./workflows/returns -run TestRecordHistory`). A change that
// makes the workflow issue other commands for the same history fails here: such a change
// needs workflow versioning (workflow.GetVersion), not a silent edit.
func TestReplayRecordedHistory(t *testing.T) {
	t.Parallel()
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(ReturnFlow, workflow.RegisterOptions{Name: WorkflowName})
	if err := r.ReplayWorkflowHistoryFromJSONFile(nil, "testdata/returnflow_history.json"); err != nil {
		t.Fatalf("replaying the recorded ReturnFlow history: %v", err)
	}
}
