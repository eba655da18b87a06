package cafe24

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/mallsync/mallsync"
)

// StateLife is how long an authorization may take from `mall connect` to the callback.
const StateLife = 15 * time.Minute

// Onboarding connects a Cafe24 mall to mallsync with OAuth: Begin gives the authorize URL a
// person opens as the mall's operator; Cafe24 then sends their browser to the callback
// (ServeHTTP) with a code, which is exchanged for the first token pair and stored sealed.
// The state in between is random, stored hashed, used once and short-lived: a callback with
// an unknown, used or expired state exchanges nothing.
type Onboarding struct {
	Malls       mallsync.MallStore
	Credentials mallsync.CredentialStore
	States      mallsync.OAuthStateStore
	// HTTPClient calls the token endpoint (default http.DefaultClient).
	HTTPClient *http.Client
	// Now defaults to time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

func (o *Onboarding) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o *Onboarding) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.Default()
	}
	return o.Logger
}

// Begin prepares the authorization of mall key by the app: it stores the app's client (a
// token already stored stays until the new one arrives) and a new state, and returns the
// authorize URL with Scopes, redirecting to redirectURI (the callback's public address,
// registered with the app).
func (o *Onboarding) Begin(ctx context.Context, key mallsync.MallKey, app mallsync.AppClient, redirectURI string) (string, error) {
	m, err := o.Malls.Mall(ctx, key)
	if err != nil {
		return "", err
	}
	if m.Platform != mallsync.PlatformCafe24 {
		return "", mallsync.Errorf(mallsync.EINVALID, "mall %s is on %s, not cafe24", key, m.Platform)
	}
	if app.ClientID == "" || app.ClientSecret == "" {
		return "", mallsync.Errorf(mallsync.EINVALID, "the Cafe24 app's client id and secret are both needed")
	}
	c, err := o.Credentials.Credential(ctx, m.CredentialsRef)
	switch {
	case mallsync.ErrorCode(err) == mallsync.ENOTFOUND:
		c = mallsync.Credential{Ref: m.CredentialsRef}
	case err != nil:
		return "", err
	}
	if app.WebhookKey == "" {
		app.WebhookKey = c.Client.WebhookKey
	}
	c.Client = app
	if err := o.Credentials.PutCredential(ctx, c); err != nil {
		return "", err
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("making an authorization state: %w", err)
	}
	state := base64.RawURLEncoding.EncodeToString(b[:])
	if err := o.States.PutOAuthState(ctx, mallsync.OAuthState{State: state, Mall: key, RedirectURI: redirectURI,
		ExpiresAt: o.now().Add(StateLife)}); err != nil {
		return "", err
	}
	return AuthorizeURL(BaseURL(m), app.ClientID, state, redirectURI, Scopes), nil
}

var callbackPage = template.Must(template.New("callback").Parse(`<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>mallsync: {{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>{{.Message}}</p></body></html>
`))

// ServeHTTP is the OAuth callback: GET ?code=..&state=.. (or ?error=..&error_description=..
// when the operator refused). It answers 200 once the token is stored, 400 for a refusal or
// a bad, used or expired state, 502 when Cafe24 does not accept the code.
func (o *Onboarding) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		o.page(w, http.StatusMethodNotAllowed, "Method not allowed", "The callback is opened by the browser (GET).")
		return
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		o.page(w, http.StatusBadRequest, "Not connected", fmt.Sprintf("Cafe24 answered %q: %s. Run mallsync mall connect again.", e, q.Get("error_description")))
		return
	}
	code, state := q.Get("code"), q.Get("state")
	if code == "" || state == "" {
		o.page(w, http.StatusBadRequest, "Not connected", "The callback needs code and state.")
		return
	}
	st, err := o.States.TakeOAuthState(r.Context(), state, o.now())
	if err != nil {
		status := http.StatusBadRequest
		if mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
			status = http.StatusServiceUnavailable
			o.logger().Error("cafe24 callback: reading the state", "error", err)
		}
		o.page(w, status, "Not connected", mallsync.ErrorMessage(err)+". Run mallsync mall connect again.")
		return
	}
	if err := o.finish(r.Context(), st, code); err != nil {
		o.logger().Warn("cafe24 callback: connecting", "mall", st.Mall, "error", err)
		status := http.StatusBadGateway
		if mallsync.ErrorCode(err) == mallsync.ENOTFOUND {
			status = http.StatusBadRequest
		}
		o.page(w, status, "Not connected", fmt.Sprintf("Mall %s: %s. Run mallsync mall connect again.", st.Mall, mallsync.ErrorMessage(err)))
		return
	}
	o.logger().Info("cafe24 mall connected", "mall", st.Mall)
	o.page(w, http.StatusOK, "Connected", fmt.Sprintf("Mall %s is connected to mallsync. You can close this page.", st.Mall))
}

// finish exchanges code for the mall's token pair and stores it.
func (o *Onboarding) finish(ctx context.Context, st mallsync.OAuthState, code string) error {
	m, err := o.Malls.Mall(ctx, st.Mall)
	if err != nil {
		return err
	}
	c, err := o.Credentials.Credential(ctx, m.CredentialsRef)
	if err != nil {
		return err
	}
	tok, err := ExchangeCode(ctx, o.HTTPClient, BaseURL(m), c.Client, code, st.RedirectURI)
	if err != nil {
		return err
	}
	c.Token = tok
	return o.Credentials.PutCredential(ctx, c)
}

func (o *Onboarding) page(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := callbackPage.Execute(w, struct{ Title, Message string }{title, msg}); err != nil {
		o.logger().Warn("cafe24 callback: writing the page", "error", err)
	}
}
