package coupangsim

import (
	"sort"
	"strconv"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simtruth"
)

// Truth is what the simulator holds as of its clock.
type Truth struct {
	// Orders counts the paid orders (Coupang lists nothing before payment).
	Orders int
	// Lines lists every line of those orders: one per (shipmentBoxId, vendorItemId), by order.
	Lines []TruthLine
	// Claims lists every cancel, return and exchange, by id.
	Claims []TruthClaim
	// Shipments lists every parcel with a tracking number, by id.
	Shipments []TruthShipment
}

// TruthLine is one line as of the clock.
type TruthLine struct {
	OrderID string
	// LineID is shipmentBoxId-vendorItemId, the line's key.
	LineID string
	// Status is the order sheet's status; for an item a claim took whole, the claim's code
	// (CANCEL_COMPLETED, STOP_SHIPMENT_COMPLETED or RETURNS_COMPLETED, as coupang.yaml has them).
	Status string
	// Quantity is what is still to ship (shippingCount − holdCountForCancel − cancelCount);
	// for an item taken whole, the quantity taken.
	Quantity int
	// PaymentAmount is orderPrice − discountPrice in won, shared out by Quantity.
	PaymentAmount int64
}

// TruthClaim is one claim as a synced store must hold it.
type TruthClaim struct {
	// ID is the receiptId of a cancel or return, "E" and the exchangeId of an exchange.
	ID      string
	OrderID string
	Kind    string // cancel, return or exchange
	// Status is the code the connector stores as the claim's platform status: a receipt
	// status (RELEASE_STOP_UNCHECKED, RETURNS_UNCHECKED, VENDOR_WAREHOUSE_CONFIRM,
	// REQUEST_COUPANG_CHECK, RETURNS_COMPLETED), CANCEL_COMPLETED, STOP_SHIPMENT_COMPLETED,
	// RETURN_WITHDRAWN, or an exchange status.
	Status string
}

// TruthShipment is one parcel: a box's forward invoice (ID the shipmentBoxId), a return's
// pickup ("return-" and the receiptId), an exchange's pickup ("exchange-" and the
// exchangeId "-pickup") and its replacement (ID the replacement's shipmentBoxId).
type TruthShipment struct {
	ID, OrderID string
	Kind        string // forward, return_pickup or reshipment
	TrackingNo  string
}

// claimKindOf is the claim kind of a receipt code.
func claimKindOf(code string) string {
	switch code {
	case "CANCEL_COMPLETED", "RELEASE_STOP_UNCHECKED", "STOP_SHIPMENT_COMPLETED":
		return "cancel"
	}
	return "return"
}

// Truth returns the data set as of the clock.
func (s *Server) Truth() Truth {
	s.data.RLock()
	defer s.data.RUnlock()
	now, f := s.clock.Now().Unix(), s.currentFaults()
	var t Truth
	for i := range s.boxes {
		b := &s.boxes[i]
		v, ok := s.view(i, now, f)
		if !ok {
			continue
		}
		t.Orders++
		order := strconv.FormatInt(b.orderID, 10)
		for _, it := range b.items {
			l := TruthLine{OrderID: order, LineID: strconv.FormatInt(b.boxID, 10) + "-" + strconv.FormatInt(it.vendorItemID, 10), Status: v.status}
			if c := v.cancel[it.vendorItemID]; c == it.count {
				l.Status, l.Quantity = v.takenCode, it.count
			} else {
				l.Quantity = it.count - c - v.hold[it.vendorItemID]
			}
			l.PaymentAmount = lineAmount(it.price, it.discount, it.count, l.Quantity)
			t.Lines = append(t.Lines, l)
		}
		if _, inv, ok := b.forward(v.status); ok && inv != "" {
			t.Shipments = append(t.Shipments, TruthShipment{ID: strconv.FormatInt(b.boxID, 10), OrderID: order, Kind: "forward", TrackingNo: inv})
		}
	}
	for k := range s.claims {
		c := &s.claims[k]
		ct := now - s.late(c, f)
		order := strconv.FormatInt(s.boxes[c.box].orderID, 10)
		id := strconv.FormatInt(c.id, 10)
		if rc, ok := c.receiptAt(ct); ok {
			t.Claims = append(t.Claims, TruthClaim{ID: id, OrderID: order, Kind: claimKindOf(rc.code), Status: rc.code})
			if c.isReturn(ct) && ct >= c.pickup {
				t.Shipments = append(t.Shipments, TruthShipment{ID: "return-" + id, OrderID: order, Kind: "return_pickup", TrackingNo: c.pickupInvoice()})
			}
		}
		if st, _, ok := c.exchangeAt(ct); ok {
			t.Claims = append(t.Claims, TruthClaim{ID: "E" + id, OrderID: order, Kind: "exchange", Status: st})
			if ct >= c.progress {
				t.Shipments = append(t.Shipments, TruthShipment{ID: "exchange-" + id + "-pickup", OrderID: order, Kind: "return_pickup", TrackingNo: c.pickupInvoice()})
			}
			if ct >= c.success {
				t.Shipments = append(t.Shipments, TruthShipment{ID: strconv.FormatInt(reshipBoxID(c), 10), OrderID: order, Kind: "reshipment", TrackingNo: c.reshipInvoice})
			}
		}
	}
	sort.Slice(t.Claims, func(i, j int) bool { return t.Claims[i].ID < t.Claims[j].ID })
	sort.Slice(t.Shipments, func(i, j int) bool { return t.Shipments[i].ID < t.Shipments[j].ID })
	return t
}

// Diff compares stored lines, keyed shipmentBoxId-vendorItemId, with the truth.
func (t Truth) Diff(stored []simtruth.Line) simtruth.Diff {
	truth := make([]simtruth.Line, len(t.Lines))
	for i, l := range t.Lines {
		truth[i] = simtruth.Line{Key: l.LineID, Status: l.Status, Quantity: l.Quantity, PaymentAmount: l.PaymentAmount}
	}
	return simtruth.Lines(truth, stored)
}

// DiffClaims compares stored claims (ID, OrderID, Kind and Status as TruthClaim has them)
// with the truth's.
func (t Truth) DiffClaims(stored []TruthClaim) simtruth.Diff {
	return simtruth.Records(t.Claims, stored, func(c TruthClaim) string { return c.ID })
}

// DiffShipments compares stored shipments (ID, OrderID, Kind and TrackingNo) with the truth's.
func (t Truth) DiffShipments(stored []TruthShipment) simtruth.Diff {
	return simtruth.Records(t.Shipments, stored, func(s TruthShipment) string { return s.ID })
}

// StoredClaimsOf converts stored domain claims for DiffClaims.
func StoredClaimsOf(cs []mallsync.Claim) []TruthClaim {
	out := make([]TruthClaim, len(cs))
	for i, c := range cs {
		out[i] = TruthClaim{ID: c.PlatformClaimID, OrderID: c.PlatformOrderID, Kind: string(c.Kind), Status: c.PlatformStatus}
	}
	return out
}

// StoredShipmentsOf converts stored domain shipments for DiffShipments.
func StoredShipmentsOf(ss []mallsync.Shipment) []TruthShipment {
	out := make([]TruthShipment, len(ss))
	for i, s := range ss {
		out[i] = TruthShipment{ID: s.PlatformShipmentID, OrderID: s.PlatformOrderID, Kind: string(s.Kind), TrackingNo: s.TrackingNo}
	}
	return out
}
