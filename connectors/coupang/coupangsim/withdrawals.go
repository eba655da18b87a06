package coupangsim

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// listReturnWithdrawals serves GET .../v4/vendors/{vendorId}/returnWithdrawRequests: the
// returns the buyer withdrew (반품철회) between dateFrom and dateTo (yyyy-MM-dd, ≤ 7 days),
// by withdrawal time, pageIndex from 1 and sizePerPage ≤ 100 (default 10), nextPageIndex
// while more follow.
func (s *Server) listReturnWithdrawals(c call) (int, any) {
	q := c.r.URL.Query()
	from, ok1 := parseDay(q.Get("dateFrom"))
	to, ok2 := parseDay(q.Get("dateTo"))
	if !ok1 || !ok2 {
		return bad("dateFrom and dateTo are required: yyyy-MM-dd")
	}
	if to.Before(from) || to.Sub(from) > 7*24*time.Hour {
		return bad("the search period must be 7 days or less")
	}
	page, size := 1, 10
	for _, p := range []struct {
		name     string
		out      *int
		min, max int
	}{{"pageIndex", &page, 1, 1 << 30}, {"sizePerPage", &size, 1, 100}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				return bad(p.name + " must be " + strconv.Itoa(p.min) + " to " + strconv.Itoa(p.max))
			}
			*p.out = n
		}
	}
	a, z := from.Unix(), to.AddDate(0, 0, 1).Unix()
	var hits []int
	for k := range s.claims {
		cl := &s.claims[k]
		if cl.withdraw < a || cl.withdraw >= z || c.now-s.late(cl, c.f) < cl.withdraw {
			continue
		}
		// A stop-shipment request whose parcel was stopped is a completed cancel: the return
		// it would have become, withdrawal and all, never happened.
		if rc, ok := cl.receiptAt(cl.withdraw); !ok || !rc.withdrawn {
			continue
		}
		hits = append(hits, k)
	}
	sort.Slice(hits, func(i, j int) bool {
		x, y := &s.claims[hits[i]], &s.claims[hits[j]]
		return x.withdraw < y.withdraw || x.withdraw == y.withdraw && x.id < y.id
	})
	lo, hi := min((page-1)*size, len(hits)), min(page*size, len(hits))
	if c.dup && lo > 0 {
		lo--
	}
	data := []any{}
	for _, k := range hits[lo:hi] {
		cl := &s.claims[k]
		ids := []int64{}
		for _, it := range cl.items {
			ids = append(ids, it.vendorItemID)
		}
		duty := "COM"
		if reasons[cl.reason].fault == "CUSTOMER" {
			duty = "CUS"
		}
		data = append(data, map[string]any{"cancelId": cl.id, "orderId": s.boxes[cl.box].orderID, "vendorId": s.opts.VendorID,
			"refundDeliveryDuty": duty, "createdAt": kst(cl.withdraw), "vendorItemIds": ids})
	}
	body := map[string]any{"code": 200, "message": "OK", "data": data}
	if page*size < len(hits) {
		body["nextPageIndex"] = strconv.Itoa(page + 1)
	}
	return http.StatusOK, body
}
