package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

func TestNotificationsQueueOnceAndAreMarkedSent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := postgres.NewNotificationStore(b.db, b.malls)
	ctx := context.Background()
	n := func(key string, queued time.Time) mallsync.Notification {
		return mallsync.Notification{Key: key, Mall: b.mall, PlatformOrderID: "O-1", ClaimID: "C-1",
			Kind: "sla_pickup", Body: "반품 회수가 지연되고 있습니다.", QueuedAt: queued}
	}
	for _, tt := range []struct {
		n       mallsync.Notification
		wantNew bool
	}{
		{n("return/shop-a/C-1/sla/pickup", t0.Add(time.Hour)), true},
		{n("return/shop-a/C-1/sla/pickup", t0.Add(2*time.Hour)), false}, // a repeat
		{n("return/shop-a/C-2/sla/pickup", t0), true},
		{n("return/shop-a/C-3/sla/refund", time.Time{}), true}, // queued now
	} {
		added, err := q.QueueNotification(ctx, tt.n)
		if err != nil || added != tt.wantNew {
			t.Fatalf("queue %s: new=%v, %v; want new=%v", tt.n.Key, added, err, tt.wantNew)
		}
	}
	pending, err := q.PendingNotifications(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(pending))
	for i, p := range pending {
		keys[i] = p.Key
	}
	want := []string{"return/shop-a/C-2/sla/pickup", "return/shop-a/C-1/sla/pickup", "return/shop-a/C-3/sla/refund"}
	if len(keys) != 3 || keys[0] != want[0] || keys[1] != want[1] || keys[2] != want[2] {
		t.Fatalf("pending %v, want %v (oldest first)", keys, want)
	}
	if p := pending[1]; p.Mall != b.mall || p.ClaimID != "C-1" || p.PlatformOrderID != "O-1" || p.Kind != "sla_pickup" ||
		p.Body != "반품 회수가 지연되고 있습니다." || !p.QueuedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("pending notification: %+v", p)
	}
	if first, err := q.PendingNotifications(ctx, 1); err != nil || len(first) != 1 || first[0].Key != want[0] {
		t.Fatalf("pending with limit 1: %+v, %v", first, err)
	}

	sentAt := t0.Add(3 * time.Hour)
	if err := q.MarkNotificationSent(ctx, want[0], sentAt); err != nil {
		t.Fatal(err)
	}
	if err := q.MarkNotificationSent(ctx, want[0], sentAt.Add(time.Hour)); err != nil {
		t.Fatalf("marking again: %v", err)
	}
	var stored time.Time
	if err := b.db.Get(&stored, `SELECT sent_at FROM notifications WHERE key = $1`, want[0]); err != nil || !stored.Equal(sentAt) {
		t.Fatalf("sent_at %v (%v), want the first time %v", stored, err, sentAt)
	}
	if pending, _ := q.PendingNotifications(ctx, 0); len(pending) != 2 || pending[0].Key != want[1] {
		t.Fatalf("pending after one was sent: %+v", pending)
	}
	if err := q.MarkNotificationSent(ctx, "no-such-key", sentAt); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("marking an unknown key: %v, want ENOTFOUND", err)
	}
}

func TestQueueNotificationRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := postgres.NewNotificationStore(b.db, b.malls)
	tests := []struct {
		name string
		n    mallsync.Notification
		want string
	}{
		{"no key", mallsync.Notification{Mall: b.mall, Kind: "sla_pickup"}, mallsync.EINVALID},
		{"no kind", mallsync.Notification{Key: "k", Mall: b.mall}, mallsync.EINVALID},
		{"unknown mall", mallsync.Notification{Key: "k", Mall: "no-such-mall", Kind: "sla_pickup"}, mallsync.ENOTFOUND},
	}
	for _, tt := range tests {
		if _, err := q.QueueNotification(context.Background(), tt.n); mallsync.ErrorCode(err) != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	if _, err := q.PendingNotifications(context.Background(), -1); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Errorf("negative limit: %v, want EINVALID", err)
	}
}
