package cafe24sim

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	maxLimit     = 1000
	defaultLimit = 10
	maxOffset    = 15000
	maxOrderIDs  = 100
)

// dateTypes maps each date_type Cafe24 documents to the event it matches. Types whose events
// the simulator never generates (returns, exchanges) are accepted and match nothing.
var dateTypes = map[string]evKind{
	"order_date":                evOrdered,
	"pay_date":                  evPaid,
	"place_date":                evPlaced,
	"shipbegin_date":            evShipped,
	"shipend_date":              evDelivered,
	"purchaseconfirmation_date": evConfirmed,
	"cancel_request_date":       evCancelReq,
	"cancel_date":               evCanceled,
	"cancel_accept_date":        evCanceled,
	"cancel_complete_date":      evCanceled,
	"exchange_request_date":     evExchangeReq,
	"exchange_accept_date":      evExchangeAcc,
	"exchange_complete_date":    evExchanged,
	"return_request_date":       evReturnReq,
	"return_accept_date":        evReturnAcc,
	"return_complete_date":      evReturned,
}

// knownParams are the query parameters /orders and /orders/count accept. Any other is a 422.
var knownParams = map[string]bool{
	"shop_no": true, "start_date": true, "end_date": true, "date_type": true, "limit": true,
	"offset": true, "embed": true, "order_id": true, "order_status": true, "supplier_id": true,
	"order_place_id": true,
}

var embedNames = map[string]embeds{
	"items": embedItems, "receivers": embedReceivers, "buyer": embedBuyer,
	"return": embedReturn, "cancellation": embedCancellation, "exchange": embedExchange,
}

// orderRef is an order_id as parsed: its KST day number and sequence.
type orderRef struct {
	day int64
	seq uint32
}

// ordersQuery is a validated /orders query.
type ordersQuery struct {
	kind       evKind // numKinds: a claim type the simulator has no events for
	start, end time.Time
	limit      int
	offset     int
	embed      embeds
	orderIDs   []orderRef
	statuses   map[string]bool
	suppliers  map[string]bool
	places     map[string]bool
}

// apiError is an admin error answered with the envelope.
type apiError struct {
	status int
	msg    string
}

func invalid(format string, args ...any) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf(format, args...)}
}

// parseTime reads a start_date or end_date: YYYY-MM-DD (the whole KST day; end_date runs to
// 23:59:59) or an ISO 8601 date-time with an offset.
func parseTime(name, s string, end bool) (time.Time, *apiError) {
	if len(s) == len("2006-01-02") {
		t, err := time.ParseInLocation("2006-01-02", s, kst)
		if err != nil {
			return time.Time{}, invalid("%s %q is not a date (YYYY-MM-DD) or an ISO 8601 date-time with offset", name, s)
		}
		if end {
			t = t.Add(day*time.Second - time.Second)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		hint := ""
		if strings.Contains(s, " ") {
			hint = " (a '+' in the offset must be sent as %2B)"
		}
		return time.Time{}, invalid("%s %q is not a date (YYYY-MM-DD) or an ISO 8601 date-time with offset%s", name, s, hint)
	}
	return t, nil
}

func parseInt(name, s string, def, lo, hi int) (int, *apiError) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, invalid("%s must be an integer", name)
	}
	if n < lo || n > hi {
		return 0, invalid("%s must be between %d and %d (%s must be ≤ %d)", name, lo, hi, name, hi)
	}
	return n, nil
}

func parseSet(s string) map[string]bool {
	if s == "" {
		return nil
	}
	m := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			m[p] = true
		}
	}
	return m
}

// parseOrderID reads YYYYMMDD-NNNNNNN.
func parseOrderID(s string) (orderRef, bool) {
	if len(s) != 16 || s[8] != '-' {
		return orderRef{}, false
	}
	t, err := time.ParseInLocation("20060102", s[:8], kst)
	if err != nil {
		return orderRef{}, false
	}
	n, err := strconv.ParseUint(s[9:], 10, 32)
	if err != nil || s[9] == '+' || n == 0 {
		return orderRef{}, false
	}
	return orderRef{day: kstDay(t.Unix()), seq: uint32(n)}, true
}

