package mallsync

import "time"

// WriteAction is what a write-back asks a platform to do.
type WriteAction string

// The write-backs. Claim steps name the claim (WriteBack.ClaimID); requests name the lines.
const (
	// WriteShip registers an invoice (carrier and tracking number) for lines: they ship.
	WriteShip WriteAction = "ship"
	// WriteCorrectInvoice replaces a shipment's carrier and tracking number.
	WriteCorrectInvoice WriteAction = "correct_invoice"
	// WriteMarkDelivered records a shipment's delivery.
	WriteMarkDelivered WriteAction = "mark_delivered"
	// WriteAcceptCancel accepts a buyer's cancellation request: the lines are cancelled.
	WriteAcceptCancel WriteAction = "accept_cancel"
	// WriteRejectCancel rejects it: the lines go on to be shipped.
	WriteRejectCancel WriteAction = "reject_cancel"
	// WriteAcceptReturn and WriteRejectReturn answer a buyer's return request.
	WriteAcceptReturn WriteAction = "accept_return"
	WriteRejectReturn WriteAction = "reject_return"
	// WriteReturnCollected records the return's pickup; WriteReturnCompleted completes it.
	WriteReturnCollected WriteAction = "return_collected"
	WriteReturnCompleted WriteAction = "return_completed"
	// WriteAcceptExchange and WriteRejectExchange answer a buyer's exchange request.
	WriteAcceptExchange WriteAction = "accept_exchange"
	WriteRejectExchange WriteAction = "reject_exchange"
	// WriteExchangeCollected records the exchange's pickup; WriteExchangeCompleted completes it.
	WriteExchangeCollected WriteAction = "exchange_collected"
	WriteExchangeCompleted WriteAction = "exchange_completed"
	// WriteWithdrawClaim withdraws a claim (반품 철회 and the like): the lines go back to
	// their status before it.
	WriteWithdrawClaim WriteAction = "withdraw_claim"
	// WriteConfirmOrder confirms lines for dispatch (발주확인; Coupang's acknowledgement,
	// 상품준비중): the seller has taken the order and is preparing it. It names the lines.
	WriteConfirmOrder WriteAction = "confirm_order"
	// WriteDelayDispatch tells the buyer the lines will leave late (발송지연): a new dispatch due
	// date (WriteBack.DueAt) and a reason (ReasonCode, and Reason in words).
	WriteDelayDispatch WriteAction = "delay_dispatch"
	// WriteHoldReturn holds a return back (반품 보류) before it completes, with a reason
	// (ReasonCode, Reason) and what the seller charges for it (ExtraFee): the return does not
	// complete until the hold is released.
	WriteHoldReturn WriteAction = "hold_return"
	// WriteReleaseReturnHold releases a return's hold (반품 보류 해제): it may complete again.
	WriteReleaseReturnHold WriteAction = "release_return_hold"
)

// WriteBack is one change mallsync asks a mall's platform to make.
type WriteBack struct {
	Action  WriteAction
	OrderID string // the platform's order id
	// ClaimID and ClaimKind name the claim of a claim step.
	ClaimID   string
	ClaimKind ClaimKind
	// Lines are the lines it is about: for WriteShip (all the order's shippable lines when
	// empty) and for answers to requests.
	Lines []WriteLine
	// ShipmentID names the shipment of WriteCorrectInvoice and WriteMarkDelivered (Cafe24
	// shipping_code).
	ShipmentID string
	// CarrierCode and TrackingNo are the invoice of WriteShip and WriteCorrectInvoice.
	CarrierCode string
	TrackingNo  string
	// Reason goes with a rejection, a delay (WriteDelayDispatch) or a hold (WriteHoldReturn),
	// in words the buyer may read.
	Reason string
	// ReasonCode is the platform's code for the reason where it wants one (empty for its
	// catch-all, ETC on SmartStore): for WriteDelayDispatch SmartStore's delayedDispatchReason
	// (PRODUCT_PREPARE, CUSTOMER_REQUEST, CUSTOM_BUILD, RESERVED_DISPATCH, OVERSEA_DELIVERY,
	// ETC), for WriteHoldReturn its holdbackClassType (RETURN_DELIVERYFEE, EXTRAFEEE,
	// RETURN_DELIVERYFEE_AND_EXTRAFEEE, RETURN_PRODUCT_NOT_DELIVERED, ETC).
	ReasonCode string
	// DueAt is the new dispatch due date of WriteDelayDispatch.
	DueAt time.Time
	// ExtraFee is what the seller charges the buyer with WriteHoldReturn (SmartStore's
	// extraReturnFeeAmount); 0 for none.
	ExtraFee Money
}

// WriteLine is a line of a write-back and its quantity (0 = the whole line).
type WriteLine struct {
	PlatformLineID string
	Quantity       int
}

// WriteResult says how one WriteBack went. A write-back is idempotent: asked again after it
// took effect, it comes back Done and AlreadyDone.
type WriteResult struct {
	// Done is true when the platform holds what was asked.
	Done bool
	// AlreadyDone is true when it held it before this call.
	AlreadyDone bool
	// Code and Message say why it was refused (Code a mallsync error code, EINVALID for a
	// refusal by the platform: wrong state, bad invoice...).
	Code    string
	Message string
}
