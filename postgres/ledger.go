package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// LedgerStore implements mallsync.Ledger over the inventory_movements table. Sync's own
// movements are written by SyncStore, in the transaction of the line changes that cause them.
type LedgerStore struct {
	db    *sqlx.DB
	malls *MallStore
}

// NewLedgerStore returns a LedgerStore over db; malls resolves mall keys.
func NewLedgerStore(db *sqlx.DB, malls *MallStore) *LedgerStore {
	return &LedgerStore{db: db, malls: malls}
}

// openReservationSQL selects the open reservation of the line whose platform id is the
// expression LID (its reserve's bucket and reserved quantity), for a LEFT JOIN LATERAL: one
// primary-key probe for the reserve, one for its release or issue, one for its reversal.
const openReservationSQL = `
		SELECT res.sku, res.ownership, res.supplier, res.reserved FROM inventory_movements res
		WHERE res.mall_id = $1 AND res.key = 'line/' || LID || '/reserve'
			AND NOT EXISTS (SELECT 1 FROM inventory_movements ended WHERE ended.mall_id = $1
				AND ended.key IN ('line/' || LID || '/release', 'line/' || LID || '/issue'))
			AND NOT EXISTS (SELECT 1 FROM inventory_movements rev WHERE rev.mall_id = $1 AND rev.reverses = res.key)`

func openReservation(lid string) string { return strings.ReplaceAll(openReservationSQL, "LID", lid) }

// openReservationOfLine is openReservationSQL for the line upsert's moved lines (m.lid).
var openReservationOfLine = openReservation("m.lid")

// recordMovementsSQL appends movements from arrays; an issue for a line ends the line's open
// reservation.
var recordMovementsSQL = `
	INSERT INTO inventory_movements (mall_id, key, kind, sku, location, ownership, supplier, quantity,
		reserved, platform_order_id, platform_line_id, claim_id, reverses, reason, at)
	SELECT $1, t.key, t.kind, t.sku, t.loc, t.own, t.supplier, t.qty,
		CASE WHEN t.kind IN ('reserve', 'release') THEN t.qty WHEN t.kind = 'issue' THEN -COALESCE(r.reserved, 0) ELSE 0 END,
		t.oid, t.lid, t.claim, NULLIF(t.reverses, ''), t.reason, COALESCE(NULLIF(t.at, '')::timestamptz, now())
	FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int4[], $9::text[],
		$10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
		WITH ORDINALITY AS t(key, kind, sku, loc, own, supplier, qty, oid, lid, claim, reverses, reason, at, n)
	LEFT JOIN LATERAL (` + openReservation("t.lid") + `
			AND t.kind = 'issue' AND t.lid <> '') r ON true
	ORDER BY t.n
	ON CONFLICT (mall_id, key) DO NOTHING`

// RecordMovements appends the movements whose keys the mall's ledger does not hold yet, in one
// transaction, and returns how many it appended. An issue with a PlatformLineID ends that line's
// open reservation (sync's "line/<line>/reserve", recorded before or in the same batch). A
// movement whose At is zero happened now. It
// returns EINVALID, recording nothing, when a movement lacks a key, SKU or location, has an
// unknown kind or ownership, or a quantity whose sign its kind does not allow (reserve, receipt
// and quarantine positive; release, issue and return_to_supplier negative; adjust not zero;
// the other way round for a movement that reverses another);
// ECONFLICT when a movement reverses one that another movement already reversed.
func (s *LedgerStore) RecordMovements(ctx context.Context, mall mallsync.MallKey, moves []mallsync.Movement) (int, error) {
	if len(moves) == 0 {
		return 0, nil
	}
	for _, m := range moves {
		if err := validMovement(m); err != nil {
			return 0, err
		}
	}
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return 0, err
	}
	// An issue ends the open reservation of its line, which it can only see if the reserve was
	// written by an earlier statement: the batch's issues go second.
	var others, issues []mallsync.Movement
	for _, m := range moves {
		if m.Kind == mallsync.MoveIssue {
			issues = append(issues, m)
		} else {
			others = append(others, m)
		}
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("recording movements of %s: %w", mall, interpret(err))
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	added := 0
	for _, part := range [][]mallsync.Movement{others, issues} {
		n, err := insertMovements(ctx, tx, id, part)
		if err != nil {
			return 0, fmt.Errorf("recording movements of %s: %w", mall, err)
		}
		added += n
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("recording movements of %s: %w", mall, interpret(err))
	}
	return added, nil
}

