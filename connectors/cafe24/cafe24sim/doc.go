// Package cafe24sim is a deterministic, fast fake of the Cafe24 Admin API, served over real
// net/http: OAuth 2.0 (authorization code, single-use refresh tokens), GET /orders and
// /orders/count with date windows, the per-mall leaky bucket, and injected faults. Tests,
// `mallsync dev`, `mallsync sim cafe24` and the benchmarks run connectors against it; its
// Truth is what the database must equal after a sync.
//
// # Data
//
// New generates Options.Orders orders from Options.Seed, spread over [Start, End) in KST with
// a day-and-night rhythm. Each order has 1..MaxItems items from a catalog of 300 products
// (P0000001.., variants {product_code}000A..), Korean buyers, receivers and addresses, and
// a schedule of events: payment (card within minutes; bank deposits within two days, and
// about 4% of orders never paid), 발주 (N20), shipment (N30), delivery (N40) and purchase
// confirmation (N50, by the buyer or automatically 7–8 days after delivery). About 3% of paid
// items are cancelled before shipping: C00 (request) then C40. The state of an item is that
// of its furthest visible event; an order exists once its order_date is visible. Moving the
// Clock moves orders on. The Clock never moves by itself.
//
// # Behaviour where Cafe24 documents nothing (the stricter choice is taken)
//
//   - Query parameters of /orders other than shop_no, start_date, end_date, date_type, limit,
//     offset, embed, order_id, order_status, supplier_id and order_place_id are refused with
//     422, and so is a parameter given twice or a shop_no other than 1.
//   - start_date and end_date are both required. YYYY-MM-DD means the whole KST day (end_date
//     up to 23:59:59); otherwise an ISO 8601 date-time with an offset or Z is required (a
//     '+' sent unescaped arrives as a space and is refused). Both ends are inclusive, at the
//     second. The window may not be longer than 3 calendar months: end ≤ start + 3 months.
//   - An order matches a date_type when the event of that type (for item dates: of any of its
//     items) is visible and the time it carries is in the window. It appears once, sorted by
//     the earliest such time in the window, then by order_id. cancel_accept_date and
//     cancel_complete_date match the C40 time (the simulator accepts and completes a cancel
//     at once); exchange_* and return_* dates are accepted and match nothing, as the
//     simulator generates no returns or exchanges. Unknown date types are 422.
//   - order_id takes at most 100 ids; a malformed id is 422, an unknown one matches nothing.
//   - links holds only "next", as a path (/api/v2/admin/orders?...&offset=N, the query
//     re-encoded with sorted keys); it is absent when no row follows or the next offset would
//     exceed 15000. /orders/count validates the same parameters and counts every match
//     (no offset cap); limit, offset and embed do not change it.
//   - embed=return and embed=exchange give empty arrays; embed=cancellation gives one entry
//     per cancelled item. claim_status is "requested" (C00) or "canceled" (C40); items not
//     under a claim have claim fields null and claim_quantity 0.
//   - shipping_status is T when every item not cancelled is delivered or confirmed, M when
//     any has shipped, else F (W and X are never produced). canceled is "T" when every item
//     is C40. Amounts never change after the order: payment_amount = Σ item payment_amount +
//     shipping_fee (3,000 won under 50,000 won of goods), cancellations included.
//   - Item dates (shipped_date, ...) and shipping_code, tracking_no and
//     shipping_company_code are null until the event that sets them is visible.
//   - X-Cafe24-Api-Version, when sent, must look like yyyy-mm-dd (else 422); its value is
//     otherwise ignored.
//   - Admin calls: a missing, unknown, revoked or expired access token is 401 (and does not
//     use the bucket, but still carries X-Api-Call-Limit with the current level). Then the
//     bucket: each call adds one, 429 when full (with X-Api-Call-Limit: 40/40). Then the
//     scope: /orders needs mall.read_order (403). Then the faults, then the resource.
//     Unknown admin paths are 404 and other methods 405, in the envelope, whose code is the
//     HTTP status as a number.
//   - OAuth: the authorize endpoint needs response_type=code, the client_id, an absolute
//     redirect_uri and a state (else 400, flat error); scopes must look like
//     mall.(read|write)_name. The owner consents at once: 302 to redirect_uri with code and
//     state. A code is single use even when its exchange fails, and the exchange needs the
//     same redirect_uri. Client authentication failures on the token endpoint are 401
//     invalid_client; the body must be form-encoded. When a refresh token is used, the access
//     token issued with it is revoked at once (a connector must switch to the new pair).
//     Presenting a used, revoked or unknown refresh token is 400 invalid_grant and counts in
//     RefreshReuses; an expired one is 400 invalid_grant without counting. Tokens and token
//     lifetimes follow the simulated Clock. POST /api/v2/oauth/revoke (token=..) answers {}.
//   - Faults (see Faults) are drawn for admin calls that passed authentication and the
//     bucket. A duplicated page (DuplicateRate) starts at offset-1 and keeps limit rows.
//
// # Debug endpoints (simulator only; Cafe24 has nothing like them, and they need no auth)
//
//   - GET /debug/truth: {"at","orders","lines","by_status":{"N40":..}}; with ?lines=1 also
//     "list":[{"order_item_code","order_status","quantity","payment_amount"}].
//   - POST /debug/clock?advance=24h or ?set=2024-03-01T00:00:00+09:00: moves the Clock and
//     answers {"now":..}.
//
// # Speed and size
//
// Orders and items are kept in compact arrays (times are int32 seconds after Start; names,
// phones and addresses are derived from a hash when written, not stored) and every date type
// has an index sorted by time, so a window is found by binary search. Responses are written
// by hand into pooled buffers. 200,000 orders take well under a second to generate and a few
// tens of megabytes.
package cafe24sim
