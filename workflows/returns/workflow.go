package returns

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/mallsync/mallsync"
)

// The SLAs a flow watches.
const (
	slaPickup     = "pickup"
	slaInspection = "inspection"
	slaRefund     = "refund"
)

// act names the activities for ExecuteActivity; it is never called through.
var act *Activities

// flow is one ReturnFlow run: its state and what arrived from outside since.
type flow struct {
	in  Input
	sla SLA
	st  *State
	// loaded is set once the claim and the policy are read.
	loaded bool
	// withdrawBy is who asked for a withdrawal ("platform" or an agent); empty = nobody.
	withdrawBy string
	// withdrawing is set while an agent's withdrawal is being written to the platform, so a
	// second one is refused instead of writing twice.
	withdrawing bool
}

// ReturnFlow runs one return or exchange claim from request to closure. See the package doc.
func ReturnFlow(ctx workflow.Context, in Input) (State, error) {
	f := &flow{in: in, sla: in.SLA.withDefaults(),
		st: &State{Mall: in.Mall, ClaimID: in.ClaimID, Stage: StagePickup, Deadlines: map[string]time.Time{}}}
	if err := f.register(ctx); err != nil {
		return State{}, err
	}
	err := f.load(ctx)
	if err == nil {
		err = f.run(ctx)
	}
	// An update that was accepted finishes before the flow ends.
	if werr := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err == nil {
		err = werr
	}
	return *f.st, err
}

func (f *flow) load(ctx workflow.Context) error {
	var l Loaded
	if err := workflow.ExecuteActivity(f.store(ctx), act.LoadReturn,
		ClaimRef{Mall: f.in.Mall, ClaimID: f.in.ClaimID}).Get(ctx, &l); err != nil {
		return fmt.Errorf("loading claim %s: %w", f.in.ClaimID, err)
	}
	f.st.OrderID, f.st.Kind, f.st.Lines = l.OrderID, l.Kind, l.Lines
	f.st.PhotoReview, f.st.WithdrawalAllowed = l.PhotoReview, l.WithdrawalAllowed
	if f.st.PlatformStatus == "" {
		f.st.PlatformStatus = l.PlatformStatus
	}
	f.loaded = true
	f.step(ctx, fmt.Sprintf("started: %s of order %s, %d line(s)", l.Kind, l.OrderID, len(l.Lines)), "")
	return nil
}

