package coupangsim

import (
	"net/http"
	"slices"
	"sort"
	"time"
)

// ExchangeStatuses are exchangeRequests' statuses: 접수, 진행, 완료, 불가, 철회.
var ExchangeStatuses = []string{"RECEIPT", "PROGRESS", "SUCCESS", "REJECT", "CANCEL"}

// listExchangeRequests serves GET .../v4/vendors/{vendorId}/exchangeRequests: exchanges
// created between createdAtFrom and createdAtTo (yyyy-MM-ddTHH:mm:ss, ≤ 7 days), of one
// status or all, nextToken paging (maxPerPage ≤ 50).
func (s *Server) listExchangeRequests(c call) (int, any) {
	q := c.r.URL.Query()
	from, err1 := time.ParseInLocation("2006-01-02T15:04:05", q.Get("createdAtFrom"), kstZone)
	to, err2 := time.ParseInLocation("2006-01-02T15:04:05", q.Get("createdAtTo"), kstZone)
	if err1 != nil || err2 != nil {
		return bad("createdAtFrom and createdAtTo are required: yyyy-MM-ddTHH:mm:ss")
	}
	if to.Before(from) || to.Sub(from) > 7*24*time.Hour {
		return bad("the search period must be 7 days or less")
	}
	status := q.Get("status")
	if status != "" && !slices.Contains(ExchangeStatuses, status) {
		return bad("status must be one of RECEIPT, PROGRESS, SUCCESS, REJECT, CANCEL")
	}
	type hit struct {
		k int
		t int64
	}
	var hits []hit
	for k := range s.claims {
		cl := &s.claims[k]
		if cl.kind != exchange || cl.created < from.Unix() || cl.created > to.Unix() {
			continue
		}
		t := c.now - s.late(cl, c.f)
		st, _, ok := cl.exchangeAt(t)
		if ok && (status == "" || st == status) {
			hits = append(hits, hit{k, t})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := &s.claims[hits[i].k], &s.claims[hits[j].k]
		return a.created < b.created || a.created == b.created && a.id < b.id
	})
	lo, hi, next, msg := pageOf(q, len(hits), 50, c.dup)
	if msg != "" {
		return bad(msg)
	}
	data := []any{}
	for _, h := range hits[lo:hi] {
		data = append(data, s.exchangeJSON(&s.claims[h.k], h.t))
	}
	return http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": data, "nextToken": next}
}

// reshipBoxID is the shipment box of an exchange's replacement.
func reshipBoxID(c *claim) int64 { return 900000000 + int64(c.box)*13 }

// exchangeJSON is one exchange as the API gives it.
func (s *Server) exchangeJSON(cl *claim, t int64) map[string]any {
	b := &s.boxes[cl.box]
	st, modified, _ := cl.exchangeAt(t)
	rs := reasons[cl.reason]
	items := []any{}
	for _, ci := range cl.items {
		for _, it := range b.items {
			if it.vendorItemID == ci.vendorItemID {
				items = append(items, map[string]any{"exchangeItemId": cl.id*10 + int64(len(items)), "orderItemId": it.vendorItemID,
					"orderItemUnitPrice": it.price, "orderItemName": it.name + ", " + it.option, "targetItemId": it.vendorItemID,
					"targetItemUnitPrice": it.price, "targetItemName": it.name + ", " + it.option, "quantity": ci.count,
					"originalShipmentBoxId": b.boxID, "createdAt": kst(cl.created), "modifiedAt": kst(modified)})
			}
		}
	}
	collect, collectDone := "BeforeCollect", any(nil)
	pickup := ""
	if t >= cl.progress {
		collect, pickup = "Collecting", cl.pickupInvoice()
	}
	if t >= cl.collected {
		collect, collectDone = "CompleteCollect", kst(cl.collected)
	}
	groups := []any{}
	delivery := "BeforeDirection"
	if t >= cl.success {
		delivery = "Delivering"
		groups = append(groups, map[string]any{"shipmentBoxId": reshipBoxID(cl), "boxPrice": 0, "orderId": b.orderID,
			"orderType": "EXCHANGE", "customerType": "CUSTOMER", "bundleType": "SINGLE", "extraMessage": "",
			"shippingDeliveryType": "NORMAL", "deliveryInvoiceDtos": []any{map[string]any{
				"invoiceNumber": cl.reshipInvoice, "estimatedDeliveryDate": kst(cl.success + 2*86400)[:10], "deliveredDate": nil,
				"statusModifiedAt": kst(cl.success), "invoiceNumberUploadDate": kst(cl.success), "statusCode": "DELIVERING",
				"deliverCode": cl.reshipCarrier, "isMainShipmentInvoice": true}}})
	}
	return map[string]any{
		"exchangeId": cl.id, "orderId": b.orderID, "vendorId": s.opts.VendorID, "orderDeliveryStatusCode": "FINAL_DELIVERY",
		"exchangeStatus": st, "referType": "WEB_MOBILE", "faultType": rs.fault, "exchangeAmount": 0, "reason": nil,
		"reasonCode": rs.code, "reasonCodeText": rs.text, "reasonEtcDetail": rs.cat2, "cancelReason": nil,
		"createdByType": "CUSTOMER", "createdAt": kst(cl.created), "modifiedByType": "VENDOR", "modifiedAt": kst(modified),
		"exchangeItemDtoV1s": items, "deliveryInvoiceGroupDtos": groups, "deliveryStatus": delivery,
		"collectStatus": collect, "collectCompleteDate": collectDone,
		"returnDeliveryDtos":  []any{map[string]any{"deliveryCompanyCode": carriers[b.carrier].code, "deliveryInvoiceNo": pickup}},
		"exchangeStatusLabel": st, "rejectable": st == "RECEIPT" || st == "PROGRESS", "successable": t >= cl.collected && st == "PROGRESS",
	}
}
