package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// ApplyPage upserts a page and moves the cursor in one transaction (see mallsync.SyncStore).
func (s *SyncStore) ApplyPage(ctx context.Context, mall mallsync.MallKey, stream mallsync.Stream, page mallsync.Page, from mallsync.Cursor, next string) (mallsync.Applied, error) {
	staged, err := s.StagePage(ctx, mall, stream, page)
	if err != nil {
		return mallsync.Applied{}, err
	}
	return staged.Commit(ctx, from, next)
}

// stagedPage is a page written in an open transaction, waiting for its cursor.
type stagedPage struct {
	tx     *sqlx.Tx
	mallID int64
	mall   mallsync.MallKey
	stream mallsync.Stream
	res    mallsync.Applied
}

// lockTimeout bounds how long a page waits for a row lock.
const lockTimeout = "15s"

// pageWorkMem is the page transaction's work_mem: a page's raw JSON (a few MB for 1,000
// orders) is split into rows in memory instead of spilling to a temporary file, as it did
// with PostgreSQL's default of 4MB.
const pageWorkMem = "32MB"

// StagePage writes a page's records in a transaction it leaves open (see mallsync.SyncStore).
func (s *SyncStore) StagePage(ctx context.Context, mall mallsync.MallKey, stream mallsync.Stream, page mallsync.Page) (mallsync.StagedPage, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	orders, lines := dedupe(page.Orders)
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("beginning page of %s/%s: %w", mall, stream, interpret(err))
	}
	sp := &stagedPage{tx: tx, mallID: id, mall: mall, stream: stream,
		res: mallsync.Applied{Orders: len(orders), Lines: len(lines)}}
	if err := sp.write(ctx, s, orders, lines, page.Rejects); err != nil {
		sp.Abort()
		return nil, err
	}
	if err := sp.writeRest(ctx, page); err != nil {
		sp.Abort()
		return nil, err
	}
	return sp, nil
}

func (sp *stagedPage) write(ctx context.Context, s *SyncStore, orders []*mallsync.Order, lines []lineRef, rejects []mallsync.Reject) error {
	// The commit need not wait for the WAL flush: a page and its cursor are lost or kept
	// together, and a lost page is fetched again from the platform. A row lock held by another
	// writer (a page of an activity attempt that Temporal already gave up on, waiting on its
	// own pages) is not waited for without end: after lockTimeout the page fails and is retried.
	// The page's raw JSON is split in memory (pageWorkMem), not in a temporary file.
	if _, err := sp.tx.ExecContext(ctx, `SELECT set_config('synchronous_commit', 'off', true), set_config('lock_timeout', $1, true), set_config('work_mem', $2, true)`,
		lockTimeout, pageWorkMem); err != nil {
		return fmt.Errorf("beginning page of %s/%s: %w", sp.mall, sp.stream, interpret(err))
	}
	if len(orders) > 0 {
		st, err := s.prepared(ctx)
		if err != nil {
			return err
		}
		if err := upsertOrders(ctx, sp.tx, st, sp.mallID, orders); err != nil {
			return fmt.Errorf("upserting orders of %s: %w", sp.mall, err)
		}
		ev, stale, err := upsertLines(ctx, sp.tx, st, sp.mallID, lines)
		if err != nil {
			return fmt.Errorf("upserting lines of %s: %w", sp.mall, err)
		}
		sp.res.Events, sp.res.Stale = ev, stale
	}
	if len(rejects) > 0 {
		if err := quarantine(ctx, sp.tx, sp.mallID, sp.stream, rejects); err != nil {
			return fmt.Errorf("quarantining records of %s: %w", sp.mall, err)
		}
		sp.res.Quarantined = len(rejects)
	}
	return nil
}

