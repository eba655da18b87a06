package returns

import (
	"slices"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

// A return runs to its end by ownership: direct and logistics goods come into our warehouse
// (under their owner), consignment goods do not: a return_to_supplier task instead.
func TestReturnHappyPathByOwnership(t *testing.T) {
	t.Parallel()
	tests := []struct {
		own        mallsync.Ownership
		result     mallsync.InspectionResult
		wantMoves  []string
		toSupplier int
	}{
		{mallsync.OwnDirect, restock, []string{"return/" + testClaim + "/receipt/20260701-0000001-01 receipt warehouse direct +1"}, 0},
		{mallsync.OwnDirect, defective, []string{"return/" + testClaim + "/quarantine/20260701-0000001-01 quarantine quarantine direct +1"}, 0},
		{mallsync.OwnLogistics, restock, []string{"return/" + testClaim + "/receipt/20260701-0000001-01 receipt warehouse logistics +1"}, 0},
		{mallsync.OwnConsignment, restock, nil, 1},
	}
	for _, tt := range tests {
		t.Run(string(tt.own)+"/"+string(tt.result.Disposition), func(t *testing.T) {
			t.Parallel()
			s := newScenario(t, withOwnership(tt.own))
			s.arrive(time.Hour)
			s.complete(3*time.Hour, "inspect", mallsync.TaskInspection, tt.result)
			s.event(5*time.Hour, mallsync.ClaimCompleted, "R40")
			st := s.run()
			s.accepted("inspect")
			if st.Outcome != OutcomeCompleted || !st.Refunded || st.Decision != DecisionApprove {
				t.Errorf("state = %+v", st)
			}
			if got := describe(s.f.movements()); !slices.Equal(got, tt.wantMoves) {
				t.Errorf("movements = %q, want %q", got, tt.wantMoves)
			}
			if ms := s.f.movements(); len(ms) > 0 && ms[0].Supplier != "S0000001" {
				t.Errorf("movement supplier = %q", ms[0].Supplier)
			}
			if got := s.f.actions(); !slices.Equal(got, []mallsync.WriteAction{mallsync.WriteReturnCompleted}) {
				t.Errorf("write-backs = %v", got)
			}
			if n := len(s.f.tasksOf(mallsync.TaskReturnToSupplier)); n != tt.toSupplier {
				t.Errorf("return_to_supplier tasks = %d, want %d", n, tt.toSupplier)
			}
			if ins := s.f.tasksOf(mallsync.TaskInspection); len(ins) != 1 || ins[0].Status != mallsync.TaskDone {
				t.Errorf("inspection tasks = %+v", ins)
			}
			if n := len(s.f.notifications()); n != 0 {
				t.Errorf("%d notifications queued within the SLAs", n)
			}
		})
	}
}

// A rejected return is written back with the reason and shipped back to the buyer; the new
// invoice is written back.
func TestRejectionShipsTheItemBack(t *testing.T) {
	t.Parallel()
	s := newScenario(t)
	s.arrive(time.Hour)
	s.complete(3*time.Hour, "inspect", mallsync.TaskInspection, rejectItem)
	s.complete(5*time.Hour, "reship", mallsync.TaskReshipment, parcel)
	st := s.run()
	s.accepted("inspect")
	s.accepted("reship")
	if st.Outcome != OutcomeRejected || st.Reshipment == nil || st.Reshipment.TrackingNo != parcel.TrackingNo {
		t.Errorf("state = %+v", st)
	}
	want := []mallsync.WriteAction{mallsync.WriteRejectReturn, mallsync.WriteShip}
	if got := s.f.actions(); !slices.Equal(got, want) {
		t.Fatalf("write-backs = %v, want %v", got, want)
	}
	if w := s.f.writes[0]; w.Reason != "사용 흔적" || w.ClaimID != testClaim {
		t.Errorf("rejection write-back = %+v", w)
	}
	if w := s.f.writes[1]; w.TrackingNo != parcel.TrackingNo || w.CarrierCode != parcel.CarrierCode || len(w.Lines) != 1 {
		t.Errorf("re-shipment write-back = %+v", w)
	}
	if ms := s.f.movements(); len(ms) != 0 {
		t.Errorf("a rejected return moved stock: %q", describe(ms))
	}
}

// An exchange receives the returned item, ships the replacement and completes on the platform.
func TestExchangeShipsTheReplacement(t *testing.T) {
	t.Parallel()
	s := newScenario(t, exchange())
	s.arrive(time.Hour)
	s.complete(3*time.Hour, "inspect", mallsync.TaskInspection, restock)
	s.complete(6*time.Hour, "reship", mallsync.TaskReshipment, parcel)
	st := s.run()
	s.accepted("reship")
	if st.Outcome != OutcomeCompleted || st.Reshipment == nil {
		t.Errorf("state = %+v", st)
	}
	want := []mallsync.WriteAction{mallsync.WriteExchangeCollected, mallsync.WriteShip, mallsync.WriteExchangeCompleted}
	if got := s.f.actions(); !slices.Equal(got, want) {
		t.Errorf("write-backs = %v, want %v", got, want)
	}
	rs := s.f.tasksOf(mallsync.TaskReshipment)
	if len(rs) != 1 || rs[0].Key != WorkflowID(testMall.Key, testClaim)+"/reshipment/replacement" || rs[0].Status != mallsync.TaskDone {
		t.Errorf("reshipment tasks = %+v", rs)
	}
	if ms := s.f.movements(); net(ms) != 1 {
		t.Errorf("movements = %q, want the returned item received", describe(ms))
	}
}

// A withdrawal undoes what the return did so far: open tasks canceled, every movement
// reversed, and one reshipment task when the item had reached us.
func TestWithdrawal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		script       func(s *scenario)
		wantReship   bool
		wantWithdraw bool // written back (an agent's withdrawal)
		wantCanceled int
		wantReversed int
	}{
		{name: "before pickup, by the platform", script: func(s *scenario) {
			s.event(time.Hour, mallsync.ClaimWithdrawn, "undone")
		}},
		{name: "after arrival, by an agent", script: func(s *scenario) {
			s.arrive(time.Hour)
			s.update(3*time.Hour, "withdraw", UpdateWithdraw, func() any { return Withdraw{By: "lee"} })
			s.update(4*time.Hour, "withdraw-again", UpdateWithdraw, func() any { return Withdraw{By: "lee"} })
			s.event(4*time.Hour, mallsync.ClaimWithdrawn, "undone")
			s.complete(6*time.Hour, "reship", mallsync.TaskReshipment, parcel)
		}, wantReship: true, wantWithdraw: true, wantCanceled: 1},
		{name: "after inspection, by the platform", script: func(s *scenario) {
			s.arrive(time.Hour)
			s.complete(3*time.Hour, "inspect", mallsync.TaskInspection, restock)
			s.event(5*time.Hour, mallsync.ClaimWithdrawn, "undone")
			s.event(5*time.Hour+time.Minute, mallsync.ClaimWithdrawn, "undone-again")
			s.complete(7*time.Hour, "reship", mallsync.TaskReshipment, parcel)
		}, wantReship: true, wantReversed: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newScenario(t)
			tt.script(s)
			st := s.run()
			if st.Outcome != OutcomeWithdrawn || st.Reversed != tt.wantReversed {
				t.Errorf("state = %+v", st)
			}
			if r := s.results["withdraw-again"]; r != nil {
				s.refused("withdraw-again", mallsync.ECONFLICT, "withdrawn")
			}
			rs := s.f.tasksOf(mallsync.TaskReshipment)
			if tt.wantReship != (len(rs) == 1) || len(rs) > 1 {
				t.Errorf("reshipment tasks = %+v, want one: %v", rs, tt.wantReship)
			}
			if net(s.f.movements()) != 0 {
				t.Errorf("movements do not balance: %q", describe(s.f.movements()))
			}
			canceled := 0
			for _, k := range []mallsync.TaskKind{mallsync.TaskInspection, mallsync.TaskPhotoReview} {
				for _, tk := range s.f.tasksOf(k) {
					if tk.Status == mallsync.TaskCanceled {
						canceled++
					}
				}
			}
			if canceled != tt.wantCanceled {
				t.Errorf("canceled tasks = %d, want %d", canceled, tt.wantCanceled)
			}
			if got := slices.Contains(s.f.actions(), mallsync.WriteWithdrawClaim); got != tt.wantWithdraw {
				t.Errorf("withdraw_claim written back: %v, want %v (%v)", got, tt.wantWithdraw, s.f.actions())
			}
		})
	}
}

