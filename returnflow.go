package mallsync

import (
	"context"
	"encoding/json"
	"time"
)

// ClaimEvent is a platform change of a claim that a ReturnFlow must hear about. The sync
// writes one to the outbox in the transaction that stores the change; the dispatcher signals
// it to the claim's ReturnFlow. EventID makes repeats harmless.
type ClaimEvent struct {
	EventID         string      `json:"event_id"`
	Mall            MallKey     `json:"mall"`
	ClaimID         string      `json:"claim_id"`
	PlatformOrderID string      `json:"order_id"`
	Kind            ClaimKind   `json:"kind"`
	Status          ClaimStatus `json:"status"`
	PlatformStatus  string      `json:"platform_status"`
	ChangedAt       time.Time   `json:"changed_at"`
}

// OutboxMessage is one undelivered outbox row.
type OutboxMessage struct {
	ID      int64
	Mall    MallKey
	Kind    string // "claim_event"
	Key     string
	Payload json.RawMessage
}

// Outbox is the transactional outbox's reading side: the sync writes rows in its own
// transactions; a dispatcher delivers them and marks them sent.
type Outbox interface {
	// PendingOutbox returns up to limit unsent rows, oldest first.
	PendingOutbox(ctx context.Context, limit int) ([]OutboxMessage, error)
	// MarkOutboxSent marks the rows delivered.
	MarkOutboxSent(ctx context.Context, ids []int64) error
}

// ReturnActions are what people do to a running return: Temporal Updates on its ReturnFlow,
// so an action the flow cannot take now is refused at once with the reason (EINVALID or
// ECONFLICT).
type ReturnActions interface {
	// CompleteTask completes one of the flow's tasks with result (an InspectionResult for an
	// inspection or photo review, a ReshipmentResult for a re-shipment).
	CompleteTask(ctx context.Context, workflowID string, taskID int64, result json.RawMessage, by string) error
	// Approve and Reject decide a return or exchange without waiting for an inspection.
	Approve(ctx context.Context, mall MallKey, claimID, by string) error
	Reject(ctx context.Context, mall MallKey, claimID, reason, by string) error
	// Withdraw withdraws the claim on the buyer's behalf, where the mall's policy allows it.
	Withdraw(ctx context.Context, mall MallKey, claimID, by string) error
}

// ClaimReader reads a stored claim and its lines, for the workflows that run claims.
type ClaimReader interface {
	// Claim returns the mall's claim with the platform id, or ENOTFOUND.
	Claim(ctx context.Context, mall MallKey, claimID string) (Claim, error)
	// LinesByID returns the mall's stored lines with these platform line ids (with SKU,
	// supplier, ownership and status), in no particular order.
	LinesByID(ctx context.Context, mall MallKey, lineIDs []string) ([]OrderLine, error)
}