func insertMovements(ctx context.Context, tx *sqlx.Tx, mallID int64, moves []mallsync.Movement) (int, error) {
	if len(moves) == 0 {
		return 0, nil
	}
	n := len(moves)
	col := func() []string { return make([]string, n) }
	key, kind, sku, loc, own, supplier, oid, lid, claim, reverses, reason, at := col(), col(), col(), col(), col(), col(), col(), col(), col(), col(), col(), col()
	qty := make([]int32, n)
	for i, m := range moves {
		key[i], kind[i], sku[i], loc[i], own[i], supplier[i] = m.Key, string(m.Kind), m.SKU, m.Location, string(m.Ownership), m.Supplier
		qty[i], oid[i], lid[i], claim[i], reverses[i], reason[i], at[i] = int32(m.Quantity), m.PlatformOrderID, m.PlatformLineID, m.ClaimID, m.Reverses, m.Reason, ts(m.At)
	}
	res, err := tx.ExecContext(ctx, recordMovementsSQL, mallID, pq.Array(key), pq.Array(kind), pq.Array(sku), pq.Array(loc),
		pq.Array(own), pq.Array(supplier), pq.Array(qty), pq.Array(oid), pq.Array(lid), pq.Array(claim),
		pq.Array(reverses), pq.Array(reason), pq.Array(at))
	if err != nil {
		return 0, interpret(err)
	}
	added, err := res.RowsAffected()
	return int(added), interpret(err)
}

// maxQuantity bounds a movement's quantity to what the ledger's integer column holds.
const maxQuantity = 1<<31 - 1

func validMovement(m mallsync.Movement) error {
	switch {
	case m.Key == "":
		return mallsync.Errorf(mallsync.EINVALID, "movement without a key")
	case !m.Kind.Valid():
		return mallsync.Errorf(mallsync.EINVALID, "movement %s: unknown kind %q", m.Key, m.Kind)
	case !m.Ownership.Valid():
		return mallsync.Errorf(mallsync.EINVALID, "movement %s: unknown ownership %q", m.Key, m.Ownership)
	case m.SKU == "":
		return mallsync.Errorf(mallsync.EINVALID, "movement %s: no SKU", m.Key)
	case m.Location == "":
		return mallsync.Errorf(mallsync.EINVALID, "movement %s: no location", m.Key)
	case m.Quantity > maxQuantity || m.Quantity < -maxQuantity:
		return mallsync.Errorf(mallsync.EINVALID, "movement %s: quantity %d out of range", m.Key, m.Quantity)
	}
	sign := 0 // adjust: either
	switch m.Kind {
	case mallsync.MoveReserve, mallsync.MoveReceipt, mallsync.MoveQuarantine:
		sign = 1
	case mallsync.MoveRelease, mallsync.MoveIssue, mallsync.MoveReturnToSupplier:
		sign = -1
	}
	if m.Reverses != "" { // a reversal undoes its kind
		sign = -sign
	}
	if m.Quantity == 0 || sign > 0 && m.Quantity < 0 || sign < 0 && m.Quantity > 0 {
		return mallsync.Errorf(mallsync.EINVALID, "movement %s: quantity %d does not fit a %s", m.Key, m.Quantity, m.Kind)
	}
	return nil
}

