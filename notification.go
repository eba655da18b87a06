package mallsync

import (
	"context"
	"time"
)

// NotificationOutbox is the notifications outbox's reading side: a sender reads what is
// queued and marks what it delivered.
type NotificationOutbox interface {
	// PendingNotifications returns up to limit notifications not sent yet, oldest first.
	PendingNotifications(ctx context.Context, limit int) ([]Notification, error)
	// MarkNotificationSent records that the notification with key was delivered at at.
	// Marking a sent notification again keeps its first time.
	MarkNotificationSent(ctx context.Context, key string, at time.Time) error
}

// NotificationSender delivers one notification to its buyer (a log line, a text message, a
// KakaoTalk message). It must not log buyer personal data.
type NotificationSender interface {
	SendNotification(ctx context.Context, n Notification) error
}
