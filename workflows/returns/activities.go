package returns

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// Activities holds what the ReturnFlow activities need. Register one per worker.
type Activities struct {
	Claims        mallsync.ClaimReader
	Tasks         mallsync.TaskStore
	Ledger        mallsync.Ledger
	Notifications mallsync.NotificationQueue
	Malls         mallsync.MallStore
	// Connectors gives each mall's connector; write-backs need one that is a connectors.Writer.
	Connectors *connectors.Registry
	// Outbox and Starter serve the Dispatch activity; a worker without them does not dispatch.
	Outbox  mallsync.Outbox
	Starter Starter
	// Now is the clock movements and notifications are stamped with; nil = time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Activities) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

// ClaimRef names a claim.
type ClaimRef struct {
	Mall    mallsync.MallKey
	ClaimID string
}

// Loaded is what a ReturnFlow needs to know of its claim: keys, statuses and the policy.
type Loaded struct {
	OrderID           string
	Kind              mallsync.ClaimKind
	Status            mallsync.ClaimStatus
	PlatformStatus    string
	Lines             []Line
	PhotoReview       bool
	WithdrawalAllowed bool
}

// LoadReturn reads the claim, the ownership of its lines and the mall's policy. A cancel
// claim, or one without lines, is EINVALID: no ReturnFlow runs it.
func (a *Activities) LoadReturn(ctx context.Context, in ClaimRef) (Loaded, error) {
	c, err := a.Claims.Claim(ctx, in.Mall, in.ClaimID)
	if err != nil {
		return Loaded{}, activityError(fmt.Errorf("reading claim %s of %s: %w", in.ClaimID, in.Mall, err))
	}
	if c.Kind != mallsync.ClaimReturn && c.Kind != mallsync.ClaimExchange {
		return Loaded{}, activityError(mallsync.Errorf(mallsync.EINVALID, "claim %s is a %s, not a return or an exchange", in.ClaimID, c.Kind))
	}
	if len(c.Lines) == 0 {
		return Loaded{}, activityError(mallsync.Errorf(mallsync.EINVALID, "claim %s has no lines", in.ClaimID))
	}
	mall, err := a.Malls.Mall(ctx, in.Mall)
	if err != nil {
		return Loaded{}, activityError(fmt.Errorf("reading mall %s: %w", in.Mall, err))
	}
	ids := make([]string, len(c.Lines))
	for i, l := range c.Lines {
		ids[i] = l.PlatformLineID
	}
	stored, err := a.Claims.LinesByID(ctx, in.Mall, ids)
	if err != nil {
		return Loaded{}, activityError(fmt.Errorf("reading lines of claim %s: %w", in.ClaimID, err))
	}
	own := make(map[string]mallsync.Ownership, len(stored))
	for _, l := range stored {
		own[l.PlatformLineID] = l.Ownership
	}
	out := Loaded{OrderID: c.PlatformOrderID, Kind: c.Kind, Status: c.Status, PlatformStatus: c.PlatformStatus,
		PhotoReview: mall.Policy.DefectVerification == mallsync.VerifyByPhoto, WithdrawalAllowed: mall.Policy.ReturnWithdrawal}
	for _, l := range c.Lines {
		o, ok := own[l.PlatformLineID]
		if !ok {
			return Loaded{}, activityError(mallsync.Errorf(mallsync.ENOTFOUND, "line %s of claim %s is not stored", l.PlatformLineID, in.ClaimID))
		}
		out.Lines = append(out.Lines, Line{ID: l.PlatformLineID, Quantity: l.Quantity, Ownership: o})
	}
	return out, nil
}

// OpenTaskInput asks for a task; Task.Key makes it idempotent.
type OpenTaskInput struct {
	Task mallsync.Task
}

// OpenReturnTask creates the task (or returns the one with its key) and says what it is.
func (a *Activities) OpenReturnTask(ctx context.Context, in OpenTaskInput) (TaskRef, error) {
	t, err := a.Tasks.CreateTask(ctx, in.Task)
	if err != nil {
		return TaskRef{}, activityError(fmt.Errorf("opening %s task %s: %w", in.Task.Kind, in.Task.Key, err))
	}
	return TaskRef{ID: t.ID, Key: t.Key, Kind: t.Kind, Status: t.Status, Priority: t.Priority}, nil
}

// CompleteReturnTask closes the task with its result in the store. A task already done with
// a result is ECONFLICT (someone closed it meanwhile).
func (a *Activities) CompleteReturnTask(ctx context.Context, in CompleteTask) error {
	if _, err := a.Tasks.CompleteTask(ctx, in.TaskID, in.Result, in.By); err != nil {
		return activityError(fmt.Errorf("completing task %d: %w", in.TaskID, err))
	}
	return nil
}

// ReassignReturnTask gives the task to another person.
func (a *Activities) ReassignReturnTask(ctx context.Context, in Reassign) error {
	if _, err := a.Tasks.ReassignTask(ctx, in.TaskID, in.Assignee, in.By); err != nil {
		return activityError(fmt.Errorf("reassigning task %d: %w", in.TaskID, err))
	}
	return nil
}

// CancelInput names the tasks to cancel and why.
type CancelInput struct {
	TaskIDs []int64
	Reason  string
}

// CancelReturnTasks cancels the tasks; a task closed meanwhile stays as it is.
func (a *Activities) CancelReturnTasks(ctx context.Context, in CancelInput) error {
	for _, id := range in.TaskIDs {
		if err := a.Tasks.CancelTask(ctx, id, in.Reason); err != nil {
			return activityError(fmt.Errorf("canceling task %d: %w", id, err))
		}
	}
	return nil
}

// EscalateReturnTask raises the task's priority one step (urgent stays urgent) and returns it.
func (a *Activities) EscalateReturnTask(ctx context.Context, taskID int64) (mallsync.Priority, error) {
	t, err := a.Tasks.Task(ctx, taskID)
	if err != nil {
		return "", activityError(fmt.Errorf("reading task %d: %w", taskID, err))
	}
	p := t.Priority.Raise()
	if err := a.Tasks.SetPriority(ctx, taskID, p); err != nil {
		return "", activityError(fmt.Errorf("raising task %d to %s: %w", taskID, p, err))
	}
	return p, nil
}

// QueueBuyerNotification queues n (stamped now) unless one with its key is queued; it reports
// whether it was new.
func (a *Activities) QueueBuyerNotification(ctx context.Context, n mallsync.Notification) (bool, error) {
	n.QueuedAt = a.now()
	isNew, err := a.Notifications.QueueNotification(ctx, n)
	if err != nil {
		return false, activityError(fmt.Errorf("queueing notification %s: %w", n.Key, err))
	}
	return isNew, nil
}

// ReceiptInput asks for the movements of a returned claim's lines into one location.
type ReceiptInput struct {
	Mall    mallsync.MallKey
	ClaimID string
	OrderID string
	// Kind is MoveReceipt (into Location warehouse) or MoveQuarantine (into quarantine).
	Kind     mallsync.MovementKind
	Location string
	Lines    []Line
}

// MovementPrefix is the key prefix of every movement a claim's ReturnFlow records; a
// withdrawal reverses everything under it.
func MovementPrefix(claimID string) string { return "return/" + claimID + "/" }

// MovementKey is the key of a claim line's movement of kind: return/<claim>/<kind>/<line>.
func MovementKey(claimID string, kind mallsync.MovementKind, lineID string) string {
	return MovementPrefix(claimID) + string(kind) + "/" + lineID
}

// RecordReturnMovements records one movement per line (SKU, supplier and ownership read from
// the stored line; quantity positive: the item comes in) and returns their keys. Recording
// again appends nothing: the keys are idempotent.
func (a *Activities) RecordReturnMovements(ctx context.Context, in ReceiptInput) ([]string, error) {
	if in.Kind != mallsync.MoveReceipt && in.Kind != mallsync.MoveQuarantine {
		return nil, activityError(mallsync.Errorf(mallsync.EINVALID, "a return records receipts or quarantines, not %s", in.Kind))
	}
	ids := make([]string, len(in.Lines))
	for i, l := range in.Lines {
		ids[i] = l.ID
	}
	stored, err := a.Claims.LinesByID(ctx, in.Mall, ids)
	if err != nil {
		return nil, activityError(fmt.Errorf("reading lines of claim %s: %w", in.ClaimID, err))
	}
	byID := make(map[string]mallsync.OrderLine, len(stored))
	for _, l := range stored {
		byID[l.PlatformLineID] = l
	}
	at := a.now()
	moves := make([]mallsync.Movement, 0, len(in.Lines))
	keys := make([]string, 0, len(in.Lines))
	for _, l := range in.Lines {
		s, ok := byID[l.ID]
		if !ok {
			return nil, activityError(mallsync.Errorf(mallsync.ENOTFOUND, "line %s of claim %s is not stored", l.ID, in.ClaimID))
		}
		if s.Ownership == mallsync.OwnConsignment {
			return nil, activityError(mallsync.Errorf(mallsync.EINVALID, "line %s is consignment: no receipt into our stock", l.ID))
		}
		k := MovementKey(in.ClaimID, in.Kind, l.ID)
		moves = append(moves, mallsync.Movement{Key: k, Kind: in.Kind, SKU: s.SKU, Location: in.Location, Ownership: s.Ownership,
			Supplier: s.SupplierCode, Quantity: l.Quantity, PlatformOrderID: in.OrderID, PlatformLineID: l.ID,
			ClaimID: in.ClaimID, Reason: "return " + in.ClaimID, At: at})
		keys = append(keys, k)
	}
	n, err := a.Ledger.RecordMovements(ctx, in.Mall, moves)
	if err != nil {
		return nil, activityError(fmt.Errorf("recording movements of claim %s: %w", in.ClaimID, err))
	}
	a.logger().Info("return received", "mall", in.Mall, "claim", in.ClaimID, "location", in.Location, "movements", len(moves), "new", n)
	return keys, nil
}

// ReverseInput asks to reverse a claim's movements.
type ReverseInput struct {
	Mall    mallsync.MallKey
	ClaimID string
	Reason  string
}

// ReverseReturnMovements reverses every movement under the claim's prefix not reversed yet
// and returns how many reversals it appended.
func (a *Activities) ReverseReturnMovements(ctx context.Context, in ReverseInput) (int, error) {
	n, err := a.Ledger.ReverseMovements(ctx, in.Mall, MovementPrefix(in.ClaimID), in.Reason, a.now())
	if err != nil {
		return 0, activityError(fmt.Errorf("reversing movements of claim %s: %w", in.ClaimID, err))
	}
	return n, nil
}

// WriteInput asks for write-backs to one mall's platform.
type WriteInput struct {
	Mall   mallsync.MallKey
	Writes []mallsync.WriteBack
}

// WriteReturnBack writes the write-backs to the mall's platform through its connectors.Writer
// and returns one result per write-back. A refusal by the platform is a result, not a failure;
// writing again is safe (a write-back that took effect comes back AlreadyDone).
func (a *Activities) WriteReturnBack(ctx context.Context, in WriteInput) ([]mallsync.WriteResult, error) {
	mall, err := a.Malls.Mall(ctx, in.Mall)
	if err != nil {
		return nil, activityError(fmt.Errorf("reading mall %s: %w", in.Mall, err))
	}
	conn, err := a.Connectors.For(ctx, mall)
	if err != nil {
		return nil, activityError(err)
	}
	w, ok := conn.(connectors.Writer)
	if !ok {
		return nil, activityError(mallsync.Errorf(mallsync.EINVALID, "%s cannot write back to %s yet", mall.Key, mall.Platform))
	}
	res, err := w.Write(ctx, in.Writes)
	if err != nil {
		return nil, activityError(fmt.Errorf("writing back %d change(s) to %s: %w", len(in.Writes), mall.Key, err))
	}
	if len(res) != len(in.Writes) {
		return nil, activityError(mallsync.Errorf(mallsync.EINTERNAL, "%d results for %d write-backs", len(res), len(in.Writes)))
	}
	return res, nil
}
