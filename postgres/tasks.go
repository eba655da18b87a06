package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// TaskStore implements mallsync.TaskStore. The state rules live in the statements' WHERE
// clauses, so two people acting on one task at once cannot both win: only an open task can
// be claimed (or re-claimed by its holder), only an open or claimed one completed, reassigned
// or given a new priority; canceling leaves a closed task alone.
type TaskStore struct {
	db    *sqlx.DB
	malls *MallStore
}

// NewTaskStore returns a TaskStore over db.
func NewTaskStore(db *sqlx.DB, malls *MallStore) *TaskStore {
	return &TaskStore{db: db, malls: malls}
}

// SystemAuthor is the author of the memos mallsync writes itself (a cancellation's reason).
const SystemAuthor = "mallsync"

const (
	defaultTaskLimit = 100
	maxTaskLimit     = 1000
)

// taskCols reads a task row t joined to its mall m.
const taskCols = `t.id, t.key, m.key AS mall_key, t.kind, t.status, t.priority, t.assignee,
	t.platform_order_id, t.platform_claim_id, t.line_ids, t.workflow_id, t.title, t.due_at,
	t.created_at, t.updated_at, t.closed_at, t.closed_by, t.result`

type taskRow struct {
	ID         int64          `db:"id"`
	Key        string         `db:"key"`
	Mall       string         `db:"mall_key"`
	Kind       string         `db:"kind"`
	Status     string         `db:"status"`
	Priority   string         `db:"priority"`
	Assignee   string         `db:"assignee"`
	OrderID    string         `db:"platform_order_id"`
	ClaimID    string         `db:"platform_claim_id"`
	LineIDs    pq.StringArray `db:"line_ids"`
	WorkflowID string         `db:"workflow_id"`
	Title      string         `db:"title"`
	DueAt      sql.NullTime   `db:"due_at"`
	CreatedAt  time.Time      `db:"created_at"`
	UpdatedAt  time.Time      `db:"updated_at"`
	ClosedAt   sql.NullTime   `db:"closed_at"`
	ClosedBy   string         `db:"closed_by"`
	Result     []byte         `db:"result"`
}

func (r taskRow) toDomain() mallsync.Task {
	t := mallsync.Task{
		ID: r.ID, Key: r.Key, Mall: mallsync.MallKey(r.Mall), Kind: mallsync.TaskKind(r.Kind),
		Status: mallsync.TaskStatus(r.Status), Priority: mallsync.Priority(r.Priority),
		Assignee: r.Assignee, PlatformOrderID: r.OrderID, ClaimID: r.ClaimID,
		LineIDs: []string(r.LineIDs), WorkflowID: r.WorkflowID, Title: r.Title,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), ClosedBy: r.ClosedBy,
	}
	if t.LineIDs == nil {
		t.LineIDs = []string{}
	}
	if r.DueAt.Valid {
		d := r.DueAt.Time.UTC()
		t.DueAt = &d
	}
	if r.ClosedAt.Valid {
		c := r.ClosedAt.Time.UTC()
		t.ClosedAt = &c
	}
	if r.Result != nil {
		t.Result = json.RawMessage(r.Result)
	}
	return t
}

// utcPtr returns t in UTC, or nil for nil (a NULL column).
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateTask stores t and returns it with its ID. A task whose Key exists is returned as it
// is, whatever t says. Status defaults to open and Priority to normal; a task is created open
// or claimed (claimed needs an assignee). A zero CreatedAt means now.
func (s *TaskStore) CreateTask(ctx context.Context, t mallsync.Task) (mallsync.Task, error) {
	if t.Status == "" {
		t.Status = mallsync.TaskOpen
	}
	if t.Priority == "" {
		t.Priority = mallsync.PriorityNormal
	}
	switch {
	case strings.TrimSpace(t.Key) == "":
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "a task needs a key")
	case !t.Kind.Valid():
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "unknown task kind %q", t.Kind)
	case !t.Priority.Valid():
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "unknown priority %q", t.Priority)
	case t.Status != mallsync.TaskOpen && t.Status != mallsync.TaskClaimed:
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "a task is created open or claimed, not %q", t.Status)
	case t.Status == mallsync.TaskClaimed && t.Assignee == "":
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "a claimed task needs an assignee")
	}
	mallID, err := s.malls.id(ctx, t.Mall)
	if err != nil {
		return mallsync.Task{}, err
	}
	lines := t.LineIDs
	if lines == nil {
		lines = []string{}
	}
	var created *time.Time
	if !t.CreatedAt.IsZero() {
		created = &t.CreatedAt
	}
	var id int64
	err = s.db.GetContext(ctx, &id, `
		INSERT INTO tasks (mall_id, key, kind, status, priority, assignee, platform_order_id,
			platform_claim_id, line_ids, workflow_id, title, due_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, COALESCE($13, now()), COALESCE($13, now()))
		ON CONFLICT (key) DO NOTHING
		RETURNING id`,
		mallID, t.Key, string(t.Kind), string(t.Status), string(t.Priority), t.Assignee, t.PlatformOrderID,
		t.ClaimID, pq.Array(lines), t.WorkflowID, t.Title, utcPtr(t.DueAt), utcPtr(created))
	if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND { // the key exists
		err = s.db.GetContext(ctx, &id, `SELECT id FROM tasks WHERE key = $1`, t.Key)
	}
	if err != nil {
		return mallsync.Task{}, fmt.Errorf("creating task %s: %w", t.Key, interpret(err))
	}
	return s.Task(ctx, id)
}

