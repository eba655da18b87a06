package smartstoresim

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Times inside the simulator are Unix milliseconds (UTC).
const (
	second = int64(1000)
	minute = 60 * second
	hour   = 60 * minute
	day    = 24 * hour
)

// The product order statuses (productOrderStatus).
const (
	stPaymentWaiting = "PAYMENT_WAITING"
	stPayed          = "PAYED"
	stDelivering     = "DELIVERING"
	stDelivered      = "DELIVERED"
	stDecided        = "PURCHASE_DECIDED"
	stExchanged      = "EXCHANGED"
	stCanceled       = "CANCELED"
	stReturned       = "RETURNED"
	stNoPayment      = "CANCELED_BY_NOPAYMENT"
)

// The lastChangedType values the simulator reports. 발주확인, 배송완료, the start of a pickup
// and a holdback are not among Naver's change types: they change the product order without
// moving its lastChangedDate (typ "" below).
const (
	chPayWaiting      = "PAY_WAITING"
	chPayed           = "PAYED"
	chDispatched      = "DISPATCHED"
	chClaimRequested  = "CLAIM_REQUESTED"
	chClaimRejected   = "CLAIM_REJECTED" // 클레임 철회: a withdrawal by the buyer, or a rejection
	chCollectDone     = "COLLECT_DONE"
	chClaimCompleted  = "CLAIM_COMPLETED"
	chPurchaseDecided = "PURCHASE_DECIDED"
	chHoldbackRelease = "CLAIM_HOLDBACK_RELEASED"
	chRedelivering    = "CLAIM_REDELIVERING"
)

// The claim types.
const (
	claimCancel   = "CANCEL"
	claimReturn   = "RETURN"
	claimExchange = "EXCHANGE"
)

// claim is one claim on a product order, as its block in currentClaim / completedClaims shows.
type claim struct {
	ID        string
	Type      string // CANCEL, RETURN, EXCHANGE
	Status    string // claimStatus
	Requested int64
	Channel   string
	Reason    string
	Detail    string

	CollectStatus   string
	CollectCompany  string
	CollectTracking string
	CollectDone     int64

	Holdback       string // "", HOLDBACK, RELEASED (holdbackStatus)
	HoldbackClass  string // holdbackReason: RETURN_DELIVERYFEE, EXTRAFEEE, … (the holdbackClassType it was held with)
	HoldbackReason string // holdbackDetailedReason
	HoldbackFee    int64  // etcFeeDemandAmount (extraReturnFeeAmount)
	HoldbackSet    int64  // holdbackConfigDate
	HoldbackFreed  int64  // holdbackReleaseDate

	RedeliveryStatus   string
	RedeliveryCompany  string
	RedeliveryTracking string
	Redelivered        int64

	Completed int64 // when it ended (done, rejected or withdrawn)
	Prior     string
}

// final reports whether the claim ended on one of its final steps (not withdrawn).
func (c *claim) final() bool {
	switch c.Status {
	case "CANCEL_DONE", "CANCEL_REJECT", "RETURN_DONE", "RETURN_REJECT", "EXCHANGE_DONE", "EXCHANGE_REJECT":
		return true
	}
	return false
}

// state is a product order's state after an event.
type state struct {
	Status      string
	PlaceOK     bool
	Placed      int64
	DueDate     int64
	Delayed     string // delayedDispatchReason
	DelayDetail string // delayedDispatchDetailedReason
	Carrier     string
	Tracking    string
	Sent        int64
	Arrived     int64
	Decided     int64
	Claim       *claim
	Done        []claim
}

// clone returns a deep copy.
func (s state) clone() state {
	if s.Claim != nil {
		c := *s.Claim
		s.Claim = &c
	}
	s.Done = slices.Clone(s.Done)
	return s
}

// tried reports whether the product order had a claim of one of types.
func (s *state) tried(types ...string) bool {
	if s.Claim != nil && slices.Contains(types, s.Claim.Type) {
		return true
	}
	for _, c := range s.Done {
		if slices.Contains(types, c.Type) {
			return true
		}
	}
	return false
}

// end moves the open claim to the completed ones at t with its status as it is.
func (s *state) end(t int64) {
	c := *s.Claim
	c.Completed = t
	s.Done = append(s.Done, c)
	s.Claim = nil
}

// event is one change of a product order: at is its lastChangedDate; typ its lastChangedType
// ("" for changes Naver does not report as a change type). lateU and lateD decide whether it
// shows late (see Server.visible); gone marks a planned event that a write made void.
type event struct {
	at    int64
	typ   string
	st    state
	lateU float64
	lateD int64
	gone  bool
}

