package cafe24sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Write endpoints. A seller's write changes the data set from the clock's now on: the item's
// event moves to now (and index entries with it), events of the same step that were still to
// come are dropped, and what follows is shifted or planned so that the item's life stays in
// order. Reads, webhooks and the ground truth see the change like any generated event. Writes
// hold Server.mu exclusively; reads share it.
//
//	POST /shipments            register invoices (≤100): items N10/N20 → N30 ("shipping") or
//	                           invoice only ("standby"); a new shipping_code per request.
//	                           POST /orders/{id}/shipments does the same for one order, and
//	                           PUT /orders/{id}/shipments/{code} what PUT /shipments does
//	                           (DELETE of a parcel answers 422: not simulated)
//	PUT  /shipments            (≤100) by shipping_code: tracking_no with shipping_company_code
//	                           corrects the invoice; status "shipped" delivers (N30 → N40)
//	POST /cancellation         accept cancellation requests (≤100): C00 → C40 ("canceled")
//	PUT  /cancellation         withdraw cancellation requests (≤10, undone "T"): back to N10/N20
//	PUT  /cancellationrequests reject cancellation requests (≤100, undone "T"): C11 until shipped
//	POST /cancellationrequests, /returnrequests, /exchangerequests (≤100): a request as the
//	                           buyer would make it: N10/N20 → C00, N40 → R00 or E00; what the
//	                           generator had planned for the item after now does not happen
//	POST /return               accept return requests (≤100): R00 → R10 ("accepted")
//	PUT  /return               (≤10) pickup_completed "T" → R20, status "returned" → R40,
//	                           undone "T" → back to order_status_before_cs
//	PUT  /returnrequests       reject return requests (≤100, undone "T"): R00 → R11
//	POST /exchange             accept exchange requests (≤100): E00 → E10
//	PUT  /exchange             (≤10) pickup_completed "T" → E31, status "exchanged" → E40, undone "T"
//	PUT  /exchangerequests     reject exchange requests (≤100): E00 → E11
//	PUT  /products/{no}/variants/{code}/inventories  {"request":{"quantity":N}}: stock N from now
//	                           on (mall.write_product)
//
// Stock follows every write: the ledger is rebuilt from the moved events.
//
// One request gets its own status (201/200, or the error's); several get 201/200 when all
// succeeded and 207 otherwise, each element either the resource or {"status":4xx,
// "message":…} beside the order_id. Asking for a state the item is already in is 409
// ("identical update"), so a write repeated after a lost answer is told apart from a refusal.
// Not simulated (422 says so): creating seller-side claims for items without a request.

// invoice is a tracking number a seller registered for one parcel.
type invoice struct {
	trackingNo, carrier string
}

func invoiceKey(oi uint32, ship uint8) uint64 { return uint64(oi)<<8 | uint64(ship) }

// carrierCode is the shipping_company_code of the item's forward parcel.
func (v *view) carrierCode(oi uint32, it *item) string {
	if inv, ok := v.d.invoices[invoiceKey(oi, it.ship)]; ok {
		return inv.carrier
	}
	return carriers[it.carrier].code
}

// setEvent moves item ii's event k to t (never removes it), keeping index[k] sorted.
func (d *dataset) setEvent(ii uint32, k evKind, t int32) {
	old := d.items[ii].ev[k-evPlaced]
	if old == t {
		return
	}
	idx := d.index[k]
	if old != never {
		if i, ok := slices.BinarySearch(idx, uint64(old)<<32|uint64(ii)); ok {
			idx = slices.Delete(idx, i, i+1)
		}
	}
	if t != never {
		e := uint64(t)<<32 | uint64(ii)
		i, _ := slices.BinarySearch(idx, e)
		idx = slices.Insert(idx, i, e)
	}
	d.index[k] = idx
	d.items[ii].ev[k-evPlaced] = t
}