// Task returns the task with id and its memos, oldest first, or ENOTFOUND.
func (s *TaskStore) Task(ctx context.Context, id int64) (mallsync.Task, error) {
	var r taskRow
	if err := s.db.GetContext(ctx, &r, `SELECT `+taskCols+` FROM tasks t JOIN malls m ON m.id = t.mall_id WHERE t.id = $1`, id); err != nil {
		return mallsync.Task{}, taskErr(err, id, "reading")
	}
	t := r.toDomain()
	var memos []struct {
		Author string    `db:"author"`
		Body   string    `db:"body"`
		At     time.Time `db:"at"`
	}
	if err := s.db.SelectContext(ctx, &memos, `SELECT author, body, at FROM task_memos WHERE task_id = $1 ORDER BY at, id`, id); err != nil {
		return mallsync.Task{}, fmt.Errorf("reading memos of task %d: %w", id, interpret(err))
	}
	t.Memos = make([]mallsync.Memo, len(memos))
	for i, m := range memos {
		t.Memos[i] = mallsync.Memo{Author: m.Author, Body: m.Body, At: m.At.UTC()}
	}
	return t, nil
}

// Tasks lists the tasks matching f, without their memos: the most urgent first, then the
// oldest. A filter value that is not a known kind, status or priority, or a mall that does not
// exist, is EINVALID. Limit defaults to 100 and may be at most 1000.
func (s *TaskStore) Tasks(ctx context.Context, f mallsync.TaskFilter) ([]mallsync.Task, error) {
	var (
		conds []string
		args  []any
	)
	where := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	switch {
	case f.Kind != "" && !f.Kind.Valid():
		return nil, mallsync.Errorf(mallsync.EINVALID, "unknown task kind %q", f.Kind)
	case f.Priority != "" && !f.Priority.Valid():
		return nil, mallsync.Errorf(mallsync.EINVALID, "unknown priority %q", f.Priority)
	case f.Status != "" && !validStatus(f.Status):
		return nil, mallsync.Errorf(mallsync.EINVALID, "unknown task status %q", f.Status)
	case f.Limit < 0 || f.Limit > maxTaskLimit:
		return nil, mallsync.Errorf(mallsync.EINVALID, "limit %d: expected 1 to %d", f.Limit, maxTaskLimit)
	}
	if f.Mall != "" {
		id, err := s.malls.id(ctx, f.Mall)
		if mallsync.ErrorCode(err) == mallsync.ENOTFOUND {
			return nil, mallsync.Errorf(mallsync.EINVALID, "no mall %q", f.Mall)
		}
		if err != nil {
			return nil, err
		}
		where("t.mall_id = ?", id)
	}
	if f.Kind != "" {
		where("t.kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		where("t.status = ?", string(f.Status))
	}
	if f.Priority != "" {
		where("t.priority = ?", string(f.Priority))
	}
	if f.Assignee != "" {
		where("t.assignee = ?", f.Assignee)
	}
	if f.ClaimID != "" {
		where("t.platform_claim_id = ?", f.ClaimID)
	}
	limit := f.Limit
	if limit == 0 {
		limit = defaultTaskLimit
	}
	q := `SELECT ` + taskCols + ` FROM tasks t JOIN malls m ON m.id = t.mall_id`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	args = append(args, limit)
	q += ` ORDER BY t.priority_rank DESC, t.created_at, t.id LIMIT $` + strconv.Itoa(len(args))
	var rows []taskRow
	if err := s.db.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("listing tasks: %w", interpret(err))
	}
	out := make([]mallsync.Task, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

func validStatus(st mallsync.TaskStatus) bool {
	switch st {
	case mallsync.TaskOpen, mallsync.TaskClaimed, mallsync.TaskDone, mallsync.TaskCanceled:
		return true
	}
	return false
}

// taskErr wraps a failed read or write of task id; a missing row is ENOTFOUND naming the task.
func taskErr(err error, id int64, doing string) error {
	err = interpret(err)
	if mallsync.ErrorCode(err) == mallsync.ENOTFOUND {
		return mallsync.Errorf(mallsync.ENOTFOUND, "no task %d", id)
	}
	return fmt.Errorf("%s task %d: %w", doing, id, err)
}

var _ mallsync.TaskStore = (*TaskStore)(nil)
