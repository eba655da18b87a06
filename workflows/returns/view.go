package returns

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync"
)

// Flows implements mallsync.ReturnFlows over a Temporal client: the state query of the claim's
// ReturnFlow, running or closed (Temporal answers queries of closed workflows while it keeps
// their history).
type Flows struct {
	Client client.Client
}

// ReturnFlow returns the view of the claim's flow, or ENOTFOUND when it has none.
func (f Flows) ReturnFlow(ctx context.Context, mall mallsync.MallKey, claimID string) (mallsync.ReturnFlowView, error) {
	id := WorkflowID(mall, claimID)
	res, err := f.Client.QueryWorkflow(ctx, id, "", QueryState)
	if err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return mallsync.ReturnFlowView{}, mallsync.Errorf(mallsync.ENOTFOUND, "claim %s of %s has no return flow", claimID, mall)
		}
		return mallsync.ReturnFlowView{}, fmt.Errorf("querying %s: %w", id, err)
	}
	var st State
	if err := res.Get(&st); err != nil {
		return mallsync.ReturnFlowView{}, fmt.Errorf("decoding the state of %s: %w", id, err)
	}
	return st.View(id), nil
}

// View is the state as the order page shows it, with the actions an agent may take now (the
// same rules as the updates' validators, so a button shown is an action the flow takes).
func (s *State) View(workflowID string) mallsync.ReturnFlowView {
	v := mallsync.ReturnFlowView{WorkflowID: workflowID, ClaimID: s.ClaimID, Kind: s.Kind, Stage: string(s.Stage),
		Outcome: string(s.Outcome), Decision: string(s.Decision), DecidedBy: s.DecidedBy, Reason: s.Reason,
		Arrived: s.Arrived, Refunded: s.Refunded, Waiting: s.Waiting, Escalated: s.Escalated, Allowed: s.allowed()}
	for _, h := range s.History {
		v.History = append(v.History, mallsync.ReturnFlowStep{At: h.At, What: h.What, By: h.By})
	}
	return v
}

// allowed lists the agent actions the flow would take now: approve and reject while nothing
// is decided, withdraw where the policy allows it and nothing final has happened.
func (s *State) allowed() []string {
	if s.closed() || s.Outcome == OutcomeWithdrawn || s.Stage == "" {
		return nil
	}
	var out []string
	if s.Decision == "" {
		out = append(out, "approve", "reject")
	}
	if s.WithdrawalAllowed && s.Decision != DecisionReject && !s.Refunded && s.Reshipment == nil {
		out = append(out, "withdraw")
	}
	return out
}

var _ mallsync.ReturnFlows = Flows{}