// deliverAt moves item ii's delivery to t; what was planned after the delivery (purchase
// confirmation, a return or an exchange) moves with it, as far as it stays after now.
func (d *dataset) deliverAt(ii uint32, t, now int32) {
	shift := int32(0)
	if old := d.items[ii].ev[evDelivered-evPlaced]; old != never {
		shift = t - old
	}
	d.setEvent(ii, evDelivered, t)
	for k := evConfirmed; k < numKinds; k++ {
		if e := d.items[ii].ev[k-evPlaced]; e != never && k != evCancelReq && k != evCanceled && e+shift > now {
			d.setEvent(ii, k, e+shift)
		}
	}
}

// clearAfter removes item ii's events of kinds ks that are still to come after now.
func (d *dataset) clearAfter(ii uint32, now int32, ks ...evKind) {
	for _, k := range ks {
		if t := d.items[ii].ev[k-evPlaced]; t != never && t > now {
			d.setEvent(ii, k, never)
		}
	}
}

// writeLimits is how many requests one call of each write endpoint takes.
var writeLimits = map[string]int{
	"POST cancellationrequests": 100, "POST returnrequests": 100, "POST exchangerequests": 100,
	"POST shipments": 100, "PUT shipments": 100, "POST cancellation": 100, "PUT cancellation": 10, "PUT cancellationrequests": 100,
	"POST return": 100, "PUT return": 10,
	"PUT returnrequests": 100, "POST exchange": 100, "PUT exchange": 10, "PUT exchangerequests": 100,
}

// writeRequest is one element of a write body's requests, every endpoint's fields together.
type writeRequest struct {
	OrderID             string   `json:"order_id"`
	ClaimCode           string   `json:"claim_code"`
	Status              string   `json:"status"`
	TrackingNo          string   `json:"tracking_no"`
	ShippingCompanyCode string   `json:"shipping_company_code"`
	ShippingCode        string   `json:"shipping_code"`
	OrderItemCode       []string `json:"order_item_code"`
	PickupCompleted     string   `json:"pickup_completed"`
	Undone              string   `json:"undone"`
	RejectReason        string   `json:"reject_reason"`
	Items               []struct {
		OrderItemCode string `json:"order_item_code"`
	} `json:"items"`
}

// writeError is why one request was refused.
type writeError struct {
	status int
	msg    string
}

func refuse(status int, format string, args ...any) *writeError {
	return &writeError{status, fmt.Sprintf(format, args...)}
}

var trackingNoPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,40}$`)

// write serves the write endpoints. The caller holds s.mu exclusively.
func (s *Server) write(b []byte, r *http.Request, path string) (int, []byte) {
	// The per-order shipment endpoints take one "request" for the order in the path and are
	// the bulk ones otherwise: POST /orders/{id}/shipments, PUT /orders/{id}/shipments/{code}.
	var orderID, shippingCode string
	single := false
	if parts := strings.Split(path, "/"); len(parts) == 5 && parts[0] == "products" && parts[2] == "variants" && parts[4] == "inventories" && r.Method == http.MethodPut {
		return s.putInventory(b, r, parts[1], parts[3])
	} else if len(parts) >= 3 && parts[0] == "orders" && parts[2] == "shipments" {
		switch {
		case len(parts) == 3 && r.Method == http.MethodPost:
			orderID, single, path = parts[1], true, "shipments"
		case len(parts) == 4 && r.Method == http.MethodPut:
			orderID, shippingCode, single, path = parts[1], parts[3], true, "shipments"
		case len(parts) == 4 && r.Method == http.MethodDelete:
			// Deleting a parcel moves its lines back (N30 → N20) without any date: no
			// date_type window would show it, and the store never moves a line backwards.
			return http.StatusUnprocessableEntity, appendEnvelope(b, http.StatusUnprocessableEntity, "deleting a shipment is not simulated")
		}
	}
	endpoint := r.Method + " " + path
	limit, ok := writeLimits[endpoint]
	if !ok {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No API found for "+endpoint)
	}
	var body struct {
		ShopNo   int             `json:"shop_no"`
		Requests json.RawMessage `json:"requests"`
		Request  json.RawMessage `json:"request"`
	}
	var reqs []json.RawMessage
	err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&body)
	switch {
	case err == nil && single:
		var one map[string]any
		if err = json.Unmarshal(body.Request, &one); err == nil && one != nil {
			one["order_id"] = orderID
			if shippingCode != "" {
				one["shipping_code"] = shippingCode
			}
			raw, _ := json.Marshal(one)
			reqs = []json.RawMessage{raw}
		} else {
			err = fmt.Errorf("no request object")
		}
	case err == nil:
		err = json.Unmarshal(body.Requests, &reqs)
	}
	if err != nil {
		return http.StatusBadRequest, appendEnvelope(b, http.StatusBadRequest, "The body must be JSON with a requests array (or a request object for one order).")
	}
	if body.ShopNo > 1 {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "shop_no does not exist")
	}
	if len(reqs) == 0 || len(reqs) > limit {
		return http.StatusUnprocessableEntity, appendEnvelope(b, http.StatusUnprocessableEntity, fmt.Sprintf("requests: between 1 and %d per call", limit))
	}
	key := strings.TrimSuffix(path, "s")
	if path == "shipments" || strings.HasSuffix(path, "requests") {
		key = path
	}
	v := newView(s.d, s.clock.Now().Unix(), Faults{}) // a seller acts on the true state, not a late list
	now := int32(v.now)
	results := make([]any, len(reqs))
	failed := 0
	var one *writeError
	for i, raw := range reqs {
		var req writeRequest
		var res map[string]any
		var werr *writeError
		if err := json.Unmarshal(raw, &req); err != nil {
			werr = refuse(http.StatusBadRequest, "request %d is not an object of this endpoint", i+1)
		} else {
			res, werr = s.writeOne(&v, endpoint, &req, now)
		}
		if werr != nil {
			failed++
			one = werr
			results[i] = map[string]any{"shop_no": 1, "order_id": req.OrderID, "status": werr.status, "message": werr.msg}
			continue
		}
		res["shop_no"] = 1
		results[i] = res
	}
	if failed < len(reqs) {
		s.d.buildStock() // stock follows what the writes moved (cancellations, returns)
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
	}
	switch {
	case len(reqs) == 1 && failed == 1:
		return one.status, appendEnvelope(b, one.status, one.msg)
	case failed > 0:
		status = http.StatusMultiStatus
	}
	var answer any = results
	if single && r.Method == http.MethodPut {
		key, answer = "shipment", results[0] // PUT /orders/{id}/shipments/{code} answers one object
	}
	out, err := json.Marshal(map[string]any{key: answer})
	if err != nil {
		return http.StatusInternalServerError, appendEnvelope(b, http.StatusInternalServerError, "encoding the answer")
	}
	return status, append(b, out...)
}

// writeOne applies one request of endpoint.
func (s *Server) writeOne(v *view, endpoint string, req *writeRequest, now int32) (map[string]any, *writeError) {
	d := v.d
	ref, ok := parseOrderID(req.OrderID)
	if !ok {
		return nil, refuse(http.StatusUnprocessableEntity, "order_id %q is not an order number", req.OrderID)
	}
	oi, ok := d.orderByID(ref.day, ref.seq)
	if !ok || !v.orderShown(oi) {
		return nil, refuse(http.StatusNotFound, "order %s does not exist", req.OrderID)
	}
	o := &d.orders[oi]
	paid := v.paidShown(oi)
	codes := req.OrderItemCode
	for _, it := range req.Items {
		codes = append(codes, it.OrderItemCode)
	}
	var items []uint32
	switch {
	case endpoint == "PUT shipments":
		ship, ok := parseShippingCode(req.ShippingCode, req.OrderID)
		if !ok {
			return nil, refuse(http.StatusUnprocessableEntity, "shipping_code %q is not a shipment of order %s", req.ShippingCode, req.OrderID)
		}
		for j := o.first; j < o.first+uint32(o.n); j++ {
			if d.items[j].ship == ship && v.state(j, paid).has(evShipped) {
				items = append(items, j)
			}
		}
		if len(items) == 0 {
			return nil, refuse(http.StatusNotFound, "order %s has no shipment %s", req.OrderID, req.ShippingCode)
		}
	case req.ClaimCode != "":
		for j := o.first; j < o.first+uint32(o.n); j++ {
			if it := &d.items[j]; hasClaim(it, v.state(j, paid)) && unquote(v.appendClaimCode(nil, it)) == req.ClaimCode {
				items = append(items, j)
			}
		}
		if len(items) == 0 {
			return nil, refuse(http.StatusNotFound, "order %s has no claim %s", req.OrderID, req.ClaimCode)
		}
	case len(codes) > 0:
		for _, c := range codes {
			n, ok := strings.CutPrefix(c, req.OrderID+"-")
			var k int
			if ok {
				_, err := fmt.Sscanf(n, "%02d", &k)
				ok = err == nil && len(n) == 2 && k >= 1 && k <= int(o.n)
			}
			if !ok || !v.exists(o.first+uint32(k-1)) {
				return nil, refuse(http.StatusUnprocessableEntity, "order_item_code %q is not an item of order %s", c, req.OrderID)
			}
			items = append(items, o.first+uint32(k-1))
		}
	case endpoint == "POST shipments":
		for j := o.first; j < o.first+uint32(o.n); j++ {
			if s := v.state(j, paid); !s.absent && (s.status == stN10 || s.status == stN20 || s.status == stN01) {
				items = append(items, j)
			}
		}
		if len(items) == 0 {
			return nil, refuse(http.StatusUnprocessableEntity, "order %s has no item to ship", req.OrderID)
		}
	default:
		return nil, refuse(http.StatusUnprocessableEntity, "items or claim_code is required")
	}
	itemCodes := make([]string, len(items))
	for i, j := range items {
		itemCodes[i] = fmt.Sprintf("%s-%02d", req.OrderID, j-o.first+1)
	}
	res := map[string]any{"order_id": req.OrderID}
	var werr *writeError
	switch endpoint {
	case "POST shipments":
		werr = s.ship(v, oi, items, itemCodes, req, now, paid)
		if werr == nil {
			res["shipping_code"] = unquote(v.appendShippingCode(nil, oi, d.items[items[0]].ship))
			res["status"], res["tracking_no"], res["shipping_company_code"], res["order_item_code"] = req.Status, req.TrackingNo, req.ShippingCompanyCode, itemCodes
		}
		return res, werr
	case "PUT shipments":
		werr = s.updateShipment(v, oi, items, itemCodes, req, now, paid)
		if werr == nil {
			res["shipping_code"] = req.ShippingCode
		}
		return res, werr
	case "POST cancellation":
		if req.Status != "canceled" {
			return nil, refuse(http.StatusUnprocessableEntity, "status %q is not simulated: use canceled", req.Status)
		}
		werr = step(v, items, itemCodes, paid, now, claimCancel, map[uint8]bool{stC00: true}, map[uint8]bool{stC40: true},
			"a cancellation request", func(j uint32) { d.setEvent(j, evCanceled, now) })
	case "POST cancellationrequests", "POST returnrequests", "POST exchangerequests":
		werr = s.request(v, endpoint, items, itemCodes, paid, now)
	case "PUT cancellation":
		if req.Undone != "T" {
			return nil, refuse(http.StatusUnprocessableEntity, "only undone T (withdrawing the request) is simulated")
		}
		werr = s.endCancelRequest(v, items, itemCodes, paid, now, evUndone)
	case "PUT cancellationrequests":
		if req.Undone != "T" {
			return nil, refuse(http.StatusUnprocessableEntity, "undone must be T to reject a request")
		}
		werr = s.endCancelRequest(v, items, itemCodes, paid, now, evRejected)
	case "POST return", "POST exchange":
		if req.Status != "accepted" {
			return nil, refuse(http.StatusUnprocessableEntity, "status %q is not simulated: use accepted", req.Status)
		}
		kind, acc, open, done := claimReturn, evReturnAcc, stR00, map[uint8]bool{stR10: true, stR12: true, stR20: true, stR40: true}
		if endpoint == "POST exchange" {
			kind, acc, open, done = claimExchange, evExchangeAcc, stE00, map[uint8]bool{stE10: true, stE12: true, stE31: true, stE40: true}
		}
		werr = step(v, items, itemCodes, paid, now, kind, map[uint8]bool{open: true}, done, "a request",
			func(j uint32) { d.setEvent(j, acc, now); d.clearAfter(j, now, evRejected) })
	case "PUT returnrequests", "PUT exchangerequests":
		if req.Undone != "T" {
			return nil, refuse(http.StatusUnprocessableEntity, "undone must be T to reject a request")
		}
		kind, open, rejected := claimReturn, stR00, stR11
		if endpoint == "PUT exchangerequests" {
			kind, open, rejected = claimExchange, stE00, stE11
		}
		werr = step(v, items, itemCodes, paid, now, kind, map[uint8]bool{open: true}, map[uint8]bool{rejected: true}, "a request",
			func(j uint32) {
				d.setEvent(j, evRejected, now)
				d.clearAfter(j, now, evReturnAcc, evExchangeAcc, evHeld, evPickedUp, evReturned, evExchanged, evUndone, evConfirmed)
			})
	case "PUT return", "PUT exchange":
		werr = s.claimUpdate(v, endpoint == "PUT exchange", items, itemCodes, req, paid, now)
	}
	if werr != nil {
		return nil, werr
	}
	res["items"] = itemCodes
	if req.ClaimCode != "" {
		res["claim_code"] = req.ClaimCode
	}
	if req.Status != "" {
		res["status"] = req.Status
	}
	return res, nil
}

// step checks that every item has a claim of kind in one of the from statuses (409 when all
// are in a done status already) and applies do to each.
func step(v *view, items []uint32, codes []string, paid bool, now int32, kind uint8, from, done map[uint8]bool, what string, do func(uint32)) *writeError {
	already := 0
	for i, j := range items {
		st := v.state(j, paid).status
		switch {
		case v.d.items[j].claim == kind && done[st]:
			already++
		case v.d.items[j].claim != kind || !from[st]:
			return refuse(http.StatusUnprocessableEntity, "item %s is %s: this step needs %s", codes[i], statusCodes[st], what)
		}
	}
	if already == len(items) {
		return refuse(http.StatusConflict, "identical update: the items are already there")
	}
	for _, j := range items {
		if st := v.state(j, paid).status; !done[st] {
			do(j)
		}
	}
	return nil
}

// endCancelRequest ends the cancellation requests of items with event k (evUndone: the buyer
// withdraws; evRejected: the seller refuses). The items go on as if never cancelled.
func (s *Server) endCancelRequest(v *view, items []uint32, codes []string, paid bool, now int32, k evKind) *writeError {
	d := v.d
	for i, j := range items {
		st := v.state(j, paid)
		switch {
		case d.items[j].claim == claimCancel && hasClaim(&d.items[j], st) && st.has(k):
			return refuse(http.StatusConflict, "identical update: the cancellation request of %s already ended so", codes[i])
		case d.items[j].claim != claimCancel || st.status != stC00:
			return refuse(http.StatusUnprocessableEntity, "item %s is %s: it has no open cancellation request", codes[i], statusCodes[st.status])
		}
	}
	for _, j := range items {
		d.clearAfter(j, now, evCanceled, evUndone, evRejected)
		d.setEvent(j, k, now)
		for i, e := range []evKind{evPlaced, evShipped, evDelivered, evConfirmed} {
			if t := d.items[j].ev[e-evPlaced]; t == never || t <= now && e != evPlaced {
				d.setEvent(j, e, now+[]int32{2 * 3600, day, 2 * day, 9 * day}[i])
			}
		}
	}
	return nil
}

// claimUpdate applies PUT /return or PUT /exchange to the items of one claim.
func (s *Server) claimUpdate(v *view, exchange bool, items []uint32, codes []string, req *writeRequest, paid bool, now int32) *writeError {
	d := v.d
	kind, done := claimReturn, evReturned
	open := map[uint8]bool{stR00: true, stR10: true, stR12: true, stR20: true}
	inHand, finished, accepted := stR20, stR40, map[uint8]bool{stR10: true, stR12: true}
	if exchange {
		kind, done = claimExchange, evExchanged
		open = map[uint8]bool{stE00: true, stE10: true, stE12: true, stE31: true}
		inHand, finished, accepted = stE31, stE40, map[uint8]bool{stE10: true, stE12: true}
	}
	later := []evKind{evReturnAcc, evExchangeAcc, evHeld, evPickedUp, evReturned, evExchanged, evRejected, evUndone}
	switch {
	case req.Undone == "T":
		for i, j := range items {
			if s := v.state(j, paid); s.has(evUndone) {
				return refuse(http.StatusConflict, "identical update: the claim of %s is already withdrawn", codes[i])
			} else if d.items[j].claim != kind || !open[s.status] {
				return refuse(http.StatusUnprocessableEntity, "item %s is %s: only an open claim can be withdrawn", codes[i], statusCodes[s.status])
			} else if exchange && s.has(evExchangeAcc) {
				return refuse(http.StatusUnprocessableEntity, "item %s: the exchange is accepted and its replacement on its way; withdrawing it is not simulated", codes[i])
			}
		}
		for _, j := range items {
			d.clearAfter(j, now, later...)
			d.setEvent(j, evUndone, now)
			if c := d.items[j].ev[evConfirmed-evPlaced]; c == never || c <= now {
				d.setEvent(j, evConfirmed, now+3*day) // the buyer keeps the item and confirms later
			}
		}
		return nil
	case req.Status == "returned" && !exchange, req.Status == "exchanged" && exchange:
		from := map[uint8]bool{inHand: true}
		for st := range accepted {
			from[st] = true
		}
		return step(v, items, codes, paid, now, kind, from, map[uint8]bool{finished: true}, "an accepted claim", func(j uint32) {
			if !v.state(j, paid).has(evPickedUp) {
				d.setEvent(j, evPickedUp, now)
			}
			d.clearAfter(j, now, evHeld, evRejected, evUndone)
			d.setEvent(j, done, now)
		})
	case req.PickupCompleted == "T" && (req.Status == "" || req.Status == "processing"):
		return step(v, items, codes, paid, now, kind, accepted, map[uint8]bool{inHand: true, finished: true}, "an accepted claim", func(j uint32) {
			d.clearAfter(j, now, evHeld)
			d.setEvent(j, evPickedUp, now)
		})
	}
	return refuse(http.StatusUnprocessableEntity, "nothing to do: give undone T, pickup_completed T or status %s", map[bool]string{false: "returned", true: "exchanged"}[exchange])
}

// ship registers an invoice for items: a new parcel (shipping_code) of the order. With status
// shipping the items ship now; their delivery and what follows move later if they were due
// before it. A cancellation that was still to come does not happen.
func (s *Server) ship(v *view, oi uint32, items []uint32, codes []string, req *writeRequest, now int32, paid bool) *writeError {
	d := v.d
	if req.Status != "shipping" && req.Status != "standby" {
		return refuse(http.StatusUnprocessableEntity, "status must be standby or shipping")
	}
	if !trackingNoPattern.MatchString(req.TrackingNo) {
		return refuse(http.StatusUnprocessableEntity, "tracking_no: 1 to 40 letters, digits or dashes")
	}
	if len(req.ShippingCompanyCode) != 4 || strings.Trim(req.ShippingCompanyCode, "0123456789") != "" {
		return refuse(http.StatusUnprocessableEntity, "shipping_company_code must be a 4-digit carrier code")
	}
	var todo []uint32 // the items that do not carry this invoice yet
	for i, j := range items {
		it := &d.items[j]
		st := v.state(j, paid).status
		if inv, ok := d.invoices[invoiceKey(oi, it.ship)]; ok && inv.trackingNo == req.TrackingNo && (st == stN30 || st == stN40 || st == stN50 || req.Status == "standby") {
			continue
		}
		if st != stN10 && st != stN20 && st != stN01 {
			return refuse(http.StatusUnprocessableEntity, "item %s is %s: only paid items not yet shipped can be", codes[i], statusCodes[st])
		}
		todo = append(todo, j)
	}
	if len(todo) == 0 {
		return refuse(http.StatusConflict, "identical update: the items already carry invoice %s", req.TrackingNo)
	}
	o := &d.orders[oi]
	var ship uint8
	for j := o.first; j < o.first+uint32(o.n); j++ {
		ship = max(ship, d.items[j].ship)
	}
	ship++
	if d.invoices == nil {
		d.invoices = map[uint64]invoice{}
	}
	d.invoices[invoiceKey(oi, ship)] = invoice{trackingNo: req.TrackingNo, carrier: req.ShippingCompanyCode}
	for _, j := range todo {
		it := &d.items[j]
		it.ship = ship
		if it.claim == claimCancel { // its request was still to come (the item is N10/N20)
			d.clearAfter(j, now, evCancelReq, evCanceled)
			it.claim = claimNone
		}
		if t := it.ev[evPlaced-evPlaced]; t == never || t > now {
			d.setEvent(j, evPlaced, now)
		}
		if req.Status == "standby" {
			if it.ev[evShipped-evPlaced] == never {
				d.setEvent(j, evShipped, now+day)
			}
		} else {
			d.setEvent(j, evShipped, now)
		}
		shipped := it.ev[evShipped-evPlaced]
		if del := it.ev[evDelivered-evPlaced]; del == never || del <= shipped {
			d.deliverAt(j, shipped+day, now)
			if it.ev[evConfirmed-evPlaced] == never && it.claim == claimNone {
				d.setEvent(j, evConfirmed, shipped+8*day)
			}
		}
	}
	return nil
}

// parseShippingCode returns the shipment number of D-{orderID}-NN.
func parseShippingCode(code, orderID string) (uint8, bool) {
	n, ok := strings.CutPrefix(code, "D-"+orderID+"-")
	if !ok || len(n) != 2 || n[0] < '0' || n[0] > '9' || n[1] < '0' || n[1] > '9' {
		return 0, false
	}
	return (n[0]-'0')*10 + n[1] - '0', true
}

// updateShipment applies PUT /shipments to the items of one parcel: a new invoice (not with
// a status, as Cafe24 says), or status shipped (delivered now).
func (s *Server) updateShipment(v *view, oi uint32, items []uint32, codes []string, req *writeRequest, now int32, paid bool) *writeError {
	d := v.d
	it := &d.items[items[0]]
	switch {
	case req.TrackingNo != "" && req.Status != "":
		return refuse(http.StatusUnprocessableEntity, "tracking_no and status cannot be changed in one request")
	case req.TrackingNo != "":
		if !trackingNoPattern.MatchString(req.TrackingNo) || len(req.ShippingCompanyCode) != 4 {
			return refuse(http.StatusUnprocessableEntity, "tracking_no (1 to 40 letters, digits or dashes) needs a 4-digit shipping_company_code")
		}
		if req.TrackingNo == unquote(v.appendTrackingNo(nil, oi, it)) && req.ShippingCompanyCode == v.carrierCode(oi, it) {
			return refuse(http.StatusConflict, "identical update: shipment %s already carries invoice %s", req.ShippingCode, req.TrackingNo)
		}
		if d.invoices == nil {
			d.invoices = map[uint64]invoice{}
		}
		d.invoices[invoiceKey(oi, it.ship)] = invoice{trackingNo: req.TrackingNo, carrier: req.ShippingCompanyCode}
		return nil
	case req.Status == "shipped":
		delivered := 0
		for i, j := range items {
			switch st := v.state(j, paid); {
			case st.has(evDelivered):
				delivered++
			case st.status != stN30:
				return refuse(http.StatusUnprocessableEntity, "item %s is %s: only items in transit can be delivered", codes[i], statusCodes[st.status])
			}
		}
		if delivered == len(items) {
			return refuse(http.StatusConflict, "identical update: shipment %s is already delivered", req.ShippingCode)
		}
		for _, j := range items {
			if !v.state(j, paid).has(evDelivered) {
				d.deliverAt(j, now, now)
			}
		}
		return nil
	}
	return refuse(http.StatusUnprocessableEntity, "give tracking_no with shipping_company_code, or status shipped")
}

// putInventory serves PUT /products/{no}/variants/{code}/inventories, {"shop_no":1,
// "request":{"quantity":N}}: the variant's stock is N from now on (sales, recoveries and
// restocks go on from there). The same quantity again is 409.
func (s *Server) putInventory(b []byte, r *http.Request, productNo, variantCode string) (int, []byte) {
	no, err := strconv.Atoi(productNo)
	if err != nil || no <= 0 || no > len(s.d.catalog) {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No product found for product_no "+productNo)
	}
	pi := no - 1
	vi := slices.IndexFunc(s.d.catalog[pi].variants, func(v variant) bool { return v.code == variantCode })
	if vi < 0 {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No variant found for variant_code "+variantCode)
	}
	var body struct {
		Request struct {
			Quantity *int `json:"quantity"`
		} `json:"request"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10)).Decode(&body); err != nil || body.Request.Quantity == nil ||
		*body.Request.Quantity < 0 || *body.Request.Quantity > 1<<30 {
		return http.StatusUnprocessableEntity, appendEnvelope(b, http.StatusUnprocessableEntity, "request.quantity must be a count")
	}
	v := s.view()
	q := int32(*body.Request.Quantity)
	if s.d.stock.quantity(pi, vi, v.now) == q {
		return http.StatusConflict, appendEnvelope(b, http.StatusConflict, "identical update: the variant already has that quantity")
	}
	s.d.stockSets = append(s.d.stockSets, stockChange{slot: uint32(pi*maxVariants + vi), t: int32(v.now), delta: q, set: true})
	s.d.buildStock()
	b = append(b, `{"inventory":`...)
	b = v.appendInventory(b, pi, vi)
	return http.StatusOK, append(b, '}')
}

