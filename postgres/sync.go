package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
)

// SyncStore implements mallsync.SyncStore.
type SyncStore struct {
	db    *sqlx.DB
	malls *MallStore

	prepMu sync.Mutex
	prep   *statements
}

// statements are the page writes, prepared once: parsing and planning them again for every
// page would cost a noticeable share of the page.
type statements struct {
	orders, lines *sqlx.Stmt
}

func (s *SyncStore) prepared(ctx context.Context) (*statements, error) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.prep != nil {
		return s.prep, nil
	}
	orders, err := s.db.PreparexContext(ctx, upsertOrdersSQL)
	if err != nil {
		return nil, fmt.Errorf("preparing order upsert: %w", interpret(err))
	}
	lines, err := s.db.PreparexContext(ctx, upsertLinesSQL)
	if err != nil {
		orders.Close()
		return nil, fmt.Errorf("preparing line upsert: %w", interpret(err))
	}
	s.prep = &statements{orders: orders, lines: lines}
	return s.prep, nil
}

// NewSyncStore returns a SyncStore over db; malls resolves mall keys.
func NewSyncStore(db *sqlx.DB, malls *MallStore) *SyncStore {
	return &SyncStore{db: db, malls: malls}
}

// Cursor returns the stream's stored cursor; the zero Cursor when the stream never ran (its
// row is created then, so that every ApplyPage finds one to move).
func (s *SyncStore) Cursor(ctx context.Context, mall mallsync.MallKey, stream mallsync.Stream) (mallsync.Cursor, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return mallsync.Cursor{}, err
	}
	var c mallsync.Cursor
	err = s.db.QueryRowxContext(ctx, `
		WITH created AS (
			INSERT INTO sync_cursors (mall_id, stream) VALUES ($1, $2)
			ON CONFLICT (mall_id, stream) DO NOTHING RETURNING cursor, seq
		)
		SELECT cursor, seq FROM created
		UNION ALL
		SELECT cursor, seq FROM sync_cursors WHERE mall_id = $1 AND stream = $2`, id, string(stream)).
		Scan(&c.Value, &c.Seq)
	if err != nil {
		return c, fmt.Errorf("reading cursor of %s/%s: %w", mall, stream, interpret(err))
	}
	return c, nil
}

// RecordSyncRun notes the outcome of a sync run on the stream's cursor row.
func (s *SyncStore) RecordSyncRun(ctx context.Context, mall mallsync.MallKey, stream mallsync.Stream, run mallsync.SyncRun) error {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO sync_cursors (mall_id, stream, last_run_at, last_success_at, last_caught_up_at, last_error,
			last_error_at, runs, pages, lines, api_calls)
		VALUES ($1, $2, $3, CASE WHEN $4 = '' THEN $3::timestamptz END, CASE WHEN $5 THEN $3::timestamptz END, $4,
			CASE WHEN $4 <> '' THEN $3::timestamptz END, 1, $6, $7, $8)
		ON CONFLICT (mall_id, stream) DO UPDATE SET
			last_run_at = EXCLUDED.last_run_at,
			last_success_at = COALESCE(EXCLUDED.last_success_at, sync_cursors.last_success_at),
			last_caught_up_at = COALESCE(EXCLUDED.last_caught_up_at, sync_cursors.last_caught_up_at),
			last_error = EXCLUDED.last_error,
			last_error_at = COALESCE(EXCLUDED.last_error_at, sync_cursors.last_error_at),
			runs = sync_cursors.runs + 1, pages = sync_cursors.pages + EXCLUDED.pages,
			lines = sync_cursors.lines + EXCLUDED.lines, api_calls = sync_cursors.api_calls + EXCLUDED.api_calls`,
		id, string(stream), run.EndedAt.UTC(), run.Err, run.CaughtUp, run.Pages, run.Lines, run.APICalls)
	if err != nil {
		return fmt.Errorf("recording sync run of %s/%s: %w", mall, stream, interpret(err))
	}
	return nil
}

var _ mallsync.SyncStore = (*SyncStore)(nil)
