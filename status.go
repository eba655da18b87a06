package mallsync

// LineStatus is the unified status of an order line, the same for every platform. The
// platform's own code is kept beside it (OrderLine.PlatformStatus).
type LineStatus string

// The unified line statuses, in the order a line normally moves through them.
const (
	LinePendingPayment LineStatus = "pending_payment" // 입금전
	LinePaid           LineStatus = "paid"            // 결제완료
	LinePreparing      LineStatus = "preparing"       // 상품준비중 / 배송준비중
	LineShipped        LineStatus = "shipped"         // 배송중
	LineDelivered      LineStatus = "delivered"       // 배송완료
	LineConfirmed      LineStatus = "confirmed"       // 구매확정
	LineCanceled       LineStatus = "canceled"        // 취소
	LineReturned       LineStatus = "returned"        // 반품
	LineExchanged      LineStatus = "exchanged"       // 교환
)

// LineStatuses lists every unified line status, in display order.
var LineStatuses = []LineStatus{
	LinePendingPayment, LinePaid, LinePreparing, LineShipped, LineDelivered, LineConfirmed,
	LineCanceled, LineReturned, LineExchanged,
}

// Valid reports whether s is one of the unified line statuses.
func (s LineStatus) Valid() bool {
	for _, v := range LineStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// ClaimKind is the kind of a claim on order lines.
type ClaimKind string

// The claim kinds.
const (
	ClaimCancel   ClaimKind = "cancel"   // 취소
	ClaimReturn   ClaimKind = "return"   // 반품
	ClaimExchange ClaimKind = "exchange" // 교환
)

// Valid reports whether k is a known claim kind.
func (k ClaimKind) Valid() bool {
	return k == ClaimCancel || k == ClaimReturn || k == ClaimExchange
}

// ClaimStatus is the unified status of a claim.
type ClaimStatus string

// The unified claim statuses.
const (
	ClaimRequested  ClaimStatus = "requested"
	ClaimAccepted   ClaimStatus = "accepted"
	ClaimCollecting ClaimStatus = "collecting"
	ClaimCollected  ClaimStatus = "collected"
	ClaimInspecting ClaimStatus = "inspecting"
	ClaimApproved   ClaimStatus = "approved"
	ClaimRejected   ClaimStatus = "rejected"
	ClaimCompleted  ClaimStatus = "completed"
	ClaimWithdrawn  ClaimStatus = "withdrawn"
	ClaimOnHold     ClaimStatus = "on_hold"
)

// ClaimStatuses lists every unified claim status.
var ClaimStatuses = []ClaimStatus{
	ClaimRequested, ClaimAccepted, ClaimCollecting, ClaimCollected, ClaimInspecting,
	ClaimApproved, ClaimRejected, ClaimCompleted, ClaimWithdrawn, ClaimOnHold,
}

// Valid reports whether s is one of the unified claim statuses.
func (s ClaimStatus) Valid() bool {
	for _, v := range ClaimStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// StatusRule says what one platform status code means in unified terms. It is data, loaded
// from mappings/platforms/<platform>.yaml, so a person can read and correct it.
type StatusRule struct {
	// Code is the platform's code, e.g. Cafe24 "N30".
	Code string
	// Label is the platform's own name for the code, for people ("배송중").
	Label string
	// Line is the unified line status. Empty when KeepsPriorStatus is set.
	Line LineStatus
	// KeepsPriorStatus is set for claim steps that do not change the line itself (a return
	// requested on a delivered line leaves it delivered): the line takes the unified status of
	// the platform's "status before the claim" field (Cafe24 order_status_before_cs).
	KeepsPriorStatus bool
	// ClaimKind and ClaimStatus are set when the code is a claim step.
	ClaimKind   ClaimKind
	ClaimStatus ClaimStatus
}

// StatusMap maps one platform's status codes to unified statuses.
type StatusMap struct {
	Platform Platform
	Rules    map[string]StatusRule
}

// Lookup returns the rule for code and whether there is one.
func (m StatusMap) Lookup(code string) (StatusRule, bool) {
	r, ok := m.Rules[code]
	return r, ok
}

// LineStatusOf resolves a platform status to a unified line status. prior is the platform's
// "status before the claim" code, used when the rule for code keeps the prior status. It
// returns EINVALID when a code is unknown or the prior status is needed but missing.
func (m StatusMap) LineStatusOf(code, prior string) (LineStatus, StatusRule, error) {
	r, ok := m.Rules[code]
	if !ok {
		return "", r, Errorf(EINVALID, "unknown %s status code %q", m.Platform, code)
	}
	if !r.KeepsPriorStatus {
		return r.Line, r, nil
	}
	p, ok := m.Rules[prior]
	if !ok || p.KeepsPriorStatus {
		return "", r, Errorf(EINVALID, "%s status %q needs the status before the claim, got %q", m.Platform, code, prior)
	}
	return p.Line, r, nil
}
