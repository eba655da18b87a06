package cafe24sim

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a ResponseWriter that keeps nothing, so the benchmark measures the simulator.
type discard struct {
	h    http.Header
	n    int
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }
func (d *discard) WriteHeader(code int)        { d.code = code }

func BenchmarkOrdersPage(b *testing.B) {
	o := testOptions()
	o.Orders = 200_000
	bd := setup(b, o)
	r := httptest.NewRequest(http.MethodGet, "/api/v2/admin/orders?start_date=2024-02-01&end_date=2024-04-30&limit=1000&offset=5000&embed=items,receivers,buyer", nil)
	r.Header.Set("Authorization", "Bearer "+bd.token)
	w := &discard{h: http.Header{}}
	bd.h.ServeHTTP(w, r)
	if w.code != 200 {
		b.Fatalf("status %d", w.code)
	}
	b.SetBytes(int64(w.n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.n = 0
		bd.h.ServeHTTP(w, r)
	}
}

func BenchmarkNew200k(b *testing.B) {
	for b.Loop() {
		New(Options{Seed: 1, Orders: 200_000, Start: testStart, End: testEnd})
	}
}
