package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/workflows/returns"
)

// The console in a real browser, over a synced mall whose returns run as flows: an agent finds
// an order by the last four digits of the buyer's phone and reads its timeline; logistics
// takes an inspection task a return flow waits for from the board, completes it, and the
// return moves on.
func TestConsoleInTheBrowser(t *testing.T) {
	requireChromium(t)
	ctx := context.Background()
	start, end := period(30)
	b := setupWithReturns(t, cafe24sim.Options{Seed: 7, Orders: 400, Start: start, End: end, NoLimits: true,
		Clock: cafe24sim.NewClock(end.AddDate(0, 0, -9))})
	task := b.inspectionWaitedFor(ctx, end.AddDate(0, 0, 9))

	users := postgres.NewUserStore(b.db)
	const agent, logistics, password = "agent-lee", "logistics-kim", "correct horse battery"
	for name, role := range map[string]mallsync.Role{agent: mallsync.RoleAgent, logistics: mallsync.RoleLogistics} {
		if _, err := users.CreateUser(ctx, name, role, password); err != nil {
			t.Fatal(err)
		}
	}
	logs := &lockedBuffer{}
	site := httptest.NewServer(console.New(console.Deps{
		Auth:            &console.DBAuth{Users: users},
		Users:           users,
		Tasks:           b.tasks,
		Orders:          postgres.NewOrderReader(b.db),
		Flows:           returns.Flows{Client: b.tc},
		Returns:         returns.Actions{Client: b.tc},
		Audit:           postgres.NewAuditLog(b.db),
		Logger:          slog.New(slog.NewTextHandler(logs, nil)),
		InsecureCookies: true,
	}))
	t.Cleanup(site.Close)
	br := newBrowser(t, site.URL, logs)

	// The order of the return to inspect; the agent finds it by the buyer's phone.
	var o struct {
		Phone  string `db:"buyer_phone"`
		Events int    `db:"events"`
	}
	if err := b.db.GetContext(ctx, &o, `
		SELECT o.buyer_phone, (SELECT count(*) FROM order_lines l JOIN line_status_events e ON e.line_id = l.id
			WHERE l.mall_id = o.mall_id AND l.platform_order_id = o.platform_order_id) AS events
		FROM orders o JOIN malls m ON m.id = o.mall_id WHERE m.key = $1 AND o.platform_order_id = $2`,
		string(task.Mall), task.PlatformOrderID); err != nil {
		t.Fatalf("order %s of task %d: %v", task.PlatformOrderID, task.ID, err)
	}
	digits := strings.Map(func(r rune) rune {
		if r < '0' || r > '9' {
			return -1
		}
		return r
	}, o.Phone)
	if len(digits) < 4 || o.Events == 0 {
		t.Fatalf("order %s has buyer phone %q and %d status events: the test needs both", task.PlatformOrderID, o.Phone, o.Events)
	}
	last4 := digits[len(digits)-4:]
	orderPath := "/orders/" + url.PathEscape(string(task.Mall)) + "/" + url.PathEscape(task.PlatformOrderID)
	stageSel := fmt.Sprintf(`fieldset[id="claim-%s"] .flow-stage`, task.ClaimID)

	ok := t.Run("agent finds an order by phone and reads its timeline", func(t *testing.T) {
		br.t = t
		br.login(agent, password, "#q")
		br.run("search for phone …"+last4+" and open order "+task.PlatformOrderID, 20*time.Second,
			chromedp.SendKeys(chromedp.CSS("#q"), last4),
			chromedp.Click(chromedp.CSS("#search")),
			chromedp.WaitVisible(chromedp.CSS("table#results")),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`table#results a.order-link[href=%q]`, orderPath))),
			chromedp.WaitVisible(chromedp.CSS("#order-id")),
			chromedp.WaitVisible(chromedp.CSS(stageSel)),
		)
		id := read(br, "read the order id", 5*time.Second, chromedp.Text(chromedp.CSS("#order-id")))
		stage := read(br, "read the return's stage", 5*time.Second, chromedp.Text(chromedp.CSS(stageSel)))
		if strings.TrimSpace(id) != task.PlatformOrderID {
			br.failf("the order page shows order %q, want %s", id, task.PlatformOrderID)
		}
		if rows := br.count("table#timeline tbody tr"); rows < o.Events {
			br.failf("order %s: the timeline shows %d rows, the database has %d status events", id, rows, o.Events)
		}
		if stage != string(returns.StageInspection) {
			br.failf("claim %s: the return flow's stage shows %q, want %s", task.ClaimID, stage, returns.StageInspection)
		}
		br.screenshot("1-agent-order-timeline")
		br.logout()
	})
	if !ok {
		return
	}

	t.Run("logistics completes an inspection and the return moves on", func(t *testing.T) {
		br.t = t
		br.login(logistics, password, "#kind-tabs")
		row := fmt.Sprintf("tr#task-%d", task.ID)
		br.run(fmt.Sprintf("open inspection task %d from the board", task.ID), 20*time.Second,
			chromedp.Click(chromedp.CSS(`#kind-tabs a[data-kind="inspection"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#kind-tabs a.here[data-kind="inspection"]`)),
			chromedp.WaitVisible(chromedp.CSS(row+`[data-kind="inspection"] a.task-link`)),
			chromedp.Click(chromedp.CSS(row+" a.task-link")),
			chromedp.WaitVisible(chromedp.CSS("#task-status")),
		)
		if br.count("#claim-submit") > 0 {
			br.run("claim the task", 20*time.Second,
				chromedp.Click(chromedp.CSS("#claim-submit")),
				chromedp.WaitVisible(chromedp.CSS(`#task-status[data-status="claimed"]`)),
			)
		}
		br.run("complete the inspection", 20*time.Second,
			chromedp.WaitVisible(chromedp.CSS("form#complete")),
			chromedp.Click(chromedp.CSS("#defect-no")),
			chromedp.SetValue(chromedp.CSS("#grade"), "A"),
			chromedp.SetValue(chromedp.CSS("#disposition"), string(mallsync.DispositionRestock)),
			chromedp.Click(chromedp.CSS("#complete-submit")),
		)
		// The page reloads itself until the flow has closed the task.
		br.run("wait for the task to be done", 30*time.Second,
			chromedp.WaitVisible(chromedp.CSS(`#task-status[data-status="done"]`)),
			chromedp.WaitVisible(chromedp.CSS("#task-result")),
		)
		br.screenshot("2-logistics-inspection-done")

		got, err := b.tasks.Task(ctx, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != mallsync.TaskDone || got.ClosedBy != logistics {
			t.Fatalf("task %d in Postgres: %s, closed by %q; want done by %s", task.ID, got.Status, got.ClosedBy, logistics)
		}
		var st returns.State
		moved := func() bool {
			st = b.flowState(ctx, task.WorkflowID)
			return st.Stage != returns.StageInspection && st.Stage != returns.StageArrived
		}
		for deadline := time.Now().Add(20 * time.Second); !moved(); time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("return %s stayed at %s after its inspection was done: %v", task.ClaimID, st.Stage, st.History)
			}
		}
		if st.Decision != returns.DecisionApprove || st.Inspection == nil || st.Inspection.Grade != "A" {
			t.Fatalf("return %s after a grade A restock: decision %q, inspection %+v", task.ClaimID, st.Decision, st.Inspection)
		}

		// The order page shows the flow past the inspection too.
		br.run("open the order from the task", 20*time.Second,
			chromedp.Click(chromedp.CSS(`#task-details a.order-link`)),
			chromedp.WaitVisible(chromedp.CSS(stageSel)),
		)
		stage := read(br, "read the return's stage", 5*time.Second, chromedp.Text(chromedp.CSS(stageSel)))
		if slices.Contains([]string{string(returns.StageInspection), string(returns.StageArrived)}, stage) {
			br.failf("claim %s: the order page still shows the flow at %q after the inspection", task.ClaimID, stage)
		}
		br.screenshot("3-order-after-inspection")
		t.Logf("task %d (return %s of order %s, phone …%s, %d timeline rows): flow at %s", task.ID, task.ClaimID,
			task.PlatformOrderID, last4, o.Events, st.Stage)
	})
}

