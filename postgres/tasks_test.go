package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

type taskBundle struct {
	bundle
	tasks *postgres.TaskStore
	other mallsync.MallKey // a second mall
}

func taskSetup(t *testing.T) taskBundle {
	t.Helper()
	b := setup(t)
	other := mallsync.Mall{Key: "shop-b", Name: "가게 B", Platform: mallsync.PlatformCafe24,
		Account: mallsync.Account{MallID: "shopb", ShopNo: 1}, CredentialsRef: "shop-b"}
	if err := b.malls.PutMall(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	return taskBundle{bundle: b, tasks: postgres.NewTaskStore(b.db, b.malls), other: other.Key}
}

// create stores a task with key in b's first mall, filling the fields the test leaves out.
func (b taskBundle) create(t *testing.T, key string, edit func(*mallsync.Task)) mallsync.Task {
	t.Helper()
	task := mallsync.Task{Key: key, Mall: b.mall, Kind: mallsync.TaskInspection, ClaimID: "C-1",
		PlatformOrderID: "O-1", LineIDs: []string{"O-1-01"}, Title: "검수: " + key}
	if edit != nil {
		edit(&task)
	}
	got, err := b.tasks.CreateTask(context.Background(), task)
	if err != nil {
		t.Fatalf("creating %s: %v", key, err)
	}
	return got
}

func TestCreateTaskIsIdempotentByKey(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	due := time.Date(2026, 7, 3, 9, 0, 0, 0, time.FixedZone("KST", 9*3600))
	first := b.create(t, "return/shop-a/C-1/inspection", func(task *mallsync.Task) {
		task.WorkflowID = "return/shop-a/C-1"
		task.LineIDs = []string{"O-1-01", "O-1-02"}
		task.DueAt = &due
	})
	if first.ID == 0 || first.Status != mallsync.TaskOpen || first.Priority != mallsync.PriorityNormal {
		t.Fatalf("new task: %+v, want an id, open, normal", first)
	}
	if first.Mall != b.mall || first.WorkflowID != "return/shop-a/C-1" || !slices.Equal(first.LineIDs, []string{"O-1-01", "O-1-02"}) {
		t.Fatalf("new task's fields: %+v", first)
	}
	if first.DueAt == nil || !first.DueAt.Equal(due) || first.DueAt.Location() != time.UTC {
		t.Fatalf("due: %v, want %v in UTC", first.DueAt, due)
	}
	if len(first.Memos) != 0 || first.ClosedAt != nil || first.Result != nil {
		t.Fatalf("a new task has no memos, close time or result: %+v", first)
	}

	again := b.create(t, "return/shop-a/C-1/inspection", func(task *mallsync.Task) {
		task.Title = "something else"
		task.Priority = mallsync.PriorityUrgent
	})
	if again.ID != first.ID || again.Title != first.Title || again.Priority != mallsync.PriorityNormal {
		t.Fatalf("second create: %+v, want the first task %+v as it was", again, first)
	}
	var n int
	if err := b.db.Get(&n, `SELECT count(*) FROM tasks`); err != nil || n != 1 {
		t.Fatalf("tasks stored: %d (%v), want 1", n, err)
	}
}

func TestCreateTaskRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	tests := []struct {
		name string
		edit func(*mallsync.Task)
		want string
	}{
		{"no key", func(task *mallsync.Task) { task.Key = " " }, mallsync.EINVALID},
		{"unknown kind", func(task *mallsync.Task) { task.Kind = "dance" }, mallsync.EINVALID},
		{"unknown priority", func(task *mallsync.Task) { task.Priority = "asap" }, mallsync.EINVALID},
		{"created done", func(task *mallsync.Task) { task.Status = mallsync.TaskDone }, mallsync.EINVALID},
		{"claimed without assignee", func(task *mallsync.Task) { task.Status = mallsync.TaskClaimed }, mallsync.EINVALID},
		{"unknown mall", func(task *mallsync.Task) { task.Mall = "no-such-mall" }, mallsync.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := mallsync.Task{Key: "k-" + tt.name, Mall: b.mall, Kind: mallsync.TaskInspection}
			tt.edit(&task)
			if _, err := b.tasks.CreateTask(context.Background(), task); mallsync.ErrorCode(err) != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
		})
	}
	var n int
	if err := b.db.Get(&n, `SELECT count(*) FROM tasks`); err != nil || n != 0 {
		t.Fatalf("tasks stored: %d (%v), want none", n, err)
	}
}

