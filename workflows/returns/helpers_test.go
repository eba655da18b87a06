package returns

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/mallsync/mallsync"
)

const testClaim = "R20260705-0000001"

var testMall = mallsync.Mall{Key: "shop-a", Platform: mallsync.PlatformCafe24,
	Policy: mallsync.Policy{ReturnWithdrawal: true, DefectVerification: mallsync.VerifyByInspection}}

// scenario is one ReturnFlow under test: fakes behind real activities, and a timeline of
// events and updates.
type scenario struct {
	t       *testing.T
	env     *testsuite.TestWorkflowEnvironment
	f       *fakes
	results map[string]*updateResult
	sla     SLA
}

type updateResult struct {
	done bool
	err  error
}

type option func(*mallsync.Mall, *mallsync.Claim, *mallsync.OrderLine)

func withOwnership(o mallsync.Ownership) option {
	return func(_ *mallsync.Mall, _ *mallsync.Claim, l *mallsync.OrderLine) { l.Ownership = o }
}

func exchange() option {
	return func(_ *mallsync.Mall, c *mallsync.Claim, _ *mallsync.OrderLine) { c.Kind = mallsync.ClaimExchange }
}

func withPolicy(p mallsync.Policy) option {
	return func(m *mallsync.Mall, _ *mallsync.Claim, _ *mallsync.OrderLine) { m.Policy = p }
}

func newScenario(t *testing.T, opts ...option) *scenario {
	t.Helper()
	m := testMall
	c := mallsync.Claim{PlatformClaimID: testClaim, PlatformOrderID: "20260701-0000001", Kind: mallsync.ClaimReturn,
		Status: mallsync.ClaimRequested, PlatformStatus: "R00",
		Lines: []mallsync.ClaimLine{{PlatformLineID: "20260701-0000001-01", Quantity: 1}}}
	l := mallsync.OrderLine{PlatformLineID: "20260701-0000001-01", SKU: "P000000A000A", SupplierCode: "S0000001",
		Quantity: 1, Ownership: mallsync.OwnDirect}
	for _, o := range opts {
		o(&m, &c, &l)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	f := newFakes(m, c, l)
	env.RegisterWorkflowWithOptions(ReturnFlow, workflow.RegisterOptions{Name: WorkflowName})
	env.RegisterActivity(f.activities())
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: WorkflowID(m.Key, testClaim)})
	s := &scenario{t: t, env: env, f: f, results: map[string]*updateResult{}}
	s.event(time.Second, mallsync.ClaimRequested, "R00")
	return s
}

// event signals a platform change of the claim at d; its event id is its platform code.
func (s *scenario) event(d time.Duration, st mallsync.ClaimStatus, code string) {
	s.env.RegisterDelayedCallback(func() {
		s.env.SignalWorkflow(SignalClaimEvent, mallsync.ClaimEvent{EventID: testClaim + "/" + code, Mall: testMall.Key,
			ClaimID: testClaim, Kind: mallsync.ClaimReturn, Status: st, PlatformStatus: code})
	}, d)
}

// arrive has the carrier collect the item at d and bring it in an hour later.
func (s *scenario) arrive(d time.Duration) {
	s.event(d, mallsync.ClaimCollecting, "R20")
	s.event(d+time.Hour, mallsync.ClaimCollected, "R30")
}

// update sends an update at d; its outcome is kept under label.
func (s *scenario) update(d time.Duration, label, name string, arg func() any) {
	s.env.RegisterDelayedCallback(func() {
		r := &updateResult{}
		s.results[label] = r
		s.env.UpdateWorkflow(name, label, &testsuite.TestUpdateCallback{
			OnAccept:   func() {},
			OnReject:   func(err error) { r.done, r.err = true, err },
			OnComplete: func(_ any, err error) { r.done, r.err = true, err },
		}, arg())
	}, d)
}

// complete completes, at d, the newest task of kind with result.
func (s *scenario) complete(d time.Duration, label string, kind mallsync.TaskKind, result any) {
	s.update(d, label, UpdateCompleteTask, func() any {
		ts := s.f.tasksOf(kind)
		if len(ts) == 0 {
			s.t.Errorf("%s: no %s task to complete", label, kind)
			return CompleteTask{}
		}
		b, _ := json.Marshal(result)
		return CompleteTask{TaskID: ts[len(ts)-1].ID, Result: b, By: "kim"}
	})
}

// run executes the flow and returns its final state; it fails the test unless it closed.
func (s *scenario) run() State {
	s.t.Helper()
	s.env.ExecuteWorkflow(ReturnFlow, Input{Mall: testMall.Key, ClaimID: testClaim, SLA: s.sla})
	if !s.env.IsWorkflowCompleted() {
		s.t.Fatal("the flow did not complete")
	}
	if err := s.env.GetWorkflowError(); err != nil {
		s.t.Fatalf("the flow failed: %v", err)
	}
	var st State
	if err := s.env.GetWorkflowResult(&st); err != nil {
		s.t.Fatal(err)
	}
	return st
}

// accepted fails the test unless the update under label completed without error.
func (s *scenario) accepted(label string) {
	s.t.Helper()
	r := s.results[label]
	if r == nil || !r.done || r.err != nil {
		s.t.Errorf("update %s: %+v, want it accepted and done", label, r)
	}
}

// refused fails the test unless the update under label was refused with code and a reason
// containing reason.
func (s *scenario) refused(label, code, reason string) {
	s.t.Helper()
	r := s.results[label]
	if r == nil || r.err == nil {
		s.t.Errorf("update %s: %+v, want it refused with %s", label, r, code)
		return
	}
	var appErr *temporal.ApplicationError
	if !errors.As(r.err, &appErr) || appErr.Type() != code || !contains(appErr.Error(), reason) {
		s.t.Errorf("update %s refused with %v, want %s containing %q", label, r.err, code, reason)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

var (
	restock    = mallsync.InspectionResult{Disposition: mallsync.DispositionRestock, Grade: "A"}
	defective  = mallsync.InspectionResult{Defect: true, Disposition: mallsync.DispositionQuarantine, Grade: "C"}
	rejectItem = mallsync.InspectionResult{Disposition: mallsync.DispositionReject, Note: "사용 흔적"}
	parcel     = mallsync.ReshipmentResult{CarrierCode: "0001", TrackingNo: "612345678999"}
)

// net sums the quantities of the movements.
func net(ms []mallsync.Movement) int {
	n := 0
	for _, m := range ms {
		n += m.Quantity
	}
	return n
}

func describe(ms []mallsync.Movement) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = fmt.Sprintf("%s %s %s %s %+d", m.Key, m.Kind, m.Location, m.Ownership, m.Quantity)
	}
	return out
}
