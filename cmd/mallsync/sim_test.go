package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Each platform's simulator runs alone, prints its base URL and credentials, serves its API
// there (refusing a call without credentials the way the platform does) and stops with its
// context.
func TestSimRunsEachPlatformAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		platform, want, path string
		status               int
	}{
		{"cafe24", "client secret:", "/api/v2/admin/orders", http.StatusUnauthorized},
		{"coupang", "secret key:", "/v2/providers/openapi/apis/api/v5/vendors/A00012345/ordersheets?status=ACCEPT", http.StatusUnauthorized},
		{"smartstore", "client secret:", "/v1/pay-order/seller/product-orders/last-changed-statuses?lastChangedFrom=2026-11-01T00:00:00.000%2B09:00", http.StatusUnauthorized},
	} {
		t.Run(tc.platform, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			var out syncBuffer
			done := make(chan error, 1)
			go func() {
				done <- Run(ctx, []string{"sim", tc.platform, "--addr", "127.0.0.1:0", "--orders", "20"}, envOf(nil), &out, &bytes.Buffer{})
			}()
			base := ""
			for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if m := regexp.MustCompile(`base URL:\s+(\S+)`).FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), tc.want) {
					base = m[1]
				}
			}
			if base == "" {
				cancel()
				t.Fatalf("no banner with the base URL and %q:\n%s", tc.want, out.String())
			}
			resp, err := http.Get(base + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("GET %s without credentials = %d, want %d", tc.path, resp.StatusCode, tc.status)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("sim %s: %v", tc.platform, err)
			}
		})
	}
}
