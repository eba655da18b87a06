package cafe24

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// expiryMargin is how long before its stated expiry an access token is treated as expired.
const expiryMargin = 2 * time.Minute

// skewGrace is how long a freshly issued token is used when its expiry is already past by our
// clock.
const skewGrace = 10 * time.Minute

// tokenSource is an oauth2.TokenSource over a mall's stored credential. It keeps the access
// token in memory while it is valid and never keeps a refresh token: every refresh goes
// through CredentialStore.RotateToken, which reads the stored refresh token under a lock,
// presents it once and persists the new pair before handing it back.
type tokenSource struct {
	store   mallsync.CredentialStore
	ref     string
	refresh func(context.Context, mallsync.Credential) (mallsync.Token, error)
	now     func() time.Time

	mu     sync.Mutex
	access string
	expiry time.Time
}

// Token implements oauth2.TokenSource.
func (s *tokenSource) Token() (*oauth2.Token, error) { return s.TokenContext(context.Background()) }

// TokenContext returns a valid access token, refreshing it when it expires within two minutes.
func (s *tokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.valid(s.access, s.expiry) {
		return s.oauth(), nil
	}
	cred, err := s.store.Credential(ctx, s.ref)
	if err != nil {
		return nil, fmt.Errorf("reading cafe24 credential %q: %w", s.ref, err)
	}
	if s.valid(cred.Token.AccessToken, cred.Token.AccessExpiresAt) {
		s.keep(cred.Token)
		return s.oauth(), nil
	}
	return s.rotateLocked(ctx, cred.Token.AccessToken)
}

// Refresh forces a refresh of stale (an access token the API refused), unless another caller
// already replaced it, and returns the token to use now.
func (s *tokenSource) Refresh(ctx context.Context, stale string) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access != "" && s.access != stale && s.valid(s.access, s.expiry) {
		return s.oauth(), nil
	}
	return s.rotateLocked(ctx, stale)
}

func (s *tokenSource) rotateLocked(ctx context.Context, stale string) (*oauth2.Token, error) {
	s.access, s.expiry = "", time.Time{}
	tok, err := s.store.RotateToken(ctx, s.ref, stale, s.refresh)
	if err != nil {
		return nil, fmt.Errorf("refreshing cafe24 token %q: %w", s.ref, err)
	}
	if tok.AccessToken == "" {
		return nil, mallsync.Errorf(mallsync.EUNAUTHORIZED, "cafe24 credential %q has no access token: the mall must be re-authorized", s.ref)
	}
	s.keep(tok)
	if !s.valid(tok.AccessToken, tok.AccessExpiresAt) {
		// The platform has just issued this token, yet by our clock it has expired (the clocks
		// disagree): refreshing again would only bring another like it. Use it for a while;
		// a 401 still forces a refresh.
		s.expiry = s.now().Add(expiryMargin + skewGrace)
	}
	return s.oauth(), nil
}

func (s *tokenSource) valid(access string, expiry time.Time) bool {
	return access != "" && s.now().Add(expiryMargin).Before(expiry)
}

// keep remembers the access half of tok only.
func (s *tokenSource) keep(tok mallsync.Token) {
	s.access, s.expiry = tok.AccessToken, tok.AccessExpiresAt
}

func (s *tokenSource) oauth() *oauth2.Token {
	return &oauth2.Token{AccessToken: s.access, TokenType: "Bearer", Expiry: s.expiry}
}

var _ oauth2.TokenSource = (*tokenSource)(nil)

