package cafe24

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
)

// Write-backs against the simulator: batched within each endpoint's cap, each result says
// what happened, the simulator's truth moved, and the same write-backs again (through 5xx
// faults) come back done without a second effect.
func TestWriteBacksAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, kst)
	end := start.AddDate(0, 0, 120)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 7, Orders: 20000, Start: start, End: end, NoLimits: true,
		Clock: cafe24sim.NewClock(start.AddDate(0, 0, 60))})
	conn := newSimConnector(t, sim, start)
	tr := sim.Truth()

	var writes []mallsync.WriteBack
	type want struct {
		item, status string // the truth line's status afterwards ("" = not checked)
		refused      string // a substring of the refusal
	}
	var wants []want
	add := func(w mallsync.WriteBack, wt want) { writes = append(writes, w); wants = append(wants, wt) }
	used := map[string]bool{}
	pick := func(status string, n int) []cafe24sim.TruthLine {
		var out []cafe24sim.TruthLine
		for _, l := range tr.Lines {
			if l.Status == status && !used[l.OrderID] && len(out) < n {
				used[l.OrderID] = true
				out = append(out, l)
			}
		}
		if len(out) < n {
			t.Fatalf("%d lines in %s, want %d", len(out), status, n)
		}
		return out
	}
	for i, l := range pick("N10", 120) { // two POST /shipments calls
		add(mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: l.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: l.ItemCode}},
			CarrierCode: "0001", TrackingNo: fmt.Sprintf("MS-%04d", i)}, want{item: l.ItemCode, status: "N30"})
	}
	rep := pick("N01", 1)[0] // an exchange's replacement ships like any line, in a re-shipment
	add(mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: rep.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: rep.ItemCode}},
		CarrierCode: "0001", TrackingNo: "MS-REPLACEMENT"}, want{item: rep.ItemCode, status: "N30"})
	// A delivered line cannot ship again (the 207 of the second shipments call), and a ship
	// without a tracking number never leaves.
	d := pick("N40", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: d.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: d.ItemCode}}, CarrierCode: "0001", TrackingNo: "LATE-1"},
		want{item: d.ItemCode, status: "N40", refused: "is N40"})
	add(mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: d.OrderID, CarrierCode: "0001"}, want{refused: "tracking number"})
	x, y := pick("R10", 1)[0], pick("R00", 1)[0] // kept for the order test at the end
	var open []cafe24sim.TruthLine               // 12 open returns: two PUT /return calls
	for _, st := range []string{"R10", "R00", "R12", "R20"} {
		for _, l := range tr.Lines {
			if l.Status == st && !used[l.OrderID] && len(open) < 12 {
				used[l.OrderID] = true
				open = append(open, l)
			}
		}
	}
	if len(open) < 12 {
		t.Fatalf("%d open returns, want 12", len(open))
	}
	for _, l := range open {
		add(mallsync.WriteBack{Action: mallsync.WriteWithdrawClaim, OrderID: l.OrderID, ClaimID: l.ClaimCode, ClaimKind: mallsync.ClaimReturn},
			want{item: l.ItemCode, status: "N40"})
	}
	c := pick("C00", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteAcceptCancel, OrderID: c.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: c.ItemCode, Quantity: c.Quantity}}},
		want{item: c.ItemCode, status: "C40"})
	wc := pick("C00", 1)[0] // withdrawn: back to N10 or N20, whichever it was
	add(mallsync.WriteBack{Action: mallsync.WriteWithdrawClaim, OrderID: wc.OrderID, ClaimID: wc.ClaimCode, ClaimKind: mallsync.ClaimCancel}, want{})
	rc := pick("C00", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteRejectCancel, OrderID: rc.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: rc.ItemCode}}, Reason: "이미 포장됨"},
		want{item: rc.ItemCode, status: "C11"})
	r := pick("R00", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteAcceptReturn, OrderID: r.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: r.ItemCode, Quantity: r.Quantity}}},
		want{item: r.ItemCode, status: "R10"})
	e := pick("E00", 1)[0]
	add(mallsync.WriteBack{Action: mallsync.WriteRejectExchange, OrderID: e.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: e.ItemCode}}, Reason: "사용 흔적"},
		want{item: e.ItemCode, status: "E11"})

	calls := sim.Calls()
	res, err := conn.Write(ctx, writes)
	if err != nil {
		t.Fatal(err)
	}
	// 122 ships in 2 calls (100 + 22, the second a 207 for the delivered line), 12 return
	// withdrawals in 2 (cap 10), one call each for the other five; the invalid one never leaves.
	if n := sim.Calls() - calls; n != 2+2+5 {
		t.Errorf("%d calls, want 9: the caps are not used", n)
	}
	if st := func() string {
		for _, l := range sim.Truth().Lines {
			if l.ItemCode == wc.ItemCode {
				return l.Status
			}
		}
		return ""
	}(); st != "N10" && st != "N20" {
		t.Errorf("withdrawn cancellation's line is %s, want N10 or N20", st)
	}
	after := sim.Truth()
	status := map[string]string{}
	for _, l := range after.Lines {
		status[l.ItemCode] = l.Status
	}
	for i, w := range wants {
		got := res[i]
		switch {
		case w.refused != "":
			if got.Done || !strings.Contains(got.Message, w.refused) || got.Code != mallsync.EINVALID {
				t.Errorf("write %d (%s %s): %+v, want refused with %q", i, writes[i].Action, writes[i].OrderID, got, w.refused)
			}
		case !got.Done || got.AlreadyDone:
			t.Errorf("write %d (%s %s): %+v, want done", i, writes[i].Action, writes[i].OrderID, got)
		}
		if w.item != "" && status[w.item] != w.status {
			t.Errorf("write %d (%s): line %s is %s, want %s", i, writes[i].Action, w.item, status[w.item], w.status)
		}
	}

	// Again, through 5xx, retried whole as an activity would be when a call gives up: every
	// one that took effect is AlreadyDone, nothing moved twice.
	sim.SetFaults(cafe24sim.Faults{Rate5xx: 0.3})
	var again []mallsync.WriteResult
	for attempt := 1; ; attempt++ {
		if again, err = conn.Write(ctx, writes); err == nil {
			break
		}
		if attempt == 5 {
			t.Fatal(err)
		}
	}
	sim.SetFaults(cafe24sim.Faults{})
	for i, w := range wants {
		if w.refused == "" && (!again[i].Done || !again[i].AlreadyDone) {
			t.Errorf("write %d again: %+v, want done before", i, again[i])
		}
	}
	// Correct one parcel's invoice and deliver another, by shipping_code.
	parcel := map[string]string{}
	for _, s := range after.Shipments {
		parcel[s.TrackingNo] = s.ID
	}
	fixes := []mallsync.WriteBack{
		{Action: mallsync.WriteCorrectInvoice, OrderID: writes[0].OrderID, ShipmentID: parcel["MS-0000"], CarrierCode: "0006", TrackingNo: "MS-FIXED"},
		{Action: mallsync.WriteMarkDelivered, OrderID: writes[1].OrderID, ShipmentID: parcel["MS-0001"]},
		{Action: mallsync.WriteMarkDelivered, OrderID: writes[1].OrderID},
	}
	fixed, err := conn.Write(ctx, fixes)
	if err != nil {
		t.Fatal(err)
	}
	if !fixed[0].Done || !fixed[1].Done || fixed[2].Done || !strings.Contains(fixed[2].Message, "shipment id") {
		t.Fatalf("invoice fixes: %+v", fixed)
	}
	now := sim.Truth()
	for _, s := range now.Shipments {
		if s.ID == parcel["MS-0000"] && (s.TrackingNo != "MS-FIXED" || s.CarrierCode != "0006") {
			t.Errorf("corrected parcel %+v", s)
		}
	}
	for _, l := range now.Lines {
		if l.ItemCode == writes[1].Lines[0].PlatformLineID && l.Status != "N40" {
			t.Errorf("delivered line is %s", l.Status)
		}
	}

	// The order given is the order sent: a return accepted and then collected in one call to
	// Write is collected, though another return's pickup comes first.
	steps, err := conn.Write(ctx, []mallsync.WriteBack{
		{Action: mallsync.WriteReturnCollected, OrderID: x.OrderID, ClaimID: x.ClaimCode},
		{Action: mallsync.WriteAcceptReturn, OrderID: y.OrderID, Lines: []mallsync.WriteLine{{PlatformLineID: y.ItemCode, Quantity: y.Quantity}}},
		{Action: mallsync.WriteReturnCollected, OrderID: y.OrderID, ClaimID: y.ClaimCode},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range steps {
		if !r.Done {
			t.Fatalf("step %d: %+v", i, r)
		}
	}

	shipped := 0
	for _, s := range sim.Truth().Shipments {
		if s.TrackingNo == "MS-REPLACEMENT" && s.Kind != "reshipment" {
			t.Errorf("the replacement went out as a %s, want a reshipment", s.Kind)
		}
		if strings.HasPrefix(s.TrackingNo, "MS-") { // one corrected to MS-FIXED
			shipped++
		}
	}
	if shipped != 121 {
		t.Errorf("%d parcels carry our invoices, want 121", shipped)
	}
}

// The write-backs Cafe24's API has no call for come back refused as results naming why,
// without a call, and leave the write-backs around them alone.
func TestWriteBacksCafe24CannotDo(t *testing.T) {
	t.Parallel()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, kst)
	sim := cafe24sim.New(cafe24sim.Options{Seed: 9, Orders: 500, Start: start, End: start.AddDate(0, 0, 30), NoLimits: true,
		Clock: cafe24sim.NewClock(start.AddDate(0, 0, 20))})
	conn := newSimConnector(t, sim, start)
	var line cafe24sim.TruthLine
	for _, l := range sim.Truth().Lines {
		if l.Status == "N10" {
			line = l
			break
		}
	}
	if line.ItemCode == "" {
		t.Fatal("no line in N10")
	}
	lines := []mallsync.WriteLine{{PlatformLineID: line.ItemCode}}
	tests := []struct {
		w    mallsync.WriteBack
		want string
	}{
		{mallsync.WriteBack{Action: mallsync.WriteConfirmOrder, OrderID: line.OrderID, Lines: lines}, "no order confirmation (발주확인)"},
		{mallsync.WriteBack{Action: mallsync.WriteDelayDispatch, OrderID: line.OrderID, Lines: lines, DueAt: start.AddDate(0, 0, 25), ReasonCode: "ETC"}, "no dispatch-delay (발송지연)"},
		{mallsync.WriteBack{Action: mallsync.WriteHoldReturn, OrderID: line.OrderID, ClaimID: "R20240101-0000001", ReasonCode: "ETC"}, "takes no hold status"},
		{mallsync.WriteBack{Action: mallsync.WriteReleaseReturnHold, OrderID: line.OrderID, ClaimID: "R20240101-0000001"}, "none to release"},
		{mallsync.WriteBack{Action: mallsync.WriteReleaseReturnHold}, "none to release"}, // refused for what it is, not for a missing order id
	}
	writes := []mallsync.WriteBack{}
	for _, tt := range tests {
		writes = append(writes, tt.w)
	}
	// A ship among them still goes out, in one call.
	writes = append(writes, mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: line.OrderID, Lines: lines, CarrierCode: "0001", TrackingNo: "MS-CONFIRM"})
	before := sim.Calls()
	res, err := conn.Write(context.Background(), writes)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		if r := res[i]; r.Done || r.Code != mallsync.EINVALID || !strings.Contains(r.Message, tt.want) {
			t.Errorf("%s: %+v, want EINVALID with %q", tt.w.Action, r, tt.want)
		}
	}
	if r := res[len(tests)]; !r.Done || r.AlreadyDone {
		t.Errorf("ship among the refusals: %+v", r)
	}
	if n := sim.Calls() - before; n != 1 {
		t.Errorf("%d calls, want the ship's one", n)
	}
}
