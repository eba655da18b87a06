package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// MallHealthReader implements mallsync.MallHealthReader: every mall with its streams' sync
// health (sync_cursors), its quarantined records, its stored orders and lines, and whether a
// credential is stored for it. It reads a fixed number of grouped queries whatever the number
// of malls, and never reads a credential's sealed contents.
type MallHealthReader struct {
	db *sqlx.DB
}

// NewMallHealthReader returns a MallHealthReader over db.
func NewMallHealthReader(db *sqlx.DB) *MallHealthReader {
	return &MallHealthReader{db: db}
}

type cursorHealthRow struct {
	MallID         int64        `db:"mall_id"`
	Stream         string       `db:"stream"`
	UpdatedAt      time.Time    `db:"updated_at"`
	LastRunAt      sql.NullTime `db:"last_run_at"`
	LastSuccessAt  sql.NullTime `db:"last_success_at"`
	LastCaughtUpAt sql.NullTime `db:"last_caught_up_at"`
	LastError      string       `db:"last_error"`
	LastErrorAt    sql.NullTime `db:"last_error_at"`
	Runs           int64        `db:"runs"`
	Pages          int64        `db:"pages"`
	Lines          int64        `db:"lines"`
	APICalls       int64        `db:"api_calls"`
}

func (r cursorHealthRow) toDomain() mallsync.StreamHealth {
	return mallsync.StreamHealth{Stream: mallsync.Stream(r.Stream), LastRunAt: timePtr(r.LastRunAt),
		LastSuccessAt: timePtr(r.LastSuccessAt), LastCaughtUpAt: timePtr(r.LastCaughtUpAt), LastError: r.LastError,
		LastErrorAt: timePtr(r.LastErrorAt), Runs: r.Runs, Pages: r.Pages, Lines: r.Lines, APICalls: r.APICalls,
		CursorUpdatedAt: r.UpdatedAt}
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

type streamCount struct {
	MallID int64  `db:"mall_id"`
	Stream string `db:"stream"`
	N      int64  `db:"n"`
}

type mallCount struct {
	MallID int64 `db:"mall_id"`
	N      int64 `db:"n"`
}

// MallHealth returns every mall, by key, with its streams by name. A stream appears once it
// has run or has quarantined records.
// The queries read one snapshot, so the counts agree with each other.
func (h *MallHealthReader) MallHealth(ctx context.Context) ([]mallsync.MallHealth, error) {
	tx, err := h.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("beginning mall health read: %w", interpret(err))
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	var malls []mallRow
	if err := sqlx.SelectContext(ctx, tx, &malls, `SELECT id, key, definition FROM malls ORDER BY key`); err != nil {
		return nil, fmt.Errorf("listing malls: %w", interpret(err))
	}
	var cursors []cursorHealthRow
	if err := sqlx.SelectContext(ctx, tx, &cursors, `
		SELECT mall_id, stream, updated_at, last_run_at, last_success_at, last_caught_up_at, last_error,
			last_error_at, runs, pages, lines, api_calls
		FROM sync_cursors`); err != nil {
		return nil, fmt.Errorf("reading sync health: %w", interpret(err))
	}
	var quarantined []streamCount
	if err := sqlx.SelectContext(ctx, tx, &quarantined,
		`SELECT mall_id, stream, count(*) AS n FROM quarantine GROUP BY mall_id, stream`); err != nil {
		return nil, fmt.Errorf("counting quarantined records: %w", interpret(err))
	}
	orders, err := countByMall(ctx, tx, "orders", `SELECT mall_id, count(*) AS n FROM orders GROUP BY mall_id`)
	if err != nil {
		return nil, err
	}
	lines, err := countByMall(ctx, tx, "order lines", `SELECT mall_id, count(*) AS n FROM order_lines GROUP BY mall_id`)
	if err != nil {
		return nil, err
	}

	out := make([]mallsync.MallHealth, 0, len(malls))
	index := map[int64]int{}
	var refs []string
	for _, r := range malls {
		m, err := r.toDomain()
		if err != nil {
			return nil, err
		}
		index[r.ID] = len(out)
		out = append(out, mallsync.MallHealth{Mall: m, Orders: orders[r.ID], Lines: lines[r.ID]})
		if m.CredentialsRef != "" {
			refs = append(refs, m.CredentialsRef)
		}
	}
	for _, c := range cursors {
		if i, ok := index[c.MallID]; ok {
			out[i].Streams = append(out[i].Streams, c.toDomain())
		}
	}
	for _, q := range quarantined {
		i, ok := index[q.MallID]
		if !ok {
			continue
		}
		s := streamOf(&out[i], mallsync.Stream(q.Stream))
		s.Quarantined = q.N
	}
	stored, err := storedCredentials(ctx, tx, refs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Connected = out[i].Mall.CredentialsRef != "" && stored[out[i].Mall.CredentialsRef]
		sort.Slice(out[i].Streams, func(a, b int) bool { return out[i].Streams[a].Stream < out[i].Streams[b].Stream })
	}
	return out, nil
}

// streamOf returns the health of stream in m, adding an empty one when it has none.
func streamOf(m *mallsync.MallHealth, stream mallsync.Stream) *mallsync.StreamHealth {
	for i := range m.Streams {
		if m.Streams[i].Stream == stream {
			return &m.Streams[i]
		}
	}
	m.Streams = append(m.Streams, mallsync.StreamHealth{Stream: stream})
	return &m.Streams[len(m.Streams)-1]
}

// countByMall runs a grouped count query and returns its counts by mall id.
func countByMall(ctx context.Context, q sqlx.QueryerContext, what, query string) (map[int64]int64, error) {
	var rows []mallCount
	if err := sqlx.SelectContext(ctx, q, &rows, query); err != nil {
		return nil, fmt.Errorf("counting %s: %w", what, interpret(err))
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.MallID] = r.N
	}
	return out, nil
}

// storedCredentials reports which of refs have a credential row. It reads only the refs.
func storedCredentials(ctx context.Context, q sqlx.QueryerContext, refs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(refs) == 0 {
		return out, nil
	}
	var found []string
	if err := sqlx.SelectContext(ctx, q, &found, `SELECT ref FROM credentials WHERE ref = ANY($1)`, pq.Array(refs)); err != nil {
		return nil, fmt.Errorf("looking up stored credentials: %w", interpret(err))
	}
	for _, r := range found {
		out[r] = true
	}
	return out, nil
}

var _ mallsync.MallHealthReader = (*MallHealthReader)(nil)