// tokenResponse is the token endpoint's answer. Times are KST without an offset.
type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	ExpiresAt             string `json:"expires_at"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresAt string `json:"refresh_token_expires_at"`
	ExpiresIn             int64  `json:"expires_in"` // not documented by Cafe24; read if present
}

// tokenTimeLayouts are the forms expires_at takes: KST wall clock without offset (documented),
// without milliseconds, or with an offset.
var tokenTimeLayouts = []string{"2006-01-02T15:04:05.000", "2006-01-02T15:04:05", time.RFC3339Nano}

func parseTokenTime(s string) (time.Time, error) {
	for _, l := range tokenTimeLayouts {
		if t, err := time.ParseInLocation(l, s, kst); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("token time %q is not in a known form", s)
}

func (r tokenResponse) token(now time.Time) (mallsync.Token, error) {
	if r.AccessToken == "" || r.RefreshToken == "" {
		return mallsync.Token{}, errors.New("token answer lacks access_token or refresh_token")
	}
	t := mallsync.Token{AccessToken: r.AccessToken, RefreshToken: r.RefreshToken}
	var err error
	switch {
	case r.ExpiresAt != "":
		if t.AccessExpiresAt, err = parseTokenTime(r.ExpiresAt); err != nil {
			return mallsync.Token{}, err
		}
	case r.ExpiresIn > 0:
		t.AccessExpiresAt = now.Add(time.Duration(r.ExpiresIn) * time.Second).UTC()
	default:
		t.AccessExpiresAt = now.Add(2 * time.Hour).UTC() // Cafe24's documented lifetime
	}
	if r.RefreshTokenExpiresAt != "" {
		if t.RefreshExpiresAt, err = parseTokenTime(r.RefreshTokenExpiresAt); err != nil {
			return mallsync.Token{}, err
		}
	} else {
		t.RefreshExpiresAt = now.Add(14 * 24 * time.Hour).UTC()
	}
	return t, nil
}

// postToken calls the token endpoint once (never retried: a refresh token is single use) and
// parses its answer. Client auth is HTTP Basic.
func postToken(ctx context.Context, hc *http.Client, apiBase string, client mallsync.AppClient, form url.Values, now time.Time) (mallsync.Token, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiBase+"/api/v2/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return mallsync.Token{}, mallsync.Errorf(mallsync.EINVALID, "building cafe24 token request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(client.ClientID, client.ClientSecret)
	resp, err := hc.Do(req)
	if err != nil {
		// The error text may hold the URL but never the form; still, keep it out of messages.
		return mallsync.Token{}, fmt.Errorf("%w: %s", mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 token endpoint unreachable"), connectors.Redact(err.Error()))
	}
	var tr tokenResponse
	err = connectors.DecodeJSON(resp, &tr)
	var he *connectors.HTTPError
	switch {
	case errors.As(err, &he) && (he.Code == "invalid_grant" || (he.Status == http.StatusBadRequest && strings.Contains(he.Message, "refresh"))):
		return mallsync.Token{}, fmt.Errorf("%w: %w", mallsync.Errorf(mallsync.EUNAUTHORIZED, "cafe24 refused the grant (%s): the mall must be re-authorized", he.Code), he)
	case errors.As(err, &he) && (he.Status == http.StatusBadRequest || he.Status == http.StatusUnauthorized):
		return mallsync.Token{}, fmt.Errorf("%w: %w", mallsync.Errorf(mallsync.EUNAUTHORIZED, "cafe24 refused the app's credentials (%s)", he.Code), he)
	case err != nil:
		return mallsync.Token{}, fmt.Errorf("cafe24 token endpoint: %w", err)
	}
	tok, err := tr.token(now)
	if err != nil {
		return mallsync.Token{}, mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 token answer: %v", err)
	}
	return tok, nil
}

// ExchangeCode trades an authorization code (valid one minute) for the mall's first token
// pair, with the authorization_code grant. apiBase is https://{mall_id}.cafe24api.com (or a
// simulator's address), without a trailing slash. The caller stores the token at once.
func ExchangeCode(ctx context.Context, httpClient *http.Client, apiBase string, client mallsync.AppClient, code, redirectURI string) (mallsync.Token, error) {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}}
	return postToken(ctx, httpClient, strings.TrimRight(apiBase, "/"), client, form, time.Now())
}

// Scopes are what the connector asks a mall to grant: orders (read, and write for the
// write-backs), products with their inventories, and suppliers.
var Scopes = []string{"mall.read_order", "mall.write_order", "mall.read_product", "mall.read_supply"}

// AuthorizeURL is where a mall's operator is sent to grant the app scopes; Cafe24 redirects to
// redirectURI with code and state.
func AuthorizeURL(apiBase, clientID, state, redirectURI string, scopes []string) string {
	q := url.Values{
		"response_type": {"code"},
		"client_id":     {clientID},
		"state":         {state},
		"redirect_uri":  {redirectURI},
		"scope":         {strings.Join(scopes, ",")},
	}
	return strings.TrimRight(apiBase, "/") + "/api/v2/oauth/authorize?" + q.Encode()
}
