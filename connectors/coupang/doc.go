// Package coupang reads and writes Coupang WING vendors (New is the connectors.Factory).
// Every call is signed (HMAC-SHA256, the "CEA" Authorization header, see Sign) and goes
// through the vendor's shared budget, DefaultMaxCallsPerSecond = 5 a second across every API,
// well under Coupang's limit of about 10: the limit is never probed.
//
// Streams, read in this order each cycle:
//
//   - orders: order sheets, one status at a time (ACCEPT … NONE_TRACKING) over createdAt
//     windows of 31 days with nextToken paging; after the backfill each pass re-lists the last
//     Horizon (31 days). Lines are keyed shipmentBoxId-vendorItemId; their quantity is what is
//     still to ship and their amount shared out by it; their change time is the pass's now.
//     An item a claim took whole (cancelCount = shippingCount) is left to the claims stream.
//     Cursor {"v":1,"pass_now","from","status","day","token","last"}.
//   - claims: returnRequests (v6, searchType=timeFrame) with cancelType=CANCEL, then status RU,
//     UC, PR, CC, over 31-day windows re-listed for ClaimsHorizon; returnWithdrawRequests over
//     7-day windows from a day before the previous pass (pageIndex paging; each withdrawal's
//     receipt is read for its boxes); exchangeRequests over 7-day windows for the last
//     ExchangesHorizon (14 days). Claims change at Coupang's modifiedAt. A receipt that took
//     items away (CANCEL_COMPLETED, STOP_SHIPMENT_COMPLETED, RETURNS_COMPLETED) since the
//     previous pass, less ReReadOverlap, has its boxes re-read with the single-sheet endpoint,
//     so that its lines move to canceled or returned with quantity and amount. Shipments: a
//     return's pickup ("return-{receiptId}"), an exchange's pickup ("exchange-{id}-pickup") and
//     replacement (its shipmentBoxId, kind reshipment). Exchange claims are "E{exchangeId}".
//     Cursor {"v":1,"pass_now","phase","day","token","last","prev"}.
//
// Codes Coupang has no name for (CANCEL_COMPLETED, STOP_SHIPMENT_COMPLETED, RETURN_WITHDRAWN)
// are mallsync's, in mappings/platforms/coupang.yaml with the rest. Write implements
// connectors.Writer (see writes.go for what each write-back becomes and which are refused):
// confirm_order is the acknowledgement on its own (50 boxes a call, ACCEPT → INSTRUCT, done
// once the sheet is past ACCEPT), ship acknowledges and uploads the invoice;
// PreviewResponse maps saved answers of the resources in PreviewResources.
//
// Not built: products and stock, settlements, the order-sheet history endpoint, webhooks
// (Coupang has none for these), a mark_delivered, return rejection, claim withdrawal,
// dispatch delay or return hold write (Coupang has no API for them), and claims on a box that
// already had one.
package coupang
