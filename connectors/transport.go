package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"

	"github.com/mallsync/mallsync"
)

// RetryPolicy says how a retrying client retries.
type RetryPolicy struct {
	// MaxRetries is how many times a call is retried after the first attempt.
	MaxRetries int
	// WaitMin and WaitMax bound the exponential backoff between attempts.
	WaitMin, WaitMax time.Duration
}

// DefaultRetryPolicy is what NewRetryingClient uses apart from MaxRetries.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 4, WaitMin: 200 * time.Millisecond, WaitMax: 10 * time.Second}

// NewRetryingClient returns a client that sends requests through base and retries transport
// errors, 429 and 5xx answers (not 501) up to maxRetries times, with exponential backoff and
// jitter between 200ms and 10s, or the wait a Retry-After header asks for. When retries run
// out the last answer is returned as is, so the caller sees its status. Every attempt is
// counted (see WithCallCounter). It logs retries through logger, never with request headers,
// and with token-like query parameters redacted.
//
// A request body is buffered so that it can be sent again: do not use this client for calls
// that must not be repeated (an OAuth refresh with a single-use refresh token).
func NewRetryingClient(base *http.Client, logger *slog.Logger, maxRetries int) *http.Client {
	p := DefaultRetryPolicy
	p.MaxRetries = maxRetries
	return NewRetryingClientPolicy(base, logger, p)
}

// NewRetryingClientPolicy is NewRetryingClient with every knob of the policy.
func NewRetryingClientPolicy(base *http.Client, logger *slog.Logger, p RetryPolicy) *http.Client {
	if logger == nil {
		logger = slog.Default()
	}
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.WaitMin <= 0 {
		p.WaitMin = DefaultRetryPolicy.WaitMin
	}
	if p.WaitMax < p.WaitMin {
		p.WaitMax = p.WaitMin
	}
	inner := &http.Client{}
	if base != nil {
		*inner = *base
	}
	inner.Transport = CountCalls(inner.Transport)

	rc := retryablehttp.NewClient()
	rc.HTTPClient = inner
	rc.Logger = slogLeveled{logger}
	rc.RetryMax = p.MaxRetries
	rc.RetryWaitMin = p.WaitMin
	rc.RetryWaitMax = p.WaitMax
	rc.CheckRetry = checkRetry
	rc.Backoff = backoff
	rc.ErrorHandler = func(resp *http.Response, err error, attempts int) (*http.Response, error) {
		if resp != nil {
			// Out of retries on a 429 or 5xx: hand the answer back so the caller can read it.
			return resp, nil
		}
		return nil, fmt.Errorf("giving up after %d attempt(s): %w", attempts, err)
	}
	return &http.Client{Transport: &retryablehttp.RoundTripper{Client: rc}}
}

func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	if resp.StatusCode == http.StatusTooManyRequests ||
		(resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented) {
		return true, nil
	}
	return false, nil
}

// backoff is exponential from min, capped at max, with "equal jitter" (half fixed, half
// random) so that concurrent callers spread out; a Retry-After header wins when present.
func backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return d
		}
	}
	d := min
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + rand.N(half+1)
}

func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// CallCounter counts the HTTP attempts made under a context (see WithCallCounter).
type CallCounter struct{ n atomic.Int64 }

// Calls returns the number of attempts counted so far.
func (c *CallCounter) Calls() int { return int(c.n.Load()) }

type callCounterKey struct{}

// WithCallCounter returns a context under which every HTTP attempt made through a transport
// wrapped by CountCalls (retries and token refreshes included) is counted in the returned
// counter.
func WithCallCounter(ctx context.Context) (context.Context, *CallCounter) {
	c := &CallCounter{}
	return context.WithValue(ctx, callCounterKey{}, c), c
}

// CountCalls wraps rt (nil means http.DefaultTransport) so that each request is counted in
// the CallCounter of its context, if any.
func CountCalls(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	if _, ok := rt.(countingTransport); ok {
		return rt
	}
	return countingTransport{rt}
}

type countingTransport struct{ next http.RoundTripper }

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if c, ok := req.Context().Value(callCounterKey{}).(*CallCounter); ok {
		c.n.Add(1)
	}
	return t.next.RoundTrip(req)
}

// DecodeError says a 2xx body could not be read or decoded. Truncated bodies and syntax errors
// are Retryable: asking again usually gets the whole body.
type DecodeError struct {
	Err       error
	Retryable bool
}

func (e *DecodeError) Error() string { return "decoding response: " + e.Err.Error() }
func (e *DecodeError) Unwrap() error { return e.Err }

// DecodeJSON reads resp's body into v (through v.DecodeBody when v is a BodyDecoder) and
// closes it. A non-2xx answer becomes *HTTPError; a
// body that cannot be read or decoded becomes *DecodeError.
func DecodeJSON(resp *http.Response, v any) error {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return NewHTTPError(resp)
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return &DecodeError{Err: err, Retryable: true}
	}
	if d, ok := v.(BodyDecoder); ok {
		err = d.DecodeBody(body)
	} else {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		var syn *json.SyntaxError
		retry := errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF)
		return &DecodeError{Err: err, Retryable: retry}
	}
	return nil
}

