package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
)

func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "cafe24" {
		return fmt.Errorf("sim: expected a platform: cafe24")
	}
	fs := newFlags("sim cafe24", stderr)
	addr := fs.String("addr", "127.0.0.1:8024", "listen address")
	orders := fs.Int("orders", 1000, "orders to generate")
	seed := fs.Int64("seed", 1, "seed")
	days := fs.Int("days", 120, "days of order history before the clock")
	noLimits := fs.Bool("no-limits", false, "switch off the leaky bucket")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	kst := time.FixedZone("KST", 9*3600)
	now := time.Now().In(kst)
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, kst)
	return cafe24sim.ListenAndServe(ctx, *addr, cafe24sim.Options{
		Seed: *seed, Orders: *orders, Start: end.AddDate(0, 0, -*days), End: end, NoLimits: *noLimits,
	}, stdout)
}
