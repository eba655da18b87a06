package cafe24sim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mallsync/mallsync"
)

func TestOrdersValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	cases := []struct {
		name, query string
		status      int
		msg         string
	}{
		{"ok dates", "start_date=2024-01-01&end_date=2024-03-31", 200, ""},
		{"ok exactly 3 months", "start_date=2024-01-01T00:00:00%2B09:00&end_date=2024-04-01T00:00:00%2B09:00", 200, ""},
		{"window over 3 months", "start_date=2024-01-01&end_date=2024-04-01", 422, "3 months"},
		{"datetime over 3 months", "start_date=2024-01-01T00:00:00%2B09:00&end_date=2024-04-01T00:00:01%2B09:00", 422, "3 months"},
		{"offset 15000", "start_date=2024-04-01&end_date=2024-04-29&offset=15000", 200, ""},
		{"offset 15001", "start_date=2024-04-01&end_date=2024-04-29&offset=15001", 422, "offset must be ≤ 15000"},
		{"negative offset", "start_date=2024-04-01&end_date=2024-04-29&offset=-1", 422, "offset"},
		{"limit 1000", "start_date=2024-04-01&end_date=2024-04-29&limit=1000", 200, ""},
		{"limit 1001", "start_date=2024-04-01&end_date=2024-04-29&limit=1001", 422, "limit"},
		{"limit 0", "start_date=2024-04-01&end_date=2024-04-29&limit=0", 422, "limit"},
		{"limit text", "start_date=2024-04-01&end_date=2024-04-29&limit=ten", 422, "limit"},
		{"missing start", "end_date=2024-04-29", 422, "required"},
		{"end before start", "start_date=2024-04-02&end_date=2024-04-01", 422, "before"},
		{"bad date", "start_date=2024-13-01&end_date=2024-04-01", 422, "start_date"},
		{"unescaped plus", "start_date=2024-04-01T00:00:00+09:00&end_date=2024-04-02", 422, "%2B"},
		{"no offset", "start_date=2024-04-01T00:00:00&end_date=2024-04-02", 422, "start_date"},
		{"unknown date_type", "start_date=2024-04-01&end_date=2024-04-02&date_type=updated_date", 422, "date_type"},
		{"claim date_type", "start_date=2024-04-01&end_date=2024-04-02&date_type=return_request_date", 200, ""},
		{"unknown param", "start_date=2024-04-01&end_date=2024-04-02&since=1", 422, "since"},
		{"param twice", "start_date=2024-04-01&end_date=2024-04-02&limit=1&limit=2", 422, "more than once"},
		{"bad embed", "start_date=2024-04-01&end_date=2024-04-02&embed=items,memos", 422, "memos"},
		{"bad order_id", "start_date=2024-04-01&end_date=2024-04-02&order_id=123", 422, "order_id"},
		{"other shop", "start_date=2024-04-01&end_date=2024-04-02&shop_no=2", 422, "shop_no"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, path := range []string{"/api/v2/admin/orders?", "/api/v2/admin/orders/count?"} {
				w := b.get(t, path+c.query, b.token)
				if w.Code != c.status {
					t.Fatalf("%s: %d, want %d: %s", path, w.Code, c.status, w.Body.String())
				}
				if c.status == 200 {
					continue
				}
				var env struct {
					Error struct {
						Code    int    `json:"code"`
						Message string `json:"message"`
					} `json:"error"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || env.Error.Code != c.status || !strings.Contains(env.Error.Message, c.msg) {
					t.Fatalf("envelope %s: %v (want message with %q)", w.Body.String(), err, c.msg)
				}
			}
		})
	}
}

// collect follows next links from path and returns every order.
func (b *bundle) collect(t *testing.T, path string) []wireOrder {
	var all []wireOrder
	for path != "" {
		p := b.page(t, path)
		all = append(all, p.Orders...)
		path = p.next()
		if path != "" && !strings.HasPrefix(path, "/api/v2/admin/orders?") {
			t.Fatalf("next href %q", path)
		}
	}
	return all
}

func (b *bundle) count(t *testing.T, query string) int {
	w := b.get(t, "/api/v2/admin/orders/count?"+query, b.token)
	var c struct {
		Count *int `json:"count"`
	}
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &c) != nil || c.Count == nil {
		t.Fatalf("count %s: %d %s", query, w.Code, w.Body.String())
	}
	return *c.Count
}

func TestPagingMatchesCount(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	for _, dt := range []string{"order_date", "pay_date", "place_date", "shipbegin_date", "shipend_date", "purchaseconfirmation_date", "cancel_request_date", "cancel_date"} {
		t.Run(dt, func(t *testing.T) {
			q := "start_date=2024-02-01&end_date=2024-04-15&date_type=" + dt
			orders := b.collect(t, "/api/v2/admin/orders?limit=97&embed=items&"+q)
			n := b.count(t, q)
			if n != len(orders) || n == 0 {
				t.Fatalf("count %d, paged %d", n, len(orders))
			}
			seen := map[string]bool{}
			for _, o := range orders {
				if seen[o.OrderID] {
					t.Fatalf("order %s twice", o.OrderID)
				}
				seen[o.OrderID] = true
			}
			if dt == "order_date" {
				for i := 1; i < len(orders); i++ {
					if orders[i].OrderDate < orders[i-1].OrderDate || (orders[i].OrderDate == orders[i-1].OrderDate && orders[i].OrderID < orders[i-1].OrderID) {
						t.Fatalf("not sorted at %d: %s %s", i, orders[i-1].OrderID, orders[i].OrderID)
					}
				}
			}
		})
	}
}

func TestOffsetCapEndsLinks(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Orders = 17000
	o.Start, o.End = testStart, testStart.AddDate(0, 0, 30)
	b := setup(t, o)
	const q = "/api/v2/admin/orders?start_date=2024-01-01&end_date=2024-01-31&limit=1000"
	if got := b.page(t, q+"&offset=14000").next(); !strings.Contains(got, "offset=15000") {
		t.Fatalf("next at 14000 = %q", got)
	}
	p := b.page(t, q+"&offset=15000")
	if len(p.Orders) != 1000 || p.next() != "" {
		t.Fatalf("at 15000: %d rows, next %q", len(p.Orders), p.next())
	}
	if n := b.count(t, "start_date=2024-01-01&end_date=2024-01-31"); n != 17000 {
		t.Fatalf("count %d", n)
	}
	last := b.page(t, "/api/v2/admin/orders?start_date=2024-01-30&end_date=2024-01-30&limit=1000")
	if len(last.Orders) == 0 || last.next() != "" || len(last.Links) != 0 {
		t.Fatalf("last page: %d rows, links %v", len(last.Orders), last.Links)
	}
}

func TestOrderIDFilter(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	p := b.page(t, "/api/v2/admin/orders?start_date=2024-03-01&end_date=2024-03-31&limit=5")
	ids := []string{p.Orders[1].OrderID, p.Orders[3].OrderID, "20240301-9999999"}
	got := b.page(t, "/api/v2/admin/orders?start_date=2024-03-01&end_date=2024-03-31&order_id="+strings.Join(ids, ","))
	if len(got.Orders) != 2 || got.Orders[0].OrderID != ids[0] || got.Orders[1].OrderID != ids[1] {
		t.Fatalf("order_id filter: %+v", got.Orders)
	}
}

// findItem returns an item with the given event visible, from the page, and its order.
func findShipped(t *testing.T, b *bundle) (wireOrder, wireItem, time.Time) {
	p := b.page(t, "/api/v2/admin/orders?start_date=2024-03-01&end_date=2024-03-10&embed=items&limit=200")
	for _, o := range p.Orders {
		for _, it := range o.Items {
			if it.ShippedDate != nil && len(o.Items) == 1 {
				ts, err := time.Parse(time.RFC3339, *it.ShippedDate)
				if err != nil {
					t.Fatal(err)
				}
				return o, it, ts
			}
		}
	}
	t.Fatal("no shipped single-item order")
	return wireOrder{}, wireItem{}, time.Time{}
}

func idsOf(os []wireOrder) map[string]bool {
	m := map[string]bool{}
	for _, o := range os {
		m[o.OrderID] = true
	}
	return m
}

func TestDateTypeWindows(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	o, _, shipped := findShipped(t, b)
	win := func(from, to time.Time) string {
		return "/api/v2/admin/orders?date_type=shipbegin_date&limit=1000&embed=items&start_date=" + url.QueryEscape(from.In(kst).Format(time.RFC3339)) + "&end_date=" + url.QueryEscape(to.In(kst).Format(time.RFC3339))
	}
	cases := []struct {
		name     string
		from, to time.Time
		clock    time.Time
		want     bool
	}{
		{"exact second", shipped, shipped, testEnd, true},
		{"window around", shipped.Add(-time.Hour), shipped.Add(time.Hour), testEnd, true},
		{"window before", shipped.Add(-time.Hour), shipped.Add(-time.Second), testEnd, false},
		{"window after", shipped.Add(time.Second), shipped.Add(time.Hour), testEnd, false},
		{"clock before event", shipped.Add(-time.Hour), shipped.Add(time.Hour), shipped.Add(-time.Second), false},
		{"clock at event", shipped.Add(-time.Hour), shipped.Add(time.Hour), shipped, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o2 := testOptions()
			o2.Clock = NewClock(c.clock)
			bb := setup(t, o2)
			got := bb.collect(t, win(c.from, c.to))
			if idsOf(got)[o.OrderID] != c.want {
				t.Fatalf("order %s shipped %v in %v..%v at %v: present=%v", o.OrderID, shipped, c.from, c.to, c.clock, !c.want)
			}
			for _, g := range got {
				found := false
				for _, it := range g.Items {
					if it.ShippedDate != nil {
						ts, _ := time.Parse(time.RFC3339, *it.ShippedDate)
						found = found || (!ts.Before(c.from) && !ts.After(c.to) && !ts.After(c.clock))
					}
				}
				if !found {
					t.Fatalf("order %s listed without a shipment in the window", g.OrderID)
				}
			}
		})
	}
	// Before its shipment the item is not N30 and carries no shipping fields.
	o3 := testOptions()
	o3.Clock = NewClock(shipped.Add(-time.Second))
	bb := setup(t, o3)
	p := bb.page(t, "/api/v2/admin/orders?embed=items&order_id="+o.OrderID+"&start_date=2024-03-01&end_date=2024-03-10")
	it := p.Orders[0].Items[0]
	if it.OrderStatus == "N30" || it.ShippedDate != nil || it.TrackingNo != nil || it.ShippingCode != nil {
		t.Fatalf("before shipping: %+v", it)
	}
}

func TestClockMovesOrdersOn(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Clock = NewClock(testStart.AddDate(0, 0, 10))
	b := setup(t, o)
	t1 := b.srv.Truth()
	if t1.Orders == 0 || t1.Orders >= o.Orders {
		t.Fatalf("orders at day 10: %d", t1.Orders)
	}
	w := b.get(t, "/debug/clock?advance=240h", "")
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /debug/clock: %d", w.Code)
	}
	r, _ := http.NewRequest(http.MethodPost, "/debug/clock?advance=240h", nil)
	rec := newRecorder()
	b.h.ServeHTTP(rec, r)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "2024-01-21T00:00:00+09:00") {
		t.Fatalf("advance: %d %s", rec.Code, rec.Body.String())
	}
	t2 := b.srv.Truth()
	if t2.Orders <= t1.Orders || t2.ByStatus()["N50"] <= t1.ByStatus()["N50"] {
		t.Fatalf("nothing moved: %v → %v", t1.ByStatus(), t2.ByStatus())
	}
	// Every line of day 10 has the same or a later status on day 20.
	// A cancellation request (C00) may be withdrawn, the item going on from N10/N20: it is
	// checked in TestClaimLifecycle, not here.
	rank := map[string]int{"N00": 0, "N10": 1, "N20": 2, "N30": 3, "N40": 4, "N50": 5, "C40": 7}
	later := map[string]string{}
	for _, l := range t2.Lines {
		later[l.ItemCode] = l.Status
	}
	moved := 0
	for _, l := range t1.Lines {
		if _, ok := rank[l.Status]; !ok {
			continue // a return or exchange: a withdrawal sends it back to N40 (TestClaimLifecycle)
		}
		if r, ok := rank[later[l.ItemCode]]; ok && r < rank[l.Status] {
			t.Fatalf("%s went back from %s to %s", l.ItemCode, l.Status, later[l.ItemCode])
		}
		if later[l.ItemCode] != l.Status {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("no line moved")
	}
	// The debug summary agrees with Truth.
	rec = newRecorder()
	b.h.ServeHTTP(rec, mustReq(t, http.MethodGet, "/debug/truth?lines=1"))
	var dbg struct {
		Orders   int            `json:"orders"`
		Lines    int            `json:"lines"`
		ByStatus map[string]int `json:"by_status"`
		List     []struct {
			OrderItemCode string `json:"order_item_code"`
			OrderStatus   string `json:"order_status"`
		} `json:"list"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &dbg); err != nil {
		t.Fatal(err)
	}
	if dbg.Orders != t2.Orders || dbg.Lines != len(t2.Lines) || len(dbg.List) != len(t2.Lines) {
		t.Fatalf("debug truth %d/%d/%d vs %d/%d", dbg.Orders, dbg.Lines, len(dbg.List), t2.Orders, len(t2.Lines))
	}
	for st, n := range t2.ByStatus() {
		if dbg.ByStatus[st] != n {
			t.Fatalf("by_status %v vs %v", dbg.ByStatus, t2.ByStatus())
		}
	}
}

func TestPageJSON(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	orders := b.collect(t, "/api/v2/admin/orders?start_date=2024-02-01&end_date=2024-04-30&embed=items,receivers,buyer&limit=1000")
	truth := map[string]TruthLine{}
	for _, l := range b.srv.Truth().Lines {
		truth[l.ItemCode] = l
	}
	orderRe := regexp.MustCompile(`^\d{8}-\d{7}$`)
	zipRe := regexp.MustCompile(`^\d{5}$`)
	cellRe := regexp.MustCompile(`^010-\d{4}-\d{4}$`)
	won := func(s string) int64 {
		if !strings.HasSuffix(s, ".00") {
			t.Fatalf("amount %q", s)
		}
		m, err := mallsync.ParseWon(s)
		if err != nil {
			t.Fatal(err)
		}
		return int64(m)
	}
	date := func(s string) time.Time {
		ts, err := time.Parse(time.RFC3339, s)
		if err != nil || !strings.HasSuffix(s, "+09:00") {
			t.Fatalf("date %q: %v", s, err)
		}
		return ts
	}
	statuses := map[string]int{}
	for _, o := range orders {
		if !orderRe.MatchString(o.OrderID) || o.OrderID[:8] != date(o.OrderDate).Format("20060102") || o.ShopNo != 1 || o.MarketID != "cafe24" {
			t.Fatalf("order header %+v", o)
		}
		if (o.Paid == "T") != (o.PaymentDate != nil) || !strings.Contains("FMT", o.ShippingStatus) {
			t.Fatalf("paid %q date %v status %q", o.Paid, o.PaymentDate, o.ShippingStatus)
		}
		var sum int64
		for i, it := range o.Items {
			sum += won(it.PaymentAmount)
			if it.ItemNo != i+1 || it.OrderItemCode != o.OrderID+"-0"+strconv.Itoa(i+1) {
				t.Fatalf("item numbering %+v", it)
			}
			if len(it.VariantCode) != 12 || it.VariantCode[:8] != it.ProductCode || !strings.HasPrefix(it.ProductCode, "P") || !utf8.ValidString(it.ProductName) || it.ProductName == "" {
				t.Fatalf("product fields %+v", it)
			}
			if won(it.ProductPrice)%100 != 0 || !strings.HasPrefix(it.SupplierID, "S000000") || !strings.Contains("DP", it.SupplierTransactionType) {
				t.Fatalf("price/supplier %+v", it)
			}
			if (it.ShippedDate != nil) != (it.TrackingNo != nil) || (it.ShippedDate != nil && (it.ShippingCode == nil || *it.ShippingCode != "D-"+o.OrderID+(*it.ShippingCode)[18:])) {
				t.Fatalf("shipping fields %+v", it)
			}
			if strings.HasPrefix(it.OrderStatus, "C") {
				if it.ClaimCode == nil || !regexp.MustCompile(`^C\d{8}-\d{7}$`).MatchString(*it.ClaimCode) || it.OrderStatusBeforeCS == nil || *it.ClaimType != "C" {
					t.Fatalf("claim fields %+v", it)
				}
			}
			for _, d := range []*string{it.ShippedDate, it.DeliveredDate, it.CancelDate, it.PurchaseconfirmationDate} {
				if d != nil && date(*d).Before(date(o.OrderDate)) {
					t.Fatalf("event before the order: %+v", it)
				}
			}
			tl := truth[it.OrderItemCode]
			if tl.Status != it.OrderStatus || tl.Quantity != it.Quantity || tl.PaymentAmount != won(it.PaymentAmount) {
				t.Fatalf("item %s: wire %s/%d/%s, truth %+v", it.OrderItemCode, it.OrderStatus, it.Quantity, it.PaymentAmount, tl)
			}
			statuses[it.OrderStatus]++
		}
		a := o.ActualOrderAmount
		if won(o.PaymentAmount) != sum+won(a.ShippingFee) || won(a.PaymentAmount) != won(o.PaymentAmount) ||
			won(a.OrderPriceAmount)-won(a.CouponDiscountPrice)+won(a.ShippingFee) != won(o.PaymentAmount) {
			t.Fatalf("amounts of %s: %+v, items %d", o.OrderID, a, sum)
		}
		if o.Buyer == nil || o.Buyer.Name == "" || !cellRe.MatchString(o.Buyer.Cellphone) || !strings.Contains(o.Buyer.Email, "@") {
			t.Fatalf("buyer %+v", o.Buyer)
		}
		if len(o.Receivers) != 1 || !zipRe.MatchString(o.Receivers[0].Zipcode) || o.Receivers[0].AddressFull != o.Receivers[0].Address1+" "+o.Receivers[0].Address2 {
			t.Fatalf("receivers %+v", o.Receivers)
		}
	}
	if len(statuses) < 7 {
		t.Fatalf("few statuses on the wire: %v", statuses)
	}
	// Without embed there are no items, receivers or buyer.
	w := b.get(t, "/api/v2/admin/orders?start_date=2024-02-01&end_date=2024-02-02&limit=3", b.token)
	var raw struct {
		Orders []map[string]json.RawMessage `json:"orders"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil || len(raw.Orders) != 3 {
		t.Fatalf("plain page: %v", err)
	}
	for _, k := range []string{"items", "receivers", "buyer"} {
		if _, ok := raw.Orders[0][k]; ok {
			t.Fatalf("%s present without embed", k)
		}
	}
}
