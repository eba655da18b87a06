package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/secret"
)

// CredentialStore implements mallsync.CredentialStore. Secrets are sealed with AES-GCM before
// they reach the database, bound to their ref; refreshes are serialized by a row lock, so two
// processes never present the same refresh token.
type CredentialStore struct {
	db  *sqlx.DB
	box *secret.Box
	// now stamps rotations; tests may replace it.
	now func() time.Time
}

// NewCredentialStore returns a CredentialStore over db sealing with box.
func NewCredentialStore(db *sqlx.DB, box *secret.Box) *CredentialStore {
	return &CredentialStore{db: db, box: box, now: time.Now}
}

// sealedCredential is what is sealed: everything secret about a credential.
type sealedCredential struct {
	ClientID         string    `json:"client_id"`
	ClientSecret     string    `json:"client_secret"`
	WebhookKey       string    `json:"webhook_key,omitempty"`
	AccessToken      string    `json:"access_token"`
	RefreshToken     string    `json:"refresh_token"`
	AccessExpiresAt  time.Time `json:"access_expires_at"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
}

func (s *CredentialStore) seal(c mallsync.Credential) ([]byte, error) {
	b, err := json.Marshal(sealedCredential{
		ClientID: c.Client.ClientID, ClientSecret: c.Client.ClientSecret, WebhookKey: c.Client.WebhookKey,
		AccessToken: c.Token.AccessToken, RefreshToken: c.Token.RefreshToken,
		AccessExpiresAt: c.Token.AccessExpiresAt, RefreshExpiresAt: c.Token.RefreshExpiresAt,
	})
	if err != nil {
		return nil, fmt.Errorf("encoding credential: %w", err)
	}
	return s.box.Seal(b, "credential:"+c.Ref)
}

func (s *CredentialStore) open(ref string, sealed []byte) (mallsync.Credential, error) {
	b, err := s.box.Open(sealed, "credential:"+ref)
	if err != nil {
		return mallsync.Credential{}, mallsync.Errorf(mallsync.EUNAUTHORIZED, "credential %q: %v", ref, err)
	}
	var sc sealedCredential
	if err := json.Unmarshal(b, &sc); err != nil {
		return mallsync.Credential{}, fmt.Errorf("decoding credential %q: %w", ref, err)
	}
	return mallsync.Credential{
		Ref:    ref,
		Client: mallsync.AppClient{ClientID: sc.ClientID, ClientSecret: sc.ClientSecret, WebhookKey: sc.WebhookKey},
		Token: mallsync.Token{AccessToken: sc.AccessToken, RefreshToken: sc.RefreshToken,
			AccessExpiresAt: sc.AccessExpiresAt, RefreshExpiresAt: sc.RefreshExpiresAt},
	}, nil
}

// PutCredential stores c under c.Ref, replacing what was there.
func (s *CredentialStore) PutCredential(ctx context.Context, c mallsync.Credential) error {
	if c.Ref == "" {
		return mallsync.Errorf(mallsync.EINVALID, "credential needs a ref")
	}
	sealed, err := s.seal(c)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO credentials (ref, sealed, access_expires_at, refresh_expires_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ref) DO UPDATE SET sealed = EXCLUDED.sealed, access_expires_at = EXCLUDED.access_expires_at,
			refresh_expires_at = EXCLUDED.refresh_expires_at, updated_at = now()`,
		c.Ref, sealed, nullTime(c.Token.AccessExpiresAt), nullTime(c.Token.RefreshExpiresAt))
	if err != nil {
		return fmt.Errorf("storing credential %q: %w", c.Ref, interpret(err))
	}
	return nil
}

// Credential returns the credential named ref, or ENOTFOUND.
func (s *CredentialStore) Credential(ctx context.Context, ref string) (mallsync.Credential, error) {
	var sealed []byte
	if err := s.db.GetContext(ctx, &sealed, `SELECT sealed FROM credentials WHERE ref = $1`, ref); err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return mallsync.Credential{}, mallsync.Errorf(mallsync.ENOTFOUND, "no credential %q: connect the mall first", ref)
		}
		return mallsync.Credential{}, fmt.Errorf("reading credential %q: %w", ref, interpret(err))
	}
	return s.open(ref, sealed)
}

// RotateToken serializes refreshes of ref's token across processes with a row lock (see
// mallsync.CredentialStore). The new token is committed before it is returned.
func (s *CredentialStore) RotateToken(ctx context.Context, ref, stale string, refresh func(context.Context, mallsync.Credential) (mallsync.Token, error)) (mallsync.Token, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return mallsync.Token{}, fmt.Errorf("beginning token rotation: %w", interpret(err))
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	var sealed []byte
	if err := tx.GetContext(ctx, &sealed, `SELECT sealed FROM credentials WHERE ref = $1 FOR UPDATE`, ref); err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return mallsync.Token{}, mallsync.Errorf(mallsync.ENOTFOUND, "no credential %q: connect the mall first", ref)
		}
		return mallsync.Token{}, fmt.Errorf("locking credential %q: %w", ref, interpret(err))
	}
	cur, err := s.open(ref, sealed)
	if err != nil {
		return mallsync.Token{}, err
	}
	if cur.Token.AccessToken != stale {
		// Another worker rotated while we waited for the lock: use its token.
		return cur.Token, tx.Commit()
	}
	tok, err := refresh(ctx, cur)
	if err != nil {
		return mallsync.Token{}, fmt.Errorf("refreshing token of %q: %w", ref, err)
	}
	cur.Token = tok
	newSealed, err := s.seal(cur)
	if err != nil {
		return mallsync.Token{}, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE credentials SET sealed = $2, access_expires_at = $3, refresh_expires_at = $4,
			rotations = rotations + 1, updated_at = $5 WHERE ref = $1`,
		ref, newSealed, nullTime(tok.AccessExpiresAt), nullTime(tok.RefreshExpiresAt), s.now().UTC()); err != nil {
		return mallsync.Token{}, fmt.Errorf("saving rotated token of %q (the mall may need re-authorizing): %w", ref, interpret(err))
	}
	if err := tx.Commit(); err != nil {
		return mallsync.Token{}, fmt.Errorf("committing rotated token of %q (the mall may need re-authorizing): %w", ref, interpret(err))
	}
	return tok, nil
}

func nullTime(t time.Time) sql.NullTime {
	return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()}
}

var _ mallsync.CredentialStore = (*CredentialStore)(nil)
