package cafe24

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
)

// simPages fetches pages of 300 orders (embed=items,receivers,buyer) from simulators with
// several seeds.
func simPages(t testing.TB) [][]byte {
	t.Helper()
	var pages [][]byte
	for _, seed := range []int64{1, 7, 42, 2026} {
		end := time.Date(2026, 7, 1, 0, 0, 0, 0, kst)
		start := end.AddDate(0, 0, -60)
		sim := cafe24sim.New(cafe24sim.Options{Seed: seed, Orders: 300, Start: start, End: end, NoLimits: true, MaxItems: int(3 + seed%5)})
		srv := httptest.NewServer(sim.Handler())
		const redirect = "https://app.example/cafe24/callback"
		app := mallsync.AppClient{ClientID: "sim-client-id", ClientSecret: "sim-client-secret"}
		tok, err := ExchangeCode(context.Background(), srv.Client(), srv.URL, app, sim.AuthorizeCode(redirect, "st"), redirect)
		if err != nil {
			srv.Close()
			t.Fatal(err)
		}
		for _, dateType := range []string{"order_date", "pay_date"} {
			q := url.Values{
				"date_type": {dateType}, "start_date": {formatKST(start)}, "end_date": {formatKST(end)},
				"limit": {"1000"}, "offset": {"0"}, "embed": {orderEmbed},
			}
			req, _ := http.NewRequest("GET", srv.URL+"/api/v2/admin/orders?"+q.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			resp, err := srv.Client().Do(req)
			if err != nil {
				srv.Close()
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				srv.Close()
				t.Fatalf("GET orders: %d %v %.200s", resp.StatusCode, err, body)
			}
			pages = append(pages, body)
		}
		srv.Close()
	}
	return pages
}

// BenchmarkSimPage decodes and maps a simulator page of 300 orders.
func BenchmarkSimPage(b *testing.B) {
	benchCPU(b, simPages(b)[0], 0)
}

// benchCPU decodes and maps body in a loop, reporting wall and process CPU time per page
// (garbage collection included; CPU time is steadier than wall time on a shared machine).
func benchCPU(b *testing.B, body []byte, orders int) {
	m := testMapper()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	before := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		p, err := decodePage(body)
		if err != nil {
			b.Fatal(err)
		}
		page := m.mapOrders(p.Orders)
		if orders > 0 && len(page.Orders) != orders {
			b.Fatalf("%d orders, %d rejects", len(page.Orders), len(page.Rejects))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/page")
	b.ReportMetric(float64(cpuTime()-before)/float64(b.N)/1e6, "cpu-ms/page")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
