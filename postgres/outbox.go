package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// Outbox implements mallsync.Outbox over the outbox table. The sync writes its rows (claim
// events, in upsertClaims); the dispatcher reads and marks them here.
type Outbox struct {
	db *sqlx.DB
}

// NewOutbox returns an Outbox over db.
func NewOutbox(db *sqlx.DB) *Outbox { return &Outbox{db: db} }

// PendingOutbox returns up to limit unsent rows of every mall, oldest first.
func (o *Outbox) PendingOutbox(ctx context.Context, limit int) ([]mallsync.OutboxMessage, error) {
	if limit <= 0 {
		return nil, mallsync.Errorf(mallsync.EINVALID, "outbox limit %d: expected at least 1", limit)
	}
	var rows []struct {
		ID      int64  `db:"id"`
		Mall    string `db:"mall"`
		Kind    string `db:"kind"`
		Key     string `db:"key"`
		Payload []byte `db:"payload"`
	}
	if err := o.db.SelectContext(ctx, &rows, `
		SELECT o.id, m.key AS mall, o.kind, o.key, o.payload
		FROM outbox o JOIN malls m ON m.id = o.mall_id
		WHERE o.sent_at IS NULL ORDER BY o.id LIMIT $1`, limit); err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", interpret(err))
	}
	out := make([]mallsync.OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = mallsync.OutboxMessage{ID: r.ID, Mall: mallsync.MallKey(r.Mall), Kind: r.Kind, Key: r.Key, Payload: r.Payload}
	}
	return out, nil
}

// MarkOutboxSent marks the rows delivered; a row marked before keeps its first time.
func (o *Outbox) MarkOutboxSent(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := o.db.ExecContext(ctx, `UPDATE outbox SET sent_at = now() WHERE id = ANY($1) AND sent_at IS NULL`,
		pq.Array(ids)); err != nil {
		return fmt.Errorf("marking %d outbox row(s) sent: %w", len(ids), interpret(err))
	}
	return nil
}

var _ mallsync.Outbox = (*Outbox)(nil)

// PendingCount counts the unsent rows (the outbox_unsent index answers it), for progress and
// summaries.
func (o *Outbox) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := o.db.GetContext(ctx, &n, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); err != nil {
		return 0, fmt.Errorf("counting unsent outbox rows: %w", interpret(err))
	}
	return n, nil
}
