// Package smartstoresim is a Naver SmartStore (Commerce API) simulator: a real net/http
// server over a generated mall whose clock moves only when told to (simclock), for tests,
// `mallsync dev` and benchmarks.
//
// # What it serves
//
//   - POST /v1/oauth2/token: the client-credentials grant. client_secret_sign is checked
//     with golang.org/x/crypto/bcrypt (independently of the connector's signer), the
//     timestamp must be within five minutes of the simulated clock or the wall clock, and
//     the same token comes back while it has 30 minutes or more left. Tokens live 3 hours of
//     simulated time.
//   - GET /v1/pay-order/seller/product-orders/last-changed-statuses: lastChangedFrom required
//     and inclusive, lastChangedTo inclusive and defaulting to From + 24h, a wider range
//     refused (400 with code, message, timestamp, traceId and invalidInputs), at most 300 rows a
//     page (a larger limitCount gets 300, as Naver documents),
//     rows sorted by (lastChangedDate, productOrderId), `more{moreFrom, moreSequence}` while
//     rows remain, lastChangedType as a filter. A row is a product order as of its last
//     reported change: like Naver's, the list keeps one row per product order, and a product
//     order that changes again moves to its new time.
//   - POST /v1/pay-order/seller/product-orders/query: ≤ 300 ids, each product order as it is
//     now: order, productOrder, delivery, currentClaim and completedClaims.
//   - The writes under /v1/pay-order/seller/product-orders: confirm and dispatch (≤ 30 each),
//     {id}/delay, {id}/claim/cancel/approve, {id}/claim/return/approve|reject|holdback|
//     holdback/release, {id}/claim/exchange/collect/approve|dispatch|reject. Answers are HTTP
//     200 with successProductOrderIds and failProductOrderInfos (partial failure).
//   - GET /debug/truth: Truth as JSON.
//
// Every other call needs the bearer token (401 GW.AUTHN without it, or once it expired by
// the clock), draws from the app's token bucket (429 GW.RATE_LIMIT past it, with the
// GNCP-GW-RateLimit-* headers; NoLimits turns it off) and may meet an injected fault (Faults:
// 429 GW.RATE_LIMIT, 500 GW.PROXY, 504 GW.TIMEOUT, slow answers, bodies cut in half, a `more`
// that makes the next page repeat a row, late changes).
//
// # The mall
//
// Orders (1–3 product orders each, Korean buyers and addresses, products with options) go
// PAYMENT_WAITING (bank transfers; a quarter never paid: CANCELED_BY_NOPAYMENT) → PAYED
// (placeOrderStatus NOT_YET, then OK after 발주확인) → DELIVERING (delivery company, tracking
// number, sendDate) → DELIVERED → PURCHASE_DECIDED. Claims: cancels before dispatch
// (CANCEL_REQUEST → CANCEL_DONE, or CANCEL_REJECT by dispatching), returns after delivery
// (RETURN_REQUEST → COLLECTING → COLLECT_DONE → RETURN_DONE or RETURN_REJECT, some held back
// and released on the way), exchanges (EXCHANGE_REQUEST → COLLECTING → COLLECT_DONE →
// EXCHANGE_REDELIVERING → EXCHANGE_DONE, productOrderStatus EXCHANGED; or EXCHANGE_REJECT),
// and withdrawals by the buyer (철회) of cancels, returns and exchanges.
//
// The state at a clock time is a pure function of the seed and the writes received: each
// product order has a planned course of events; a write takes effect at the clock's now and
// the course after it is planned again from the new state.
//
// # How claims read
//
// currentClaim holds the open claim as {"cancel":{…}}, {"return":{…}} or {"exchange":{…}}
// (claimId, claimStatus, claimRequestDate, requestChannel, the reason fields; collectStatus,
// collectDeliveryCompany, collectTrackingNumber and collectCompletedDate for returns and
// exchanges; holdbackStatus (HOLDBACK, RELEASED), holdbackReason (the holdbackClassType),
// holdbackDetailedReason, etcFeeDemandAmount, holdbackConfigDate and holdbackReleaseDate once
// held back; reDeliveryStatus, reDeliveryCompany and reDeliveryTrackingNumber for exchanges;
// the completion dates). completedClaims is an array
// of the same shapes for the claims that ended. A claim that ended on a step that is not
// final (not *_DONE or *_REJECT) was withdrawn by the buyer: its product order went back to
// its status before the claim, and the change was reported as CLAIM_REJECTED, which Naver
// labels 클레임 철회. The simulator sends no top-level cancel/return/exchange blocks (Naver is
// retiring them); ClaimCode and LineCode say how claims and lines are coded in the truth.
//
// A product order's details carry placeOrderStatus (NOT_YET, OK after 발주확인) and
// placeOrderDate, shippingDueDate (payment + 3 days, or the due date of a delay) and, once
// delayed, delayedDispatchReason and delayedDispatchDetailedReason. The delay and holdback
// writes check Naver's codes (DelayReasons, ReturnHoldbackClasses).
//
// # What Naver does not report, and lateness
//
// Naver moves a product order's lastChangedDate only for its listed change types. 발주확인,
// 배송완료, the start of a pickup and a holdback are not among them: the details show them,
// the list does not. In the generated course each such step follows the product order's last
// reported change by less than three days, so a connector that re-reads the details of rows
// that are not final over the last few days sees them (the connector re-reads a week).
//
// With Faults.LateRate, a reported change shows (in the list and the details alike) only up to
// Faults.LateMax after its lastChangedDate; Truth leaves out what has not shown yet.
//
// Not built: GET /v1/pay-order/seller/product-orders (the conditional list), orders/{id}/
// product-order-ids, cancel and return requests by the seller, exchange holdbacks, gifts,
// address changes, partial-quantity claims (quantityClaimCompatibility is accepted and
// remainQuantity given, but claims take whole product orders), ADMIN_CANCEL and
// PURCHASE_DECISION_HOLDBACK claims, the per-seller quota (GW.QUOTA_LIMIT).
package smartstoresim
