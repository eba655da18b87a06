package returns

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/mallsync/mallsync"
)

// register sets up the state query, the claim-event signal and the updates.
func (f *flow) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (State, error) { return *f.st, nil }); err != nil {
		return fmt.Errorf("registering the state query: %w", err)
	}
	events := workflow.GetSignalChannel(ctx, SignalClaimEvent)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var ev mallsync.ClaimEvent
			events.Receive(ctx, &ev)
			f.onEvent(ctx, ev)
		}
	})
	updates := []struct {
		name      string
		handler   any
		validator any
	}{
		{UpdateCompleteTask, f.completeTask, f.validateCompleteTask},
		{UpdateApprove, f.approve, f.validateApprove},
		{UpdateReject, f.reject, f.validateReject},
		{UpdateWithdraw, f.withdrawUpdate, f.validateWithdraw},
		{UpdateReassign, f.reassign, f.validateReassign},
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler,
			workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return fmt.Errorf("registering the %s update: %w", u.name, err)
		}
	}
	return nil
}

// onEvent takes a platform change of the claim. A repeated event id changes nothing.
func (f *flow) onEvent(ctx workflow.Context, ev mallsync.ClaimEvent) {
	if ev.EventID == "" || f.st.seen(ev.EventID) || (ev.ClaimID != "" && ev.ClaimID != f.in.ClaimID) {
		return
	}
	f.st.Events = append(f.st.Events, ev.EventID)
	f.st.PlatformStatus = ev.PlatformStatus
	f.step(ctx, fmt.Sprintf("platform: %s (%s)", ev.Status, ev.PlatformStatus), byPlatform)
	if f.st.closed() || f.withdrawBy != "" {
		return
	}
	switch ev.Status {
	case mallsync.ClaimCollecting:
		if f.st.Stage == StagePickup {
			f.st.Stage = StageCollected
		}
	case mallsync.ClaimCollected, mallsync.ClaimInspecting:
		f.arrive()
	case mallsync.ClaimApproved:
		f.decide(DecisionApprove, byPlatform, "")
	case mallsync.ClaimRejected:
		f.decide(DecisionReject, byPlatform, "")
	case mallsync.ClaimCompleted:
		// The platform completed the claim (the refund, or the exchange): the item came back,
		// even if a sync never saw it arrive between two polls.
		f.arrive()
		f.decide(DecisionApprove, byPlatform, "")
		f.st.Refunded, f.st.RefundedAt = true, ev.ChangedAt
	case mallsync.ClaimWithdrawn:
		if f.st.Decision != DecisionReject {
			f.withdrawBy = byPlatform
		}
	}
}

func (f *flow) arrive() {
	if !f.st.Arrived {
		f.st.Arrived = true
		if f.st.Stage == StagePickup || f.st.Stage == StageCollected {
			f.st.Stage = StageArrived
		}
	}
}

// decide records the first decision; a later one changes nothing.
func (f *flow) decide(d Decision, by, reason string) {
	if f.st.Decision != "" {
		return
	}
	f.st.Decision, f.st.DecidedBy, f.st.Reason = d, by, reason
	f.setStage(StageDecided)
}

// refuseAction says why the flow takes no action from people now (nil when it does).
func (f *flow) refuseAction() error {
	switch {
	case !f.loaded:
		return refuse(mallsync.ECONFLICT, "return %s is starting; try again in a moment", f.in.ClaimID)
	case f.st.closed():
		return refuse(mallsync.ECONFLICT, "return %s is closed (%s)", f.in.ClaimID, f.st.Outcome)
	case f.withdrawBy != "":
		return refuse(mallsync.ECONFLICT, "return %s is withdrawn", f.in.ClaimID)
	}
	return nil
}

func (f *flow) validateCompleteTask(in CompleteTask) error {
	// A withdrawn flow that is still running waits for its reshipment task: that one may complete.
	if err := f.refuseAction(); err != nil && !(f.withdrawBy != "" && !f.st.closed()) {
		return err
	}
	t := f.st.task(in.TaskID)
	switch {
	case t == nil:
		return refuse(mallsync.EINVALID, "task %d is not a task of return %s", in.TaskID, f.in.ClaimID)
	case f.st.Waiting == 0:
		return refuse(mallsync.ECONFLICT, "return %s waits for no task now", f.in.ClaimID)
	case in.TaskID != f.st.Waiting:
		return refuse(mallsync.ECONFLICT, "return %s waits for task %d, not task %d (%s, %s)", f.in.ClaimID, f.st.Waiting, in.TaskID, t.Kind, t.Status)
	}
	_, _, err := decodeResult(t.Kind, in.Result)
	return err
}

