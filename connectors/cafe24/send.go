package cafe24

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"

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
	call := func(access string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
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
				err = ue.Err
			}
			return nil, errors.Join(mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 unreachable"), err)
		}
		return resp, nil
	}
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
