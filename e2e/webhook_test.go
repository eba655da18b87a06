package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/workflows"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// A running sync with an hour between cycles: the simulator's webhooks (with X-API-Key) reach
// the receiver, which signals sync-now, and the changes they announce land in minutes, not at
// the next interval. A webhook with a wrong key is refused with 403 and wakes nothing.
func TestWebhooksWakeTheSync(t *testing.T) {
	ctx := context.Background()
	start, end := period(14)
	b := setup(t, cafe24sim.Options{Seed: 21, Orders: 1500, Start: start, End: end, NoLimits: true,
		Clock: cafe24sim.NewClock(end.Add(-3 * 24 * time.Hour))})
	const key = "hook-key-e2e"
	b.setWebhookKey(ctx, key)
	b.mall.Sync.Interval = time.Hour
	if err := b.malls.PutMall(ctx, b.mall); err != nil {
		t.Fatal(err)
	}
	if _, err := b.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: syncwf.WorkflowID(b.mall.Key), TaskQueue: workflows.TaskQueue},
		syncwf.WorkflowName, syncwf.Input{Mall: b.mall.Key}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = b.tc.TerminateWorkflow(context.Background(), syncwf.WorkflowID(b.mall.Key), "", "test over")
	})
	first := b.waitIdle(ctx, 0)
	b.requireEqualToTruth(ctx, "after the first cycle")

	receiver := httptest.NewServer(&cafe24.WebhookHandler{Malls: b.malls, Credentials: b.creds, Signal: syncwf.Signaler{Client: b.tc}})
	t.Cleanup(receiver.Close)

	// A wrong key: refused, and no cycle runs.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, receiver.URL,
		strings.NewReader(`{"event_no":90023,"resource":{"mall_id":"`+b.mall.Account.MallID+`","event_shop_no":"1","order_id":"x"}}`))
	req.Header.Set("X-API-Key", "not-the-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a webhook with a wrong key got %d, want 403", resp.StatusCode)
	}

	b.sim.SetWebhook(receiver.URL, key)
	b.sim.Clock().Advance(12 * time.Hour)
	b.clockJumps++
	if st := b.status(ctx); st.TotalCycles != first.TotalCycles || st.Running {
		t.Fatalf("a cycle ran without a webhook (cycles %d → %d): the test would prove nothing", first.TotalCycles, st.TotalCycles)
	}
	if _, d := b.diff(ctx); d.Mismatches() == 0 {
		t.Fatal("twelve hours changed no line: the test would prove nothing")
	}
	sent, err := b.sim.DeliverWebhooks(ctx)
	if err != nil || sent == 0 {
		t.Fatalf("delivered %d webhooks: %v", sent, err)
	}
	// Queries see every signal accepted before them: once the sync is idle after a later
	// cycle, what the webhooks announced has been read.
	after := b.waitIdle(ctx, first.TotalCycles)
	b.requireEqualToTruth(ctx, "after the webhooks")
	if _, failed := b.sim.WebhookStats(); failed != 0 {
		t.Fatalf("%d webhooks were refused", failed)
	}
	t.Logf("%d webhooks woke %d cycles (the interval is an hour)", sent, after.TotalCycles-first.TotalCycles)
}

// setWebhookKey stores key as the mall's webhook key in its sealed credential.
func (b *bundle) setWebhookKey(ctx context.Context, key string) {
	b.t.Helper()
	c, err := b.creds.Credential(ctx, b.mall.CredentialsRef)
	if err != nil {
		b.t.Fatal(err)
	}
	c.Client.WebhookKey = key
	if err := b.creds.PutCredential(ctx, c); err != nil {
		b.t.Fatal(err)
	}
}

// status asks the mall's running sync for its status.
func (b *bundle) status(ctx context.Context) syncwf.Status {
	b.t.Helper()
	v, err := b.tc.QueryWorkflow(ctx, syncwf.WorkflowID(b.mall.Key), "", syncwf.QueryStatus)
	if err != nil {
		b.t.Fatalf("querying the sync: %v", err)
	}
	var st syncwf.Status
	if err := v.Get(&st); err != nil {
		b.t.Fatal(err)
	}
	return st
}

// waitIdle waits until the sync has finished a cycle after the first `after` ones, every
// stream caught up, and waits for the next.
func (b *bundle) waitIdle(ctx context.Context, after int) syncwf.Status {
	b.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		st := b.status(ctx)
		if st.TotalCycles > after && !st.Running && caughtUp(st) {
			return st
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the sync did not settle: %+v", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func caughtUp(st syncwf.Status) bool {
	for _, s := range st.Streams {
		if !s.CaughtUp {
			return false
		}
	}
	return len(st.Streams) > 0
}
