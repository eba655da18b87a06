package cafe24sim

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// The claim and shipment read endpoints, one record each: GET /cancellation/{claim_code},
// /return/{claim_code} and /exchange/{claim_code} answer {"cancellation"|"return"|"exchange":
// {…}} with the same object the orders' embeds carry; GET /orders/{order_id}/shipments lists
// the order's forward parcels with their items' shipping states.

// claimKinds maps a claim endpoint to the kind it serves and the claim code's prefix.
var claimKinds = map[string]struct {
	kind   uint8
	prefix byte
	req    evKind
}{
	"cancellation": {claimCancel, 'C', evCancelReq},
	"return":       {claimReturn, 'R', evReturnReq},
	"exchange":     {claimExchange, 'B', evExchangeReq},
}

// getClaim serves GET /{resource}/{claim_code}.
func (s *Server) getClaim(b []byte, resource, code string) (int, []byte) {
	ck := claimKinds[resource]
	notFound := func() (int, []byte) {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No "+resource+" "+code)
	}
	if len(code) != 17 || code[0] != ck.prefix || code[9] != '-' {
		return notFound()
	}
	day, err := time.ParseInLocation("20060102", code[1:9], kst)
	seq, serr := strconv.ParseUint(code[10:], 10, 32)
	if err != nil || serr != nil {
		return notFound()
	}
	v := s.view()
	d := v.d
	a, z := day.Unix()-d.base, day.AddDate(0, 0, 1).Unix()-d.base
	idx := d.index[ck.req]
	for i := sort.Search(len(idx), func(i int) bool { return int64(int32(idx[i]>>32)) >= a }); i < len(idx) && int64(int32(idx[i]>>32)) < z; i++ {
		ii := uint32(idx[i])
		it := &d.items[ii]
		if it.claimSeq != uint32(seq) || it.claim != ck.kind || !v.orderShown(it.order) {
			continue
		}
		st := v.state(ii, v.paidShown(it.order))
		if !hasClaim(it, st) {
			return notFound()
		}
		k := int(ii - d.orders[it.order].first)
		b = append(b, `{"`...)
		b = append(b, resource...)
		b = append(b, `":`...)
		if ck.kind == claimCancel {
			b = v.appendCancellation(b, it.order, k, st)
		} else {
			b = v.appendClaim(b, it.order, k, st)
		}
		return http.StatusOK, append(b, '}')
	}
	return notFound()
}

// getShipments serves GET /orders/{order_id}/shipments.
func (s *Server) getShipments(b []byte, orderID string) (int, []byte) {
	v := s.view()
	d := v.d
	ref, ok := parseOrderID(orderID)
	oi, found := d.orderByID(ref.day, ref.seq)
	if !ok || !found || !v.orderShown(oi) {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No order "+orderID)
	}
	o := &d.orders[oi]
	paid := v.paidShown(oi)
	b = append(b, `{"shipments":[`...)
	var done [256]bool
	first := true
	for j := o.first; j < o.first+uint32(o.n); j++ {
		it := &d.items[j]
		if done[it.ship] || !v.state(j, paid).has(evShipped) {
			continue
		}
		done[it.ship] = true
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"shop_no":1,"shipping_code":`...)
		b = v.appendShippingCode(b, oi, it.ship)
		b = append(b, `,"order_id":"`...)
		b = v.appendOrderID(b, oi)
		b = append(b, `","tracking_no":`...)
		b = v.appendTrackingNo(b, oi, it)
		b = append(b, `,"tracking_no_updated_date":`...)
		b = appendKST(b, d.base+int64(it.ev[evShipped-evPlaced]))
		b = append(b, `,"shipping_company_code":"`...)
		b = append(b, v.carrierCode(oi, it)...)
		b = append(b, `","items":[`...)
		firstItem := true
		for k := o.first; k < o.first+uint32(o.n); k++ {
			st := v.state(k, paid)
			if d.items[k].ship != it.ship || !st.has(evShipped) {
				continue
			}
			if !firstItem {
				b = append(b, ',')
			}
			firstItem = false
			b = append(b, `{"order_item_code":"`...)
			b = v.appendOrderID(b, oi)
			b = append(b, '-')
			b = appendPad(b, int64(k-o.first)+1, 2)
			if st.has(evDelivered) {
				b = append(b, `","status":"shipped"}`...)
			} else {
				b = append(b, `","status":"shipping"}`...)
			}
		}
		b = append(b, "]}"...)
	}
	return http.StatusOK, append(b, "]}"...)
}
