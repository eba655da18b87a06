package smartstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
)

// recorder counts the write calls a handler answers with 200, by the last part of their path,
// and the size of each dispatch.
type recorder struct {
	mu         sync.Mutex
	calls      map[string]int
	dispatches []int
}

func (r *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost && !strings.HasSuffix(req.URL.Path, "/query") && !strings.HasSuffix(req.URL.Path, "/token") {
			b, _ := io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(b))
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			h.ServeHTTP(sw, req)
			if sw.status != http.StatusOK {
				return
			}
			parts := strings.Split(req.URL.Path, "/")
			name := strings.Join(parts[max(len(parts)-2, 0):], "/")
			r.mu.Lock()
			r.calls[name]++
			if strings.HasSuffix(req.URL.Path, "/dispatch") && !strings.Contains(req.URL.Path, "exchange") {
				var d struct {
					Orders []json.RawMessage `json:"dispatchProductOrders"`
				}
				_ = json.Unmarshal(b, &d)
				r.dispatches = append(r.dispatches, len(d.Orders))
			}
			r.mu.Unlock()
			return
		}
		h.ServeHTTP(w, req)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (r *recorder) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		n += c
	}
	return n
}

// Write-backs against the simulator: dispatches in calls of at most 30, claim steps one call a
// line, refusals (the platform's, and what SmartStore cannot do) as results with reasons, the
// truth moved; the same write-backs again are AlreadyDone without a single write call.
func TestWriteBacksAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 12)
	sim := smartstoresim.New(smartstoresim.Options{Seed: 21, Orders: 2000, Start: start, End: end, NoLimits: true, Clock: simclock.New(end),
		Faults: smartstoresim.Faults{Rate5xx: 0.05}})
	rec := &recorder{calls: map[string]int{}}
	c := simConnectorWith(t, sim, rec.wrap(sim.Handler()), start, "", -1)
	tr := sim.Truth()

	status := map[string]string{}
	for _, l := range tr.Lines {
		status[l.ProductOrderID] = l.Status
	}
	used := map[string]bool{}
	pickLines := func(want string, n int) []smartstoresim.TruthLine {
		var out []smartstoresim.TruthLine
		for _, l := range tr.Lines {
			if l.Status == want && !used[l.ProductOrderID] && len(out) < n {
				used[l.ProductOrderID] = true
				out = append(out, l)
			}
		}
		if len(out) < n {
			t.Fatalf("%d lines in %s, want %d", len(out), want, n)
		}
		return out
	}
	pickClaim := func(want string) smartstoresim.TruthClaim {
		for _, cl := range tr.Claims {
			if cl.Status == want && !used[cl.ProductOrderID] {
				used[cl.ProductOrderID] = true
				return cl
			}
		}
		t.Fatalf("no claim in %s", want)
		return smartstoresim.TruthClaim{}
	}
	one := func(id string) []mallsync.WriteLine { return []mallsync.WriteLine{{PlatformLineID: id}} }
	type want struct {
		line, status   string // the truth line's status afterwards
		claim, cstatus string
		refused        string
	}
	var writes []mallsync.WriteBack
	var wants []want
	add := func(w mallsync.WriteBack, wt want) { writes = append(writes, w); wants = append(wants, wt) }

	for i, l := range append(pickLines("PAYED:OK", 25), pickLines("PAYED", 15)...) { // 40 lines: two dispatch calls
		add(mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: l.OrderID, Lines: one(l.ProductOrderID), CarrierCode: "CJGLS",
			TrackingNo: fmt.Sprintf("6%011d", 100+i)}, want{line: l.ProductOrderID, status: "DELIVERING"})
	}
	bad := pickLines("PAYED:OK", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: bad.OrderID, Lines: one(bad.ProductOrderID), CarrierCode: "DHL", TrackingNo: "1"},
		want{line: bad.ProductOrderID, status: "PAYED:OK", refused: "택배사"})
	cancel := pickClaim("CANCEL_REQUEST")
	add(mallsync.WriteBack{Action: mallsync.WriteAcceptCancel, ClaimID: cancel.ID, Lines: one(cancel.ProductOrderID)},
		want{line: cancel.ProductOrderID, status: "CANCELED", claim: cancel.ID, cstatus: "CANCEL_DONE"})
	ret := pickClaim("RETURN:COLLECT_DONE")
	add(mallsync.WriteBack{Action: mallsync.WriteAcceptReturn, ClaimID: ret.ID, Lines: one(ret.ProductOrderID)},
		want{line: ret.ProductOrderID, status: "RETURNED", claim: ret.ID, cstatus: "RETURN_DONE"})
	rej := pickClaim("RETURN:COLLECTING")
	add(mallsync.WriteBack{Action: mallsync.WriteRejectReturn, ClaimID: rej.ID, Lines: one(rej.ProductOrderID), Reason: "사용 흔적이 있습니다"},
		want{line: rej.ProductOrderID, status: "DELIVERED", claim: rej.ID, cstatus: "RETURN_REJECT"})
	exc := pickClaim("EXCHANGE:COLLECTING")
	add(mallsync.WriteBack{Action: mallsync.WriteAcceptExchange, ClaimID: exc.ID, Lines: one(exc.ProductOrderID)},
		want{line: exc.ProductOrderID, claim: exc.ID, cstatus: "EXCHANGE:COLLECT_DONE"})
	red := pickClaim("EXCHANGE:COLLECT_DONE")
	add(mallsync.WriteBack{Action: mallsync.WriteExchangeCompleted, ClaimID: red.ID, Lines: one(red.ProductOrderID), CarrierCode: "HANJIN", TrackingNo: "4999"},
		want{line: red.ProductOrderID, claim: red.ID, cstatus: "EXCHANGE_REDELIVERING"})
	dec := pickLines("PURCHASE_DECIDED", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteAcceptCancel, Lines: one(dec.ProductOrderID)},
		want{line: dec.ProductOrderID, status: "PURCHASE_DECIDED", refused: "클레임이 없습니다"})
	add(mallsync.WriteBack{Action: mallsync.WriteRejectCancel, Lines: one(dec.ProductOrderID)}, want{refused: "by dispatching"})
	add(mallsync.WriteBack{Action: mallsync.WriteWithdrawClaim, Lines: one(dec.ProductOrderID)}, want{refused: "only the buyer"})
	add(mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: dec.OrderID, CarrierCode: "CJGLS", TrackingNo: "1"}, want{refused: "needs the lines"})

	res, err := c.Write(ctx, writes)
	if err != nil {
		t.Fatal(err)
	}
	after := sim.Truth()
	now := map[string]string{}
	for _, l := range after.Lines {
		now[l.ProductOrderID] = l.Status
	}
	claims := map[string]string{}
	for _, cl := range after.Claims {
		claims[cl.ID] = cl.Status
	}
	check := func(round string, res []mallsync.WriteResult, already bool) {
		t.Helper()
		for i, r := range res {
			w := wants[i]
			switch {
			case w.refused != "":
				if r.Done || r.Code != mallsync.EINVALID || !strings.Contains(r.Message, w.refused) {
					t.Errorf("%s %d %s: %+v, want refused with %q", round, i, writes[i].Action, r, w.refused)
				}
			case !r.Done || r.AlreadyDone != already:
				t.Errorf("%s %d %s: %+v, want done (already %v)", round, i, writes[i].Action, r, already)
			}
			if w.status != "" && now[w.line] != w.status {
				t.Errorf("%s %d %s: line %s is %s, want %s", round, i, writes[i].Action, w.line, now[w.line], w.status)
			}
			if w.claim != "" && claims[w.claim] != w.cstatus {
				t.Errorf("%s %d %s: claim %s is %s, want %s", round, i, writes[i].Action, w.claim, claims[w.claim], w.cstatus)
			}
		}
	}
	check("first", res, false)
	if len(rec.dispatches) != 2 || rec.calls["cancel/approve"] != 2 || rec.calls["return/approve"] != 1 || rec.calls["collect/approve"] != 1 ||
		rec.calls["return/reject"] != 1 || rec.calls["exchange/dispatch"] != 1 || len(rec.calls) != 6 {
		t.Errorf("calls %v, dispatches %v", rec.calls, rec.dispatches)
	}
	sum := 0
	for _, n := range rec.dispatches {
		if n > MaxDispatch {
			t.Errorf("a dispatch of %d", n)
		}
		sum += n
	}
	if sum != 41 {
		t.Errorf("dispatched %d lines in %v, want 41", sum, rec.dispatches)
	}

	// Again: the platform holds it all; nothing is written twice.
	writes2 := writes
	calls := rec.total()
	sim.SetFaults(smartstoresim.Faults{})
	res2, err := c.Write(ctx, writes2)
	if err != nil {
		t.Fatal(err)
	}
	check("again", res2, true)
	if got := rec.total() - calls; got != 2 { // only what the platform refused is asked again: the bad carrier, the cancel of a decided line
		t.Errorf("the repeat made %d write calls", got)
	}
}