var (
	carriers = []string{"CJGLS", "HYUNDAI", "HANJIN", "KGB", "EPOST"}
	reasons  = map[string][]string{
		claimCancel:   {"INTENT_CHANGED", "WRONG_ORDER", "DELAYED_DELIVERY", "SOLD_OUT"},
		claimReturn:   {"INTENT_CHANGED", "PRODUCT_UNSATISFIED", "BROKEN", "WRONG_DELIVERY", "INCORRECT_INFO"},
		claimExchange: {"COLOR_AND_SIZE", "WRONG_OPTION", "BROKEN", "WRONG_DELIVERY"},
	}
	details = []string{"단순 변심입니다", "사이즈가 맞지 않아요", "상품이 파손되어 도착했어요", "다른 상품이 왔어요", "배송이 너무 늦어요"}
)

// planner writes the events of one product order from a state on, drawing from r.
type planner struct {
	r      *rand.Rand
	po     *productOrder
	claims int // claims opened so far (for their ids)
	out    []event
	at     int64
	st     state
}

func (p *planner) between(lo, hi int64) int64 { return lo + p.r.Int64N(hi-lo+1) }

func (p *planner) chance(pct int) bool { return p.r.IntN(100) < pct }

// emit adds the event of typ after d, changed by f.
func (p *planner) emit(typ string, d int64, f func(*state)) {
	p.at += d
	p.st = p.st.clone()
	f(&p.st)
	p.out = append(p.out, event{at: p.at, typ: typ, st: p.st, lateU: p.r.Float64(), lateD: 1 + p.r.Int64N(1<<30)})
}

func (p *planner) openClaim(typ string) *claim {
	p.claims++
	rs := reasons[typ]
	return &claim{ID: fmt.Sprintf("%s%02d", p.po.id, p.claims), Type: typ, Requested: p.at, Channel: "구매자",
		Reason: rs[p.r.IntN(len(rs))], Detail: details[p.r.IntN(len(details))], Prior: p.st.Status}
}

// run plans the natural course of the product order from p.st at p.at to its end: the buyer's
// claims and withdrawals, the carrier, and the seller's own steps (as if taken in Naver's
// seller center). Every step Naver does not report as a change type (typ "") follows the
// product order's last reported change by less than three days.
func (p *planner) run() []event {
	for range 40 {
		st := &p.st
		c := st.Claim
		switch {
		case st.Status == stPayed && c == nil:
			if !st.tried(claimCancel) && p.chance(8) {
				p.emit(chClaimRequested, p.between(10*minute, 20*hour), func(s *state) {
					s.Claim = p.openClaim(claimCancel)
					s.Claim.Status, s.Claim.Requested = "CANCEL_REQUEST", p.at
				})
				continue
			}
			if !st.PlaceOK {
				p.emit("", p.between(20*minute, 20*hour), func(s *state) { s.PlaceOK, s.Placed = true, p.at })
				continue
			}
			p.emit(chDispatched, p.between(2*hour, 40*hour), p.dispatch)
		case st.Status == stPayed && c.Type == claimCancel:
			switch u := p.r.IntN(100); {
			case u < 70:
				p.emit(chClaimCompleted, p.between(30*minute, 12*hour), func(s *state) {
					s.Claim.Status, s.Status = "CANCEL_DONE", stCanceled
					s.end(p.at)
				})
				return p.out
			case u < 85: // 취소 철회 by the buyer: back to where it was
				p.emit(chClaimRejected, p.between(20*minute, 6*hour), func(s *state) { s.Status = s.Claim.Prior; s.end(p.at) })
			default: // the seller rejects it by dispatching
				p.emit(chDispatched, p.between(1*hour, 6*hour), func(s *state) {
					s.Claim.Status = "CANCEL_REJECT"
					s.end(p.at)
					p.dispatch(s)
				})
			}
		case st.Status == stDelivering:
			p.emit("", p.between(12*hour, 60*hour), func(s *state) { s.Status, s.Arrived = stDelivered, p.at })
		case st.Status == stDelivered && c == nil:
			if !st.tried(claimReturn, claimExchange) {
				switch u := p.r.IntN(100); {
				case u < 9:
					p.emit(chClaimRequested, p.between(3*hour, 3*day), func(s *state) {
						s.Claim = p.openClaim(claimReturn)
						s.Claim.Status, s.Claim.CollectStatus = "RETURN_REQUEST", "NOT_REQUESTED"
					})
					continue
				case u < 15:
					p.emit(chClaimRequested, p.between(3*hour, 3*day), func(s *state) {
						s.Claim = p.openClaim(claimExchange)
						s.Claim.Status, s.Claim.CollectStatus = "EXCHANGE_REQUEST", "NOT_REQUESTED"
					})
					continue
				}
			}
			p.emit(chPurchaseDecided, p.between(1*day, 8*day), func(s *state) { s.Status, s.Decided = stDecided, p.at })
			return p.out
		case st.Status == stDelivered:
			if !p.claimStep() {
				return p.out
			}
		default: // PURCHASE_DECIDED, CANCELED, RETURNED, EXCHANGED, CANCELED_BY_NOPAYMENT
			return p.out
		}
	}
	return p.out
}

