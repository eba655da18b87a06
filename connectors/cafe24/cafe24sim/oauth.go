package cafe24sim

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

const (
	codeTTL    = time.Minute
	accessTTL  = 2 * time.Hour
	refreshTTL = 14 * 24 * time.Hour
)

// defaultScopes are granted by AuthorizeCode and by an authorize call without a scope.
var defaultScopes = []string{"mall.read_order", "mall.write_order", "mall.read_product", "mall.read_supply", "mall.read_store"}

var scopePattern = regexp.MustCompile(`^mall\.(read|write)_[a-z]+$`)

type authCode struct {
	redirectURI string
	scopes      []string
	expires     time.Time
}

type accessToken struct {
	scopes  []string
	expires time.Time
	revoked bool
}

type refreshToken struct {
	scopes  []string
	access  string // the access token issued with it
	expires time.Time
	used    bool
}

// authState holds codes and tokens. Times are simulated (the server's Clock).
type authState struct {
	mu      sync.Mutex
	n       uint64 // tokens minted so far, for deterministic token strings
	codes   map[string]authCode
	access  map[string]*accessToken
	refresh map[string]*refreshToken
}

func newAuthState() *authState {
	return &authState{codes: map[string]authCode{}, access: map[string]*accessToken{}, refresh: map[string]*refreshToken{}}
}

// mint returns a new opaque token: 22 base-62 characters, like Cafe24's, derived from the
// seed and a counter so that runs are reproducible. The caller holds a.mu.
func (s *Server) mint(prefix byte) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	s.auth.n++
	h1 := mix(s.d.seed ^ s.auth.n*0x9e3779b97f4a7c15 ^ uint64(prefix))
	h2 := mix(h1 ^ 0x5bd1e995)
	out := make([]byte, 22)
	for i := range out {
		if i%2 == 0 {
			out[i] = alphabet[h1%62]
			h1 /= 62
		} else {
			out[i] = alphabet[h2%62]
			h2 /= 62
		}
	}
	return string(out)
}

// AuthorizeCode mints an authorization code as if the mall owner had consented on Cafe24's
// page, for tests and dev tools that cannot click. The code is bound to redirectURI, grants
// the default scopes (mall.read_order, mall.write_order, mall.read_product, mall.read_supply,
// mall.read_store), lives one minute of simulated time and can be exchanged once. state is
// not checked by the token endpoint (as in OAuth, the client checks it).
func (s *Server) AuthorizeCode(redirectURI, state string) string {
	_ = state
	return s.newCode(redirectURI, defaultScopes)
}

func (s *Server) newCode(redirectURI string, scopes []string) string {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	c := s.mint('c')
	s.auth.codes[c] = authCode{redirectURI: redirectURI, scopes: scopes, expires: s.clock.Now().Add(codeTTL)}
	return c
}

// flatError writes the token endpoint's flat error: {"error":..,"error_description":..}.
func flatError(w http.ResponseWriter, status int, code, desc string) {
	b := append([]byte(`{"error":`), appendStr(nil, code)...)
	b = append(b, `,"error_description":`...)
	b = appendStr(b, desc)
	b = append(b, '}')
	writeBody(w, status, b)
}

// authorize serves GET /api/v2/oauth/authorize: the owner is taken to consent at once.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		flatError(w, http.StatusMethodNotAllowed, "invalid_request", "use GET")
		return
	}
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID {
		flatError(w, http.StatusBadRequest, "invalid_client", "unknown client_id")
		return
	}
	if q.Get("response_type") != "code" {
		flatError(w, http.StatusBadRequest, "unsupported_response_type", "response_type must be code")
		return
	}
	ru := q.Get("redirect_uri")
	u, err := url.Parse(ru)
	if ru == "" || err != nil || u.Scheme == "" || u.Host == "" {
		flatError(w, http.StatusBadRequest, "invalid_request", "redirect_uri must be an absolute URL")
		return
	}
	state := q.Get("state")
	if state == "" {
		flatError(w, http.StatusBadRequest, "invalid_request", "state is required")
		return
	}
	scopes := defaultScopes
	if raw := q.Get("scope"); raw != "" {
		scopes = strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' })
		for _, sc := range scopes {
			if !scopePattern.MatchString(sc) {
				flatError(w, http.StatusBadRequest, "invalid_scope", "unknown scope "+sc)
				return
			}
		}
	}
	code := s.newCode(ru, scopes)
	rq := u.Query()
	rq.Set("code", code)
	rq.Set("state", state)
	u.RawQuery = rq.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// clientAuth checks the client's credentials, from Basic auth or the form body.
func (s *Server) clientAuth(r *http.Request) bool {
	id, secret, basic := r.BasicAuth()
	bid, bsecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if !basic {
		id, secret = bid, bsecret
	} else if (bid != "" && bid != id) || (bsecret != "" && bsecret != secret) {
		return false
	}
	return id == s.opts.ClientID && subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) == 1
}

