package cafe24sim

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
)

// Refunds. A refund is accepted when an item's cancellation completes (C40) or its return
// completes (R40), for the item's payment_amount, and paid out later: within six hours for a
// card, a real-time transfer or a phone payment (the admin cancels them in batches), within
// three days for a bank deposit (the money goes back to an account the buyer gives).
// Until then its status is "F"; afterwards "T" with a refund_date. Refund codes are numbered
// per KST day of acceptance, in acceptance order: R{yyyymmdd}-{7 digits}, like claim codes but
// in their own sequence. An exchange refunds nothing.

const (
	maxRefundLimit = 500
)

// refund is one generated refund.
type refund struct {
	acc, done int32 // accepted_refund_date, refund_date (seconds after base)
	item      uint32
	seq       uint32 // NNNNNNN of the refund code
	kind      evKind // evCanceled or evReturned: the event that caused it
}

// buildRefunds derives the refunds from the items' cancellations and completed returns.
func (d *dataset) buildRefunds() {
	var out []refund
	for _, k := range []evKind{evCanceled, evReturned} {
		for _, e := range d.index[k] {
			ii := uint32(e)
			t := int32(e >> 32)
			out = append(out, refund{acc: t, item: ii, kind: k, done: t + d.refundDelay(ii)})
		}
	}
	slices.SortFunc(out, func(a, b refund) int {
		if a.acc != b.acc {
			return int(a.acc) - int(b.acc)
		}
		return int(a.item) - int(b.item)
	})
	dayOf, seq := int64(math.MinInt64), uint32(0)
	for i := range out {
		if dd := kstDay(d.base + int64(out[i].acc)); dd != dayOf {
			dayOf, seq = dd, 0
		}
		seq++
		out[i].seq = seq
	}
	d.refunds = out
}

// refundDelay is how long the money takes to go out after a refund of item ii is accepted.
func (d *dataset) refundDelay(ii uint32) int32 {
	h := mix(d.seed ^ 0x4ef0d ^ uint64(ii)<<8)
	if paymentMethods[d.orders[d.items[ii].order].method].instant {
		return int32(10*minute + h%(6*hour))
	}
	return int32(hour + h%(71*hour))
}

// refundKey is the lateness key of a refund's payout: a key space of its own (bit 62), apart
// from order keys (below 2^36) and item keys (bit 63).
func refundKey(ii uint32) uint64 { return 1<<62 | uint64(ii) }

// refundShown reports whether refund r is visible (accepted) and whether it is paid out.
func (v *view) refundShown(r *refund) (accepted, done bool) {
	if !v.orderShown(v.d.items[r.item].order) || !v.itemShown(r.item, r.kind) {
		return false, false
	}
	return true, v.shown(r.done, refundKey(r.item))
}

// refundAmount is what refund r pays back: the item's payment_amount.
func (d *dataset) refundAmount(r *refund) int64 {
	return d.linePayment(r.item)
}

// refundsQuery is a validated GET /refunds query.
type refundsQuery struct {
	byDone        bool // date_type=refund_date (else accepted_refund_date)
	a, b          int64
	limit, offset int
}

var refundParams = map[string]bool{"shop_no": true, "start_date": true, "end_date": true, "date_type": true,
	"limit": true, "offset": true}

