package postgres

import (
	"context"
	"fmt"

	"github.com/mallsync/mallsync"
)

// AddOrderNote implements mallsync.OrderNotes: it appends n to the order, or returns
// ENOTFOUND for an unknown mall or order. n.At is set by the database.
func (r *OrderReader) AddOrderNote(ctx context.Context, mall mallsync.MallKey, orderID string, n mallsync.OrderNote) error {
	if n.Author == "" || n.Body == "" {
		return mallsync.Errorf(mallsync.EINVALID, "a note needs an author and a body")
	}
	mallID, err := r.mallID(ctx, mall)
	if err != nil {
		return err
	}
	res, err := r.db.ExecContext(ctx, `
		INSERT INTO order_notes (mall_id, platform_order_id, author, body)
		SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM orders WHERE mall_id = $1 AND platform_order_id = $2)`,
		mallID, orderID, n.Author, n.Body)
	if err != nil {
		return fmt.Errorf("adding a note to order %s of %s: %w", orderID, mall, interpret(err))
	}
	if k, err := res.RowsAffected(); err == nil && k == 0 {
		return mallsync.Errorf(mallsync.ENOTFOUND, "mall %s has no order %s", mall, orderID)
	}
	return nil
}

var _ mallsync.OrderNotes = (*OrderReader)(nil)
