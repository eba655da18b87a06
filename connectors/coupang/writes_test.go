package coupang

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/simclock"
)

// pick finds in the truth the first claim with status whose order's lines are all at
// lineStatus ("" for any), and returns it with its lines.
func pick(t *testing.T, tr coupangsim.Truth, status, lineStatus string, skip map[string]bool) (coupangsim.TruthClaim, []coupangsim.TruthLine) {
	t.Helper()
	for _, c := range tr.Claims {
		if c.Status != status || skip[c.ID] {
			continue
		}
		var lines []coupangsim.TruthLine
		ok := true
		for _, l := range tr.Lines {
			if l.OrderID == c.OrderID {
				lines = append(lines, l)
				ok = ok && (lineStatus == "" || l.Status == lineStatus)
			}
		}
		if ok {
			skip[c.ID] = true
			return c, lines
		}
	}
	t.Fatalf("no claim %s on lines %s in the data set", status, lineStatus)
	return coupangsim.TruthClaim{}, nil
}

func claimStatus(tr coupangsim.Truth, id string) string {
	for _, c := range tr.Claims {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

// Write-backs against the simulator: invoices batched within Coupang's caps (acknowledged
// first), each claim step one call, refusals as results naming what Coupang cannot do; then
// the same write-backs again through lost answers and 5xx come back AlreadyDone, and the
// simulator holds what was asked.
func TestWriteBacksAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 20)
	now := start.AddDate(0, 0, 12)
	sim := coupangsim.New(coupangsim.Options{Seed: 21, Orders: 1200, Start: start, End: end, NoLimits: true, Clock: simclock.New(now)})
	c := simConnector(t, sim, start, "", -1)
	tr := sim.Truth()

	// 60 lines to ship: ACCEPT and INSTRUCT boxes without claims.
	claimed := map[string]bool{}
	for _, cl := range tr.Claims {
		claimed[cl.OrderID] = true
	}
	var ship []mallsync.WriteBack
	shipped := map[string]string{}
	byOrder := map[string][]mallsync.WriteLine{}
	var orders []string
	for _, l := range tr.Lines {
		if (l.Status == "ACCEPT" || l.Status == "INSTRUCT") && !claimed[l.OrderID] {
			if byOrder[l.OrderID] == nil {
				orders = append(orders, l.OrderID)
			}
			byOrder[l.OrderID] = append(byOrder[l.OrderID], mallsync.WriteLine{PlatformLineID: l.LineID})
		}
	}
	n := 0
	for _, o := range orders {
		if n >= 60 {
			break
		}
		inv := "5550" + o[len(o)-8:]
		ship = append(ship, mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: o, Lines: byOrder[o], CarrierCode: "CJGLS", TrackingNo: inv})
		shipped[o], n = inv, n+len(byOrder[o])
	}
	if n < 51 {
		t.Fatalf("only %d lines to ship: the cap is not tested", n)
	}
	skip := map[string]bool{}
	ru, _ := pick(t, tr, "RELEASE_STOP_UNCHECKED", "INSTRUCT", skip)
	uc, _ := pick(t, tr, "RETURNS_UNCHECKED", "", skip)
	vwc, _ := pick(t, tr, "VENDOR_WAREHOUSE_CONFIRM", "", skip)
	xr, xl := pick(t, tr, "PROGRESS", "", skip)
	xj, _ := pick(t, tr, "RECEIPT", "", skip)
	steps := []mallsync.WriteBack{
		{Action: mallsync.WriteAcceptCancel, ClaimID: ru.ID, ClaimKind: mallsync.ClaimCancel},
		{Action: mallsync.WriteReturnCollected, ClaimID: uc.ID, ClaimKind: mallsync.ClaimReturn},
		{Action: mallsync.WriteReturnCompleted, ClaimID: vwc.ID, ClaimKind: mallsync.ClaimReturn},
		{Action: mallsync.WriteExchangeCollected, ClaimID: xr.ID, ClaimKind: mallsync.ClaimExchange},
		{Action: mallsync.WriteExchangeCompleted, ClaimID: xr.ID, ClaimKind: mallsync.ClaimExchange, CarrierCode: "HANJIN", TrackingNo: "777000111222",
			Lines: []mallsync.WriteLine{{PlatformLineID: xl[0].LineID}}},
		{Action: mallsync.WriteRejectExchange, ClaimID: xj.ID, ClaimKind: mallsync.ClaimExchange, Reason: "SOLDOUT"},
	}
	refused := []struct {
		w    mallsync.WriteBack
		want string
	}{
		{mallsync.WriteBack{Action: mallsync.WriteMarkDelivered, OrderID: orders[0], ShipmentID: "1"}, "cannot mark a parcel delivered"},
		{mallsync.WriteBack{Action: mallsync.WriteRejectReturn, ClaimID: uc.ID}, "no API to reject"},
		{mallsync.WriteBack{Action: mallsync.WriteWithdrawClaim, ClaimID: uc.ID}, "only the buyer"},
		{mallsync.WriteBack{Action: mallsync.WriteAcceptExchange, ClaimID: xj.ID}, "accepts exchange requests itself"},
		{mallsync.WriteBack{Action: mallsync.WriteRejectExchange, ClaimID: xj.ID, Reason: "색상이 없음"}, "SOLDOUT"},
		{mallsync.WriteBack{Action: mallsync.WriteReturnCompleted, ClaimID: uc.ID + "x"}, "claim id"},
		{mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: orders[0], Lines: []mallsync.WriteLine{{PlatformLineID: "nope"}}, CarrierCode: "CJGLS", TrackingNo: "1"}, "shipmentBoxId-vendorItemId"},
	}
	writes := append(append([]mallsync.WriteBack{}, ship...), steps...)
	for _, r := range refused {
		writes = append(writes, r.w)
	}

	before := sim.Calls()
	res, err := c.Write(context.Background(), writes)
	if err != nil {
		t.Fatal(err)
	}
	calls := sim.Calls() - before
	batches := int64((n + 49) / 50)
	// ack + upload per batch of 50 invoices, then: a receipt read for stoppedShipment's count
	// and one for approval's, and one call per claim step.
	if want := 2*batches + 2 + int64(len(steps)); calls != want {
		t.Errorf("%d calls, want %d (%d lines to ship)", calls, want, n)
	}
	for i, r := range res[:len(ship)+len(steps)] {
		if !r.Done || r.AlreadyDone || r.Code != "" {
			t.Errorf("write %d (%s %s): %+v", i, writes[i].Action, writes[i].ClaimID, r)
		}
	}
	for k, r := range res[len(ship)+len(steps):] {
		if r.Done || r.Code != mallsync.EINVALID || !strings.Contains(r.Message, refused[k].want) {
			t.Errorf("refusal %d (%s): %+v, want EINVALID with %q", k, refused[k].w.Action, r, refused[k].want)
		}
	}
	after := sim.Truth()
	for id, want := range map[string]string{ru.ID: "STOP_SHIPMENT_COMPLETED", uc.ID: "VENDOR_WAREHOUSE_CONFIRM",
		vwc.ID: "RETURNS_COMPLETED", xr.ID: "SUCCESS", xj.ID: "REJECT"} {
		if got := claimStatus(after, id); got != want {
			t.Errorf("claim %s is %s, want %s", id, got, want)
		}
	}
	departed := 0
	for _, l := range after.Lines {
		if _, ok := shipped[l.OrderID]; ok && l.Status == "DEPARTURE" {
			departed++
		}
	}
	if departed != n {
		t.Errorf("%d of %d shipped lines departed", departed, n)
	}

	// Again, through lost answers and 5xx: every write is already done.
	sim.SetFaults(coupangsim.Faults{LostWriteRate: 0.3, Rate5xx: 0.2})
	again, err := c.Write(context.Background(), writes[:len(ship)+len(steps)])
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range again {
		if !r.Done || !r.AlreadyDone {
			t.Errorf("repeat %d (%s %s): %+v", i, writes[i].Action, writes[i].ClaimID, r)
		}
	}

	// A correction of one shipped box's invoice, then a seller's cancel of an unshipped line.
	sim.SetFaults(coupangsim.Faults{})
	o := ship[0]
	fix, err := c.Write(context.Background(), []mallsync.WriteBack{{Action: mallsync.WriteCorrectInvoice, OrderID: o.OrderID, Lines: o.Lines, CarrierCode: "LOTTE", TrackingNo: "999888777666"}})
	if err != nil || !fix[0].Done || fix[0].AlreadyDone {
		t.Fatalf("correct_invoice: %+v, %v", fix, err)
	}
	var cancelLine coupangsim.TruthLine
	for _, l := range after.Lines {
		if _, ok := shipped[l.OrderID]; !ok && l.Status == "ACCEPT" && !claimed[l.OrderID] {
			cancelLine = l
			break
		}
	}
	cw := mallsync.WriteBack{Action: mallsync.WriteAcceptCancel, OrderID: cancelLine.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: cancelLine.LineID}}}
	for i, wantAlready := range []bool{false, true} {
		r, err := c.Write(context.Background(), []mallsync.WriteBack{cw})
		if err != nil || !r[0].Done || r[0].AlreadyDone != wantAlready {
			t.Fatalf("seller cancel %d: %+v, %v", i, r, err)
		}
	}
	for _, l := range sim.Truth().Lines {
		if l.LineID == cancelLine.LineID && l.Status != "CANCEL_COMPLETED" {
			t.Errorf("the seller's cancel left %+v", l)
		}
	}
}

