package returns

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	gosync "sync"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/mallsync/mallsync"
)

type memOutbox struct {
	mu   gosync.Mutex
	rows []mallsync.OutboxMessage
	sent map[int64]bool
}

func (o *memOutbox) PendingOutbox(_ context.Context, limit int) ([]mallsync.OutboxMessage, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []mallsync.OutboxMessage
	for _, r := range o.rows {
		if !o.sent[r.ID] && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (o *memOutbox) MarkOutboxSent(_ context.Context, ids []int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids {
		o.sent[id] = true
	}
	return nil
}

type memStarter struct {
	mu     gosync.Mutex
	events []mallsync.ClaimEvent
	failOn string
}

func (s *memStarter) SignalWithStart(_ context.Context, ev mallsync.ClaimEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ev.EventID == s.failOn {
		return errors.New("frontend unavailable")
	}
	s.events = append(s.events, ev)
	return nil
}

func outboxRow(id int64, eventID string) mallsync.OutboxMessage {
	b, _ := json.Marshal(mallsync.ClaimEvent{EventID: eventID, ClaimID: "R" + eventID, Status: mallsync.ClaimRequested})
	return mallsync.OutboxMessage{ID: id, Mall: testMall.Key, Kind: "claim_event", Key: eventID, Payload: b}
}

// Dispatch delivers every pending row in batches and marks it sent; a failed signal keeps the
// rows from there on for the next run.
func TestDispatchDeliversAndMarks(t *testing.T) {
	t.Parallel()
	o := &memOutbox{sent: map[int64]bool{}}
	for i := int64(1); i <= 5; i++ {
		o.rows = append(o.rows, outboxRow(i, string(rune('a'+i-1))))
	}
	o.rows = append(o.rows, mallsync.OutboxMessage{ID: 6, Kind: "claim_event", Payload: []byte(`not json`)})
	starter := &memStarter{failOn: "e"}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(&Activities{Outbox: o, Starter: starter})

	if _, err := env.ExecuteActivity(act.Dispatch, DispatchInput{Batch: 2}); err == nil {
		t.Fatal("a failed signal did not fail the dispatch")
	}
	if !o.sent[1] || !o.sent[4] || o.sent[5] {
		t.Errorf("sent after the failure = %v, want 1-4 only", o.sent)
	}
	starter.failOn = ""
	val, err := env.ExecuteActivity(act.Dispatch, DispatchInput{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	var res DispatchResult
	if err := val.Get(&res); err != nil {
		t.Fatal(err)
	}
	if res.Delivered != 1 || res.Skipped != 1 || len(o.sent) != 6 {
		t.Errorf("second run = %+v, sent %v", res, o.sent)
	}
	var ids []string
	for _, ev := range starter.events {
		ids = append(ids, ev.EventID)
		if ev.Mall != testMall.Key {
			t.Errorf("event %s lost its mall", ev.EventID)
		}
	}
	if !slices.Equal(ids, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("delivered = %v", ids)
	}
}

// A worker without an outbox refuses to dispatch with a reason, not a retry loop.
func TestDispatchWithoutOutboxIsInvalid(t *testing.T) {
	t.Parallel()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(&Activities{})
	_, err := env.ExecuteActivity(act.Dispatch, DispatchInput{})
	if err == nil || !contains(err.Error(), "no outbox dispatcher") {
		t.Fatalf("err = %v", err)
	}
}

func TestOutboxDispatcherOnce(t *testing.T) {
	t.Parallel()
	o := &memOutbox{sent: map[int64]bool{}, rows: []mallsync.OutboxMessage{outboxRow(1, "a")}}
	starter := &memStarter{}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(OutboxDispatcher)
	env.RegisterActivity(&Activities{Outbox: o, Starter: starter})
	env.ExecuteWorkflow(OutboxDispatcher, DispatcherInput{Once: true})
	var res DispatchResult
	if err := env.GetWorkflowResult(&res); err != nil || res.Delivered != 1 || !o.sent[1] {
		t.Fatalf("result = %+v, %v; sent %v", res, err, o.sent)
	}
}
