package postgres_test

import (
	"context"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

func TestTaskCountsByKindAndStatus(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	ts := postgres.NewTaskStore(b.db, postgres.NewMallStore(b.db))
	var ids []int64
	for i, k := range []mallsync.TaskKind{mallsync.TaskInspection, mallsync.TaskInspection, mallsync.TaskReshipment} {
		task, err := ts.CreateTask(ctx, mallsync.Task{Key: "k" + string(rune('a'+i)), Mall: b.mall, Kind: k, Priority: mallsync.PriorityNormal, Title: "t"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, task.ID)
	}
	if err := ts.CancelTask(ctx, ids[1], "withdrawn"); err != nil {
		t.Fatal(err)
	}
	got, err := ts.TaskCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"inspection open": 1, "inspection canceled": 1, "reshipment open": 1}
	if len(got) != len(want) {
		t.Fatalf("counts = %+v, want %v", got, want)
	}
	for _, c := range got {
		if c.Mall != b.mall || want[string(c.Kind)+" "+string(c.Status)] != c.Count {
			t.Errorf("count %+v, want %v", c, want)
		}
	}
}
