package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

// benchPage builds a page like a Cafe24 page: orders with two lines each and ~1.5 KB of raw JSON.
func benchPage(first, n int) mallsync.Page {
	pad := strings.Repeat("서울특별시 강남구 테헤란로 ", 85) // ~3.4 KB per order, as Cafe24 sends
	p := mallsync.Page{Orders: make([]mallsync.Order, n)}
	for i := range n {
		id := fmt.Sprintf("20260701-%07d", first+i)
		raw, _ := json.Marshal(map[string]any{"order_id": id, "pad": pad})
		o := order(id, t0.Add(time.Duration(i)*time.Second), line(mallsync.LinePaid, "N10"), line(mallsync.LineShipped, "N30"))
		o.Raw = raw
		p.Orders[i] = o
	}
	return p
}

// BenchmarkApplyPageInsert measures fresh inserts of 1000-order pages (2000 lines each).
func BenchmarkApplyPageInsert(b *testing.B) {
	ctx := context.Background()
	bu := setup(b)
	pages := make([]mallsync.Page, b.N)
	for i := range pages {
		pages[i] = benchPage(i*1000, 1000)
	}
	cur, err := bu.sync.Cursor(ctx, bu.mall, mallsync.StreamOrders)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		res, err := bu.sync.ApplyPage(ctx, bu.mall, mallsync.StreamOrders, pages[i], cur, fmt.Sprint(i))
		if err != nil {
			b.Fatal(err)
		}
		cur = res.Cursor
	}
	b.ReportMetric(float64(b.N*2000)/b.Elapsed().Seconds(), "lines/s")
}
