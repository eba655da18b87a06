package smartstoresim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simtruth"
)

// Truth is the mall as of the simulated clock: what a connector that read every change
// should have stored. Changes that have not shown yet (Faults.LateRate) are not part of it.
type Truth struct {
	At time.Time
	// Orders counts the orders that exist.
	Orders int
	// Lines lists every product order, by order.
	Lines []TruthLine
	// Claims lists every claim (open, ended, withdrawn), by product order.
	Claims []TruthClaim
	// Shipments lists every parcel: forward ones, return and exchange pickups, and exchange
	// re-deliveries.
	Shipments []TruthShipment
}

// TruthLine is one product order.
type TruthLine struct {
	OrderID        string
	ProductOrderID string
	// Status is LineCode of the product order: productOrderStatus, or PAYED:OK once PAYED
	// and 발주확인 (placeOrderStatus OK).
	Status        string
	Quantity      int
	PaymentAmount int64 // totalPaymentAmount, in won
}

// TruthClaim is one claim.
type TruthClaim struct {
	ID             string // claimId
	OrderID        string
	ProductOrderID string
	Kind           string // cancel, return, exchange
	// Status is ClaimCode of the claim (see there).
	Status string
}

// TruthShipment is one parcel.
type TruthShipment struct {
	// ID is <productOrderId>:delivery for the forward parcel, <claimId>:collect for a pickup,
	// <claimId>:redelivery for an exchange's re-delivery.
	ID             string
	OrderID        string
	Kind           string // forward, return_pickup, reshipment
	CarrierCode    string
	TrackingNo     string
	ProductOrderID string
}

// LineCode is the status code a line is stored with: productOrderStatus, with ":OK" after
// PAYED once the seller confirmed it (발주확인, placeOrderStatus OK).
func LineCode(productOrderStatus, placeOrderStatus string) string {
	if productOrderStatus == stPayed && placeOrderStatus == "OK" {
		return "PAYED:OK"
	}
	return productOrderStatus
}

// ClaimCode is the status code a claim is stored with, the keys of the claim steps in
// mappings/platforms/smartstore.yaml:
//
//   - <TYPE>:WITHDRAWN for a claim that ended on a step that is not final (not *_DONE or
//     *_REJECT): the buyer withdrew it (철회);
//   - <TYPE>:HOLDBACK while an open claim is held back (holdbackStatus HOLDBACK);
//   - <TYPE>:COLLECTING and <TYPE>:COLLECT_DONE for the pickup steps returns and exchanges share;
//   - the claimStatus itself otherwise (CANCEL_REQUEST, RETURN_DONE, EXCHANGE_REDELIVERING…).
func ClaimCode(claimType, claimStatus, holdbackStatus string, ended bool) string {
	final := strings.HasSuffix(claimStatus, "_DONE") && claimStatus != "COLLECT_DONE" || strings.HasSuffix(claimStatus, "_REJECT")
	switch {
	case ended && !final:
		return claimType + ":WITHDRAWN"
	case !ended && holdbackStatus == "HOLDBACK":
		return claimType + ":HOLDBACK"
	case claimStatus == "COLLECTING" || claimStatus == "COLLECT_DONE":
		return claimType + ":" + claimStatus
	}
	return claimStatus
}

func kindOf(typ string) string { return strings.ToLower(typ) }