// writeRest writes the page's claims, shipments, refunds, suppliers and products.
func (sp *stagedPage) writeRest(ctx context.Context, page mallsync.Page) error {
	var err error
	if len(page.Claims) > 0 {
		if sp.res.Claims, err = upsertClaims(ctx, sp.tx, sp.mallID, page.Claims); err != nil {
			return fmt.Errorf("upserting claims of %s: %w", sp.mall, err)
		}
	}
	if len(page.Shipments) > 0 {
		if sp.res.Shipments, err = upsertShipments(ctx, sp.tx, sp.mallID, page.Shipments); err != nil {
			return fmt.Errorf("upserting shipments of %s: %w", sp.mall, err)
		}
	}
	if page.WholeParcels && len(page.Orders) > 0 {
		if err := dropVanishedParcels(ctx, sp.tx, sp.mallID, page); err != nil {
			return fmt.Errorf("dropping vanished parcels of %s: %w", sp.mall, err)
		}
	}
	if len(page.Refunds) > 0 {
		if sp.res.Refunds, err = upsertRefunds(ctx, sp.tx, sp.mallID, page.Refunds); err != nil {
			return fmt.Errorf("upserting refunds of %s: %w", sp.mall, err)
		}
	}
	if len(page.Suppliers) > 0 {
		if sp.res.Suppliers, err = upsertSuppliers(ctx, sp.tx, sp.mallID, page.Suppliers); err != nil {
			return fmt.Errorf("upserting suppliers of %s: %w", sp.mall, err)
		}
	}
	if len(page.Products) > 0 {
		if sp.res.Variants, err = upsertProducts(ctx, sp.tx, sp.mallID, page.Products); err != nil {
			return fmt.Errorf("upserting products of %s: %w", sp.mall, err)
		}
	}
	return nil
}

// Commit moves the cursor from `from` to next and commits the page, or returns ECONFLICT and
// keeps nothing when the stored cursor is not `from`.
func (sp *stagedPage) Commit(ctx context.Context, from mallsync.Cursor, next string) (mallsync.Applied, error) {
	defer sp.Abort()
	res := sp.res
	err := sp.tx.GetContext(ctx, &res.Cursor.Seq, `
		UPDATE sync_cursors SET cursor = $3, seq = seq + 1, updated_at = now()
		WHERE mall_id = $1 AND stream = $2 AND seq = $4 RETURNING seq`, sp.mallID, string(sp.stream), next, from.Seq)
	if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
		return mallsync.Applied{}, mallsync.Errorf(mallsync.ECONFLICT, "cursor of %s/%s moved on from %d: another writer got there first", sp.mall, sp.stream, from.Seq)
	}
	if err != nil {
		return mallsync.Applied{}, fmt.Errorf("saving cursor of %s/%s: %w", sp.mall, sp.stream, interpret(err))
	}
	res.Cursor.Value = next
	if err := sp.tx.Commit(); err != nil {
		return mallsync.Applied{}, fmt.Errorf("committing page of %s/%s: %w", sp.mall, sp.stream, interpret(err))
	}
	return res, nil
}

// Abort rolls the page back; after Commit it does nothing.
func (sp *stagedPage) Abort() { _ = sp.tx.Rollback() }

// lineRef is a line with the order it belongs to.
type lineRef struct {
	orderID string
	line    *mallsync.OrderLine
}

// dedupe keeps one copy of each order and line (the latest change; the last one seen on a tie):
// a platform whose list shifted between pages may send a record twice, and one statement may
// not upsert a row twice.
func dedupe(in []mallsync.Order) ([]*mallsync.Order, []lineRef) {
	orderAt := make(map[string]int, len(in))
	orders := make([]*mallsync.Order, 0, len(in))
	for i := range in {
		o := &in[i]
		if j, ok := orderAt[o.PlatformOrderID]; ok {
			if !o.ChangedAt.Before(orders[j].ChangedAt) {
				orders[j] = o
			}
			continue
		}
		orderAt[o.PlatformOrderID] = len(orders)
		orders = append(orders, o)
	}
	lineAt := make(map[string]int, 2*len(orders))
	lines := make([]lineRef, 0, 2*len(orders))
	for _, o := range orders {
		for j := range o.Lines {
			l := &o.Lines[j]
			if k, ok := lineAt[l.PlatformLineID]; ok {
				if !l.ChangedAt.Before(lines[k].line.ChangedAt) {
					lines[k] = lineRef{o.PlatformOrderID, l}
				}
				continue
			}
			lineAt[l.PlatformLineID] = len(lines)
			lines = append(lines, lineRef{o.PlatformOrderID, l})
		}
	}
	return orders, lines
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func tsp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return ts(*t)
}

