package mallsync

import (
	"context"
	"time"
)

// MovementKind is what an inventory movement does to stock.
type MovementKind string

// The movement kinds of the inventory ledger (DESIGN.md, domain model).
const (
	// MoveReserve sets stock aside for a paid line; MoveRelease gives it back (a cancel
	// before dispatch).
	MoveReserve MovementKind = "reserve"
	MoveRelease MovementKind = "release"
	// MoveIssue takes stock out of the warehouse (dispatch), consuming its reservation.
	MoveIssue MovementKind = "issue"
	// MoveReceipt brings stock in (a return received into sellable stock).
	MoveReceipt MovementKind = "receipt"
	// MoveQuarantine brings stock in at the quarantine location (a defective return).
	MoveQuarantine MovementKind = "quarantine"
	// MoveReturnToSupplier sends stock back to its supplier.
	MoveReturnToSupplier MovementKind = "return_to_supplier"
	// MoveAdjust corrects stock (counts, opening balances).
	MoveAdjust MovementKind = "adjust"
)

// Valid reports whether k is a known movement kind.
func (k MovementKind) Valid() bool {
	switch k {
	case MoveReserve, MoveRelease, MoveIssue, MoveReceipt, MoveQuarantine, MoveReturnToSupplier, MoveAdjust:
		return true
	}
	return false
}

// The ledger's locations.
const (
	// LocationWarehouse is our warehouse's sellable stock.
	LocationWarehouse = "warehouse"
	// LocationQuarantine holds returned goods that may not be sold (defective, awaiting a
	// decision).
	LocationQuarantine = "quarantine"
)

// Movement is one append-only entry of the inventory ledger. Stock per (SKU, location,
// ownership, supplier) is the sum of the movements.
type Movement struct {
	// Key makes recording idempotent: a movement whose key the mall's ledger already holds
	// is not recorded again ("line/<line>/reserve", "return/<claim>/receipt/<line>").
	Key       string
	Kind      MovementKind
	SKU       string
	Location  string
	Ownership Ownership
	Supplier  string
	// Quantity is signed: what the movement adds to the location's on-hand stock (issue and
	// return_to_supplier negative, receipt positive). Reserve and release move reserved stock:
	// reserve positive, release negative; issue also ends the line's reservation.
	Quantity        int
	PlatformOrderID string
	PlatformLineID  string
	ClaimID         string
	// Reverses is the key of the movement this one undoes (a withdrawn return's receipt).
	Reverses string
	Reason   string
	At       time.Time
}

// StockFigure is stock per (SKU, location, ownership, supplier), summed from the ledger.
type StockFigure struct {
	SKU       string
	Location  string
	Ownership Ownership
	Supplier  string
	// OnHand is what is physically there; Reserved is set aside for paid lines not yet
	// dispatched; Available = OnHand - Reserved.
	OnHand    int
	Reserved  int
	Available int
}

// Ledger is the inventory ledger: append-only movements, stock as a query over them.
type Ledger interface {
	// RecordMovements appends the movements whose keys the mall's ledger does not hold yet,
	// in one transaction, and returns how many it appended.
	RecordMovements(ctx context.Context, mall MallKey, moves []Movement) (int, error)
	// ReverseMovements appends, for every movement whose key starts with keyPrefix and that is
	// not reversed yet, a movement that undoes it (Reverses set, Quantity negated), and
	// returns how many it appended. Reversing twice appends nothing the second time.
	ReverseMovements(ctx context.Context, mall MallKey, keyPrefix, reason string, at time.Time) (int, error)
	// StockByOwnership sums the mall's ledger per (SKU, location, ownership, supplier).
	StockByOwnership(ctx context.Context, mall MallKey) ([]StockFigure, error)
}