// TestTaskTransitions runs every action on a task in every state.
func TestTaskTransitions(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	ctx := context.Background()
	result := json.RawMessage(`{"defect":false,"grade":"A","disposition":"restock"}`)
	// states puts a fresh task into the named state.
	states := map[string]func(t *testing.T, key string) mallsync.Task{
		"open": func(t *testing.T, key string) mallsync.Task { return b.create(t, key, nil) },
		"claimed": func(t *testing.T, key string) mallsync.Task {
			task := b.create(t, key, nil)
			if _, err := b.tasks.ClaimTask(ctx, task.ID, "kim"); err != nil {
				t.Fatal(err)
			}
			return task
		},
		"done": func(t *testing.T, key string) mallsync.Task {
			task := b.create(t, key, nil)
			if _, err := b.tasks.CompleteTask(ctx, task.ID, json.RawMessage(`{"defect":true,"disposition":"quarantine"}`), "kim"); err != nil {
				t.Fatal(err)
			}
			return task
		},
		"canceled": func(t *testing.T, key string) mallsync.Task {
			task := b.create(t, key, nil)
			if err := b.tasks.CancelTask(ctx, task.ID, ""); err != nil {
				t.Fatal(err)
			}
			return task
		},
	}
	actions := map[string]func(id int64) error{
		"claim by lee": func(id int64) error { _, err := b.tasks.ClaimTask(ctx, id, "lee"); return err },
		"claim by kim": func(id int64) error { _, err := b.tasks.ClaimTask(ctx, id, "kim"); return err },
		"complete":     func(id int64) error { _, err := b.tasks.CompleteTask(ctx, id, result, "lee"); return err },
		"cancel":       func(id int64) error { return b.tasks.CancelTask(ctx, id, "반품 철회") },
		"reassign":     func(id int64) error { _, err := b.tasks.ReassignTask(ctx, id, "park", "admin"); return err },
		"priority":     func(id int64) error { return b.tasks.SetPriority(ctx, id, mallsync.PriorityUrgent) },
	}
	tests := []struct {
		state, action string
		wantErr       string // an error code, or "" for success
		wantStatus    mallsync.TaskStatus
		wantAssignee  string
	}{
		{"open", "claim by lee", "", mallsync.TaskClaimed, "lee"},
		{"claimed", "claim by lee", mallsync.ECONFLICT, mallsync.TaskClaimed, "kim"},
		{"claimed", "claim by kim", "", mallsync.TaskClaimed, "kim"},
		{"done", "claim by lee", mallsync.ECONFLICT, mallsync.TaskDone, ""},
		{"canceled", "claim by lee", mallsync.ECONFLICT, mallsync.TaskCanceled, ""},

		{"open", "complete", "", mallsync.TaskDone, ""},
		{"claimed", "complete", "", mallsync.TaskDone, "kim"},
		{"done", "complete", mallsync.ECONFLICT, mallsync.TaskDone, ""},
		{"canceled", "complete", mallsync.ECONFLICT, mallsync.TaskCanceled, ""},

		{"open", "cancel", "", mallsync.TaskCanceled, ""},
		{"claimed", "cancel", "", mallsync.TaskCanceled, "kim"},
		{"done", "cancel", "", mallsync.TaskDone, ""},
		{"canceled", "cancel", "", mallsync.TaskCanceled, ""},

		{"open", "reassign", "", mallsync.TaskOpen, "park"},
		{"claimed", "reassign", "", mallsync.TaskClaimed, "park"},
		{"done", "reassign", mallsync.ECONFLICT, mallsync.TaskDone, ""},
		{"canceled", "reassign", mallsync.ECONFLICT, mallsync.TaskCanceled, ""},

		{"open", "priority", "", mallsync.TaskOpen, ""},
		{"claimed", "priority", "", mallsync.TaskClaimed, "kim"},
		{"done", "priority", mallsync.ECONFLICT, mallsync.TaskDone, ""},
		{"canceled", "priority", mallsync.ECONFLICT, mallsync.TaskCanceled, ""},
	}
	for i, tt := range tests {
		t.Run(tt.state+"/"+tt.action, func(t *testing.T) {
			task := states[tt.state](t, fmt.Sprintf("transition-%d", i))
			before, err := b.tasks.Task(ctx, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			err = actions[tt.action](task.ID)
			if mallsync.ErrorCode(err) != tt.wantErr {
				t.Fatalf("err = %v, want code %q", err, tt.wantErr)
			}
			if tt.wantErr == mallsync.ECONFLICT && !strings.Contains(mallsync.ErrorMessage(err), fmt.Sprintf("task %d is", task.ID)) {
				t.Errorf("refusal %q does not say where the task is", mallsync.ErrorMessage(err))
			}
			after, err := b.tasks.Task(ctx, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.Status != tt.wantStatus || after.Assignee != tt.wantAssignee {
				t.Fatalf("after: status %s assignee %q, want %s %q", after.Status, after.Assignee, tt.wantStatus, tt.wantAssignee)
			}
			if tt.wantErr != "" || (tt.action == "cancel" && before.ClosedAt != nil) {
				// A refused or ignored action changes nothing.
				if after.Priority != before.Priority || !after.UpdatedAt.Equal(before.UpdatedAt) ||
					string(after.Result) != string(before.Result) || len(after.Memos) != len(before.Memos) {
					t.Fatalf("a refused action changed the task:\nbefore %+v\nafter  %+v", before, after)
				}
				return
			}
			switch tt.action {
			case "complete":
				if after.ClosedAt == nil || after.ClosedBy != "lee" || !sameJSON(after.Result, result) {
					t.Fatalf("completed: closed %v by %q result %s", after.ClosedAt, after.ClosedBy, after.Result)
				}
			case "cancel":
				if after.ClosedAt == nil || after.ClosedBy != "" || len(after.Memos) != 1 || after.Memos[0].Body != "취소: 반품 철회" || after.Memos[0].Author != postgres.SystemAuthor {
					t.Fatalf("canceled: closed %v by %q memos %+v", after.ClosedAt, after.ClosedBy, after.Memos)
				}
			case "priority":
				if after.Priority != mallsync.PriorityUrgent {
					t.Fatalf("priority %s, want urgent", after.Priority)
				}
			case "reassign":
				if n := len(after.Memos); n != 1 || after.Memos[0].Author != "admin" || !strings.Contains(after.Memos[0].Body, "→ park") {
					t.Fatalf("reassign memos: %+v", after.Memos)
				}
			}
		})
	}
}

func TestTaskActionsOnAMissingTask(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	ctx := context.Background()
	const id = 424242
	errs := map[string]error{}
	_, errs["task"] = b.tasks.Task(ctx, id)
	_, errs["claim"] = b.tasks.ClaimTask(ctx, id, "kim")
	_, errs["complete"] = b.tasks.CompleteTask(ctx, id, json.RawMessage(`{}`), "kim")
	errs["cancel"] = b.tasks.CancelTask(ctx, id, "")
	_, errs["reassign"] = b.tasks.ReassignTask(ctx, id, "kim", "admin")
	errs["priority"] = b.tasks.SetPriority(ctx, id, mallsync.PriorityHigh)
	errs["memo"] = b.tasks.AddMemo(ctx, id, mallsync.Memo{Author: "kim", Body: "x"})
	for action, err := range errs {
		if mallsync.ErrorCode(err) != mallsync.ENOTFOUND || mallsync.ErrorMessage(err) != "no task 424242" {
			t.Errorf("%s: %v, want ENOTFOUND no task 424242", action, err)
		}
	}
}

func TestCompleteTask(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	ctx := context.Background()
	task := b.create(t, "complete", nil)
	for _, bad := range []string{``, `{"defect":`, `not json`} {
		if _, err := b.tasks.CompleteTask(ctx, task.ID, json.RawMessage(bad), "kim"); mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Errorf("result %q: %v, want EINVALID", bad, err)
		}
	}
	if _, err := b.tasks.CompleteTask(ctx, task.ID, json.RawMessage(`{}`), " "); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Errorf("no one completing: %v, want EINVALID", err)
	}
	result := json.RawMessage(`{"carrier_code":"CJ","tracking_no":"123"}`)
	done, err := b.tasks.CompleteTask(ctx, task.ID, result, "kim")
	if err != nil || done.Status != mallsync.TaskDone {
		t.Fatalf("complete: %+v, %v", done, err)
	}
	// A retried completion with the same result (key order and spacing aside) is the same task.
	again, err := b.tasks.CompleteTask(ctx, task.ID, json.RawMessage(`{"tracking_no": "123", "carrier_code": "CJ"}`), "kim")
	if err != nil || again.ID != done.ID || !again.ClosedAt.Equal(*done.ClosedAt) {
		t.Fatalf("completing again with the same result: %+v, %v; want the done task unchanged", again, err)
	}
	if _, err := b.tasks.CompleteTask(ctx, task.ID, json.RawMessage(`{"carrier_code":"CJ","tracking_no":"999"}`), "kim"); mallsync.ErrorCode(err) != mallsync.ECONFLICT {
		t.Fatalf("completing again with another result: %v, want ECONFLICT", err)
	}
}

