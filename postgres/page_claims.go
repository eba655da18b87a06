package postgres

import (
	"context"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// upsertClaimsSQL upserts claims from arrays, never overwriting a newer claim, and appends
// their status events (unapplied ones for changes older than what is stored). For each return
// or exchange that is new or whose status or platform status changed it writes an outbox row
// (kind claim_event, key <claim>/<platform status>/<changed_at>, payload a mallsync.ClaimEvent
// whose EventID is the key), in the same statement and so the same transaction: the
// dispatcher delivers it to the claim's ReturnFlow. It returns the platform ids of the claims
// written, each saying whether it was new, so that their lines can be replaced.
const upsertClaimsSQL = `
	WITH incoming AS (
		SELECT t.cid, t.oid, t.kind, t.status, t.pstatus, t.rtype, t.reason, t.fault, t.carrier, t.tracking,
			NULLIF(t.requested, '')::timestamptz AS requested, t.changed::timestamptz AS changed, t.raw
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
			AS t(cid, oid, kind, status, pstatus, rtype, reason, fault, carrier, tracking, requested, changed, raw)
	),
	old AS (
		-- one unique-index probe per incoming claim (OFFSET 0: not flattened into a join, which
		-- the planner, with statistics from before a backfill, made a scan of all the mall's claims)
		SELECT c.id, c.platform_claim_id, c.status, c.platform_status, c.changed_at
		FROM incoming i CROSS JOIN LATERAL (
			SELECT id, platform_claim_id, status, platform_status, changed_at FROM claims
			WHERE mall_id = $1 AND platform_claim_id = i.cid OFFSET 0) c
	),
	up AS (
		INSERT INTO claims (mall_id, platform_claim_id, platform_order_id, kind, status, platform_status,
			reason_type, reason, fault_party, return_carrier_code, return_tracking_no, requested_at, changed_at, raw)
		SELECT $1, cid, oid, kind, status, pstatus, rtype, reason, fault, carrier, tracking, requested, changed, raw
		FROM incoming
		ON CONFLICT (mall_id, platform_claim_id) DO UPDATE SET
			platform_order_id = EXCLUDED.platform_order_id, kind = EXCLUDED.kind, status = EXCLUDED.status,
			platform_status = EXCLUDED.platform_status, reason_type = EXCLUDED.reason_type,
			reason = EXCLUDED.reason, fault_party = EXCLUDED.fault_party,
			return_carrier_code = EXCLUDED.return_carrier_code, return_tracking_no = EXCLUDED.return_tracking_no,
			requested_at = EXCLUDED.requested_at, changed_at = EXCLUDED.changed_at, raw = EXCLUDED.raw,
			seen_at = now()
		WHERE claims.changed_at <= EXCLUDED.changed_at
		RETURNING id, platform_claim_id, platform_order_id, kind, status, platform_status, changed_at,
			xmax = 0 AS inserted
	),
	changed AS (
		SELECT u.*, u.platform_claim_id || '/' || u.platform_status || '/' ||
			to_char(u.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS event_id
		FROM up u LEFT JOIN old o ON o.id = u.id
		WHERE o.id IS NULL OR o.platform_status <> u.platform_status OR o.status <> u.status
	),
	ob AS (
		INSERT INTO outbox (mall_id, kind, key, payload)
		SELECT $1, 'claim_event', c.event_id, jsonb_build_object('event_id', c.event_id, 'mall', m.key,
			'claim_id', c.platform_claim_id, 'order_id', c.platform_order_id, 'kind', c.kind, 'status', c.status,
			'platform_status', c.platform_status,
			'changed_at', to_char(c.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
		FROM changed c JOIN malls m ON m.id = $1
		WHERE c.kind IN ('return', 'exchange')
		ON CONFLICT DO NOTHING
	),
	ev AS (
		INSERT INTO claim_status_events (claim_id, from_status, to_status, platform_code, changed_at, applied)
		SELECT c.id, o.status, c.status, c.platform_status, c.changed_at, true
		FROM changed c LEFT JOIN old o ON o.id = c.id
		UNION ALL
		SELECT o.id, o.status, i.status, i.pstatus, i.changed, false
		FROM incoming i JOIN old o ON o.platform_claim_id = i.cid
		WHERE i.changed < o.changed_at AND (o.platform_status <> i.pstatus OR o.status <> i.status)
		ON CONFLICT (claim_id, changed_at, platform_code) DO NOTHING
	)
	SELECT platform_claim_id AS id, inserted FROM up`

func upsertClaims(ctx context.Context, tx *sqlx.Tx, mallID int64, claims []mallsync.Claim) (int, error) {
	claims = lastOf(claims, func(c mallsync.Claim) string { return c.PlatformClaimID })
	n := len(claims)
	col := func() []string { return make([]string, n) }
	cid, oid, kind, status, pstatus, rtype, reason, fault, carrier, tracking, requested, changed, raw := col(), col(), col(), col(), col(), col(), col(), col(), col(), col(), col(), col(), col()
	for i, c := range claims {
		cid[i], oid[i], kind[i], status[i], pstatus[i] = c.PlatformClaimID, c.PlatformOrderID, string(c.Kind), string(c.Status), c.PlatformStatus
		rtype[i], reason[i], fault[i], carrier[i], tracking[i] = c.ReasonType, c.Reason, c.FaultParty, c.ReturnCarrierCode, c.ReturnTrackingNo
		if !c.RequestedAt.IsZero() {
			requested[i] = ts(c.RequestedAt)
		}
		changed[i], raw[i] = ts(c.ChangedAt), rawText(c.Raw)
	}
	var written []writtenRow
	if err := tx.SelectContext(ctx, &written, upsertClaimsSQL, mallID, textArray(cid), textArray(oid), textArray(kind),
		textArray(status), textArray(pstatus), textArray(rtype), textArray(reason), textArray(fault), textArray(carrier),
		textArray(tracking), textArray(requested), textArray(changed), textArray(raw)); err != nil {
		return 0, interpret(err)
	}
	if len(written) == 0 {
		return 0, nil
	}
	keep, updated := splitWritten(written)
	var lc, ll, lp []string
	var lq []int64
	for _, c := range claims {
		if !keep[c.PlatformClaimID] {
			continue
		}
		for _, l := range lastOf(c.Lines, func(l mallsync.ClaimLine) string { return l.PlatformLineID }) {
			lc, ll, lq, lp = append(lc, c.PlatformClaimID), append(ll, l.PlatformLineID), append(lq, int64(l.Quantity)), append(lp, l.PlatformStatus)
		}
	}
	if len(updated) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM claim_lines WHERE mall_id = $1 AND platform_claim_id = ANY($2)`, mallID, textArray(updated)); err != nil {
			return 0, interpret(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO claim_lines (mall_id, platform_claim_id, platform_line_id, quantity, platform_status)
		SELECT $1, t.c, t.l, t.q, t.p FROM unnest($2::text[], $3::text[], $4::int8[], $5::text[]) AS t(c, l, q, p)`,
		mallID, textArray(lc), textArray(ll), pq.Array(lq), textArray(lp)); err != nil {
		return 0, interpret(err)
	}
	return len(written), nil
}

