package cafe24

import (
	"context"
	"encoding/json"
	"sort"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

func kstTime(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, kst).UTC()
}

// checkTiling asserts that the windows the connector used (those it counted and did not split)
// cover [from, until] second by second exactly once, for dateType.
func checkTiling(t *testing.T, calls []apiCall, dateType string, from, until time.Time) {
	t.Helper()
	var used []window
	for _, c := range calls {
		if c.path == "/orders/count" && c.dateType == dateType && c.answered <= maxOffset {
			used = append(used, c.w)
		}
	}
	sort.Slice(used, func(i, j int) bool { return used[i].Start.Before(used[j].Start) })
	if len(used) == 0 {
		t.Fatalf("%s: no windows", dateType)
	}
	if !used[0].Start.Equal(from) {
		t.Errorf("%s: first window starts %v, want %v", dateType, used[0].Start, from)
	}
	for i := 1; i < len(used); i++ {
		if !used[i].Start.Equal(used[i-1].End.Add(time.Second)) {
			t.Errorf("%s: window %d starts %v, previous ends %v: a gap or an overlap", dateType, i, used[i].Start, used[i-1].End)
		}
	}
	if last := used[len(used)-1]; !last.End.Equal(until) {
		t.Errorf("%s: last window ends %v, want %v", dateType, last.End, until)
	}
}

func TestBackfillSplitsLargeWindows(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 1, 1, 0, 0, 0)
	now := kstTime(2025, 4, 1, 0, 0, 0) // exactly three months: one window before splitting
	s := newSetup(t, start, 10*time.Minute)
	const n = 40000
	span := now.Sub(start)
	orders := make([]*fakeOrder, n)
	for i := range orders {
		// dense in the middle month so that halving has to go deeper there
		at := start.Add(span / n * time.Duration(i)).Truncate(time.Second)
		if i%3 == 0 {
			at = kstTime(2025, 2, 10, 0, 0, 0).Add(time.Duration(i) * time.Second)
		}
		orders[i] = newTestOrder(i, at)
	}
	s.fake.addOrders(orders...)

	seen, last, fetches := s.run(t, "", now, 200)
	if len(seen) != n {
		t.Errorf("saw %d distinct orders, want %d", len(seen), n)
	}
	calls := s.fake.log()
	pages := 0
	for _, c := range calls {
		if c.path == "/orders" {
			pages++
			if c.offset > maxOffset {
				t.Errorf("asked for offset %d", c.offset)
			}
			if c.answered == 0 {
				t.Errorf("asked for an empty page at offset %d of %v", c.offset, c.w)
			}
		}
	}
	if pages < n/pageLimit || pages > n/pageLimit+20 {
		t.Errorf("%d page calls for %d orders", pages, n)
	}
	checkTiling(t, calls, "order_date", start, now)
	if !last.CaughtUp || fetches > pages+1 {
		t.Errorf("%d fetches for %d pages (caught up %v): a fetch came back without a page", fetches, pages, last.CaughtUp)
	}
	var c cursor
	if err := json.Unmarshal([]byte(last.Next), &c); err != nil {
		t.Fatal(err)
	}
	if c.Phase != phaseIncremental || c.Sweep != nil || !c.HWM["pay_date"].Equal(now) {
		t.Errorf("cursor after backfill = %s", last.Next)
	}
}

func TestBackfillClampsToThreeMonths(t *testing.T) {
	t.Parallel()
	start := kstTime(2024, 1, 31, 12, 0, 0)
	now := kstTime(2024, 12, 31, 0, 0, 0)
	s := newSetup(t, start, 0)
	for i := 0; i < 50; i++ {
		s.fake.addOrders(newTestOrder(i, start.Add(time.Duration(i)*6*24*time.Hour))) // the last on 2024-11-20
	}
	seen, _, _ := s.run(t, "", now, 100)
	if len(seen) != 50 {
		t.Errorf("saw %d orders, want 50", len(seen))
	}
	calls := s.fake.log()
	for _, c := range calls {
		if c.w.End.After(addMonthsKST(c.w.Start, windowMonths).Add(-time.Second)) {
			t.Errorf("window %v..%v is longer than three months", c.w.Start.In(kst), c.w.End.In(kst))
		}
	}
	checkTiling(t, calls, "order_date", start, now)
}

func TestResumeFromTheMiddleOfAWindow(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 3, 1, 0, 0, 0)
	now := kstTime(2025, 3, 20, 0, 0, 0)
	s := newSetup(t, start, 0)
	var os []*fakeOrder
	for i := 0; i < 4500; i++ {
		os = append(os, newTestOrder(i, start.Add(time.Duration(i)*time.Minute)))
	}
	s.fake.addOrders(os...)
	seen := map[string]int{}
	cur := ""
	for i := 0; i < 2; i++ {
		f, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, cur, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range f.Page.Orders {
			seen[o.PlatformOrderID]++
		}
		cur = f.Next
	}
	var c cursor
	if err := json.Unmarshal([]byte(cur), &c); err != nil || c.Sweep == nil || c.Sweep.Win == nil || c.Sweep.Win.Offset != 2000 {
		t.Fatalf("cursor after two pages = %s (%v)", cur, err)
	}
	// A new process (new connector) resumes from the stored cursor.
	s.conn = s.connector(t)
	rest, _, _ := s.run(t, cur, now, 20)
	for id, n := range rest {
		seen[id] += n
	}
	if len(seen) != 4500 {
		t.Errorf("saw %d orders, want 4500", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("order %s seen %d times", id, n)
		}
	}
	offsets := map[int]int{}
	for _, c := range s.fake.log() {
		if c.path == "/orders" {
			offsets[c.offset]++
		}
	}
	for off, n := range offsets {
		if n != 1 {
			t.Errorf("offset %d read %d times", off, n)
		}
	}
}