// request opens a buyer-style request for items: a cancellation of paid items not shipped, a
// return or an exchange of delivered ones. A claim the generator had planned for the item
// after now gives way; the item waits at C00, R00 or E00 for the seller.
func (s *Server) request(v *view, endpoint string, items []uint32, codes []string, paid bool, now int32) *writeError {
	d := v.d
	kind, req, from := claimCancel, evCancelReq, map[uint8]bool{stN10: true, stN20: true}
	switch endpoint {
	case "POST returnrequests":
		kind, req, from = claimReturn, evReturnReq, map[uint8]bool{stN40: true}
	case "POST exchangerequests":
		kind, req, from = claimExchange, evExchangeReq, map[uint8]bool{stN40: true}
	}
	for i, j := range items {
		it := &d.items[j]
		st := v.state(j, paid)
		switch {
		case hasClaim(it, st) && it.claim == kind && st.status != stN40 && st.status != stN10 && st.status != stN20:
			return refuse(http.StatusConflict, "identical update: item %s already has that request", codes[i])
		case hasClaim(it, st) || it.origin != 0 || !from[st.status]:
			return refuse(http.StatusUnprocessableEntity, "item %s is %s: no such request can be made for it", codes[i], statusCodes[st.status])
		}
	}
	for _, j := range items {
		it := &d.items[j]
		later := []evKind{evCancelReq, evCanceled, evReturnReq, evReturnAcc, evExchangeReq, evExchangeAcc, evHeld, evPickedUp,
			evReturned, evExchanged, evRejected, evUndone, evConfirmed}
		if kind == claimCancel {
			later = append(later, evShipped, evDelivered)
		}
		d.clearAfter(j, now, later...)
		it.claim, it.before, it.reason = kind, v.state(j, paid).status, 0
		d.setEvent(j, req, now)
		d.renumberClaims(req, now)
	}
	return nil
}

// renumberClaims numbers again the claims of request kind k on the KST day of t, in request
// order: a request added at t takes its place, and those still to come that day move up one.
func (d *dataset) renumberClaims(k evKind, t int32) {
	day := kstDay(d.base + int64(t))
	idx := d.index[k]
	i := sort.Search(len(idx), func(i int) bool { return kstDay(d.base+int64(int32(idx[i]>>32))) >= day })
	for seq := uint32(1); i < len(idx) && kstDay(d.base+int64(int32(idx[i]>>32))) == day; i, seq = i+1, seq+1 {
		d.items[uint32(idx[i])].claimSeq = seq
	}
}
