package connectors

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// KeyedPlatform says how a platform whose malls hold keys rather than OAuth tokens
// (SmartStore, Coupang) is reached: its real API address, its safe call rate, and which
// account its rate limit counts calls against.
type KeyedPlatform struct {
	Platform    mallsync.Platform
	DefaultBase string
	// DefaultRate is the calls a second per account when Deps.MaxCallsPerSecond is zero.
	DefaultRate float64
	// Account names the account the platform's limit counts against (Coupang's vendor id);
	// empty means the app's client id (SmartStore's limits are per application).
	Account string
}

// Keyed is what a keyed platform's connector starts from: the mall's stored keys, the
// platform's status map, the API base (the mall's api_base or the platform's), and an HTTP
// client that retries and goes through the account's shared budget.
type Keyed struct {
	Client   mallsync.AppClient
	Statuses mallsync.StatusMap
	Base     string
	HTTP     *http.Client
	Logger   *slog.Logger
	// Now is the platform's clock (Deps.Now, or time.Now).
	Now func() time.Time
}

// Keyed reads mall's keys and builds what its connector needs for platform p. It returns
// EUNAUTHORIZED when the keys are not stored and EINVALID for a bad api_base.
func (d Deps) Keyed(ctx context.Context, mall mallsync.Mall, p KeyedPlatform) (Keyed, error) {
	cred, err := d.Credentials.Credential(ctx, mall.CredentialsRef)
	if err != nil {
		return Keyed{}, fmt.Errorf("reading the %s keys of %s: %w", p.Platform, mall.Key, err)
	}
	if cred.Client.ClientID == "" || cred.Client.ClientSecret == "" {
		return Keyed{}, mallsync.Errorf(mallsync.EUNAUTHORIZED, "mall %s: its %s keys are not stored (mallsync mall connect %s)", mall.Key, p.Platform, mall.Key)
	}
	statuses, err := d.StatusMap(p.Platform)
	if err != nil {
		return Keyed{}, fmt.Errorf("loading the %s status map: %w", p.Platform, err)
	}
	base := strings.TrimRight(mall.Account.APIBase, "/")
	if base == "" {
		base = p.DefaultBase
	}
	if u, err := url.Parse(base); err != nil || u.Scheme == "" || u.Host == "" {
		return Keyed{}, mallsync.Errorf(mallsync.EINVALID, "mall %s has a bad API base %q", mall.Key, base)
	}
	k := Keyed{Client: cred.Client, Statuses: statuses, Base: base, Logger: d.Logger, Now: d.Now}
	if k.Logger == nil {
		k.Logger = slog.Default()
	}
	if k.Now == nil {
		k.Now = time.Now
	}
	rate := d.MaxCallsPerSecond
	if rate == 0 {
		rate = p.DefaultRate
	}
	account := p.Account
	if account == "" {
		account = cred.Client.ClientID
	}
	hc := http.Client{Timeout: 90 * time.Second}
	if d.HTTP != nil {
		hc = *d.HTTP
	}
	hc.Transport = BudgetTransport(hc.Transport, d.AccountBudget(string(p.Platform)+":"+base+"/"+account, rate))
	k.HTTP = NewRetryingClientPolicy(&hc, k.Logger, d.RetryPolicy())
	return k, nil
}

// OneCredential is a CredentialStore holding a single credential that never rotates: keys
// tried before they are stored (mall connect), tests of keyed connectors.
type OneCredential struct{ C mallsync.Credential }

// PutCredential replaces the credential.
func (o *OneCredential) PutCredential(_ context.Context, c mallsync.Credential) error {
	o.C = c
	return nil
}

// Credential returns the credential when ref names it, ENOTFOUND otherwise.
func (o *OneCredential) Credential(_ context.Context, ref string) (mallsync.Credential, error) {
	if ref != o.C.Ref {
		return mallsync.Credential{}, mallsync.Errorf(mallsync.ENOTFOUND, "no credential %q", ref)
	}
	return o.C, nil
}

// RotateToken refuses: keys have no token to rotate.
func (o *OneCredential) RotateToken(context.Context, string, string, func(context.Context, mallsync.Credential) (mallsync.Token, error)) (mallsync.Token, error) {
	return mallsync.Token{}, mallsync.Errorf(mallsync.EINVALID, "credential %q holds keys, not a token to rotate", o.C.Ref)
}

var _ mallsync.CredentialStore = (*OneCredential)(nil)
