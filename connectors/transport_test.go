package connectors

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

var fastRetry = RetryPolicy{MaxRetries: 3, WaitMin: time.Millisecond, WaitMax: 5 * time.Millisecond}

// scripted answers each request with the next status in the script (200 once it runs out).
func scripted(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		st := 200
		if i < len(statuses) {
			st = statuses[i]
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		if st == 200 {
			_, _ = w.Write([]byte(`{"ok":true}`))
			return
		}
		_, _ = w.Write([]byte(`{"error":{"code":"` + http.StatusText(st) + `","message":"try later"}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetryingClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		script   []int
		want     int // final status
		attempts int32
	}{
		{"200 at once", nil, 200, 1},
		{"429 then 200", []int{429}, 200, 2},
		{"500 503 then 200", []int{500, 503}, 200, 3},
		{"400 is not retried", []int{400}, 400, 1},
		{"401 is not retried", []int{401}, 401, 1},
		{"501 is not retried", []int{501}, 501, 1},
		{"out of retries returns the last answer", []int{503, 503, 503, 503, 503}, 503, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n := scripted(t, tt.script...)
			cl := NewRetryingClientPolicy(nil, slog.New(slog.DiscardHandler), fastRetry)
			ctx, counter := WithCallCounter(context.Background())
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
			resp, err := cl.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if n.Load() != tt.attempts || counter.Calls() != int(tt.attempts) {
				t.Errorf("server saw %d attempts, counter %d, want %d", n.Load(), counter.Calls(), tt.attempts)
			}
		})
	}
}

func TestRetryingClientTransportError(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close() // drop the connection without an answer
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	cl := NewRetryingClientPolicy(nil, slog.New(slog.DiscardHandler), fastRetry)
	resp, err := cl.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n.Load() != 2 {
		t.Errorf("%d attempts, want 2", n.Load())
	}
}

func TestRetryingClientLogsNoSecrets(t *testing.T) {
	t.Parallel()
	srv, _ := scripted(t, 503, 503)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cl := NewRetryingClientPolicy(nil, logger, fastRetry)
	req, _ := http.NewRequest("GET", srv.URL+"/x?access_token=s3cr3t-at&limit=10&code=s3cr3t-code", nil)
	req.Header.Set("Authorization", "Bearer s3cr3t-bearer")
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := buf.String()
	if !strings.Contains(out, "retrying") {
		t.Fatalf("no retry logged:\n%s", out)
	}
	if strings.Contains(out, "s3cr3t") {
		t.Errorf("log leaks a secret:\n%s", out)
	}
	if !strings.Contains(out, "limit=10") {
		t.Errorf("log lost the harmless query:\n%s", out)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://a/b?access_token=x1&limit=10", "https://a/b?access_token=REDACTED&limit=10"},
		{`Get "https://a/b?limit=1&refresh_token=abc": EOF`, `Get "https://a/b?limit=1&refresh_token=REDACTED": EOF`},
		{"grant_type=refresh_token&refresh_token=zz", "grant_type=refresh_token&refresh_token=REDACTED"},
		{"https://a/b?error_code=1&code=zz", "https://a/b?error_code=1&code=REDACTED"},
		{"no query here", "no query here"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTTPError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status            int
		body              string
		code, msg, mscode string
	}{
		{400, `{"error":{"code":400,"message":"bad date"}}`, "400", "bad date", mallsync.EINVALID},
		{401, `{"error":{"code":"unauthorized","message":"expired"}}`, "unauthorized", "expired", mallsync.EUNAUTHORIZED},
		{403, `{"error":{"code":"forbidden","message":"scope"}}`, "forbidden", "scope", mallsync.EFORBIDDEN},
		{404, `{"error":{"code":"not_found","message":"no"}}`, "not_found", "no", mallsync.EINVALID},
		{409, `{}`, "", "", mallsync.EINVALID},
		{422, `{"code":"V1","message":"naver style"}`, "V1", "naver style", mallsync.EINVALID},
		{429, `not json`, "", "", mallsync.ERATELIMITED},
		{400, `{"error":"invalid_grant","error_description":"refresh token reused"}`, "invalid_grant", "refresh token reused", mallsync.EINVALID},
		{500, ``, "", "", mallsync.EUNAVAILABLE},
		{504, ``, "", "", mallsync.EUNAVAILABLE},
	}
	for _, tt := range tests {
		resp := &http.Response{StatusCode: tt.status, Body: ioNop(tt.body)}
		e := NewHTTPError(resp)
		if e.Code != tt.code || e.Message != tt.msg {
			t.Errorf("%d %s: code %q msg %q, want %q %q", tt.status, tt.body, e.Code, e.Message, tt.code, tt.msg)
		}
		if got := mallsync.ErrorCode(e); got != tt.mscode {
			t.Errorf("%d: ErrorCode = %s, want %s", tt.status, got, tt.mscode)
		}
		var he *HTTPError
		if !errors.As(error(e), &he) || he.Status != tt.status {
			t.Errorf("%d: not an *HTTPError", tt.status)
		}
		if !strings.Contains(e.Error(), http.StatusText(tt.status)) && !strings.Contains(e.Error(), itoa(tt.status)) {
			t.Errorf("Error() %q does not say the status", e.Error())
		}
	}
}

func TestHTTPErrorBody(t *testing.T) {
	t.Parallel()
	big := `{"error":{"code":"x","message":"m"},"pad":"` + strings.Repeat("a", 5000) + `"}`
	e := NewHTTPError(&http.Response{StatusCode: 500, Body: ioNop(big)})
	if len(e.Body) != MaxErrorBody {
		t.Errorf("body kept %d bytes, want %d", len(e.Body), MaxErrorBody)
	}
	e = NewHTTPError(&http.Response{StatusCode: 400, Body: ioNop(`{"access_token":"leak","error":"x"}`)})
	if e.Body != nil {
		t.Errorf("kept a body with a token: %s", e.Body)
	}
}

func TestGetJSONRetriesTruncatedBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		bodies  []string
		retries int
		want    string // mallsync code, "" for success
		calls   int
	}{
		{"whole body", []string{`{"n":1}`}, 2, "", 1},
		{"truncated then whole", []string{`{"n":`, `{"n":1}`}, 2, "", 2},
		{"always truncated", []string{`{"n":`, `{"n":`, `{"n":`}, 2, mallsync.EUNAVAILABLE, 3},
		{"wrong shape is not retried", []string{`{"n":"one"}`}, 2, mallsync.EINVALID, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			do := func(ctx context.Context) (*http.Response, error) {
				b := tt.bodies[min(calls, len(tt.bodies)-1)]
				calls++
				return &http.Response{StatusCode: 200, Body: ioNop(b)}, nil
			}
			var v struct{ N int }
			err := GetJSON(context.Background(), do, &v, tt.retries)
			if got := mallsync.ErrorCode(err); got != tt.want {
				t.Fatalf("err %v (code %q), want code %q", err, got, tt.want)
			}
			if calls != tt.calls {
				t.Errorf("%d calls, want %d", calls, tt.calls)
			}
			if tt.want == "" && v.N != 1 {
				t.Errorf("decoded %+v", v)
			}
		})
	}
}

func TestReadBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		length  int64
		want    string
		wantErr bool
	}{
		{"as announced", `{"a":1}`, 7, `{"a":1}`, false},
		{"unknown length", `{"a":1}`, -1, `{"a":1}`, false},
		{"shorter than announced", `{"a"`, 7, `{"a"`, true},
		{"longer than announced", `{"a":1}xx`, 7, `{"a":1}xx`, false},
	}
	for _, tt := range tests {
		resp := &http.Response{Body: io.NopCloser(strings.NewReader(tt.body)), ContentLength: tt.length}
		got, err := readBody(resp)
		if string(got) != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("%s: readBody = %q, %v", tt.name, got, err)
		}
	}
}
