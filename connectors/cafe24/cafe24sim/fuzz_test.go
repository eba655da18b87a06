package cafe24sim

import (
	"net/url"
	"testing"
)

func FuzzOrdersQuery(f *testing.F) {
	for _, s := range []string{
		"start_date=2024-01-01&end_date=2024-03-31",
		"start_date=2024-01-01T00:00:00%2B09:00&end_date=2024-04-01T00:00:00Z&limit=1000&offset=15000",
		"start_date=2024-01-01&end_date=2024-01-02&date_type=shipbegin_date&embed=items,receivers,buyer&order_id=20240101-0000001,20240101-0000002",
		"start_date=2024-02-30&end_date=2024-01-02&limit=-1",
		"start_date=9999-12-31&end_date=9999-12-31&order_id=99991231-9999999",
		"start_date=0001-01-01T00:00:00-23:59&end_date=0001-01-01T00:00:00%2B23:59",
		"order_status=N10,N20&supplier_id=S0000001&order_place_id=mobile&start_date=2024-01-01&end_date=2024-01-02",
	} {
		f.Add(s)
	}
	srv := New(Options{Seed: 1, Orders: 500, Start: testStart, End: testEnd})
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, aerr := parseOrdersQuery(vals)
		if aerr != nil {
			if aerr.status != 422 || aerr.msg == "" {
				t.Fatalf("error %+v", aerr)
			}
			return
		}
		if q.limit < 1 || q.limit > maxLimit || q.offset < 0 || q.offset > maxOffset {
			t.Fatalf("limit %d offset %d accepted", q.limit, q.offset)
		}
		if q.end.Before(q.start) || q.end.After(q.start.In(kst).AddDate(0, 3, 0)) {
			t.Fatalf("window %v..%v accepted", q.start, q.end)
		}
		// Whatever parses must run without panicking.
		v := srv.view()
		pg := srv.listPage(&v, &q, false, nil)
		if len(pg.rows) > q.limit {
			t.Fatalf("%d rows for limit %d", len(pg.rows), q.limit)
		}
		_ = srv.count(&v, &q)
	})
}
