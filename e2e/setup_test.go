package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/connectors/coupang"
	"github.com/mallsync/mallsync/connectors/smartstore"
	"github.com/mallsync/mallsync/mappings"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
	"github.com/mallsync/mallsync/secret"
	"github.com/mallsync/mallsync/temporaldev"
	"github.com/mallsync/mallsync/workflows"
	"github.com/mallsync/mallsync/workflows/returns"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

var kst = time.FixedZone("KST", 9*3600)

// bundle is one running mallsync: simulator, Temporal, a worker, Postgres.
type bundle struct {
	t      testing.TB
	db     *sqlx.DB
	malls  *postgres.MallStore
	sync   *postgres.SyncStore
	creds  *postgres.CredentialStore
	sim    *cafe24sim.Server
	simURL string
	tc     client.Client
	worker worker.Worker
	mall   mallsync.Mall
	// clockJumps counts moves of the simulator's clock past an access token's life.
	clockJumps int
	// returns registers the returns family (ReturnFlow, the outbox dispatcher) on the
	// workers, and the stores it needs.
	returns bool
	tasks   *postgres.TaskStore
	ledger  *postgres.LedgerStore
}

func setup(t testing.TB, opts cafe24sim.Options) *bundle {
	t.Helper()
	return newBundle(t, opts, false)
}

// setupWithReturns is setup with the returns family running beside the sync: claim events
// reach ReturnFlows through the outbox dispatcher.
func setupWithReturns(t testing.TB, opts cafe24sim.Options) *bundle {
	t.Helper()
	return newBundle(t, opts, true)
}

