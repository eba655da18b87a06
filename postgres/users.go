package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"github.com/mallsync/mallsync"
)

// UserStore implements mallsync.UserStore: users with bcrypt password hashes (users.go),
// login sessions (sessions.go) and API tokens (api_tokens.go). Session and API tokens are 32
// random bytes; only their SHA-256 hashes are stored.
type UserStore struct {
	db *sqlx.DB
	// IdleTimeout ends a session not seen for this long (default DefaultIdleTimeout).
	IdleTimeout time.Duration
	// MaxAge ends a session this long after login whatever happens (default DefaultMaxAge).
	MaxAge time.Duration
	// BcryptCost is the cost of new password hashes (default bcrypt.DefaultCost, 10; lower
	// values are raised to it).
	BcryptCost int
	// NowFunc is the clock; nil means time.Now.
	NowFunc func() time.Time
}

// The session lifetimes UserStore uses unless told otherwise.
const (
	DefaultIdleTimeout = 12 * time.Hour
	DefaultMaxAge      = 7 * 24 * time.Hour
)

// NewUserStore returns a UserStore over db with the default lifetimes and cost.
func NewUserStore(db *sqlx.DB) *UserStore {
	return &UserStore{db: db}
}

func (s *UserStore) now() time.Time {
	if s.NowFunc != nil {
		return s.NowFunc().UTC()
	}
	return time.Now().UTC()
}

func (s *UserStore) cost() int {
	return max(s.BcryptCost, bcrypt.DefaultCost)
}

const maxUserNameRunes = 64

// checkUserName accepts names of letters, digits and . _ - @, up to 64 characters.
func checkUserName(name string) error {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxUserNameRunes {
		return mallsync.Errorf(mallsync.EINVALID, "a user name is 1 to %d characters", maxUserNameRunes)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			return mallsync.Errorf(mallsync.EINVALID, "user name %q: expected letters, digits and . _ - @", name)
		}
	}
	return nil
}

// CreateUser adds a user with a bcrypt hash of password.
func (s *UserStore) CreateUser(ctx context.Context, name string, role mallsync.Role, password string) (mallsync.UserAccount, error) {
	if err := checkUserName(name); err != nil {
		return mallsync.UserAccount{}, err
	}
	if !role.Valid() {
		return mallsync.UserAccount{}, mallsync.Errorf(mallsync.EINVALID, "role %q: expected agent, logistics, sales or admin", role)
	}
	if utf8.RuneCountInString(password) < mallsync.MinPasswordLength {
		return mallsync.UserAccount{}, mallsync.Errorf(mallsync.EINVALID, "the password is shorter than %d characters", mallsync.MinPasswordLength)
	}
	if len(password) > 72 { // bcrypt's limit: refuse rather than silently cut
		return mallsync.UserAccount{}, mallsync.Errorf(mallsync.EINVALID, "the password is longer than 72 bytes")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost())
	if err != nil {
		return mallsync.UserAccount{}, fmt.Errorf("hashing the password of %s: %w", name, err)
	}
	a := mallsync.UserAccount{Name: name, Role: role}
	err = s.db.QueryRowxContext(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)
		RETURNING id, created_at`, name, string(role), string(hash), s.now()).Scan(&a.ID, &a.CreatedAt)
	if err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ECONFLICT {
			return mallsync.UserAccount{}, mallsync.Errorf(mallsync.ECONFLICT, "user %s already exists", name)
		}
		return mallsync.UserAccount{}, fmt.Errorf("creating user %s: %w", name, interpret(err))
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}

// SetDisabled disables or enables user name.
func (s *UserStore) SetDisabled(ctx context.Context, name string, disabled bool) error {
	var at sql.NullTime
	if disabled {
		at = sql.NullTime{Time: s.now(), Valid: true}
	}
	res, err := s.db.ExecContext(ctx, `UPDATE users SET disabled_at = $2 WHERE name = $1`, name, at)
	if err != nil {
		return fmt.Errorf("disabling user %s: %w", name, interpret(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return mallsync.Errorf(mallsync.ENOTFOUND, "no user %s", name)
	}
	return nil
}

// dummyHash is compared with the password of a login for an unknown user, so that it takes
// as long as one for a known user.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("mallsync-no-such-user"), bcrypt.DefaultCost)
	return h
})

// errLogin is every refusal of a login, whatever its cause.
func errLogin() error {
	return mallsync.Errorf(mallsync.EUNAUTHORIZED, "wrong user name or password")
}

// checkPassword returns the account of name when password is its password and it is not
// disabled. It compares a hash whether or not the user exists.
func (s *UserStore) checkPassword(ctx context.Context, name, password string) (int64, mallsync.User, error) {
	var row struct {
		ID         int64        `db:"id"`
		Role       string       `db:"role"`
		Hash       string       `db:"password_hash"`
		DisabledAt sql.NullTime `db:"disabled_at"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT id, role, password_hash, disabled_at FROM users WHERE name = $1`, name)
	if err != nil && err != sql.ErrNoRows {
		return 0, mallsync.User{}, fmt.Errorf("looking up a user: %w", interpret(err))
	}
	if err == sql.ErrNoRows {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return 0, mallsync.User{}, errLogin()
	}
	if bcrypt.CompareHashAndPassword([]byte(row.Hash), []byte(password)) != nil || row.DisabledAt.Valid {
		return 0, mallsync.User{}, errLogin()
	}
	return row.ID, mallsync.User{Name: name, Role: mallsync.Role(row.Role)}, nil
}

// newToken returns a random 32-byte token, base64url-encoded with prefix, and its hash.
func newToken(prefix string) (string, []byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("making a token: %w", err)
	}
	t := prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return t, hashToken(t), nil
}

// hashToken is the SHA-256 of a token, the only form in which the database keeps it.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// sameHash compares a stored hash with a token's in constant time.
func sameHash(stored, computed []byte) bool {
	return subtle.ConstantTimeCompare(stored, computed) == 1
}

var _ mallsync.UserStore = (*UserStore)(nil)
