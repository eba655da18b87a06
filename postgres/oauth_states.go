package postgres

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
)

// OAuthStateStore implements mallsync.OAuthStateStore. States are kept as SHA-256 hashes.
type OAuthStateStore struct {
	db    *sqlx.DB
	malls *MallStore
}

// NewOAuthStateStore returns an OAuthStateStore over db.
func NewOAuthStateStore(db *sqlx.DB, malls *MallStore) *OAuthStateStore {
	return &OAuthStateStore{db: db, malls: malls}
}

func stateHash(state string) []byte {
	h := sha256.Sum256([]byte(state))
	return h[:]
}

// PutOAuthState stores s, and drops the states that expired.
func (s *OAuthStateStore) PutOAuthState(ctx context.Context, st mallsync.OAuthState) error {
	id, err := s.malls.id(ctx, st.Mall)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM oauth_states WHERE expires_at < now()`); err != nil {
		return fmt.Errorf("dropping expired oauth states: %w", interpret(err))
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO oauth_states (state_hash, mall_id, redirect_uri, expires_at) VALUES ($1, $2, $3, $4)`,
		stateHash(st.State), id, st.RedirectURI, st.ExpiresAt.UTC()); err != nil {
		return fmt.Errorf("storing oauth state of %s: %w", st.Mall, interpret(err))
	}
	return nil
}

// TakeOAuthState deletes the state and returns it when it was there and had not expired.
func (s *OAuthStateStore) TakeOAuthState(ctx context.Context, state string, now time.Time) (mallsync.OAuthState, error) {
	var row struct {
		Mall        string    `db:"mall_key"`
		RedirectURI string    `db:"redirect_uri"`
		ExpiresAt   time.Time `db:"expires_at"`
	}
	err := s.db.GetContext(ctx, &row, `
		WITH taken AS (DELETE FROM oauth_states WHERE state_hash = $1 RETURNING mall_id, redirect_uri, expires_at)
		SELECT m.key AS mall_key, t.redirect_uri, t.expires_at FROM taken t JOIN malls m ON m.id = t.mall_id`, stateHash(state))
	if err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return mallsync.OAuthState{}, mallsync.Errorf(mallsync.ENOTFOUND, "unknown or already used authorization state")
		}
		return mallsync.OAuthState{}, fmt.Errorf("taking oauth state: %w", interpret(err))
	}
	if !now.Before(row.ExpiresAt) {
		return mallsync.OAuthState{}, mallsync.Errorf(mallsync.ENOTFOUND, "the authorization state expired at %s", row.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return mallsync.OAuthState{State: state, Mall: mallsync.MallKey(row.Mall), RedirectURI: row.RedirectURI, ExpiresAt: row.ExpiresAt}, nil
}

var _ mallsync.OAuthStateStore = (*OAuthStateStore)(nil)