func TestReassignToNobodyReopens(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	ctx := context.Background()
	task := b.create(t, "reopen", nil)
	if _, err := b.tasks.ClaimTask(ctx, task.ID, "kim"); err != nil {
		t.Fatal(err)
	}
	got, err := b.tasks.ReassignTask(ctx, task.ID, "", "admin")
	if err != nil || got.Status != mallsync.TaskOpen || got.Assignee != "" {
		t.Fatalf("reassign to nobody: %+v, %v; want open and unassigned", got, err)
	}
	if len(got.Memos) != 1 || got.Memos[0].Body != "담당자 변경: kim → (없음)" {
		t.Fatalf("memos: %+v", got.Memos)
	}
	// Reassigning to the same person notes nothing.
	if got, err = b.tasks.ReassignTask(ctx, task.ID, "", "admin"); err != nil || len(got.Memos) != 1 {
		t.Fatalf("same reassignment: %d memos, %v; want 1", len(got.Memos), err)
	}
	if _, err := b.tasks.ReassignTask(ctx, task.ID, "lee", ""); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Fatalf("reassign by nobody: %v, want EINVALID", err)
	}
}

func TestTasksFiltersAndOrder(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	ctx := context.Background()
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	// name, mall, kind, priority, created, claim, assignee
	mk := func(key string, mall mallsync.MallKey, kind mallsync.TaskKind, p mallsync.Priority, created time.Time, claim, assignee string) {
		b.create(t, key, func(task *mallsync.Task) {
			task.Mall, task.Kind, task.Priority, task.CreatedAt, task.ClaimID = mall, kind, p, created, claim
			if assignee != "" {
				task.Status, task.Assignee = mallsync.TaskClaimed, assignee
			}
		})
	}
	mk("old-normal", b.mall, mallsync.TaskInspection, mallsync.PriorityNormal, at(0), "C-1", "")
	mk("new-urgent", b.mall, mallsync.TaskReshipment, mallsync.PriorityUrgent, at(5), "C-2", "kim")
	mk("old-urgent", b.other, mallsync.TaskInspection, mallsync.PriorityUrgent, at(1), "C-3", "")
	mk("new-low", b.mall, mallsync.TaskPhotoReview, mallsync.PriorityLow, at(2), "C-1", "lee")
	mk("mid-high", b.other, mallsync.TaskInspection, mallsync.PriorityHigh, at(3), "C-4", "kim")
	done := b.create(t, "done-normal", func(task *mallsync.Task) { task.CreatedAt = at(-1) })
	if _, err := b.tasks.CompleteTask(ctx, done.ID, json.RawMessage(`{}`), "kim"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		filter mallsync.TaskFilter
		want   []string
	}{
		{"all", mallsync.TaskFilter{}, []string{"old-urgent", "new-urgent", "mid-high", "done-normal", "old-normal", "new-low"}},
		{"limit", mallsync.TaskFilter{Limit: 2}, []string{"old-urgent", "new-urgent"}},
		{"mall", mallsync.TaskFilter{Mall: b.other}, []string{"old-urgent", "mid-high"}},
		{"kind", mallsync.TaskFilter{Kind: mallsync.TaskInspection}, []string{"old-urgent", "mid-high", "done-normal", "old-normal"}},
		{"status open", mallsync.TaskFilter{Status: mallsync.TaskOpen}, []string{"old-urgent", "old-normal"}},
		{"status done", mallsync.TaskFilter{Status: mallsync.TaskDone}, []string{"done-normal"}},
		{"assignee", mallsync.TaskFilter{Assignee: "kim"}, []string{"new-urgent", "mid-high"}},
		{"priority", mallsync.TaskFilter{Priority: mallsync.PriorityUrgent}, []string{"old-urgent", "new-urgent"}},
		{"claim", mallsync.TaskFilter{ClaimID: "C-1"}, []string{"done-normal", "old-normal", "new-low"}},
		{"together", mallsync.TaskFilter{Mall: b.mall, Kind: mallsync.TaskInspection, Status: mallsync.TaskOpen}, []string{"old-normal"}},
		{"nothing", mallsync.TaskFilter{Assignee: "nobody"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.tasks.Tasks(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			keys := []string{}
			for _, task := range got {
				keys = append(keys, task.Key)
				if task.Memos != nil {
					t.Errorf("%s: a listed task carries memos", task.Key)
				}
			}
			if !slices.Equal(keys, tt.want) {
				t.Fatalf("got %v, want %v", keys, tt.want)
			}
		})
	}

	bad := []mallsync.TaskFilter{
		{Kind: "dance"}, {Status: "sleeping"}, {Priority: "asap"}, {Mall: "no-such-mall"}, {Limit: -1}, {Limit: 1001},
	}
	for _, f := range bad {
		if _, err := b.tasks.Tasks(ctx, f); mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Errorf("filter %+v: %v, want EINVALID", f, err)
		}
	}
}

