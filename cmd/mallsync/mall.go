package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/mappings"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/workflows"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

func runMall(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("mall: expected validate, apply, list or connect")
	}
	switch args[0] {
	case "validate":
		return mallValidate(args[1:], stdout, stderr)
	case "apply":
		return mallApply(ctx, args[1:], getenv, stdout, stderr)
	case "list":
		return mallList(ctx, args[1:], getenv, stdout, stderr)
	case "connect":
		return mallConnect(ctx, args[1:], getenv, stdout, stderr)
	}
	return fmt.Errorf("mall: unknown subcommand %q; expected validate, apply, list or connect", args[0])
}

// loadMalls parses every file and reports every problem of every file before failing.
func loadMalls(files []string, stderr io.Writer) ([]mallsync.Mall, error) {
	if len(files) == 0 {
		return nil, errors.New("no mall file given")
	}
	now := time.Now()
	var malls []mallsync.Mall
	bad := 0
	for _, f := range files {
		m, err := mappings.LoadMallFile(f, now)
		if err != nil {
			fmt.Fprintln(stderr, err)
			bad++
			continue
		}
		malls = append(malls, m)
	}
	if bad > 0 {
		return nil, fmt.Errorf("%d of %d mall files refused", bad, len(files))
	}
	return malls, nil
}

func mallValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("mall validate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	malls, err := loadMalls(fs.Args(), stderr)
	if err != nil {
		return err
	}
	for _, m := range malls {
		fmt.Fprintf(stdout, "%s: ok (%s, %s, backfill from %s)\n", m.Key, m.Platform, m.Name, m.Sync.BackfillStart.Format("2006-01-02"))
	}
	return nil
}

func mallApply(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("mall apply", stderr)
	temporalAddr := fs.String("temporal", "", "Temporal frontend host:port; when set, each mall's sync workflow is started (or woken)")
	namespace := fs.String("namespace", "default", "Temporal namespace")
	if err := fs.Parse(args); err != nil {
		return err
	}
	malls, err := loadMalls(fs.Args(), stderr)
	if err != nil {
		return err
	}
	dsn := databaseURL(getenv)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	store := postgres.NewMallStore(db)
	for _, m := range malls {
		if err := store.PutMall(ctx, m); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: applied\n", m.Key)
	}
	if *temporalAddr == "" {
		return nil
	}
	c, err := client.DialContext(ctx, client.Options{HostPort: *temporalAddr, Namespace: *namespace})
	if err != nil {
		return fmt.Errorf("connecting to temporal at %s: %w", *temporalAddr, err)
	}
	defer c.Close()
	for _, m := range malls {
		if _, err := startSync(ctx, c, m.Key, false); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: sync workflow running\n", m.Key)
	}
	return nil
}

func mallList(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("mall list", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, databaseURL(getenv))
	if err != nil {
		return err
	}
	defer db.Close()
	malls, err := postgres.NewMallStore(db).Malls(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tPLATFORM\tNAME\tINTERVAL\tOWNERSHIP DEFAULT")
	for _, m := range malls {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Key, m.Platform, m.Name, m.Sync.Interval, m.Ownership.Default)
	}
	return tw.Flush()
}

// startSync starts the mall's sync workflow, or wakes the running one; with stopWhenCaughtUp
// the workflow ends once every stream caught up.
func startSync(ctx context.Context, c client.Client, mall mallsync.MallKey, stopWhenCaughtUp bool) (client.WorkflowRun, error) {
	run, err := c.SignalWithStartWorkflow(ctx, syncwf.WorkflowID(mall), syncwf.SignalSyncNow,
		syncwf.SyncNow{StopWhenCaughtUp: stopWhenCaughtUp},
		client.StartWorkflowOptions{TaskQueue: workflows.TaskQueue},
		syncwf.WorkflowName, syncwf.Input{Mall: mall, StopWhenCaughtUp: stopWhenCaughtUp})
	if err != nil {
		return nil, fmt.Errorf("starting sync of %s: %w", mall, err)
	}
	return run, nil
}
