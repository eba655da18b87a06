package notify_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/notify"
)

// outbox is an in-memory mallsync.NotificationOutbox.
type outbox struct {
	queued  []mallsync.Notification
	sent    map[string]time.Time
	markErr map[string]error
}

func (o *outbox) PendingNotifications(_ context.Context, limit int) ([]mallsync.Notification, error) {
	var out []mallsync.Notification
	for _, n := range o.queued {
		if _, ok := o.sent[n.Key]; !ok && (limit == 0 || len(out) < limit) {
			out = append(out, n)
		}
	}
	return out, nil
}

func (o *outbox) MarkNotificationSent(_ context.Context, key string, at time.Time) error {
	if err := o.markErr[key]; err != nil {
		return err
	}
	o.sent[key] = at
	return nil
}

// sender records what it sent and refuses the keys in refuse.
type sender struct {
	got    []string
	refuse map[string]bool
}

func (s *sender) SendNotification(_ context.Context, n mallsync.Notification) error {
	if s.refuse[n.Key] {
		return errors.New("carrier said no")
	}
	s.got = append(s.got, n.Key)
	return nil
}

func TestDeliverPending(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	ob := &outbox{sent: map[string]time.Time{}, markErr: map[string]error{"c": errors.New("db down")}}
	for _, k := range []string{"a", "b", "c", "d"} {
		ob.queued = append(ob.queued, mallsync.Notification{Key: k, Mall: "shop-a", Kind: "sla_pickup"})
	}
	s := &sender{refuse: map[string]bool{"b": true}}
	d := &notify.Deliverer{Outbox: ob, Sender: s, NowFunc: func() time.Time { return now }}

	n, err := d.DeliverPending(context.Background())
	if n != 2 || err == nil {
		t.Fatalf("first round: sent %d, err %v; want 2 and the refusal and marking failure", n, err)
	}
	if !slices.Equal(s.got, []string{"a", "c", "d"}) {
		t.Fatalf("sent %v, want a, c, d (b refused)", s.got)
	}
	if len(ob.sent) != 2 || !ob.sent["a"].Equal(now) || !ob.sent["d"].Equal(now) {
		t.Fatalf("marked %v, want a and d at %v", ob.sent, now)
	}

	// The next round retries what was not marked.
	s.refuse, ob.markErr = nil, nil
	if n, err := d.DeliverPending(context.Background()); n != 2 || err != nil {
		t.Fatalf("second round: sent %d, %v; want b and c", n, err)
	}
	if n, err := d.DeliverPending(context.Background()); n != 0 || err != nil {
		t.Fatalf("third round: sent %d, %v; want nothing", n, err)
	}
}
