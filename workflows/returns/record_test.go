//go:build record

package returns

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/temporaldev"
)

// TestRecordHistory runs a return against an in-process Temporal server (claim events through
// ClientStarter, people through Actions) and records its history for the replay test:
//
//	go test -tags record ./workflows/returns -run TestRecordHistory
//
// It links the Temporal server, hence the build tag; it is also the one test of Actions and
// ClientStarter against a real server.
func TestRecordHistory(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := temporaldev.Start(ctx, temporaldev.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Stop() }()
	c, err := srv.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	s := newScenario(t) // for its fakes
	w := worker.New(c, "returns-record", worker.Options{})
	w.RegisterWorkflowWithOptions(ReturnFlow, workflow.RegisterOptions{Name: WorkflowName})
	w.RegisterActivity(s.f.activities())
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	starter := ClientStarter{Client: c, TaskQueue: "returns-record"}
	actions := Actions{Client: c}
	id := WorkflowID(testMall.Key, testClaim)
	send := func(st mallsync.ClaimStatus, code string) {
		t.Helper()
		if err := starter.SignalWithStart(ctx, mallsync.ClaimEvent{EventID: testClaim + "/" + code, Mall: testMall.Key,
			ClaimID: testClaim, Kind: mallsync.ClaimReturn, Status: st, PlatformStatus: code}); err != nil {
			t.Fatal(err)
		}
	}
	taskOf := func(kind mallsync.TaskKind) int64 {
		t.Helper()
		for ctx.Err() == nil {
			if ts := s.f.tasksOf(kind); len(ts) > 0 {
				return ts[len(ts)-1].ID
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("no %s task", kind)
		return 0
	}
	result := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }

	send(mallsync.ClaimRequested, "R00")
	send(mallsync.ClaimRequested, "R00") // a repeat
	send(mallsync.ClaimCollecting, "R20")
	send(mallsync.ClaimCollected, "R30")
	ins := taskOf(mallsync.TaskInspection)
	if err := actions.CompleteTask(ctx, id, ins, result(parcel), "kim"); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Fatalf("a parcel for an inspection: %v, want EINVALID", err)
	}
	if err := actions.CompleteTask(ctx, id, ins, result(restock), "kim"); err != nil {
		t.Fatal(err)
	}
	if err := actions.Approve(ctx, testMall.Key, testClaim, "lee"); mallsync.ErrorCode(err) != mallsync.ECONFLICT {
		t.Fatalf("approving a decided return: %v, want ECONFLICT", err)
	}
	if err := actions.Withdraw(ctx, testMall.Key, testClaim, "lee"); err != nil {
		t.Fatal(err)
	}
	if err := actions.CompleteTask(ctx, id, taskOf(mallsync.TaskReshipment), result(parcel), "park"); err != nil {
		t.Fatal(err)
	}
	run := c.GetWorkflow(ctx, id, "")
	var st State
	if err := run.Get(ctx, &st); err != nil {
		t.Fatal(err)
	}
	if st.Outcome != OutcomeWithdrawn || st.Reversed != 1 || net(s.f.movements()) != 0 {
		t.Fatalf("state = %+v", st)
	}
	send(mallsync.ClaimWithdrawn, "undone") // the flow closed: dropped, not started again
	if desc, err := c.DescribeWorkflowExecution(ctx, id, ""); err != nil || desc.GetWorkflowExecutionInfo().GetExecution().GetRunId() != run.GetRunID() {
		t.Errorf("an event after the close started another run: %v, %v", desc, err)
	}
	if err := actions.Approve(ctx, testMall.Key, testClaim, "lee"); mallsync.ErrorCode(err) == "" {
		t.Errorf("an update on a closed flow was taken")
	}

	var h historypb.History
	it := c.GetWorkflowHistory(ctx, id, run.GetRunID(), false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, e)
	}
	data, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/returnflow_history.json", data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d events", len(h.Events))
}
