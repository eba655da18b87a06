package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/mallsync/mallsync"
)

// Claims returns every stored claim of mall with its lines, by claim id.
func (s *SyncStore) Claims(ctx context.Context, mall mallsync.MallKey) ([]mallsync.Claim, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	var rows []claimRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT platform_claim_id, platform_order_id, kind, status, platform_status, reason_type, reason,
			fault_party, return_carrier_code, return_tracking_no, requested_at, changed_at
		FROM claims WHERE mall_id = $1 ORDER BY platform_claim_id`, id); err != nil {
		return nil, fmt.Errorf("reading claims of %s: %w", mall, interpret(err))
	}
	var lines []struct {
		ClaimID  string `db:"platform_claim_id"`
		LineID   string `db:"platform_line_id"`
		Quantity int    `db:"quantity"`
		PStatus  string `db:"platform_status"`
	}
	if err := s.db.SelectContext(ctx, &lines, `
		SELECT platform_claim_id, platform_line_id, quantity, platform_status
		FROM claim_lines WHERE mall_id = $1 ORDER BY platform_claim_id, platform_line_id`, id); err != nil {
		return nil, fmt.Errorf("reading claim lines of %s: %w", mall, interpret(err))
	}
	byClaim := map[string][]mallsync.ClaimLine{}
	for _, l := range lines {
		byClaim[l.ClaimID] = append(byClaim[l.ClaimID], mallsync.ClaimLine{PlatformLineID: l.LineID, Quantity: l.Quantity, PlatformStatus: l.PStatus})
	}
	out := make([]mallsync.Claim, len(rows))
	for i, r := range rows {
		out[i] = r.claim(byClaim[r.ID])
	}
	return out, nil
}

// OpenClaimOrders returns up to limit order ids of the mall's claims that are not completed,
// rejected or withdrawn, those unchanged longest first (mallsync.OpenClaims).
func (s *SyncStore) OpenClaimOrders(ctx context.Context, mall mallsync.MallKey, limit int) ([]string, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := s.db.SelectContext(ctx, &ids, `
		SELECT platform_order_id FROM claims
		WHERE mall_id = $1 AND status NOT IN ('completed', 'rejected', 'withdrawn')
		GROUP BY platform_order_id ORDER BY min(changed_at), platform_order_id LIMIT $2`, id, limit); err != nil {
		return nil, fmt.Errorf("listing open claims of %s: %w", mall, interpret(err))
	}
	return ids, nil
}

// Shipments returns every stored shipment of mall with its lines, by shipment id.
func (s *SyncStore) Shipments(ctx context.Context, mall mallsync.MallKey) ([]mallsync.Shipment, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	var rows []shipmentRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT platform_shipment_id, platform_order_id, kind, carrier_code, tracking_no, platform_status,
			shipped_at, delivered_at, changed_at, line_ids
		FROM shipments WHERE mall_id = $1 ORDER BY platform_shipment_id`, id); err != nil {
		return nil, fmt.Errorf("reading shipments of %s: %w", mall, interpret(err))
	}
	out := make([]mallsync.Shipment, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Refunds returns every stored refund of mall with its lines, by refund id.
func (s *SyncStore) Refunds(ctx context.Context, mall mallsync.MallKey) ([]mallsync.Refund, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID         string       `db:"platform_refund_id"`
		OrderID    string       `db:"platform_order_id"`
		ClaimID    string       `db:"platform_claim_id"`
		Amount     int64        `db:"amount"`
		Done       bool         `db:"done"`
		RefundedAt sql.NullTime `db:"refunded_at"`
		ChangedAt  time.Time    `db:"changed_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT platform_refund_id, platform_order_id, platform_claim_id, amount, done, refunded_at, changed_at
		FROM refunds WHERE mall_id = $1 ORDER BY platform_refund_id`, id); err != nil {
		return nil, fmt.Errorf("reading refunds of %s: %w", mall, interpret(err))
	}
	lines, err := s.childLines(ctx, "refund_lines", "platform_refund_id", id)
	if err != nil {
		return nil, fmt.Errorf("reading refund lines of %s: %w", mall, err)
	}
	out := make([]mallsync.Refund, len(rows))
	for i, r := range rows {
		out[i] = mallsync.Refund{PlatformRefundID: r.ID, PlatformOrderID: r.OrderID, PlatformClaimID: r.ClaimID,
			LineIDs: lines[r.ID], Amount: mallsync.Money(r.Amount), Done: r.Done, RefundedAt: nullTimePtr(r.RefundedAt),
			ChangedAt: r.ChangedAt.UTC()}
	}
	return out, nil
}

// childLines reads a (parent id, line id) table of the mall, by parent. table and parentCol
// are constants of this package, never input.
func (s *SyncStore) childLines(ctx context.Context, table, parentCol string, mallID int64) (map[string][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+parentCol+`, platform_line_id FROM `+table+
		` WHERE mall_id = $1 ORDER BY 1, 2`, mallID)
	if err != nil {
		return nil, interpret(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var p, l string
		if err := rows.Scan(&p, &l); err != nil {
			return nil, interpret(err)
		}
		out[p] = append(out[p], l)
	}
	return out, interpret(rows.Err())
}

func nullTimePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
