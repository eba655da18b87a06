package mallsync

import (
	"context"
	"encoding/json"
	"time"
)

// TaskKind says what a task asks a person to do.
type TaskKind string

// The task kinds.
const (
	TaskInspection       TaskKind = "inspection"         // 검수: logistics inspects a returned item
	TaskPhotoReview      TaskKind = "photo_review"       // 사진 검수: an agent reviews the buyer's photos
	TaskReshipment       TaskKind = "reshipment"         // 재배송: ship an item (back) to the buyer
	TaskReturnToSupplier TaskKind = "return_to_supplier" // 공급사 반송: send a consignment item back
	TaskAgentFollowup    TaskKind = "agent_followup"     // an agent must act (a refused write-back, an expired SLA)
)

// Valid reports whether k is a known task kind.
func (k TaskKind) Valid() bool {
	switch k {
	case TaskInspection, TaskPhotoReview, TaskReshipment, TaskReturnToSupplier, TaskAgentFollowup:
		return true
	}
	return false
}

// TaskStatus is where a task is.
type TaskStatus string

// The task statuses.
const (
	TaskOpen     TaskStatus = "open"     // waiting for someone
	TaskClaimed  TaskStatus = "claimed"  // someone took it
	TaskDone     TaskStatus = "done"     // completed with a result
	TaskCanceled TaskStatus = "canceled" // no longer needed (a withdrawn return)
)

// Priority orders tasks. People see the Korean labels.
type Priority string

// The priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists the priorities, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	switch p {
	case PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent:
		return true
	}
	return false
}

// Label is the priority's Korean name: 낮음, 보통, 높음, 긴급.
func (p Priority) Label() string {
	return map[Priority]string{PriorityLow: "낮음", PriorityNormal: "보통", PriorityHigh: "높음", PriorityUrgent: "긴급"}[p]
}

// Raise returns the next priority up (urgent stays urgent).
func (p Priority) Raise() Priority {
	for i, q := range Priorities {
		if q == p && i+1 < len(Priorities) {
			return Priorities[i+1]
		}
	}
	return PriorityUrgent
}

// Task is work for a person, usually on behalf of a running ReturnFlow.
type Task struct {
	ID int64
	// Key makes creation idempotent: creating a task whose key exists returns the existing
	// one ("return/<mall>/<claim>/inspection").
	Key             string
	Mall            MallKey
	Kind            TaskKind
	Status          TaskStatus
	Priority        Priority
	Assignee        string
	PlatformOrderID string
	ClaimID         string
	LineIDs         []string
	// WorkflowID is the workflow waiting for the task's result (a ReturnFlow); completing the
	// task goes through it as a Temporal Update. Empty for tasks no workflow waits for.
	WorkflowID string
	Title      string
	DueAt      *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ClosedAt   *time.Time
	// ClosedBy is who completed the task (empty while open and for a canceled task).
	ClosedBy string
	// Result is what completed the task (an InspectionResult, a ReshipmentResult, ...).
	Result json.RawMessage
	Memos  []Memo
}

// Age is how long the task has been waiting, as of now (until it closed).
func (t Task) Age(now time.Time) time.Duration {
	if t.ClosedAt != nil {
		return t.ClosedAt.Sub(t.CreatedAt)
	}
	return now.Sub(t.CreatedAt)
}

// Memo is one note in a task's memo thread.
type Memo struct {
	Author string
	Body   string
	At     time.Time
}

// Disposition is what happens to a returned item after inspection.
type Disposition string

// The dispositions.
const (
	DispositionRestock          Disposition = "restock"            // back into sellable stock
	DispositionQuarantine       Disposition = "quarantine"         // into the quarantine location
	DispositionReturnToSupplier Disposition = "return_to_supplier" // back to its supplier
	DispositionReject           Disposition = "reject"             // the return is refused: ship it back to the buyer
)

// InspectionResult is the result of an inspection or photo-review task.
type InspectionResult struct {
	Defect      bool        `json:"defect"`
	Grade       string      `json:"grade,omitempty"` // A, B, C
	Disposition Disposition `json:"disposition"`
	Note        string      `json:"note,omitempty"`
}

// ReshipmentResult is the result of a re-shipment task: the parcel that went out.
type ReshipmentResult struct {
	CarrierCode string `json:"carrier_code"`
	TrackingNo  string `json:"tracking_no"`
}

// TaskFilter selects tasks; zero fields match everything.
type TaskFilter struct {
	Mall     MallKey
	Kind     TaskKind
	Status   TaskStatus
	Assignee string
	Priority Priority
	ClaimID  string
	// Limit caps the number of tasks (0 = a default of 100).
	Limit int
}

// TaskStore keeps tasks and their memo threads.
type TaskStore interface {
	// CreateTask stores t (Status open unless set) and returns it with its ID; a task with the
	// same Key that exists is returned as it is.
	CreateTask(ctx context.Context, t Task) (Task, error)
	// Task returns the task with id, with its memos, or ENOTFOUND.
	Task(ctx context.Context, id int64) (Task, error)
	// Tasks lists tasks matching f: the most urgent first, then the oldest.
	Tasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// ClaimTask assigns an open task to assignee and marks it claimed (ECONFLICT when someone
	// else holds it or it is closed).
	ClaimTask(ctx context.Context, id int64, assignee string) (Task, error)
	// CompleteTask closes an open or claimed task with result (ECONFLICT when it is closed).
	CompleteTask(ctx context.Context, id int64, result json.RawMessage, by string) (Task, error)
	// CancelTask closes an open or claimed task as canceled; a closed task is left as it is.
	CancelTask(ctx context.Context, id int64, reason string) error
	// ReassignTask gives the task to assignee.
	ReassignTask(ctx context.Context, id int64, assignee, by string) (Task, error)
	// SetPriority changes the task's priority.
	SetPriority(ctx context.Context, id int64, p Priority) error
	// AddMemo appends a memo to the task's thread.
	AddMemo(ctx context.Context, id int64, m Memo) error
}

// TaskCounter counts tasks, for boards and summaries.
type TaskCounter interface {
	// TaskCounts counts every mall's tasks by kind and status.
	TaskCounts(ctx context.Context) ([]TaskCount, error)
}

// TaskCount is how many of a mall's tasks of a kind are in a status.
type TaskCount struct {
	Mall   MallKey
	Kind   TaskKind
	Status TaskStatus
	Count  int
}

// Notification is a message to a buyer, queued in the notifications outbox; sending is an
// adapter's work.
type Notification struct {
	// Key makes queueing idempotent ("return/<mall>/<claim>/sla/pickup").
	Key             string
	Mall            MallKey
	PlatformOrderID string
	ClaimID         string
	Kind            string // sla_pickup, sla_inspection, sla_refund, reshipped, ...
	// Body is the message's text. It never holds buyer personal data (name, phone, address,
	// email): a sender finds the buyer's contact from the order when it sends, so the body
	// may be logged.
	Body     string
	QueuedAt time.Time
}

// NotificationQueue queues buyer notifications.
type NotificationQueue interface {
	// QueueNotification stores n unless one with its key exists; it reports whether it was new.
	QueueNotification(ctx context.Context, n Notification) (bool, error)
}
