package connectors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/mallsync/mallsync"
)

// MaxErrorBody is how much of a non-2xx response body an HTTPError keeps.
const MaxErrorBody = 2 << 10

// maxErrorMessage bounds the platform message carried into errors and logs.
const maxErrorMessage = 300

// HTTPError is a platform's non-2xx answer. Body is the start of the response body (at most
// MaxErrorBody bytes); it never holds request headers, and a body that carries tokens is
// dropped. Error() names the status, the platform's code and its message, nothing more.
//
// An HTTPError unwraps to a *mallsync.Error whose code follows the status (see StatusCode), so
// callers tell failures apart with mallsync.ErrorCode(err).
type HTTPError struct {
	Status  int
	Code    string
	Message string
	Body    []byte
}

// Error implements error.
func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "platform answered %d", e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Unwrap returns the mallsync error the status maps to.
func (e *HTTPError) Unwrap() error {
	return &mallsync.Error{Code: StatusCode(e.Status), Message: e.Error()}
}

// StatusCode maps an HTTP status to a mallsync error code: 401 EUNAUTHORIZED, 403 EFORBIDDEN,
// 400/404/409/422 (and other 4xx) EINVALID, 429 ERATELIMITED, 5xx EUNAVAILABLE, anything else
// EINTERNAL.
func StatusCode(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return mallsync.EUNAUTHORIZED
	case status == http.StatusForbidden:
		return mallsync.EFORBIDDEN
	case status == http.StatusTooManyRequests:
		return mallsync.ERATELIMITED
	case status >= 400 && status < 500:
		return mallsync.EINVALID
	case status >= 500 && status < 600:
		return mallsync.EUNAVAILABLE
	default:
		return mallsync.EINTERNAL
	}
}

// NewHTTPError reads (at most MaxErrorBody bytes of) resp's body, closes it and returns the
// HTTPError it describes. It understands the error envelopes platforms use:
// {"error":{"code":..,"message":..}} (Cafe24 admin API), {"error":"..","error_description":".."}
// (OAuth token endpoints) and {"code":..,"message":..} (Naver, Coupang).
func NewHTTPError(resp *http.Response) *HTTPError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	e := &HTTPError{Status: resp.StatusCode}
	e.Code, e.Message = parseErrorEnvelope(body)
	if bytes.Contains(body, []byte("access_token")) || bytes.Contains(body, []byte("refresh_token")) {
		body = nil // never keep what might be a token
	}
	e.Body = body
	return e
}

func parseErrorEnvelope(body []byte) (code, message string) {
	var env struct {
		Error            json.RawMessage `json:"error"`
		ErrorDescription string          `json:"error_description"`
		Code             json.RawMessage `json:"code"`
		Message          string          `json:"message"`
	}
	if json.Unmarshal(body, &env) != nil {
		return "", ""
	}
	switch {
	case len(env.Error) > 0 && env.Error[0] == '{':
		var inner struct {
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
		}
		if json.Unmarshal(env.Error, &inner) == nil {
			code, message = rawScalar(inner.Code), inner.Message
		}
	case len(env.Error) > 0 && env.Error[0] == '"':
		_ = json.Unmarshal(env.Error, &code)
		message = env.ErrorDescription
	default:
		code, message = rawScalar(env.Code), env.Message
	}
	return clip(code, 64), clip(message, maxErrorMessage)
}

// rawScalar renders a JSON string or number as text.
func rawScalar(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// do not cut a UTF-8 sequence in half
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
