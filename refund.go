package mallsync

import (
	"encoding/json"
	"time"
)

// Refund is money the platform paid or will pay back to a buyer for lines of an order.
type Refund struct {
	// PlatformRefundID is the platform's refund code, unique per mall.
	PlatformRefundID string
	PlatformOrderID  string
	// PlatformClaimID is the claim the refund settles, when the platform says.
	PlatformClaimID string
	LineIDs         []string
	Amount          Money
	// Done reports whether the money went out (Cafe24 status T).
	Done       bool
	RefundedAt *time.Time
	ChangedAt  time.Time
	Raw        json.RawMessage
}
