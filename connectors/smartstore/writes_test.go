package smartstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
)

// recorder counts the write calls a handler answers with 200, by the last two parts of their
// path, and the size of each dispatch and each confirm.
type recorder struct {
	mu         sync.Mutex
	calls      map[string]int
	dispatches []int
	confirms   []int
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
			if strings.HasSuffix(req.URL.Path, "/confirm") {
				var c struct {
					IDs []string `json:"productOrderIds"`
				}
				_ = json.Unmarshal(b, &c)
				r.confirms = append(r.confirms, len(c.IDs))
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

// bySuffix counts the 200-answered write calls whose path ends in sfx.
func (r *recorder) bySuffix(sfx string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for name, c := range r.calls {
		if strings.HasSuffix(name, sfx) {
			n += c
		}
	}
	return n
}

// 발주확인, 발송지연 and a return's hold and release against the simulator: confirmations in
// calls of at most 30, a delay and a hold read back from the details as asked, refusals (the
// platform's, and bad codes that never leave) as results; the same write-backs again are
// AlreadyDone, and only what the platform refused is sent again.
func TestConfirmDelayAndHoldAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 12)
	sim := smartstoresim.New(smartstoresim.Options{Seed: 23, Orders: 2000, Start: start, End: end, NoLimits: true, Clock: simclock.New(end),
		Faults: smartstoresim.Faults{Rate5xx: 0.05}})
	rec := &recorder{calls: map[string]int{}}
	c := simConnectorWith(t, sim, rec.wrap(sim.Handler()), start, "", -1)
	tr := sim.Truth()

	claimed := map[string]bool{}
	for _, cl := range tr.Claims {
		claimed[cl.ProductOrderID] = true
	}
	used := map[string]bool{}
	pickLines := func(want string, n int) []smartstoresim.TruthLine {
		t.Helper()
		var out []smartstoresim.TruthLine
		for _, l := range tr.Lines {
			if l.Status == want && !claimed[l.ProductOrderID] && !used[l.ProductOrderID] && len(out) < n {
				used[l.ProductOrderID] = true
				out = append(out, l)
			}
		}
		if len(out) < n {
			t.Fatalf("%d unclaimed lines in %s, want %d", len(out), want, n)
		}
		return out
	}
	pickClaim := func(want string) smartstoresim.TruthClaim {
		t.Helper()
		for _, cl := range tr.Claims {
			if cl.Status == want && !used[cl.ProductOrderID] {
				used[cl.ProductOrderID] = true
				return cl
			}
		}
		t.Fatalf("no claim in %s", want)
		return smartstoresim.TruthClaim{}
	}
	lines := func(ls ...smartstoresim.TruthLine) []mallsync.WriteLine {
		out := make([]mallsync.WriteLine, len(ls))
		for i, l := range ls {
			out[i] = mallsync.WriteLine{PlatformLineID: l.ProductOrderID}
		}
		return out
	}
	one := func(id string) []mallsync.WriteLine { return []mallsync.WriteLine{{PlatformLineID: id}} }
	type want struct {
		lines          []string // the truth lines' status afterwards is status
		status         string
		claim, cstatus string
		already        bool   // AlreadyDone the first time
		refused        string // a substring of the refusal
	}
	var writes []mallsync.WriteBack
	var wants []want
	add := func(w mallsync.WriteBack, wt want) { writes = append(writes, w); wants = append(wants, wt) }
	ids := func(ls []smartstoresim.TruthLine) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = l.ProductOrderID
		}
		return out
	}

	// 39 new lines in write-backs of 3, and a cancelled one: 40 to confirm, two calls (30 + 10).
	fresh := pickLines("PAYED", 39)
	for i := 0; i < len(fresh); i += 3 {
		ls := fresh[i : i+3]
		add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, OrderID: ls[0].OrderID, Lines: lines(ls...)}, want{lines: ids(ls), status: "PAYED:OK"})
	}
	var gone []smartstoresim.TruthLine
	for _, l := range tr.Lines {
		if l.Status == "CANCELED" && !used[l.ProductOrderID] && len(gone) == 0 {
			used[l.ProductOrderID] = true
			gone = append(gone, l)
		}
	}
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, Lines: lines(gone...)}, want{lines: ids(gone), status: "CANCELED", refused: "결제완료 상태가 아닙니다"})
	ok := pickLines("PAYED:OK", 2)
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, Lines: lines(ok...)}, want{lines: ids(ok), status: "PAYED:OK", already: true})
	left := pickLines("DELIVERING", 1)
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, Lines: lines(left...)}, want{lines: ids(left), status: "DELIVERING", already: true})

	// Delays: two confirmed lines to a new due date; a line already on its way is refused; bad
	// codes and a missing date never leave.
	due := end.AddDate(0, 0, 5).Add(1234 * time.Millisecond)
	late := pickLines("PAYED:OK", 2)
	for _, l := range late {
		add(mallsync.WriteBack{Action: mallsync.WriteDelayDispatch, Lines: one(l.ProductOrderID), DueAt: due, ReasonCode: "PRODUCT_PREPARE", Reason: "입고가 늦어지고 있습니다"},
			want{lines: []string{l.ProductOrderID}, status: "PAYED:OK"})
	}
	sent := pickLines("DELIVERING", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteDelayDispatch, Lines: one(sent.ProductOrderID), DueAt: due}, want{refused: "발송 지연 처리할 수 없는 상태"})
	add(mallsync.WriteBack{Action: mallsync.WriteDelayDispatch, Lines: one(late[0].ProductOrderID), DueAt: due, ReasonCode: "WEATHER"}, want{refused: "PRODUCT_PREPARE, CUSTOMER_REQUEST"})
	add(mallsync.WriteBack{Action: mallsync.WriteDelayDispatch, Lines: one(late[0].ProductOrderID)}, want{refused: "due date"})

	// Holds: a collected return held back with a fee; a held one released; a completed one and
	// a hold that is not there refused; a bad class never leaves.
	hold := pickClaim("RETURN:COLLECT_DONE")
	add(mallsync.WriteBack{Action: mallsync.WriteHoldReturn, ClaimID: hold.ID, ClaimKind: mallsync.ClaimReturn, Lines: one(hold.ProductOrderID),
		ReasonCode: "RETURN_DELIVERYFEE", Reason: "반품 배송비 미입금", ExtraFee: 3000}, want{claim: hold.ID, cstatus: "RETURN:HOLDBACK"})
	held := pickClaim("RETURN:COLLECT_DONE") // held back first, by a write-back of its own
	pre, err := c.Write(ctx, []mallsync.WriteBack{{Action: mallsync.WriteHoldReturn, ClaimID: held.ID, Lines: one(held.ProductOrderID)}})
	if err != nil || !pre[0].Done || pre[0].AlreadyDone {
		t.Fatalf("holding %s: %+v, %v", held.ID, pre, err)
	}
	rec.mu.Lock()
	clear(rec.calls)
	rec.mu.Unlock()
	add(mallsync.WriteBack{Action: mallsync.WriteReleaseReturnHold, ClaimID: held.ID, Lines: one(held.ProductOrderID)}, want{claim: held.ID, cstatus: "RETURN:COLLECT_DONE"})
	done := pickClaim("RETURN_DONE")
	add(mallsync.WriteBack{Action: mallsync.WriteHoldReturn, ClaimID: done.ID, Lines: one(done.ProductOrderID)}, want{claim: done.ID, cstatus: "RETURN_DONE", refused: "처리할 수 있는 RETURN 클레임이 없습니다"})
	loose := pickClaim("RETURN:COLLECTING")
	add(mallsync.WriteBack{Action: mallsync.WriteReleaseReturnHold, ClaimID: loose.ID, Lines: one(loose.ProductOrderID)}, want{claim: loose.ID, cstatus: "RETURN:COLLECTING", refused: "보류 중인 반품이 아닙니다"})
	add(mallsync.WriteBack{Action: mallsync.WriteHoldReturn, ClaimID: loose.ID, Lines: one(loose.ProductOrderID), ReasonCode: "EXCHANGE_DELIVERYFEE"}, want{refused: "RETURN_DELIVERYFEE, EXTRAFEEE"})
	add(mallsync.WriteBack{Action: mallsync.WriteHoldReturn, ClaimID: loose.ID, Lines: one(loose.ProductOrderID), ExtraFee: -1}, want{refused: "negative"})

	check := func(round string, res []mallsync.WriteResult, again bool) {
		t.Helper()
		after := sim.Truth()
		now := map[string]string{}
		for _, l := range after.Lines {
			now[l.ProductOrderID] = l.Status
		}
		claims := map[string]string{}
		for _, cl := range after.Claims {
			claims[cl.ID] = cl.Status
		}
		for i, r := range res {
			w := wants[i]
			switch {
			case w.refused != "":
				if r.Done || r.Code != mallsync.EINVALID || !strings.Contains(r.Message, w.refused) {
					t.Errorf("%s %d %s: %+v, want refused with %q", round, i, writes[i].Action, r, w.refused)
				}
			case !r.Done || r.AlreadyDone != (again || w.already):
				t.Errorf("%s %d %s: %+v, want done (already %v)", round, i, writes[i].Action, r, again || w.already)
			}
			for _, id := range w.lines {
				if now[id] != w.status {
					t.Errorf("%s %d %s: line %s is %s, want %s", round, i, writes[i].Action, id, now[id], w.status)
				}
			}
			if w.claim != "" && claims[w.claim] != w.cstatus {
				t.Errorf("%s %d %s: claim %s is %s, want %s", round, i, writes[i].Action, w.claim, claims[w.claim], w.cstatus)
			}
		}
	}
	res, err := c.Write(ctx, writes)
	if err != nil {
		t.Fatal(err)
	}
	check("first", res, false)
	if !slices.Equal(rec.confirms, []int{30, 10}) {
		t.Errorf("confirm calls of %v, want [30 10]", rec.confirms)
	}
	// Two delays and the refused one; the hold and the refused one; the release and the refused one.
	if d, h, r := rec.bySuffix("/delay"), rec.bySuffix("return/holdback"), rec.bySuffix("holdback/release"); d != 3 || h != 2 || r != 2 || rec.total() != 2+d+h+r {
		t.Errorf("calls %v, confirms %v", rec.calls, rec.confirms)
	}

	// Read back what the delay and the hold left in the details.
	got, err := c.details(ctx, []string{late[0].ProductOrderID, late[1].ProductOrderID, hold.ProductOrderID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d details, want 3", len(got))
	}
	for _, d := range got[:2] {
		p := d.ProductOrder
		at, err := parseTime(p.ShippingDueDate)
		if err != nil || !at.Equal(due) || p.DelayedDispatchReason != "PRODUCT_PREPARE" || p.DelayedDispatchDetailedReason != "입고가 늦어지고 있습니다" {
			t.Errorf("delayed %s: due %q (%v), reason %q %q", p.ProductOrderID, p.ShippingDueDate, err, p.DelayedDispatchReason, p.DelayedDispatchDetailedReason)
		}
	}
	cl := claimOf(&got[2], "RETURN", hold.ID)
	if cl == nil || cl.HoldbackStatus != "HOLDBACK" || cl.HoldbackReason != "RETURN_DELIVERYFEE" || cl.HoldbackDetailedReason != "반품 배송비 미입금" ||
		!strings.Contains(string(cl.Raw), `"etcFeeDemandAmount":3000`) {
		t.Errorf("held return: %+v", cl)
	}

	// Again, without faults: all of it is already there; only the four the platform refused
	// are sent again (one confirm call, one delay, one hold, one release).
	sim.SetFaults(smartstoresim.Faults{})
	calls := rec.total()
	res2, err := c.Write(ctx, writes)
	if err != nil {
		t.Fatal(err)
	}
	check("again", res2, true)
	if n := rec.total() - calls; n != 4 || !slices.Equal(rec.confirms, []int{30, 10, 1}) {
		t.Errorf("the repeat made %d write calls (confirms %v)", n, rec.confirms)
	}
}
