//go:build !nodev

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/mappings"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/temporaldev"
	"github.com/mallsync/mallsync/workflows"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// devConfig is `mallsync dev`'s flags.
type devConfig struct {
	orders   int
	seed     int64
	days     int
	once     bool
	json     bool
	noLimits bool
	faults   bool
	speed    float64
	dataDir  string
	simAddr  string
	logLevel string
	tport    int
	noWorker bool
	interval time.Duration
	addr     string
	noStay   bool
}

// devState records the simulator data set the database was synced from, so that a restart
// with the same arguments resumes and one with other arguments starts clean.
type devState struct {
	Seed   int64     `json:"seed"`
	Orders int       `json:"orders"`
	Days   int       `json:"days"`
	End    time.Time `json:"end"`
	// Data is the simulator's fingerprint: a newer generator with the same arguments makes
	// another data set.
	Data string `json:"data"`
}

func runDev(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var cfg devConfig
	fs := newFlags("dev", stderr)
	fs.IntVar(&cfg.orders, "orders", 2000, "orders the simulator generates")
	fs.Int64Var(&cfg.seed, "seed", 1, "simulator seed (same seed, same data)")
	fs.IntVar(&cfg.days, "days", 120, "days of order history before today")
	fs.BoolVar(&cfg.once, "once", false, "exit when caught up, with a summary")
	fs.BoolVar(&cfg.json, "json", false, "end the summary with one JSON line")
	fs.BoolVar(&cfg.noLimits, "no-limits", false, "switch off the simulator's rate limit and mallsync's call cap")
	fs.BoolVar(&cfg.faults, "faults", false, "inject faults: 429s, 5xx, slow and truncated responses, duplicate rows")
	fs.Float64Var(&cfg.speed, "speed", 60, "without --once: simulated seconds per real second")
	fs.StringVar(&cfg.dataDir, "data", ".mallsync", "data directory (Temporal's SQLite file, dev key, state)")
	fs.StringVar(&cfg.simAddr, "sim-addr", "127.0.0.1:0", "simulator listen address")
	fs.StringVar(&cfg.logLevel, "log", "warn", "log level: debug, info, warn, error")
	fs.DurationVar(&cfg.interval, "interval", 30*time.Second, "sync interval of the demo mall (its mall file says 5m; the demo moves faster)")
	fs.BoolVar(&cfg.noWorker, "no-worker", false, "start no worker; run 'mallsync worker --temporal 127.0.0.1:7233' beside it (same DATABASE_URL and key)")
	fs.IntVar(&cfg.tport, "temporal-port", 7233, "the dev Temporal server's frontend port (the next three and 6933.. are used too); 0 picks free ports")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "the console's listen address host:port, with demo logins (plain HTTP: keep it on this machine); '' for no console")
	fs.BoolVar(&cfg.noStay, "no-stay", false, "with --once: exit after the summary even at a terminal (where the console otherwise stays up until Ctrl-C)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.orders < 1 || cfg.days < 1 {
		return errors.New("dev: --orders and --days must be positive")
	}
	logger := newLogger(stderr, cfg.logLevel)
	say := func(format string, a ...any) { fmt.Fprintf(stderr, "· "+format+"\n", a...) }
	// What dev starts in the background (notification delivery) ends when dev returns, not
	// with the caller's context: a test that runs dev twice saw the first run's delivery loop
	// go on against its closed database.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Postgres.
	dsn := databaseURL(getenv)
	db, err := openMigrated(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	box, keySource, err := secretBox(getenv, filepath.Join(cfg.dataDir, "secret.key"))
	if err != nil {
		return err
	}
	st := newStores(db, box)
	say("postgres %s migrated; credentials sealed with the key from %s", postgres.Redact(dsn), keySource)

	// The simulator: a fixed data set anchored at today's KST midnight, so the same arguments
	// on the same day mean the same orders; its clock starts at the real time, so that a
	// separate worker (on the real clock) and the simulator agree on when tokens expire.
	kst := time.FixedZone("KST", 9*3600)
	now := time.Now().In(kst)
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, kst)
	state := devState{Seed: cfg.seed, Orders: cfg.orders, Days: cfg.days, End: end.UTC()}
	sim := cafe24sim.New(cafe24sim.Options{
		Seed: cfg.seed, Orders: cfg.orders, Start: end.AddDate(0, 0, -cfg.days), End: end,
		NoLimits: cfg.noLimits, Clock: cafe24sim.NewClock(now.Truncate(time.Second)),
	})
	state.Data = sim.Fingerprint()
	if cfg.faults {
		sim.SetFaults(cafe24sim.Faults{Rate429: 0.02, Rate5xx: 0.02, SlowRate: 0.02, SlowDelay: 300 * time.Millisecond,
			TruncateRate: 0.02, DuplicateRate: 0.05})
	}
	simURL, stopSim, err := serveInBackground(ctx, cfg.simAddr, sim.Handler())
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	defer stopSim()
	say("cafe24 simulator at %s: %d orders over the %d days before %s (seed %d), clock %s", simURL, cfg.orders, cfg.days,
		end.Format("2006-01-02"), cfg.seed, sim.Clock().Now().In(kst).Format(time.RFC3339))

	// Temporal and a worker.
	tsrv, err := temporaldev.Start(ctx, temporaldev.Options{
		DBPath: filepath.Join(cfg.dataDir, "temporal.db"), LogPath: filepath.Join(cfg.dataDir, "temporal.log"),
		FrontendPort: cfg.tport})
	if err != nil {
		return err
	}
	defer tsrv.Stop()
	tc, err := tsrv.Dial(ctx)
	if err != nil {
		return fmt.Errorf("connecting to the dev temporal server: %w", err)
	}
	defer tc.Close()
	say("temporal dev server at %s (state in %s)", tsrv.HostPort(), filepath.Join(cfg.dataDir, "temporal.db"))

	// The demo mall, pointed at the simulator and authorized through its OAuth endpoints.
	malls, err := mappings.DemoMalls(time.Now())
	if err != nil {
		return err
	}
	mall, err := demoMall(malls, mallsync.PlatformCafe24)
	if err != nil {
		return err
	}
	mall.Account.APIBase = simURL
	mall.Account.MallID = sim.MallID()
	mall.Sync.BackfillStart = end.AddDate(0, 0, -cfg.days)
	if cfg.interval > 0 {
		mall.Sync.Interval = cfg.interval
	}
	if err := st.malls.PutMall(ctx, mall); err != nil {
		return err
	}
	sides, err := startSideDemos(ctx, cfg, malls, sim.Clock(), end, st)
	if err != nil {
		return err
	}
	keys := []mallsync.MallKey{mall.Key}
	for _, d := range sides {
		defer d.stop()
		keys = append(keys, d.mall.Key)
	}
	if err := resetIfDataSetChanged(ctx, state, st, tc, keys, say); err != nil {
		return err
	}
	if err := authorizeDemo(ctx, st, mall, sim, simURL); err != nil {
		return err
	}
	say("mall %s applied and authorized (OAuth code flow against the simulator)", mall.Key)
	for _, d := range sides {
		say("mall %s applied, with the %s simulator at %s (%d orders)", d.mall.Key, d.mall.Platform, d.url, d.orders)
	}

	maxCalls := 0.0
	if cfg.noLimits {
		maxCalls = -1
	}
	reg := newRegistry(st, logger, maxCalls, sim.Clock().Now)
	if cfg.noWorker {
		say("no worker in this process: start one with  mallsync worker --temporal %s  (MALLSYNC_SECRET_KEY=$(cat %s))",
			tsrv.HostPort(), filepath.Join(cfg.dataDir, "secret.key"))
	} else {
		w := worker.New(tc, workflows.TaskQueue, worker.Options{})
		workflows.Register(w, workflows.Deps{Sync: newSyncActivities(st, reg, logger, sim.Clock().Now),
			Returns: newReturnActivities(st, reg, tc, logger, sim.Clock().Now)})
		if err := w.Start(); err != nil {
			return fmt.Errorf("starting worker: %w", err)
		}
		defer w.Stop()
		deliverNotifications(ctx, st, logger, 10*time.Second)
	}
	if err := startDispatcher(ctx, tc); err != nil {
		return err
	}
	consoleURL := ""
	if cfg.addr != "" {
		url, stop, err := startDevConsole(ctx, cfg.addr, st, tc, reg, getenv, logger)
		if err != nil {
			return err
		}
		defer stop()
		consoleURL = url
		say("console at %s/login (demo logins below the summary; agent / agent-demo-2026)", url)
	}

	linesBefore, err := st.sync.LineCount(ctx, mall.Key)
	if err != nil {
		return err
	}
	started := time.Now()
	run, err := startSync(ctx, tc, mall.Key, cfg.once)
	if err != nil {
		return err
	}
	sideRuns := make([]client.WorkflowRun, len(sides))
	for i, d := range sides {
		if sideRuns[i], err = startSync(ctx, tc, d.mall.Key, cfg.once); err != nil {
			return err
		}
	}
	if !cfg.once {
		if consoleURL != "" {
			printLogins(stdout, consoleURL)
		}
		return devForever(ctx, cfg, sim, st, mall, end, stdout, say)
	}
	done := make(chan error, 1)
	go func() { done <- run.Get(ctx, nil) }()
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("sync workflow: %w", err)
			}
			waiting = false
		case <-tick.C:
			if n, err := st.sync.LineCount(ctx, mall.Key); err == nil {
				say("syncing %s: %d lines stored (%.0f lines/s)", mall.Key, n, float64(n-linesBefore)/time.Since(started).Seconds())
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	elapsed := time.Since(started) // the Cafe24 mall's: the others go at their platforms' safe rates
	for i, run := range sideRuns {
		if err := run.Get(ctx, nil); err != nil {
			return fmt.Errorf("%s sync workflow: %w", sides[i].mall.Key, err)
		}
	}
	if err := closingCycle(ctx, tc, keys); err != nil {
		return err
	}
	rep, err := buildReport(ctx, st, sim, mall, linesBefore, elapsed)
	if err != nil {
		return err
	}
	rep.print(stdout, simURL)
	sideReps := make([]sideReport, len(sides))
	for i, d := range sides {
		if sideReps[i], err = d.report(ctx, st); err != nil {
			return err
		}
		sideReps[i].print(stdout, d.url)
		rep.Mismatches += sideReps[i].Mismatches
		switch d.mall.Platform {
		case mallsync.PlatformCoupang:
			rep.Coupang = &sideReps[i]
		case mallsync.PlatformSmartStore:
			rep.SmartStore = &sideReps[i]
		}
	}
	printSideBySide(stdout, rep, sideReps)
	waitForOutbox(ctx, st, time.Minute, say)
	rr, err := buildReturnsReport(ctx, st, tc, keys)
	if err != nil {
		return err
	}
	rr.print(stdout)
	rep.Returns = &rr
	if consoleURL != "" {
		printLogins(stdout, consoleURL)
	}
	if cfg.json {
		if err := json.NewEncoder(stdout).Encode(rep); err != nil {
			return err
		}
	}
	if consoleURL != "" && !cfg.noStay && interactive() {
		fmt.Fprintf(stdout, "the console stays up at %s until Ctrl-C (--no-stay exits at once)\n", consoleURL)
		<-ctx.Done()
	}
	return nil
}

