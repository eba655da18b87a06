// Package smartstore reads and writes Naver SmartStore malls through the Commerce API
// (https://api.commerce.naver.com/external, or the mall's api_base).
//
// # Auth
//
// The mall's credential holds the application's client id and client secret (a bcrypt salt
// string). TokenSource asks POST /v1/oauth2/token with the client-credentials grant (type
// SELF), signed with ClientSecretSign (bcrypt of client_id_timestamp salted with the secret),
// and keeps the token until 30 minutes before it expires; a 401 drops it and asks once more.
//
// # The orders stream (the only stream)
//
// Changes are polled with GET .../product-orders/last-changed-statuses in windows of at most
// 24 hours (Naver's limit), limitCount 300; the durable cursor is (moreFrom, moreSequence)
// within the window, never a timestamp alone, which would lose rows that share a millisecond.
// Each page's distinct product orders are read with POST .../product-orders/query (300 a
// call, quantityClaimCompatibility on) and mapped to a mallsync.Page: orders holding just the
// page's lines (lines not in the page are left alone), claims (currentClaim, completedClaims,
// and the legacy top-level cancel/return/exchange blocks Naver is retiring), and parcels (the
// forward parcel from delivery, a pickup from each claim's collect*, an exchange's
// re-delivery as a reshipment). Records take the row's lastChangedDate, or a later date the
// details carry, as their ChangedAt, so an older reading never overwrites a newer one.
// Records that do not map are the page's Rejects.
//
// A pass runs from the cursor to the Fetch's now, window after window. The first pass
// starts at the mall's backfill start. Each later pass starts at the end of the last one less
// the lookback (the mall's sync lookback, DefaultLookback when unset): Naver may record a
// change some time after its lastChangedDate. Then the pass revisits RevisitHorizon (a week):
// Naver moves lastChangedDate only for its listed change types, so 발주확인, 배송완료, the start
// of a pickup and a holdback change the details without a new row; the revisit reads the
// details of the horizon's rows that are not final (not PURCHASE_DECIDED or CLAIM_COMPLETED).
// The cursor (JSON, "v":1) holds the phase (changes or revisit), the pass's now, the window
// and (moreFrom, moreSequence), and between passes the end of the last one.
//
// Statuses come from mappings/platforms/smartstore.yaml: a line's code is productOrderStatus,
// PAYED:OK once PAYED and confirmed (발주확인); a claim's is its claimStatus, kind-qualified for
// the shared pickup steps (RETURN:COLLECTING …), <TYPE>:HOLDBACK while held back and
// <TYPE>:WITHDRAWN for a claim that ended on a step that is not final: withdrawn by the buyer
// (철회, reported as CLAIM_REJECTED), the product order back where it was.
//
// Errors: the retrying client retries 429 and 5xx (GW.RATE_LIMIT, GW.QUOTA_LIMIT, GW.PROXY,
// GW.BLOCK, GW.TIMEOUT) with backoff, through the account's shared budget; the rest fail fast
// as typed mallsync errors (GW.AUTHN EUNAUTHORIZED, GW.IP_NOT_ALLOWED EFORBIDDEN, other 4xx
// EINVALID). Tokens and secrets never reach errors or logs.
//
// # Write-backs
//
// Write (connectors.Writer): confirm_order → confirm (발주확인, 30 a call), ship → dispatch
// (30 a call), delay_dispatch → delay (발송지연: the due date, a delayedDispatchReason code),
// accept_cancel → cancel approve, accept_return and return_completed → return approve,
// reject_return → return reject, hold_return → return holdback (a holdbackClassType code, an
// extra fee), release_return_hold → holdback release, accept_exchange and exchange_collected
// → exchange collect approve, exchange_completed → exchange re-dispatch, reject_exchange →
// exchange reject. Write reads the lines first and
// leaves alone what is already done (AlreadyDone); a refusal in failProductOrderInfos (HTTP
// 200) is a result with Naver's code and message. reject_cancel, return_collected,
// mark_delivered, correct_invoice and withdraw_claim are refused as EINVALID saying what
// SmartStore cannot do; ship needs its lines named.
//
// PreviewResponse maps a saved last-changed-statuses or product-orders answer (PreviewResources).
//
// Rate: every call goes through the app's shared budget (connectors.Budget), which reads
// Naver's GNCP-GW-RateLimit-* headers and paces at the bucket's refill before it runs dry.
//
// Not built: the conditional list (GET .../product-orders), seller-initiated cancel and
// return requests, exchange holdbacks (mallsync has no action for them), partial-quantity
// claims (a claim's line takes the product order's quantity), the products stream.
package smartstore