// upsertOrdersSQL upserts a page of orders from arrays ($2..$16) and the raw JSON of every
// order in one text ($17), never overwriting a newer order, skipping unchanged ones.
const upsertOrdersSQL = `
		INSERT INTO orders (mall_id, platform_order_id, channel, ordered_at, paid_at, buyer_name, buyer_phone,
			buyer_email, receiver_name, receiver_phone, receiver_zipcode, receiver_address, payment_amount,
			shipping_fee, changed_at, raw, raw_hash)
		SELECT $1, t.id, t.channel, t.ordered::timestamptz, NULLIF(t.paid, '')::timestamptz, t.bname, t.bphone,
			t.bemail, t.rname, t.rphone, t.rzip, t.raddr, t.pay, t.fee, t.changed::timestamptz, r.raw, t.hash
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::text[], $13::int8[], $14::int8[], $15::text[], $16::text[])
			WITH ORDINALITY AS t(id, channel, ordered, paid, bname, bphone, bemail, rname, rphone, rzip, raddr,
				pay, fee, changed, hash, n)
		JOIN string_to_table($17, chr(30)) WITH ORDINALITY AS r(raw, n) USING (n)
		ON CONFLICT (mall_id, platform_order_id) DO UPDATE SET
			channel = EXCLUDED.channel, ordered_at = EXCLUDED.ordered_at, paid_at = EXCLUDED.paid_at,
			buyer_name = EXCLUDED.buyer_name, buyer_phone = EXCLUDED.buyer_phone, buyer_email = EXCLUDED.buyer_email,
			receiver_name = EXCLUDED.receiver_name, receiver_phone = EXCLUDED.receiver_phone,
			receiver_zipcode = EXCLUDED.receiver_zipcode, receiver_address = EXCLUDED.receiver_address,
			payment_amount = EXCLUDED.payment_amount, shipping_fee = EXCLUDED.shipping_fee,
			changed_at = EXCLUDED.changed_at, raw = EXCLUDED.raw, raw_hash = EXCLUDED.raw_hash, updated_at = now()
		WHERE orders.changed_at <= EXCLUDED.changed_at AND orders.raw_hash <> EXCLUDED.raw_hash`

