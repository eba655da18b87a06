// Package workflows registers every mallsync workflow family on a Temporal worker. The
// families live in their own packages (sync, and later returns and reconcile); this package
// only knows the task queue and what each family needs.
package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// TaskQueue is the queue every mallsync worker polls.
const TaskQueue = "mallsync"

// Deps is what the registered activities need.
type Deps struct {
	Sync *syncwf.Activities
}

// Register registers the workflows and activities on r.
func Register(r worker.Registry, d Deps) {
	r.RegisterWorkflowWithOptions(syncwf.MallSync, workflow.RegisterOptions{Name: syncwf.WorkflowName})
	r.RegisterActivity(d.Sync)
}
