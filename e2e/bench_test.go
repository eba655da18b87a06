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
// 400,000 lines) over 120 days. It reports lines/s, API calls, the process's peak RSS and
// heap, which include the simulator and the Temporal server running in the same process, and
// what a line costs the database: rows written per line and bytes of WAL per line.
func BenchmarkBackfill(b *testing.B) {
	orders := 200_000
	if v, err := strconv.Atoi(os.Getenv("BACKFILL_ORDERS")); err == nil && v > 0 {
		orders = v
	}
	for range b.N {
		b.StopTimer()
		bb := setupBench(b, orders)
		ctx := context.Background()
		walBefore := walPosition(b, bb)
		b.StartTimer()
		start := time.Now()
		res := bb.syncUntilCaughtUp(ctx)
		el := time.Since(start)
		b.StopTimer()
		wal := walSince(b, bb, walBefore)
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
		// what a line costs the database: the rows sync wrote for it and the WAL they made
		// (the server's whole WAL, so other work on the server counts too)
		b.ReportMetric(float64(rowsWritten(b, bb))/float64(lines), "rows/line")
		b.ReportMetric(wal/float64(lines), "wal-B/line")
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

// syncTables are the tables a sync writes rows to.
var syncTables = []string{"orders", "order_lines", "line_status_changes", "inventory_movements", "shipments",
	"claims", "claim_lines", "claim_status_events", "refunds", "refund_lines", "outbox"}

// rowsWritten counts the rows of the sync's tables in the benchmark's schema.
func rowsWritten(b *testing.B, bb *bundle) int64 {
	b.Helper()
	var total int64
	for _, t := range syncTables {
		var n int64
		if err := bb.db.Get(&n, `SELECT count(*) FROM `+t); err != nil {
			b.Fatalf("counting %s: %v", t, err)
		}
		total += n
	}
	return total
}

// walPosition is the server's current WAL position.
func walPosition(b *testing.B, bb *bundle) string {
	b.Helper()
	var lsn string
	if err := bb.db.Get(&lsn, `SELECT pg_current_wal_lsn()::text`); err != nil {
		b.Fatalf("reading the WAL position: %v", err)
	}
	return lsn
}

// walSince is the bytes of WAL the server wrote since from.
func walSince(b *testing.B, bb *bundle, from string) float64 {
	b.Helper()
	var n float64
	if err := bb.db.Get(&n, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)`, from); err != nil {
		b.Fatalf("reading the WAL written: %v", err)
	}
	return n
}