// Where the mall verifies defects by photo, an agent reviews the photos before the item is
// back; the receipt waits for the item.
func TestPhotoReviewPolicy(t *testing.T) {
	t.Parallel()
	s := newScenario(t, withPolicy(mallsync.Policy{DefectVerification: mallsync.VerifyByPhoto}))
	s.complete(2*time.Hour, "review", mallsync.TaskPhotoReview, restock)
	s.env.RegisterDelayedCallback(func() {
		if ms := s.f.movements(); len(ms) != 0 {
			t.Errorf("received before the item arrived: %q", describe(ms))
		}
	}, 10*time.Hour)
	s.arrive(20 * time.Hour)
	s.event(30*time.Hour, mallsync.ClaimCompleted, "R40")
	st := s.run()
	s.accepted("review")
	if st.Outcome != OutcomeCompleted || st.DecidedBy != "kim" {
		t.Errorf("state = %+v", st)
	}
	if n := len(s.f.tasksOf(mallsync.TaskInspection)); n != 0 {
		t.Errorf("%d inspection tasks where the policy says photo", n)
	}
	if net(s.f.movements()) != 1 {
		t.Errorf("movements = %q", describe(s.f.movements()))
	}
}

// Expired SLAs raise the waited-for task's priority (or open a follow-up) and queue one buyer
// notification each, however long the wait goes on.
func TestSLAEscalation(t *testing.T) {
	t.Parallel()
	s := newScenario(t)
	s.sla = SLA{Pickup: 24 * time.Hour, Inspection: 10 * time.Hour, Refund: 5 * time.Hour}
	s.arrive(30 * time.Hour) // pickup SLA expires at 24h
	s.env.RegisterDelayedCallback(func() {
		ins := s.f.tasksOf(mallsync.TaskInspection)
		if len(ins) != 1 || ins[0].Priority != mallsync.PriorityHigh {
			t.Errorf("inspection task after its SLA = %+v, want priority high", ins)
		}
	}, 50*time.Hour)
	s.complete(80*time.Hour, "inspect", mallsync.TaskInspection, restock)
	s.event(100*time.Hour, mallsync.ClaimCompleted, "R40")
	st := s.run()
	if !slices.Equal(st.Escalated, []string{slaPickup, slaInspection, slaRefund}) {
		t.Errorf("escalated = %v", st.Escalated)
	}
	var kinds []string
	for _, n := range s.f.notifications() {
		kinds = append(kinds, n.Kind)
	}
	if !slices.Equal(kinds, []string{"sla_pickup", "sla_inspection", "sla_refund"}) {
		t.Errorf("notifications = %v, want one per SLA", kinds)
	}
	fu := s.f.tasksOf(mallsync.TaskAgentFollowup)
	if len(fu) != 2 || fu[0].Priority != mallsync.PriorityHigh {
		t.Errorf("follow-up tasks = %+v, want pickup and refund", fu)
	}
}

