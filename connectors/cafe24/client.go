package cafe24

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// APIVersion is sent as X-Cafe24-Api-Version when not empty. Empty means the app's default
// version applies; set it to pin the response shapes this package was written against.
const APIVersion = ""

// decodeRetries is how many times a 200 whose body does not decode is asked for again.
const decodeRetries = 3

// client calls the Cafe24 Admin API of one mall.
type client struct {
	apiBase string // https://{mall_id}.cafe24api.com, no trailing slash
	shopNo  int
	http    *http.Client // retrying, budgeted, counted
	tokens  *tokenSource
}

// BaseURL is the API address of mall: Account.APIBase when set, else
// https://{mall_id}.cafe24api.com; never with a trailing slash.
func BaseURL(mall mallsync.Mall) string {
	if mall.Account.APIBase != "" {
		b := mall.Account.APIBase
		for len(b) > 0 && b[len(b)-1] == '/' {
			b = b[:len(b)-1]
		}
		return b
	}
	return "https://" + mall.Account.MallID + ".cafe24api.com"
}

// getJSON GETs /api/v2/admin{path}?{q} into v. A 401 forces one token refresh and one retry; a
// body cut short is asked for again (decodeRetries times); 429/5xx are retried by the client.
func (c *client) getJSON(ctx context.Context, path string, q url.Values, v any) error {
	if c.shopNo > 0 {
		q.Set("shop_no", strconv.Itoa(c.shopNo))
	}
	u := c.apiBase + "/api/v2/admin" + path + "?" + q.Encode()
	refreshed := false
	do := func(ctx context.Context) (*http.Response, error) {
		tok, err := c.tokens.TokenContext(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := c.send(ctx, http.MethodGet, u, nil, tok.AccessToken)
		if err != nil || resp.StatusCode != http.StatusUnauthorized || refreshed {
			return resp, err
		}
		// The API refused a token we thought valid (revoked, clock skew): refresh once, retry once.
		refreshed = true
		_ = connectors.NewHTTPError(resp) // drain and close
		if tok, err = c.tokens.Refresh(ctx, tok.AccessToken); err != nil {
			return nil, err
		}
		return c.send(ctx, http.MethodGet, u, nil, tok.AccessToken)
	}
	return connectors.GetJSON(ctx, do, v, decodeRetries)
}

// send makes one request with the access token; body is nil for a GET.
func (c *client) send(ctx context.Context, method, u string, body []byte, access string) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, mallsync.Errorf(mallsync.EINVALID, "building cafe24 request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Content-Type", "application/json")
	if APIVersion != "" {
		req.Header.Set("X-Cafe24-Api-Version", APIVersion)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is ours and known; keep it out of the message
		}
		return nil, errors.Join(mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 unreachable"), err)
	}
	return resp, nil
}
