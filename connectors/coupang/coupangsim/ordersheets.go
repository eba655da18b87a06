package coupangsim

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// parseDay reads createdAtFrom/To: yyyy-MM-dd, optionally followed by +09:00.
func parseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSuffix(s, "+09:00"), kstZone)
	return t, err == nil
}

// money is a v5 money object.
type money struct {
	CurrencyCode string `json:"currencyCode"`
	Units        int64  `json:"units"`
	Nanos        int64  `json:"nanos"`
}

func won(v int64) money { return money{CurrencyCode: "KRW", Units: v} }

// pageOf reads maxPerPage (1 to limit, default limit) and nextToken, and returns the rows
// [lo, hi) of total to answer and the next token ("" on the last page). A duplicated page
// starts one row early.
func pageOf(q url.Values, total, limit int, dup bool) (lo, hi int, next string, msg string) {
	per := limit
	if v := q.Get("maxPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > limit {
			return 0, 0, "", "maxPerPage must be 1 to " + strconv.Itoa(limit)
		}
		per = n
	}
	offset := 0
	if tok := q.Get("nextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil || n < 0 {
			return 0, 0, "", "nextToken is not one this API gave"
		}
		offset = n
	}
	lo, hi = min(offset, total), min(offset+per, total)
	if offset+per < total {
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset + per)))
	}
	if dup && lo > 0 {
		lo--
	}
	return lo, hi, next, ""
}

// listOrderSheets serves GET .../v5/vendors/{vendorId}/ordersheets. Boxes whose every item
// was cancelled or returned have left the list.
func (s *Server) listOrderSheets(c call) (int, any) {
	q := c.r.URL.Query()
	from, ok1 := parseDay(q.Get("createdAtFrom"))
	to, ok2 := parseDay(q.Get("createdAtTo"))
	if !ok1 || !ok2 {
		return bad("createdAtFrom and createdAtTo are required: yyyy-MM-dd")
	}
	if to.Before(from) || to.Sub(from) > 31*24*time.Hour {
		return bad("the search period must be 31 days or less")
	}
	status := q.Get("status")
	if !slices.Contains(Statuses, status) {
		return bad("status is required: one of " + strings.Join(Statuses, ", "))
	}
	a, z := from.Unix(), to.AddDate(0, 0, 1).Unix() // the whole last day
	lo := sort.Search(len(s.boxes), func(i int) bool { return s.boxes[i].ordered >= a })
	var match []int
	var views []boxView
	for i := lo; i < len(s.boxes) && s.boxes[i].ordered < z; i++ {
		if v, ok := s.view(i, c.now, c.f); ok && !v.gone && v.status == status {
			match, views = append(match, i), append(views, v)
		}
	}
	from2, to2, next, msg := pageOf(q, len(match), 50, c.dup)
	if msg != "" {
		return bad(msg)
	}
	data := []any{}
	for k := from2; k < to2; k++ {
		data = append(data, s.sheet(match[k], views[k]))
	}
	return http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": data, "nextToken": next}
}

// getOrderSheet serves GET .../v5/vendors/{vendorId}/ordersheets/{shipmentBoxId}: one sheet,
// cancelled and returned boxes too (with their cancelCount).
func (s *Server) getOrderSheet(c call) (int, any) {
	id, err := strconv.ParseInt(pathID(c.r, 4), 10, 64)
	i, ok := s.boxByID[id]
	if err != nil || !ok {
		return notFound("no shipment box " + pathID(c.r, 4))
	}
	v, ok := s.view(i, c.now, c.f)
	if !ok {
		return notFound("no shipment box " + pathID(c.r, 4))
	}
	return http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": s.sheet(i, v)}
}

// sheet is one order sheet as v5 gives it.
func (s *Server) sheet(i int, v boxView) map[string]any {
	b := &s.boxes[i]
	name := names[b.buyer%len(names)]
	items := make([]map[string]any, len(b.items))
	for k, it := range b.items {
		items[k] = map[string]any{
			"vendorItemId": it.vendorItemID, "vendorItemName": it.name + ", " + it.option, "shippingCount": it.count,
			"salesPrice": won(it.price), "orderPrice": won(it.price * int64(it.count)), "discountPrice": won(it.discount),
			"externalVendorSkuCode": "SKU-" + strconv.FormatInt(it.vendorItemID, 10), "sellerProductId": it.productID,
			"sellerProductItemName": it.option, "cancelCount": v.cancel[it.vendorItemID], "holdCountForCancel": v.hold[it.vendorItemID],
			"estimatedShippingDate": kst(b.paid + 2*86400)[:10], "confirmDate": nil, "canceled": v.cancel[it.vendorItemID] == it.count,
		}
	}
	sh := map[string]any{
		"shipmentBoxId": b.boxID, "orderId": b.orderID, "orderedAt": kst(b.ordered), "paidAt": kst(b.paid), "status": v.status,
		"orderer": map[string]any{"name": name, "email": "", "safeNumber": "0504-" + strconv.Itoa(1000+b.buyer%9000) + "-" + strconv.Itoa(1000+int(b.orderID%9000))},
		"receiver": map[string]any{"name": name, "safeNumber": "0504-" + strconv.Itoa(2000+b.buyer%8000) + "-" + strconv.Itoa(1000+int(b.boxID%9000)),
			"addr1": cities[b.buyer%len(cities)], "addr2": strconv.Itoa(100+b.buyer%400) + "동 " + strconv.Itoa(101+b.buyer%30) + "호", "postCode": strconv.Itoa(10000 + b.buyer%90000)},
		"shippingPrice": won(b.shipping), "parcelPrintMessage": "문 앞에 놓아주세요", "splitShipping": false,
		"orderItems": items, "deliveryCompanyName": "", "invoiceNumber": "", "inTrasitDateTime": nil, "deliveredDate": nil,
		"shipmentType": "THIRD_PARTY",
	}
	if carrier, inv, ok := b.forward(v.status); ok {
		sh["deliveryCompanyName"], sh["invoiceNumber"] = carrier, inv
	}
	if v.status == "DELIVERING" || v.status == "FINAL_DELIVERY" {
		sh["inTrasitDateTime"] = kst(b.steps[2])
	}
	if v.status == "FINAL_DELIVERY" {
		sh["deliveredDate"] = kst(b.steps[3])
	}
	return sh
}
