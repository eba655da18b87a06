package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/mallsync/mallsync"
)

// fakeTasks is an in-memory mallsync.TaskStore that records the changes asked of it.
type fakeTasks struct {
	mu      sync.Mutex
	tasks   map[int64]mallsync.Task
	changes []string // "claim 3 kim", "complete 5 lee {...}", ...
	filter  mallsync.TaskFilter
}

func (f *fakeTasks) record(format string, args ...any) {
	f.changes = append(f.changes, fmt.Sprintf(format, args...))
}

func (f *fakeTasks) Changes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.changes)
}

func (f *fakeTasks) CreateTask(_ context.Context, t mallsync.Task) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tasks[t.ID] = t
	return t, nil
}

func (f *fakeTasks) Task(_ context.Context, id int64) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tasks[id]
	if !ok {
		return t, mallsync.Errorf(mallsync.ENOTFOUND, "no task %d", id)
	}
	t.Memos = slices.Clone(t.Memos)
	return t, nil
}

func (f *fakeTasks) Tasks(_ context.Context, filter mallsync.TaskFilter) ([]mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filter = filter
	if filter.Mall != "" && filter.Mall != "shop-a" {
		return nil, mallsync.Errorf(mallsync.EINVALID, "no mall %q", filter.Mall)
	}
	var out []mallsync.Task
	for _, id := range slices.Sorted(maps.Keys(f.tasks)) {
		t := f.tasks[id]
		if (filter.Kind == "" || t.Kind == filter.Kind) && (filter.Status == "" || t.Status == filter.Status) {
			t.Memos = nil
			out = append(out, t)
		}
	}
	return out, nil
}

func (f *fakeTasks) TaskCounts(context.Context) ([]mallsync.TaskCount, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := map[mallsync.TaskCount]int{}
	for _, t := range f.tasks {
		n[mallsync.TaskCount{Mall: t.Mall, Kind: t.Kind, Status: t.Status}]++
	}
	var out []mallsync.TaskCount
	for k, c := range n {
		k.Count = c
		out = append(out, k)
	}
	return out, nil
}

// change applies edit to task id when it is in one of the statuses, else ECONFLICT.
func (f *fakeTasks) change(id int64, statuses []mallsync.TaskStatus, edit func(*mallsync.Task)) (mallsync.Task, error) {
	t, ok := f.tasks[id]
	if !ok {
		return t, mallsync.Errorf(mallsync.ENOTFOUND, "no task %d", id)
	}
	if !slices.Contains(statuses, t.Status) {
		return t, mallsync.Errorf(mallsync.ECONFLICT, "task %d is %s", id, t.Status)
	}
	edit(&t)
	f.tasks[id] = t
	return t, nil
}

var live = []mallsync.TaskStatus{mallsync.TaskOpen, mallsync.TaskClaimed}

func (f *fakeTasks) ClaimTask(_ context.Context, id int64, assignee string) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t := f.tasks[id]; t.Status == mallsync.TaskClaimed && t.Assignee != assignee {
		return t, mallsync.Errorf(mallsync.ECONFLICT, "task %d is claimed by %s", id, t.Assignee)
	}
	f.record("claim %d %s", id, assignee)
	return f.change(id, live, func(t *mallsync.Task) { t.Status, t.Assignee = mallsync.TaskClaimed, assignee })
}

func (f *fakeTasks) CompleteTask(_ context.Context, id int64, result json.RawMessage, by string) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("complete %d %s %s", id, by, result)
	return f.change(id, live, func(t *mallsync.Task) {
		now := time.Now()
		t.Status, t.Result, t.ClosedBy, t.ClosedAt = mallsync.TaskDone, result, by, &now
	})
}

func (f *fakeTasks) CancelTask(_ context.Context, id int64, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("cancel %d %s", id, reason)
	_, err := f.change(id, live, func(t *mallsync.Task) { t.Status = mallsync.TaskCanceled })
	return err
}

func (f *fakeTasks) ReassignTask(_ context.Context, id int64, assignee, by string) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("reassign %d %s by %s", id, assignee, by)
	return f.change(id, live, func(t *mallsync.Task) { t.Assignee = assignee })
}

func (f *fakeTasks) SetPriority(_ context.Context, id int64, p mallsync.Priority) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("priority %d %s", id, p)
	_, err := f.change(id, live, func(t *mallsync.Task) { t.Priority = p })
	return err
}

func (f *fakeTasks) AddMemo(_ context.Context, id int64, m mallsync.Memo) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("memo %d %s: %s", id, m.Author, m.Body)
	_, err := f.change(id, append(live, mallsync.TaskDone, mallsync.TaskCanceled), func(t *mallsync.Task) {
		t.Memos = append(t.Memos, mallsync.Memo{Author: m.Author, Body: m.Body, At: time.Now()})
	})
	return err
}

var _ mallsync.TaskStore = (*fakeTasks)(nil)

// completion is one ReturnActions.CompleteTask call.
type completion struct {
	WorkflowID string
	TaskID     int64
	Result     string
	By         string
}

// fakeReturns is a mallsync.ReturnActions that records completions. It answers err; with
// closes set it closes the task in the store as the workflow would.
type fakeReturns struct {
	mu     sync.Mutex
	calls  []completion
	err    error
	closes *fakeTasks
}

func (f *fakeReturns) Calls() []completion {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeReturns) CompleteTask(ctx context.Context, workflowID string, taskID int64, result json.RawMessage, by string) error {
	f.mu.Lock()
	f.calls = append(f.calls, completion{workflowID, taskID, string(result), by})
	err, closes := f.err, f.closes
	f.mu.Unlock()
	if err != nil {
		return err
	}
	if closes != nil {
		_, err = closes.CompleteTask(ctx, taskID, result, "workflow:"+by)
	}
	return err
}

func (f *fakeReturns) Approve(context.Context, mallsync.MallKey, string, string) error {
	return mallsync.Errorf(mallsync.EINTERNAL, "not in this fake")
}

func (f *fakeReturns) Reject(context.Context, mallsync.MallKey, string, string, string) error {
	return mallsync.Errorf(mallsync.EINTERNAL, "not in this fake")
}

func (f *fakeReturns) Withdraw(context.Context, mallsync.MallKey, string, string) error {
	return mallsync.Errorf(mallsync.EINTERNAL, "not in this fake")
}

var _ mallsync.ReturnActions = (*fakeReturns)(nil)
