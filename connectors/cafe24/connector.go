package cafe24

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// maxRetries is how often the client retries a call that met a 429, a 5xx or a transport error.
const maxRetries = 4

// Connector reads one Cafe24 mall. It is safe for concurrent use; its rate budget is shared
// with every other user of the mall account in the process.
type Connector struct {
	mall   mallsync.Mall
	api    *client
	mapper *mapper
	logger *slog.Logger
	// openClaims lists the orders a pass reads again by id (see doc.go); nil: none.
	openClaims mallsync.OpenClaims
}

// options are the knobs tests turn; New uses the defaults.
type options struct {
	retry  connectors.RetryPolicy
	budget *connectors.Budget // nil: the process's shared budget for the account
	now    func() time.Time
}

// New builds the connector for mall; it is a connectors.Factory.
func New(ctx context.Context, mall mallsync.Mall, deps connectors.Deps) (connectors.Connector, error) {
	p := deps.RetryPolicy()
	p.MaxRetries = maxRetries
	return newConnector(ctx, mall, deps, options{retry: p, now: deps.Now})
}

func newConnector(_ context.Context, mall mallsync.Mall, deps connectors.Deps, o options) (*Connector, error) {
	if mall.Platform != mallsync.PlatformCafe24 {
		return nil, mallsync.Errorf(mallsync.EINVALID, "mall %s is on %q, not cafe24", mall.Key, mall.Platform)
	}
	if mall.Account.MallID == "" && mall.Account.APIBase == "" {
		return nil, mallsync.Errorf(mallsync.EINVALID, "mall %s has no cafe24 mall_id", mall.Key)
	}
	if mall.CredentialsRef == "" || deps.Credentials == nil {
		return nil, mallsync.Errorf(mallsync.EINVALID, "mall %s has no credentials", mall.Key)
	}
	if deps.StatusMap == nil {
		return nil, mallsync.Errorf(mallsync.EINVALID, "no status maps given to the cafe24 connector")
	}
	statuses, err := deps.StatusMap(mallsync.PlatformCafe24)
	if err != nil {
		return nil, fmt.Errorf("loading the cafe24 status map: %w", err)
	}
	apiBase := BaseURL(mall)
	if _, err := url.Parse(apiBase); err != nil {
		return nil, mallsync.Errorf(mallsync.EINVALID, "mall %s has a bad API base: %v", mall.Key, err)
	}
	logger := deps.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if o.now == nil {
		o.now = time.Now
	}
	budget := o.budget
	if budget == nil {
		budget = deps.AccountBudget("cafe24:"+apiBase, deps.MaxCallsPerSecond)
	}
	base := http.Client{Timeout: 60 * time.Second}
	if deps.HTTP != nil {
		base = *deps.HTTP
	}
	base.Transport = connectors.BudgetTransport(base.Transport, budget)
	// The token endpoint is called without retries: a refresh token is single use.
	tokenHTTP := base
	tokenHTTP.Transport = connectors.CountCalls(base.Transport)

	ts := &tokenSource{store: deps.Credentials, ref: mall.CredentialsRef, now: o.now}
	ts.refresh = func(ctx context.Context, cred mallsync.Credential) (mallsync.Token, error) {
		if cred.Token.RefreshToken == "" {
			return mallsync.Token{}, mallsync.Errorf(mallsync.EUNAUTHORIZED, "cafe24 credential %q has no refresh token: the mall must be re-authorized", cred.Ref)
		}
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {cred.Token.RefreshToken}}
		return postToken(ctx, &tokenHTTP, apiBase, cred.Client, form, o.now())
	}
	c := &Connector{
		mall: mall,
		api: &client{
			apiBase: apiBase,
			shopNo:  mall.Account.ShopNo,
			http:    connectors.NewRetryingClientPolicy(&base, logger, o.retry),
			tokens:  ts,
		},
		mapper:     &mapper{statuses: statuses},
		logger:     logger,
		openClaims: deps.OpenClaims,
	}
	return c, nil
}

// Streams lists the streams the connector reads, suppliers and products first: their
// trading and shipping types are inputs to the ownership of the order lines that follow.
func (c *Connector) Streams() []mallsync.Stream {
	return []mallsync.Stream{mallsync.StreamSuppliers, mallsync.StreamProducts, mallsync.StreamOrders, mallsync.StreamRefunds}
}

// Fetch reads the page of stream that follows the cursor value at, as of now. See the package doc for how
// each stream moves.
func (c *Connector) Fetch(ctx context.Context, stream mallsync.Stream, at string, now time.Time) (connectors.Fetched, error) {
	ctx, counter := connectors.WithCallCounter(ctx)
	var f connectors.Fetched
	var err error
	switch stream {
	case mallsync.StreamOrders:
		var cur cursor
		if cur, err = parseCursor(at); err != nil {
			return connectors.Fetched{}, err
		}
		f, err = c.fetchOrders(ctx, cur, now, counter)
	case mallsync.StreamRefunds:
		var cur refundCursor
		if cur, err = parseRefundCursor(at); err != nil {
			return connectors.Fetched{}, err
		}
		f, err = c.fetchRefunds(ctx, cur, now, counter)
	case mallsync.StreamProducts, mallsync.StreamSuppliers:
		var cur scanCursor
		if cur, err = parseScanCursor(stream, at); err != nil {
			return connectors.Fetched{}, err
		}
		read := c.readProducts
		if stream == mallsync.StreamSuppliers {
			read = c.readSuppliers
		}
		f, err = c.fetchScan(ctx, cur, now, counter, read)
	default:
		return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "cafe24 has no stream %q", stream)
	}
	if err != nil {
		return f, fmt.Errorf("fetching cafe24 %s of mall %s: %w", stream, c.mall.Key, err)
	}
	return f, nil
}

var _ connectors.Connector = (*Connector)(nil)
var _ connectors.Factory = New
