package cafe24sim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	const path = "/api/v2/admin/orders?start_date=2024-04-01&end_date=2024-04-20&limit=5&offset=10&embed=items"
	clean := setup(t, testOptions())
	want := clean.get(t, path, clean.token)
	var wantPage wirePage
	if err := json.Unmarshal(want.Body.Bytes(), &wantPage); err != nil {
		t.Fatal(err)
	}
	prev := clean.page(t, "/api/v2/admin/orders?start_date=2024-04-01&end_date=2024-04-20&limit=10")
	cases := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, w *http.Response, body []byte, took time.Duration)
	}{
		{"429", Faults{Rate429: 1}, func(t *testing.T, w *http.Response, body []byte, _ time.Duration) {
			if w.StatusCode != 429 || w.Header.Get("X-Api-Call-Limit") == "" {
				t.Fatalf("%d %q", w.StatusCode, w.Header.Get("X-Api-Call-Limit"))
			}
			mustEnvelope(t, body, 429)
		}},
		{"5xx", Faults{Rate5xx: 1}, func(t *testing.T, w *http.Response, body []byte, _ time.Duration) {
			if w.StatusCode != 500 && w.StatusCode != 503 && w.StatusCode != 504 {
				t.Fatalf("status %d", w.StatusCode)
			}
			mustEnvelope(t, body, w.StatusCode)
		}},
		{"slow", Faults{SlowRate: 1, SlowDelay: 60 * time.Millisecond}, func(t *testing.T, w *http.Response, body []byte, took time.Duration) {
			if w.StatusCode != 200 || took < 60*time.Millisecond || string(body) != want.Body.String() {
				t.Fatalf("%d after %v", w.StatusCode, took)
			}
		}},
		{"truncate", Faults{TruncateRate: 1}, func(t *testing.T, w *http.Response, body []byte, _ time.Duration) {
			if w.StatusCode != 200 || len(body) != want.Body.Len()/2 || w.Header.Get("Content-Length") != strconv.Itoa(len(body)) || json.Valid(body) {
				t.Fatalf("%d: %d bytes of %d, Content-Length %s", w.StatusCode, len(body), want.Body.Len(), w.Header.Get("Content-Length"))
			}
		}},
		{"duplicate", Faults{DuplicateRate: 1}, func(t *testing.T, w *http.Response, body []byte, _ time.Duration) {
			var p wirePage
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			if len(p.Orders) != 5 || p.Orders[0].OrderID != prev.Orders[9].OrderID || p.Orders[1].OrderID != wantPage.Orders[0].OrderID {
				t.Fatalf("duplicated page starts %s, previous page ended %s", p.Orders[0].OrderID, prev.Orders[9].OrderID)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			o := testOptions()
			o.NoLimits = false
			o.Faults = c.faults
			b := setup(t, o)
			r := mustReq(t, http.MethodGet, path)
			r.Header.Set("Authorization", "Bearer "+b.token)
			w := newRecorder()
			start := time.Now()
			b.h.ServeHTTP(w, r)
			took := time.Since(start)
			res := w.Result()
			c.check(t, res, w.Body.Bytes(), took)
			if b.srv.Calls() != 2 {
				t.Fatalf("Calls() = %d, want 2", b.srv.Calls())
			}
			// SetFaults switches them off at once.
			b.srv.SetFaults(Faults{})
			if w := b.get(t, path, b.token); w.Code != 200 || w.Body.String() != want.Body.String() {
				t.Fatalf("after SetFaults: %d", w.Code)
			}
		})
	}
}

func TestFaultRatesAndDeterminism(t *testing.T) {
	t.Parallel()
	run := func() []int {
		o := testOptions()
		o.Faults = Faults{Rate429: 0.1, Rate5xx: 0.1}
		b := setup(t, o)
		var codes []int
		for i := 0; i < 400; i++ {
			codes = append(codes, b.get(t, "/api/v2/admin/orders/count?start_date=2024-04-01&end_date=2024-04-02", b.token).Code)
		}
		return codes
	}
	a, b := run(), run()
	n := map[int]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("call %d: %d vs %d", i, a[i], b[i])
		}
		n[a[i]]++
	}
	if n[429] < 20 || n[429] > 65 || n[500]+n[503]+n[504] < 15 || n[200] < 280 {
		t.Fatalf("fault mix %v", n)
	}
}

func TestLateEvents(t *testing.T) {
	t.Parallel()
	const lateBy = 6 * time.Hour
	o := testOptions()
	o.Faults = Faults{LateRate: 0.3, LateBy: lateBy}
	late := setup(t, o)
	onTime := setup(t, testOptions())
	// Find a shipment that is late: visible without lateness, invisible with it.
	d := late.srv.d
	var shipped time.Time
	var orderID string
	for _, e := range d.index[evShipped] {
		ii := uint32(e)
		t0 := d.base + int64(e>>32)
		v := newView(d, t0+1, o.Faults)
		if d.orders[d.items[ii].order].n == 1 && v.orderShown(d.items[ii].order) && v.visibleAt(int32(e>>32), itemKey(ii, evShipped)) > int64(e>>32) {
			shipped = time.Unix(t0, 0)
			orderID = string(v.appendOrderID(nil, d.items[ii].order))
			break
		}
	}
	if orderID == "" {
		t.Fatal("no late shipment")
	}
	q := "/api/v2/admin/orders?date_type=shipbegin_date&embed=items&limit=1000&start_date=" + shipped.In(kst).Format("2006-01-02") + "&end_date=" + shipped.In(kst).Format("2006-01-02")
	for _, c := range []struct {
		b     *bundle
		at    time.Time
		shown bool
	}{
		{onTime, shipped, true},
		{late, shipped, false},
		{late, shipped.Add(lateBy - time.Second), false},
		{late, shipped.Add(lateBy), true},
	} {
		c.b.srv.Clock().Set(c.at)
		got := idsOf(c.b.collect(t, q))[orderID]
		if got != c.shown {
			t.Fatalf("late=%v at %v: shown %v, want %v", c.b == late, c.at, got, c.shown)
		}
	}
	// The date it carries is the original time.
	p := late.page(t, "/api/v2/admin/orders?embed=items&order_id="+orderID+"&start_date=2024-01-01&end_date=2024-03-31")
	if len(p.Orders) != 1 {
		t.Fatalf("order %s: %d", orderID, len(p.Orders))
	}
	ok := false
	for _, it := range p.Orders[0].Items {
		if it.ShippedDate != nil && *it.ShippedDate == shipped.In(kst).Format(time.RFC3339) {
			ok = true
		}
	}
	if !ok {
		t.Fatalf("shipped_date not %v: %+v", shipped, p.Orders[0].Items)
	}
}

func mustEnvelope(t *testing.T, body []byte, code int) {
	t.Helper()
	var env struct {
		Error *struct {
			Code     int            `json:"code"`
			Message  string         `json:"message"`
			MoreInfo map[string]any `json:"more_info"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Error == nil || env.Error.Code != code || env.Error.Message == "" {
		t.Fatalf("envelope %s: %v", body, err)
	}
}
