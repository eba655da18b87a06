package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mallsync/mallsync"
)

// APITokenPrefix starts every API token the store makes, so that a token can be told apart
// from the static tokens of MALLSYNC_API_TOKENS (and found by secret scanners).
const APITokenPrefix = "mst_"

const maxTokenLabelRunes = 100

// NewAPIToken gives user name a new API token labelled label.
func (s *UserStore) NewAPIToken(ctx context.Context, name, label string) (string, error) {
	label = strings.TrimSpace(label)
	if utf8.RuneCountInString(label) > maxTokenLabelRunes || !utf8.ValidString(label) {
		return "", mallsync.Errorf(mallsync.EINVALID, "a token label is at most %d characters", maxTokenLabelRunes)
	}
	token, hash, err := newToken(APITokenPrefix)
	if err != nil {
		return "", err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, label, created_at)
		SELECT $1, id, $3, $4 FROM users WHERE name = $2`, hash, name, label, s.now())
	if err != nil {
		return "", fmt.Errorf("making an API token for %s: %w", name, interpret(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", mallsync.Errorf(mallsync.ENOTFOUND, "no user %s", name)
	}
	return token, nil
}

// errToken is every refusal of an API token.
func errToken() error {
	return mallsync.Errorf(mallsync.EUNAUTHORIZED, "the bearer token is not valid")
}

// TokenUser returns the user of an API token and marks it used now.
func (s *UserStore) TokenUser(ctx context.Context, token string) (mallsync.User, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return mallsync.User{}, errToken()
	}
	hash := hashToken(token)
	var row struct {
		Hash       []byte       `db:"token_hash"`
		RevokedAt  sql.NullTime `db:"revoked_at"`
		Name       string       `db:"name"`
		Role       string       `db:"role"`
		DisabledAt sql.NullTime `db:"disabled_at"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT t.token_hash, t.revoked_at, u.name, u.role, u.disabled_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return mallsync.User{}, errToken()
	}
	if err != nil {
		return mallsync.User{}, fmt.Errorf("looking up an API token: %w", interpret(err))
	}
	if !sameHash(row.Hash, hash) || row.RevokedAt.Valid || row.DisabledAt.Valid {
		return mallsync.User{}, errToken()
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1`, hash, s.now()); err != nil {
		return mallsync.User{}, fmt.Errorf("marking an API token used: %w", interpret(err))
	}
	return mallsync.User{Name: row.Name, Role: mallsync.Role(row.Role)}, nil
}

// RevokeAPITokens revokes user name's live tokens labelled label, or all of them for "".
func (s *UserStore) RevokeAPITokens(ctx context.Context, name, label string) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE api_tokens t SET revoked_at = $3 FROM users u
		WHERE u.id = t.user_id AND u.name = $1 AND ($2 = '' OR t.label = $2) AND t.revoked_at IS NULL`, name, strings.TrimSpace(label), s.now())
	if err != nil {
		return 0, fmt.Errorf("revoking API tokens of %s: %w", name, interpret(err))
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
