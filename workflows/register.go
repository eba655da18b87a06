// Package workflows registers every mallsync workflow family on a Temporal worker. The
// families live in their own packages (sync, returns, and later reconcile); this package
// only knows the task queue and what each family needs.
package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/mallsync/mallsync/workflows/returns"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// TaskQueue is the queue every mallsync worker polls.
const TaskQueue = "mallsync"

// Deps is what the registered activities need.
type Deps struct {
	Sync *syncwf.Activities
	// Returns runs the ReturnFlow and OutboxDispatcher workflows' activities; nil leaves the
	// returns family off this worker. Every worker of a queue should register the same
	// families: a worker without them fails the tasks it picks up (they are retried, on
	// whichever worker polls next).
	Returns *returns.Activities
}

// Register registers the workflows and activities on r.
func Register(r worker.Registry, d Deps) {
	r.RegisterWorkflowWithOptions(syncwf.MallSync, workflow.RegisterOptions{Name: syncwf.WorkflowName})
	r.RegisterActivity(d.Sync)
	if d.Returns != nil {
		r.RegisterWorkflowWithOptions(returns.ReturnFlow, workflow.RegisterOptions{Name: returns.WorkflowName})
		r.RegisterWorkflowWithOptions(returns.OutboxDispatcher, workflow.RegisterOptions{Name: returns.DispatcherWorkflowName})
		r.RegisterActivity(d.Returns)
	}
}
