package cafe24sim

import "math"

// Item status codes (order_status) the simulator produces.
const (
	stN00 uint8 = iota // 입금전
	stN10              // 상품준비중 (paid)
	stN20              // 배송준비중 (발주)
	stN30              // 배송중
	stN40              // 배송완료
	stN50              // 구매확정
	stN01              // 교환접수 - 교환상품 (an exchange's replacement, before it is placed)
	stC00              // 취소신청
	stC40              // 취소완료
	stC11              // 취소접수거부 (until the item ships)
	stR00              // 반품신청
	stR10              // 반품접수
	stR11              // 반품 접수 거부
	stR12              // 반품보류
	stR20              // 반품 수거 완료
	stR40              // 반품완료
	stE00              // 교환신청
	stE10              // 교환접수
	stE11              // 교환접수거부
	stE12              // 교환보류
	stE31              // 교환처리중 - 수거완료
	stE40              // 교환완료
	numStatuses
)

var statusCodes = [numStatuses]string{"N00", "N10", "N20", "N30", "N40", "N50", "N01", "C00", "C40", "C11",
	"R00", "R10", "R11", "R12", "R20", "R40", "E00", "E10", "E11", "E12", "E31", "E40"}

// isClaimStatus reports whether st is a claim step (C, R or E code).
func isClaimStatus(st uint8) bool { return st >= stC00 }

// returnSteps and exchangeSteps give, furthest first, the event that puts an item with a
// return or exchange into each claim status.
var (
	returnSteps = [...]struct {
		k  evKind
		st uint8
	}{{evRejected, stR11}, {evReturned, stR40}, {evPickedUp, stR20}, {evHeld, stR12}, {evReturnAcc, stR10}, {evReturnReq, stR00}}
	exchangeSteps = [...]struct {
		k  evKind
		st uint8
	}{{evRejected, stE11}, {evExchanged, stE40}, {evPickedUp, stE31}, {evHeld, stE12}, {evExchangeAcc, stE10}, {evExchangeReq, stE00}}
)

// view is the dataset as seen at one instant: which events are visible. An event carrying
// time t is visible when t ≤ now, or t+lateBy ≤ now when the LateRate fault picked it.
type view struct {
	d       *dataset
	now     int64  // the clock, in seconds after d.base
	lateThr uint64 // an event is late when its hash < lateThr; 0 = no late events
	lateBy  int64  // seconds
	lateKey uint64

	oid    [16]byte // cache of appendOrderID
	oidFor uint32
	oidOK  bool
}

func newView(d *dataset, clockUnix int64, f Faults) view {
	v := view{d: d, now: clockUnix - d.base, lateKey: mix(d.seed ^ 0x1a7e1a7e)}
	if f.LateRate > 0 && f.LateBy > 0 {
		v.lateBy = int64(math.Ceil(f.LateBy.Seconds()))
		if f.LateRate >= 1 {
			v.lateThr = math.MaxUint64
		} else {
			v.lateThr = uint64(f.LateRate * (1 << 63) * 2)
		}
	}
	return v
}

// Keys for lateness: order events and item events hash different key spaces.
func orderKey(oi uint32, k evKind) uint64 { return uint64(oi)<<4 | uint64(k) }
func itemKey(ii uint32, k evKind) uint64  { return 1<<63 | uint64(ii)<<4 | uint64(k) }

// visibleAt returns when the event carrying time t with lateness key becomes visible.
func (v *view) visibleAt(t int32, key uint64) int64 {
	vt := int64(t)
	if v.lateThr != 0 && mix(v.lateKey^key) < v.lateThr {
		vt += v.lateBy
	}
	return vt
}

func (v *view) shown(t int32, key uint64) bool {
	if t == never || int64(t) > v.now {
		return false
	}
	return v.visibleAt(t, key) <= v.now
}

// orderShown reports whether the order exists yet.
func (v *view) orderShown(oi uint32) bool {
	return v.shown(v.d.orders[oi].at, orderKey(oi, evOrdered))
}

// paidShown reports whether the order's payment is visible (the order must be shown).
func (v *view) paidShown(oi uint32) bool {
	return v.shown(v.d.orders[oi].pay, orderKey(oi, evPaid))
}

// itemShown reports whether item event k of item ii is visible (the order must be shown).
func (v *view) itemShown(ii uint32, k evKind) bool {
	return v.shown(v.d.items[ii].ev[k-evPlaced], itemKey(ii, k))
}

// exists reports whether item ii is a line of its order as of the view: every item is, but an
// exchange's replacement only once the exchange's acceptance is visible.
func (v *view) exists(ii uint32) bool {
	it := &v.d.items[ii]
	return it.origin == 0 || v.itemShown(v.d.orders[it.order].first+uint32(it.origin-1), evExchangeAcc)
}

// itemState is an item as of the view: its status and which of its events are visible.
type itemState struct {
	status uint8
	shown  uint32 // bit k-evPlaced set when item event k is visible
	// absent is set on a replacement whose exchange is not accepted (yet): the order does not
	// have that line.
	absent bool
}

func (s itemState) has(k evKind) bool { return s.shown&(1<<(k-evPlaced)) != 0 }

// state returns item ii's state; paid says whether its order's payment is visible. The
// status is that of the furthest visible event in the item's lifecycle.
func (v *view) state(ii uint32, paid bool) itemState {
	var s itemState
	if !v.exists(ii) {
		return itemState{absent: true}
	}
	for k := evPlaced; k < numKinds; k++ {
		if v.itemShown(ii, k) {
			s.shown |= 1 << (k - evPlaced)
		}
	}
	if it := &v.d.items[ii]; it.claim >= claimReturn && !s.has(evUndone) {
		steps := returnSteps
		if it.claim == claimExchange {
			steps = exchangeSteps
		}
		for _, st := range steps {
			if s.has(st.k) {
				s.status = st.st
				return s
			}
		}
	}
	cancelRejected := v.d.items[ii].claim == claimCancel && s.has(evRejected)
	switch {
	case s.has(evCanceled):
		s.status = stC40
	case cancelRejected && !s.has(evShipped):
		s.status = stC11
	case s.has(evCancelReq) && !s.has(evUndone) && !cancelRejected:
		s.status = stC00
	case s.has(evConfirmed):
		s.status = stN50
	case s.has(evDelivered):
		s.status = stN40
	case s.has(evShipped):
		s.status = stN30
	case s.has(evPlaced):
		s.status = stN20
	case v.d.items[ii].origin != 0:
		s.status = stN01
	case paid:
		s.status = stN10
	default:
		s.status = stN00
	}
	return s
}

// shippingStatus derives the order's shipping_status from its items' states: T when every
// item not cancelled is delivered or confirmed, M when any has shipped, F otherwise.
func shippingStatus(states []itemState) byte {
	active, shipped, delivered := 0, 0, 0
	for _, s := range states {
		if s.absent {
			continue
		}
		switch s.status {
		case stC00, stC40:
			continue
		case stN30:
			shipped++
		case stN40, stN50:
			shipped++
			delivered++
		default:
			if s.status >= stR00 { // returns and exchanges are of delivered items
				shipped++
				delivered++
			}
		}
		active++
	}
	switch {
	case active > 0 && delivered == active:
		return 'T'
	case shipped > 0:
		return 'M'
	default:
		return 'F'
	}
}
