package mallsync

import (
	"context"
	"time"
)

// OrderQuery is what an agent types into the one search box, over every mall's orders.
type OrderQuery struct {
	// Text is matched as any platform's order number (exact), a buyer's or receiver's name
	// (exact, or a prefix of at least two characters), a phone number (all its digits, or its
	// last four), a tracking number (exact) or a product name (a part of at least two
	// characters). Spaces and dashes in numbers are ignored.
	Text string
	// Mall narrows the search to one mall; empty searches them all.
	Mall MallKey
	// Limit caps the hits; 0 means DefaultOrderHits, and more than MaxOrderHits is cut to it.
	Limit int
}

// The hit caps of an order search.
const (
	DefaultOrderHits = 50
	MaxOrderHits     = 200
)

// OrderHit is one order found by a search, with what the results list shows.
type OrderHit struct {
	Mall            MallKey
	MallName        string
	Platform        Platform
	PlatformOrderID string
	OrderedAt       time.Time
	BuyerName       string
	BuyerPhone      string
	ReceiverName    string
	ReceiverPhone   string
	PaymentAmount   Money
	// Lines counts the order's lines; Product is the first line's product name.
	Lines   int
	Product string
	// Statuses are the distinct unified statuses of its lines, and PlatformStatuses the
	// distinct platform codes, both in line order.
	Statuses         []LineStatus
	PlatformStatuses []string
	// MatchedBy says what the text matched: order, name, phone, tracking or product.
	MatchedBy string
}

// LineStatusEvent is one entry of a line's status history (line_status_events).
type LineStatusEvent struct {
	PlatformLineID string
	ChangedAt      time.Time
	PlatformCode   string
	// From is empty for the event that created the line.
	From LineStatus
	To   LineStatus
	// SeenAt is when mallsync read it; Applied is false for a change older than what was
	// already stored (recorded, but it did not move the line back).
	SeenAt  time.Time
	Applied bool
}

// OrderDetail is everything the order page shows of one order, read from the store.
type OrderDetail struct {
	Mall      MallKey
	MallName  string
	Platform  Platform
	Order     Order // with its Lines and Raw
	Shipments []Shipment
	Claims    []Claim // with their Lines
	// Timeline is every line's status history, oldest first.
	Timeline []LineStatusEvent
	// Reorder is set when the order was marked as a reorder of another (기출하).
	Reorder *Reorder
	// Notes are the notes people left on the order, oldest first.
	Notes []OrderNote
}

// OrderNote is a note a person left on an order.
type OrderNote struct {
	Author string
	Body   string
	At     time.Time
}

// OrderNotes keeps the notes people leave on orders.
type OrderNotes interface {
	// AddOrderNote appends a note to the order, or returns ENOTFOUND when the mall or the order
	// does not exist.
	AddOrderNote(ctx context.Context, mall MallKey, platformOrderID string, n OrderNote) error
}

// OrderReader is the read side of the agents' console.
type OrderReader interface {
	// SearchOrders returns the orders that match q, newest first.
	SearchOrders(ctx context.Context, q OrderQuery) ([]OrderHit, error)
	// OrderDetail returns one order with its lines, shipments, claims and timeline, or
	// ENOTFOUND.
	OrderDetail(ctx context.Context, mall MallKey, platformOrderID string) (OrderDetail, error)
}

// ReturnFlowView is a running or finished return flow as the order page shows it.
type ReturnFlowView struct {
	WorkflowID string    `json:"workflow_id"`
	ClaimID    string    `json:"claim_id"`
	Kind       ClaimKind `json:"kind"`
	Stage      string    `json:"stage"`
	Outcome    string    `json:"outcome,omitempty"`
	Decision   string    `json:"decision,omitempty"`
	DecidedBy  string    `json:"decided_by,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Arrived    bool      `json:"arrived"`
	Refunded   bool      `json:"refunded"`
	// Waiting is the task the flow waits for (0 = none).
	Waiting   int64            `json:"waiting_task,omitempty"`
	Escalated []string         `json:"escalated,omitempty"`
	History   []ReturnFlowStep `json:"history"`
	// Allowed are the actions an agent may take now: approve, reject, withdraw.
	Allowed []string `json:"allowed"`
}

// ReturnFlowStep is one entry of a flow's history.
type ReturnFlowStep struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
	By   string    `json:"by,omitempty"`
}

// ReturnFlows reads return flows' state.
type ReturnFlows interface {
	// ReturnFlow returns the flow of the claim, or ENOTFOUND when there is none.
	ReturnFlow(ctx context.Context, mall MallKey, claimID string) (ReturnFlowView, error)
}

// StreamHealth is how one stream of a mall has been syncing (sync_cursors, quarantine).
type StreamHealth struct {
	Stream          Stream
	LastRunAt       *time.Time
	LastSuccessAt   *time.Time
	LastCaughtUpAt  *time.Time
	LastError       string
	LastErrorAt     *time.Time
	Runs            int64
	Pages           int64
	Lines           int64
	APICalls        int64
	Quarantined     int64
	CursorUpdatedAt time.Time
}

// MallHealth is a mall with its streams' health, for the sales page.
type MallHealth struct {
	Mall    Mall
	Streams []StreamHealth
	// Orders and Lines count what is stored for the mall.
	Orders int64
	Lines  int64
	// Connected is whether a credential is stored under the mall's CredentialsRef.
	Connected bool
}

// MallHealthReader reads every mall's sync health.
type MallHealthReader interface {
	MallHealth(ctx context.Context) ([]MallHealth, error)
}
