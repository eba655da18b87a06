package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// ReorderStore implements mallsync.ReorderStore over the reorders table. The sync's line
// upsert (SyncStore) reads the same table to skip the movements of reorders' lines.
type ReorderStore struct {
	db    *sqlx.DB
	malls *MallStore
}

// NewReorderStore returns a ReorderStore over db; malls resolves mall keys and policies.
func NewReorderStore(db *sqlx.DB, malls *MallStore) *ReorderStore {
	return &ReorderStore{db: db, malls: malls}
}

type reorderRow struct {
	Mall             string     `db:"mall"`
	OrderID          string     `db:"platform_order_id"`
	OriginalID       string     `db:"original_order_id"`
	Source           string     `db:"source"`
	MarkedBy         string     `db:"marked_by"`
	MarkedAt         time.Time  `db:"marked_at"`
	CarrierCode      string     `db:"carrier_code"`
	TrackingNo       string     `db:"tracking_no"`
	Released         int        `db:"released"`
	WriteDone        *bool      `db:"write_done"`
	WriteAlreadyDone bool       `db:"write_already_done"`
	WriteCode        string     `db:"write_code"`
	WriteMessage     string     `db:"write_message"`
	WrittenAt        *time.Time `db:"written_at"`
}

func (r reorderRow) toDomain(lines []string) mallsync.Reorder {
	o := mallsync.Reorder{Mall: mallsync.MallKey(r.Mall), OrderID: r.OrderID, OriginalOrderID: r.OriginalID,
		Source: mallsync.ReorderSource(r.Source), MarkedBy: r.MarkedBy, MarkedAt: r.MarkedAt.UTC(),
		CarrierCode: r.CarrierCode, TrackingNo: r.TrackingNo, ShipmentID: mallsync.ShipmentIDOfReorder(r.OrderID),
		LineIDs: lines, Released: r.Released}
	if r.WriteDone != nil {
		o.WriteBack = &mallsync.WriteResult{Done: *r.WriteDone, AlreadyDone: r.WriteAlreadyDone, Code: r.WriteCode, Message: r.WriteMessage}
		at := r.WrittenAt.UTC()
		o.WrittenAt = &at
	}
	return o
}

const reorderSelect = `
	SELECT m.key AS mall, r.platform_order_id, r.original_order_id, r.source, r.marked_by, r.marked_at,
		r.carrier_code, r.tracking_no, r.released, r.write_done, r.write_already_done, r.write_code,
		r.write_message, r.written_at
	FROM reorders r JOIN malls m ON m.id = r.mall_id
	WHERE r.mall_id = $1 AND r.platform_order_id = $2`

// reorder reads a link and its shipment's lines, or returns ENOTFOUND.
func reorder(ctx context.Context, q sqlx.QueryerContext, mall mallsync.MallKey, mallID int64, orderID string) (mallsync.Reorder, error) {
	var r reorderRow
	if err := sqlx.GetContext(ctx, q, &r, reorderSelect, mallID, orderID); err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return mallsync.Reorder{}, mallsync.Errorf(mallsync.ENOTFOUND, "order %s of %s is not marked as a pre-shipped reorder", orderID, mall)
		}
		return mallsync.Reorder{}, fmt.Errorf("reading reorder %s of %s: %w", orderID, mall, interpret(err))
	}
	var lines pq.StringArray
	err := sqlx.GetContext(ctx, q, &lines, `SELECT line_ids FROM shipments WHERE mall_id = $1 AND platform_shipment_id = $2`,
		mallID, mallsync.ShipmentIDOfReorder(orderID))
	if err != nil && mallsync.ErrorCode(interpret(err)) != mallsync.ENOTFOUND {
		return mallsync.Reorder{}, fmt.Errorf("reading lines of reorder %s of %s: %w", orderID, mall, interpret(err))
	}
	return r.toDomain([]string(lines)), nil
}

// Reorder returns the link of the mall's order, or ENOTFOUND when it is not a reorder.
func (s *ReorderStore) Reorder(ctx context.Context, mall mallsync.MallKey, orderID string) (mallsync.Reorder, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return mallsync.Reorder{}, err
	}
	return reorder(ctx, s.db, mall, id, orderID)
}

