package cafe24sim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

type receivedHook struct {
	key  string
	no   int
	mall string
	ids  []string
}

func TestWebhooksDelivered(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []receivedHook
	refuse := false
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env struct {
			EventNo  int `json:"event_no"`
			Resource struct {
				MallID  string `json:"mall_id"`
				OrderID string `json:"order_id"`
			} `json:"resource"`
		}
		if err := json.Unmarshal(body, &env); err != nil || r.Method != http.MethodPost {
			t.Errorf("bad webhook %s %s", r.Method, body)
		}
		mu.Lock()
		defer mu.Unlock()
		if refuse {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		got = append(got, receivedHook{r.Header.Get("X-API-Key"), env.EventNo, env.Resource.MallID, strings.Split(env.Resource.OrderID, ",")})
	}))
	defer rcv.Close()

	opts := testOptions()
	opts.Clock = NewClock(testStart.AddDate(0, 0, 30))
	s := New(opts)
	s.SetWebhook(rcv.URL, "hook-key")
	ctx := context.Background()
	if n, err := s.DeliverWebhooks(ctx); n != 0 || err != nil {
		t.Fatalf("nothing happened yet: %d %v", n, err)
	}
	s.Clock().Advance(3 * 24 * time.Hour)
	n, err := s.DeliverWebhooks(ctx)
	if err != nil || n == 0 {
		t.Fatalf("after 3 days: %d webhooks, %v", n, err)
	}
	// Every order placed in the three days is named by exactly one 90023; nothing else leaks.
	placed := map[string]int{}
	kinds := map[int]bool{}
	for _, h := range got {
		if h.key != "hook-key" || h.mall != opts.withDefaults().MallID || len(h.ids) == 0 || len(h.ids) > maxWebhookIDs {
			t.Fatalf("webhook %+v", h)
		}
		kinds[h.no] = true
		if h.no == 90023 {
			for _, id := range h.ids {
				placed[id]++
			}
		}
	}
	v := s.view()
	from, to := testStart.AddDate(0, 0, 30).Unix()-s.d.base, v.now
	want := 0
	for i := range s.d.orders {
		if at := int64(s.d.orders[i].at); at > from && at <= to {
			want++
			if id := string(v.appendOrderID(nil, uint32(i))); placed[id] != 1 {
				t.Fatalf("order %s placed in the window got %d webhooks", id, placed[id])
			}
		}
	}
	if len(placed) != want {
		t.Fatalf("%d orders named by 90023, %d placed", len(placed), want)
	}
	for _, no := range []int{90023, 90024, 90025, 90026, 90029} {
		if !kinds[no] {
			t.Errorf("no webhook %d in three days", no)
		}
	}
	// Delivered events are not sent again; a refusing receiver counts as failed.
	before := len(got)
	if n, _ := s.DeliverWebhooks(ctx); n != 0 || len(got) != before {
		t.Fatalf("a second delivery at the same clock sent %d", n)
	}
	mu.Lock()
	refuse = true
	mu.Unlock()
	s.Clock().Advance(time.Hour)
	if _, err := s.DeliverWebhooks(ctx); err == nil {
		t.Fatal("a receiver answering 403 gave no error")
	}
	if sent, failed := s.WebhookStats(); sent != int64(n) || failed == 0 {
		t.Fatalf("stats sent %d failed %d", sent, failed)
	}
}
