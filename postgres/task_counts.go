package postgres

import (
	"context"

	"github.com/mallsync/mallsync"
)

// TaskCounts counts every mall's tasks by kind and status, in one grouped query.
func (s *TaskStore) TaskCounts(ctx context.Context) ([]mallsync.TaskCount, error) {
	var out []mallsync.TaskCount
	err := s.db.SelectContext(ctx, &out, `
		SELECT m.key AS mall, t.kind, t.status, count(*) AS count
		FROM tasks t JOIN malls m ON m.id = t.mall_id
		GROUP BY m.key, t.kind, t.status ORDER BY m.key, t.kind, t.status`)
	if err != nil {
		return nil, interpret(err)
	}
	return out, nil
}

var _ mallsync.TaskCounter = (*TaskStore)(nil)