// reverseMovementsSQL appends a reversal ("<key>/reversed") of every movement of the mall whose
// key matches the LIKE pattern $2 and that is neither a reversal nor reversed already.
const reverseMovementsSQL = `
	INSERT INTO inventory_movements (mall_id, key, kind, sku, location, ownership, supplier, quantity,
		reserved, platform_order_id, platform_line_id, claim_id, reverses, reason, at)
	SELECT m.mall_id, m.key || '/reversed', m.kind, m.sku, m.location, m.ownership, m.supplier, -m.quantity,
		-m.reserved, m.platform_order_id, m.platform_line_id, m.claim_id, m.key, $3, COALESCE($4::timestamptz, now())
	FROM inventory_movements m
	WHERE m.mall_id = $1 AND m.key LIKE $2 AND m.reverses IS NULL
		AND NOT EXISTS (SELECT 1 FROM inventory_movements r WHERE r.mall_id = $1 AND r.reverses = m.key)
	ORDER BY m.key
	ON CONFLICT DO NOTHING`

// ReverseMovements appends, for every movement whose key starts with keyPrefix and that is
// neither a reversal nor reversed yet, a movement with the same kind and bucket that undoes it:
// key "<key>/reversed", Reverses the key, quantity and reservation negated. It returns how many
// it appended; reversing again appends nothing. A zero at means now. An empty keyPrefix is
// EINVALID (it would reverse the whole ledger).
func (s *LedgerStore) ReverseMovements(ctx context.Context, mall mallsync.MallKey, keyPrefix, reason string, at time.Time) (int, error) {
	if keyPrefix == "" {
		return 0, mallsync.Errorf(mallsync.EINVALID, "reversing movements: empty key prefix")
	}
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return 0, err
	}
	var when *string
	if !at.IsZero() {
		t := ts(at)
		when = &t
	}
	res, err := s.db.ExecContext(ctx, reverseMovementsSQL, id, likePrefix(keyPrefix), reason, when)
	if err != nil {
		return 0, fmt.Errorf("reversing movements %s* of %s: %w", keyPrefix, mall, interpret(err))
	}
	added, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("reversing movements %s* of %s: %w", keyPrefix, mall, interpret(err))
	}
	return int(added), nil
}

// likePrefix is a LIKE pattern matching the strings that start with prefix.
func likePrefix(prefix string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(prefix) + "%"
}

// StockByOwnership sums the mall's ledger per (SKU, location, ownership, supplier), in that
// order. A bucket whose movements cancel out is listed with zero figures.
func (s *LedgerStore) StockByOwnership(ctx context.Context, mall mallsync.MallKey) ([]mallsync.StockFigure, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		SKU       string `db:"sku"`
		Location  string `db:"location"`
		Ownership string `db:"ownership"`
		Supplier  string `db:"supplier"`
		OnHand    int    `db:"on_hand"`
		Reserved  int    `db:"reserved"`
	}
	err = s.db.SelectContext(ctx, &rows, `
		SELECT sku, location, ownership, supplier,
			COALESCE(sum(quantity) FILTER (WHERE kind NOT IN ('reserve', 'release')), 0) AS on_hand,
			sum(reserved) AS reserved
		FROM inventory_movements WHERE mall_id = $1
		GROUP BY sku, location, ownership, supplier
		ORDER BY sku, location, ownership, supplier`, id)
	if err != nil {
		return nil, fmt.Errorf("reading stock of %s: %w", mall, interpret(err))
	}
	out := make([]mallsync.StockFigure, len(rows))
	for i, r := range rows {
		out[i] = mallsync.StockFigure{SKU: r.SKU, Location: r.Location, Ownership: mallsync.Ownership(r.Ownership),
			Supplier: r.Supplier, OnHand: r.OnHand, Reserved: r.Reserved, Available: r.OnHand - r.Reserved}
	}
	return out, nil
}

var _ mallsync.Ledger = (*LedgerStore)(nil)
