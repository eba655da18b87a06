package cafe24sim

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Truth is the ground truth of the mall as of the simulated clock: what a perfect connector
// would have stored after reading everything visible. Late events (Faults.LateRate) that are
// not visible yet are not part of it.
type Truth struct {
	// At is the clock time the truth was taken at.
	At time.Time
	// Orders counts the orders that exist (order_date visible).
	Orders int
	// Lines lists every item of those orders, by order_id then item_no.
	Lines []TruthLine
	// Claims lists every visible claim (cancellations, returns, exchanges, withdrawn ones
	// included), by order_id then item_no.
	Claims []TruthClaim
	// Shipments lists every parcel: forward ones by shipping_code and return pickups by
	// claim code, by order_id.
	Shipments []TruthShipment
	// Refunds lists every visible refund, by refund code.
	Refunds []TruthRefund
	// Stock lists every variant's stock figure, by variant code.
	Stock []TruthStock
}

// TruthClaim is one claim as of the clock.
type TruthClaim struct {
	Code    string // claim_code
	OrderID string
	Kind    string // "cancel", "return" or "exchange"
	// Status is the claim's step as a platform code: the item's C, R or E code, "undone"
	// when the claim was withdrawn, and C11 for a rejected cancellation request (also once
	// the item has shipped and shows N30 and on).
	Status    string
	ItemCodes []string
	Quantity  int
	// ReturnTrackingNo is the pickup invoice of a return or exchange, once accepted.
	ReturnTrackingNo string
}

// TruthShipment is one parcel as of the clock.
type TruthShipment struct {
	ID          string // shipping_code, or the claim code of a return pickup
	OrderID     string
	Kind        string // "forward" or "return_pickup"
	CarrierCode string
	TrackingNo  string
	ItemCodes   []string
}

// TruthLine is one order item as of the clock.
type TruthLine struct {
	OrderID  string // order_id
	ItemCode string // order_item_code
	// ClaimCode is the item's claim_code once a claim was requested (kept when withdrawn).
	ClaimCode string
	Status    string // order_status, e.g. "N40"
	Quantity  int
	// PaymentAmount is the item's payment_amount in won.
	PaymentAmount int64
}

// truthClaim is item ii's claim as of the view.
func (v *view) truthClaim(ii uint32, it *item, s itemState, orderID string, tl TruthLine) TruthClaim {
	c := TruthClaim{Code: tl.ClaimCode, OrderID: orderID, Kind: [...]string{"", "cancel", "return", "exchange"}[it.claim],
		Status: statusCodes[s.status], ItemCodes: []string{tl.ItemCode}, Quantity: int(it.qty)}
	switch {
	case s.has(evUndone):
		c.Status = "undone"
	case it.claim == claimCancel && s.has(evRejected):
		c.Status = "C11" // the claim's last step, also once the item has shipped
	}
	if it.claim >= claimReturn {
		c.ReturnTrackingNo = unquote(v.appendReturnInvoice(nil, ii, it, s))
	}
	return c
}

// addForward adds an item to its order's forward parcel (shipments[from:] are the order's).
func (v *view) addForward(ships []TruthShipment, from int, oi uint32, it *item, orderID, itemCode string) []TruthShipment {
	id := unquote(v.appendShippingCode(nil, oi, it.ship))
	for i := from; i < len(ships); i++ {
		if ships[i].ID == id {
			ships[i].ItemCodes = append(ships[i].ItemCodes, itemCode)
			return ships
		}
	}
	kind := "forward"
	if it.origin != 0 {
		kind = "reshipment" // an exchange's replacement goes out in a parcel of its own
	}
	return append(ships, TruthShipment{ID: id, OrderID: orderID, Kind: kind, CarrierCode: v.carrierCode(oi, it),
		TrackingNo: unquote(v.appendTrackingNo(nil, oi, it)), ItemCodes: []string{itemCode}})
}

// countClaims counts the trailing claims of orderID.
func countClaims(cs []TruthClaim, orderID string) int {
	n := 0
	for i := len(cs) - 1; i >= 0 && cs[i].OrderID == orderID; i-- {
		n++
	}
	return n
}

// unquote turns an appended JSON string (or null) into its text ("" for null).
func unquote(b []byte) string {
	if len(b) >= 2 && b[0] == '"' {
		return string(b[1 : len(b)-1])
	}
	return ""
}

// ByStatus counts the lines per status code.
func (t Truth) ByStatus() map[string]int {
	m := map[string]int{}
	for _, l := range t.Lines {
		m[l.Status]++
	}
	return m
}

