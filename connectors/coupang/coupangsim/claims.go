package coupangsim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
)

// claimKind is what a claim is on Coupang.
type claimKind int

const (
	// paidCancel is a buyer's cancel before the vendor acknowledged the box: Coupang cancels at
	// once (즉시취소, receiptType CANCEL) and lists it only with cancelType=CANCEL.
	paidCancel claimKind = iota
	// stopShipment is a cancel after INSTRUCT (출고중지요청, RU): the vendor stops the parcel
	// (stoppedShipment) or says it already left (completedShipment, 이미출고), which turns the
	// receipt into a return.
	stopShipment
	// buyerReturn is a return requested after delivery (반품접수, UC).
	buyerReturn
	// exchange is an exchange requested after delivery (교환접수, RECEIPT).
	exchange
)

// claimItem is one vendor item of a claim and how many of it.
type claimItem struct {
	vendorItemID int64
	count        int
}

// claim is one returnRequests receipt or one exchangeRequests exchange, as a schedule of
// unix times (never when a step does not happen). Its state at a moment is a function of the
// schedule, which writes change.
type claim struct {
	id      int64 // receiptId, or exchangeId
	box     int   // index into Server.boxes
	kind    claimKind
	items   []claimItem
	created int64
	reason  int

	// stopShipment: resolved at resolve, stopped (출고중지) or not (이미출고: a return from
	// resolve on); auto says nobody answered and Coupang resolved it itself.
	resolve int64
	stopped bool
	auto    bool

	// the return steps (buyerReturn, and a stopShipment that had left): pickup invoice,
	// withdrawal by the buyer, vendor's receipt confirmation, Coupang check request, completion.
	pickup, withdraw, confirm, check, complete int64

	// exchange steps: progress (pickup under way), collected (the vendor confirmed receipt),
	// success (replacement shipped), reject (by the vendor), cancel (withdrawn by the buyer).
	progress, collected, success, reject, cancel int64
	// reshipInvoice and reshipCarrier are the replacement's invoice; a write may set them.
	reshipInvoice, reshipCarrier string
}

var reasons = []struct{ cat1, cat2, code, text, fault string }{
	{"고객변심", "단순변심(사유없음)", "CHANGEMIND", "필요 없어짐 (단순 변심)", "CUSTOMER"},
	{"상품불량", "사용중 제품결함", "DEFECT", "상품이 제조/제작 불량임", "VENDOR"},
	{"배송문제", "배송지연", "LATEDELIVERED", "배송이 예정보다 늦어짐", "VENDOR"},
	{"고객변심", "옵션 변경", "DIFFERENTOPT", "색상/ 사이즈가 기대와 다름", "CUSTOMER"},
}

// drawClaims gives some boxes one claim each, from its own seeded stream (so that the boxes
// are those of a simulator without claims).
func drawClaims(seed int64, boxes []box) []claim {
	r := rand.New(rand.NewPCG(uint64(seed), 0xc1a1))
	h, d := int64(3600), int64(86400)
	between := func(lo, span int64) int64 { return lo + r.Int64N(max(span, 1)) }
	var out []claim
	for i := range boxes {
		b := &boxes[i]
		u := r.IntN(100)
		c := claim{box: i, reason: r.IntN(len(reasons)), resolve: never, pickup: never, withdraw: never, confirm: never,
			check: never, complete: never, progress: never, collected: never, success: never, reject: never, cancel: never}
		switch {
		case u < 4:
			c.kind, c.created = paidCancel, between(b.paid+60, b.steps[0]-b.paid-120)
		case u < 8:
			c.kind, c.created = stopShipment, between(b.steps[0]+60, 30*h)
			c.resolve, c.auto = between(c.created+h, 11*h), true
			c.stopped = b.steps[1] > c.resolve
			c.returnSteps(r, c.resolve) // what happens if it had left (it may, after a write)
		case u < 14 && b.steps[3] != never:
			c.kind, c.created = buyerReturn, between(b.steps[3]+6*h, 5*d)
			c.returnSteps(r, c.created)
		case u < 17 && b.steps[3] != never:
			c.kind, c.created = exchange, between(b.steps[3]+6*h, 4*d)
			c.progress = between(c.created+6*h, 18*h)
			switch v := r.IntN(100); {
			case v < 12:
				c.cancel = between(c.created+h, c.progress-c.created+12*h)
			case v < 22:
				c.reject = between(c.progress, d)
			default:
				c.collected = between(c.progress+12*h, d)
				c.success = between(c.collected+h, 2*d)
			}
		default:
			continue
		}
		for _, it := range b.items {
			if len(c.items) > 0 && r.IntN(100) < 40 {
				continue
			}
			n := it.count
			if n > 1 && r.IntN(100) < 40 {
				n = 1 // a partial claim: cancelCount < purchaseCount
			}
			c.items = append(c.items, claimItem{vendorItemID: it.vendorItemID, count: n})
		}
		c.id = 50000000 + int64(i)*11 + 7
		if c.kind == exchange {
			c.id = 100000000 + int64(i)*17 + 5
			c.reshipCarrier = carriers[b.carrier].code
			c.reshipInvoice = fmt.Sprintf("%012d", c.id*7907%1000000000000)
		}
		out = append(out, c)
	}
	return out
}

