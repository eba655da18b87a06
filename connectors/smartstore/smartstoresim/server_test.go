package smartstoresim

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync/connectors/simclock"
)

var (
	testStart = time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
	testEnd   = testStart.AddDate(0, 0, 20)
)

// setup returns a simulator over 20 days with a valid token for it.
func setup(t *testing.T, orders int, opts Options) (*Server, string) {
	t.Helper()
	opts.Seed, opts.Orders, opts.Start, opts.End = 3, orders, testStart, testEnd
	if opts.Clock == nil {
		opts.Clock = simclock.New(testEnd)
	}
	s := New(opts)
	s.token, s.expires = "test-token", s.clock.Now().Add(tokenLife)
	return s, "test-token"
}

func call(t *testing.T, s *Server, method, path, token string, body any) *httptest.ResponseRecorder {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	r := httptest.NewRequest(method, path, rd)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

func changesPath(q url.Values) string { return apiPrefix + "/last-changed-statuses?" + q.Encode() }

type changesAnswer struct {
	Data struct {
		Rows  []changeRow `json:"lastChangeStatuses"`
		Count int         `json:"count"`
		More  *struct {
			MoreFrom     string `json:"moreFrom"`
			MoreSequence string `json:"moreSequence"`
		} `json:"more"`
	} `json:"data"`
}

// The documented rules of the changes list, the details and the token.
func TestRules(t *testing.T) {
	t.Parallel()
	s, tok := setup(t, 200, Options{NoLimits: true})
	from := wireTime(testStart.Add(48 * time.Hour).UnixMilli())
	ids := make([]string, 301)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	tests := []struct {
		name, method, path, token string
		body                      any
		status                    int
		want                      string
	}{
		{"changes", "GET", changesPath(url.Values{"lastChangedFrom": {from}}), tok, nil, 200, `"lastChangeStatuses":[{`},
		{"no token", "GET", changesPath(url.Values{"lastChangedFrom": {from}}), "", nil, 401, `"code":"GW.AUTHN"`},
		{"wrong token", "GET", changesPath(url.Values{"lastChangedFrom": {from}}), "nope", nil, 401, `"code":"GW.AUTHN"`},
		{"no from", "GET", changesPath(url.Values{}), tok, nil, 400, `"invalidInputs":[{"name":"lastChangedFrom"`},
		{"from without offset", "GET", changesPath(url.Values{"lastChangedFrom": {"2026-10-03T00:00:00"}}), tok, nil, 400, `lastChangedFrom`},
		{"25 hours", "GET", changesPath(url.Values{"lastChangedFrom": {from}, "lastChangedTo": {wireTime(testStart.Add(73 * time.Hour).UnixMilli())}}), tok, nil, 400, `"name":"lastChangedTo"`},
		{"no limit", "GET", changesPath(url.Values{"lastChangedFrom": {from}, "limitCount": {"0"}}), tok, nil, 400, `"name":"limitCount"`},
		{"query 301 ids", "POST", apiPrefix + "/query", tok, map[string]any{"productOrderIds": ids}, 400, `"name":"productOrderIds"`},
		{"confirm 31 ids", "POST", apiPrefix + "/confirm", tok, map[string]any{"productOrderIds": ids[:31]}, 400, `"name":"productOrderIds"`},
		{"unknown path", "GET", "/v1/nothing", tok, nil, 404, `GW.NOT_FOUND`},
		{"truth", "GET", "/debug/truth", "", nil, 200, `"Lines":[{`},
	}
	for _, tt := range tests {
		w := call(t, s, tt.method, tt.path, tt.token, tt.body)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("%s: %d %.300s", tt.name, w.Code, w.Body.String())
		}
	}
	s.Clock().Advance(tokenLife)
	if w := call(t, s, "GET", changesPath(url.Values{"lastChangedFrom": {from}}), tok, nil); w.Code != 401 {
		t.Errorf("an expired token: %d", w.Code)
	}
}

