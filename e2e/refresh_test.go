package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/mappings"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
	"github.com/mallsync/mallsync/secret"
)

// refreshChildEnv carries a refreshChild's orders from the test to the process it starts.
const refreshChildEnv = "MALLSYNC_E2E_REFRESH_CHILD"

// refreshChild is what one worker process of TestTwoProcessesRefreshOneMall does.
type refreshChild struct {
	DatabaseURL string
	SecretKey   string
	Mall        mallsync.Mall
	// At is the moment (Unix nanoseconds) every process calls at once.
	At int64
}

func TestMain(m *testing.M) {
	if v := os.Getenv(refreshChildEnv); v != "" {
		if err := runRefreshChild(v); err != nil {
			fmt.Fprintln(os.Stderr, "refresh child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Two worker processes find the mall's access token expired at the same moment and call the
// platform with two goroutines each. Cafe24's refresh tokens are single use: the refresh must
// happen once, in one process, with the rotated pair stored before any use, and every call
// of both processes must go through with it. A second refresh later still works, which it
// would not if the stored refresh token were not the live one.
func TestTwoProcessesRefreshOneMall(t *testing.T) {
	ctx := context.Background()
	start, end := period(5)
	// The platform's clock is the wall clock here: the worker processes judge expiry by theirs.
	sim := cafe24sim.New(cafe24sim.Options{Seed: 9, Orders: 200, Start: start, End: end, NoLimits: true, Clock: cafe24sim.NewClock(time.Now())})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(simSrv.Close)
	db, dbURL := pgtest.DBWithURL(t)
	k, _ := secret.NewKey()
	key, _ := secret.ParseKey(k)
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	malls := postgres.NewMallStore(db)
	creds := postgres.NewCredentialStore(db, box)
	demo, err := mappings.DemoMalls(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mall := demo[0]
	mall.Account.APIBase, mall.Account.MallID, mall.Sync.BackfillStart = simSrv.URL, sim.MallID(), start
	if err := malls.PutMall(ctx, mall); err != nil {
		t.Fatal(err)
	}
	var app mallsync.AppClient
	app.ClientID, app.ClientSecret = sim.Client()
	tok, err := cafe24.ExchangeCode(ctx, http.DefaultClient, simSrv.URL, app, sim.AuthorizeCode("http://127.0.0.1/cb", "s"), "http://127.0.0.1/cb")
	if err != nil {
		t.Fatal(err)
	}
	expire := func() {
		t.Helper()
		c, err := creds.Credential(ctx, mall.CredentialsRef)
		if mallsync.ErrorCode(err) == mallsync.ENOTFOUND {
			c = mallsync.Credential{Ref: mall.CredentialsRef, Client: app, Token: tok}
		} else if err != nil {
			t.Fatal(err)
		}
		// As the workers see it, the access token has expired (the platform would say so too
		// within two minutes: the connector refreshes inside that margin).
		c.Token.AccessExpiresAt = time.Now().Add(time.Minute)
		if err := creds.PutCredential(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	rotations := func() int {
		var n int
		if err := db.Get(&n, `SELECT rotations FROM credentials WHERE ref = $1`, mall.CredentialsRef); err != nil {
			t.Fatal(err)
		}
		return n
	}

	for round := 1; round <= 2; round++ {
		expire()
		before := rotations()
		orders, _ := json.Marshal(refreshChild{DatabaseURL: dbURL, SecretKey: k, Mall: mall, At: time.Now().Add(1500 * time.Millisecond).UnixNano()})
		var wg sync.WaitGroup
		outs := make([][]byte, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), refreshChildEnv+"="+string(orders))
				outs[i], errs[i] = cmd.CombinedOutput()
			}()
		}
		wg.Wait()
		for i := range 2 {
			if errs[i] != nil {
				t.Fatalf("round %d: process %d: %v\n%s", round, i+1, errs[i], outs[i])
			}
		}
		if n := rotations() - before; n != 1 {
			t.Fatalf("round %d: the token rotated %d times for one expiry seen by two processes", round, n)
		}
		if n := sim.RefreshReuses(); n != 0 {
			t.Fatalf("round %d: a refresh token was presented %d times more than once: a rotated token was lost", round, n)
		}
	}
}

// runRefreshChild is one worker process: two goroutines read the first page of the mall's
// orders at the moment the test chose.
func runRefreshChild(v string) error {
	var c refreshChild
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key, err := secret.ParseKey(c.SecretKey)
	if err != nil {
		return err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	malls := postgres.NewMallStore(db)
	reg := connectors.NewRegistry(connectors.Deps{Credentials: postgres.NewCredentialStore(db, box), StatusMap: mappings.StatusMap,
		MaxCallsPerSecond: -1, OpenClaims: postgres.NewSyncStore(db, malls)})
	reg.Register(mallsync.PlatformCafe24, cafe24.New)
	conn, err := reg.For(ctx, c.Mall)
	if err != nil {
		return err
	}
	time.Sleep(time.Until(time.Unix(0, c.At)))
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := conn.Fetch(ctx, mallsync.StreamOrders, "", c.Mall.Sync.BackfillStart.Add(24*time.Hour))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
