package returns

import (
	"encoding/json"
	"time"

	"github.com/mallsync/mallsync"
)

// Workflow, signal, update and query names, as clients, the dispatcher and the console use them.
const (
	WorkflowName = "ReturnFlow"
	// SignalClaimEvent carries a mallsync.ClaimEvent from the platform (via the outbox).
	SignalClaimEvent = "claim-event"
	// UpdateCompleteTask takes a CompleteTask; UpdateApprove an Approve; UpdateReject a Reject;
	// UpdateWithdraw a Withdraw; UpdateReassign a Reassign.
	UpdateCompleteTask = "complete-task"
	UpdateApprove      = "approve"
	UpdateReject       = "reject"
	UpdateWithdraw     = "withdraw"
	UpdateReassign     = "reassign"
	// QueryState returns the flow's State.
	QueryState = "state"
)

// WorkflowID is the deterministic ID of a claim's ReturnFlow.
func WorkflowID(mall mallsync.MallKey, claimID string) string {
	return "return/" + string(mall) + "/" + claimID
}

// The SLA defaults: how long pickup, inspection and refund may take before the flow escalates.
const (
	DefaultPickupSLA     = 72 * time.Hour
	DefaultInspectionSLA = 48 * time.Hour
	DefaultRefundSLA     = 72 * time.Hour
)

// SLA bounds the waits of a ReturnFlow; zero fields take the defaults.
type SLA struct {
	// Pickup runs from the flow's start until the item arrives.
	Pickup time.Duration
	// Inspection runs from the inspection (or photo review) task's opening until the decision.
	Inspection time.Duration
	// Refund runs from the approval's write-back until the platform completes the claim.
	Refund time.Duration
}

func (s SLA) withDefaults() SLA {
	if s.Pickup <= 0 {
		s.Pickup = DefaultPickupSLA
	}
	if s.Inspection <= 0 {
		s.Inspection = DefaultInspectionSLA
	}
	if s.Refund <= 0 {
		s.Refund = DefaultRefundSLA
	}
	return s
}

// Input starts a ReturnFlow. The first claim event comes with the start as a signal.
type Input struct {
	Mall    mallsync.MallKey
	ClaimID string
	SLA     SLA
}

// CompleteTask is the complete-task update: Result must fit the task's kind (an
// InspectionResult for inspection and photo_review, a ReshipmentResult for reshipment; any
// JSON object for return_to_supplier and agent_followup).
type CompleteTask struct {
	TaskID int64
	Result json.RawMessage
	By     string
}

// Approve is the approve update: the return or exchange is accepted without (or before) an
// inspection result.
type Approve struct {
	By string
}

// Reject is the reject update.
type Reject struct {
	Reason string
	By     string
}

// Withdraw is the withdraw update: an agent withdraws the claim on the buyer's behalf.
type Withdraw struct {
	By string
}

// Reassign is the reassign update.
type Reassign struct {
	TaskID   int64
	Assignee string
	By       string
}