// upsertLinesSQL upserts a page of lines from arrays and records their status events: a new
// line's first event in its own first_* columns, a change of a stored line as an applied row of
// line_status_changes, a change older than what is stored as an unapplied one (the view
// line_status_events reads them all as one history). It also appends the ledger movements of
// the lines' new statuses. It returns the number of events recorded and of stale lines.
var upsertLinesSQL = `
		WITH incoming AS (
			SELECT t.oid, t.lid, t.pno, t.pcode, t.vcode, t.sku, t.pname, t.opt, t.brand, t.scode, t.sname,
				t.qty::int AS qty, t.price, t.pay, t.status, t.pstatus, t.own, t.ccode, t.ckind, t.cstatus,
				t.carrier, t.tracking, NULLIF(t.shipped, '')::timestamptz AS shipped,
				NULLIF(t.delivered, '')::timestamptz AS delivered, t.changed::timestamptz AS changed
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
				$9::text[], $10::text[], $11::text[], $12::text[], $13::int8[], $14::int8[], $15::int8[],
				$16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[],
				$23::text[], $24::text[], $25::text[], $26::text[])
				AS t(oid, lid, pno, pcode, vcode, sku, pname, opt, brand, scode, sname, qty, price, pay,
					status, pstatus, own, ccode, ckind, cstatus, carrier, tracking, shipped, delivered, changed)
		),
		old AS (
			-- one unique-index probe per incoming line, whatever the planner thinks of the table:
			-- OFFSET 0 keeps the subquery from being flattened into a join, which the planner,
			-- with statistics from before a backfill, made a hash join over all the mall's lines
			SELECT l.id, l.platform_line_id, l.status, l.platform_status, l.changed_at, l.first_changed_at,
				l.first_platform_code
			FROM incoming i CROSS JOIN LATERAL (
				SELECT id, platform_line_id, status, platform_status, changed_at, first_changed_at, first_platform_code
				FROM order_lines WHERE mall_id = $1 AND platform_line_id = i.lid OFFSET 0) l
		),
		up AS (
			INSERT INTO order_lines (mall_id, platform_order_id, platform_line_id, product_no, product_code,
				variant_code, sku, product_name, option_value, brand, supplier_code, supplier_name, quantity,
				unit_price, payment_amount, status, platform_status, ownership, claim_code, claim_kind,
				claim_status, carrier_code, tracking_no, shipped_at, delivered_at, changed_at,
				first_status, first_platform_code, first_changed_at, first_seen_at)
			SELECT $1, oid, lid, pno, pcode, vcode, sku, pname, opt, brand, scode, sname, qty, price, pay,
				status, pstatus, own, ccode, ckind, cstatus, carrier, tracking, shipped, delivered, changed,
				status, pstatus, changed, now()
			FROM incoming
			ON CONFLICT (mall_id, platform_line_id) DO UPDATE SET
				platform_order_id = EXCLUDED.platform_order_id, product_no = EXCLUDED.product_no,
				product_code = EXCLUDED.product_code, variant_code = EXCLUDED.variant_code, sku = EXCLUDED.sku,
				product_name = EXCLUDED.product_name, option_value = EXCLUDED.option_value, brand = EXCLUDED.brand,
				supplier_code = EXCLUDED.supplier_code, supplier_name = EXCLUDED.supplier_name,
				quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
				payment_amount = EXCLUDED.payment_amount, status = EXCLUDED.status,
				platform_status = EXCLUDED.platform_status, ownership = EXCLUDED.ownership,
				claim_code = EXCLUDED.claim_code, claim_kind = EXCLUDED.claim_kind,
				claim_status = EXCLUDED.claim_status, carrier_code = EXCLUDED.carrier_code,
				tracking_no = EXCLUDED.tracking_no, shipped_at = EXCLUDED.shipped_at,
				delivered_at = EXCLUDED.delivered_at, changed_at = EXCLUDED.changed_at, updated_at = now()
			WHERE order_lines.changed_at <= EXCLUDED.changed_at
				AND (order_lines.status, order_lines.platform_status, order_lines.quantity, order_lines.unit_price,
					order_lines.payment_amount, order_lines.claim_code, order_lines.claim_status,
					order_lines.tracking_no, order_lines.ownership, order_lines.changed_at,
					order_lines.product_name, order_lines.option_value, order_lines.shipped_at,
					order_lines.delivered_at)
				IS DISTINCT FROM
					(EXCLUDED.status, EXCLUDED.platform_status, EXCLUDED.quantity, EXCLUDED.unit_price,
					EXCLUDED.payment_amount, EXCLUDED.claim_code, EXCLUDED.claim_status, EXCLUDED.tracking_no,
					EXCLUDED.ownership, EXCLUDED.changed_at, EXCLUDED.product_name, EXCLUDED.option_value,
					EXCLUDED.shipped_at, EXCLUDED.delivered_at)
			RETURNING id, status, platform_status, changed_at, xmax = 0 AS inserted, platform_order_id,
				platform_line_id, quantity, ownership, supplier_code,
				COALESCE(NULLIF(sku, ''), NULLIF(variant_code, ''), product_code) AS stock_sku
		),
		stale AS (
			-- older than what is stored, and saying something else: recorded, not applied
			SELECT o.id, o.status AS from_status, i.status, i.pstatus, i.changed, o.first_changed_at, o.first_platform_code
			FROM incoming i JOIN old o ON o.platform_line_id = i.lid
			WHERE i.changed < o.changed_at AND (o.platform_status <> i.pstatus OR o.status <> i.status)
		),
		later AS (
			-- a line inserted now records its first event itself (first_status and the rest); the
			-- changes of lines already stored are rows of their own. Neither may repeat an event
			-- the line has (line_status_events, the view of both, is keyed like this table)
			INSERT INTO line_status_changes (line_id, from_status, to_status, platform_code, changed_at, applied)
			SELECT u.id, o.status, u.status, u.platform_status, u.changed_at, true
			FROM up u JOIN old o ON o.id = u.id
			WHERE NOT u.inserted AND (o.platform_status <> u.platform_status OR o.status <> u.status)
				AND (u.changed_at, u.platform_status) IS DISTINCT FROM (o.first_changed_at, o.first_platform_code)
			UNION ALL
			SELECT id, from_status, status, pstatus, changed, false FROM stale
			WHERE (changed, pstatus) IS DISTINCT FROM (first_changed_at, first_platform_code)
			ON CONFLICT (line_id, changed_at, platform_code) DO NOTHING
			RETURNING applied
		),
		moved AS MATERIALIZED (
			-- lines the page saw first or moved to another status, with the movement it calls for
			SELECT u.platform_order_id AS oid, u.platform_line_id AS lid, u.quantity AS qty, u.status,
				u.ownership AS own, u.supplier_code AS supplier, u.stock_sku AS sku, u.changed_at, u.inserted, k.kind
			FROM up u LEFT JOIN old o ON NOT u.inserted AND o.id = u.id
			CROSS JOIN LATERAL (SELECT CASE
				WHEN u.status IN ('paid', 'preparing') THEN 'reserve'
				WHEN u.status = 'canceled' THEN 'release'
				WHEN u.status IN ('shipped', 'delivered', 'confirmed', 'returned', 'exchanged')
					AND (u.inserted OR o.status IN ('pending_payment', 'paid', 'preparing')) THEN 'issue'
				END AS kind) k
			WHERE (u.inserted OR o.status <> u.status) AND k.kind IS NOT NULL
				-- a pre-shipped reorder's goods left with its original's parcel: no reserve, no issue
				AND NOT EXISTS (SELECT 1 FROM reorders ro WHERE ro.mall_id = $1 AND ro.platform_order_id = u.platform_order_id)
		),
		mv AS (
			-- ledger movements (see the package doc)
			INSERT INTO inventory_movements (mall_id, key, kind, sku, location, ownership, supplier, quantity,
				reserved, platform_order_id, platform_line_id, reason, at)
			-- our stock reserved, or issued with no reservation to end (a line first seen dispatched):
			-- no lookup, which is the whole of a backfill
			SELECT $1, 'line/' || lid || '/' || kind, kind, sku, 'warehouse', own, supplier,
				CASE kind WHEN 'reserve' THEN qty ELSE -qty END, CASE kind WHEN 'reserve' THEN qty ELSE 0 END,
				oid, lid, 'line ' || status, changed_at
			FROM moved
			WHERE (kind = 'reserve' OR kind = 'issue' AND inserted) AND own <> 'consignment' AND sku <> '' AND qty > 0
			UNION ALL
			-- a known line canceled or dispatched: its open reservation decides. Release and issue move
			-- the reserve's bucket; a consignment line's dispatch only releases what was reserved while
			-- the line was ours
			SELECT $1, 'line/' || m.lid || '/' || k.kind, k.kind, COALESCE(r.sku, m.sku), 'warehouse',
				COALESCE(r.ownership, m.own), COALESCE(r.supplier, m.supplier),
				CASE k.kind WHEN 'release' THEN -r.reserved ELSE -m.qty END, -COALESCE(r.reserved, 0),
				m.oid, m.lid, 'line ' || m.status, m.changed_at
			FROM moved m
			LEFT JOIN LATERAL (` + openReservationOfLine + `) r ON true
			CROSS JOIN LATERAL (SELECT CASE WHEN m.kind = 'issue' AND m.own = 'consignment' THEN 'release'
				ELSE m.kind END AS kind) k
			WHERE NOT m.inserted AND m.kind IN ('release', 'issue')
				AND (r.reserved IS NOT NULL OR m.kind = 'issue' AND m.own <> 'consignment' AND m.sku <> '' AND m.qty > 0)
			ON CONFLICT (mall_id, key) DO NOTHING
		)
		SELECT (SELECT count(*) FROM up WHERE inserted) + (SELECT count(*) FROM later), (SELECT count(*) FROM stale)`

