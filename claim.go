package mallsync

import (
	"encoding/json"
	"time"
)

// Claim is a cancel, return or exchange request on one or more lines of an order, as the
// platform reports it. Its unified Status comes from the platform's status map; a claim the
// buyer or seller withdrew (반품 철회, Cafe24 "undone") has Status ClaimWithdrawn and its lines
// go back to where they were before the claim.
type Claim struct {
	// PlatformClaimID is the platform's claim code (Cafe24 "R20260701-0000013"), unique per mall.
	PlatformClaimID string
	PlatformOrderID string
	Kind            ClaimKind
	Status          ClaimStatus
	// PlatformStatus is the platform's own code for the claim's current step (Cafe24 "R20").
	PlatformStatus string
	// ReasonType is the platform's reason category; Reason is the buyer's or seller's text.
	ReasonType string
	Reason     string
	// FaultParty says who bears the cost when the platform says: "buyer" or "seller".
	FaultParty string
	// ReturnCarrierCode and ReturnTrackingNo are the pickup's invoice for returns and exchanges.
	ReturnCarrierCode string
	ReturnTrackingNo  string
	RequestedAt       time.Time
	// ChangedAt is the latest change the platform reports for the claim; an older incoming
	// claim never overwrites a newer stored one.
	ChangedAt time.Time
	Lines     []ClaimLine
	// Raw is the platform's JSON for the claim, exactly as received.
	Raw json.RawMessage
}

// ClaimLine is one order line's part in a claim.
type ClaimLine struct {
	PlatformLineID string
	Quantity       int
	// PlatformStatus is the line's platform code for this claim's step, when the platform says.
	PlatformStatus string
}

// Open reports whether the claim can still change: not completed, rejected or withdrawn.
func (c Claim) Open() bool {
	switch c.Status {
	case ClaimCompleted, ClaimRejected, ClaimWithdrawn:
		return false
	}
	return true
}
