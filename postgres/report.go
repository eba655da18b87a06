package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mallsync/mallsync"
)

// MallSummary counts what is stored for a mall.
type MallSummary struct {
	Orders      int
	Lines       int
	ByStatus    map[mallsync.LineStatus]int
	ByOwnership map[mallsync.Ownership]int
	Events      int
	Quarantined int
}

// Summary counts a mall's orders, lines by unified status and ownership, status events and
// quarantined records.
func (s *SyncStore) Summary(ctx context.Context, mall mallsync.MallKey) (MallSummary, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return MallSummary{}, err
	}
	sum := MallSummary{ByStatus: map[mallsync.LineStatus]int{}, ByOwnership: map[mallsync.Ownership]int{}}
	if err := s.db.QueryRowxContext(ctx, `
		SELECT (SELECT count(*) FROM orders WHERE mall_id = $1),
		       (SELECT count(*) FROM line_status_events e JOIN order_lines l ON l.id = e.line_id WHERE l.mall_id = $1),
		       (SELECT count(*) FROM quarantine WHERE mall_id = $1)`, id).
		Scan(&sum.Orders, &sum.Events, &sum.Quarantined); err != nil {
		return sum, fmt.Errorf("counting mall %s: %w", mall, interpret(err))
	}
	rows, err := s.db.QueryxContext(ctx, `
		SELECT status, ownership, count(*) FROM order_lines WHERE mall_id = $1 GROUP BY status, ownership`, id)
	if err != nil {
		return sum, fmt.Errorf("counting lines of %s: %w", mall, interpret(err))
	}
	defer rows.Close()
	for rows.Next() {
		var st, own string
		var n int
		if err := rows.Scan(&st, &own, &n); err != nil {
			return sum, fmt.Errorf("counting lines of %s: %w", mall, interpret(err))
		}
		sum.ByStatus[mallsync.LineStatus(st)] += n
		sum.ByOwnership[mallsync.Ownership(own)] += n
		sum.Lines += n
	}
	return sum, interpret(rows.Err())
}

// LineCount counts a mall's stored lines (cheap enough to poll for progress).
func (s *SyncStore) LineCount(ctx context.Context, mall mallsync.MallKey) (int, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM order_lines WHERE mall_id = $1`, id); err != nil {
		return 0, fmt.Errorf("counting lines of %s: %w", mall, interpret(err))
	}
	return n, nil
}

// LineFact is what a comparison with a platform's truth needs of a stored line.
type LineFact struct {
	PlatformLineID string
	PlatformStatus string
	Quantity       int
	PaymentAmount  int64
}

// LineFacts returns every stored line of mall.
func (s *SyncStore) LineFacts(ctx context.Context, mall mallsync.MallKey) ([]LineFact, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryxContext(ctx, `
		SELECT platform_line_id, platform_status, quantity, payment_amount FROM order_lines WHERE mall_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("reading lines of %s: %w", mall, interpret(err))
	}
	defer rows.Close()
	var out []LineFact
	for rows.Next() {
		var f LineFact
		if err := rows.Scan(&f.PlatformLineID, &f.PlatformStatus, &f.Quantity, &f.PaymentAmount); err != nil {
			return nil, fmt.Errorf("reading lines of %s: %w", mall, interpret(err))
		}
		out = append(out, f)
	}
	return out, interpret(rows.Err())
}

// SimDataSet returns the simulator data set that ResetMall last recorded for mall, "" when none.
func (s *SyncStore) SimDataSet(ctx context.Context, mall mallsync.MallKey) (string, error) {
	var v string
	err := s.db.GetContext(ctx, &v, `SELECT d.data_set FROM sim_data_sets d JOIN malls m ON m.id = d.mall_id WHERE m.key = $1`, string(mall))
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the data set of %s: %w", mall, interpret(err))
	}
	return v, nil
}

// ResetMall deletes everything synced for mall (lines, their history, orders, cursors,
// quarantine, outbox, inventory movements), keeping the mall itself, and records dataSet as the simulator data set
// its rows will come from, in one transaction. `mallsync dev` uses it when the simulator's
// data set changed.
func (s *SyncStore) ResetMall(ctx context.Context, mall mallsync.MallKey, dataSet string) error {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("resetting %s: %w", mall, interpret(err))
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	// The ledger is append-only; its trigger lets this one transaction clear the mall's part.
	if _, err := tx.ExecContext(ctx, `SELECT set_config('mallsync.reset_mall', 'on', true)`); err != nil {
		return fmt.Errorf("resetting %s: %w", mall, interpret(err))
	}
	for _, q := range []string{
		`DELETE FROM claim_status_events WHERE claim_id IN (SELECT id FROM claims WHERE mall_id = $1)`,
		`DELETE FROM claim_lines WHERE mall_id = $1`,
		`DELETE FROM claims WHERE mall_id = $1`,
		`DELETE FROM shipments WHERE mall_id = $1`,
		`DELETE FROM refund_lines WHERE mall_id = $1`,
		`DELETE FROM refunds WHERE mall_id = $1`,
		`DELETE FROM variants WHERE mall_id = $1`,
		`DELETE FROM products WHERE mall_id = $1`,
		`DELETE FROM suppliers WHERE mall_id = $1`,
		`DELETE FROM line_status_changes WHERE line_id IN (SELECT id FROM order_lines WHERE mall_id = $1)`,
		`DELETE FROM order_lines WHERE mall_id = $1`,
		`DELETE FROM orders WHERE mall_id = $1`,
		`DELETE FROM sync_cursors WHERE mall_id = $1`,
		`DELETE FROM quarantine WHERE mall_id = $1`,
		`DELETE FROM outbox WHERE mall_id = $1`,
		`DELETE FROM inventory_movements WHERE mall_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("resetting %s: %w", mall, interpret(err))
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sim_data_sets (mall_id, data_set) VALUES ($1, $2)
		ON CONFLICT (mall_id) DO UPDATE SET data_set = EXCLUDED.data_set, recorded_at = now()`, id, dataSet); err != nil {
		return fmt.Errorf("recording the data set of %s: %w", mall, interpret(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("resetting %s: %w", mall, interpret(err))
	}
	return nil
}