// maxPresize bounds the buffer readBody allocates up front from Content-Length.
const maxPresize = 64 << 20

// readBody reads a whole body into one buffer sized from Content-Length when the server sent
// it: pages are megabytes, and growing a buffer by doubling leaves several times that behind
// for the collector.
func readBody(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n <= 0 || n > maxPresize {
		return io.ReadAll(resp.Body)
	}
	buf := make([]byte, n+1) // one spare byte tells a body longer than announced
	got, err := io.ReadFull(resp.Body, buf)
	switch {
	case int64(got) == n && (err == io.ErrUnexpectedEOF || err == io.EOF):
		return buf[:got], nil // exactly as announced
	case err == nil: // longer than announced: read the rest the slow way
		rest, rerr := io.ReadAll(resp.Body)
		return append(buf, rest...), rerr
	case err == io.EOF:
		return buf[:got], io.ErrUnexpectedEOF
	default:
		return buf[:got], err // shorter than announced, or the connection broke
	}
}

// BodyDecoder is a value that decodes a whole response body itself (faster than
// json.Unmarshal for large pages, or keeping slices of body, which it may). DecodeJSON uses it
// when v implements it. A body cut short must fail with io.ErrUnexpectedEOF or a
// *json.SyntaxError, and a failed DecodeBody must leave nothing a retry would see.
type BodyDecoder interface {
	DecodeBody(body []byte) error
}

// GetJSON calls do and decodes the 2xx answer into v. When the body is truncated or otherwise
// not valid JSON it calls do again, at most decodeRetries more times (a truncated 200 is not a
// transport error, so the retrying client cannot see it). A failed decode must leave nothing
// in v that the next attempt would see (json.Unmarshal checks the whole input first; a
// BodyDecoder resets itself). Errors: *HTTPError for
// non-2xx answers, an EUNAVAILABLE *mallsync.Error wrapping the *DecodeError when the body
// never decodes, EINVALID when it is valid JSON of the wrong shape.
func GetJSON(ctx context.Context, do func(context.Context) (*http.Response, error), v any, decodeRetries int) error {
	for attempt := 0; ; attempt++ {
		resp, err := do(ctx)
		if err != nil {
			return err
		}
		err = DecodeJSON(resp, v)
		var de *DecodeError
		if !errors.As(err, &de) {
			return err
		}
		if !de.Retryable {
			return fmt.Errorf("%w: %w", mallsync.Errorf(mallsync.EINVALID, "the platform's answer has an unexpected shape"), de)
		}
		if attempt >= decodeRetries || ctx.Err() != nil {
			return fmt.Errorf("%w: %w", mallsync.Errorf(mallsync.EUNAVAILABLE, "the platform's answer was cut short %d time(s)", attempt+1), de)
		}
	}
}

// slogLeveled adapts slog to retryablehttp's LeveledLogger, redacting secrets from every value.
type slogLeveled struct{ l *slog.Logger }

func (s slogLeveled) Error(msg string, kv ...any) { s.l.Error(msg, redactArgs(kv)...) }
func (s slogLeveled) Info(msg string, kv ...any)  { s.l.Info(msg, redactArgs(kv)...) }
func (s slogLeveled) Debug(msg string, kv ...any) { s.l.Debug(msg, redactArgs(kv)...) }
func (s slogLeveled) Warn(msg string, kv ...any)  { s.l.Warn(msg, redactArgs(kv)...) }

func redactArgs(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		switch x := v.(type) {
		case string:
			out[i] = Redact(x)
		case error:
			out[i] = Redact(x.Error())
		case fmt.Stringer:
			out[i] = Redact(x.String())
		default:
			out[i] = v
		}
	}
	return out
}

// secretParams are query or form parameters whose values never reach a log.
var secretParams = []string{
	"access_token", "refresh_token", "code", "client_secret", "token", "password", "api_key", "apikey", "secret",
}

// Redact replaces the values of token-like query parameters (access_token, refresh_token,
// code, client_secret, ...) in s with "REDACTED". It is meant for URLs and messages that
// embed them, before they are logged.
func Redact(s string) string {
	if !strings.ContainsAny(s, "?&") {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		b.WriteByte(c)
		i++
		if c != '?' && c != '&' {
			continue
		}
		for _, p := range secretParams {
			if len(s)-i > len(p) && strings.EqualFold(s[i:i+len(p)], p) && s[i+len(p)] == '=' {
				b.WriteString(s[i : i+len(p)+1])
				b.WriteString("REDACTED")
				i += len(p) + 1
				for i < len(s) && !strings.ContainsRune("& \"'\n\t#", rune(s[i])) {
					i++
				}
				break
			}
		}
	}
	return b.String()
}