// parseOrdersQuery validates the query of GET /orders and /orders/count.
func parseOrdersQuery(v url.Values) (ordersQuery, *apiError) {
	var q ordersQuery
	for k, vs := range v {
		if !knownParams[k] {
			return q, invalid("unknown parameter %q", k)
		}
		if len(vs) > 1 {
			return q, invalid("parameter %q given more than once", k)
		}
	}
	if sn := v.Get("shop_no"); sn != "" && sn != "1" {
		return q, invalid("shop_no %q does not exist (this mall has shop 1 only)", sn)
	}
	ss, es := v.Get("start_date"), v.Get("end_date")
	if ss == "" || es == "" {
		return q, invalid("start_date and end_date are required")
	}
	var err *apiError
	if q.start, err = parseTime("start_date", ss, false); err != nil {
		return q, err
	}
	if q.end, err = parseTime("end_date", es, true); err != nil {
		return q, err
	}
	if q.end.Before(q.start) {
		return q, invalid("end_date must not be before start_date")
	}
	if q.end.After(q.start.In(kst).AddDate(0, 3, 0)) {
		return q, invalid("the period between start_date and end_date must not exceed 3 months")
	}
	dt := v.Get("date_type")
	if dt == "" {
		dt = "order_date"
	}
	k, ok := dateTypes[dt]
	if !ok {
		return q, invalid("date_type %q is not supported", dt)
	}
	q.kind = k
	if q.limit, err = parseInt("limit", v.Get("limit"), defaultLimit, 1, maxLimit); err != nil {
		return q, err
	}
	if q.offset, err = parseInt("offset", v.Get("offset"), 0, 0, maxOffset); err != nil {
		return q, err
	}
	for name := range parseSet(v.Get("embed")) {
		e, ok := embedNames[name]
		if !ok {
			return q, invalid("embed %q is not supported", name)
		}
		q.embed |= e
	}
	if ids := parseSet(v.Get("order_id")); ids != nil {
		if len(ids) > maxOrderIDs {
			return q, invalid("at most %d order_id values per call", maxOrderIDs)
		}
		for id := range ids {
			ref, ok := parseOrderID(id)
			if !ok {
				return q, invalid("order_id %q is not an order id (YYYYMMDD-NNNNNNN)", id)
			}
			q.orderIDs = append(q.orderIDs, ref)
		}
	}
	q.statuses = parseSet(v.Get("order_status"))
	q.suppliers = parseSet(v.Get("supplier_id"))
	q.places = parseSet(v.Get("order_place_id"))
	return q, nil
}

// iter walks the orders that match a query, in answer order: by the date_type's time, then
// order_id. An order matched through several items appears once, at the earliest of its
// matching item times inside the window.
type iter struct {
	v       *view
	q       *ordersQuery
	ids     map[uint32]bool // order_id filter resolved; nil = no filter
	a, b    int64           // the window, seconds after base, inclusive
	pos, hi int
	entries []uint64
}

func (s *Server) newIter(v *view, q *ordersQuery) *iter {
	d := v.d
	it := &iter{v: v, q: q}
	it.a = q.start.Unix() - d.base
	if q.start.Nanosecond() != 0 {
		it.a++
	}
	it.b = min(q.end.Unix()-d.base, v.now) // nothing after now is visible
	if it.a < 0 {
		it.a = 0
	}
	if q.orderIDs != nil {
		it.ids = map[uint32]bool{}
		for _, ref := range q.orderIDs {
			if oi, ok := d.orderByID(ref.day, ref.seq); ok {
				it.ids[oi] = true
			}
		}
	}
	if it.a > it.b || it.b < 0 || q.kind == numKinds {
		return it
	}
	if q.kind == evOrdered {
		os := d.orders
		it.pos = sort.Search(len(os), func(i int) bool { return int64(os[i].at) >= it.a })
		it.hi = sort.Search(len(os), func(i int) bool { return int64(os[i].at) > it.b })
		return it
	}
	it.entries = d.index[q.kind]
	e := it.entries
	it.pos = sort.Search(len(e), func(i int) bool { return int64(e[i]>>32) >= it.a })
	it.hi = sort.Search(len(e), func(i int) bool { return int64(e[i]>>32) > it.b })
	return it
}

// next returns the next matching order.
func (it *iter) next() (uint32, bool) {
	v, d, k := it.v, it.v.d, it.q.kind
	for it.pos < it.hi {
		p := it.pos
		it.pos++
		var oi uint32
		switch k {
		case evOrdered:
			oi = uint32(p)
			if !v.orderShown(oi) {
				continue
			}
		case evPaid:
			oi = uint32(it.entries[p])
			if !v.orderShown(oi) || !v.paidShown(oi) {
				continue
			}
		default:
			ii, t := uint32(it.entries[p]), int32(it.entries[p]>>32)
			oi = d.items[ii].order
			if !v.orderShown(oi) || !v.itemShown(ii, k) || !v.exists(ii) || it.earlierSibling(oi, ii, t) {
				continue
			}
		}
		if it.keep(oi) {
			return oi, true
		}
	}
	return 0, false
}

