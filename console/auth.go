package console

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"

	"github.com/mallsync/mallsync"
)

// Role is what a user does, and so what the console lets them do (mallsync.Role).
type Role = mallsync.Role

// The roles.
const (
	RoleAgent     = mallsync.RoleAgent
	RoleLogistics = mallsync.RoleLogistics
	RoleSales     = mallsync.RoleSales
	RoleAdmin     = mallsync.RoleAdmin
)

// User is who made a request (mallsync.User).
type User = mallsync.User

// Authenticator maps a bearer token to its user.
type Authenticator interface {
	// Authenticate returns the user whose token this is, or EUNAUTHORIZED. Implementations
	// must not log the token or put it in the error.
	Authenticate(ctx context.Context, token string) (User, error)
}

// MinTokenLength is the shortest token StaticTokens accepts.
const MinTokenLength = 16

// StaticTokens is an Authenticator over a fixed table of tokens, for scripts and until the
// console has users in the database. It keeps only SHA-256 hashes of the tokens and compares
// every entry in constant time, so neither timing nor a memory dump gives a token away.
type StaticTokens struct {
	entries []tokenEntry
}

type tokenEntry struct {
	hash [sha256.Size]byte
	user User
}

// ParseTokens builds StaticTokens from a table written as entries "user:role:token",
// separated by commas, spaces or newlines (the format of MALLSYNC_API_TOKENS), for example
// "kim:logistics:7f3c...,lee:agent:91ab...". A token is at least MinTokenLength characters and
// belongs to one entry only. Errors name the entry and the user, never the token.
func ParseTokens(table string) (*StaticTokens, error) {
	s := &StaticTokens{}
	seen := map[[sha256.Size]byte]bool{}
	fields := strings.FieldsFunc(table, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
	for i, f := range fields {
		parts := strings.SplitN(f, ":", 3)
		if len(parts) != 3 {
			return nil, mallsync.Errorf(mallsync.EINVALID, "API token entry %d: expected user:role:token", i+1)
		}
		name, role, token := parts[0], Role(parts[1]), parts[2]
		switch {
		case name == "":
			return nil, mallsync.Errorf(mallsync.EINVALID, "API token entry %d: the user name is empty", i+1)
		case !role.Valid():
			return nil, mallsync.Errorf(mallsync.EINVALID, "API token entry %d (user %s): role %q: expected agent, logistics, sales or admin", i+1, name, role)
		case len(token) < MinTokenLength:
			return nil, mallsync.Errorf(mallsync.EINVALID, "API token entry %d (user %s): the token is shorter than %d characters", i+1, name, MinTokenLength)
		}
		h := sha256.Sum256([]byte(token))
		if seen[h] {
			return nil, mallsync.Errorf(mallsync.EINVALID, "API token entry %d (user %s): the token is already given to another entry", i+1, name)
		}
		seen[h] = true
		s.entries = append(s.entries, tokenEntry{hash: h, user: User{Name: name, Role: role}})
	}
	return s, nil
}

// Len is the number of tokens in the table.
func (s *StaticTokens) Len() int { return len(s.entries) }

// Authenticate returns the user of token, or EUNAUTHORIZED. It looks at every entry whatever
// it finds, comparing hashes in constant time.
func (s *StaticTokens) Authenticate(_ context.Context, token string) (User, error) {
	h := sha256.Sum256([]byte(token))
	var found User
	match := 0
	for _, e := range s.entries {
		eq := subtle.ConstantTimeCompare(h[:], e.hash[:])
		if eq == 1 {
			found = e.user
		}
		match |= eq
	}
	if match != 1 || token == "" {
		return User{}, mallsync.Errorf(mallsync.EUNAUTHORIZED, "the bearer token is not valid")
	}
	return found, nil
}

type userKey struct{}

// UserFrom returns the authenticated user of a request's context.
func UserFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(userKey{}).(User)
	return u, ok
}

// authenticate is the credentials check of every API handler of the package. A request
// carries either "Authorization: Bearer <token>" (scripts; auth.Authenticate decides) or the
// session cookie of a login (people; only when auth is a SessionAuthenticator). A request
// authenticated by its cookie that may change something (any method but GET, HEAD, OPTIONS)
// must also carry the session's CSRF token, in the X-CSRF-Token header or a csrf form field;
// bearer requests need none, since a browser never adds the header on its own.
func authenticate(auth Authenticator, logger *slog.Logger, next http.Handler) http.Handler {
	sessions, _ := auth.(SessionAuthenticator)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		cookie, cerr := r.Cookie(SessionCookie)
		if header == "" && cerr == nil && sessions != nil {
			s, err := sessions.AuthenticateSession(r.Context(), cookie.Value)
			if err != nil {
				writeError(w, r, logger, err) // 401, or 5xx when the store failed
				return
			}
			if !safeMethod(r.Method) && !s.CheckCSRF(csrfToken(r)) {
				writeError(w, r, logger, mallsync.Errorf(mallsync.EFORBIDDEN, "this request needs the session's CSRF token (the X-CSRF-Token header or a csrf form field)"))
				return
			}
			next.ServeHTTP(w, withSession(r, s))
			return
		}
		scheme, token, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			writeError(w, r, logger, mallsync.Errorf(mallsync.EUNAUTHORIZED, "this API needs an Authorization: Bearer <token> header"))
			return
		}
		u, err := auth.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			writeError(w, r, logger, err) // 401, or 5xx when the authenticator failed
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}
