// Package lognotify is a notification sender that writes each buyer notification as one
// structured log line instead of sending it: the adapter for development and for malls whose
// buyers are told through the mall's own channels.
//
// A notification's body holds no buyer personal data by contract (mallsync.Notification), so
// it may be logged. As a second guard the body is logged with anything that looks like a
// phone number or an email address replaced by [redacted]; names and addresses cannot be
// recognized, which is why the contract matters.
package lognotify

import (
	"context"
	"log/slog"
	"regexp"

	"github.com/mallsync/mallsync"
)

// Sender logs notifications at Info level.
type Sender struct {
	// Logger gets the lines; nil means slog.Default.
	Logger *slog.Logger
}

// SendNotification logs n: its key, mall, order, claim, kind and redacted body.
func (s *Sender) SendNotification(ctx context.Context, n mallsync.Notification) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	l.InfoContext(ctx, "buyer notification",
		"key", n.Key, "mall", string(n.Mall), "order", n.PlatformOrderID, "claim", n.ClaimID,
		"kind", n.Kind, "body", Redact(n.Body))
	return nil
}

var (
	// Korean mobile and landline numbers: 010-1234-5678, 01012345678, 02 123 4567, +82 10-1234-5678.
	phoneRe = regexp.MustCompile(`(?:\+82[- ]?|\b0)\d{1,2}[- .)]?\d{3,4}[- .]?\d{4}\b`)
	emailRe = regexp.MustCompile(`[^\s@<>()"']+@[^\s@<>()"']+\.[A-Za-z]{2,}`)
)

// Redact returns s with phone numbers and email addresses replaced by [redacted].
func Redact(s string) string {
	s = emailRe.ReplaceAllString(s, "[redacted]")
	return phoneRe.ReplaceAllString(s, "[redacted]")
}

var _ mallsync.NotificationSender = (*Sender)(nil)