// dispatch is the seller's 발송처리: the product order leaves with a parcel.
func (p *planner) dispatch(s *state) {
	s.Status, s.Sent = stDelivering, p.at
	s.PlaceOK = true
	if s.Placed == 0 {
		s.Placed = p.at
	}
	s.Carrier, s.Tracking = carriers[p.po.carrier], p.po.tracking(1)
}

// claimStep moves an open return or exchange on by one step; false when no step follows (a
// write left the claim where the plan has none).
func (p *planner) claimStep() bool {
	c := p.st.Claim
	withdraw := func() {
		p.emit(chClaimRejected, p.between(1*hour, 20*hour), func(s *state) { s.Status = s.Claim.Prior; s.end(p.at) })
	}
	switch {
	case c.Status == "RETURN_REQUEST" || c.Status == "EXCHANGE_REQUEST":
		if p.chance(12) {
			withdraw()
			return true
		}
		p.emit("", p.between(1*hour, 20*hour), func(s *state) {
			s.Claim.Status, s.Claim.CollectStatus = "COLLECTING", "COLLECTING"
			s.Claim.CollectCompany, s.Claim.CollectTracking = carriers[p.po.carrier], p.po.tracking(2)
		})
	case c.Status == "COLLECTING":
		if c.Type == claimReturn && p.chance(5) {
			withdraw()
			return true
		}
		p.emit(chCollectDone, p.between(12*hour, 48*hour), func(s *state) {
			s.Claim.Status, s.Claim.CollectStatus, s.Claim.CollectDone = "COLLECT_DONE", "COLLECT_DONE", p.at
		})
	case c.Status == "COLLECT_DONE" && c.Holdback == "" && p.chance(20):
		p.emit("", p.between(1*hour, 12*hour), func(s *state) {
			s.Claim.Holdback, s.Claim.HoldbackSet = "HOLDBACK", p.at
			s.Claim.HoldbackClass, s.Claim.HoldbackReason = "RETURN_DELIVERYFEE", "반품 배송비 청구"
			if s.Claim.Type == claimExchange {
				s.Claim.HoldbackClass, s.Claim.HoldbackReason = "EXCHANGE_DELIVERYFEE", "교환 배송비 청구"
			}
		})
	case c.Status == "COLLECT_DONE" && c.Holdback == "HOLDBACK":
		p.emit(chHoldbackRelease, p.between(6*hour, 24*hour), func(s *state) { s.Claim.Holdback, s.Claim.HoldbackFreed = "RELEASED", p.at })
	case c.Status == "COLLECT_DONE" && c.Type == claimReturn:
		if p.chance(10) {
			p.emit(chClaimRejected, p.between(2*hour, 24*hour), func(s *state) {
				s.Claim.Status, s.Status = "RETURN_REJECT", s.Claim.Prior
				s.end(p.at)
			})
			return true
		}
		p.emit(chClaimCompleted, p.between(2*hour, 24*hour), func(s *state) {
			s.Claim.Status, s.Status = "RETURN_DONE", stReturned
			s.end(p.at)
		})
	case c.Status == "COLLECT_DONE": // an exchange
		if p.chance(10) {
			p.emit(chClaimRejected, p.between(2*hour, 24*hour), func(s *state) {
				s.Claim.Status, s.Status = "EXCHANGE_REJECT", s.Claim.Prior
				s.end(p.at)
			})
			return true
		}
		p.emit(chRedelivering, p.between(2*hour, 24*hour), func(s *state) {
			s.Claim.Status, s.Claim.RedeliveryStatus = "EXCHANGE_REDELIVERING", "DELIVERING"
			s.Claim.RedeliveryCompany, s.Claim.RedeliveryTracking, s.Claim.Redelivered = carriers[p.po.carrier], p.po.tracking(3), p.at
		})
	case c.Status == "EXCHANGE_REDELIVERING":
		p.emit(chClaimCompleted, p.between(1*day, 3*day), func(s *state) {
			s.Claim.Status, s.Claim.RedeliveryStatus, s.Status = "EXCHANGE_DONE", "DELIVERY_COMPLETION", stExchanged
			s.end(p.at)
		})
	default:
		return false
	}
	return true
}
