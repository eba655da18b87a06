package mallsync

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
	// Reason goes with a rejection.
	Reason string
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
