package returns

import (
	"slices"
	"testing"

	"github.com/mallsync/mallsync"
)

func TestStateViewAllowsWhatTheValidatorsTake(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		st   State
		want []string
	}{
		{"open, withdrawal allowed", State{Stage: StageArrived, WithdrawalAllowed: true}, []string{"approve", "reject", "withdraw"}},
		{"open, withdrawal not allowed", State{Stage: StagePickup}, []string{"approve", "reject"}},
		{"approved", State{Stage: StageRefund, Decision: DecisionApprove, WithdrawalAllowed: true}, []string{"withdraw"}},
		{"rejected", State{Stage: StageReshipment, Decision: DecisionReject, WithdrawalAllowed: true}, nil},
		{"refunded", State{Stage: StageRefund, Decision: DecisionApprove, Refunded: true, WithdrawalAllowed: true}, nil},
		{"replacement shipped", State{Stage: StageRefund, Decision: DecisionApprove, WithdrawalAllowed: true,
			Reshipment: &mallsync.ReshipmentResult{}}, nil},
		{"closed", State{Stage: StageClosed, Outcome: OutcomeCompleted, WithdrawalAllowed: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := tt.st.View("return/m/c1")
			if !slices.Equal(v.Allowed, tt.want) {
				t.Errorf("Allowed = %v, want %v", v.Allowed, tt.want)
			}
			if v.WorkflowID != "return/m/c1" || v.Stage != string(tt.st.Stage) {
				t.Errorf("view = %+v", v)
			}
		})
	}
}