// recordSeparator separates raw orders in one parameter; valid JSON never contains it.
const recordSeparator = 0x1e

func upsertOrders(ctx context.Context, tx *sqlx.Tx, st *statements, mallID int64, orders []*mallsync.Order) error {
	n := len(orders)
	ids, channels, ordered, paid := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	bName, bPhone, bEmail := make([]string, n), make([]string, n), make([]string, n)
	rName, rPhone, rZip, rAddr := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	pay, fee := make([]int64, n), make([]int64, n)
	changed, hashes := make([]string, n), make([]string, n)
	// The raw JSON of all orders travels as one text, separated by the record separator (0x1E),
	// a byte valid JSON cannot contain: no escaping here, no parsing on the server.
	var raws strings.Builder
	size := len(orders)
	for _, o := range orders {
		size += len(o.Raw)
	}
	raws.Grow(size)
	for i, o := range orders {
		ids[i], channels[i], ordered[i], paid[i] = o.PlatformOrderID, o.Channel, ts(o.OrderedAt), tsp(o.PaidAt)
		bName[i], bPhone[i], bEmail[i] = o.Buyer.Name, firstNonEmpty(o.Buyer.Cellphone, o.Buyer.Phone), o.Buyer.Email
		rName[i], rPhone[i], rZip[i], rAddr[i] = o.Receiver.Name, firstNonEmpty(o.Receiver.Cellphone, o.Receiver.Phone), o.Receiver.Zipcode, o.Receiver.Address
		pay[i], fee[i], changed[i] = int64(o.PaymentAmount), int64(o.ShippingFee), ts(o.ChangedAt)
		raw := o.Raw
		if len(raw) == 0 {
			raw = []byte("{}")
		}
		if bytes.IndexByte(raw, recordSeparator) >= 0 || bytes.IndexByte(raw, 0) >= 0 {
			return mallsync.Errorf(mallsync.EINVALID, "order %s: raw payload is not JSON text (control byte)", o.PlatformOrderID)
		}
		sum := sha256.Sum256(raw)
		hashes[i] = hex.EncodeToString(sum[:16])
		if i > 0 {
			raws.WriteByte(recordSeparator)
		}
		raws.Write(raw)
	}
	_, err := tx.StmtxContext(ctx, st.orders).ExecContext(ctx,
		mallID, textArray(ids), textArray(channels), textArray(ordered), textArray(paid), textArray(bName),
		textArray(bPhone), textArray(bEmail), textArray(rName), textArray(rPhone), textArray(rZip), textArray(rAddr),
		pq.Array(pay), pq.Array(fee), textArray(changed), textArray(hashes), raws.String())
	return interpret(err)
}

