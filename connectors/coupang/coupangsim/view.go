package coupangsim

// boxView is a box as Coupang shows it at a moment, its claim taken into account.
type boxView struct {
	status string
	// cancel and hold are cancelCount and holdCountForCancel by vendorItemId: items a
	// completed claim took away, and items an open stop-shipment request holds back.
	cancel, hold map[int64]int
	// gone says every item was taken away: the box has left the order-sheet lists (the
	// single sheet still answers).
	gone bool
	// takenCode is the code of an item the claim took whole (CANCEL_COMPLETED,
	// STOP_SHIPMENT_COMPLETED or RETURNS_COMPLETED), for the line's status.
	takenCode string
}

// view returns box i as of unix time now; false before it is paid. The caller holds s.data.
func (s *Server) view(i int, now int64, f Faults) (boxView, bool) {
	b := &s.boxes[i]
	if now < b.paid {
		return boxView{}, false
	}
	v := boxView{cancel: map[int64]int{}, hold: map[int64]int{}}
	at := now
	if ci, ok := s.claimOf[i]; ok {
		c := &s.claims[ci]
		t := now - s.late(c, f)
		if t >= c.created && c.kind == stopShipment && t < c.resolve {
			for _, it := range c.items {
				v.hold[it.vendorItemID] += it.count
			}
		}
		if d := c.done(); t >= d {
			for _, it := range c.items {
				v.cancel[it.vendorItemID] += it.count
			}
			rc, _ := c.receiptAt(t)
			v.takenCode = rc.code
			if full := c.full(b); full && !c.isReturn(t) {
				at = min(at, d) // a box cancelled whole never moves on
			}
		}
	}
	v.status, _ = b.status(at)
	v.gone = true
	for _, it := range b.items {
		if v.cancel[it.vendorItemID] < it.count {
			v.gone = false
		}
	}
	return v, true
}

// lineAmount is what a line of count items, qty of them still to ship, is worth: the whole
// line (orderPrice − discountPrice) shared out by quantity, rounded down.
func lineAmount(price, discount int64, count, qty int) int64 {
	whole := price*int64(count) - discount
	if qty == count || count == 0 {
		return whole
	}
	return whole * int64(qty) / int64(count)
}