// confirm_order against the simulator: the boxes of a run of confirmations go in
// acknowledgements of at most 50 (each box once, a box named by ShipmentID read first),
// the boxes move to INSTRUCT, a box already past ACCEPT is AlreadyDone and a cancelled one
// refused; delay_dispatch, hold_return and release_return_hold are refused without a call.
// Again, through lost answers and 5xx, every confirmation is AlreadyDone.
func TestConfirmOrderAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 20)
	now := start.AddDate(0, 0, 12)
	sim := coupangsim.New(coupangsim.Options{Seed: 22, Orders: 2500, Start: start, End: end, NoLimits: true, Clock: simclock.New(now)})
	c := simConnector(t, sim, start, "", -1)
	tr := sim.Truth()

	claimed := map[string]bool{}
	for _, cl := range tr.Claims {
		claimed[cl.OrderID] = true
	}
	boxOf := func(l coupangsim.TruthLine) string { b, _, _ := strings.Cut(l.LineID, "-"); return b }
	// Boxes whose lines are all in status, none of their orders claimed, in the truth's order.
	boxes := func(status string, claims bool) (ids []string, lines map[string][]mallsync.WriteLine) {
		lines = map[string][]mallsync.WriteLine{}
		bad := map[string]bool{}
		for _, l := range tr.Lines {
			b := boxOf(l)
			if l.Status != status || claimed[l.OrderID] != claims {
				bad[b] = true
				continue
			}
			if lines[b] == nil {
				ids = append(ids, b)
			}
			lines[b] = append(lines[b], mallsync.WriteLine{PlatformLineID: l.LineID})
		}
		ids = slices.DeleteFunc(ids, func(b string) bool { return bad[b] })
		return ids, lines
	}
	accept, acceptLines := boxes("ACCEPT", false)
	if len(accept) < 62 {
		t.Fatalf("only %d ACCEPT boxes: the cap is not tested", len(accept))
	}
	accept = accept[:62]
	instruct, instructLines := boxes("INSTRUCT", false)
	gone, goneLines := boxes("CANCEL_COMPLETED", true)
	if len(instruct) < 2 || len(gone) < 1 {
		t.Fatalf("%d INSTRUCT and %d cancelled boxes", len(instruct), len(gone))
	}

	var writes []mallsync.WriteBack
	type want struct {
		already bool
		refused string
	}
	var wants []want
	add := func(w mallsync.WriteBack, wt want) { writes = append(writes, w); wants = append(wants, wt) }
	for _, b := range accept[:60] { // a box a write-back, by its lines
		add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, Lines: acceptLines[b]}, want{})
	}
	// Two boxes in one write-back (by lines), one by ShipmentID, and one named twice.
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, Lines: append(slices.Clone(acceptLines[accept[60]]), acceptLines[accept[0]]...)}, want{})
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, ShipmentID: accept[61]}, want{})
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, Lines: append(slices.Clone(instructLines[instruct[0]]), instructLines[instruct[1]]...)}, want{already: true})
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, Lines: goneLines[gone[0]]}, want{refused: "CANCELED"})
	add(mallsync.WriteBack{Action: mallsync.WriteConfirmOrder}, want{refused: "needs the lines"})
	confirms := len(writes)
	add(mallsync.WriteBack{Action: mallsync.WriteDelayDispatch, Lines: acceptLines[accept[1]], DueAt: now.AddDate(0, 0, 3), ReasonCode: "PRODUCT_PREPARE"}, want{refused: "dispatch delay (발송지연)"})
	add(mallsync.WriteBack{Action: mallsync.WriteHoldReturn, ClaimID: "1"}, want{refused: "no return hold (반품 보류)"})
	add(mallsync.WriteBack{Action: mallsync.WriteReleaseReturnHold, ClaimID: "1"}, want{refused: "no return hold (반품 보류) to release"})

	check := func(round string, res []mallsync.WriteResult, again bool) {
		t.Helper()
		for i, r := range res {
			w := wants[i]
			switch {
			case w.refused != "":
				if r.Done || r.Code != mallsync.EINVALID || !strings.Contains(r.Message, w.refused) {
					t.Errorf("%s %d %s: %+v, want refused with %q", round, i, writes[i].Action, r, w.refused)
				}
			case !r.Done || r.Code != "" || r.AlreadyDone != (again || w.already):
				t.Errorf("%s %d %s: %+v, want done (already %v)", round, i, writes[i].Action, r, again || w.already)
			}
		}
		want := map[string]string{}
		for _, b := range accept {
			want[b] = "INSTRUCT"
		}
		for _, b := range instruct[:2] {
			want[b] = "INSTRUCT"
		}
		want[gone[0]] = "CANCEL_COMPLETED"
		for _, l := range sim.Truth().Lines {
			if s, ok := want[boxOf(l)]; ok && l.Status != s {
				t.Errorf("%s: line %s is %s, want %s", round, l.LineID, l.Status, s)
			}
		}
	}
	before := sim.Calls()
	res, err := c.Write(context.Background(), writes)
	if err != nil {
		t.Fatal(err)
	}
	// 62 + 2 + 1 boxes: two acknowledgements (50 + 15) and the read of the box named by
	// ShipmentID; the refusals cost nothing.
	if calls := sim.Calls() - before; calls != 3 {
		t.Errorf("%d calls, want 3", calls)
	}
	check("first", res, false)

	sim.SetFaults(coupangsim.Faults{LostWriteRate: 0.3, Rate5xx: 0.2})
	again, err := c.Write(context.Background(), writes[:confirms])
	if err != nil {
		t.Fatal(err)
	}
	check("again", again, true)
}
