package mallsync

import (
	"context"
	"crypto/subtle"
	"time"
)

// Role is what a user does, and so what the console lets them do.
type Role string

// The roles.
const (
	RoleAgent     Role = "agent"     // 상담사: finds orders, acts on claims, reviews buyers' photos
	RoleLogistics Role = "logistics" // 물류: works the task board
	RoleSales     Role = "sales"     // 영업/CS 기획: malls and onboarding
	RoleAdmin     Role = "admin"     // everything
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAgent, RoleLogistics, RoleSales, RoleAdmin:
		return true
	}
	return false
}

// User is who made a request: a name and a role.
type User struct {
	Name string
	Role Role
}

// MinPasswordLength is the shortest password a UserStore accepts for a new user.
const MinPasswordLength = 10

// UserAccount is a stored user.
type UserAccount struct {
	ID         int64
	Name       string
	Role       Role
	CreatedAt  time.Time
	DisabledAt *time.Time // nil while the user may log in
}

// User returns the account's name and role.
func (a UserAccount) User() User { return User{Name: a.Name, Role: a.Role} }

// Session is a logged-in user's session, as its cookie's token finds it.
type Session struct {
	User User
	// CSRF is the token every state-changing request of the session must carry. Forms embed
	// it; it is worth nothing without the session's cookie.
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time // the absolute end; an idle session ends sooner
}

// CheckCSRF reports, in constant time, whether token is the session's CSRF token.
func (s Session) CheckCSRF(token string) bool {
	return s.CSRF != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

// NewSession is a session just created by a login: the token for the cookie is only here.
type NewSession struct {
	Session
	Token string
}

// UserStore keeps the console's users, their sessions and their API tokens. Tokens are
// random, shown once, and stored only as hashes; no method logs a password or a token or puts
// one in an error.
type UserStore interface {
	// CreateUser adds a user with a password (at least MinPasswordLength characters). ECONFLICT
	// when the name is taken, EINVALID for a bad name, role or password.
	CreateUser(ctx context.Context, name string, role Role, password string) (UserAccount, error)
	// SetDisabled disables (or enables again) a user; a disabled user's sessions and tokens
	// stop working at once. ENOTFOUND for an unknown name.
	SetDisabled(ctx context.Context, name string, disabled bool) error
	// Login checks name and password and opens a session. Every refusal (unknown user, wrong
	// password, disabled user) is the same EUNAUTHORIZED and takes about as long.
	Login(ctx context.Context, name, password string) (NewSession, error)
	// Session finds the live session of a cookie's token and marks it seen; EUNAUTHORIZED when
	// there is none, it expired (idle or absolute) or its user is disabled.
	Session(ctx context.Context, token string) (Session, error)
	// Logout ends the session of token; ending an unknown session is not an error.
	Logout(ctx context.Context, token string) error
	// NewAPIToken gives user name a new API token, returned once. ENOTFOUND for an unknown name.
	NewAPIToken(ctx context.Context, name, label string) (string, error)
	// TokenUser returns the user of an API token and marks it used; EUNAUTHORIZED when the
	// token is unknown or revoked, or its user disabled.
	TokenUser(ctx context.Context, token string) (User, error)
	// RevokeAPITokens revokes user name's tokens with label ("" for all of them) and returns
	// how many it revoked.
	RevokeAPITokens(ctx context.Context, name, label string) (int, error)
}

// AuditEntry is one action a person took.
type AuditEntry struct {
	ID     int64
	At     time.Time // set by the log when zero
	User   string
	Role   Role
	Action string         // "task.claim", "reorder.mark", "login", ...
	Target string         // what was acted on: "task/17", "order/shop-a/2026...", a user's name
	Detail map[string]any // what else matters (never secrets)
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	User   string
	Action string
	Limit  int // newest first; 0 means a default
}

// AuditLog is the append-only record of what people did: nothing in it changes or goes away.
type AuditLog interface {
	// Record appends e.
	Record(ctx context.Context, e AuditEntry) error
	// Entries returns the entries f selects, newest first.
	Entries(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
