package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
)

// MallStore implements mallsync.MallStore. It also resolves mall keys to row ids for the other
// stores, caching them (a mall's id never changes).
type MallStore struct {
	db  *sqlx.DB
	mu  sync.RWMutex
	ids map[mallsync.MallKey]int64
}

// NewMallStore returns a MallStore over db.
func NewMallStore(db *sqlx.DB) *MallStore {
	return &MallStore{db: db, ids: map[mallsync.MallKey]int64{}}
}

type mallRow struct {
	ID         int64  `db:"id"`
	Key        string `db:"key"`
	Definition []byte `db:"definition"`
}

func (r mallRow) toDomain() (mallsync.Mall, error) {
	var m mallsync.Mall
	if err := json.Unmarshal(r.Definition, &m); err != nil {
		return m, fmt.Errorf("decoding mall %s: %w", r.Key, err)
	}
	return m, nil
}

// PutMall creates or replaces the mall with m.Key.
func (s *MallStore) PutMall(ctx context.Context, m mallsync.Mall) error {
	def, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding mall %s: %w", m.Key, err)
	}
	var id int64
	err = s.db.GetContext(ctx, &id, `
		INSERT INTO malls (key, name, platform, definition) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, platform = EXCLUDED.platform,
			definition = EXCLUDED.definition, updated_at = now()
		RETURNING id`, string(m.Key), m.Name, string(m.Platform), def)
	if err != nil {
		return fmt.Errorf("storing mall %s: %w", m.Key, interpret(err))
	}
	s.mu.Lock()
	s.ids[m.Key] = id
	s.mu.Unlock()
	return nil
}

// Mall returns the mall with key, or ENOTFOUND.
func (s *MallStore) Mall(ctx context.Context, key mallsync.MallKey) (mallsync.Mall, error) {
	var r mallRow
	if err := s.db.GetContext(ctx, &r, `SELECT id, key, definition FROM malls WHERE key = $1`, string(key)); err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return mallsync.Mall{}, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q", key)
		}
		return mallsync.Mall{}, fmt.Errorf("reading mall %s: %w", key, interpret(err))
	}
	return r.toDomain()
}

// Malls lists every mall, by key.
func (s *MallStore) Malls(ctx context.Context) ([]mallsync.Mall, error) {
	var rows []mallRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, key, definition FROM malls ORDER BY key`); err != nil {
		return nil, fmt.Errorf("listing malls: %w", interpret(err))
	}
	out := make([]mallsync.Mall, 0, len(rows))
	for _, r := range rows {
		m, err := r.toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// id returns the row id of the mall with key, or ENOTFOUND.
func (s *MallStore) id(ctx context.Context, key mallsync.MallKey) (int64, error) {
	s.mu.RLock()
	id, ok := s.ids[key]
	s.mu.RUnlock()
	if ok {
		return id, nil
	}
	if err := s.db.GetContext(ctx, &id, `SELECT id FROM malls WHERE key = $1`, string(key)); err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return 0, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q: apply its mall file first", key)
		}
		return 0, fmt.Errorf("looking up mall %s: %w", key, interpret(err))
	}
	s.mu.Lock()
	s.ids[key] = id
	s.mu.Unlock()
	return id, nil
}

var _ mallsync.MallStore = (*MallStore)(nil)
