// Package postgres implements mallsync's store interfaces on PostgreSQL through sqlx and
// lib/pq. All of mallsync's SQL lives here: rows become domain values at this boundary, and
// driver errors become mallsync errors in one place (interpret).
//
// Bulk writes are one statement per page (unnest over arrays), never a statement per row, and
// a page's records, its status events and its cursor are committed in one transaction.
//
// A line's status history is the view line_status_events: the event a line was first seen
// with is kept in the line's own first_* columns, the events after it in line_status_changes
// (migration 00014). A parcel's lines are the array shipments.line_ids (migration 00013).
//
// # Inventory ledger
//
// LedgerStore (mallsync.Ledger) keeps the inventory_movements table: append-only (a trigger
// refuses UPDATE, DELETE and TRUNCATE; a mistake is undone by a reversing movement), keyed per
// mall for idempotency. Stock per (SKU, location, ownership, supplier) is a sum over it:
//
//   - OnHand, what is physically there: receipt and quarantine add, issue and
//     return_to_supplier take away, adjust does either; reserve and release leave it alone.
//   - Reserved, what is set aside for paid lines not yet dispatched: reserve adds, release takes
//     away, and an issue ends its line's open reservation (if any).
//   - Available = OnHand − Reserved.
//
// A reversal has the kind and bucket of what it undoes, with both figures negated.
//
// Sync records the movements of order lines itself, in the statement of ApplyPage/StagePage that
// upserts the lines: for each line whose unified status the page changed (or that it saw first),
// in the warehouse location, under the line's ownership and supplier, for its SKU (else variant
// code, else product code; a line with none records nothing), keyed by the platform line id:
//
//   - to paid or preparing: reserve, +quantity reserved ("line/<line>/reserve");
//   - to canceled while reserved: release of the reservation ("line/<line>/release");
//   - to shipped, delivered, confirmed, returned or exchanged from a status before dispatch, or
//     first seen so: issue, −quantity on hand, ending the reservation ("line/<line>/issue").
//
// A reservation is open while its reserve is neither released, issued nor reversed; its release
// and issue move the reserve's own bucket. A page applied again, or an older reading of a line,
// records nothing. Consignment lines (위탁: the partner holds and ships the goods) record nothing
// in our stock; a line that became consignment after it was reserved releases its reservation at
// dispatch instead of issuing. The lines of a pre-shipped reorder (기출하, a row in reorders:
// ReorderStore) record nothing at all: their goods left with the original's parcel, and the
// reservations they held when they were marked were released then. Returns are not sync's: the ReturnFlow records receipt, quarantine
// or return_to_supplier by ownership through RecordMovements.
package postgres