func upsertLines(ctx context.Context, tx *sqlx.Tx, st *statements, mallID int64, lines []lineRef) (events, stale int, err error) {
	n := len(lines)
	col := func() []string { return make([]string, n) }
	oid, lid, pno, pcode, vcode, sku, pname, opt, brand, scode, sname := col(), col(), col(), col(), col(), col(), col(), col(), col(), col(), col()
	status, pstatus, own, ccode, ckind, cstatus, carrier, tracking, shipped, delivered, changed := col(), col(), col(), col(), col(), col(), col(), col(), col(), col(), col()
	qty, price, pay := make([]int64, n), make([]int64, n), make([]int64, n)
	for i, r := range lines {
		l := r.line
		oid[i], lid[i], pno[i], pcode[i], vcode[i], sku[i] = r.orderID, l.PlatformLineID, l.ProductNo, l.ProductCode, l.VariantCode, l.SKU
		pname[i], opt[i], brand[i], scode[i], sname[i] = l.ProductName, l.OptionValue, l.Brand, l.SupplierCode, l.SupplierName
		qty[i], price[i], pay[i] = int64(l.Quantity), int64(l.UnitPrice), int64(l.PaymentAmount)
		status[i], pstatus[i], own[i] = string(l.Status), l.PlatformStatus, string(l.Ownership)
		ccode[i], ckind[i], cstatus[i] = l.ClaimCode, string(l.ClaimKind), string(l.ClaimStatus)
		carrier[i], tracking[i], shipped[i], delivered[i], changed[i] = l.CarrierCode, l.TrackingNo, tsp(l.ShippedAt), tsp(l.DeliveredAt), ts(l.ChangedAt)
	}
	err = tx.StmtxContext(ctx, st.lines).QueryRowxContext(ctx,
		mallID, textArray(oid), textArray(lid), textArray(pno), textArray(pcode), textArray(vcode), textArray(sku),
		textArray(pname), textArray(opt), textArray(brand), textArray(scode), textArray(sname), pq.Array(qty),
		pq.Array(price), pq.Array(pay), textArray(status), textArray(pstatus), textArray(own), textArray(ccode),
		textArray(ckind), textArray(cstatus), textArray(carrier), textArray(tracking), textArray(shipped),
		textArray(delivered), textArray(changed)).Scan(&events, &stale)
	return events, stale, interpret(err)
}

func quarantine(ctx context.Context, tx *sqlx.Tx, mallID int64, stream mallsync.Stream, rejects []mallsync.Reject) error {
	// One row per (resource, platform id); the last copy of a duplicate wins.
	at := make(map[[2]string]int, len(rejects))
	var res, pid, reason, raw []string
	for _, r := range rejects {
		k := [2]string{r.Resource, r.PlatformID}
		if i, ok := at[k]; ok {
			reason[i], raw[i] = r.Reason, string(r.Raw)
			continue
		}
		at[k] = len(res)
		res, pid, reason, raw = append(res, r.Resource), append(pid, r.PlatformID), append(reason, r.Reason), append(raw, string(r.Raw))
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO quarantine (mall_id, stream, resource, platform_id, reason, raw)
		SELECT $1, $2, t.res, t.pid, t.reason, t.raw FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(res, pid, reason, raw)
		ON CONFLICT (mall_id, resource, platform_id) DO UPDATE SET reason = EXCLUDED.reason, raw = EXCLUDED.raw,
			stream = EXCLUDED.stream, last_seen_at = now(), seen_count = quarantine.seen_count + 1`,
		mallID, string(stream), textArray(res), textArray(pid), textArray(reason), textArray(raw))
	return interpret(err)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
