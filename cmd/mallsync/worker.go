package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"go.temporal.io/sdk/worker"

	"github.com/mallsync/mallsync/workflows"
)

func runWorker(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("worker", stderr)
	temporalAddr := fs.String("temporal", "127.0.0.1:7233", "Temporal frontend host:port")
	namespace := fs.String("namespace", "default", "Temporal namespace")
	logLevel := fs.String("log", "info", "log level: debug, info, warn, error")
	memLimit := fs.Int("memory-limit-mb", 120, "soft memory limit for the Go runtime in MB (GOMEMLIMIT wins when set); 0 = none")
	pprofAddr := fs.String("pprof", "", "serve Go's profiler (net/http/pprof) on this loopback address, e.g. 127.0.0.1:6060; off when empty")
	maxCalls := fs.Float64("max-calls-per-second", 0, "cap on platform calls per mall account; 0 = the platform's safe default, negative = no cap (simulators with limits off)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := newLogger(stderr, *logLevel)
	if *memLimit > 0 && getenv("GOMEMLIMIT") == "" {
		// Pages are megabytes and short-lived: without a limit the heap grows to twice what
		// is live before the collector runs.
		debug.SetMemoryLimit(int64(*memLimit) << 20)
	}
	if *pprofAddr != "" {
		if err := servePprof(ctx, *pprofAddr); err != nil {
			return err
		}
	}
	s, closeDB, err := openStores(ctx, getenv)
	if err != nil {
		return err
	}
	defer closeDB()
	c, err := dialTemporal(ctx, *temporalAddr, *namespace, logger)
	if err != nil {
		return err
	}
	defer c.Close()
	w := worker.New(c, workflows.TaskQueue, worker.Options{})
	reg := newRegistry(s, logger, *maxCalls, nil)
	workflows.Register(w, workflows.Deps{Sync: newSyncActivities(s, reg, logger, nil), Returns: newReturnActivities(s, reg, c, logger, nil)})
	if err := w.Start(); err != nil {
		return fmt.Errorf("starting worker: %w", err)
	}
	defer w.Stop()
	if err := startDispatcher(ctx, c); err != nil {
		return err
	}
	deliverNotifications(ctx, s, logger, 30*time.Second)
	fmt.Fprintf(stdout, "worker polling %q on %s (namespace %s)\n", workflows.TaskQueue, *temporalAddr, *namespace)
	<-ctx.Done()
	return nil
}