// devForever keeps syncing, moving the simulator's clock at cfg.speed, and prints where things
// stand every 10 seconds until interrupted.
func devForever(ctx context.Context, cfg devConfig, sim *cafe24sim.Server, st stores, mall mallsync.Mall, end time.Time, stdout io.Writer, say func(string, ...any)) error {
	say("syncing %s every %s; the simulator's clock runs %.0fx; Ctrl-C stops", mall.Key, mall.Sync.Interval, cfg.speed)
	wallStart, simStart := time.Now(), sim.Clock().Now()
	clockTick := time.NewTicker(time.Second)
	defer clockTick.Stop()
	report := time.NewTicker(10 * time.Second)
	defer report.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-clockTick.C:
			sim.Clock().Set(simStart.Add(time.Duration(float64(time.Since(wallStart)) * cfg.speed)))
		case <-report.C:
			rep, err := buildReport(ctx, st, sim, mall, 0, time.Since(wallStart))
			if err != nil {
				say("report: %v", err)
				continue
			}
			fmt.Fprintf(stdout, "%s  sim %s  lines %d/%d  behind the simulator %d  api calls %d\n", time.Now().Format("15:04:05"),
				sim.Clock().Now().In(end.Location()).Format("01-02 15:04"), rep.Lines, rep.TruthLines, rep.Mismatches, rep.APICalls)
		}
	}
}

