package coupang

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Vectors computed outside Go (Python's hmac and hashlib) for the message the documentation
// describes: signed-date + method + path + query.
func TestSignatureKnownVectors(t *testing.T) {
	t.Parallel()
	const secret = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct{ method, path, query, want string }{
		{"GET", "/v2/providers/openapi/apis/api/v5/vendors/A00012345/ordersheets",
			"createdAtFrom=2025-10-01%2B09:00&createdAtTo=2025-10-16%2B09:00&maxPerPage=50&status=ACCEPT",
			"90c3f1ba7a8746474e80be08948ac07961bfe2d816706da3ee54be828208d49f"},
		{"PUT", "/v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets/acknowledgement", "",
			"0ca59197ae8e38ab4e470ebb9749828c6d4d44788704d7b09eba5f563a35a284"},
	}
	for _, tt := range tests {
		if got := Signature(secret, "251016T021500Z", tt.method, tt.path, tt.query); got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.method, tt.path, got, tt.want)
		}
	}
}

// Sign signs the query exactly as the request sends it: url.Values escapes "+09:00" as
// %2B09%3A00, and that is what is signed (the vector is Python's, for that query).
func TestSignUsesTheQueryAsSent(t *testing.T) {
	t.Parallel()
	q := url.Values{"createdAtFrom": {"2025-10-01+09:00"}, "createdAtTo": {"2025-10-16+09:00"}, "maxPerPage": {"50"}, "status": {"ACCEPT"}}
	req, err := http.NewRequest(http.MethodGet, "https://api-gateway.coupang.com/v2/providers/openapi/apis/api/v5/vendors/A00012345/ordersheets?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	Sign(req, "ak-1", "0123456789abcdef0123456789abcdef01234567", time.Date(2025, 10, 16, 11, 15, 0, 0, time.FixedZone("KST", 9*3600)))
	const want = "CEA algorithm=HmacSHA256, access-key=ak-1, signed-date=251016T021500Z, signature=647d46ed24927416a33eb166300fb1f6bc2e28073d294211b9caa2b3b8c7aef4"
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization = %s\nwant %s", got, want)
	}
	if req.URL.RawQuery != "createdAtFrom=2025-10-01%2B09%3A00&createdAtTo=2025-10-16%2B09%3A00&maxPerPage=50&status=ACCEPT" {
		t.Fatalf("query sent: %s", req.URL.RawQuery)
	}
}
