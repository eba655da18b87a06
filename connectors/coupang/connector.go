package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// DefaultBase is Coupang's API gateway; a mall's api_base replaces it (a simulator, a proxy).
const DefaultBase = "https://api-gateway.coupang.com"

// DefaultMaxCallsPerSecond keeps a vendor well under Coupang's limit of about 10 calls a
// second, across every API: going over blocks the vendor for minutes, so the budget is
// never probed.
const DefaultMaxCallsPerSecond = 5

// Horizon is how far back each pass after the backfill lists order sheets: a sheet moves on
// (dispatch, transit, delivery) for days after its order, and one 31-day window covers that.
const Horizon = 31 * 24 * time.Hour

// Connector reads a Coupang vendor's order sheets. Its streams and how they move are in the
// package doc.
type Connector struct {
	mall     mallsync.Mall
	base     string
	vendor   string
	access   string
	secret   string
	http     *http.Client
	statuses mallsync.StatusMap
	now      func() time.Time
	logger   *slog.Logger
}

// New is the connectors.Factory for Coupang malls. The mall's credential holds the vendor's
// access key (as the client id) and secret key (as the client secret).
func New(ctx context.Context, mall mallsync.Mall, deps connectors.Deps) (connectors.Connector, error) {
	if mall.Account.VendorID == "" {
		return nil, mallsync.Errorf(mallsync.EINVALID, "mall %s has no coupang vendor_id", mall.Key)
	}
	k, err := deps.Keyed(ctx, mall, connectors.KeyedPlatform{Platform: mallsync.PlatformCoupang, DefaultBase: DefaultBase,
		DefaultRate: DefaultMaxCallsPerSecond, Account: mall.Account.VendorID})
	if err != nil {
		return nil, err
	}
	return &Connector{mall: mall, base: k.Base, vendor: mall.Account.VendorID, access: k.Client.ClientID,
		secret: k.Client.ClientSecret, http: k.HTTP, statuses: k.Statuses, now: k.Now, logger: k.Logger}, nil
}

// Streams lists the streams the connector reads: the order sheets, then the claims (so that
// in a cycle the claims stream's re-reads come after the sheets were listed).
func (c *Connector) Streams() []mallsync.Stream {
	return []mallsync.Stream{mallsync.StreamOrders, mallsync.StreamClaims}
}

// Fetch reads the page of stream that follows the cursor value at, as of now.
func (c *Connector) Fetch(ctx context.Context, stream mallsync.Stream, at string, now time.Time) (connectors.Fetched, error) {
	ctx, counter := connectors.WithCallCounter(ctx)
	var f connectors.Fetched
	switch stream {
	case mallsync.StreamOrders:
		cur, err := parseCursor(at)
		if err != nil {
			return connectors.Fetched{}, err
		}
		f, err = c.fetchOrders(ctx, cur, now)
		f.Calls = counter.Calls()
		return f, err
	case mallsync.StreamClaims:
		cur, err := parseClaimCursor(at)
		if err != nil {
			return connectors.Fetched{}, err
		}
		f, err = c.fetchClaims(ctx, cur, now)
		f.Calls = counter.Calls()
		return f, err
	}
	return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "coupang has no stream %q", stream)
}

// getJSON signs and sends a GET of path with query q and decodes the answer's body into v.
func (c *Connector) getJSON(ctx context.Context, path string, q url.Values, v any) error {
	u := c.base + path + "?" + q.Encode()
	do := func(ctx context.Context) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, mallsync.Errorf(mallsync.EINVALID, "building coupang request: %v", err)
		}
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
		Sign(req, c.access, c.secret, c.now())
		resp, err := c.http.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%w: %v", mallsync.Errorf(mallsync.EUNAVAILABLE, "coupang unreachable"), connectors.Redact(err.Error()))
		}
		return resp, nil
	}
	return connectors.GetJSON(ctx, do, v, 2)
}

// answer is Coupang's envelope: {"code":200,"message":"OK","data":…,"nextToken":…}.
type answer struct {
	Code      json.RawMessage   `json:"code"`
	Message   string            `json:"message"`
	Data      []json.RawMessage `json:"data"`
	NextToken string            `json:"nextToken"`
}

var _ connectors.Connector = (*Connector)(nil)