func TestIncrementalPassWithLookback(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 5, 1, 0, 0, 0)
	backfillNow := kstTime(2025, 5, 10, 0, 0, 0)
	lookback := 15 * time.Minute
	s := newSetup(t, start, lookback)
	var orders []*fakeOrder
	for i := 0; i < 100; i++ {
		orders = append(orders, newTestOrder(i, start.Add(time.Duration(i)*time.Hour)))
	}
	s.fake.addOrders(orders...)
	_, f, _ := s.run(t, "", backfillNow, 10)

	// Ten orders ship after the backfill began; one of them was recorded late, inside the lookback.
	s.fake.mu.Lock()
	for i, o := range orders[:10] {
		at := backfillNow.Add(time.Duration(i+1) * time.Minute)
		if i == 0 {
			at = backfillNow.Add(-5 * time.Minute)
		}
		o.dates["shipbegin_date"] = at
		o.status = "N30"
		o.json = testOrderJSON(o.id, o.dates["order_date"], o.dates, "N30")
	}
	s.fake.calls = nil
	s.fake.mu.Unlock()

	passNow := backfillNow.Add(time.Hour)
	seen, f2, _ := s.run(t, f.Next, passNow, 20)
	for _, o := range orders[:10] {
		if seen[o.id] == 0 {
			t.Errorf("shipped order %s not seen", o.id)
		}
	}
	calls := s.fake.log()
	for _, dt := range DateTypes {
		checkTiling(t, calls, dt, backfillNow.Add(-lookback), passNow)
	}
	var c cursor
	_ = json.Unmarshal([]byte(f2.Next), &c)
	for _, dt := range DateTypes {
		if !c.HWM[dt].Equal(passNow) {
			t.Errorf("hwm[%s] = %v, want %v", dt, c.HWM[dt], passNow)
		}
	}

	// The same now again: caught up without a call.
	f3, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, f2.Next, passNow)
	if err != nil || !f3.CaughtUp || f3.Calls != 0 || len(f3.Page.Orders) != 0 || f3.Next != f2.Next {
		t.Errorf("fetch at the same now: %+v, %v", f3, err)
	}

	// A later now starts the next pass from passNow - lookback.
	s.fake.mu.Lock()
	s.fake.calls = nil
	s.fake.mu.Unlock()
	later := passNow.Add(30 * time.Minute)
	_, _, _ = s.run(t, f2.Next, later, 20)
	for _, dt := range DateTypes {
		checkTiling(t, s.fake.log(), dt, passNow.Add(-lookback), later)
	}
}

func TestFaultsAreRetriedAndCounted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		faults []string
		calls  int // HTTP calls for count + one page
	}{
		{"clean", nil, 2},
		{"429 on count", []string{"429"}, 3},
		{"503 twice", []string{"503", "503"}, 4},
		{"truncated page", []string{"", "truncate"}, 3},
		{"duplicate in page", []string{"", "dup"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := kstTime(2025, 6, 1, 0, 0, 0)
			s := newSetup(t, start, 0)
			for i := 0; i < 5; i++ {
				s.fake.addOrders(newTestOrder(i, start.Add(time.Duration(i)*time.Hour)))
			}
			s.fake.fault(tt.faults...)
			f, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Page.Orders) != 5 || len(f.Page.Rejects) != 0 {
				t.Errorf("page has %d orders, %d rejects; want 5, 0", len(f.Page.Orders), len(f.Page.Rejects))
			}
			if f.Calls != tt.calls {
				t.Errorf("Calls = %d, want %d", f.Calls, tt.calls)
			}
		})
	}
}

func TestPersistentTruncationFails(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 6, 1, 0, 0, 0)
	s := newSetup(t, start, 0)
	s.fake.addOrders(newTestOrder(1, start))
	s.fake.fault("", "truncate", "truncate", "truncate", "truncate")
	_, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(time.Hour))
	if code := mallsync.ErrorCode(err); code != mallsync.EUNAVAILABLE {
		t.Errorf("err = %v (%s), want EUNAVAILABLE", err, code)
	}
}

func TestFetchRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := newSetup(t, kstTime(2025, 1, 1, 0, 0, 0), 0)
	for _, cur := range []string{"{", `{"v":2,"phase":"backfill"}`, `{"v":1,"phase":"sideways"}`, `{"v":1,"phase":"incremental","sweep":{"date_type":"whenever","pos":"2025-01-01T00:00:00Z","until":"2025-01-01T00:00:00Z"},"pass_now":"2025-01-01T00:00:00Z"}`} {
		if _, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, cur, time.Now()); mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Errorf("cursor %s: err %v, want EINVALID", cur, err)
		}
	}
	if _, err := s.conn.Fetch(context.Background(), "claims", "", time.Now()); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Errorf("unknown stream: err %v", err)
	}
}
