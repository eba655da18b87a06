// Package cafe24 is the connector for Cafe24 shops: the Admin API client, OAuth with rotating
// refresh tokens, the order sync, and the mapping from Cafe24 order JSON to domain records.
//
// # Change capture
//
// Cafe24 has no "updated since" query: GET /api/v2/admin/orders only filters by date windows
// of one date_type at a time (at most 3 months per call, offset at most 15000), and webhooks
// are hints, not a record of changes. The orders stream therefore runs in two phases, both
// driven by the cursor (see cursor.go):
//
//  1. Backfill. Windows of date_type=order_date from the mall's Sync.BackfillStart to the time
//     the backfill began (kept in the cursor, so a resumed backfill aims at the same end). A
//     window spans at most 3 calendar months (KST) and is halved, using GET /orders/count,
//     while it holds more than 15000 orders, so that offset paging (limit 1000) never goes
//     past offset 15000. Windows are inclusive at both ends and whole seconds: a window ends one second
//     before the next begins, so every second is read exactly once.
//  2. Incremental passes. For each date_type in DateTypes the cursor keeps a high-water mark.
//     A pass reads [mark − Sync.Lookback, passNow] for each date_type in turn (windows split as
//     above) and moves that date_type's mark to passNow when done. The lookback absorbs events
//     Cafe24 records late. An order is seen again whenever any of its dates falls into a
//     pass's windows; the store is idempotent and never moves a line or a claim backwards, so
//     repeats cost calls, never correctness.
//  3. Open claims, read again. DateTypes cover every step Cafe24 dates: placed, paid, placed
//     with the supplier, shipped, delivered, purchase confirmed, and the request, acceptance
//     and completion of each cancellation, return and exchange. Some steps move no date_type
//     at all: a claim put on hold (R12, E12), a pickup completed (R20, E31), a rejection
//     (C11, R11, E11) and a withdrawal (undone: the item goes back to order_status_before_cs).
//     So the pass ends by asking the store (connectors.Deps.OpenClaims) for the orders whose
//     claims are still open and reading them again by order_id (100 per call, in order_date
//     windows that the order ids' days give). A claim stays open in the store until the
//     platform shows it completed, rejected or withdrawn, so its last step is always read.
//     A rejected cancellation request shows C11 only until the item ships; a cancellation
//     whose items are back in N statuses without undone "T" is read as rejected (C11): a
//     request ends cancelled, withdrawn or rejected, and only a rejected one lets the item ship.
//     The pass ending is what "caught up" means; the next Fetch with a later now starts a new
//     pass.
//
// Refunds are their own stream (refunds.go): GET /refunds by accepted_refund_date (new
// refunds) and then refund_date (payouts), each from its mark minus the lookback, in windows
// as above. Products with their variants and stock figures, and suppliers, are read whole
// (catalog.go), at most every RescanEvery: stock moves without any date, and a full read of
// a few hundred products costs a few calls. The connector lists suppliers and products before
// orders (Streams), so that the ownership of new lines can use their trading and shipping
// types. Webhooks are hints: they may only make the mall's sync run a pass sooner, and
// nothing is trusted from their bodies.
//
// A list that shifts while it is paged (orders inserted before the offset) starts the next
// page with rows already read: the cursor keeps the last order_id read, those leading rows
// are skipped, and the offset moves on only by the rows that were new, so the row pushed past
// the page end is read on the next page instead of being lost. (An order deleted before the
// offset would hide one row; Cafe24 does not delete orders, and the lookback reads recent
// windows again.) Duplicates inside a page are dropped by order_id; a
// 200 whose body does not decode (cut short) is asked for again. Orders that do not map
// (unknown status code, bad amount or date, a line without order_item_code) come back as
// Rejects with their raw JSON; the rest of the page goes on.
//
// Every call waits on the mall account's connectors.Budget (X-Api-Call-Limit, usage blocks,
// 429 backoff) and goes through the retrying client (429, 5xx, transport errors).
package cafe24
