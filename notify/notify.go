// Package notify delivers the buyer notifications that workflows queue in the notifications
// outbox (mallsync.NotificationOutbox) through a sender adapter (mallsync.NotificationSender):
// each pending notification is sent and then marked sent, so a crash between the two sends it
// again (at least once) and a sent one is never lost from the record.
//
// Adapters live in subpackages named for their technology: lognotify writes a log line.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/mallsync/mallsync"
)

// Deliverer sends what the outbox holds through Sender.
type Deliverer struct {
	Outbox mallsync.NotificationOutbox
	Sender mallsync.NotificationSender
	// Logger gets one line per failed round; nil means slog.Default.
	Logger *slog.Logger
	// NowFunc stamps sent notifications; nil means time.Now.
	NowFunc func() time.Time
	// Batch is how many notifications one round reads (0 means 100).
	Batch int
}

// DeliverPending sends up to Batch pending notifications, oldest first, marking each sent as
// soon as it went out. A notification the sender refuses stays pending for the next round;
// the others are still sent. It returns how many were sent and the failures joined.
func (d *Deliverer) DeliverPending(ctx context.Context) (int, error) {
	pending, err := d.Outbox.PendingNotifications(ctx, d.Batch)
	if err != nil {
		return 0, fmt.Errorf("reading pending notifications: %w", err)
	}
	sent := 0
	var errs []error
	for _, n := range pending {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		if err := d.Sender.SendNotification(ctx, n); err != nil {
			errs = append(errs, fmt.Errorf("sending notification %s: %w", n.Key, err))
			continue
		}
		if err := d.Outbox.MarkNotificationSent(ctx, n.Key, d.now()); err != nil {
			errs = append(errs, fmt.Errorf("marking notification %s sent: %w", n.Key, err))
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// Run delivers pending notifications every interval until ctx is done. A failed round is
// logged and retried at the next tick.
func (d *Deliverer) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := d.DeliverPending(ctx); err != nil && ctx.Err() == nil {
			d.logger().WarnContext(ctx, "delivering notifications", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (d *Deliverer) now() time.Time {
	if d.NowFunc != nil {
		return d.NowFunc()
	}
	return time.Now()
}

func (d *Deliverer) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}
