package returns

import (
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/mallsync/mallsync"
)

func TestActionErrorKeepsTheFlowsReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		code     string
		message  string
		internal bool
	}{
		{"none", nil, "", "", false},
		{"validator refusal", refuse(mallsync.EINVALID, "a rejection needs a reason"), mallsync.EINVALID, "a rejection needs a reason", false},
		{"conflict", refuse(mallsync.ECONFLICT, "return R1 is closed (completed)"), mallsync.ECONFLICT, "return R1 is closed (completed)", false},
		{"store activity behind the update", fmt.Errorf("activity error: %w",
			temporal.NewApplicationError("task 3 is done", mallsync.ECONFLICT)), mallsync.ECONFLICT, "task 3 is done", false},
		{"no such flow", serviceerror.NewNotFound("workflow not found"), mallsync.ENOTFOUND, "no running return flow return/shop-a/R1", false},
		{"anything else", errors.New("connection reset"), mallsync.EINTERNAL, "internal error", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := actionError("return/shop-a/R1", UpdateApprove, tt.err)
			if mallsync.ErrorCode(err) != tt.code {
				t.Fatalf("code = %q (%v), want %q", mallsync.ErrorCode(err), err, tt.code)
			}
			if err != nil && mallsync.ErrorMessage(err) != tt.message {
				t.Errorf("message = %q, want %q", mallsync.ErrorMessage(err), tt.message)
			}
		})
	}
}
