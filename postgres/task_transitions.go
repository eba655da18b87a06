package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
)

// updateTask runs an UPDATE of tasks (aliased t, guarded by its WHERE clause) and returns the
// updated task joined to its mall; no row means the guard refused (or there is no such task).
func (s *TaskStore) updateTask(ctx context.Context, q sqlx.QueryerContext, update string, args ...any) (mallsync.Task, bool, error) {
	var r taskRow
	err := sqlx.GetContext(ctx, q, &r, `WITH t AS (`+update+` RETURNING t.*)
		SELECT `+taskCols+` FROM t JOIN malls m ON m.id = t.mall_id`, args...)
	if err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return mallsync.Task{}, false, nil
		}
		return mallsync.Task{}, false, interpret(err)
	}
	return r.toDomain(), true, nil
}

// refusal explains why a guarded update of task id did not happen: ENOTFOUND when there is
// no such task, else ECONFLICT saying where the task is.
func (s *TaskStore) refusal(ctx context.Context, id int64, action string) error {
	var st struct {
		Status   string `db:"status"`
		Assignee string `db:"assignee"`
	}
	if err := s.db.GetContext(ctx, &st, `SELECT status, assignee FROM tasks WHERE id = $1`, id); err != nil {
		return taskErr(err, id, "reading")
	}
	switch mallsync.TaskStatus(st.Status) {
	case mallsync.TaskDone, mallsync.TaskCanceled:
		return mallsync.Errorf(mallsync.ECONFLICT, "task %d is already %s: it cannot be %s", id, st.Status, action)
	case mallsync.TaskClaimed:
		return mallsync.Errorf(mallsync.ECONFLICT, "task %d is claimed by %s: it cannot be %s", id, st.Assignee, action)
	}
	return mallsync.Errorf(mallsync.ECONFLICT, "task %d changed meanwhile: try again", id)
}

// ClaimTask assigns an open task to assignee and marks it claimed. Claiming a task one already
// holds returns it unchanged; a task someone else holds or a closed one is ECONFLICT.
func (s *TaskStore) ClaimTask(ctx context.Context, id int64, assignee string) (mallsync.Task, error) {
	if strings.TrimSpace(assignee) == "" {
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "claiming task %d needs an assignee", id)
	}
	t, ok, err := s.updateTask(ctx, s.db, `
		UPDATE tasks t SET status = 'claimed', assignee = $2,
			updated_at = CASE WHEN t.status = 'open' THEN now() ELSE t.updated_at END
		WHERE t.id = $1 AND (t.status = 'open' OR (t.status = 'claimed' AND t.assignee = $2))`, id, assignee)
	if err != nil {
		return mallsync.Task{}, fmt.Errorf("claiming task %d: %w", id, err)
	}
	if !ok {
		return mallsync.Task{}, s.refusal(ctx, id, "claimed")
	}
	return t, nil
}

// CompleteTask closes an open or claimed task as done with result (valid JSON) and who
// completed it. Completing a done task again with the same result returns it unchanged (a
// retried activity); anything else on a closed task is ECONFLICT.
func (s *TaskStore) CompleteTask(ctx context.Context, id int64, result json.RawMessage, by string) (mallsync.Task, error) {
	switch {
	case len(result) == 0 || !json.Valid(result):
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "completing task %d needs a JSON result", id)
	case strings.TrimSpace(by) == "":
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "completing task %d needs who completed it", id)
	}
	_, ok, err := s.updateTask(ctx, s.db, `
		UPDATE tasks t SET status = 'done', result = $2, closed_by = $3, closed_at = now(), updated_at = now()
		WHERE t.id = $1 AND t.status IN ('open', 'claimed')`, id, []byte(result), by)
	if err != nil {
		return mallsync.Task{}, fmt.Errorf("completing task %d: %w", id, err)
	}
	if ok {
		return s.Task(ctx, id)
	}
	var same bool
	if err := s.db.GetContext(ctx, &same, `SELECT status = 'done' AND result = $2::jsonb FROM tasks WHERE id = $1`, id, []byte(result)); err == nil && same {
		return s.Task(ctx, id)
	}
	return mallsync.Task{}, s.refusal(ctx, id, "completed")
}

