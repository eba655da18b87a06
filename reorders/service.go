// Package reorders marks pre-shipped reorders (기출하) on a person's behalf: the link, the
// released reservations and the preshipped shipment go to the store in one transaction, then
// the original's tracking number is written back to the platform through the connectors.
//
// The write-back is a plain call, not a Temporal activity: the agent who marks the order waits
// for the platform's answer and sees a refusal at once, with its reason; the connector already
// retries what is transient, and what still failed is recorded and tried again when the order
// is marked again (an idempotent action).
package reorders

import (
	"context"
	"log/slog"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// Connectors gives the connector of a mall (connectors.Registry does).
type Connectors interface {
	For(ctx context.Context, mall mallsync.Mall) (connectors.Connector, error)
}

// Service implements mallsync.ReorderActions.
type Service struct {
	// Store keeps the links (required).
	Store mallsync.ReorderStore
	// Malls reads the mall's platform (required).
	Malls mallsync.MallStore
	// Connectors write back to the platforms (required).
	Connectors Connectors
	// Logger gets one line per write-back; nil means slog.Default.
	Logger *slog.Logger
	// NowFunc is the clock; nil means time.Now.
	NowFunc func() time.Time
}

func (s *Service) now() time.Time {
	if s.NowFunc != nil {
		return s.NowFunc()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// Mark implements mallsync.ReorderActions: the store marks the order (or refuses with the
// reason, changing nothing), then, unless a write-back already got through or the platform
// needs none, a WriteShip with the original's carrier and tracking over the reorder's lines is
// sent and its result recorded. Only a failure to record it is an error: a platform that
// refuses or cannot be reached is a result that says so.
func (s *Service) Mark(ctx context.Context, mall mallsync.MallKey, orderID, original, by string) (mallsync.Reorder, error) {
	r, _, err := s.Store.MarkReorder(ctx, mallsync.ReorderMark{Mall: mall, OrderID: orderID, OriginalOrderID: original,
		Source: mallsync.ReorderByAgent, By: by, At: s.now()})
	if err != nil {
		return mallsync.Reorder{}, err
	}
	if r.WriteBack != nil && r.WriteBack.Done {
		return r, nil
	}
	m, err := s.Malls.Mall(ctx, mall)
	if err != nil {
		return mallsync.Reorder{}, err
	}
	if !m.Platform.NeedsDispatch() {
		return r, nil
	}
	res := s.writeBack(ctx, m, r)
	at := s.now()
	if err := s.Store.RecordReorderWriteBack(ctx, mall, orderID, res, at); err != nil {
		return mallsync.Reorder{}, err
	}
	s.logger().InfoContext(ctx, "reorder write-back", "mall", mall, "order", orderID, "done", res.Done, "code", res.Code)
	r.WriteBack, r.WrittenAt = &res, &at
	return r, nil
}

// writeBack ships the reorder's lines with the original's invoice.
func (s *Service) writeBack(ctx context.Context, m mallsync.Mall, r mallsync.Reorder) mallsync.WriteResult {
	conn, err := s.Connectors.For(ctx, m)
	if err != nil {
		return failed(err)
	}
	w, ok := conn.(connectors.Writer)
	if !ok {
		return mallsync.WriteResult{Code: mallsync.EINVALID, Message: string(m.Platform) + " connector cannot write back yet"}
	}
	lines := make([]mallsync.WriteLine, len(r.LineIDs))
	for i, id := range r.LineIDs {
		lines[i] = mallsync.WriteLine{PlatformLineID: id}
	}
	res, err := w.Write(ctx, []mallsync.WriteBack{{Action: mallsync.WriteShip, OrderID: r.OrderID, Lines: lines,
		CarrierCode: r.CarrierCode, TrackingNo: r.TrackingNo}})
	if err != nil {
		return failed(err)
	}
	if len(res) != 1 {
		return mallsync.WriteResult{Code: mallsync.EINTERNAL, Message: "the connector answered no result for the write-back"}
	}
	return res[0]
}

// failed is the result of a write-back that could not be made.
func failed(err error) mallsync.WriteResult {
	return mallsync.WriteResult{Code: mallsync.ErrorCode(err), Message: "the write-back could not be made: " + mallsync.ErrorMessage(err)}
}

// Reorder implements mallsync.ReorderActions.
func (s *Service) Reorder(ctx context.Context, mall mallsync.MallKey, orderID string) (mallsync.Reorder, error) {
	return s.Store.Reorder(ctx, mall, orderID)
}

var _ mallsync.ReorderActions = (*Service)(nil)
