package mallsync

import (
	"context"
	"time"
)

// ReorderSource says who marked an order as a pre-shipped reorder.
type ReorderSource string

// The reorder sources.
const (
	// ReorderByAgent is a person's action in the console.
	ReorderByAgent ReorderSource = "agent"
	// ReorderByRule is a rule of the mall file.
	ReorderByRule ReorderSource = "rule"
)

// Valid reports whether s is a known reorder source.
func (s ReorderSource) Valid() bool { return s == ReorderByAgent || s == ReorderByRule }

// Reorder links a pre-shipped reorder (기출하) to the earlier, delivered order of the same mall
// whose parcel already carried its goods. A reorder gets no shipment task and no stock issue:
// its lines record no reserve or issue movement when they sync, and the reservations they held
// when it was marked are released. It travels as a shipment of kind ShipmentPreshipped that
// reuses the original's carrier and tracking number, which is written back to the platform
// where the platform needs a dispatch to move the order on (Platform.NeedsDispatch).
type Reorder struct {
	Mall MallKey
	// OrderID is the reorder's platform order id; OriginalOrderID the original's.
	OrderID         string
	OriginalOrderID string
	Source          ReorderSource
	// MarkedBy is the person (or "rule:<name>") who marked it, at MarkedAt.
	MarkedBy string
	MarkedAt time.Time
	// CarrierCode and TrackingNo are the original's parcel, reused.
	CarrierCode string
	TrackingNo  string
	// ShipmentID is the platform shipment id of the preshipped shipment ("preshipped/<order>").
	ShipmentID string
	// LineIDs are the reorder's lines the shipment carries (its lines not canceled when marked).
	LineIDs []string
	// Released is how many open reservations the marking released.
	Released int
	// WriteBack is how the dispatch write-back went; nil while none was made (not attempted
	// yet, or the platform needs none). WrittenAt is when it was recorded.
	WriteBack *WriteResult
	WrittenAt *time.Time
}

// ShipmentIDOfReorder is the platform shipment id of a reorder's preshipped shipment. No
// platform's shipment ids contain a slash, so it never meets one the sync writes.
func ShipmentIDOfReorder(orderID string) string { return "preshipped/" + orderID }

// NeedsDispatch reports whether the platform moves an order on from paid or preparing only
// when it is dispatched with an invoice (carrier and tracking number): then a pre-shipped
// reorder's reused tracking is written back to it. Cafe24, SmartStore and Coupang all do.
func (p Platform) NeedsDispatch() bool {
	switch p {
	case PlatformCafe24, PlatformSmartStore, PlatformCoupang:
		return true
	}
	return false
}

// ReorderMark asks for an order to be marked as a pre-shipped reorder of another.
type ReorderMark struct {
	Mall            MallKey
	OrderID         string
	OriginalOrderID string
	Source          ReorderSource
	By              string
	// At is when it was marked; zero means now.
	At time.Time
}

// ReorderStore keeps the links of pre-shipped reorders to their originals.
type ReorderStore interface {
	// MarkReorder validates the mark against the stored orders and, in one transaction, links
	// the reorder to its original, releases the open reservations of its lines and records
	// its preshipped shipment with the original's carrier and tracking. It returns the link
	// and whether this call created it: marking again with the same original changes nothing
	// and returns the stored link. It returns ENOTFOUND for an unknown mall or reorder, and
	// EINVALID, changing nothing, with the reason when the mall's policy forbids pre-shipped
	// reorders, the original is unknown, of another mall, not delivered yet or without a
	// tracking number, the reorder is the original itself, is shipped or canceled already,
	// or is marked already as a reorder of another order.
	MarkReorder(ctx context.Context, m ReorderMark) (Reorder, bool, error)
	// Reorder returns the link of the mall's order, or ENOTFOUND when it is not a reorder.
	Reorder(ctx context.Context, mall MallKey, orderID string) (Reorder, error)
	// RecordReorderWriteBack records how the reorder's dispatch write-back went.
	RecordReorderWriteBack(ctx context.Context, mall MallKey, orderID string, res WriteResult, at time.Time) error
}

// ReorderActions are the pre-shipped reorder actions people take in the console.
type ReorderActions interface {
	// Mark marks the mall's order as a pre-shipped reorder of original, on by's behalf (see
	// ReorderStore.MarkReorder for the refusals), and writes the original's tracking back to
	// the platform where it needs a dispatch: the result, done or refused with the platform's
	// reason, is recorded in the returned Reorder. Marking again with the same original
	// changes nothing, except that a write-back that did not get through is tried again.
	Mark(ctx context.Context, mall MallKey, orderID, original, by string) (Reorder, error)
	// Reorder returns the link of the mall's order, or ENOTFOUND when it is not a reorder.
	Reorder(ctx context.Context, mall MallKey, orderID string) (Reorder, error)
}
