// Command mallsync is mallsync's one binary: dev, worker, migrate, mall and sim. All flag and
// environment reading happens in this package; main only calls Run.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mallsync:", err)
		os.Exit(1)
	}
}
