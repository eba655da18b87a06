package returns

import (
	"time"

	"github.com/mallsync/mallsync"
)

// Stage is where a ReturnFlow is.
type Stage string

// The stages, in the order a return goes through them.
const (
	StagePickup     Stage = "pickup_requested" // waiting for the carrier to collect the item
	StageCollected  Stage = "collected"        // the carrier has it
	StageArrived    Stage = "arrived"          // it reached our warehouse
	StageInspection Stage = "inspection"       // an inspection or photo review task is open
	StageDecided    Stage = "decided"          // approved or rejected
	StageReshipment Stage = "reshipment"       // a reshipment task is open
	StageRefund     Stage = "refund"           // waiting for the platform to complete the claim
	StageClosed     Stage = "closed"
)

// Outcome is how a closed flow ended.
type Outcome string

// The outcomes.
const (
	OutcomeCompleted Outcome = "completed" // approved and completed (refunded, or the replacement shipped)
	OutcomeRejected  Outcome = "rejected"
	OutcomeWithdrawn Outcome = "withdrawn"
)

// Decision is the answer to a return or exchange.
type Decision string

// The decisions.
const (
	DecisionApprove Decision = "approve"
	DecisionReject  Decision = "reject"
)

// byPlatform is who decided when the platform reported the decision itself.
const byPlatform = "platform"

// TaskRef is a task of the flow as the flow knows it: the task itself lives in Postgres.
type TaskRef struct {
	ID       int64
	Key      string
	Kind     mallsync.TaskKind
	Status   mallsync.TaskStatus
	Priority mallsync.Priority
}

// Line is a claimed line: its id, quantity and ownership (SKU and supplier stay in Postgres).
type Line struct {
	ID        string
	Quantity  int
	Ownership mallsync.Ownership
}

// Step is one entry of the flow's history.
type Step struct {
	At   time.Time
	What string
	By   string `json:",omitempty"`
}

// State is the flow's state, and the answer to the state query.
type State struct {
	Mall    mallsync.MallKey
	ClaimID string
	OrderID string
	Kind    mallsync.ClaimKind
	Lines   []Line
	// PhotoReview and WithdrawalAllowed are the mall's policy as read at the start.
	PhotoReview       bool
	WithdrawalAllowed bool

	Stage   Stage
	Outcome Outcome
	// PlatformStatus is the claim's last platform status heard of.
	PlatformStatus string
	Arrived        bool
	Decision       Decision
	DecidedBy      string
	Reason         string
	Inspection     *mallsync.InspectionResult
	// Writes lists the write-back steps done: decision, reshipment, exchange_completed.
	Writes []string
	// Received is set once the return's movements (or its return_to_supplier task) are done.
	Received  bool
	Movements []string
	// Reversed counts the movements a withdrawal reversed.
	Reversed int
	Tasks    []TaskRef
	// Waiting is the task whose result the flow waits for (0 = none).
	Waiting    int64
	Reshipment *mallsync.ReshipmentResult
	// Refunded is set when the platform completed the claim (its refund); RefundedAt is when.
	Refunded   bool
	RefundedAt time.Time
	// Escalated lists the SLAs that expired (pickup, inspection, refund); Deadlines their ends.
	Escalated []string
	Deadlines map[string]time.Time
	// Events are the claim event ids heard (a repeat is ignored).
	Events  []string
	History []Step
}

// OpenTasks returns the ids of the flow's open tasks.
func (s *State) OpenTasks() []int64 {
	var ids []int64
	for _, t := range s.Tasks {
		if t.Status == mallsync.TaskOpen || t.Status == mallsync.TaskClaimed {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

func (s *State) task(id int64) *TaskRef {
	for i := range s.Tasks {
		if s.Tasks[i].ID == id {
			return &s.Tasks[i]
		}
	}
	return nil
}

func (s *State) taskByKey(key string) *TaskRef {
	for i := range s.Tasks {
		if s.Tasks[i].Key == key {
			return &s.Tasks[i]
		}
	}
	return nil
}

func (s *State) closed() bool { return s.Stage == StageClosed }

func (s *State) escalated(sla string) bool {
	for _, e := range s.Escalated {
		if e == sla {
			return true
		}
	}
	return false
}

func (s *State) seen(eventID string) bool {
	for _, e := range s.Events {
		if e == eventID {
			return true
		}
	}
	return false
}