func TestTaskMemos(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	ctx := context.Background()
	task := b.create(t, "memos", nil)
	memos := []mallsync.Memo{
		{Author: "kim", Body: "박스 파손, 사진 첨부 요청", At: t0.Add(2 * time.Minute)},
		{Author: "lee", Body: "확인했습니다", At: t0.Add(time.Minute)},
		{Author: "kim", Body: "now"},
	}
	for _, m := range memos {
		if err := b.tasks.AddMemo(ctx, task.ID, m); err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.tasks.Task(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, m := range got.Memos {
		bodies = append(bodies, m.Author+":"+m.Body)
	}
	if want := []string{"lee:확인했습니다", "kim:박스 파손, 사진 첨부 요청", "kim:now"}; !slices.Equal(bodies, want) {
		t.Fatalf("memos %v, want %v (oldest first)", bodies, want)
	}
	if got.Memos[2].At.Before(time.Now().Add(-time.Minute)) || got.Memos[0].At.Location() != time.UTC {
		t.Fatalf("memo times: %v", got.Memos)
	}
	for _, m := range []mallsync.Memo{{Author: "", Body: "x"}, {Author: "kim", Body: "  "}} {
		if err := b.tasks.AddMemo(ctx, task.ID, m); mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Errorf("memo %+v: %v, want EINVALID", m, err)
		}
	}
	// A closed task still takes memos.
	if err := b.tasks.CancelTask(ctx, task.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.tasks.AddMemo(ctx, task.ID, mallsync.Memo{Author: "kim", Body: "after"}); err != nil {
		t.Fatalf("memo on a closed task: %v", err)
	}
	if got, _ := b.tasks.Task(ctx, task.ID); len(got.Memos) != 4 {
		t.Fatalf("memos after cancel without a reason: %d, want 4", len(got.Memos))
	}
}

func TestTaskAgeing(t *testing.T) {
	t.Parallel()
	b := taskSetup(t)
	ctx := context.Background()
	created := time.Now().Add(-3 * time.Hour).UTC()
	open := b.create(t, "ageing-open", func(task *mallsync.Task) { task.CreatedAt = created })
	closed := b.create(t, "ageing-closed", func(task *mallsync.Task) { task.CreatedAt = created })
	done, err := b.tasks.CompleteTask(ctx, closed.ID, json.RawMessage(`{}`), "kim")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if age := open.Age(now); age < 3*time.Hour || age > 3*time.Hour+time.Minute {
		t.Fatalf("open task's age %v, want about 3h", age)
	}
	// A closed task stops ageing: its age is the time it took.
	took := done.Age(now)
	if took < 3*time.Hour || took > 3*time.Hour+time.Minute || done.Age(now.Add(48*time.Hour)) != took {
		t.Fatalf("closed task's age %v, later %v; want about 3h, not growing", took, done.Age(now.Add(48*time.Hour)))
	}
	if d := open.CreatedAt.Sub(created); d < -time.Microsecond || d > time.Microsecond {
		t.Fatalf("created %v, want %v", open.CreatedAt, created)
	}
}

// sameJSON reports whether a and b hold the same JSON value (jsonb does not keep key order or
// spacing).
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