// inspectionWaitedFor syncs, moving the simulator's clock on by half days up to until, until an
// inspection task is open that a return flow waits for, and returns it.
func (b *bundle) inspectionWaitedFor(ctx context.Context, until time.Time) mallsync.Task {
	b.t.Helper()
	for {
		b.syncUntilCaughtUp(ctx)
		b.waitForOutbox(ctx)
		b.waitForFlowsIdle(ctx)
		open, err := b.tasks.Tasks(ctx, mallsync.TaskFilter{Kind: mallsync.TaskInspection, Status: mallsync.TaskOpen, Limit: 1000})
		if err != nil {
			b.t.Fatal(err)
		}
		for _, task := range open {
			if task.WorkflowID == "" || task.PlatformOrderID == "" {
				continue
			}
			if st := b.flowState(ctx, task.WorkflowID); st.Waiting == task.ID && st.Stage == returns.StageInspection {
				return task
			}
		}
		now := b.sim.Clock().Now()
		b.t.Logf("no inspection task waited for yet at simulator time %s (%d open)", now.In(kst).Format(time.DateTime), len(open))
		if !now.Before(until) {
			b.t.Fatalf("no inspection task that a return flow waits for by %s (%d open inspection tasks)", now, len(open))
		}
		b.sim.Clock().Set(now.Add(12 * time.Hour))
		b.clockJumps++
	}
}