// Truth returns the ground truth as of the clock.
func (s *Server) Truth() Truth {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v := s.view()
	d := v.d
	t := Truth{At: s.clock.Now()}
	var id []byte
	for oi := range d.orders {
		o := &d.orders[oi]
		if int64(o.at) > v.now {
			break // orders are sorted by date
		}
		if !v.orderShown(uint32(oi)) {
			continue
		}
		t.Orders++
		id = v.appendOrderID(id[:0], uint32(oi))
		orderID := string(id)
		paid := v.paidShown(uint32(oi))
		first := len(t.Shipments)
		for k := uint32(0); k < uint32(o.n); k++ {
			ii := o.first + k
			it := &d.items[ii]
			s := v.state(ii, paid)
			if s.absent {
				continue
			}
			tl := TruthLine{
				OrderID:       orderID,
				ItemCode:      orderID + "-" + string(appendPad(nil, int64(k)+1, 2)),
				Status:        statusCodes[s.status],
				Quantity:      int(it.qty),
				PaymentAmount: d.linePayment(ii),
			}
			if hasClaim(it, s) {
				tl.ClaimCode = unquote(v.appendClaimCode(nil, it))
				t.Claims = append(t.Claims, v.truthClaim(ii, it, s, orderID, tl))
			}
			t.Lines = append(t.Lines, tl)
			if s.has(evShipped) {
				t.Shipments = v.addForward(t.Shipments, first, uint32(oi), it, orderID, tl.ItemCode)
			}
		}
		for _, c := range t.Claims[len(t.Claims)-countClaims(t.Claims, orderID):] {
			if c.ReturnTrackingNo != "" {
				t.Shipments = append(t.Shipments, TruthShipment{ID: c.Code, OrderID: orderID, Kind: "return_pickup",
					CarrierCode: "", TrackingNo: c.ReturnTrackingNo, ItemCodes: c.ItemCodes})
			}
		}
	}
	t.Refunds = v.truthRefunds()
	t.Stock = v.truthStock()
	return t
}

// debugTruth serves GET /debug/truth (simulator only, no auth): a summary of Truth, and with
// ?lines=1 every line under "list".
func (s *Server) debugTruth(w http.ResponseWriter, r *http.Request) {
	full := r.URL.Query().Get("lines") == "1"
	v := s.view()
	d := v.d
	var counts [numStatuses]int
	orders, lines := 0, 0
	b := append([]byte(nil), `{"at":`...)
	b = appendKST(b, v.now+d.base)
	var list []byte
	if full {
		list = append(list, `,"list":[`...)
	}
	for oi := range d.orders {
		o := &d.orders[oi]
		if int64(o.at) > v.now {
			break
		}
		if !v.orderShown(uint32(oi)) {
			continue
		}
		orders++
		paid := v.paidShown(uint32(oi))
		for k := uint32(0); k < uint32(o.n); k++ {
			ii := o.first + k
			s := v.state(ii, paid)
			if s.absent {
				continue
			}
			st := s.status
			counts[st]++
			if full {
				it := &d.items[ii]
				if lines > 0 {
					list = append(list, ',')
				}
				list = append(list, `{"order_item_code":"`...)
				list = v.appendOrderID(list, uint32(oi))
				list = append(list, '-')
				list = appendPad(list, int64(k)+1, 2)
				list = append(list, `","order_status":"`...)
				list = append(list, statusCodes[st]...)
				list = append(list, `","quantity":`...)
				list = strconv.AppendInt(list, int64(it.qty), 10)
				list = append(list, `,"payment_amount":`...)
				list = appendMoney(list, d.linePayment(ii))
				list = append(list, '}')
			}
			lines++
		}
	}
	b = append(b, `,"orders":`...)
	b = strconv.AppendInt(b, int64(orders), 10)
	b = append(b, `,"lines":`...)
	b = strconv.AppendInt(b, int64(lines), 10)
	b = append(b, `,"by_status":{`...)
	codes := slices.Clone(statusCodes[:])
	slices.Sort(codes)
	first := true
	for _, c := range codes {
		n := counts[slices.Index(statusCodes[:], c)]
		if n == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendStr(b, c)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(n), 10)
	}
	b = append(b, '}')
	if full {
		b = append(b, list...)
		b = append(b, ']')
	}
	writeBody(w, http.StatusOK, append(b, '}'))
}

// debugClock serves POST /debug/clock?advance=24h or ?set=2024-03-01T00:00:00+09:00
// (simulator only, no auth) and answers {"now":..}.
func (s *Server) debugClock(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("advance") != "":
		d, err := time.ParseDuration(q.Get("advance"))
		if err != nil {
			flatError(w, http.StatusBadRequest, "invalid_request", "advance must be a Go duration such as 24h")
			return
		}
		s.clock.Advance(d)
	case q.Get("set") != "":
		t, err := time.Parse(time.RFC3339, q.Get("set"))
		if err != nil {
			flatError(w, http.StatusBadRequest, "invalid_request", "set must be an RFC 3339 time")
			return
		}
		s.clock.Set(t)
	default:
		flatError(w, http.StatusBadRequest, "invalid_request", "give advance=<duration> or set=<RFC 3339 time>")
		return
	}
	b := append([]byte(`{"now":`), appendKST(nil, s.clock.Now().Unix())...)
	writeBody(w, http.StatusOK, append(b, '}'))
}
