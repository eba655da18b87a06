package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/mallsync/mallsync"
)

// NotificationStore implements mallsync.NotificationQueue (the workflows queue buyer
// notifications) and mallsync.NotificationOutbox (a sender adapter delivers them).
type NotificationStore struct {
	db    *sqlx.DB
	malls *MallStore
}

// NewNotificationStore returns a NotificationStore over db.
func NewNotificationStore(db *sqlx.DB, malls *MallStore) *NotificationStore {
	return &NotificationStore{db: db, malls: malls}
}

const defaultNotificationLimit = 100

// QueueNotification stores n unless a notification with its key exists, and reports whether
// it was new. A zero QueuedAt means now.
func (s *NotificationStore) QueueNotification(ctx context.Context, n mallsync.Notification) (bool, error) {
	switch {
	case strings.TrimSpace(n.Key) == "":
		return false, mallsync.Errorf(mallsync.EINVALID, "a notification needs a key")
	case strings.TrimSpace(n.Kind) == "":
		return false, mallsync.Errorf(mallsync.EINVALID, "notification %s needs a kind", n.Key)
	}
	mallID, err := s.malls.id(ctx, n.Mall)
	if err != nil {
		return false, err
	}
	var queued any
	if !n.QueuedAt.IsZero() {
		queued = n.QueuedAt.UTC()
	}
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO notifications (mall_id, key, platform_order_id, platform_claim_id, kind, body, queued_at)
		VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, now()))
		ON CONFLICT (key) DO NOTHING`,
		mallID, n.Key, n.PlatformOrderID, n.ClaimID, n.Kind, n.Body, queued)
	if err != nil {
		return false, fmt.Errorf("queueing notification %s: %w", n.Key, interpret(err))
	}
	added, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("queueing notification %s: %w", n.Key, interpret(err))
	}
	return added == 1, nil
}

// PendingNotifications returns up to limit unsent notifications (0 means 100), oldest first.
func (s *NotificationStore) PendingNotifications(ctx context.Context, limit int) ([]mallsync.Notification, error) {
	if limit < 0 {
		return nil, mallsync.Errorf(mallsync.EINVALID, "limit %d: expected a positive number", limit)
	}
	if limit == 0 {
		limit = defaultNotificationLimit
	}
	var rows []struct {
		Key      string    `db:"key"`
		Mall     string    `db:"mall_key"`
		OrderID  string    `db:"platform_order_id"`
		ClaimID  string    `db:"platform_claim_id"`
		Kind     string    `db:"kind"`
		Body     string    `db:"body"`
		QueuedAt time.Time `db:"queued_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT n.key, m.key AS mall_key, n.platform_order_id, n.platform_claim_id, n.kind, n.body, n.queued_at
		FROM notifications n JOIN malls m ON m.id = n.mall_id
		WHERE n.sent_at IS NULL ORDER BY n.queued_at, n.id LIMIT $1`, limit); err != nil {
		return nil, fmt.Errorf("listing pending notifications: %w", interpret(err))
	}
	out := make([]mallsync.Notification, len(rows))
	for i, r := range rows {
		out[i] = mallsync.Notification{Key: r.Key, Mall: mallsync.MallKey(r.Mall), PlatformOrderID: r.OrderID,
			ClaimID: r.ClaimID, Kind: r.Kind, Body: r.Body, QueuedAt: r.QueuedAt.UTC()}
	}
	return out, nil
}

// MarkNotificationSent records that the notification with key was sent at at; a notification
// already marked keeps its first time. An unknown key is ENOTFOUND.
func (s *NotificationStore) MarkNotificationSent(ctx context.Context, key string, at time.Time) error {
	var found bool
	if err := s.db.GetContext(ctx, &found, `
		WITH u AS (UPDATE notifications SET sent_at = COALESCE(sent_at, $2) WHERE key = $1 RETURNING 1)
		SELECT EXISTS (SELECT 1 FROM u)`, key, at.UTC()); err != nil {
		return fmt.Errorf("marking notification %s sent: %w", key, interpret(err))
	}
	if !found {
		return mallsync.Errorf(mallsync.ENOTFOUND, "no notification %q", key)
	}
	return nil
}

var (
	_ mallsync.NotificationQueue  = (*NotificationStore)(nil)
	_ mallsync.NotificationOutbox = (*NotificationStore)(nil)
)
