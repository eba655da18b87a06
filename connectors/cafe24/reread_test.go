package cafe24

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

// fixedOpenClaims lists the same order ids every time and counts the calls.
type fixedOpenClaims struct {
	ids   []string
	calls int
}

func (f *fixedOpenClaims) OpenClaimOrders(_ context.Context, _ mallsync.MallKey, limit int) ([]string, error) {
	f.calls++
	return f.ids[:min(limit, len(f.ids))], nil
}

func TestRereadBatches(t *testing.T) {
	t.Parallel()
	var ids []string
	for i := 0; i < 250; i++ { // 250 orders on 2025-05-01
		ids = append(ids, fmt.Sprintf("20250501-%07d", i+1))
	}
	ids = append(ids, "20250610-0000001", "20250815-0000001", "20250816-0000002")
	tests := []struct {
		pos       int
		wantN     int
		wantStart time.Time
		wantEnd   time.Time
	}{
		{0, 100, kstTime(2025, 5, 1, 0, 0, 0), kstTime(2025, 5, 1, 23, 59, 59)},
		{200, 51, kstTime(2025, 5, 1, 0, 0, 0), kstTime(2025, 6, 10, 23, 59, 59)}, // 2025-08-15 is past 3 months of May 1
		{251, 2, kstTime(2025, 8, 15, 0, 0, 0), kstTime(2025, 8, 16, 23, 59, 59)},
	}
	for _, tc := range tests {
		got, w := rereadBatchAt(ids, tc.pos)
		if len(got) != tc.wantN || !w.Start.Equal(tc.wantStart) || !w.End.Equal(tc.wantEnd) {
			t.Errorf("batch at %d: %d ids in %v..%v, want %d in %v..%v", tc.pos, len(got), w.Start, w.End, tc.wantN, tc.wantStart, tc.wantEnd)
		}
		if w.End.After(addMonthsKST(w.Start, windowMonths)) {
			t.Errorf("batch at %d: window %v..%v is longer than the API allows", tc.pos, w.Start, w.End)
		}
	}
}

func TestRereadableDropsWhatIsNotAnOrderID(t *testing.T) {
	t.Parallel()
	var bad []string
	got := rereadable([]string{"20250502-0000002", "x", "20250501-0000001", "20251301-0000001", "20250501-0000001", "20250501-12"}, func(s string) { bad = append(bad, s) })
	if want := []string{"20250501-0000001", "20250502-0000002"}; !slices.Equal(got, want) {
		t.Errorf("rereadable = %v, want %v", got, want)
	}
	if len(bad) != 3 {
		t.Errorf("bad ids reported: %v, want 3", bad)
	}
}

// A withdrawal moves no date Cafe24 can be asked by: only reading the order again shows it.
func TestPassReadsOrdersWithOpenClaimsAgain(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 5, 1, 0, 0, 0)
	backfillNow := kstTime(2025, 5, 10, 0, 0, 0)
	s := newSetup(t, start, 15*time.Minute)
	var orders []*fakeOrder
	for i := 0; i < 30; i++ {
		orders = append(orders, newTestOrder(i, start.Add(time.Duration(i)*time.Hour)))
	}
	s.fake.addOrders(orders...)
	open := &fixedOpenClaims{ids: []string{orders[3].id, orders[17].id}}
	s.conn.openClaims = open
	_, f, _ := s.run(t, "", backfillNow, 10)
	if open.calls != 0 {
		t.Errorf("the backfill listed open claims %d times, want none", open.calls)
	}

	// The claims on orders 3 and 17 are withdrawn: the status changes, no date moves.
	s.fake.mu.Lock()
	for _, o := range []*fakeOrder{orders[3], orders[17]} {
		o.status = "N40"
		o.json = testOrderJSON(o.id, o.dates["order_date"], o.dates, "N40")
	}
	s.fake.calls = nil
	s.fake.mu.Unlock()

	seen, f2, _ := s.run(t, f.Next, backfillNow.Add(time.Hour), 40)
	if seen[orders[3].id] != 1 || seen[orders[17].id] != 1 || len(seen) != 2 {
		t.Errorf("orders seen in the pass: %v, want only the two with open claims, once each", seen)
	}
	if open.calls != 1 {
		t.Errorf("open claims listed %d times in one pass, want 1", open.calls)
	}
	byID := 0
	for _, c := range s.fake.log() {
		if c.orderIDs > 0 {
			byID++
			if c.orderIDs != 2 || c.dateType != "order_date" {
				t.Errorf("re-read call %+v, want 2 ids by order_date", c)
			}
		}
	}
	if byID != 1 {
		t.Errorf("%d calls by order_id, want 1", byID)
	}
	c, err := parseCursor(f2.Next)
	if err != nil || c.Reread != nil || !c.PassNow.IsZero() {
		t.Errorf("cursor after the pass: %+v, %v; want no re-read left and no pass running", c, err)
	}
}

func TestCursorRefusesABrokenReread(t *testing.T) {
	t.Parallel()
	for _, v := range []string{
		`{"v":1,"phase":"incremental","reread":{"loaded":true,"ids":["20250501-0000001"],"pos":0}}`,
		`{"v":1,"phase":"incremental","pass_now":"2025-05-01T00:00:00Z","reread":{"loaded":true,"ids":["20250501-0000001"],"pos":2}}`,
		`{"v":1,"phase":"incremental","pass_now":"2025-05-01T00:00:00Z","reread":{"loaded":true},"sweep":{"date_type":"pay_date","pos":"2025-05-01T00:00:00Z","until":"2025-05-01T00:00:00Z"}}`,
	} {
		if _, err := parseCursor(v); mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Errorf("parseCursor(%s) = %v, want EINVALID", v, err)
		}
	}
}
