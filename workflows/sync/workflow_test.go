package sync

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/mallsync/mallsync"
)

func TestMallSyncStopsWhenCaughtUp(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 5}
	env, store := newSyncEnv(conn)
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key, StopWhenCaughtUp: true})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("workflow: completed=%v err=%v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	var res Result
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if store.lineCount() != 10 || len(res.Streams) != 1 || res.Streams[0].Seq != 5 || !res.Streams[0].CaughtUp || res.Streams[0].Lines != 10 {
		t.Fatalf("lines=%d result=%+v", store.lineCount(), res)
	}
}

// A stream that does not catch up within its slice continues at once, not after the interval.
func TestMallSyncContinuesAfterSliceWithoutWaiting(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 3}
	env, store := newSyncEnv(conn)
	start := env.Now()
	// Slice of 1ns: every activity stops after its first page.
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key, StopWhenCaughtUp: true, Slice: time.Nanosecond})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if store.lineCount() != 6 {
		t.Fatalf("lines = %d, want 6", store.lineCount())
	}
	if el := env.Now().Sub(start); el >= testMall.Sync.Interval {
		t.Fatalf("took %v of workflow time: it waited the interval between slices", el)
	}
}

func TestMallSyncPollsNewDataEachInterval(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 2}
	env, store := newSyncEnv(conn)
	env.RegisterDelayedCallback(func() { conn.setAvailable(4) }, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalSyncNow, SyncNow{EventID: "stop", StopWhenCaughtUp: true})
	}, 3*time.Minute)
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if store.lineCount() != 8 {
		t.Fatalf("lines = %d, want 8 (new pages picked up by a later cycle)", store.lineCount())
	}
}

// A webhook delivered twice carries the same event id: the second wakes no cycle.
func TestMallSyncIgnoresRepeatedSyncNow(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 1}
	env, _ := newSyncEnv(conn)
	cycles := func() int {
		st := queryStatus(t, env)
		if st.Running {
			t.Errorf("status says a cycle runs while the workflow waits: %+v", st)
		}
		return st.TotalCycles
	}
	// The interval is 5 minutes: every cycle before it comes from a signal.
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(SignalSyncNow, SyncNow{EventID: "hook-1"}) }, time.Minute)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(SignalSyncNow, SyncNow{EventID: "hook-1"}) }, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		if n := cycles(); n != 2 {
			t.Errorf("cycles after one webhook delivered twice = %d, want 2", n)
		}
		env.SignalWorkflow(SignalSyncNow, SyncNow{EventID: "hook-2"})
	}, 3*time.Minute)
	env.RegisterDelayedCallback(func() {
		if n := cycles(); n != 3 {
			t.Errorf("cycles after a new webhook = %d, want 3", n)
		}
		env.SignalWorkflow(SignalSyncNow, SyncNow{StopWhenCaughtUp: true})
	}, 4*time.Minute)
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
}

// Webhooks for distinct events that pile up while a cycle runs wake one cycle after it, not
// one cycle each. The test environment hands the workflow each signal of the burst in turn:
// the first wakes a cycle and the other two arrive while it runs.
func TestMallSyncBurstOfSyncNowWakesOneCycle(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 1}
	env, _ := newSyncEnv(conn)
	// The interval is 5 minutes: every cycle before it, after the first, comes from the burst.
	env.RegisterDelayedCallback(func() {
		for _, id := range []string{"hook-1", "hook-2", "hook-3"} {
			env.SignalWorkflow(SignalSyncNow, SyncNow{EventID: id})
		}
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		if n := queryStatus(t, env).TotalCycles; n != 3 {
			t.Errorf("cycles after a burst of three webhooks = %d, want 3 (the first, one the burst woke, one for the rest)", n)
		}
		env.SignalWorkflow(SignalSyncNow, SyncNow{StopWhenCaughtUp: true})
	}, 3*time.Minute)
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
}