// clientForm checks what the token and revoke endpoints share: a POST with a form body from an
// authenticated client. It answers the flat OAuth error and returns false when one fails.
func (s *Server) clientForm(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		flatError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return false
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		flatError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return false
	}
	if err := r.ParseForm(); err != nil {
		flatError(w, http.StatusBadRequest, "invalid_request", "unreadable form body")
		return false
	}
	if !s.clientAuth(r) {
		flatError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return false
	}
	return true
}

// token serves POST /api/v2/oauth/token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if !s.clientForm(w, r) {
		return
	}
	now := s.clock.Now()
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	var scopes []string
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "authorization_code":
		code := r.PostForm.Get("code")
		c, ok := s.auth.codes[code]
		if !ok {
			flatError(w, http.StatusBadRequest, "invalid_grant", "unknown or used authorization code")
			return
		}
		delete(s.auth.codes, code) // single use, even when the exchange fails below
		if now.After(c.expires) {
			flatError(w, http.StatusBadRequest, "invalid_grant", "authorization code expired")
			return
		}
		if r.PostForm.Get("redirect_uri") != c.redirectURI {
			flatError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
			return
		}
		scopes = c.scopes
	case "refresh_token":
		rt, ok := s.auth.refresh[r.PostForm.Get("refresh_token")]
		if !ok || rt.used {
			s.reuses.Add(1)
			flatError(w, http.StatusBadRequest, "invalid_grant", "refresh token is unknown or was already used")
			return
		}
		if !now.Before(rt.expires) {
			flatError(w, http.StatusBadRequest, "invalid_grant", "refresh token expired")
			return
		}
		rt.used = true
		if at := s.auth.access[rt.access]; at != nil {
			at.revoked = true // the pair it belonged to is replaced
		}
		scopes = rt.scopes
	case "":
		flatError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return
	default:
		flatError(w, http.StatusBadRequest, "unsupported_grant_type", "unsupported grant_type "+gt)
		return
	}
	acc, ref := s.mint('a'), s.mint('r')
	s.auth.access[acc] = &accessToken{scopes: scopes, expires: now.Add(accessTTL)}
	s.auth.refresh[ref] = &refreshToken{scopes: scopes, access: acc, expires: now.Add(refreshTTL)}

	b := append([]byte(`{"access_token":`), appendStr(nil, acc)...)
	b = append(b, `,"expires_at":`...)
	b = appendTokenTime(b, now.Add(accessTTL).Unix())
	b = append(b, `,"refresh_token":`...)
	b = appendStr(b, ref)
	b = append(b, `,"refresh_token_expires_at":`...)
	b = appendTokenTime(b, now.Add(refreshTTL).Unix())
	b = append(b, `,"client_id":`...)
	b = appendStr(b, s.opts.ClientID)
	b = append(b, `,"mall_id":`...)
	b = appendStr(b, s.opts.MallID)
	b = append(b, `,"user_id":`...)
	b = appendStr(b, s.opts.MallID)
	b = append(b, `,"scopes":[`...)
	for i, sc := range scopes {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStr(b, sc)
	}
	b = append(b, `],"issued_at":`...)
	b = appendTokenTime(b, now.Unix())
	b = append(b, `,"shop_no":"1"}`...)
	writeBody(w, http.StatusOK, b)
}

// revoke serves POST /api/v2/oauth/revoke: token=.. (an access or a refresh token).
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	if !s.clientForm(w, r) {
		return
	}
	tok := r.PostForm.Get("token")
	s.auth.mu.Lock()
	if at := s.auth.access[tok]; at != nil {
		at.revoked = true
	}
	if rt := s.auth.refresh[tok]; rt != nil {
		rt.used = true
		if at := s.auth.access[rt.access]; at != nil {
			at.revoked = true
		}
	}
	s.auth.mu.Unlock()
	writeBody(w, http.StatusOK, []byte(`{}`))
}

// bearer checks an admin call's access token and its scope. On failure it returns the
// status and message for the error envelope.
func (s *Server) bearer(r *http.Request, scope string) (int, string) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return http.StatusUnauthorized, "Authorization header with a Bearer access_token is required. (invalid_token)"
	}
	now := s.clock.Now()
	s.auth.mu.Lock()
	at := s.auth.access[tok]
	var expires time.Time
	var scopes []string
	revoked := false
	if at != nil {
		expires, scopes, revoked = at.expires, at.scopes, at.revoked
	}
	s.auth.mu.Unlock()
	switch {
	case at == nil || revoked:
		return http.StatusUnauthorized, "Invalid access_token. (invalid_token)"
	case !now.Before(expires):
		return http.StatusUnauthorized, "access_token time expired. (invalid_token)"
	}
	for _, sc := range scopes {
		if sc == scope {
			return 0, ""
		}
	}
	return http.StatusForbidden, "Insufficient scope: " + scope + " is required."
}
