package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
)

// AuditLog implements mallsync.AuditLog over the append-only audit_log table.
type AuditLog struct {
	db *sqlx.DB
	// NowFunc stamps entries recorded without a time; nil means time.Now.
	NowFunc func() time.Time
}

// NewAuditLog returns an AuditLog over db.
func NewAuditLog(db *sqlx.DB) *AuditLog {
	return &AuditLog{db: db}
}

const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// Record appends e.
func (l *AuditLog) Record(ctx context.Context, e mallsync.AuditEntry) error {
	if e.Action == "" {
		return mallsync.Errorf(mallsync.EINVALID, "an audit entry needs an action")
	}
	if e.At.IsZero() {
		e.At = time.Now()
		if l.NowFunc != nil {
			e.At = l.NowFunc()
		}
	}
	detail := []byte("{}")
	if len(e.Detail) > 0 {
		var err error
		if detail, err = json.Marshal(e.Detail); err != nil {
			return fmt.Errorf("encoding the detail of audit entry %s: %w", e.Action, err)
		}
	}
	if _, err := l.db.ExecContext(ctx, `INSERT INTO audit_log (at, user_name, role, action, target, detail)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.At.UTC(), e.User, string(e.Role), e.Action, e.Target, detail); err != nil {
		return fmt.Errorf("recording audit entry %s: %w", e.Action, interpret(err))
	}
	return nil
}

// Entries returns the entries f selects, newest first.
func (l *AuditLog) Entries(ctx context.Context, f mallsync.AuditFilter) ([]mallsync.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultAuditLimit
	}
	limit = min(limit, maxAuditLimit)
	var rows []struct {
		ID     int64     `db:"id"`
		At     time.Time `db:"at"`
		User   string    `db:"user_name"`
		Role   string    `db:"role"`
		Action string    `db:"action"`
		Target string    `db:"target"`
		Detail []byte    `db:"detail"`
	}
	if err := l.db.SelectContext(ctx, &rows, `SELECT id, at, user_name, role, action, target, detail FROM audit_log
		WHERE ($1 = '' OR user_name = $1) AND ($2 = '' OR action = $2) ORDER BY at DESC, id DESC LIMIT $3`,
		f.User, f.Action, limit); err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", interpret(err))
	}
	out := make([]mallsync.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = mallsync.AuditEntry{ID: r.ID, At: r.At.UTC(), User: r.User, Role: mallsync.Role(r.Role), Action: r.Action, Target: r.Target}
		if err := json.Unmarshal(r.Detail, &out[i].Detail); err != nil {
			return nil, fmt.Errorf("decoding the detail of audit entry %d: %w", r.ID, err)
		}
	}
	return out, nil
}

var _ mallsync.AuditLog = (*AuditLog)(nil)