func TestMallSyncPauseResumeAndStatus(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 1}
	env, store := newSyncEnv(conn)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(SignalPause, nil) }, time.Minute)
	env.RegisterDelayedCallback(func() { conn.setAvailable(3) }, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		// Paused for several intervals: nothing new was synced.
		if n := store.lineCount(); n != 2 {
			t.Errorf("lines while paused = %d, want 2", n)
		}
		st := queryStatus(t, env)
		if !st.Paused || st.Mall != testMall.Key || len(st.Streams) != 1 || st.Streams[0].Seq != 1 {
			t.Errorf("status while paused = %+v", st)
		}
		env.SignalWorkflow(SignalResume, nil)
		env.SignalWorkflow(SignalSyncNow, SyncNow{StopWhenCaughtUp: true})
	}, 30*time.Minute)
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if store.lineCount() != 6 {
		t.Fatalf("lines after resume = %d, want 6", store.lineCount())
	}
}

func TestMallSyncContinuesAsNew(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 1}
	env, _ := newSyncEnv(conn)
	env.SetStartWorkflowOptions(testStartOptions())
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key, CyclesPerRun: 3})
	err := env.GetWorkflowError()
	var can *workflowContinueAsNew
	if !asContinueAsNew(err, &can) {
		t.Fatalf("err = %v, want continue-as-new", err)
	}
	if can.input.TotalCycles != 3 || can.input.Mall != testMall.Key || len(can.input.Streams) != 1 {
		t.Fatalf("carried state = %+v", can.input)
	}
}

// A failed stream is recorded in the status and retried next cycle; the workflow lives on.
func TestMallSyncSurvivesNonRetryableError(t *testing.T) {
	t.Parallel()
	conn := &pagedConnector{available: 2, failAt: 0, err: mallsync.Errorf(mallsync.EUNAUTHORIZED, "refresh token refused: re-authorize the mall")}
	env, store := newSyncEnv(conn)
	env.RegisterDelayedCallback(func() {
		st := queryStatus(t, env)
		if len(st.Streams) != 1 || st.Streams[0].LastError == "" {
			t.Errorf("status after failure = %+v, want the error", st)
		}
		env.SignalWorkflow(SignalSyncNow, SyncNow{StopWhenCaughtUp: true})
	}, time.Minute)
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if conn.fetches > 4 {
		t.Fatalf("fetches = %d: EUNAUTHORIZED must not be retried by the activity's policy", conn.fetches)
	}
	if store.lineCount() != 4 {
		t.Fatalf("lines = %d, want 4", store.lineCount())
	}
}

// Told to stop once caught up (dev --once, tests), a sync whose stream fails for a reason
// retrying cannot fix ends with that error instead of waiting for ever.
func TestMallSyncStopWhenCaughtUpEndsOnPermanentFailure(t *testing.T) {
	t.Parallel()
	env, _ := newSyncEnv(&pagedConnector{available: 2, failAt: 0, err: mallsync.Errorf(mallsync.EFORBIDDEN, "the app lacks mall.read_order")})
	env.ExecuteWorkflow(MallSync, Input{Mall: testMall.Key, StopWhenCaughtUp: true})
	if !env.IsWorkflowCompleted() {
		t.Fatal("the workflow still waits")
	}
	err := env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), "stream orders of mall shop-a cannot catch up") || !strings.Contains(err.Error(), "mall.read_order") {
		t.Fatalf("err = %v", err)
	}
}

