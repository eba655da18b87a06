package postgres

import (
	"context"

	"github.com/mallsync/mallsync"
)

// TaskCount is how many of a mall's tasks of a kind are in a status.
type TaskCount struct {
	Mall   mallsync.MallKey    `db:"mall"`
	Kind   mallsync.TaskKind   `db:"kind"`
	Status mallsync.TaskStatus `db:"status"`
	Count  int                 `db:"n"`
}

// TaskCounts counts every mall's tasks by kind and status, for summaries.
func (s *TaskStore) TaskCounts(ctx context.Context) ([]TaskCount, error) {
	var out []TaskCount
	err := s.db.SelectContext(ctx, &out, `
		SELECT m.key AS mall, t.kind, t.status, count(*) AS n
		FROM tasks t JOIN malls m ON m.id = t.mall_id
		GROUP BY m.key, t.kind, t.status ORDER BY m.key, t.kind, t.status`)
	if err != nil {
		return nil, interpret(err)
	}
	return out, nil
}
