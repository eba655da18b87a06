package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// ClaimReader implements mallsync.ClaimReader: one claim and the lines it names, for the
// workflows that run claims.
type ClaimReader struct {
	db    *sqlx.DB
	malls *MallStore
}

// NewClaimReader returns a ClaimReader over db.
func NewClaimReader(db *sqlx.DB, malls *MallStore) *ClaimReader {
	return &ClaimReader{db: db, malls: malls}
}

type claimRow struct {
	ID          string       `db:"platform_claim_id"`
	OrderID     string       `db:"platform_order_id"`
	Kind        string       `db:"kind"`
	Status      string       `db:"status"`
	PStatus     string       `db:"platform_status"`
	ReasonType  string       `db:"reason_type"`
	Reason      string       `db:"reason"`
	Fault       string       `db:"fault_party"`
	Carrier     string       `db:"return_carrier_code"`
	Tracking    string       `db:"return_tracking_no"`
	RequestedAt sql.NullTime `db:"requested_at"`
	ChangedAt   time.Time    `db:"changed_at"`
	Raw         string       `db:"raw"`
}

// Claim returns the mall's claim with the platform id, with its lines, or ENOTFOUND.
func (r *ClaimReader) Claim(ctx context.Context, mall mallsync.MallKey, claimID string) (mallsync.Claim, error) {
	id, err := r.malls.id(ctx, mall)
	if err != nil {
		return mallsync.Claim{}, err
	}
	var c claimRow
	if err := r.db.GetContext(ctx, &c, `
		SELECT platform_claim_id, platform_order_id, kind, status, platform_status, reason_type, reason,
			fault_party, return_carrier_code, return_tracking_no, requested_at, changed_at, raw
		FROM claims WHERE mall_id = $1 AND platform_claim_id = $2`, id, claimID); err != nil {
		if err == sql.ErrNoRows {
			return mallsync.Claim{}, mallsync.Errorf(mallsync.ENOTFOUND, "mall %s has no claim %s", mall, claimID)
		}
		return mallsync.Claim{}, fmt.Errorf("reading claim %s of %s: %w", claimID, mall, interpret(err))
	}
	var lines []struct {
		LineID   string `db:"platform_line_id"`
		Quantity int    `db:"quantity"`
		PStatus  string `db:"platform_status"`
	}
	if err := r.db.SelectContext(ctx, &lines, `
		SELECT platform_line_id, quantity, platform_status FROM claim_lines
		WHERE mall_id = $1 AND platform_claim_id = $2 ORDER BY platform_line_id`, id, claimID); err != nil {
		return mallsync.Claim{}, fmt.Errorf("reading lines of claim %s: %w", claimID, interpret(err))
	}
	var cls []mallsync.ClaimLine
	for _, l := range lines {
		cls = append(cls, mallsync.ClaimLine{PlatformLineID: l.LineID, Quantity: l.Quantity, PlatformStatus: l.PStatus})
	}
	return c.claim(cls), nil
}

// claim converts a stored claim row (raw included when it was selected) to the domain.
func (c claimRow) claim(lines []mallsync.ClaimLine) mallsync.Claim {
	out := mallsync.Claim{PlatformClaimID: c.ID, PlatformOrderID: c.OrderID, Kind: mallsync.ClaimKind(c.Kind),
		Status: mallsync.ClaimStatus(c.Status), PlatformStatus: c.PStatus, ReasonType: c.ReasonType, Reason: c.Reason,
		FaultParty: c.Fault, ReturnCarrierCode: c.Carrier, ReturnTrackingNo: c.Tracking, ChangedAt: c.ChangedAt.UTC(),
		Lines: lines}
	if c.Raw != "" {
		out.Raw = []byte(c.Raw)
	}
	if c.RequestedAt.Valid {
		out.RequestedAt = c.RequestedAt.Time.UTC()
	}
	return out
}

// LinesByID returns the mall's stored lines with these platform line ids (SKU, supplier,
// ownership, status and the rest of the line), in no particular order; ids not stored are
// left out.
func (r *ClaimReader) LinesByID(ctx context.Context, mall mallsync.MallKey, lineIDs []string) ([]mallsync.OrderLine, error) {
	id, err := r.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	var rows []orderLineRow
	if err := r.db.SelectContext(ctx, &rows, `SELECT `+orderLineColumns+`
		FROM order_lines WHERE mall_id = $1 AND platform_line_id = ANY($2)`, id, pq.Array(lineIDs)); err != nil {
		return nil, fmt.Errorf("reading %d line(s) of %s: %w", len(lineIDs), mall, interpret(err))
	}
	out := make([]mallsync.OrderLine, len(rows))
	for i, l := range rows {
		out[i] = l.toDomain()
	}
	return out, nil
}

var _ mallsync.ClaimReader = (*ClaimReader)(nil)
