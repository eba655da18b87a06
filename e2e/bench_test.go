package e2e

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
)

// BenchmarkBackfill runs the whole pipeline: simulator → Cafe24 connector → Temporal → worker
// → Postgres, rate limits off, for a backfill of BACKFILL_ORDERS orders (default 200,000, about
// 400,000 lines) over 120 days. It reports lines/s, API calls, and the process's peak RSS and
// heap, which include the simulator and the Temporal server running in the same process.
func BenchmarkBackfill(b *testing.B) {
	orders := 200_000
	if v, err := strconv.Atoi(os.Getenv("BACKFILL_ORDERS")); err == nil && v > 0 {
		orders = v
	}
	for range b.N {
		b.StopTimer()
		bb := setupBench(b, orders)
		ctx := context.Background()
		b.StartTimer()
		start := time.Now()
		res := bb.syncUntilCaughtUp(ctx)
		el := time.Since(start)
		b.StopTimer()
		_, d := bb.diff(ctx)
		if d.Mismatches() != 0 {
			b.Fatalf("%d mismatches after the backfill: %v", d.Mismatches(), d.Examples)
		}
		orderStream := streamOf(res.Streams, mallsync.StreamOrders)
		if orderStream == nil || orderStream.Lines == 0 {
			b.Fatalf("no lines synced: %+v", res.Streams)
		}
		lines := orderStream.Lines
		b.ReportMetric(float64(lines)/el.Seconds(), "lines/s")
		b.ReportMetric(float64(lines), "lines")
		b.ReportMetric(float64(bb.sim.Calls()), "api-calls")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		b.ReportMetric(peakRSSMB(), "peak-rss-MB")
	}
}

func setupBench(b *testing.B, orders int) *bundle {
	start, end := period(120)
	return setup(b, cafe24sim.Options{Seed: 3, Orders: orders, Start: start, End: end, NoLimits: true})
}

// peakRSSMB reads the process's peak resident set (VmHWM) on Linux; 0 elsewhere.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