// returnSteps schedules a return that starts at start: the pickup's invoice within a day;
// then either the buyer withdraws before the pickup (12%), or the vendor confirms the
// receipt, Coupang is asked to check some (20%), and the return completes.
func (c *claim) returnSteps(r *rand.Rand, start int64) {
	h, d := int64(3600), int64(86400)
	c.pickup = start + 6*h + r.Int64N(18*h)
	if r.IntN(100) < 12 {
		c.withdraw = start + h + r.Int64N(c.pickup-start-h)
		c.pickup = never
		return
	}
	c.confirm = c.pickup + d + r.Int64N(2*d)
	last := c.confirm
	if r.IntN(100) < 20 {
		c.check = c.confirm + 6*h + r.Int64N(18*h)
		last = c.check
	}
	c.complete = last + d + r.Int64N(2*d)
}

// full reports whether the claim takes every item of b, all of it.
func (c *claim) full(b *box) bool {
	for _, it := range b.items {
		if c.count(it.vendorItemID) != it.count {
			return false
		}
	}
	return true
}

func (c *claim) count(vendorItemID int64) int {
	for _, it := range c.items {
		if it.vendorItemID == vendorItemID {
			return it.count
		}
	}
	return 0
}

// isReturn reports whether at t the receipt is a return: a buyerReturn, or a stopShipment
// that had already left.
func (c *claim) isReturn(t int64) bool {
	return c.kind == buyerReturn || (c.kind == stopShipment && t >= c.resolve && !c.stopped)
}

// done returns when the claim took its items away from the box (cancel completed, parcel
// stopped, return completed), never when it does not.
func (c *claim) done() int64 {
	switch c.kind {
	case paidCancel:
		return c.created
	case stopShipment:
		if c.stopped {
			return c.resolve
		}
		return c.complete
	case buyerReturn:
		return c.complete
	}
	return never
}

// receipt is a returnRequests receipt's state at t (the claim's own time).
type receipt struct {
	receiptType, receiptStatus, releaseStop string
	modified                                int64
	withdrawn                               bool
	// code is what the connector stores as the claim's platform status (coupang.yaml).
	code string
}

// receiptAt returns the receipt's state at t; ok is false before it exists.
func (c *claim) receiptAt(t int64) (receipt, bool) {
	if t < c.created || c.kind == exchange {
		return receipt{}, false
	}
	switch {
	case c.kind == paidCancel:
		return receipt{"CANCEL", "RETURNS_COMPLETED", "비대상", c.created, false, "CANCEL_COMPLETED"}, true
	case c.kind == stopShipment && t < c.resolve:
		return receipt{"RETURN", "RELEASE_STOP_UNCHECKED", "미처리", c.created, false, "RELEASE_STOP_UNCHECKED"}, true
	case c.kind == stopShipment && c.stopped:
		return receipt{"RETURN", "RETURNS_COMPLETED", "처리(출고중지)", c.resolve, false, "STOP_SHIPMENT_COMPLETED"}, true
	}
	rc := receipt{receiptType: "RETURN", releaseStop: "비대상", modified: c.created}
	if c.kind == stopShipment {
		rc.releaseStop, rc.modified = "처리(이미출고)", c.resolve
		if c.auto {
			rc.releaseStop = "자동처리(이미출고)"
		}
	}
	steps := []struct {
		at           int64
		status, code string
	}{
		{c.pickup, "RETURNS_UNCHECKED", "RETURNS_UNCHECKED"},
		{c.confirm, "VENDOR_WAREHOUSE_CONFIRM", "VENDOR_WAREHOUSE_CONFIRM"},
		{c.check, "REQUEST_COUPANG_CHECK", "REQUEST_COUPANG_CHECK"},
		{c.complete, "RETURNS_COMPLETED", "RETURNS_COMPLETED"},
	}
	rc.receiptStatus, rc.code = "RETURNS_UNCHECKED", "RETURNS_UNCHECKED"
	for _, s := range steps {
		if t >= s.at {
			rc.receiptStatus, rc.code, rc.modified = s.status, s.code, max(rc.modified, s.at)
		}
	}
	if t >= c.withdraw {
		rc.withdrawn, rc.code = true, "RETURN_WITHDRAWN"
	}
	return rc, true
}

// exchangeAt returns the exchange's status and last change at t; ok is false before it exists.
func (c *claim) exchangeAt(t int64) (status string, modified int64, ok bool) {
	if t < c.created || c.kind != exchange {
		return "", 0, false
	}
	status, modified = "RECEIPT", c.created
	for _, s := range []struct {
		at     int64
		status string
	}{{c.progress, "PROGRESS"}, {c.collected, "PROGRESS"}, {c.success, "SUCCESS"}, {c.reject, "REJECT"}, {c.cancel, "CANCEL"}} {
		if t >= s.at {
			status, modified = s.status, max(modified, s.at)
		}
	}
	return status, modified, true
}

// pickupInvoice is the return or exchange pickup's invoice number.
func (c *claim) pickupInvoice() string { return fmt.Sprintf("%012d", c.id*6661%1000000000000) }

// late returns how many seconds behind its own time a claim is seen: LateBy for the claims
// the LateRate fault picks (a pure function of the seed and the claim), 0 for the others.
func (s *Server) late(c *claim, f Faults) int64 {
	if f.LateRate <= 0 || f.LateBy <= 0 {
		return 0
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d", s.opts.Seed, c.id)
	if float64(h.Sum64()%1000000)/1e6 < f.LateRate {
		return int64(f.LateBy.Seconds())
	}
	return 0
}