func newBundle(t testing.TB, opts cafe24sim.Options, withReturns bool) *bundle {
	t.Helper()
	ctx := context.Background()
	db := pgtest.DB(t)
	k, _ := secret.NewKey()
	key, _ := secret.ParseKey(k)
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	malls := postgres.NewMallStore(db)
	b := &bundle{t: t, db: db, malls: malls, sync: postgres.NewSyncStore(db, malls), creds: postgres.NewCredentialStore(db, box),
		returns: withReturns, tasks: postgres.NewTaskStore(db, malls), ledger: postgres.NewLedgerStore(db, malls)}

	b.sim = cafe24sim.New(opts)
	hs := httptest.NewServer(b.sim.Handler())
	t.Cleanup(hs.Close)
	b.simURL = hs.URL

	srv, err := temporaldev.Start(ctx, temporaldev.Options{})
	if err != nil {
		t.Fatalf("temporal dev server is required for this test: %v", err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	b.tc, err = srv.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.tc.Close)

	demo, err := mappings.DemoMalls(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.mall = demo[0]
	b.mall.Account.APIBase = hs.URL
	b.mall.Sync.BackfillStart = opts.Start
	if err := malls.PutMall(ctx, b.mall); err != nil {
		t.Fatal(err)
	}
	var app mallsync.AppClient
	app.ClientID, app.ClientSecret = b.sim.Client()
	redirect := "http://127.0.0.1/callback"
	tok, err := cafe24.ExchangeCode(ctx, http.DefaultClient, hs.URL, app, b.sim.AuthorizeCode(redirect, "s"), redirect)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.creds.PutCredential(ctx, mallsync.Credential{Ref: b.mall.CredentialsRef, Client: app, Token: tok}); err != nil {
		t.Fatal(err)
	}
	b.startWorker()
	if withReturns {
		if _, err := b.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: returns.DispatcherWorkflowID, TaskQueue: workflows.TaskQueue,
			WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, returns.DispatcherWorkflowName,
			returns.DispatcherInput{Slice: 20 * time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// newRegistry is a connector registry for the simulated platforms, on the simulator's clock,
// with the short backoffs that simulator tests can afford.
func (b *bundle) newRegistry() *connectors.Registry {
	reg := connectors.NewRegistry(connectors.Deps{Credentials: b.creds, StatusMap: mappings.StatusMap, MaxCallsPerSecond: -1,
		Now: b.sim.Clock().Now, OpenClaims: b.sync, Backoff429: 50 * time.Millisecond, RetryWaitMin: 20 * time.Millisecond})
	reg.Register(mallsync.PlatformCafe24, cafe24.New)
	reg.Register(mallsync.PlatformCoupang, coupang.New)
	reg.Register(mallsync.PlatformSmartStore, smartstore.New)
	return reg
}

// activities are the sync activities over a registry.
func (b *bundle) activities(reg *connectors.Registry) *syncwf.Activities {
	return &syncwf.Activities{Malls: b.malls, Store: b.sync, Connectors: reg, Now: b.sim.Clock().Now, Catalog: b.sync}
}

// startWorker starts a fresh worker with its own connector registry, as a new process would.
func (b *bundle) startWorker() {
	w := worker.New(b.tc, workflows.TaskQueue, worker.Options{})
	reg := b.newRegistry()
	deps := workflows.Deps{Sync: b.activities(reg)}
	if b.returns {
		deps.Returns = &returns.Activities{Claims: postgres.NewClaimReader(b.db, b.malls), Tasks: b.tasks, Ledger: b.ledger,
			Notifications: postgres.NewNotificationStore(b.db, b.malls), Malls: b.malls, Connectors: reg, Outbox: postgres.NewOutbox(b.db),
			Starter: returns.ClientStarter{Client: b.tc, TaskQueue: workflows.TaskQueue}, Now: b.sim.Clock().Now,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	}
	workflows.Register(w, deps)
	if err := w.Start(); err != nil {
		b.t.Fatal(err)
	}
	b.worker = w
	b.t.Cleanup(w.Stop)
}

// startSync starts (or wakes) the mall's sync workflow, to end once caught up.
func (b *bundle) startSync(ctx context.Context) client.WorkflowRun {
	b.t.Helper()
	run, err := b.tc.SignalWithStartWorkflow(ctx, syncwf.WorkflowID(b.mall.Key), syncwf.SignalSyncNow,
		syncwf.SyncNow{StopWhenCaughtUp: true}, client.StartWorkflowOptions{TaskQueue: workflows.TaskQueue},
		syncwf.WorkflowName, syncwf.Input{Mall: b.mall.Key, StopWhenCaughtUp: true})
	if err != nil {
		b.t.Fatal(err)
	}
	return run
}

func (b *bundle) syncUntilCaughtUp(ctx context.Context) syncwf.Result {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var res syncwf.Result
	if err := b.startSync(ctx).Get(ctx, &res); err != nil {
		b.t.Fatalf("sync workflow: %v", err)
	}
	return res
}

func (b *bundle) diff(ctx context.Context) (cafe24sim.Truth, cafe24sim.Diff) {
	b.t.Helper()
	facts, err := b.sync.LineFacts(ctx, b.mall.Key)
	if err != nil {
		b.t.Fatal(err)
	}
	stored := make([]cafe24sim.StoredLine, len(facts))
	for i, f := range facts {
		stored[i] = cafe24sim.StoredLine{ItemCode: f.PlatformLineID, Status: f.PlatformStatus, Quantity: f.Quantity, PaymentAmount: f.PaymentAmount}
	}
	truth := b.sim.Truth()
	return truth, truth.Diff(stored)
}

func (b *bundle) requireEqualToTruth(ctx context.Context, when string) cafe24sim.Truth {
	b.t.Helper()
	truth, d := b.diff(ctx)
	if d.Mismatches() != 0 {
		b.t.Fatalf("%s: %d lines differ from the simulator's truth (missing %d, extra %d, differing %d): %v",
			when, d.Mismatches(), d.Missing, d.Extra, d.Differing, d.Examples)
	}
	var orders int
	if err := b.db.Get(&orders, `SELECT count(*) FROM orders o JOIN malls m ON m.id = o.mall_id WHERE m.key = $1`, string(b.mall.Key)); err != nil {
		b.t.Fatal(err)
	}
	if orders != truth.Orders || len(truth.Lines) == 0 {
		b.t.Fatalf("%s: %d orders stored, truth %d", when, orders, truth.Orders)
	}
	claims, err := b.sync.Claims(ctx, b.mall.Key)
	if err != nil {
		b.t.Fatal(err)
	}
	ships, err := b.sync.Shipments(ctx, b.mall.Key)
	if err != nil {
		b.t.Fatal(err)
	}
	refunds, err := b.sync.Refunds(ctx, b.mall.Key)
	if err != nil {
		b.t.Fatal(err)
	}
	figures, err := b.sync.Stock(ctx, b.mall.Key)
	if err != nil {
		b.t.Fatal(err)
	}
	stock := make([]cafe24sim.StoredStock, len(figures))
	for i, f := range figures {
		stock[i] = cafe24sim.StoredStock{VariantCode: f.VariantCode, Quantity: f.Quantity}
	}
	for _, c := range []struct {
		what  string
		truth int
		d     cafe24sim.Diff
	}{
		{"claims", len(truth.Claims), truth.DiffClaims(cafe24sim.StoredClaimsOf(claims))},
		{"shipments", len(truth.Shipments), truth.DiffShipments(cafe24sim.StoredShipmentsOf(ships))},
		{"refunds", len(truth.Refunds), truth.DiffRefunds(refunds)},
		{"stock figures", len(truth.Stock), truth.DiffStock(stock)},
	} {
		if c.d.Mismatches() != 0 {
			b.t.Fatalf("%s: %d %s differ from the truth's %d (missing %d, extra %d, differing %d): %v",
				when, c.d.Mismatches(), c.what, c.truth, c.d.Missing, c.d.Extra, c.d.Differing, c.d.Examples)
		}
	}
	if n := b.sim.RefreshReuses(); n != 0 {
		b.t.Fatalf("%s: a refresh token was presented twice (%d reuses)", when, n)
	}
	// Tokens rotate when the platform's clock says they expired, not on every call.
	var rotations int
	if err := b.db.Get(&rotations, `SELECT rotations FROM credentials WHERE ref = $1`, b.mall.CredentialsRef); err != nil {
		b.t.Fatal(err)
	}
	if rotations > b.clockJumps {
		b.t.Fatalf("%s: the token rotated %d times for %d moves of the clock past its life", when, rotations, b.clockJumps)
	}
	return truth
}

func period(days int) (start, end time.Time) {
	end = time.Date(2026, 11, 1, 0, 0, 0, 0, kst)
	return end.AddDate(0, 0, -days), end
}

func countStatus(t cafe24sim.Truth, codes ...string) int {
	n := 0
	by := t.ByStatus()
	for _, c := range codes {
		n += by[c]
	}
	return n
}