// earlierSibling reports whether another item of the order matched the window before item
// ii (time t): then the order was already returned.
func (it *iter) earlierSibling(oi, ii uint32, t int32) bool {
	v, d, k := it.v, it.v.d, it.q.kind
	o := &d.orders[oi]
	for j := o.first; j < o.first+uint32(o.n); j++ {
		if j == ii {
			continue
		}
		tj := d.items[j].ev[k-evPlaced]
		if int64(tj) < it.a || tj > t || (tj == t && j > ii) {
			continue
		}
		if v.itemShown(j, k) {
			return true
		}
	}
	return false
}

// keep applies the filters other than the window.
func (it *iter) keep(oi uint32) bool {
	q, d, v := it.q, it.v.d, it.v
	if it.ids != nil && !it.ids[oi] {
		return false
	}
	o := &d.orders[oi]
	if q.places != nil && !q.places[orderPlaces[o.place].id] {
		return false
	}
	if q.suppliers != nil {
		found := false
		for j := o.first; j < o.first+uint32(o.n) && !found; j++ {
			found = q.suppliers[suppliers[d.catalog[d.items[j].product].supplier].id]
		}
		if !found {
			return false
		}
	}
	if q.statuses != nil {
		paid := v.paidShown(oi)
		found := false
		for j := o.first; j < o.first+uint32(o.n) && !found; j++ {
			found = q.statuses[statusCodes[v.state(j, paid).status]]
		}
		if !found {
			return false
		}
	}
	return true
}

// page is one list answer: the orders and the offset of the next page (0 = none).
type page struct {
	rows []uint32
	next int
}

// listPage collects the page at q.offset. duplicate makes it start one row early.
func (s *Server) listPage(v *view, q *ordersQuery, duplicate bool, rows []uint32) page {
	it := s.newIter(v, q)
	skip := q.offset
	if duplicate && skip > 0 {
		skip--
	}
	pos := 0
	for pos < skip {
		if _, ok := it.next(); !ok {
			return page{rows: rows}
		}
		pos++
	}
	for len(rows) < q.limit {
		oi, ok := it.next()
		if !ok {
			return page{rows: rows}
		}
		rows = append(rows, oi)
		pos++
	}
	target := q.offset + q.limit
	for pos < target {
		if _, ok := it.next(); !ok {
			return page{rows: rows}
		}
		pos++
	}
	if _, ok := it.next(); ok && target <= maxOffset {
		return page{rows: rows, next: target}
	}
	return page{rows: rows}
}

// count counts every matching order, without the offset cap.
func (s *Server) count(v *view, q *ordersQuery) int {
	it := s.newIter(v, q)
	n := 0
	for {
		if _, ok := it.next(); !ok {
			return n
		}
		n++
	}
}

// listOrders serves GET /api/v2/admin/orders.
func (s *Server) listOrders(b []byte, r *http.Request, fd faultDraw) (int, []byte) {
	vals := r.URL.Query()
	q, aerr := parseOrdersQuery(vals)
	if aerr != nil {
		return aerr.status, appendEnvelope(b, aerr.status, aerr.msg)
	}
	v := s.view()
	rowsp := s.rowPool.Get().(*[]uint32)
	defer s.rowPool.Put(rowsp)
	pg := s.listPage(&v, &q, fd.duplicate, (*rowsp)[:0])
	*rowsp = pg.rows[:0]

	b = append(b, `{"orders":[`...)
	for i, oi := range pg.rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = v.appendOrder(b, oi, q.embed)
	}
	b = append(b, `],"links":[`...)
	if pg.next > 0 {
		vals.Set("offset", strconv.Itoa(pg.next))
		b = append(b, `{"rel":"next","href":`...)
		b = appendStr(b, "/api/v2/admin/orders?"+vals.Encode())
		b = append(b, '}')
	}
	b = append(b, "]}"...)
	return http.StatusOK, b
}

// countOrders serves GET /api/v2/admin/orders/count.
func (s *Server) countOrders(b []byte, r *http.Request) (int, []byte) {
	q, aerr := parseOrdersQuery(r.URL.Query())
	if aerr != nil {
		return aerr.status, appendEnvelope(b, aerr.status, aerr.msg)
	}
	v := s.view()
	b = append(b, `{"count":`...)
	b = strconv.AppendInt(b, int64(s.count(&v, &q)), 10)
	return http.StatusOK, append(b, '}')
}
