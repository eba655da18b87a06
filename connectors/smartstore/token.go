package smartstore

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// refreshBefore is how long before its expiry a token is replaced. Naver hands back the same
// token while it has 30 minutes or more left, so asking earlier would get nothing new.
const refreshBefore = 30 * time.Minute

// TokenSource gets a SmartStore access token with the client-credentials grant (signed with
// ClientSecretSign) and keeps it until refreshBefore its expiry. Safe for concurrent use: one
// request at a time goes to the token endpoint.
type TokenSource struct {
	// Base is the API base (https://api.commerce.naver.com/external, or a simulator's).
	Base                   string
	ClientID, ClientSecret string
	// HTTP calls the token endpoint (default http.DefaultClient); Now is the clock the
	// timestamp is taken from (default time.Now).
	HTTP *http.Client
	Now  func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

func (s *TokenSource) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Reset forgets the kept token, so that the next Token asks for one (after the API refused
// the kept one).
func (s *TokenSource) Reset() {
	s.mu.Lock()
	s.token, s.expires = "", time.Time{}
	s.mu.Unlock()
}

// Token returns a valid access token, asking for one when the kept one is near its expiry.
func (s *TokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && now.Add(refreshBefore).Before(s.expires) {
		return s.token, nil
	}
	ts := now.UnixMilli()
	sign, err := ClientSecretSign(s.ClientID, s.ClientSecret, ts)
	if err != nil {
		return "", mallsync.Errorf(mallsync.EUNAUTHORIZED, "smartstore client secret: %v", err)
	}
	form := url.Values{"client_id": {s.ClientID}, "timestamp": {strconv.FormatInt(ts, 10)}, "grant_type": {"client_credentials"},
		"client_secret_sign": {sign}, "type": {"SELF"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(s.Base, "/")+"/v1/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", mallsync.Errorf(mallsync.EINVALID, "building the smartstore token request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hc := s.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("%w: %v", mallsync.Errorf(mallsync.EUNAVAILABLE, "smartstore token endpoint unreachable"), connectors.Redact(err.Error()))
	}
	if resp.StatusCode != http.StatusOK {
		herr := connectors.NewHTTPError(resp)
		if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			return "", fmt.Errorf("%w: %v", mallsync.Errorf(mallsync.EUNAUTHORIZED, "smartstore refused the client credentials"), herr)
		}
		return "", fmt.Errorf("smartstore token: %w", herr)
	}
	defer resp.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&t); err != nil || t.AccessToken == "" || t.ExpiresIn <= 0 {
		return "", mallsync.Errorf(mallsync.EUNAVAILABLE, "smartstore token answer without access_token and expires_in")
	}
	s.token, s.expires = t.AccessToken, now.Add(time.Duration(t.ExpiresIn)*time.Second)
	return s.token, nil
}
