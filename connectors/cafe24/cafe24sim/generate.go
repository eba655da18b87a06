package cafe24sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// kst is Korea Standard Time, the zone of every Cafe24 date.
var kst = time.FixedZone("KST", kstOffset)

const (
	kstOffset = 9 * 60 * 60
	day       = 24 * 60 * 60
	hour      = 60 * 60
	minute    = 60

	// never is the time of an event that does not happen. It is never visible.
	never = math.MaxInt32

	catalogSize = 300
	maxItemsCap = 99 // order_item_code has two digits
)

// evKind names an event in an order's life. The first two belong to the order, the rest to
// each item. Each kind but evOrdered has an index sorted by time.
type evKind uint8

const (
	evOrdered     evKind = iota // order_date
	evPaid                      // payment_date: N00 → N10
	evPlaced                    // 발주, N20
	evShipped                   // shipped_date, N30
	evDelivered                 // delivered_date, N40
	evConfirmed                 // purchaseconfirmation_date, N50
	evCancelReq                 // cancel request, C00
	evCanceled                  // cancel_date, C40
	evReturnReq                 // return_request_date, R00
	evReturnAcc                 // return accepted (return_accept_date), R10: the pickup invoice appears
	evExchangeReq               // exchange_request_date, E00
	evExchangeAcc               // exchange accepted (exchange_accept_date), E10: the pickup invoice appears
	evHeld                      // the claim put on hold, R12 / E12 (no date_type)
	evPickedUp                  // pickup complete (return_collected_date), R20 / E31 (no date_type)
	evReturned                  // return complete (return_complete_date, refund_date), R40
	evExchanged                 // exchange complete (exchange_complete_date), E40
	evRejected                  // the claim rejected, R11 / E11 (no date_type)
	evUndone                    // the claim withdrawn (undone): back to the status before (no date_type)
	numKinds
)

const numItemEvents = numKinds - evPlaced

// order is one generated order, compact: times are seconds after the dataset's base.
type order struct {
	at, pay int32  // order_date; payment_date or never
	first   uint32 // index of its first item
	seq     uint32 // sequence within its KST day (the NNNNNNN of the order_id)
	n       uint8  // number of items
	place   uint8  // index into orderPlaces
	method  uint8  // index into paymentMethods
	fee     uint8  // shipping fee in hundreds of won
}

// item is one order item. ev holds the item events' times, evPlaced first.
type item struct {
	ev       [numItemEvents]int32
	order    uint32
	claimSeq uint32 // NNNNNNN of the claim_code when the item has a claim
	discount uint16 // coupon discount in hundreds of won
	product  uint16
	variant  uint8
	qty      uint8
	ship     uint8 // shipment number within the order (shipping_code suffix)
	carrier  uint8
	reason   uint8 // index into cancelReasons
	before   uint8 // status before the claim: stN10 or stN20 for a cancel, stN40 for a return or exchange
	claim    uint8 // claimNone, claimCancel, claimReturn or claimExchange
	// origin is set on an exchange's replacement: 1 + the index in its order of the item it
	// replaces. The replacement exists once that exchange is accepted.
	origin uint8
}

// The claim an item has in its life (at most one).
const (
	claimNone uint8 = iota
	claimCancel
	claimReturn
	claimExchange
)

// dataset is everything New generates. Only the write endpoints change it afterwards, under
// Server.mu (see writes.go).
type dataset struct {
	seed     uint64
	base     int64 // unix seconds of time offset 0 (Options.Start)
	span     int64 // End - Start in seconds
	mallID   string
	catalog  []product
	orders   []order // sorted by (at, order_id)
	items    []item
	firstDay int64    // KST day number (days since 1970-01-01 KST) of dayFirst[0]
	dayFirst []uint32 // dayFirst[d] = index of the first order on KST day firstDay+d; one extra at the end
	// index[k] lists the events of kind k as time<<32 | id (order index for evPaid, item
	// index for item events), sorted. index[evOrdered] is nil: orders are sorted already.
	index [numKinds][]uint64
	// refunds are the refunds of cancelled and returned items, by acceptance time.
	refunds []refund
	// stock is every variant's stock over time (see stock.go).
	stock stockLedger
	// invoices are the tracking numbers sellers registered (POST /shipments), by order<<8 |
	// shipment number; they replace the generated ones (see writes.go).
	invoices map[uint64]invoice
	// stockSets are the quantities sellers put (PUT .../inventories), replayed by buildStock.
	stockSets []stockChange
}

