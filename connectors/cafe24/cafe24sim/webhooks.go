package cafe24sim

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Outgoing webhooks. SetWebhook points the mall's webhooks at a URL with the app's key;
// DeliverWebhooks then POSTs, for every order event whose time falls between the last
// delivery and the clock, Cafe24's envelope with X-API-Key: 90023 placed, 90025 paid, 90024
// shipping status (placed with the supplier, shipped, delivered), 90026 cancellation,
// 90027 return, 90028 exchange (every step, rejection and withdrawal of the claim), 90029
// refund. Events of one kind go out in bulk, up to 100
// order ids comma-joined in order_id, the way Cafe24 sends bulk events. A webhook fires at
// the event's time even when the event shows in the lists only later (Faults.LateRate): it
// is a hint that may come early, never a record.

// maxWebhookIDs is how many order ids one bulk webhook carries.
const maxWebhookIDs = 100

// webhookEvents maps each event kind to its event_no.
var webhookEvents = [numKinds]int{
	evOrdered: 90023, evPaid: 90025, evPlaced: 90024, evShipped: 90024, evDelivered: 90024,
	evCancelReq: 90026, evCanceled: 90026,
	evReturnReq: 90027, evReturnAcc: 90027, evHeld: 90027, evPickedUp: 90027, evReturned: 90027,
	evExchangeReq: 90028, evExchangeAcc: 90028, evExchanged: 90028,
}

// webhooks is where and how the simulated mall sends its webhooks.
type webhooks struct {
	mu       sync.Mutex
	url, key string
	last     int64 // seconds after base up to which events were delivered
	sent     int64
	failed   int64
	client   *http.Client
}

// SetWebhook makes the mall send its webhooks to url with X-API-Key key, for the events after
// the clock's current time.
func (s *Server) SetWebhook(url, key string) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.url, s.hooks.key = url, key
	s.hooks.last = s.clock.Now().Unix() - s.d.base
	if s.hooks.client == nil {
		s.hooks.client = &http.Client{Timeout: 10 * time.Second}
	}
}

// WebhookStats returns how many webhooks were delivered (2xx) and how many failed.
func (s *Server) WebhookStats() (sent, failed int64) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return s.hooks.sent, s.hooks.failed
}

// pendingHooks lists, per event_no, the order ids with an event in (from, to].
func (d *dataset) pendingHooks(from, to int64) map[int][]string {
	seen := map[int]map[uint32]bool{}
	var order []struct {
		no int
		oi uint32
		t  int64
	}
	add := func(no int, oi uint32, t int64) {
		if seen[no] == nil {
			seen[no] = map[uint32]bool{}
		}
		if !seen[no][oi] {
			seen[no][oi] = true
			order = append(order, struct {
				no int
				oi uint32
				t  int64
			}{no, oi, t})
		}
	}
	os := d.orders
	for i := sort.Search(len(os), func(i int) bool { return int64(os[i].at) > from }); i < len(os) && int64(os[i].at) <= to; i++ {
		add(webhookEvents[evOrdered], uint32(i), int64(os[i].at))
	}
	claimEvents := [...]int{claimCancel: 90026, claimReturn: 90027, claimExchange: 90028}
	for k := evPaid; k < numKinds; k++ {
		idx := d.index[k]
		for i := sort.Search(len(idx), func(i int) bool { return int64(idx[i]>>32) > from }); i < len(idx) && int64(idx[i]>>32) <= to; i++ {
			oi, no := uint32(idx[i]), webhookEvents[k]
			if k != evPaid {
				it := &d.items[oi]
				oi = it.order
				if k == evRejected || k == evUndone { // a claim's rejection or withdrawal: its kind's event
					no = claimEvents[it.claim]
				}
			}
			if no != 0 {
				add(no, oi, int64(idx[i]>>32))
			}
		}
	}
	for i := range d.refunds {
		if r := &d.refunds[i]; int64(r.acc) > from && int64(r.acc) <= to {
			add(90029, d.items[r.item].order, int64(r.acc))
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return order[a].t < order[b].t })
	out := map[int][]string{}
	v := view{d: d}
	for _, e := range order {
		out[e.no] = append(out[e.no], string(v.appendOrderID(nil, e.oi)))
	}
	return out
}

// DeliverWebhooks sends the webhooks of the events since the last delivery up to the clock,
// and returns how many POSTs were answered 2xx. A POST that fails is retried twice; its
// events are not sent again afterwards (Cafe24 gives up too), and it counts as failed.
func (s *Server) DeliverWebhooks(ctx context.Context) (int, error) {
	s.hooks.mu.Lock()
	url, key, from, client := s.hooks.url, s.hooks.key, s.hooks.last, s.hooks.client
	to := s.clock.Now().Unix() - s.d.base
	if url == "" || to <= from {
		s.hooks.mu.Unlock()
		return 0, nil
	}
	s.hooks.last = to
	s.hooks.mu.Unlock()

	s.mu.RLock()
	pending := s.d.pendingHooks(from, to)
	s.mu.RUnlock()
	nos := make([]int, 0, len(pending))
	for no := range pending {
		nos = append(nos, no)
	}
	sort.Ints(nos)
	sent, failed := 0, 0
	var firstErr error
	for _, no := range nos {
		ids := pending[no]
		for len(ids) > 0 {
			n := min(len(ids), maxWebhookIDs)
			body := fmt.Sprintf(`{"event_no":%d,"resource":{"mall_id":%q,"event_shop_no":"1","order_id":%q}}`,
				no, s.opts.MallID, strings.Join(ids[:n], ","))
			ids = ids[n:]
			if err := postHook(ctx, client, url, key, body); err != nil {
				failed++
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			sent++
		}
	}
	s.hooks.mu.Lock()
	s.hooks.sent += int64(sent)
	s.hooks.failed += int64(failed)
	s.hooks.mu.Unlock()
	if firstErr != nil {
		return sent, fmt.Errorf("%d webhooks not delivered: %w", failed, firstErr)
	}
	return sent, nil
}

// postHook POSTs one webhook, trying three times.
func postHook(ctx context.Context, client *http.Client, url, key, body string) error {
	var last error
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewBufferString(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", key)
		resp, err := client.Do(req)
		if err != nil {
			last = err
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return nil
		}
		last = fmt.Errorf("webhook answered %d", resp.StatusCode)
		if resp.StatusCode/100 == 4 {
			return last // refused: sending it again will not help
		}
	}
	return last
}