// run moves the flow on until it closes: each turn takes the next step the state calls for, or
// waits for what it needs (an event, an update, a timer).
func (f *flow) run(ctx workflow.Context) error {
	if f.st.PhotoReview && f.st.Decision == "" && f.withdrawBy == "" {
		// The buyer's photos are there from the request on: the review need not wait for the item.
		if err := f.openWaited(ctx, mallsync.TaskPhotoReview, "photo_review", "사진 검수: 반품 "+f.st.ClaimID); err != nil {
			return err
		}
		f.deadline(ctx, slaInspection, f.sla.Inspection)
	}
	for !f.st.closed() {
		var err error
		switch {
		case f.withdrawBy != "":
			err = f.withdraw(ctx)
		case f.st.Decision == "":
			err = f.awaitDecision(ctx)
		case f.st.Decision == DecisionApprove && !f.st.Arrived:
			// Approved from the photos: the item still has to come back.
			err = f.wait(ctx, slaPickup, f.sla.Pickup, func() bool { return f.st.Arrived })
		case !f.wrote("decision"):
			err = f.writeDecision(ctx)
		case f.st.Decision == DecisionReject:
			err = f.afterRejection(ctx)
		default:
			err = f.afterApproval(ctx)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// awaitDecision waits for the item, opens the inspection task once it arrived, and waits for
// the decision (from the task, an agent or the platform).
func (f *flow) awaitDecision(ctx workflow.Context) error {
	if !f.st.Arrived {
		return f.wait(ctx, slaPickup, f.sla.Pickup, func() bool { return f.st.Arrived || f.st.Decision != "" })
	}
	if f.st.Waiting == 0 {
		if err := f.openWaited(ctx, mallsync.TaskInspection, "inspection", "검수: 반품 "+f.st.ClaimID); err != nil {
			return err
		}
	}
	f.setStage(StageInspection)
	return f.wait(ctx, slaInspection, f.sla.Inspection, func() bool { return f.st.Decision != "" })
}

// writeDecision writes the decision back to the platform (unless the platform made it).
func (f *flow) writeDecision(ctx workflow.Context) error {
	f.st.Writes = append(f.st.Writes, "decision")
	if f.st.DecidedBy == byPlatform {
		return nil
	}
	var action mallsync.WriteAction
	switch {
	case f.st.Decision == DecisionApprove && f.st.Kind == mallsync.ClaimExchange:
		action = mallsync.WriteExchangeCollected
	case f.st.Decision == DecisionApprove:
		action = mallsync.WriteReturnCompleted
	case f.st.Kind == mallsync.ClaimExchange:
		action = mallsync.WriteRejectExchange
	default:
		action = mallsync.WriteRejectReturn
	}
	return f.write(ctx, true, f.claimWrite(action))
}

// afterRejection ships a rejected item back to the buyer if it reached us, then closes.
func (f *flow) afterRejection(ctx workflow.Context) error {
	if f.st.Arrived {
		done, err := f.reship(ctx, "back", "재배송: 반품 거부 "+f.st.ClaimID)
		if err != nil || !done {
			return err
		}
	}
	f.close(ctx, OutcomeRejected)
	return nil
}

// afterApproval records the movements by ownership, ships an exchange's replacement or waits
// for a return's refund, then closes.
func (f *flow) afterApproval(ctx workflow.Context) error {
	if !f.st.Received {
		return f.receive(ctx)
	}
	if f.st.Kind == mallsync.ClaimExchange {
		if !f.st.Refunded { // the platform did not complete the exchange by itself
			done, err := f.reship(ctx, "replacement", "재배송: 교환 "+f.st.ClaimID)
			if err != nil || !done {
				return err
			}
			if !f.wrote("exchange_completed") {
				f.st.Writes = append(f.st.Writes, "exchange_completed")
				if err := f.write(ctx, true, f.claimWrite(mallsync.WriteExchangeCompleted)); err != nil {
					return err
				}
			}
		}
		f.close(ctx, OutcomeCompleted)
		return nil
	}
	if !f.st.Refunded {
		f.setStage(StageRefund)
		return f.wait(ctx, slaRefund, f.sla.Refund, func() bool { return f.st.Refunded })
	}
	f.close(ctx, OutcomeCompleted)
	return nil
}

// receive records what the return does to the ledger, by ownership: direct and logistics lines
// come into our warehouse (quarantine when the inspection found a defect or said so),
// consignment lines get a return_to_supplier task instead of a receipt.
func (f *flow) receive(ctx workflow.Context) error {
	kind, location := mallsync.MoveReceipt, mallsync.LocationWarehouse
	toSupplier := false
	if r := f.st.Inspection; r != nil {
		if r.Defect || r.Disposition == mallsync.DispositionQuarantine || r.Disposition == mallsync.DispositionReturnToSupplier {
			kind, location = mallsync.MoveQuarantine, mallsync.LocationQuarantine
		}
		toSupplier = r.Disposition == mallsync.DispositionReturnToSupplier
	}
	var ours, theirs []Line
	for _, l := range f.st.Lines {
		if l.Ownership == mallsync.OwnConsignment {
			theirs = append(theirs, l)
		} else {
			ours = append(ours, l)
		}
	}
	if toSupplier {
		theirs = f.st.Lines
	}
	if len(ours) > 0 {
		var keys []string
		if err := workflow.ExecuteActivity(f.store(ctx), act.RecordReturnMovements, ReceiptInput{Mall: f.in.Mall,
			ClaimID: f.in.ClaimID, OrderID: f.st.OrderID, Kind: kind, Location: location, Lines: ours}).Get(ctx, &keys); err != nil {
			return fmt.Errorf("recording the return's movements: %w", err)
		}
		f.st.Movements = append(f.st.Movements, keys...)
		f.step(ctx, fmt.Sprintf("%d line(s) received into %s", len(keys), location), "")
	}
	if len(theirs) > 0 {
		t := f.newTask(mallsync.TaskReturnToSupplier, "return_to_supplier", "공급사 반송: 반품 "+f.st.ClaimID, theirs)
		t.WorkflowID = "" // nothing waits for it: it outlives the flow
		if _, err := f.openTask(ctx, t); err != nil {
			return err
		}
	}
	f.st.Received = true
	return nil
}

// reship opens (once) a reshipment task under key suffix "reshipment/<what>" and waits for its
// result; once there, it writes the new invoice back. It reports whether the parcel went out
// (false: the wait ended for another reason, such as a withdrawal).
func (f *flow) reship(ctx workflow.Context, what, title string) (bool, error) {
	key := f.taskKey("reshipment/" + what)
	if f.st.taskByKey(key) == nil {
		if err := f.openWaited(ctx, mallsync.TaskReshipment, "reshipment/"+what, title); err != nil {
			return false, err
		}
	}
	if f.st.Reshipment == nil {
		f.setStage(StageReshipment)
		return false, f.wait(ctx, "", 0, func() bool { return f.st.Reshipment != nil })
	}
	if !f.wrote("reshipment") {
		f.st.Writes = append(f.st.Writes, "reshipment")
		w := mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: f.st.OrderID, Lines: f.writeLines(),
			CarrierCode: f.st.Reshipment.CarrierCode, TrackingNo: f.st.Reshipment.TrackingNo}
		// Not every platform takes an invoice for a re-shipment: a refusal is noted, not a task.
		if err := f.write(ctx, false, w); err != nil {
			return false, err
		}
	}
	return true, nil
}

// withdraw undoes the return (반품 철회): the platform hears of an agent's withdrawal, open
// tasks are canceled, every movement is reversed, and an item that reached us goes back to the
// buyer through one reshipment task.
func (f *flow) withdraw(ctx workflow.Context) error {
	if f.st.Outcome != OutcomeWithdrawn {
		// An agent's withdrawal reached here only after the platform took it (withdrawUpdate).
		f.st.Outcome = OutcomeWithdrawn
		if err := f.cancelOpen(ctx, "반품 철회"); err != nil {
			return err
		}
		var n int
		if err := workflow.ExecuteActivity(f.store(ctx), act.ReverseReturnMovements,
			ReverseInput{Mall: f.in.Mall, ClaimID: f.in.ClaimID, Reason: "반품 철회 " + f.in.ClaimID}).Get(ctx, &n); err != nil {
			return fmt.Errorf("reversing the return's movements: %w", err)
		}
		f.st.Reversed += n
		f.step(ctx, fmt.Sprintf("withdrawn: %d movement(s) reversed", n), f.withdrawBy)
	}
	if f.st.Arrived {
		done, err := f.reship(ctx, "back", "재배송: 반품 철회 "+f.st.ClaimID)
		if err != nil || !done {
			return err
		}
	}
	f.close(ctx, OutcomeWithdrawn)
	return nil
}

// wait waits until cond (or a withdrawal). With an SLA, the SLA's deadline is set on the first
// wait; when it passes, the flow escalates once and waits on without a deadline.
func (f *flow) wait(ctx workflow.Context, sla string, d time.Duration, cond func() bool) error {
	full := func() bool { return cond() || (f.withdrawBy != "" && f.st.Outcome != OutcomeWithdrawn) }
	if sla == "" || f.st.escalated(sla) {
		return workflow.Await(ctx, full)
	}
	left := f.deadline(ctx, sla, d).Sub(workflow.Now(ctx))
	if left > 0 {
		ok, err := workflow.AwaitWithTimeout(ctx, left, full)
		if err != nil || ok {
			return err
		}
	}
	return f.escalate(ctx, sla)
}

// deadline returns the SLA's end, setting it d from now the first time.
func (f *flow) deadline(ctx workflow.Context, sla string, d time.Duration) time.Time {
	at, ok := f.st.Deadlines[sla]
	if !ok {
		at = workflow.Now(ctx).Add(d)
		f.st.Deadlines[sla] = at
	}
	return at
}

// escalate answers an expired SLA: the waited-for task's priority rises (for pickup, or with no
// task waited for, an agent follow-up task opens at high priority) and the buyer is notified.
func (f *flow) escalate(ctx workflow.Context, sla string) error {
	f.st.Escalated = append(f.st.Escalated, sla)
	f.step(ctx, "SLA expired: "+sla, "")
	if t := f.st.task(f.st.Waiting); t != nil && sla != slaPickup {
		var p mallsync.Priority
		if err := workflow.ExecuteActivity(f.store(ctx), act.EscalateReturnTask, t.ID).Get(ctx, &p); err != nil {
			return fmt.Errorf("escalating task %d: %w", t.ID, err)
		}
		t.Priority = p
	} else {
		t := f.newTask(mallsync.TaskAgentFollowup, "sla/"+sla, fmt.Sprintf("SLA 초과 (%s): 반품 %s", sla, f.st.ClaimID), f.st.Lines)
		t.WorkflowID, t.Priority = "", mallsync.PriorityHigh
		if _, err := f.openTask(ctx, t); err != nil {
			return err
		}
	}
	n := mallsync.Notification{Key: f.taskKey("sla/" + sla), Mall: f.in.Mall, PlatformOrderID: f.st.OrderID,
		ClaimID: f.in.ClaimID, Kind: "sla_" + sla, Body: slaNotice[sla]}
	var isNew bool
	if err := workflow.ExecuteActivity(f.store(ctx), act.QueueBuyerNotification, n).Get(ctx, &isNew); err != nil {
		return fmt.Errorf("queueing the %s notice: %w", sla, err)
	}
	return nil
}

var slaNotice = map[string]string{
	slaPickup:     "반품 수거가 지연되고 있습니다. 빠르게 확인하겠습니다.",
	slaInspection: "반품 검수가 지연되고 있습니다. 빠르게 처리하겠습니다.",
	slaRefund:     "환불 처리가 지연되고 있습니다. 빠르게 처리하겠습니다.",
}

// write runs write-backs. A refusal by the platform, or a write-back that failed for good,
// becomes an agent follow-up task when followUp is set, else a note in the history.
func (f *flow) write(ctx workflow.Context, followUp bool, writes ...mallsync.WriteBack) error {
	var res []mallsync.WriteResult
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, WriteOptions()), act.WriteReturnBack,
		WriteInput{Mall: f.in.Mall, Writes: writes}).Get(ctx, &res)
	for i, w := range writes {
		switch {
		case err != nil:
			f.step(ctx, fmt.Sprintf("write-back %s failed: %v", w.Action, err), "")
		case !res[i].Done:
			f.step(ctx, fmt.Sprintf("write-back %s refused: %s %s", w.Action, res[i].Code, res[i].Message), "")
		default:
			f.step(ctx, "written back: "+string(w.Action), "")
			continue
		}
		if followUp {
			t := f.newTask(mallsync.TaskAgentFollowup, "writeback/"+string(w.Action),
				fmt.Sprintf("플랫폼 반영 실패 (%s): 반품 %s", w.Action, f.st.ClaimID), f.st.Lines)
			t.WorkflowID = ""
			if _, err := f.openTask(ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// cancelOpen cancels every open task of the flow.
func (f *flow) cancelOpen(ctx workflow.Context, reason string) error {
	ids := f.st.OpenTasks()
	if len(ids) == 0 {
		return nil
	}
	if err := workflow.ExecuteActivity(f.store(ctx), act.CancelReturnTasks, CancelInput{TaskIDs: ids, Reason: reason}).Get(ctx, nil); err != nil {
		return fmt.Errorf("canceling tasks: %w", err)
	}
	for _, id := range ids {
		f.st.task(id).Status = mallsync.TaskCanceled
	}
	f.st.Waiting = 0
	f.step(ctx, fmt.Sprintf("%d task(s) canceled", len(ids)), "")
	return nil
}

// openWaited opens a task the flow waits for (key suffix suffix) and waits for it.
func (f *flow) openWaited(ctx workflow.Context, kind mallsync.TaskKind, suffix, title string) error {
	t, err := f.openTask(ctx, f.newTask(kind, suffix, title, f.st.Lines))
	if err != nil {
		return err
	}
	f.st.Waiting = t.ID
	return nil
}

func (f *flow) openTask(ctx workflow.Context, t mallsync.Task) (TaskRef, error) {
	var ref TaskRef
	if err := workflow.ExecuteActivity(f.store(ctx), act.OpenReturnTask, OpenTaskInput{Task: t}).Get(ctx, &ref); err != nil {
		return ref, fmt.Errorf("opening %s task: %w", t.Kind, err)
	}
	if f.st.task(ref.ID) == nil {
		f.st.Tasks = append(f.st.Tasks, ref)
	}
	f.step(ctx, fmt.Sprintf("task %d opened: %s", ref.ID, ref.Kind), "")
	return ref, nil
}

func (f *flow) newTask(kind mallsync.TaskKind, suffix, title string, lines []Line) mallsync.Task {
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.ID
	}
	return mallsync.Task{Key: f.taskKey(suffix), Mall: f.in.Mall, Kind: kind, Priority: mallsync.PriorityNormal,
		PlatformOrderID: f.st.OrderID, ClaimID: f.in.ClaimID, LineIDs: ids,
		WorkflowID: WorkflowID(f.in.Mall, f.in.ClaimID), Title: title}
}

// taskKey is return/<mall>/<claim>/<suffix>: tasks and notifications are idempotent by it.
func (f *flow) taskKey(suffix string) string {
	return WorkflowID(f.in.Mall, f.in.ClaimID) + "/" + suffix
}

func (f *flow) claimWrite(action mallsync.WriteAction) mallsync.WriteBack {
	return mallsync.WriteBack{Action: action, OrderID: f.st.OrderID, ClaimID: f.in.ClaimID, ClaimKind: f.st.Kind,
		Lines: f.writeLines(), Reason: f.st.Reason}
}

func (f *flow) writeLines() []mallsync.WriteLine {
	out := make([]mallsync.WriteLine, len(f.st.Lines))
	for i, l := range f.st.Lines {
		out[i] = mallsync.WriteLine{PlatformLineID: l.ID, Quantity: l.Quantity}
	}
	return out
}

func (f *flow) wrote(step string) bool {
	for _, w := range f.st.Writes {
		if w == step {
			return true
		}
	}
	return false
}

func (f *flow) store(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, StoreOptions())
}

func (f *flow) setStage(s Stage) {
	if !f.st.closed() {
		f.st.Stage = s
	}
}

func (f *flow) close(ctx workflow.Context, o Outcome) {
	f.st.Outcome, f.st.Stage, f.st.Waiting = o, StageClosed, 0
	f.step(ctx, "closed: "+string(o), "")
}

func (f *flow) step(ctx workflow.Context, what, by string) {
	f.st.History = append(f.st.History, Step{At: workflow.Now(ctx), What: what, By: by})
}
