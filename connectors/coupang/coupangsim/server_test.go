package coupangsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync/connectors/simclock"
)

var testEnd = time.Date(2026, 9, 1, 0, 0, 0, 0, kstZone)

// signedGet signs and sends a GET the way the gateway expects, dated at (zero: the sim's now).
func signedGet(t *testing.T, s *Server, path string, q url.Values, secret string, at time.Time) *httptest.ResponseRecorder {
	t.Helper()
	if at.IsZero() {
		at = s.Clock().Now()
	}
	r := httptest.NewRequest(http.MethodGet, path+"?"+q.Encode(), nil)
	date := at.UTC().Format("060102T150405Z")
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(date + r.Method + r.URL.EscapedPath() + r.URL.RawQuery))
	_, access, _ := s.Vendor()
	r.Header.Set("Authorization", "CEA algorithm=HmacSHA256, access-key="+access+", signed-date="+date+", signature="+hex.EncodeToString(m.Sum(nil)))
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

func TestOrderSheetRules(t *testing.T) {
	t.Parallel()
	s := New(Options{Seed: 1, Orders: 300, Start: testEnd.AddDate(0, 0, -40), End: testEnd, NoLimits: true, Clock: simclock.New(testEnd)})
	vendor, _, secret := s.Vendor()
	path := "/v2/providers/openapi/apis/api/v5/vendors/" + vendor + "/ordersheets"
	ok := url.Values{"createdAtFrom": {"2026-08-01+09:00"}, "createdAtTo": {"2026-08-31+09:00"}, "status": {"FINAL_DELIVERY"}, "maxPerPage": {"50"}}
	with := func(k, v string) url.Values {
		q := url.Values{}
		for kk, vv := range ok {
			q[kk] = vv
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	tests := []struct {
		name   string
		path   string
		q      url.Values
		secret string
		at     time.Time
		status int
		body   string
	}{
		{"good", path, ok, secret, time.Time{}, 200, `"nextToken":"`},
		{"wrong secret", path, ok, "nope", time.Time{}, 401, "Invalid signature."},
		{"signed 10 minutes ago", path, ok, secret, testEnd.Add(-10 * time.Minute), 401, "Specified signature is expired"},
		// A client in another process signs with its wall clock, as the real platform expects.
		{"signed by the wall clock", path, ok, secret, time.Now(), 200, `"nextToken":"`},
		{"signed 10 minutes before the wall clock", path, ok, secret, time.Now().Add(-10 * time.Minute), 401, "Specified signature is expired"},
		{"32-day window", path, with("createdAtFrom", "2026-07-30+09:00"), secret, time.Time{}, 400, "31 days"},
		{"no status", path, with("status", ""), secret, time.Time{}, 400, "status is required"},
		{"51 per page", path, with("maxPerPage", "51"), secret, time.Time{}, 400, "maxPerPage"},
		{"another vendor", strings.Replace(path, vendor, "A99999999", 1), ok, secret, time.Time{}, 403, "vendor"},
	}
	for _, tt := range tests {
		w := signedGet(t, s, tt.path, tt.q, tt.secret, tt.at)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("%s: %d %s", tt.name, w.Code, w.Body.String())
		}
	}
}

// Over 10 calls a second: 429, and the block that follows refuses the next calls too.
func TestTenCallsASecond(t *testing.T) {
	t.Parallel()
	s := New(Options{Seed: 2, Orders: 50, Start: testEnd.AddDate(0, 0, -5), End: testEnd, Clock: simclock.New(testEnd)})
	vendor, _, secret := s.Vendor()
	path := "/v2/providers/openapi/apis/api/v5/vendors/" + vendor + "/ordersheets"
	q := url.Values{"createdAtFrom": {"2026-08-28"}, "createdAtTo": {"2026-08-31"}, "status": {"ACCEPT"}}
	codes := map[int]int{}
	for i := 0; i < 25; i++ { // even across a second's end, one second sees more than 10
		codes[signedGet(t, s, path, q, secret, time.Time{}).Code]++
	}
	if codes[429] < 4 || s.Throttled() < 4 {
		t.Fatalf("25 calls at once: %v (%d throttled)", codes, s.Throttled())
	}
}