// CancelTask closes an open or claimed task as canceled and, when reason is not empty, adds
// it to the memo thread (author SystemAuthor). A closed task is left as it is; a missing one
// is ENOTFOUND.
func (s *TaskStore) CancelTask(ctx context.Context, id int64, reason string) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("canceling task %d: %w", id, interpret(err))
	}
	defer tx.Rollback()
	_, ok, err := s.updateTask(ctx, tx, `
		UPDATE tasks t SET status = 'canceled', closed_at = now(), updated_at = now()
		WHERE t.id = $1 AND t.status IN ('open', 'claimed')`, id)
	if err != nil {
		return fmt.Errorf("canceling task %d: %w", id, err)
	}
	if !ok {
		var exists bool
		if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM tasks WHERE id = $1)`, id); err != nil {
			return fmt.Errorf("canceling task %d: %w", id, interpret(err))
		}
		if !exists {
			return mallsync.Errorf(mallsync.ENOTFOUND, "no task %d", id)
		}
		return nil
	}
	if reason = strings.TrimSpace(reason); reason != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_memos (task_id, author, body) VALUES ($1, $2, $3)`,
			id, SystemAuthor, "취소: "+reason); err != nil {
			return fmt.Errorf("noting why task %d was canceled: %w", id, interpret(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("canceling task %d: %w", id, interpret(err))
	}
	return nil
}

// ReassignTask gives an open or claimed task to assignee, and notes the change in the memo
// thread as written by by. An empty assignee puts the task back to open, unassigned. A closed
// task is ECONFLICT.
func (s *TaskStore) ReassignTask(ctx context.Context, id int64, assignee, by string) (mallsync.Task, error) {
	if strings.TrimSpace(by) == "" {
		return mallsync.Task{}, mallsync.Errorf(mallsync.EINVALID, "reassigning task %d needs who reassigns it", id)
	}
	assignee = strings.TrimSpace(assignee)
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return mallsync.Task{}, fmt.Errorf("reassigning task %d: %w", id, interpret(err))
	}
	defer tx.Rollback()
	var before string
	if err := tx.GetContext(ctx, &before, `SELECT assignee FROM tasks WHERE id = $1 FOR UPDATE`, id); err != nil {
		return mallsync.Task{}, taskErr(err, id, "reassigning")
	}
	_, ok, err := s.updateTask(ctx, tx, `
		UPDATE tasks t SET assignee = $2, updated_at = now(),
			status = CASE WHEN $2 = '' THEN 'open' ELSE t.status END
		WHERE t.id = $1 AND t.status IN ('open', 'claimed')`, id, assignee)
	if err != nil {
		return mallsync.Task{}, fmt.Errorf("reassigning task %d: %w", id, err)
	}
	if !ok {
		return mallsync.Task{}, s.refusal(ctx, id, "reassigned")
	}
	if before != assignee {
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_memos (task_id, author, body) VALUES ($1, $2, $3)`,
			id, by, fmt.Sprintf("담당자 변경: %s → %s", nobody(before), nobody(assignee))); err != nil {
			return mallsync.Task{}, fmt.Errorf("noting the reassignment of task %d: %w", id, interpret(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return mallsync.Task{}, fmt.Errorf("reassigning task %d: %w", id, interpret(err))
	}
	return s.Task(ctx, id)
}

// nobody names an empty assignee in a memo.
func nobody(assignee string) string {
	if assignee == "" {
		return "(없음)"
	}
	return assignee
}

// SetPriority changes an open or claimed task's priority; a closed task is ECONFLICT.
func (s *TaskStore) SetPriority(ctx context.Context, id int64, p mallsync.Priority) error {
	if !p.Valid() {
		return mallsync.Errorf(mallsync.EINVALID, "unknown priority %q", p)
	}
	_, ok, err := s.updateTask(ctx, s.db, `
		UPDATE tasks t SET priority = $2, updated_at = CASE WHEN t.priority = $2 THEN t.updated_at ELSE now() END
		WHERE t.id = $1 AND t.status IN ('open', 'claimed')`, id, string(p))
	if err != nil {
		return fmt.Errorf("setting the priority of task %d: %w", id, err)
	}
	if !ok {
		return s.refusal(ctx, id, "given a new priority")
	}
	return nil
}

// AddMemo appends m to the task's thread (a zero At means now). Closed tasks take memos too.
func (s *TaskStore) AddMemo(ctx context.Context, id int64, m mallsync.Memo) error {
	switch {
	case strings.TrimSpace(m.Author) == "":
		return mallsync.Errorf(mallsync.EINVALID, "a memo needs an author")
	case strings.TrimSpace(m.Body) == "":
		return mallsync.Errorf(mallsync.EINVALID, "a memo needs a body")
	}
	var at any
	if !m.At.IsZero() {
		at = m.At.UTC()
	}
	var memoID int64
	err := s.db.GetContext(ctx, &memoID, `
		WITH t AS (UPDATE tasks SET updated_at = now() WHERE id = $1 RETURNING id)
		INSERT INTO task_memos (task_id, author, body, at) SELECT t.id, $2, $3, COALESCE($4::timestamptz, now()) FROM t
		RETURNING id`, id, m.Author, m.Body, at)
	if err != nil {
		return taskErr(err, id, "adding a memo to")
	}
	return nil
}