// resetIfDataSetChanged clears the demo malls' synced data (and ends their workflows) when the
// simulator's data set differs from the one it was synced from.
func resetIfDataSetChanged(ctx context.Context, state devState, st stores, tc client.Client, keys []mallsync.MallKey, say func(string, ...any)) error {
	b, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("describing the data set: %w", err)
	}
	var cleared []mallsync.MallKey
	for _, key := range keys {
		prev, err := st.sync.SimDataSet(ctx, key)
		if err != nil {
			return err
		}
		if prev == string(b) {
			continue
		}
		// The workflow goes first, so that no cycle writes between the reset and its end.
		err = tc.TerminateWorkflow(ctx, syncwf.WorkflowID(key), "", "dev: the simulator's data set changed")
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("ending the previous sync workflow: %w", err)
		}
		if err := st.sync.ResetMall(ctx, key, string(b)); err != nil {
			return err
		}
		cleared = append(cleared, key)
	}
	if len(cleared) > 0 {
		say("new simulator data set: the synced data of %v cleared", cleared)
	}
	return nil
}

// authorizeDemo runs the OAuth authorization-code flow against the simulator, as a mall owner
// would in a browser, and stores the sealed tokens.
func authorizeDemo(ctx context.Context, st stores, mall mallsync.Mall, sim *cafe24sim.Server, simURL string) error {
	var app mallsync.AppClient
	app.ClientID, app.ClientSecret = sim.Client()
	redirect := "http://127.0.0.1/mallsync/oauth/callback"
	state := "dev-" + fmt.Sprint(time.Now().UnixNano())
	authURL := cafe24.AuthorizeURL(simURL, app.ClientID, state, redirect, cafe24.Scopes)
	noFollow := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return err
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		return fmt.Errorf("authorizing demo mall: %w", err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil {
		return fmt.Errorf("authorizing demo mall: simulator answered %d", resp.StatusCode)
	}
	if loc.Query().Get("state") != state {
		return errors.New("authorizing demo mall: state does not match")
	}
	tok, err := cafe24.ExchangeCode(ctx, &http.Client{Timeout: 10 * time.Second}, simURL, app, loc.Query().Get("code"), redirect)
	if err != nil {
		return fmt.Errorf("exchanging the demo mall's code: %w", err)
	}
	return st.creds.PutCredential(ctx, mallsync.Credential{Ref: mall.CredentialsRef, Client: app, Token: tok})
}

// isNotFound reports whether err is Temporal's "no such workflow".
func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}

// closingCycle runs one more caught-up cycle of every mall. A stream that resumed a pass begun
// by an earlier process (one killed mid-backfill) is caught up only to the moment that pass
// began, and the simulator's clock, which starts at the real time, has moved on since: the
// changes in between (a handful, for a restart half a minute later) would otherwise be left
// for a next cycle that `--once` never runs. With nothing new the cycle costs a call or two
// per stream.
func closingCycle(ctx context.Context, tc client.Client, keys []mallsync.MallKey) error {
	runs := make([]client.WorkflowRun, len(keys))
	for i, k := range keys {
		var err error
		if runs[i], err = startSync(ctx, tc, k, true); err != nil {
			return err
		}
	}
	for i, run := range runs {
		if err := run.Get(ctx, nil); err != nil {
			return fmt.Errorf("closing sync cycle of %s: %w", keys[i], err)
		}
	}
	return nil
}
