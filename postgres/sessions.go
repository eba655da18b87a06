package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mallsync/mallsync"
)

// sessionPrefix starts every session token, telling it apart from API tokens.
const sessionPrefix = "mss_"

func (s *UserStore) idle() time.Duration {
	if s.IdleTimeout > 0 {
		return s.IdleTimeout
	}
	return DefaultIdleTimeout
}

func (s *UserStore) maxAge() time.Duration {
	if s.MaxAge > 0 {
		return s.MaxAge
	}
	return DefaultMaxAge
}

// Login checks name and password and opens a session with a new CSRF token.
func (s *UserStore) Login(ctx context.Context, name, password string) (mallsync.NewSession, error) {
	id, u, err := s.checkPassword(ctx, name, password)
	if err != nil {
		return mallsync.NewSession{}, err
	}
	token, hash, err := newToken(sessionPrefix)
	if err != nil {
		return mallsync.NewSession{}, err
	}
	csrf, _, err := newToken("")
	if err != nil {
		return mallsync.NewSession{}, err
	}
	now := s.now()
	ns := mallsync.NewSession{Token: token, Session: mallsync.Session{User: u, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(s.maxAge())}}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
		VALUES ($1, $2, $3, $4, $5, $4)`, hash, id, csrf, now, ns.ExpiresAt); err != nil {
		return mallsync.NewSession{}, fmt.Errorf("opening a session for %s: %w", name, interpret(err))
	}
	return ns, nil
}

// errSession is every refusal of a session cookie.
func errSession() error {
	return mallsync.Errorf(mallsync.EUNAUTHORIZED, "the session has ended: log in again")
}

// Session finds the live session of token and marks it seen now. An expired session is
// deleted on the way.
func (s *UserStore) Session(ctx context.Context, token string) (mallsync.Session, error) {
	if token == "" {
		return mallsync.Session{}, errSession()
	}
	hash := hashToken(token)
	var row struct {
		Hash       []byte       `db:"token_hash"`
		CSRF       string       `db:"csrf_token"`
		CreatedAt  time.Time    `db:"created_at"`
		ExpiresAt  time.Time    `db:"expires_at"`
		LastSeenAt time.Time    `db:"last_seen_at"`
		Name       string       `db:"name"`
		Role       string       `db:"role"`
		DisabledAt sql.NullTime `db:"disabled_at"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT s.token_hash, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at,
		u.name, u.role, u.disabled_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return mallsync.Session{}, errSession()
	}
	if err != nil {
		return mallsync.Session{}, fmt.Errorf("looking up a session: %w", interpret(err))
	}
	now := s.now()
	if !sameHash(row.Hash, hash) || row.DisabledAt.Valid {
		return mallsync.Session{}, errSession()
	}
	if !now.Before(row.ExpiresAt) || !now.Before(row.LastSeenAt.Add(s.idle())) {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
			return mallsync.Session{}, fmt.Errorf("ending an expired session: %w", interpret(err))
		}
		return mallsync.Session{}, errSession()
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2`, hash, now); err != nil {
		return mallsync.Session{}, fmt.Errorf("marking a session seen: %w", interpret(err))
	}
	return mallsync.Session{User: mallsync.User{Name: row.Name, Role: mallsync.Role(row.Role)}, CSRF: row.CSRF,
		CreatedAt: row.CreatedAt.UTC(), ExpiresAt: row.ExpiresAt.UTC()}, nil
}

// Logout deletes the session of token.
func (s *UserStore) Logout(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
		return fmt.Errorf("ending a session: %w", interpret(err))
	}
	return nil
}
