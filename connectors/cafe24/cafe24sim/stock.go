package cafe24sim

import (
	"slices"
	"sort"
	"strconv"
)

// Stock. Every variant starts with 20 to 79 units and a safety stock of 5 to 14. A sale takes
// the item's quantity when its order is paid; a completed cancellation or return puts it back
// (recover_inventory). Every day at 10:00 KST the supplier restocks each variant that fell
// below its safety stock by three times the safety stock plus ten. Stock follows the true
// event times: it is what the inventory endpoints say now, without the lateness of order
// lists (Faults.LateRate). An exchange's replacement moves no stock here.

const maxVariants = 8 // newCatalog caps the variants of a product at 8

// stockPoint is a variant's quantity from time t on.
type stockPoint struct{ t, qty int32 }

// stockLedger holds every variant's quantity over time. Slot p*maxVariants+v is variant v of
// product p.
type stockLedger struct {
	initial, safety []int32
	first           []uint32 // points[first[s]:first[s+1]] are slot s's changes, by time
	points          []stockPoint
}

// stockChange is a sale (negative) or a recovery (positive) of a slot at a time, or, with
// set, the quantity a seller put (PUT .../inventories).
type stockChange struct {
	slot  uint32
	t     int32
	delta int32
	set   bool
}

// buildStock runs every variant's stock through the data set's sales, recoveries and restocks.
func (d *dataset) buildStock() {
	slots := len(d.catalog) * maxVariants
	l := stockLedger{initial: make([]int32, slots), safety: make([]int32, slots), first: make([]uint32, slots+1)}
	for s := range slots {
		h := mix(d.seed ^ 0x570c ^ uint64(s)<<20)
		l.initial[s] = 20 + int32(h%60)
		l.safety[s] = 5 + int32(h>>8%10)
	}
	var changes []stockChange
	for ii := range d.items {
		it := &d.items[ii]
		slot := uint32(it.product)*maxVariants + uint32(it.variant)
		if pay := d.orders[it.order].pay; pay != never && it.origin == 0 {
			changes = append(changes, stockChange{slot, pay, -int32(it.qty), false})
		}
		for _, k := range []evKind{evCanceled, evReturned} {
			if t := it.ev[k-evPlaced]; t != never {
				changes = append(changes, stockChange{slot, t, int32(it.qty), false})
			}
		}
	}
	changes = append(changes, d.stockSets...)
	slices.SortStableFunc(changes, func(a, b stockChange) int {
		if a.slot != b.slot {
			return int(a.slot) - int(b.slot)
		}
		return int(a.t) - int(b.t)
	})
	c := 0
	for s := range slots {
		l.first[s] = uint32(len(l.points))
		qty, safety := l.initial[s], l.safety[s]
		check := d.nextRestock(-1)
		restockUntil := func(t int32) { // restock checks strictly before t
			for check < t {
				if qty < safety {
					qty += 3*safety + 10
					l.points = append(l.points, stockPoint{check, qty})
				}
				check = d.nextRestock(check)
			}
		}
		for ; c < len(changes) && changes[c].slot == uint32(s); c++ {
			ch := changes[c]
			restockUntil(ch.t)
			if ch.set {
				qty = ch.delta
			} else {
				qty += ch.delta
			}
			if n := len(l.points); n > 0 && l.points[n-1].t == ch.t && int(l.first[s]) < n {
				l.points[n-1].qty = qty
			} else {
				l.points = append(l.points, stockPoint{ch.t, qty})
			}
		}
		for qty < safety { // the last restocks after the last sale
			restockUntil(check + 1)
		}
	}
	l.first[slots] = uint32(len(l.points))
	d.stock = l
}

// nextRestock returns the first 10:00 KST strictly after t (seconds after base).
func (d *dataset) nextRestock(t int32) int32 {
	k := d.base + int64(t) + kstOffset // KST seconds
	b := floorDiv(k, day)*day + 10*hour
	if b <= k {
		b += day
	}
	return int32(b - kstOffset - d.base)
}

// quantity returns variant v of product p's stock as of now (seconds after base).
func (l *stockLedger) quantity(p, v int, now int64) int32 {
	s := p*maxVariants + v
	pts := l.points[l.first[s]:l.first[s+1]]
	i := sort.Search(len(pts), func(i int) bool { return int64(pts[i].t) > now })
	if i == 0 {
		return l.initial[s]
	}
	return pts[i-1].qty
}

// TruthStock is one variant's stock as of the clock.
type TruthStock struct {
	ProductNo   string
	VariantCode string
	Quantity    int
}

// truthStock lists every variant's stock, by variant code.
func (v *view) truthStock() []TruthStock {
	var out []TruthStock
	for p := range v.d.catalog {
		prod := &v.d.catalog[p]
		for vi := range prod.variants {
			out = append(out, TruthStock{ProductNo: strconv.Itoa(prod.no), VariantCode: prod.variants[vi].code,
				Quantity: int(v.d.stock.quantity(p, vi, v.now))})
		}
	}
	slices.SortFunc(out, func(a, b TruthStock) int {
		if a.VariantCode < b.VariantCode {
			return -1
		}
		if a.VariantCode > b.VariantCode {
			return 1
		}
		return 0
	})
	return out
}