// decodeResult decodes a task result by the task's kind, refusing one that does not fit.
func decodeResult(kind mallsync.TaskKind, raw json.RawMessage) (*mallsync.InspectionResult, *mallsync.ReshipmentResult, error) {
	strict := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		// Decoding bytes is deterministic; workflowcheck only sees the runtime's GC goroutines.
		//workflowcheck:ignore
		return d.Decode(v)
	}
	switch kind {
	case mallsync.TaskInspection, mallsync.TaskPhotoReview:
		var r mallsync.InspectionResult
		if err := strict(&r); err != nil {
			return nil, nil, refuse(mallsync.EINVALID, "a %s task needs an inspection result (defect, grade, disposition, note): %v", kind, err)
		}
		switch r.Disposition {
		case mallsync.DispositionRestock, mallsync.DispositionQuarantine, mallsync.DispositionReturnToSupplier, mallsync.DispositionReject:
		default:
			return nil, nil, refuse(mallsync.EINVALID, "disposition %q: expected restock, quarantine, return_to_supplier or reject", r.Disposition)
		}
		if r.Defect && r.Disposition == mallsync.DispositionRestock {
			return nil, nil, refuse(mallsync.EINVALID, "a defective item cannot be restocked: choose quarantine, return_to_supplier or reject")
		}
		return &r, nil, nil
	case mallsync.TaskReshipment:
		var r mallsync.ReshipmentResult
		if err := strict(&r); err != nil {
			return nil, nil, refuse(mallsync.EINVALID, "a reshipment task needs the parcel (carrier_code, tracking_no): %v", err)
		}
		if r.CarrierCode == "" || r.TrackingNo == "" {
			return nil, nil, refuse(mallsync.EINVALID, "a reshipment needs a carrier code and a tracking number")
		}
		return nil, &r, nil
	}
	return nil, nil, refuse(mallsync.EINVALID, "the return does not wait for %s tasks", kind)
}

// completeTask closes the waited-for task in the store and takes its result.
func (f *flow) completeTask(ctx workflow.Context, in CompleteTask) error {
	t := f.st.task(in.TaskID)
	insp, reship, err := decodeResult(t.Kind, in.Result)
	if err != nil {
		return err
	}
	if err := workflow.ExecuteActivity(f.store(ctx), act.CompleteReturnTask, in).Get(ctx, nil); err != nil {
		return err
	}
	t.Status = mallsync.TaskDone
	if f.st.Waiting == in.TaskID {
		f.st.Waiting = 0
	}
	f.step(ctx, fmt.Sprintf("task %d done (%s)", t.ID, t.Kind), in.By)
	switch {
	case insp != nil:
		f.st.Inspection = insp
		if insp.Disposition == mallsync.DispositionReject {
			f.decide(DecisionReject, in.By, insp.Note)
		} else {
			f.decide(DecisionApprove, in.By, insp.Note)
		}
	case reship != nil:
		f.st.Reshipment = reship
	}
	return nil
}

func (f *flow) validateDecision() error {
	if err := f.refuseAction(); err != nil {
		return err
	}
	if f.st.Decision != "" {
		return refuse(mallsync.ECONFLICT, "return %s is already %sd by %s", f.in.ClaimID, f.st.Decision, f.st.DecidedBy)
	}
	return nil
}

func (f *flow) validateApprove(Approve) error { return f.validateDecision() }

func (f *flow) validateReject(in Reject) error {
	if in.Reason == "" {
		return refuse(mallsync.EINVALID, "a rejection needs a reason")
	}
	return f.validateDecision()
}

func (f *flow) approve(ctx workflow.Context, in Approve) error {
	return f.decideNow(ctx, DecisionApprove, in.By, "")
}

func (f *flow) reject(ctx workflow.Context, in Reject) error {
	return f.decideNow(ctx, DecisionReject, in.By, in.Reason)
}

// decideNow decides for an agent; the inspection or review no longer needed is canceled.
func (f *flow) decideNow(ctx workflow.Context, d Decision, by, reason string) error {
	if f.st.Decision != "" { // another decision came first while this one was accepted
		return refuse(mallsync.ECONFLICT, "return %s is already %sd by %s", f.in.ClaimID, f.st.Decision, f.st.DecidedBy)
	}
	f.decide(d, by, reason)
	f.step(ctx, string(d)+"d", by)
	if w := f.st.task(f.st.Waiting); w != nil && (w.Kind == mallsync.TaskInspection || w.Kind == mallsync.TaskPhotoReview) {
		return f.cancelOpenOf(ctx, w, "decided by "+by)
	}
	return nil
}