// Truth returns the data set as of the clock.
func (s *Server) Truth() Truth {
	now := s.clock.Now()
	late := s.lateness()
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := Truth{At: now}
	for _, o := range s.orders {
		seen := false
		for _, po := range o.pos {
			cur, _ := late.current(po, now.UnixMilli())
			if cur < 0 {
				continue
			}
			seen = true
			st := &po.events[cur].st
			place := "NOT_YET"
			if st.PlaceOK {
				place = "OK"
			}
			t.Lines = append(t.Lines, TruthLine{OrderID: o.id, ProductOrderID: po.id, Status: LineCode(st.Status, place),
				Quantity: po.qty, PaymentAmount: po.amount()})
			if st.Tracking != "" {
				t.Shipments = append(t.Shipments, TruthShipment{ID: po.id + ":delivery", OrderID: o.id, Kind: "forward",
					CarrierCode: st.Carrier, TrackingNo: st.Tracking, ProductOrderID: po.id})
			}
			claims := slices.Clone(st.Done)
			if st.Claim != nil {
				claims = append(claims, *st.Claim)
			}
			for i, c := range claims {
				ended := i < len(st.Done)
				t.Claims = append(t.Claims, TruthClaim{ID: c.ID, OrderID: o.id, ProductOrderID: po.id, Kind: kindOf(c.Type),
					Status: ClaimCode(c.Type, c.Status, c.Holdback, ended)})
				if c.CollectTracking != "" {
					t.Shipments = append(t.Shipments, TruthShipment{ID: c.ID + ":collect", OrderID: o.id, Kind: "return_pickup",
						CarrierCode: c.CollectCompany, TrackingNo: c.CollectTracking, ProductOrderID: po.id})
				}
				if c.RedeliveryTracking != "" {
					t.Shipments = append(t.Shipments, TruthShipment{ID: c.ID + ":redelivery", OrderID: o.id, Kind: "reshipment",
						CarrierCode: c.RedeliveryCompany, TrackingNo: c.RedeliveryTracking, ProductOrderID: po.id})
				}
			}
		}
		if seen {
			t.Orders++
		}
	}
	return t
}

// ByStatus counts the lines by status.
func (t Truth) ByStatus() map[string]int {
	out := map[string]int{}
	for _, l := range t.Lines {
		out[l.Status]++
	}
	return out
}

// Diff compares stored lines, keyed by productOrderId, with the truth.
func (t Truth) Diff(stored []simtruth.Line) simtruth.Diff {
	truth := make([]simtruth.Line, len(t.Lines))
	for i, l := range t.Lines {
		truth[i] = simtruth.Line{Key: l.ProductOrderID, Status: l.Status, Quantity: l.Quantity, PaymentAmount: l.PaymentAmount}
	}
	return simtruth.Lines(truth, stored)
}

// DiffClaims compares stored claims (every field of TruthClaim) with the truth.
func (t Truth) DiffClaims(stored []TruthClaim) simtruth.Diff {
	return simtruth.Records(t.Claims, stored, func(c TruthClaim) string { return "claim " + c.ID })
}

// DiffShipments compares stored parcels (every field of TruthShipment) with the truth.
func (t Truth) DiffShipments(stored []TruthShipment) simtruth.Diff {
	return simtruth.Records(t.Shipments, stored, func(s TruthShipment) string { return "shipment " + s.ID })
}

// StoredClaimsOf converts stored domain claims for DiffClaims: a SmartStore claim is on one
// product order.
func StoredClaimsOf(cs []mallsync.Claim) []TruthClaim {
	out := make([]TruthClaim, len(cs))
	for i, c := range cs {
		out[i] = TruthClaim{ID: c.PlatformClaimID, OrderID: c.PlatformOrderID, Kind: string(c.Kind), Status: c.PlatformStatus}
		if len(c.Lines) > 0 {
			out[i].ProductOrderID = c.Lines[0].PlatformLineID
		}
	}
	return out
}

// StoredShipmentsOf converts stored domain shipments for DiffShipments.
func StoredShipmentsOf(ss []mallsync.Shipment) []TruthShipment {
	out := make([]TruthShipment, len(ss))
	for i, s := range ss {
		out[i] = TruthShipment{ID: s.PlatformShipmentID, OrderID: s.PlatformOrderID, Kind: string(s.Kind),
			CarrierCode: s.CarrierCode, TrackingNo: s.TrackingNo}
		if len(s.LineIDs) > 0 {
			out[i].ProductOrderID = s.LineIDs[0]
		}
	}
	return out
}

// debugTruth serves GET /debug/truth: the Truth as JSON.
func (s *Server) debugTruth(w http.ResponseWriter, _ *http.Request) {
	b, err := json.Marshal(s.Truth())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(b)
}