func TestSyncStreamActivity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		conn      *pagedConnector
		failApply int64
		wantLines int
		wantSeq   int64
		wantCode  string
	}{
		{name: "all pages", conn: &pagedConnector{available: 4}, wantLines: 8, wantSeq: 4},
		{name: "fetch fails midway: committed pages stay", conn: &pagedConnector{available: 4, failAt: 2, err: mallsync.Errorf(mallsync.EUNAVAILABLE, "503")},
			wantLines: 4, wantSeq: 2, wantCode: mallsync.EUNAVAILABLE},
		{name: "commit fails midway", conn: &pagedConnector{available: 4}, failApply: 3, wantLines: 6, wantSeq: 3, wantCode: mallsync.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s testsuite.WorkflowTestSuite
			env := s.NewTestActivityEnvironment()
			store := newMemStore(testMall)
			store.failApplyAt = tt.failApply
			a := newActivities(store, tt.conn)
			env.RegisterActivity(a)
			v, err := env.ExecuteActivity(a.SyncStream, StreamInput{Mall: testMall.Key, Stream: mallsync.StreamOrders, Slice: time.Minute})
			if tt.wantCode != "" {
				var appErr *temporal.ApplicationError
				if !asApplicationError(err, &appErr) || appErr.Type() != tt.wantCode {
					t.Fatalf("err = %v, want application error %s", err, tt.wantCode)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				var res StreamResult
				if err := v.Get(&res); err != nil {
					t.Fatal(err)
				}
				if !res.CaughtUp || res.Seq != tt.wantSeq || res.Lines != tt.wantLines {
					t.Fatalf("result = %+v", res)
				}
			}
			cur, _ := store.Cursor(context.Background(), testMall.Key, mallsync.StreamOrders)
			if store.lineCount() != tt.wantLines || cur.Seq != tt.wantSeq {
				t.Fatalf("stored lines=%d seq=%d, want %d, %d", store.lineCount(), cur.Seq, tt.wantLines, tt.wantSeq)
			}
			for id, l := range store.lines {
				if l.Ownership != mallsync.OwnConsignment {
					t.Fatalf("line %s stored with ownership %q: the mall's rules were not applied", id, l.Ownership)
				}
			}
			if len(store.runs) != 1 || (tt.wantCode != "") != (store.runs[0].Err != "") {
				t.Fatalf("recorded runs = %+v", store.runs)
			}
		})
	}
}

func TestSharesOrder(t *testing.T) {
	t.Parallel()
	page := func(ids ...string) mallsync.Page {
		var p mallsync.Page
		for _, id := range ids {
			p.Orders = append(p.Orders, mallsync.Order{PlatformOrderID: id})
		}
		return p
	}
	refunds := func(ids ...string) mallsync.Page {
		var p mallsync.Page
		for _, id := range ids {
			p.Refunds = append(p.Refunds, mallsync.Refund{PlatformRefundID: id})
		}
		return p
	}
	pending := []*staging{{ids: recordKeys(page("a", "b"))}, {ids: recordKeys(page("c"))}, {ids: recordKeys(refunds("R1"))}}
	tests := []struct {
		page mallsync.Page
		want bool
	}{
		{page("d", "e"), false},
		{page("e", "c"), true},
		{page("b"), true},
		{page(), false},
		{refunds("R1", "R2"), true}, // the same refund read by two date types
		{refunds("a"), false},       // a refund code is not an order id
		{mallsync.Page{Products: []mallsync.Product{{ProductNo: "1"}}}, false},
	}
	for _, tt := range tests {
		if got := sharesOrder(pending, recordKeys(tt.page)); got != tt.want {
			t.Errorf("sharesOrder(%v) = %v, want %v", tt.page.Orders, got, tt.want)
		}
	}
}

// queryStatus asks the workflow under test for its status.
func queryStatus(t *testing.T, env *testsuite.TestWorkflowEnvironment) Status {
	t.Helper()
	v, err := env.QueryWorkflow(QueryStatus)
	if err != nil {
		t.Fatal(err)
	}
	var st Status
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// newSyncEnv is a workflow test environment whose activities sync conn into a new memStore.
func newSyncEnv(conn *pagedConnector) (*testsuite.TestWorkflowEnvironment, *memStore) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	store := newMemStore(testMall)
	env.RegisterActivity(newActivities(store, conn))
	return env, store
}
