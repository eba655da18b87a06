package coupangsim

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// receiptGroups are the returnRequests status filters and the receipt statuses each lists.
var receiptGroups = map[string][]string{
	"RU": {"RELEASE_STOP_UNCHECKED"},
	"UC": {"RETURNS_UNCHECKED", "VENDOR_WAREHOUSE_CONFIRM"},
	"PR": {"REQUEST_COUPANG_CHECK"},
	"CC": {"RETURNS_COMPLETED"},
}

// parseMoment reads createdAtFrom/To: yyyy-MM-ddTHH:mm (searchType=timeFrame, minutes) or
// yyyy-MM-dd (days). step is the unit: the window's end is to+step, exclusive.
func parseMoment(s string, timeFrame bool) (t time.Time, step time.Duration, ok bool) {
	if timeFrame {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, kstZone)
		return t, time.Minute, err == nil
	}
	t, ok = parseDay(s)
	return t, 24 * time.Hour, ok
}

// listReturnRequests serves GET .../v6/vendors/{vendorId}/returnRequests: receipts created in
// the window (≤ 31 days), RETURN ones by status (RU, UC, PR, CC; required), CANCEL ones with
// cancelType=CANCEL and no status. Receipts the buyer withdrew are no longer listed (see
// returnWithdrawRequests).
func (s *Server) listReturnRequests(c call) (int, any) {
	q := c.r.URL.Query()
	tf := q.Get("searchType") == "timeFrame"
	from, _, ok1 := parseMoment(q.Get("createdAtFrom"), tf)
	to, step, ok2 := parseMoment(q.Get("createdAtTo"), tf)
	if !ok1 || !ok2 {
		if tf {
			return bad("createdAtFrom and createdAtTo are required: yyyy-MM-ddTHH:mm with searchType=timeFrame")
		}
		return bad("createdAtFrom and createdAtTo are required: yyyy-MM-dd")
	}
	if to.Before(from) || to.Sub(from) > 31*24*time.Hour {
		return bad("the search period must be 31 days or less")
	}
	to = to.Add(step)
	cancelType, status := q.Get("cancelType"), q.Get("status")
	var want []string
	switch {
	case cancelType == "CANCEL" && status != "":
		return bad("status is not used with cancelType=CANCEL")
	case cancelType == "CANCEL":
	case cancelType != "" && cancelType != "RETURN":
		return bad("cancelType must be RETURN or CANCEL")
	case receiptGroups[status] == nil:
		return bad("status is required: one of RU, UC, CC, PR")
	default:
		want = receiptGroups[status]
	}
	type hit struct {
		k  int
		t  int64
		rc receipt
	}
	var hits []hit
	for k := range s.claims {
		cl := &s.claims[k]
		if cl.created < from.Unix() || cl.created >= to.Unix() {
			continue
		}
		t := c.now - s.late(cl, c.f)
		rc, ok := cl.receiptAt(t)
		if !ok || rc.withdrawn {
			continue
		}
		if cancelType == "CANCEL" && rc.receiptType == "CANCEL" || cancelType != "CANCEL" && rc.receiptType == "RETURN" && contains(want, rc.receiptStatus) {
			hits = append(hits, hit{k, t, rc})
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
		data = append(data, s.receiptJSON(&s.claims[h.k], h.rc, h.t))
	}
	return http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": data, "nextToken": next}
}

// getReturnRequest serves GET .../v4/vendors/{vendorId}/returnRequests/{receiptId}: one
// receipt, a withdrawn one too (as it stood when the buyer withdrew it).
func (s *Server) getReturnRequest(c call) (int, any) {
	id, err := strconv.ParseInt(pathID(c.r, 4), 10, 64)
	k, ok := s.claimByID[id]
	if err != nil || !ok || s.claims[k].kind == exchange {
		return notFound("no return request " + pathID(c.r, 4))
	}
	cl := &s.claims[k]
	t := c.now - s.late(cl, c.f)
	rc, ok := cl.receiptAt(t)
	if !ok {
		return notFound("no return request " + pathID(c.r, 4))
	}
	return http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": s.receiptJSON(cl, rc, t)}
}

// receiptJSON is one receipt as the API gives it.
func (s *Server) receiptJSON(cl *claim, rc receipt, t int64) map[string]any {
	b := &s.boxes[cl.box]
	rs := reasons[cl.reason]
	items := []any{}
	sum := 0
	for _, ci := range cl.items {
		for _, it := range b.items {
			if it.vendorItemID != ci.vendorItemID {
				continue
			}
			release := "N"
			if b.steps[1] <= t {
				release = "Y"
			}
			items = append(items, map[string]any{"vendorItemPackageId": 0, "vendorItemPackageName": it.name,
				"vendorItemId": it.vendorItemID, "vendorItemName": it.name + ", " + it.option, "purchaseCount": it.count,
				"cancelCount": ci.count, "shipmentBoxId": b.boxID, "sellerProductId": it.productID,
				"sellerProductName": it.name + "," + it.option, "releaseStatus": release})
			sum += ci.count
		}
	}
	dtos := []any{}
	if cl.isReturn(t) {
		inv := ""
		if t >= cl.pickup {
			inv = cl.pickupInvoice()
		}
		dtos = append(dtos, map[string]any{"deliveryCompanyCode": carriers[b.carrier].code, "deliveryInvoiceNo": inv})
	}
	complete := ""
	if rc.receiptStatus == "RETURNS_COMPLETED" {
		complete = kst(rc.modified)
	}
	name := names[b.buyer%len(names)]
	return map[string]any{
		"receiptId": cl.id, "orderId": b.orderID, "paymentId": b.orderID + 1000000000, "receiptType": rc.receiptType,
		"receiptStatus": rc.receiptStatus, "createdAt": kst(cl.created), "modifiedAt": kst(rc.modified),
		"requesterName": string([]rune(name)[:1]) + "*" + string([]rune(name)[2:]), "requesterPhoneNumber": "0503-****-" + strconv.Itoa(1000+b.buyer%9000),
		"requesterAddress": cities[b.buyer%len(cities)], "requesterAddressDetail": strconv.Itoa(100+b.buyer%400) + "동",
		"requesterZipCode": strconv.Itoa(10000 + b.buyer%90000), "cancelReasonCategory1": rs.cat1, "cancelReasonCategory2": rs.cat2,
		"cancelReason": "", "cancelCountSum": sum, "returnDeliveryId": cl.id + 7, "returnDeliveryType": "연동택배",
		"releaseStopStatus": rc.releaseStop, "enclosePrice": 0, "faultByType": rs.fault, "preRefund": false,
		"completeConfirmDate": complete, "completeConfirmType": "UNDEFINED", "returnItems": items, "returnDeliveryDtos": dtos,
		"reasonCode": rs.code, "reasonCodeText": rs.text,
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