// The platform's repeated events change nothing.
func TestDuplicateEventsIgnored(t *testing.T) {
	t.Parallel()
	s := newScenario(t)
	s.arrive(time.Hour)
	s.event(2*time.Hour+time.Minute, mallsync.ClaimCollected, "R30")
	s.event(time.Hour+time.Minute, mallsync.ClaimCollecting, "R20")
	s.complete(3*time.Hour, "inspect", mallsync.TaskInspection, restock)
	s.event(5*time.Hour, mallsync.ClaimCompleted, "R40")
	s.event(5*time.Hour+time.Second, mallsync.ClaimCompleted, "R40")
	st := s.run()
	if len(st.Events) != 4 {
		t.Errorf("events = %v, want 4 distinct", st.Events)
	}
	if n := len(s.f.tasksOf(mallsync.TaskInspection)); n != 1 {
		t.Errorf("inspection tasks = %d", n)
	}
	if n := len(s.f.movements()); n != 1 {
		t.Errorf("movements = %d", n)
	}
}

// Actions the flow cannot take now are refused at once with a reason.
func TestInvalidUpdatesRefused(t *testing.T) {
	t.Parallel()
	s := newScenario(t, withPolicy(mallsync.Policy{ReturnWithdrawal: false}))
	s.arrive(time.Hour)
	s.update(3*time.Hour, "withdraw", UpdateWithdraw, func() any { return Withdraw{By: "lee"} })
	s.update(3*time.Hour, "unknown-task", UpdateCompleteTask, func() any { return CompleteTask{TaskID: 99, Result: []byte(`{}`)} })
	s.complete(3*time.Hour, "wrong-kind", mallsync.TaskInspection, parcel)
	s.complete(3*time.Hour, "bad-disposition", mallsync.TaskInspection, map[string]any{"disposition": "burn"})
	s.update(3*time.Hour, "reject-no-reason", UpdateReject, func() any { return Reject{By: "lee"} })
	s.update(3*time.Hour, "reassign", UpdateReassign, func() any {
		return Reassign{TaskID: s.f.tasksOf(mallsync.TaskInspection)[0].ID, Assignee: "park", By: "lee"}
	})
	s.update(4*time.Hour, "approve", UpdateApprove, func() any { return Approve{By: "lee"} })
	s.update(5*time.Hour, "approve-again", UpdateApprove, func() any { return Approve{By: "choi"} })
	s.complete(5*time.Hour, "not-waited", mallsync.TaskInspection, restock)
	s.event(8*time.Hour, mallsync.ClaimCompleted, "R40")
	s.update(9*time.Hour, "after-close", UpdateApprove, func() any { return Approve{By: "lee"} })
	st := s.run()
	s.refused("withdraw", mallsync.EINVALID, "policy does not let agents withdraw")
	s.refused("unknown-task", mallsync.EINVALID, "task 99 is not a task of return")
	s.refused("wrong-kind", mallsync.EINVALID, "needs an inspection result")
	s.refused("bad-disposition", mallsync.EINVALID, `disposition "burn"`)
	s.refused("reject-no-reason", mallsync.EINVALID, "needs a reason")
	s.accepted("reassign")
	s.accepted("approve")
	s.refused("approve-again", mallsync.ECONFLICT, "already approved by lee")
	s.refused("not-waited", mallsync.ECONFLICT, "waits for no task")
	if r := s.results["after-close"]; r != nil && r.err == nil {
		t.Errorf("an update after the flow closed was accepted")
	}
	if st.Outcome != OutcomeCompleted || st.DecidedBy != "lee" {
		t.Errorf("state = %+v", st)
	}
	ins := s.f.tasksOf(mallsync.TaskInspection)
	if len(ins) != 1 || ins[0].Status != mallsync.TaskCanceled || ins[0].Assignee != "park" {
		t.Errorf("inspection task = %+v, want reassigned, then canceled by the approval", ins)
	}
}