// upsertShipmentsSQL upserts shipments from arrays, never overwriting a newer one. A parcel's
// line ids come as one text[] literal per parcel ($11): each is parsed once, where slices of
// one flat array cost PostgreSQL a walk from the array's start for every parcel.
const upsertShipmentsSQL = `
	INSERT INTO shipments (mall_id, platform_shipment_id, platform_order_id, kind, carrier_code, tracking_no,
		platform_status, shipped_at, delivered_at, changed_at, line_ids)
	SELECT $1, t.sid, t.oid, t.kind, t.carrier, t.tracking, t.pstatus, NULLIF(t.shipped, '')::timestamptz,
		NULLIF(t.delivered, '')::timestamptz, t.changed::timestamptz, t.lines::text[]
	FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
		$11::text[])
		AS t(sid, oid, kind, carrier, tracking, pstatus, shipped, delivered, changed, lines)
	ON CONFLICT (mall_id, platform_shipment_id) DO UPDATE SET
		platform_order_id = EXCLUDED.platform_order_id, kind = EXCLUDED.kind, carrier_code = EXCLUDED.carrier_code,
		tracking_no = EXCLUDED.tracking_no, platform_status = EXCLUDED.platform_status,
		shipped_at = EXCLUDED.shipped_at, delivered_at = EXCLUDED.delivered_at, changed_at = EXCLUDED.changed_at,
		line_ids = EXCLUDED.line_ids, seen_at = now()
	WHERE shipments.changed_at <= EXCLUDED.changed_at`

