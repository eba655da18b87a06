package smartstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// DefaultBase is the Commerce API's address; a mall's api_base replaces it (a simulator, the
// /partner base of an API agency, a proxy).
const DefaultBase = "https://api.commerce.naver.com/external"

// DefaultMaxCallsPerSecond keeps an app under Naver's token buckets, whose sizes are not
// published: 429 GW.RATE_LIMIT answers are retried after a pause all the same.
const DefaultMaxCallsPerSecond = 5

// Connector reads and writes one SmartStore through the Commerce API. Its stream and
// write-backs, and how they move, are in the package doc.
type Connector struct {
	mall     mallsync.Mall
	base     string
	http     *http.Client
	tokens   *TokenSource
	statuses mallsync.StatusMap
	logger   *slog.Logger
	// Lookback and Horizon are how far back a pass starts again and how far back it re-reads
	// the rows that may still move without a new row (DefaultLookback, RevisitHorizon).
	lookback, horizon time.Duration
}

// New is the connectors.Factory for SmartStore malls. The mall's credential holds the
// application's client id and client secret (a bcrypt salt string, $2a$…); tokens are asked
// for with the client-credentials grant (type SELF) and kept until 30 minutes before expiry.
func New(ctx context.Context, mall mallsync.Mall, deps connectors.Deps) (connectors.Connector, error) {
	k, err := deps.Keyed(ctx, mall, connectors.KeyedPlatform{Platform: mallsync.PlatformSmartStore, DefaultBase: DefaultBase,
		DefaultRate: DefaultMaxCallsPerSecond})
	if err != nil {
		return nil, err
	}
	c := &Connector{mall: mall, base: k.Base, http: k.HTTP, statuses: k.Statuses, logger: k.Logger,
		tokens:   &TokenSource{Base: k.Base, ClientID: k.Client.ClientID, ClientSecret: k.Client.ClientSecret, HTTP: k.HTTP, Now: k.Now},
		lookback: mall.Sync.Lookback, horizon: RevisitHorizon}
	if c.lookback <= 0 {
		c.lookback = DefaultLookback
	}
	return c, nil
}

// Streams lists the streams the connector reads.
func (c *Connector) Streams() []mallsync.Stream { return []mallsync.Stream{mallsync.StreamOrders} }

// Fetch reads the page of stream that follows the cursor value at, as of now.
func (c *Connector) Fetch(ctx context.Context, stream mallsync.Stream, at string, now time.Time) (connectors.Fetched, error) {
	if stream != mallsync.StreamOrders {
		return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "smartstore has no stream %q", stream)
	}
	ctx, counter := connectors.WithCallCounter(ctx)
	cur, err := parseCursor(at)
	if err != nil {
		return connectors.Fetched{}, err
	}
	f, err := c.fetchOrders(ctx, cur, now)
	f.Calls = counter.Calls()
	return f, err
}

// call sends method path (with query q, or JSON body) with the bearer token and decodes the
// answer's envelope data into v. A 401 drops the kept token and tries once more with a new one.
func (c *Connector) call(ctx context.Context, method, path string, q url.Values, body, v any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return mallsync.Errorf(mallsync.EINVALID, "encoding the smartstore request: %v", err)
		}
	}
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return err
		}
		do := func(ctx context.Context) (*http.Response, error) {
			var rd io.Reader
			if payload != nil {
				rd = bytes.NewReader(payload)
			}
			req, err := http.NewRequestWithContext(ctx, method, u, rd)
			if err != nil {
				return nil, mallsync.Errorf(mallsync.EINVALID, "building the smartstore request: %v", err)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Accept", "application/json")
			if payload != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := c.http.Do(req)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, fmt.Errorf("%w: %v", mallsync.Errorf(mallsync.EUNAVAILABLE, "smartstore unreachable"), connectors.Redact(err.Error()))
			}
			return resp, nil
		}
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		err = connectors.GetJSON(ctx, do, &env, 2)
		var herr *connectors.HTTPError
		if errors.As(err, &herr) {
			if herr.Status == http.StatusUnauthorized && attempt == 0 {
				c.tokens.Reset()
				continue
			}
			return gatewayError(herr)
		}
		if err != nil {
			return err
		}
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(env.Data, v); err != nil {
			return fmt.Errorf("%w: %v", mallsync.Errorf(mallsync.EINVALID, "the smartstore answer's data has an unexpected shape"), err)
		}
		return nil
	}
}

// gatewayError types a non-2xx answer by its code (the retrying client has already retried
// the retryable ones: GW.RATE_LIMIT, GW.QUOTA_LIMIT, GW.PROXY, GW.BLOCK, GW.TIMEOUT).
func gatewayError(e *connectors.HTTPError) error {
	code := connectors.StatusCode(e.Status)
	switch {
	case e.Code == "GW.AUTHN":
		code = mallsync.EUNAUTHORIZED
	case e.Code == "GW.IP_NOT_ALLOWED" || e.Code == "GW.AUTHZ":
		code = mallsync.EFORBIDDEN
	case e.Code == "GW.RATE_LIMIT" || e.Code == "GW.QUOTA_LIMIT":
		code = mallsync.ERATELIMITED
	case strings.HasPrefix(e.Code, "GW.PROXY") || strings.HasPrefix(e.Code, "GW.BLOCK") || strings.HasPrefix(e.Code, "GW.TIMEOUT"):
		code = mallsync.EUNAVAILABLE
	case e.Code == "GW.NOT_FOUND":
		code = mallsync.EINVALID
	}
	return fmt.Errorf("%w: %v", mallsync.Errorf(code, "smartstore refused the call"), e)
}

var _ connectors.Connector = (*Connector)(nil)
