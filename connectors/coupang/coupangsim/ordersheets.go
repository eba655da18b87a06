package coupangsim

import (
	"encoding/base64"
	"net/http"
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

// listOrderSheets serves GET .../v5/vendors/{vendorId}/ordersheets.
func (s *Server) listOrderSheets(r *http.Request) (int, any) {
	q := r.URL.Query()
	bad := func(msg string) (int, any) { return http.StatusBadRequest, map[string]any{"code": 400, "message": msg} }
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
	per := 50
	if v := q.Get("maxPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return bad("maxPerPage must be 1 to 50")
		}
		per = n
	}
	offset := 0
	if tok := q.Get("nextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil || n < 0 {
			return bad("nextToken is not one this API gave")
		}
		offset = n
	}
	now := s.clock.Now().Unix()
	a, z := from.Unix(), to.AddDate(0, 0, 1).Unix() // the whole last day
	lo := sort.Search(len(s.boxes), func(i int) bool { return s.boxes[i].ordered >= a })
	var match []*box
	for i := lo; i < len(s.boxes) && s.boxes[i].ordered < z; i++ {
		if st, ok := s.boxes[i].status(now); ok && st == status {
			match = append(match, &s.boxes[i])
		}
	}
	data := []any{}
	next := ""
	for i := offset; i < len(match) && i < offset+per; i++ {
		data = append(data, s.sheet(match[i], status, now))
	}
	if offset+per < len(match) {
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset + per)))
	}
	return http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": data, "nextToken": next}
}

// sheet is one order sheet as v5 gives it.
func (s *Server) sheet(b *box, status string, now int64) map[string]any {
	name := names[b.buyer%len(names)]
	items := make([]map[string]any, len(b.items))
	for i, it := range b.items {
		items[i] = map[string]any{
			"vendorItemId": it.vendorItemID, "vendorItemName": it.name + ", " + it.option, "shippingCount": it.count,
			"salesPrice": won(it.price), "orderPrice": won(it.price * int64(it.count)), "discountPrice": won(it.discount),
			"externalVendorSkuCode": "SKU-" + strconv.FormatInt(it.vendorItemID, 10), "sellerProductId": it.productID,
			"sellerProductItemName": it.option, "cancelCount": 0, "holdCountForCancel": 0,
			"estimatedShippingDate": kst(b.paid + 2*86400)[:10], "confirmDate": nil, "canceled": false,
		}
	}
	sh := map[string]any{
		"shipmentBoxId": b.boxID, "orderId": b.orderID, "orderedAt": kst(b.ordered), "paidAt": kst(b.paid), "status": status,
		"orderer": map[string]any{"name": name, "email": "", "safeNumber": "0504-" + strconv.Itoa(1000+b.buyer%9000) + "-" + strconv.Itoa(1000+int(b.orderID%9000))},
		"receiver": map[string]any{"name": name, "safeNumber": "0504-" + strconv.Itoa(2000+b.buyer%8000) + "-" + strconv.Itoa(1000+int(b.boxID%9000)),
			"addr1": cities[b.buyer%len(cities)], "addr2": strconv.Itoa(100+b.buyer%400) + "동 " + strconv.Itoa(101+b.buyer%30) + "호", "postCode": strconv.Itoa(10000 + b.buyer%90000)},
		"shippingPrice": won(b.shipping), "parcelPrintMessage": "문 앞에 놓아주세요", "splitShipping": false,
		"orderItems": items, "deliveryCompanyName": "", "invoiceNumber": "", "inTrasitDateTime": nil, "deliveredDate": nil,
		"shipmentType": "THIRD_PARTY",
	}
	if now >= b.steps[1] {
		sh["deliveryCompanyName"], sh["invoiceNumber"] = carriers[b.carrier].name, b.invoice()
		if b.noTracking {
			sh["deliveryCompanyName"], sh["invoiceNumber"] = "업체 직접 배송", ""
		}
	}
	if now >= b.steps[2] && !b.noTracking {
		sh["inTrasitDateTime"] = kst(b.steps[2])
	}
	if now >= b.steps[3] {
		sh["deliveredDate"] = kst(b.steps[3])
	}
	return sh
}