func upsertShipments(ctx context.Context, tx *sqlx.Tx, mallID int64, ships []mallsync.Shipment) (int, error) {
	ships = lastOf(ships, func(s mallsync.Shipment) string { return s.PlatformShipmentID })
	n := len(ships)
	col := func() []string { return make([]string, n) }
	sid, oid, kind, carrier, tracking, pstatus, shipped, delivered, changed := col(), col(), col(), col(), col(), col(), col(), col(), col()
	lines := col()
	for i, s := range ships {
		if !s.Kind.Valid() {
			return 0, mallsync.Errorf(mallsync.EINVALID, "shipment %s has kind %q", s.PlatformShipmentID, s.Kind)
		}
		sid[i], oid[i], kind[i], carrier[i], tracking[i], pstatus[i] = s.PlatformShipmentID, s.PlatformOrderID, string(s.Kind), s.CarrierCode, s.TrackingNo, s.PlatformStatus
		shipped[i], delivered[i], changed[i] = tsp(s.ShippedAt), tsp(s.DeliveredAt), ts(s.ChangedAt)
		lines[i] = textArray(parcelLineIDs(s.LineIDs)).literal()
	}
	res, err := tx.ExecContext(ctx, upsertShipmentsSQL, mallID, textArray(sid), textArray(oid), textArray(kind),
		textArray(carrier), textArray(tracking), textArray(pstatus), textArray(shipped), textArray(delivered), textArray(changed),
		textArray(lines))
	if err != nil {
		return 0, interpret(err)
	}
	written, err := res.RowsAffected()
	if err != nil {
		return 0, interpret(err)
	}
	return int(written), nil
}

// parcelLineIDs is a parcel's line ids as stored: each once, in byte order, so that a parcel
// reads back the same whatever order the platform listed its lines in.
func parcelLineIDs(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// writtenRow is a parent row an upsert wrote: its platform id, and whether it was new.
type writtenRow struct {
	ID       string `db:"id"`
	Inserted bool   `db:"inserted"`
}

// splitWritten returns the ids written and, of those, the ones that were there before: only
// those can have line rows to replace (line rows never outlive their parent), which spares a
// backfill a DELETE that finds nothing.
func splitWritten(rows []writtenRow) (written map[string]bool, updated []string) {
	written = make(map[string]bool, len(rows))
	for _, r := range rows {
		written[r.ID] = true
		if !r.Inserted {
			updated = append(updated, r.ID)
		}
	}
	return written, updated
}

// replaceLines deletes the line rows of the parents in `old` and inserts ps[i]/ls[i] in a
// (parent id, line id) table. table and parentCol are constants of this package, never input.
func replaceLines(ctx context.Context, tx *sqlx.Tx, table, parentCol string, mallID int64, old, ps, ls []string) error {
	if len(old) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE mall_id = $1 AND `+parentCol+` = ANY($2)`, mallID, textArray(old)); err != nil {
			return interpret(err)
		}
	}
	if len(ls) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (mall_id, `+parentCol+`, platform_line_id)
		SELECT $1, t.p, t.l FROM unnest($2::text[], $3::text[]) AS t(p, l)`, mallID, textArray(ps), textArray(ls))
	return interpret(err)
}

// lastOf keeps the last of each key, in first-seen order: one statement may not upsert a row twice.
func lastOf[T any](in []T, key func(T) string) []T {
	at := make(map[string]int, len(in))
	out := make([]T, 0, len(in))
	for _, v := range in {
		k := key(v)
		if i, ok := at[k]; ok {
			out[i] = v
			continue
		}
		at[k] = len(out)
		out = append(out, v)
	}
	return out
}

// rawText is a record's raw JSON as stored ("{}" when there is none).
func rawText(b []byte) string {
	if len(b) == 0 {
		return "{}"
	}
	return string(b)
}

// dropVanishedParcelsSQL deletes the forward parcels and re-shipments of the page's orders
// that the page no longer has. Return pickups come with their claims and stay. (Pages of a
// stream commit in the order they were read, and a page holding a stale cursor writes
// nothing, so a page never deletes a parcel that a fresher page wrote.)
const dropVanishedParcelsSQL = `
	DELETE FROM shipments s
	WHERE s.mall_id = $1 AND s.platform_order_id = ANY($2::text[]) AND s.kind IN ('forward', 'reshipment')
		AND NOT (s.platform_shipment_id = ANY($3::text[]))`

// dropVanishedParcels removes parcels the platform deleted: a page carries each of its orders
// whole, shipments included, so a stored parcel of one of them that the page lacks is gone.
// Orders whose shipments did not map (a shipment Reject) are left alone.
func dropVanishedParcels(ctx context.Context, tx *sqlx.Tx, mallID int64, page mallsync.Page) error {
	unmapped := map[string]bool{}
	for _, r := range page.Rejects {
		if r.Resource == "shipment" {
			unmapped[r.PlatformID] = true
		}
	}
	var ids []string
	for i := range page.Orders {
		if id := page.Orders[i].PlatformOrderID; !unmapped[id] {
			ids = append(ids, id)
		}
	}
	keep := make([]string, len(page.Shipments))
	for i, s := range page.Shipments {
		keep[i] = s.PlatformShipmentID
	}
	_, err := tx.ExecContext(ctx, dropVanishedParcelsSQL, mallID, textArray(ids), textArray(keep))
	return interpret(err)
}
