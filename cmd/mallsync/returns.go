package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/notify"
	"github.com/mallsync/mallsync/notify/lognotify"
	"github.com/mallsync/mallsync/workflows"
	"github.com/mallsync/mallsync/workflows/returns"
)

// newReturnActivities builds the returns family's activities (ReturnFlow, the outbox
// dispatcher) over the stores, writing back through reg's connectors. now is the platforms'
// clock (a simulator's in dev; nil = time.Now).
func newReturnActivities(s stores, reg *connectors.Registry, c client.Client, logger *slog.Logger, now func() time.Time) *returns.Activities {
	return &returns.Activities{Claims: s.claims, Tasks: s.tasks, Ledger: s.ledger, Notifications: s.notifications,
		Malls: s.malls, Connectors: reg, Outbox: s.outbox, Starter: returns.ClientStarter{Client: c, TaskQueue: workflows.TaskQueue},
		Now: now, Logger: logger}
}

// startDispatcher starts the outbox dispatcher, or leaves the running one be.
func startDispatcher(ctx context.Context, c client.Client) error {
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: returns.DispatcherWorkflowID, TaskQueue: workflows.TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, returns.DispatcherWorkflowName, returns.DispatcherInput{})
	if err != nil {
		return fmt.Errorf("starting the outbox dispatcher: %w", err)
	}
	return nil
}

// deliverNotifications sends queued buyer notifications through the log adapter every
// interval until ctx ends.
func deliverNotifications(ctx context.Context, s stores, logger *slog.Logger, every time.Duration) {
	d := &notify.Deliverer{Outbox: s.notifications, Sender: &lognotify.Sender{Logger: logger}}
	go d.Run(ctx, every) //nolint:errcheck // ends with ctx
}
