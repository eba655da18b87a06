package simtruth

import "github.com/mallsync/mallsync"

// Store keeps what a synced store would of a connector's pages: lines, claims and shipments
// by platform id, a record replaced only by a reading at least as new (ChangedAt), the rule
// of postgres.SyncStore. Tests of a connector against its simulator compare it with the
// simulator's truth without a database.
type Store struct {
	Lines     map[string]mallsync.OrderLine
	Claims    map[string]mallsync.Claim
	Shipments map[string]mallsync.Shipment
}

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{Lines: map[string]mallsync.OrderLine{}, Claims: map[string]mallsync.Claim{}, Shipments: map[string]mallsync.Shipment{}}
}

// Apply keeps the page's records that are at least as new as the kept ones.
func (s *Store) Apply(p mallsync.Page) {
	for _, o := range p.Orders {
		for _, l := range o.Lines {
			if old, ok := s.Lines[l.PlatformLineID]; !ok || !l.ChangedAt.Before(old.ChangedAt) {
				s.Lines[l.PlatformLineID] = l
			}
		}
	}
	for _, c := range p.Claims {
		if old, ok := s.Claims[c.PlatformClaimID]; !ok || !c.ChangedAt.Before(old.ChangedAt) {
			s.Claims[c.PlatformClaimID] = c
		}
	}
	for _, sh := range p.Shipments {
		if old, ok := s.Shipments[sh.PlatformShipmentID]; !ok || !sh.ChangedAt.Before(old.ChangedAt) {
			s.Shipments[sh.PlatformShipmentID] = sh
		}
	}
}

// StoredLines returns the kept lines for Lines.
func (s *Store) StoredLines() []Line {
	out := make([]Line, 0, len(s.Lines))
	for id, l := range s.Lines {
		out = append(out, Line{Key: id, Status: l.PlatformStatus, Quantity: l.Quantity, PaymentAmount: int64(l.PaymentAmount)})
	}
	return out
}

// StoredClaims returns the kept claims.
func (s *Store) StoredClaims() []mallsync.Claim {
	out := make([]mallsync.Claim, 0, len(s.Claims))
	for _, c := range s.Claims {
		out = append(out, c)
	}
	return out
}

// StoredShipments returns the kept shipments.
func (s *Store) StoredShipments() []mallsync.Shipment {
	out := make([]mallsync.Shipment, 0, len(s.Shipments))
	for _, sh := range s.Shipments {
		out = append(out, sh)
	}
	return out
}