func parseRefundsQuery(v url.Values, d *dataset) (refundsQuery, *apiError) {
	var q refundsQuery
	for k, vs := range v {
		if !refundParams[k] {
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
	start, err := parseTime("start_date", ss, false)
	if err != nil {
		return q, err
	}
	end, err := parseTime("end_date", es, true)
	if err != nil {
		return q, err
	}
	if end.Before(start) {
		return q, invalid("end_date must not be before start_date")
	}
	if end.After(start.In(kst).AddDate(0, 3, 0)) {
		return q, invalid("the period between start_date and end_date must not exceed 3 months")
	}
	switch dt := v.Get("date_type"); dt {
	case "", "refund_date":
		q.byDone = true
	case "accepted_refund_date":
	default:
		return q, invalid("date_type %q is not supported (refund_date or accepted_refund_date)", dt)
	}
	q.a, q.b = start.Unix()-d.base, end.Unix()-d.base
	if start.Nanosecond() != 0 {
		q.a++
	}
	if q.limit, err = parseInt("limit", v.Get("limit"), defaultLimit, 1, maxRefundLimit); err != nil {
		return q, err
	}
	if q.offset, err = parseInt("offset", v.Get("offset"), 0, 0, maxOffset); err != nil {
		return q, err
	}
	return q, nil
}

// matchingRefunds lists the visible refunds in the query's window, by the date_type's time
// then refund code.
func (v *view) matchingRefunds(q *refundsQuery) []*refund {
	var out []*refund
	rs := v.d.refunds
	hi := min(q.b, v.now)
	// Refunds are sorted by acceptance; refund_date is never before it.
	end := sort.Search(len(rs), func(i int) bool { return int64(rs[i].acc) > hi })
	for i := 0; i < end; i++ {
		r := &rs[i]
		t := r.acc
		if q.byDone {
			t = r.done
		} else if int64(t) < q.a {
			continue
		}
		if int64(t) < q.a || int64(t) > hi {
			continue
		}
		acc, done := v.refundShown(r)
		if !acc || (q.byDone && !done) {
			continue
		}
		out = append(out, r)
	}
	if q.byDone {
		slices.SortStableFunc(out, func(a, b *refund) int { return int(a.done) - int(b.done) })
	}
	return out
}

// appendRefundCode appends R{yyyymmdd}-{seq}.
func (v *view) appendRefundCode(b []byte, r *refund) []byte {
	b = append(b, 'R')
	b = appendYMD(b, v.d.base+int64(r.acc), 0)
	b = append(b, '-')
	return appendPad(b, int64(r.seq), 7)
}

// appendRefund appends one refund object as GET /refunds returns it.
func (v *view) appendRefund(b []byte, r *refund) []byte {
	d := v.d
	it := &d.items[r.item]
	o := &d.orders[it.order]
	_, done := v.refundShown(r)
	b = append(b, `{"shop_no":1,"order_id":"`...)
	b = v.appendOrderID(b, it.order)
	b = append(b, `","order_date":`...)
	b = appendKST(b, d.base+int64(o.at))
	b = append(b, `,"refund_code":"`...)
	b = v.appendRefundCode(b, r)
	b = append(b, `","accepted_refund_date":`...)
	b = appendKST(b, d.base+int64(r.acc))
	b = append(b, `,"refund_date":`...)
	if done {
		b = appendKST(b, d.base+int64(r.done))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"status":`...)
	b = appendFlag(b, done)
	b = append(b, `,"quantity":`...)
	b = strconv.AppendInt(b, int64(it.qty), 10)
	b = append(b, `,"actual_refund_amount":`...)
	b = appendMoney(b, d.refundAmount(r))
	b = append(b, `,"used_points":"0.00","used_credits":"0.00","currency":"KRW","refund_payment_methods":[`...)
	b = appendStr(b, paymentMethods[o.method].name)
	b = append(b, `],"order_item_code":["`...)
	b = v.appendOrderID(b, it.order)
	b = append(b, '-')
	b = appendPad(b, int64(r.item-o.first)+1, 2)
	return append(b, `"]}`...)
}

// listRefunds serves GET /api/v2/admin/refunds.
func (s *Server) listRefunds(b []byte, r *http.Request) (int, []byte) {
	vals := r.URL.Query()
	q, aerr := parseRefundsQuery(vals, s.d)
	if aerr != nil {
		return aerr.status, appendEnvelope(b, aerr.status, aerr.msg)
	}
	v := s.view()
	all := v.matchingRefunds(&q)
	from := min(q.offset, len(all))
	to := min(from+q.limit, len(all))
	b = append(b, `{"refunds":[`...)
	for i, rf := range all[from:to] {
		if i > 0 {
			b = append(b, ',')
		}
		b = v.appendRefund(b, rf)
	}
	b = append(b, `],"links":[`...)
	if to < len(all) && to <= maxOffset {
		vals.Set("offset", strconv.Itoa(to))
		b = append(b, `{"rel":"next","href":`...)
		b = appendStr(b, "/api/v2/admin/refunds?"+vals.Encode())
		b = append(b, '}')
	}
	return http.StatusOK, append(b, "]}"...)
}

// TruthRefund is one refund as of the clock.
type TruthRefund struct {
	Code      string // refund_code
	OrderID   string
	ItemCodes []string
	Amount    int64 // actual_refund_amount in won
	Done      bool  // status T: the money went out
}

// truthRefunds lists the visible refunds, by refund code.
func (v *view) truthRefunds() []TruthRefund {
	var out []TruthRefund
	for i := range v.d.refunds {
		r := &v.d.refunds[i]
		if int64(r.acc) > v.now {
			break
		}
		acc, done := v.refundShown(r)
		if !acc {
			continue
		}
		it := &v.d.items[r.item]
		oid := string(v.appendOrderID(nil, it.order))
		out = append(out, TruthRefund{
			Code: string(v.appendRefundCode(nil, r)), OrderID: oid,
			ItemCodes: []string{oid + "-" + string(appendPad(nil, int64(r.item-v.d.orders[it.order].first)+1, 2))},
			Amount:    v.d.refundAmount(r), Done: done,
		})
	}
	slices.SortFunc(out, func(a, b TruthRefund) int {
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}
