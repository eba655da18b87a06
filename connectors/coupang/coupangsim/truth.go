package coupangsim

import (
	"strconv"

	"github.com/mallsync/mallsync/connectors/simtruth"
)

// Truth is what the simulator holds as of its clock.
type Truth struct {
	// Orders counts the paid orders (Coupang lists nothing before payment).
	Orders int
	// Lines lists every line of those orders: one per (shipmentBoxId, vendorItemId), by order.
	Lines []TruthLine
}

// TruthLine is one line as of the clock.
type TruthLine struct {
	OrderID string
	// LineID is shipmentBoxId-vendorItemId, the line's key.
	LineID        string
	Status        string // the order sheet's status
	Quantity      int
	PaymentAmount int64 // orderPrice - discountPrice, in won
}

// Truth returns the data set as of the clock.
func (s *Server) Truth() Truth {
	now := s.clock.Now().Unix()
	var t Truth
	for i := range s.boxes {
		b := &s.boxes[i]
		st, ok := b.status(now)
		if !ok {
			continue
		}
		t.Orders++
		for _, it := range b.items {
			t.Lines = append(t.Lines, TruthLine{OrderID: strconv.FormatInt(b.orderID, 10),
				LineID: strconv.FormatInt(b.boxID, 10) + "-" + strconv.FormatInt(it.vendorItemID, 10), Status: st,
				Quantity: it.count, PaymentAmount: it.price*int64(it.count) - it.discount})
		}
	}
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
