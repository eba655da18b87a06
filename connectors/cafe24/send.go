package cafe24

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// maxWriteAnswer caps the body of a write's answer.
const maxWriteAnswer = 4 << 20

// sendJSON sends body with method to an admin path and returns the answer's status and body,
// whatever the status: a write's 207, 409 and 422 are answers, not failures. 429 and 5xx are
// retried below (a write repeated after a lost answer comes back 409), 401 refreshes the
// token once.
func (c *client) sendJSON(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	u := c.apiBase + "/api/v2/admin" + path
	call := func(access string) (*http.Response, error) { return c.send(ctx, method, u, body, access) }
	tok, err := c.tokens.TokenContext(ctx)
	if err != nil {
		return 0, nil, err
	}
	resp, err := call(tok.AccessToken)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		_ = connectors.NewHTTPError(resp) // drain and close
		if tok, err = c.tokens.Refresh(ctx, tok.AccessToken); err != nil {
			return 0, nil, err
		}
		resp, err = call(tok.AccessToken)
	}
	if err != nil {
		return 0, nil, err
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden,
		resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		return 0, nil, connectors.NewHTTPError(resp)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxWriteAnswer))
	if err != nil {
		return 0, nil, errors.Join(mallsync.Errorf(mallsync.EUNAVAILABLE, "reading cafe24's answer"), err)
	}
	return resp.StatusCode, b, nil
}
