package returns

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// fakes is an in-memory claim reader, task store, ledger, notification queue, mall store and
// writing connector, with the same idempotency rules as the real ones.
type fakes struct {
	mu     gosync.Mutex
	malls  map[mallsync.MallKey]mallsync.Mall
	claims map[string]mallsync.Claim
	lines  map[string]mallsync.OrderLine
	tasks  []mallsync.Task
	moves  []mallsync.Movement
	notes  []mallsync.Notification
	writes []mallsync.WriteBack
	// refuse makes the platform refuse these write-backs.
	refuse map[mallsync.WriteAction]bool
}

func newFakes(m mallsync.Mall, c mallsync.Claim, lines ...mallsync.OrderLine) *fakes {
	f := &fakes{malls: map[mallsync.MallKey]mallsync.Mall{m.Key: m}, claims: map[string]mallsync.Claim{c.PlatformClaimID: c},
		lines: map[string]mallsync.OrderLine{}, refuse: map[mallsync.WriteAction]bool{}}
	for _, l := range lines {
		f.lines[l.PlatformLineID] = l
	}
	return f
}

// MallStore.

func (f *fakes) PutMall(_ context.Context, m mallsync.Mall) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.malls[m.Key] = m
	return nil
}

func (f *fakes) Mall(_ context.Context, k mallsync.MallKey) (mallsync.Mall, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.malls[k]
	if !ok {
		return m, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q", k)
	}
	return m, nil
}

func (f *fakes) Malls(context.Context) ([]mallsync.Mall, error) { return nil, nil }

// ClaimReader.

func (f *fakes) Claim(_ context.Context, _ mallsync.MallKey, id string) (mallsync.Claim, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.claims[id]
	if !ok {
		return c, mallsync.Errorf(mallsync.ENOTFOUND, "no claim %s", id)
	}
	return c, nil
}

func (f *fakes) LinesByID(_ context.Context, _ mallsync.MallKey, ids []string) ([]mallsync.OrderLine, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []mallsync.OrderLine
	for _, id := range ids {
		if l, ok := f.lines[id]; ok {
			out = append(out, l)
		}
	}
	return out, nil
}

// TaskStore.

func (f *fakes) CreateTask(_ context.Context, t mallsync.Task) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.tasks {
		if e.Key == t.Key {
			return e, nil
		}
	}
	t.ID = int64(len(f.tasks) + 1)
	if t.Status == "" {
		t.Status = mallsync.TaskOpen
	}
	f.tasks = append(f.tasks, t)
	return t, nil
}

func (f *fakes) find(id int64) (*mallsync.Task, error) {
	if id < 1 || int(id) > len(f.tasks) {
		return nil, mallsync.Errorf(mallsync.ENOTFOUND, "no task %d", id)
	}
	return &f.tasks[id-1], nil
}

func (f *fakes) Task(_ context.Context, id int64) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.find(id)
	if err != nil {
		return mallsync.Task{}, err
	}
	return *t, nil
}

func (f *fakes) Tasks(context.Context, mallsync.TaskFilter) ([]mallsync.Task, error) { return nil, nil }

func (f *fakes) ClaimTask(_ context.Context, id int64, assignee string) (mallsync.Task, error) {
	return mallsync.Task{}, nil
}

func (f *fakes) CompleteTask(_ context.Context, id int64, result json.RawMessage, by string) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.find(id)
	if err != nil {
		return mallsync.Task{}, err
	}
	if t.Status == mallsync.TaskDone || t.Status == mallsync.TaskCanceled {
		return *t, mallsync.Errorf(mallsync.ECONFLICT, "task %d is %s", id, t.Status)
	}
	t.Status, t.Result = mallsync.TaskDone, result
	return *t, nil
}

func (f *fakes) CancelTask(_ context.Context, id int64, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.find(id)
	if err != nil {
		return err
	}
	if t.Status == mallsync.TaskOpen || t.Status == mallsync.TaskClaimed {
		t.Status = mallsync.TaskCanceled
	}
	return nil
}

func (f *fakes) ReassignTask(_ context.Context, id int64, assignee, by string) (mallsync.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.find(id)
	if err != nil {
		return mallsync.Task{}, err
	}
	t.Assignee = assignee
	return *t, nil
}

func (f *fakes) SetPriority(_ context.Context, id int64, p mallsync.Priority) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.find(id)
	if err != nil {
		return err
	}
	t.Priority = p
	return nil
}

func (f *fakes) AddMemo(context.Context, int64, mallsync.Memo) error { return nil }

// NotificationQueue.

func (f *fakes) QueueNotification(_ context.Context, n mallsync.Notification) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.notes {
		if e.Key == n.Key {
			return false, nil
		}
	}
	f.notes = append(f.notes, n)
	return true, nil
}

// Ledger.

func (f *fakes) RecordMovements(_ context.Context, _ mallsync.MallKey, moves []mallsync.Movement) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, m := range moves {
		if !slices.ContainsFunc(f.moves, func(e mallsync.Movement) bool { return e.Key == m.Key }) {
			f.moves = append(f.moves, m)
			n++
		}
	}
	return n, nil
}

func (f *fakes) ReverseMovements(_ context.Context, _ mallsync.MallKey, prefix, reason string, at time.Time) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, m := range f.moves {
		if !strings.HasPrefix(m.Key, prefix) || m.Reverses != "" ||
			slices.ContainsFunc(f.moves, func(e mallsync.Movement) bool { return e.Reverses == m.Key }) {
			continue
		}
		r := m
		r.Key, r.Reverses, r.Quantity, r.Reason, r.At = "reversal/"+m.Key, m.Key, -m.Quantity, reason, at
		f.moves = append(f.moves, r)
		n++
	}
	return n, nil
}

func (f *fakes) StockByOwnership(context.Context, mallsync.MallKey) ([]mallsync.StockFigure, error) {
	return nil, nil
}

// The connector.

func (f *fakes) Streams() []mallsync.Stream { return nil }

func (f *fakes) Fetch(context.Context, mallsync.Stream, string, time.Time) (connectors.Fetched, error) {
	return connectors.Fetched{CaughtUp: true}, nil
}

func (f *fakes) Write(_ context.Context, ws []mallsync.WriteBack) ([]mallsync.WriteResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]mallsync.WriteResult, len(ws))
	for i, w := range ws {
		if f.refuse[w.Action] {
			out[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: "the platform refused"}
			continue
		}
		f.writes = append(f.writes, w)
		out[i] = mallsync.WriteResult{Done: true}
	}
	return out, nil
}

// Views for assertions.

func (f *fakes) actions() []mallsync.WriteAction {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []mallsync.WriteAction
	for _, w := range f.writes {
		out = append(out, w.Action)
	}
	return out
}

func (f *fakes) tasksOf(kind mallsync.TaskKind) []mallsync.Task {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []mallsync.Task
	for _, t := range f.tasks {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

func (f *fakes) movements() []mallsync.Movement {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.moves)
}

func (f *fakes) notifications() []mallsync.Notification {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.notes)
}

func (f *fakes) activities() *Activities {
	reg := connectors.NewRegistry(connectors.Deps{})
	reg.Register(mallsync.PlatformCafe24, func(context.Context, mallsync.Mall, connectors.Deps) (connectors.Connector, error) {
		return f, nil
	})
	return &Activities{Claims: f, Tasks: f, Ledger: f, Notifications: f, Malls: f, Connectors: reg}
}