// MarkReorder implements mallsync.ReorderStore. It locks the reorder's order and lines, so two
// marks of one order do not both pass the checks; the mall's policy is read from its stored
// definition.
func (s *ReorderStore) MarkReorder(ctx context.Context, m mallsync.ReorderMark) (mallsync.Reorder, bool, error) {
	switch {
	case m.OrderID == "" || m.OriginalOrderID == "":
		return mallsync.Reorder{}, false, mallsync.Errorf(mallsync.EINVALID, "a reorder needs its order id and its original's")
	case !m.Source.Valid():
		return mallsync.Reorder{}, false, mallsync.Errorf(mallsync.EINVALID, "reorder source %q: expected agent or rule", m.Source)
	case m.By == "":
		return mallsync.Reorder{}, false, mallsync.Errorf(mallsync.EINVALID, "a reorder needs who marked it")
	}
	mall, err := s.malls.Mall(ctx, m.Mall)
	if err != nil {
		return mallsync.Reorder{}, false, err
	}
	if !mall.Policy.PreshippedReorder {
		return mallsync.Reorder{}, false, mallsync.Errorf(mallsync.EINVALID,
			"mall %s's policy does not allow pre-shipped reorders (preshipped_reorder: false)", m.Mall)
	}
	if m.OrderID == m.OriginalOrderID {
		return mallsync.Reorder{}, false, mallsync.Errorf(mallsync.EINVALID, "order %s cannot be a reorder of itself", m.OrderID)
	}
	id, err := s.malls.id(ctx, m.Mall)
	if err != nil {
		return mallsync.Reorder{}, false, err
	}
	if m.At.IsZero() {
		m.At = time.Now()
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return mallsync.Reorder{}, false, fmt.Errorf("marking reorder %s of %s: %w", m.OrderID, m.Mall, interpret(err))
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	r, created, err := markReorder(ctx, tx, id, m)
	if err != nil {
		return mallsync.Reorder{}, false, err
	}
	if err := tx.Commit(); err != nil {
		return mallsync.Reorder{}, false, fmt.Errorf("marking reorder %s of %s: %w", m.OrderID, m.Mall, interpret(err))
	}
	return r, created, nil
}

func markReorder(ctx context.Context, tx *sqlx.Tx, id int64, m mallsync.ReorderMark) (mallsync.Reorder, bool, error) {
	var found []string
	if err := tx.SelectContext(ctx, &found, `SELECT platform_order_id FROM orders
		WHERE mall_id = $1 AND platform_order_id = $2 FOR UPDATE`, id, m.OrderID); err != nil {
		return mallsync.Reorder{}, false, fmt.Errorf("locking order %s of %s: %w", m.OrderID, m.Mall, interpret(err))
	}
	if len(found) == 0 {
		return mallsync.Reorder{}, false, mallsync.Errorf(mallsync.ENOTFOUND, "no order %s in mall %s", m.OrderID, m.Mall)
	}
	prev, err := reorder(ctx, tx, m.Mall, id, m.OrderID)
	switch {
	case err == nil && prev.OriginalOrderID == m.OriginalOrderID:
		return prev, false, nil
	case err == nil:
		return mallsync.Reorder{}, false, mallsync.Errorf(mallsync.EINVALID,
			"order %s is already marked as a reorder of %s, not %s", m.OrderID, prev.OriginalOrderID, m.OriginalOrderID)
	case mallsync.ErrorCode(err) != mallsync.ENOTFOUND:
		return mallsync.Reorder{}, false, err
	}
	orig, err := originalParcel(ctx, tx, id, m)
	if err != nil {
		return mallsync.Reorder{}, false, err
	}
	lines, err := reorderLines(ctx, tx, id, m)
	if err != nil {
		return mallsync.Reorder{}, false, err
	}
	if err := insertReorder(ctx, tx, id, m, orig, lines); err != nil {
		return mallsync.Reorder{}, false, fmt.Errorf("marking reorder %s of %s: %w", m.OrderID, m.Mall, err)
	}
	r, err := reorder(ctx, tx, m.Mall, id, m.OrderID)
	return r, true, err
}

// parcel is the original's parcel that a reorder reuses.
type parcel struct {
	Carrier   string     `db:"carrier_code"`
	Tracking  string     `db:"tracking_no"`
	Shipped   *time.Time `db:"shipped_at"`
	Delivered *time.Time `db:"delivered_at"`
}

// deliveredOrLater are the statuses of a line that reached its buyer.
var deliveredOrLater = []string{string(mallsync.LineDelivered), string(mallsync.LineConfirmed),
	string(mallsync.LineReturned), string(mallsync.LineExchanged)}

// originalParcel checks the original (same mall, delivered) and returns the parcel to reuse:
// its latest forward or re-shipment parcel with a tracking number, else its lines' invoice.
func originalParcel(ctx context.Context, tx *sqlx.Tx, id int64, m mallsync.ReorderMark) (parcel, error) {
	var lines []struct {
		ID     string `db:"platform_line_id"`
		Status string `db:"status"`
	}
	if err := tx.SelectContext(ctx, &lines, `SELECT platform_line_id, status FROM order_lines
		WHERE mall_id = $1 AND platform_order_id = $2 ORDER BY platform_line_id`, id, m.OriginalOrderID); err != nil {
		return parcel{}, fmt.Errorf("reading original %s of %s: %w", m.OriginalOrderID, m.Mall, interpret(err))
	}
	if len(lines) == 0 {
		var other []string
		if err := tx.SelectContext(ctx, &other, `SELECT m.key FROM orders o JOIN malls m ON m.id = o.mall_id
			WHERE o.platform_order_id = $1 AND o.mall_id <> $2 ORDER BY m.key LIMIT 1`, m.OriginalOrderID, id); err != nil {
			return parcel{}, fmt.Errorf("looking for original %s: %w", m.OriginalOrderID, interpret(err))
		}
		if len(other) > 0 {
			return parcel{}, mallsync.Errorf(mallsync.EINVALID, "original order %s is of mall %s, not %s: a reorder's original must be of the same mall",
				m.OriginalOrderID, other[0], m.Mall)
		}
		return parcel{}, mallsync.Errorf(mallsync.EINVALID, "original order %s not found in mall %s", m.OriginalOrderID, m.Mall)
	}
	delivered := 0
	for _, l := range lines {
		switch {
		case slices.Contains(deliveredOrLater, l.Status):
			delivered++
		case l.Status != string(mallsync.LineCanceled):
			return parcel{}, mallsync.Errorf(mallsync.EINVALID, "original order %s is not delivered yet (line %s is %s)", m.OriginalOrderID, l.ID, l.Status)
		}
	}
	if delivered == 0 {
		return parcel{}, mallsync.Errorf(mallsync.EINVALID, "original order %s is canceled: nothing of it was delivered", m.OriginalOrderID)
	}
	var ps []parcel
	if err := tx.SelectContext(ctx, &ps, `
		(SELECT carrier_code, tracking_no, shipped_at, delivered_at FROM shipments
		WHERE mall_id = $1 AND platform_order_id = $2 AND kind IN ('forward', 'reshipment') AND tracking_no <> ''
		ORDER BY delivered_at DESC NULLS LAST, shipped_at DESC NULLS LAST, platform_shipment_id LIMIT 1)
		UNION ALL
		(SELECT carrier_code, tracking_no, shipped_at, delivered_at FROM order_lines
		WHERE mall_id = $1 AND platform_order_id = $2 AND tracking_no <> ''
		ORDER BY delivered_at DESC NULLS LAST, platform_line_id LIMIT 1)`, id, m.OriginalOrderID); err != nil {
		return parcel{}, fmt.Errorf("reading parcel of original %s of %s: %w", m.OriginalOrderID, m.Mall, interpret(err))
	}
	if len(ps) == 0 {
		return parcel{}, mallsync.Errorf(mallsync.EINVALID, "original order %s has no tracking number to reuse", m.OriginalOrderID)
	}
	return ps[0], nil
}

// reorderLines locks the reorder's lines, checks that none left yet, and returns those not
// canceled.
func reorderLines(ctx context.Context, tx *sqlx.Tx, id int64, m mallsync.ReorderMark) ([]string, error) {
	var lines []struct {
		ID     string `db:"platform_line_id"`
		Status string `db:"status"`
	}
	if err := tx.SelectContext(ctx, &lines, `SELECT platform_line_id, status FROM order_lines
		WHERE mall_id = $1 AND platform_order_id = $2 ORDER BY platform_line_id FOR UPDATE`, id, m.OrderID); err != nil {
		return nil, fmt.Errorf("reading lines of order %s of %s: %w", m.OrderID, m.Mall, interpret(err))
	}
	var live []string
	for _, l := range lines {
		switch l.Status {
		case string(mallsync.LinePendingPayment), string(mallsync.LinePaid), string(mallsync.LinePreparing):
			live = append(live, l.ID)
		case string(mallsync.LineCanceled):
		default:
			return nil, mallsync.Errorf(mallsync.EINVALID, "order %s is already shipped (line %s is %s): only an order not dispatched yet can be a pre-shipped reorder",
				m.OrderID, l.ID, l.Status)
		}
	}
	if len(live) == 0 {
		return nil, mallsync.Errorf(mallsync.EINVALID, "order %s is canceled: no line is left to mark as pre-shipped", m.OrderID)
	}
	return live, nil
}

// releaseReorderSQL releases the open reservations of the lines $2 (see openReservationSQL),
// keyed like sync's releases ("line/<line>/release"), and returns how many it released.
var releaseReorderSQL = `
	WITH rel AS (
		INSERT INTO inventory_movements (mall_id, key, kind, sku, location, ownership, supplier, quantity,
			reserved, platform_order_id, platform_line_id, reason, at)
		SELECT $1, 'line/' || l.lid || '/release', 'release', r.sku, 'warehouse', r.ownership, r.supplier,
			-r.reserved, -r.reserved, $3, l.lid, $4, $5
		FROM unnest($2::text[]) AS l(lid)
		CROSS JOIN LATERAL (` + openReservation("l.lid") + `) r
		ON CONFLICT (mall_id, key) DO NOTHING
		RETURNING 1)
	SELECT count(*) FROM rel`

func insertReorder(ctx context.Context, tx *sqlx.Tx, id int64, m mallsync.ReorderMark, orig parcel, lines []string) error {
	var released int
	if err := tx.GetContext(ctx, &released, releaseReorderSQL, id, pq.Array(lines), m.OrderID,
		"pre-shipped reorder of "+m.OriginalOrderID, m.At.UTC()); err != nil {
		return fmt.Errorf("releasing reservations: %w", interpret(err))
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO reorders (mall_id, platform_order_id, original_order_id, source, marked_by, marked_at,
			carrier_code, tracking_no, released)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, m.OrderID, m.OriginalOrderID, string(m.Source), m.By, m.At.UTC(), orig.Carrier, orig.Tracking, released); err != nil {
		return fmt.Errorf("linking: %w", interpret(err))
	}
	sid := mallsync.ShipmentIDOfReorder(m.OrderID)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO shipments (mall_id, platform_shipment_id, platform_order_id, kind, carrier_code, tracking_no,
			platform_status, shipped_at, delivered_at, changed_at, line_ids)
		VALUES ($1, $2, $3, 'preshipped', $4, $5, '', $6, $7, $8, $9)
		ON CONFLICT (mall_id, platform_shipment_id) DO UPDATE SET platform_order_id = EXCLUDED.platform_order_id,
			kind = EXCLUDED.kind, carrier_code = EXCLUDED.carrier_code, tracking_no = EXCLUDED.tracking_no,
			shipped_at = EXCLUDED.shipped_at, delivered_at = EXCLUDED.delivered_at,
			changed_at = EXCLUDED.changed_at, line_ids = EXCLUDED.line_ids, seen_at = now()`,
		id, sid, m.OrderID, orig.Carrier, orig.Tracking, orig.Shipped, orig.Delivered, m.At.UTC(),
		textArray(parcelLineIDs(lines))); err != nil {
		return fmt.Errorf("recording preshipped shipment: %w", interpret(err))
	}
	return nil
}

// RecordReorderWriteBack records how the reorder's dispatch write-back went (the latest
// attempt wins), or returns ENOTFOUND when the order is not a reorder.
func (s *ReorderStore) RecordReorderWriteBack(ctx context.Context, mall mallsync.MallKey, orderID string, res mallsync.WriteResult, at time.Time) error {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return err
	}
	if at.IsZero() {
		at = time.Now()
	}
	r, err := s.db.ExecContext(ctx, `
		UPDATE reorders SET write_done = $3, write_already_done = $4, write_code = $5, write_message = $6, written_at = $7
		WHERE mall_id = $1 AND platform_order_id = $2`,
		id, orderID, res.Done, res.AlreadyDone, res.Code, res.Message, at.UTC())
	if err != nil {
		return fmt.Errorf("recording write-back of reorder %s of %s: %w", orderID, mall, interpret(err))
	}
	if n, err := r.RowsAffected(); err != nil {
		return fmt.Errorf("recording write-back of reorder %s of %s: %w", orderID, mall, interpret(err))
	} else if n == 0 {
		return mallsync.Errorf(mallsync.ENOTFOUND, "order %s of %s is not marked as a pre-shipped reorder", orderID, mall)
	}
	return nil
}

var _ mallsync.ReorderStore = (*ReorderStore)(nil)
