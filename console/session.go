package console

import (
	"context"
	"net/http"
	"strings"

	"github.com/mallsync/mallsync"
)

// SessionCookie is the name of the cookie that carries a login's session token.
const SessionCookie = "mallsync_session"

// CSRFHeader is the header that carries a session's CSRF token; forms send a csrf field.
const CSRFHeader = "X-CSRF-Token"

// SessionAuthenticator is an Authenticator that also knows the session cookies of logins.
type SessionAuthenticator interface {
	Authenticator
	// AuthenticateSession returns the live session of a cookie's token, or EUNAUTHORIZED.
	AuthenticateSession(ctx context.Context, token string) (mallsync.Session, error)
}

// DBAuth is the SessionAuthenticator over the users in the database: API tokens for scripts
// (bearer) and session cookies for people. A bearer token the database does not know is
// tried on Fallback, so that the tokens of MALLSYNC_API_TOKENS keep working.
type DBAuth struct {
	// Users holds the users, their sessions and their API tokens (required).
	Users mallsync.UserStore
	// Fallback authenticates the bearer tokens Users does not know; nil means none.
	Fallback Authenticator
}

// Authenticate returns the user of a bearer token: an API token of Users, else one Fallback
// knows. It returns EUNAUTHORIZED for a token neither knows.
func (a *DBAuth) Authenticate(ctx context.Context, token string) (User, error) {
	u, err := a.Users.TokenUser(ctx, token)
	if err == nil {
		return u, nil
	}
	if mallsync.ErrorCode(err) == mallsync.EUNAUTHORIZED && a.Fallback != nil {
		return a.Fallback.Authenticate(ctx, token)
	}
	return User{}, err
}

// AuthenticateSession returns the live session of a cookie's token.
func (a *DBAuth) AuthenticateSession(ctx context.Context, token string) (mallsync.Session, error) {
	return a.Users.Session(ctx, token)
}

var _ SessionAuthenticator = (*DBAuth)(nil)

type sessionKey struct{}

// withSession returns r with the session and its user in its context.
func withSession(r *http.Request, s mallsync.Session) *http.Request {
	return r.WithContext(context.WithValue(context.WithValue(r.Context(), userKey{}, s.User), sessionKey{}, s))
}

// SessionFrom returns the session of a request authenticated by its cookie (pages use its
// CSRF token in their forms); false for bearer requests.
func SessionFrom(ctx context.Context) (mallsync.Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(mallsync.Session)
	return s, ok
}

// safeMethod reports whether method only reads.
func safeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

// csrfToken is the CSRF token a request carries: its X-CSRF-Token header, or the csrf field
// of a form body.
func csrfToken(r *http.Request) string {
	if t := r.Header.Get(CSRFHeader); t != "" {
		return t
	}
	if isForm(r) {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
		return r.PostFormValue("csrf")
	}
	return ""
}

// isForm reports whether r's body is an HTML form.
func isForm(r *http.Request) bool {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data")
}
