// Package coupangsim is a Coupang WING Open API simulator: a real net/http server that
// checks the CEA HMAC signature of every call the way the gateway does (a wrong signature or
// a signed-date more than five minutes off both the simulated clock and the wall clock is
// refused), limits a vendor to 10 calls a second across every API (429, then a block), and
// injects faults on every API (Faults: 429, 5xx, slow and truncated answers, list rows
// repeated across pages, claims that show late, write answers lost after the write took
// effect). Its data set is deterministic (seed, orders, period), its clock moves only when
// told to, and its ground truth (Truth: lines, claims, shipments, with Diff, DiffClaims and
// DiffShipments) is what a synced store must equal.
//
// Built: order sheets (lists by status in windows ≤ 31 days, the single sheet, which still
// answers for cancelled and returned boxes) through ACCEPT → INSTRUCT → DEPARTURE →
// DELIVERING → FINAL_DELIVERY (or NONE_TRACKING); claims drawn from the seed, at most one a
// box: cancels at the paid stage (receiptType CANCEL, listed with cancelType=CANCEL and no
// status), stop-shipment requests after INSTRUCT (RU, resolved by the vendor's write or by
// itself within hours: stopped, or 이미출고 and then a return), returns after delivery (UC,
// VENDOR_WAREHOUSE_CONFIRM, some REQUEST_COUPANG_CHECK, CC; some withdrawn by the buyer, then
// listed in returnWithdrawRequests and no longer in returnRequests), partial quantities, and
// exchanges (RECEIPT → PROGRESS → SUCCESS with a replacement box, some REJECT, some CANCEL by
// the buyer). Boxes taken whole leave the order-sheet lists; the others list shippingCount −
// (holdCountForCancel + cancelCount). Endpoints: returnRequests (v6; and one receipt, v4),
// returnWithdrawRequests, exchangeRequests, and the writes: acknowledgement, invoices,
// updateInvoices, stoppedShipment, completedShipment, receiveConfirmation, approval, exchange
// receiveConfirmation, invoices and rejection, and the seller's cancel (PUT steps also take
// PATCH).
//
// Not built: the order-sheet history endpoint, products, settlements, the HTML 403 page after
// many failed calls, returns of a box that already had a claim, and Coupang's own answers to
// a return the vendor never approves (the simulator approves it itself).
package coupangsim
