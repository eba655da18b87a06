package e2e

import (
	"context"
	"flag"
	"os"
	"path/filepath"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

var updateHistory = flag.Bool("update-history", false, "record the MallSync history of TestBackfillThenNextDay into workflows/sync/testdata for the replay test")

// recordHistory writes the mall's MallSync history for the replay test in workflows/sync,
// when the test runs with -update-history.
func (b *bundle) recordHistory(ctx context.Context, runID string) {
	b.t.Helper()
	if !*updateHistory {
		return
	}
	var h historypb.History
	it := b.tc.GetWorkflowHistory(ctx, syncwf.WorkflowID(b.mall.Key), runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			b.t.Fatal(err)
		}
		h.Events = append(h.Events, e)
	}
	data, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
	if err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join("..", "workflows", "sync", "testdata", "mallsync_history.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("recorded %d events into %s", len(h.Events), path)
}
