package sync

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync"
)

// Signaler sends sync-now to running MallSync workflows (a webhook's hint to poll sooner).
type Signaler struct {
	Client client.Client
}

// SyncNow signals sync-now, carrying eventID so the workflow ignores a repeat, to the mall's
// MallSync. A mall whose sync is not running gives ENOTFOUND.
func (s Signaler) SyncNow(ctx context.Context, mall mallsync.MallKey, eventID string) error {
	err := s.Client.SignalWorkflow(ctx, WorkflowID(mall), "", SignalSyncNow, SyncNow{EventID: eventID})
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return mallsync.Errorf(mallsync.ENOTFOUND, "no running sync for mall %s", mall)
	}
	if err != nil {
		return fmt.Errorf("signalling sync-now to mall %s: %w", mall, err)
	}
	return nil
}