// Paging with `more` reads every row of a range once, in (lastChangedDate, productOrderId)
// order, also when rows share a millisecond across a page boundary; with duplicates on, some
// rows come twice but none is lost.
func TestChangesPaging(t *testing.T) {
	t.Parallel()
	for _, dup := range []float64{0, 0.5} {
		s, tok := setup(t, 5000, Options{NoLimits: true, Faults: Faults{RateDuplicate: dup}})
		from, to := wireTime(testStart.Add(5*24*time.Hour).UnixMilli()), wireTime(testStart.Add(6*24*time.Hour).UnixMilli())
		var all changesAnswer
		if err := json.Unmarshal(call(t, s, "GET", changesPath(url.Values{"lastChangedFrom": {from}, "lastChangedTo": {to}}), tok, nil).Body.Bytes(), &all); err != nil {
			t.Fatal(err)
		}
		var big changesAnswer // over 300 asked: 300 given, as Naver documents
		_ = json.Unmarshal(call(t, s, "GET", changesPath(url.Values{"lastChangedFrom": {from}, "lastChangedTo": {to}, "limitCount": {"1000"}}), tok, nil).Body.Bytes(), &big)
		if len(big.Data.Rows) != len(all.Data.Rows) {
			t.Fatalf("limitCount 1000: %d rows, 300: %d", len(big.Data.Rows), len(all.Data.Rows))
		}
		if all.Data.More != nil || len(all.Data.Rows) < 100 {
			t.Fatalf("one page of 300: %d rows, more %+v", len(all.Data.Rows), all.Data.More)
		}
		seen := map[string]int{}
		var order []string
		q := url.Values{"lastChangedFrom": {from}, "lastChangedTo": {to}, "limitCount": {"7"}}
		for pages := 0; ; pages++ {
			if pages > 500 {
				t.Fatal("paging does not end")
			}
			var a changesAnswer
			w := call(t, s, "GET", changesPath(q), tok, nil)
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body.String())
			}
			for _, r := range a.Data.Rows {
				if seen[r.ProductOrderID] == 0 {
					order = append(order, r.ProductOrderID)
				}
				seen[r.ProductOrderID]++
			}
			if a.Data.More == nil {
				break
			}
			q.Set("lastChangedFrom", a.Data.More.MoreFrom)
			q.Set("moreSequence", a.Data.More.MoreSequence)
		}
		twice := 0
		for i, r := range all.Data.Rows {
			if i >= len(order) || order[i] != r.ProductOrderID {
				t.Fatalf("duplicates %v: row %d is %v, paged %v", dup, i, r.ProductOrderID, order[min(i, len(order)-1)])
			}
			if seen[r.ProductOrderID] > 1 {
				twice++
			}
			if i > 0 {
				p := all.Data.Rows[i-1]
				if p.LastChangedDate > r.LastChangedDate || p.LastChangedDate == r.LastChangedDate && p.ProductOrderID >= r.ProductOrderID {
					t.Fatalf("rows %d and %d out of order: %+v %+v", i-1, i, p, r)
				}
			}
		}
		if len(order) != len(all.Data.Rows) || (dup > 0) != (twice > 0) {
			t.Fatalf("duplicates %v: %d rows paged, %d in one page, %d twice", dup, len(order), len(all.Data.Rows), twice)
		}
	}
}

// The generated course covers what the connector must handle: every line status, claims of
// each kind ending every way (withdrawn ones too), holdbacks, re-deliveries.
func TestGeneratedCourse(t *testing.T) {
	t.Parallel()
	s, _ := setup(t, 3000, Options{NoLimits: true})
	s.Clock().Set(testEnd.Add(-3 * 24 * time.Hour))
	tr := s.Truth()
	by := tr.ByStatus()
	for _, st := range []string{"PAYMENT_WAITING", "PAYED", "PAYED:OK", "DELIVERING", "DELIVERED", "PURCHASE_DECIDED", "CANCELED", "RETURNED", "EXCHANGED", "CANCELED_BY_NOPAYMENT"} {
		if by[st] == 0 {
			t.Errorf("no line in %s: %v", st, by)
		}
	}
	claims := map[string]int{}
	for _, c := range tr.Claims {
		claims[c.Status]++
	}
	for _, st := range []string{"CANCEL_REQUEST", "CANCEL_DONE", "CANCEL_REJECT", "CANCEL:WITHDRAWN", "RETURN_REQUEST", "RETURN:COLLECTING",
		"RETURN:COLLECT_DONE", "RETURN_DONE", "RETURN_REJECT", "RETURN:WITHDRAWN", "EXCHANGE:WITHDRAWN", "EXCHANGE_DONE", "EXCHANGE_REDELIVERING"} {
		if claims[st] == 0 {
			t.Errorf("no claim in %s: %v", st, claims)
		}
	}
	kinds := map[string]int{}
	for _, sh := range tr.Shipments {
		kinds[sh.Kind]++
	}
	if kinds["forward"] == 0 || kinds["return_pickup"] == 0 || kinds["reshipment"] == 0 {
		t.Errorf("shipments %v", kinds)
	}
	// the same seed, the same data
	if again := New(s.opts).Truth(); len(again.Lines) != len(tr.Lines) || again.Lines[7] != tr.Lines[7] {
		t.Error("the data set is not a function of the seed")
	}
}

// Late changes are not in the truth, the list or the details until they show.
func TestLateChanges(t *testing.T) {
	t.Parallel()
	s, _ := setup(t, 400, Options{NoLimits: true, Faults: Faults{LateRate: 1, LateMax: time.Hour}})
	on := s.Truth()
	s.SetFaults(Faults{})
	off := s.Truth()
	differ := 0
	for i := range off.Lines {
		if i < len(on.Lines) && on.Lines[i] != off.Lines[i] {
			differ++
		}
	}
	if differ == 0 && len(on.Lines) == len(off.Lines) {
		t.Fatal("late changes change nothing")
	}
	s.SetFaults(Faults{LateRate: 1, LateMax: time.Hour})
	s.Clock().Advance(time.Hour + time.Second)
	if later := s.Truth(); len(later.Lines) < len(off.Lines) {
		t.Fatalf("an hour later %d lines, without lateness %d", len(later.Lines), len(off.Lines))
	}
}

// Over the bucket: 429 GW.RATE_LIMIT, with the GNCP headers on every answer.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	s, tok := setup(t, 20, Options{ReplenishRate: 1, BurstCapacity: 5})
	from := wireTime(testStart.UnixMilli())
	codes := map[int]int{}
	var last *httptest.ResponseRecorder
	for range 12 {
		last = call(t, s, "GET", changesPath(url.Values{"lastChangedFrom": {from}}), tok, nil)
		codes[last.Code]++
	}
	if codes[429] < 5 || !strings.Contains(last.Body.String(), "GW.RATE_LIMIT") || last.Header().Get("GNCP-GW-RateLimit-Burst-Capacity") != "5" {
		t.Fatalf("%v %s %v", codes, last.Body.String(), last.Header())
	}
}