func (f *flow) cancelOpenOf(ctx workflow.Context, t *TaskRef, reason string) error {
	if err := workflow.ExecuteActivity(f.store(ctx), act.CancelReturnTasks, CancelInput{TaskIDs: []int64{t.ID}, Reason: reason}).Get(ctx, nil); err != nil {
		return err
	}
	t.Status = mallsync.TaskCanceled
	if f.st.Waiting == t.ID {
		f.st.Waiting = 0
	}
	return nil
}

func (f *flow) validateWithdraw(Withdraw) error {
	if err := f.refuseAction(); err != nil {
		return err
	}
	switch {
	case !f.st.WithdrawalAllowed:
		return refuse(mallsync.EINVALID, "mall %s's policy does not let agents withdraw a return (return_withdrawal: false)", f.in.Mall)
	case f.st.Decision == DecisionReject:
		return refuse(mallsync.ECONFLICT, "return %s is rejected: there is nothing to withdraw", f.in.ClaimID)
	case f.st.Refunded:
		return refuse(mallsync.ECONFLICT, "return %s is already refunded", f.in.ClaimID)
	case f.st.Reshipment != nil:
		return refuse(mallsync.ECONFLICT, "the replacement of exchange %s has shipped", f.in.ClaimID)
	}
	return nil
}

// withdrawUpdate asks the platform first: the platform holds the claim's truth, so a
// withdrawal it refuses (a return it already completed, say) is refused to the agent with the
// platform's reason, and the flow goes on as if nothing was asked. Once the platform took it,
// the flow withdraws (withdraw).
func (f *flow) withdrawUpdate(ctx workflow.Context, in Withdraw) error {
	if f.withdrawBy != "" {
		return nil // withdrawn already: the same answer again
	}
	if f.withdrawing {
		return refuse(mallsync.ECONFLICT, "a withdrawal of return %s is being written to the platform", f.in.ClaimID)
	}
	f.withdrawing = true
	defer func() { f.withdrawing = false }()
	var res []mallsync.WriteResult
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, WriteOptions()), act.WriteReturnBack,
		WriteInput{Mall: f.in.Mall, Writes: []mallsync.WriteBack{f.claimWrite(mallsync.WriteWithdrawClaim)}}).Get(ctx, &res)
	switch {
	case err != nil:
		f.step(ctx, fmt.Sprintf("withdrawal not written to the platform: %v", err), in.By)
		return refuse(mallsync.EUNAVAILABLE, "the platform could not be asked to withdraw return %s: %v", f.in.ClaimID, err)
	case len(res) != 1 || !res[0].Done:
		msg := "no answer"
		if len(res) == 1 {
			msg = res[0].Code + " " + res[0].Message
		}
		f.step(ctx, "withdrawal refused by the platform: "+msg, in.By)
		return refuse(mallsync.ECONFLICT, "the platform refused to withdraw return %s: %s", f.in.ClaimID, msg)
	}
	f.step(ctx, "written back: "+string(mallsync.WriteWithdrawClaim), in.By)
	if f.withdrawBy == "" { // the platform's own withdrawal may have come in meanwhile
		f.withdrawBy = in.By
		if f.withdrawBy == "" {
			f.withdrawBy = "agent"
		}
	}
	return nil
}

func (f *flow) validateReassign(in Reassign) error {
	if !f.loaded || f.st.closed() {
		return refuse(mallsync.ECONFLICT, "return %s is not running", f.in.ClaimID)
	}
	t := f.st.task(in.TaskID)
	switch {
	case t == nil:
		return refuse(mallsync.EINVALID, "task %d is not a task of return %s", in.TaskID, f.in.ClaimID)
	case t.Status != mallsync.TaskOpen && t.Status != mallsync.TaskClaimed:
		return refuse(mallsync.ECONFLICT, "task %d is %s", in.TaskID, t.Status)
	case in.Assignee == "":
		return refuse(mallsync.EINVALID, "reassigning needs an assignee")
	}
	return nil
}

func (f *flow) reassign(ctx workflow.Context, in Reassign) error {
	if err := workflow.ExecuteActivity(f.store(ctx), act.ReassignReturnTask, in).Get(ctx, nil); err != nil {
		return err
	}
	f.step(ctx, fmt.Sprintf("task %d reassigned to %s", in.TaskID, in.Assignee), in.By)
	return nil
}
