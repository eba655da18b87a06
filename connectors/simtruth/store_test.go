package simtruth

import (
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

// A reading replaces what is kept only when it is at least as new, as the Postgres store does.
func TestStoreKeepsTheNewestReading(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	line := func(status string, at time.Time) mallsync.Page {
		return mallsync.Page{Orders: []mallsync.Order{{Lines: []mallsync.OrderLine{{PlatformLineID: "L1", PlatformStatus: status, Quantity: 1, ChangedAt: at}}}},
			Claims:    []mallsync.Claim{{PlatformClaimID: "C1", PlatformStatus: status, ChangedAt: at}},
			Shipments: []mallsync.Shipment{{PlatformShipmentID: "S1", PlatformStatus: status, ChangedAt: at}}}
	}
	s := NewStore()
	s.Apply(line("N20", t0.Add(time.Hour)))
	s.Apply(line("N10", t0)) // older: ignored
	if got := s.StoredLines(); len(got) != 1 || got[0].Status != "N20" {
		t.Fatalf("lines after an older reading: %+v", got)
	}
	s.Apply(line("N30", t0.Add(time.Hour))) // as new: replaces
	if s.Lines["L1"].PlatformStatus != "N30" || s.StoredClaims()[0].PlatformStatus != "N30" || s.StoredShipments()[0].PlatformStatus != "N30" {
		t.Fatalf("kept %+v %+v %+v", s.Lines, s.Claims, s.Shipments)
	}
}