// mix is the splitmix64 finalizer: a fast, well-spread hash for deriving values that need no
// storage (names, phone numbers, tracking numbers, lateness).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hourWeight is how busy each KST hour is, for order times.
var hourWeight = [24]float64{4, 2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 10, 9, 8, 8, 8, 8, 8, 9, 10, 10, 9, 6}

func kstDay(unix int64) int64 { return floorDiv(unix+kstOffset, day) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// between draws a duration in [lo, hi) seconds.
func between(r *rand.Rand, lo, hi int64) int32 { return int32(lo + r.Int64N(hi-lo)) }

// generate builds the dataset for opts (defaults applied).
func generate(opts Options) *dataset {
	seed := uint64(opts.Seed)
	r := rand.New(rand.NewPCG(seed, 0x5eedda7a))
	d := &dataset{
		seed:   seed,
		base:   opts.Start.Unix(),
		span:   opts.End.Unix() - opts.Start.Unix(),
		mallID: opts.MallID,
	}
	d.catalog = newCatalog(r, catalogSize)

	// Order times: uniform over the span, weighted by the hour of day, then sorted.
	ats := make([]int32, max(opts.Orders, 0))
	for i := range ats {
		for {
			t := r.Int64N(d.span)
			h := ((d.base+t+kstOffset)%day + day) % day / hour
			if r.Float64()*10 < hourWeight[h] {
				ats[i] = int32(t)
				break
			}
		}
	}
	slices.Sort(ats)

	d.firstDay = kstDay(d.base)
	days := kstDay(d.base+d.span-1) - d.firstDay + 1
	d.dayFirst = make([]uint32, days+1)
	d.orders = make([]order, len(ats))
	d.items = make([]item, 0, len(ats)*2+16)
	dayOf, seq := int64(-1), uint32(0)
	for i, at := range ats {
		dd := kstDay(d.base+int64(at)) - d.firstDay
		for dayOf < dd {
			dayOf++
			d.dayFirst[dayOf] = uint32(i)
			seq = 0
		}
		seq++
		d.orders[i] = d.genOrder(r, uint32(i), at, seq, opts.MaxItems)
	}
	for dayOf < days {
		dayOf++
		d.dayFirst[dayOf] = uint32(len(ats))
	}
	d.buildIndexes()
	d.buildRefunds()
	d.buildStock()
	return d
}

// itemCount draws the number of items: uniform 1..max up to 3 (mean 2 for the default 3),
// a geometric distribution truncated at max beyond (mean just under 2).
func itemCount(r *rand.Rand, maxItems int) int {
	if maxItems <= 3 {
		return 1 + r.IntN(maxItems)
	}
	n := 1
	for n < maxItems && r.IntN(2) == 0 {
		n++
	}
	return n
}

func (d *dataset) genOrder(r *rand.Rand, oi uint32, at int32, seq uint32, maxItems int) order {
	o := order{at: at, seq: seq, first: uint32(len(d.items)), pay: never}
	o.place = uint8(pick(r, 45, 92))
	o.method = uint8(pick(r, 70, 85, 93))
	if paymentMethods[o.method].instant {
		o.pay = at + between(r, 5, 180)
	} else if r.IntN(100) < 73 { // ~27% of bank deposits never come: ~4% of all orders
		o.pay = at + between(r, 10*minute, 48*hour)
	}
	n := itemCount(r, maxItems)
	o.n = uint8(n)
	split := n > 1 && r.IntN(100) < 15 // items ship separately
	var sched [4]int32
	var carrier uint8
	var total int64
	for k := 0; k < n; k++ {
		p := int(float64(catalogSize) * math.Pow(r.Float64(), 1.6)) // popular products first
		it := item{
			order:   oi,
			product: uint16(p),
			variant: uint8(r.IntN(len(d.catalog[p].variants))),
			qty:     1,
		}
		switch u := r.IntN(100); {
		case u < 15:
			it.qty = 2
		case u < 20:
			it.qty = 3
		}
		line := (d.catalog[p].price + d.catalog[p].variants[it.variant].price) * int64(it.qty)
		if r.IntN(100) < 20 {
			it.discount = uint16(line / 10 / 100)
		}
		total += line - int64(it.discount)*100
		for e := range it.ev {
			it.ev[e] = never
		}
		if o.pay != never {
			if k == 0 || split {
				sched = schedule(r, o.pay)
				carrier = uint8(r.IntN(len(carriers)))
			}
			it.ev[evPlaced-evPlaced] = sched[0]
			it.ev[evShipped-evPlaced] = sched[1]
			it.ev[evDelivered-evPlaced] = sched[2]
			it.ev[evConfirmed-evPlaced] = sched[3]
			it.carrier = carrier
			if split {
				it.ship = uint8(k)
			}
			if r.IntN(100) < 3 {
				cancel(r, &it, o.pay, d.seed, uint32(len(d.items)))
			} else {
				afterDelivery(d.seed, uint32(len(d.items)), &it)
			}
		}
		d.items = append(d.items, it)
	}
	d.addReplacements(&o)
	if total < 50000 {
		o.fee = 30
	}
	return o
}

// linePayment is item ii's payment_amount in won: its price times its quantity less its
// coupon, and nothing for an exchange's replacement.
func (d *dataset) linePayment(ii uint32) int64 {
	it := &d.items[ii]
	if it.origin != 0 {
		return 0
	}
	p := &d.catalog[it.product]
	return (p.price+p.variants[it.variant].price)*int64(it.qty) - int64(it.discount)*100
}

// addReplacements gives every accepted exchange of order o its replacement: a new line of the
// order (N01 from the acceptance), placed, shipped in a parcel of its own, delivered and
// confirmed, free of charge. Drawn from the replaced item's own generator, so the rest of the
// data set does not depend on it.
func (d *dataset) addReplacements(o *order) {
	n := uint32(o.n)
	var ship uint8
	for j := o.first; j < o.first+n; j++ {
		ship = max(ship, d.items[j].ship)
	}
	for k := uint32(0); k < n && o.n < 99; k++ {
		orig := &d.items[o.first+k]
		acc := orig.ev[evExchangeAcc-evPlaced]
		if orig.claim != claimExchange || acc == never {
			continue
		}
		w := rand.New(rand.NewPCG(mix(d.seed^0x5e9a1ace), uint64(o.first+k)))
		ship++
		rep := item{order: orig.order, product: orig.product, variant: orig.variant, qty: orig.qty,
			carrier: orig.carrier, ship: ship, origin: uint8(k + 1)}
		for e := range rep.ev {
			rep.ev[e] = never
		}
		placed := acc + between(w, hour, 24*hour)
		shipped := placed + between(w, 2*hour, 48*hour)
		delivered := shipped + between(w, 12*hour, 72*hour)
		rep.ev[evPlaced-evPlaced] = placed
		rep.ev[evShipped-evPlaced] = shipped
		rep.ev[evDelivered-evPlaced] = delivered
		rep.ev[evConfirmed-evPlaced] = delivered + between(w, 7*day, 8*day)
		d.items = append(d.items, rep)
		o.n++
	}
}

// schedule draws placed, shipped, delivered and confirmed times after payment.
func schedule(r *rand.Rand, pay int32) [4]int32 {
	placed := pay + between(r, 1*hour, 36*hour)
	shipped := placed + between(r, 2*hour, 48*hour)
	delivered := shipped + between(r, 12*hour, 72*hour)
	var confirmed int32
	if r.IntN(2) == 0 {
		confirmed = delivered + between(r, 1*hour, 7*day) // the buyer confirms
	} else {
		confirmed = delivered + between(r, 7*day, 8*day) // automatic confirmation
	}
	return [4]int32{placed, shipped, delivered, confirmed}
}

// cancel turns it into a cancelled item: a request some time after payment and before
// shipping, then the cancel itself. Later normal events never happen.
//
// About one request in ten is withdrawn by the buyer (undone) and one in ten rejected by the
// seller (C11 until the item ships), both before shipping: the item then goes on as it would
// have. That draw comes from the item's own generator, so the rest of the data set does not
// depend on it.
func cancel(r *rand.Rand, it *item, pay int32, seed uint64, ii uint32) {
	shipped := it.ev[evShipped-evPlaced]
	req := pay + between(r, minute, int64(shipped-pay))
	it.before = stN10
	placed := it.ev[evPlaced-evPlaced] < req
	if placed {
		it.before = stN20
	}
	canceled := req + between(r, 30*minute, 48*hour)
	it.reason = uint8(r.IntN(len(cancelReasons)))
	it.claim = claimCancel
	it.ev[evCancelReq-evPlaced] = req
	w := rand.New(rand.NewPCG(mix(seed^0xca9ce1), uint64(ii)))
	if fate := w.IntN(10); fate <= 1 { // withdrawn by the buyer, or rejected by the seller
		span := int64(shipped - req)
		at := req + int32(span/2)
		if span > 2*minute {
			at = req + between(w, minute, span-minute)
		}
		it.ev[[...]evKind{evUndone, evRejected}[fate]-evPlaced] = at
		return
	}
	if !placed {
		it.ev[evPlaced-evPlaced] = never
	}
	for _, k := range []evKind{evShipped, evDelivered, evConfirmed} {
		it.ev[k-evPlaced] = never
	}
	it.ev[evCanceled-evPlaced] = canceled
}

// afterDelivery gives about 4% of delivered items a return and 2% an exchange. Of those
// claims about one in ten is rejected, one in ten withdrawn (an exchange only before it is
// accepted) and one in ten put on hold for a while. A return or exchange replaces the
// purchase confirmation, unless the claim is withdrawn: then the buyer confirms later. The
// draws come from the item's own generator, so the rest of the data set does not depend on them.
func afterDelivery(seed uint64, ii uint32, it *item) {
	r := rand.New(rand.NewPCG(mix(seed^0xc1a1a5), uint64(ii)))
	u := r.IntN(1000)
	if u >= 60 {
		return
	}
	delivered := it.ev[evDelivered-evPlaced]
	set := func(k evKind, t int32) { it.ev[k-evPlaced] = t }
	req := delivered + between(r, hour, 6*day)
	it.before, it.reason = stN40, uint8(r.IntN(len(cancelReasons)))
	reqK, accK, doneK := evReturnReq, evReturnAcc, evReturned
	it.claim = claimReturn
	if u >= 40 {
		reqK, accK, doneK = evExchangeReq, evExchangeAcc, evExchanged
		it.claim = claimExchange
	}
	set(evConfirmed, never)
	set(reqK, req)
	steps := []evKind{accK}
	times := []int32{req + between(r, hour, 24*hour)}
	if r.IntN(10) == 0 {
		steps = append(steps, evHeld)
		times = append(times, times[len(times)-1]+between(r, hour, 24*hour))
	}
	steps = append(steps, evPickedUp, doneK)
	times = append(times, times[len(times)-1]+between(r, 12*hour, 48*hour))
	times = append(times, times[len(times)-1]+between(r, 6*hour, 48*hour))
	switch fate := r.IntN(10); {
	case fate == 0: // rejected before it is accepted
		set(evRejected, req+between(r, hour, 48*hour))
		return
	case fate == 1: // withdrawn by the buyer: before acceptance for an exchange, at any step for a return
		last := len(steps) - 1
		if it.claim == claimExchange {
			last = 0
		}
		cut := r.IntN(last + 1)
		prev := req
		if cut > 0 {
			prev = times[cut-1]
		}
		undone := prev + between(r, minute, int64(times[cut]-prev))
		for k := 0; k < cut; k++ {
			set(steps[k], times[k])
		}
		set(evUndone, undone)
		set(evConfirmed, undone+between(r, day, 7*day))
		return
	}
	for k, step := range steps {
		set(step, times[k])
	}
}

// buildIndexes sorts every event kind by time and numbers the claims per KST day.
func (d *dataset) buildIndexes() {
	var pays []uint64
	for i := range d.orders {
		if t := d.orders[i].pay; t != never {
			pays = append(pays, uint64(t)<<32|uint64(i))
		}
	}
	slices.Sort(pays)
	d.index[evPaid] = pays
	for k := evPlaced; k < numKinds; k++ {
		n := 0
		for i := range d.items {
			if d.items[i].ev[k-evPlaced] != never {
				n++
			}
		}
		idx := make([]uint64, 0, n)
		for i := range d.items {
			if t := d.items[i].ev[k-evPlaced]; t != never {
				idx = append(idx, uint64(t)<<32|uint64(i))
			}
		}
		slices.Sort(idx)
		d.index[k] = idx
	}
	// Claim codes are numbered per kind and KST day of the request, in request order.
	for _, k := range []evKind{evCancelReq, evReturnReq, evExchangeReq} {
		dayOf, seq := int64(math.MinInt64), uint32(0)
		for _, e := range d.index[k] {
			dd := kstDay(d.base + int64(e>>32))
			if dd != dayOf {
				dayOf, seq = dd, 0
			}
			seq++
			d.items[uint32(e)].claimSeq = seq
		}
	}
}

// orderByID returns the index of the order with the given KST day number and sequence.
func (d *dataset) orderByID(dayNo int64, seq uint32) (uint32, bool) {
	dd := dayNo - d.firstDay
	if dd < 0 || dd >= int64(len(d.dayFirst)-1) || seq == 0 {
		return 0, false
	}
	i := uint64(d.dayFirst[dd]) + uint64(seq) - 1
	if i >= uint64(d.dayFirst[dd+1]) {
		return 0, false
	}
	return uint32(i), true
}

// pick draws a percentage and returns the index of the first cumulative bound above it: with
// bounds 45, 92 it returns 0 for 45%, 1 for 47% and 2 for the remaining 8%.
func pick(r *rand.Rand, bounds ...int) int {
	u := r.IntN(100)
	for i, b := range bounds {
		if u < b {
			return i
		}
	}
	return len(bounds)
}