// A write-back the platform refuses becomes an agent follow-up task; the flow goes on.
func TestRefusedWriteBackOpensFollowUp(t *testing.T) {
	t.Parallel()
	s := newScenario(t)
	s.f.refuse[mallsync.WriteReturnCompleted] = true
	s.arrive(time.Hour)
	s.complete(3*time.Hour, "inspect", mallsync.TaskInspection, restock)
	s.event(5*time.Hour, mallsync.ClaimCompleted, "R40")
	st := s.run()
	fu := s.f.tasksOf(mallsync.TaskAgentFollowup)
	if len(fu) != 1 || fu[0].Key != WorkflowID(testMall.Key, testClaim)+"/writeback/return_completed" {
		t.Errorf("follow-up tasks = %+v", fu)
	}
	if st.Outcome != OutcomeCompleted {
		t.Errorf("state = %+v", st)
	}
}

// An agent's withdrawal the platform refuses (it completed the return already) is refused to
// the agent with the platform's reason, and the flow goes on as if nothing was asked: its
// inspection task stays open, nothing is reversed, and the return completes.
func TestWithdrawalRefusedByThePlatform(t *testing.T) {
	t.Parallel()
	s := newScenario(t)
	s.f.refuse[mallsync.WriteWithdrawClaim] = true
	s.arrive(time.Hour)
	s.update(2*time.Hour, "withdraw", UpdateWithdraw, func() any { return Withdraw{By: "lee"} })
	s.complete(3*time.Hour, "inspect", mallsync.TaskInspection, restock)
	s.event(5*time.Hour, mallsync.ClaimCompleted, "R40")
	st := s.run()
	s.refused("withdraw", mallsync.ECONFLICT, "the platform refused")
	if st.Outcome != OutcomeCompleted || st.Reversed != 0 || len(st.Movements) != 1 {
		t.Errorf("state = %+v", st)
	}
	if rs := s.f.tasksOf(mallsync.TaskReshipment); len(rs) != 0 {
		t.Errorf("reshipment tasks = %+v, want none", rs)
	}
	for _, tk := range s.f.tasksOf(mallsync.TaskInspection) {
		if tk.Status == mallsync.TaskCanceled {
			t.Errorf("the inspection task was canceled: %+v", tk)
		}
	}
}
