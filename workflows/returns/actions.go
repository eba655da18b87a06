package returns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/mallsync/mallsync"
)

// Actions implements mallsync.ReturnActions over a Temporal client: each action is an Update
// on the claim's ReturnFlow, waited for until it completed, so that a refusal comes back at
// once as EINVALID or ECONFLICT with the flow's reason.
type Actions struct {
	Client client.Client
}

// CompleteTask completes the flow's task with result.
func (a Actions) CompleteTask(ctx context.Context, workflowID string, taskID int64, result json.RawMessage, by string) error {
	return a.update(ctx, workflowID, UpdateCompleteTask, CompleteTask{TaskID: taskID, Result: result, By: by})
}

// Approve approves the return or exchange without waiting for an inspection.
func (a Actions) Approve(ctx context.Context, mall mallsync.MallKey, claimID, by string) error {
	return a.update(ctx, WorkflowID(mall, claimID), UpdateApprove, Approve{By: by})
}

// Reject rejects it with reason.
func (a Actions) Reject(ctx context.Context, mall mallsync.MallKey, claimID, reason, by string) error {
	return a.update(ctx, WorkflowID(mall, claimID), UpdateReject, Reject{Reason: reason, By: by})
}

// Withdraw withdraws it on the buyer's behalf, where the mall's policy allows it.
func (a Actions) Withdraw(ctx context.Context, mall mallsync.MallKey, claimID, by string) error {
	return a.update(ctx, WorkflowID(mall, claimID), UpdateWithdraw, Withdraw{By: by})
}

// Reassign gives one of the flow's open tasks to assignee (not part of mallsync.ReturnActions:
// the console may call it for tasks a flow waits for).
func (a Actions) Reassign(ctx context.Context, workflowID string, taskID int64, assignee, by string) error {
	return a.update(ctx, workflowID, UpdateReassign, Reassign{TaskID: taskID, Assignee: assignee, By: by})
}

func (a Actions) update(ctx context.Context, workflowID, name string, arg any) error {
	h, err := a.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: workflowID, UpdateName: name,
		Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	return actionError(workflowID, name, err)
}

// actionError turns an update's failure into a mallsync error: a refusal by the flow keeps its
// code (EINVALID, ECONFLICT, or the code of a store activity that failed) and reason; a flow
// that does not run is ENOTFOUND.
func actionError(workflowID, name string, err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		code := appErr.Type()
		switch code {
		case mallsync.EINVALID, mallsync.ECONFLICT, mallsync.ENOTFOUND, mallsync.EFORBIDDEN:
			return mallsync.Errorf(code, "%s", appErr.Message())
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return mallsync.Errorf(mallsync.ENOTFOUND, "no running return flow %s", workflowID)
	}
	return fmt.Errorf("%s on %s: %w", name, workflowID, err)
}

var _ mallsync.ReturnActions = Actions{}
