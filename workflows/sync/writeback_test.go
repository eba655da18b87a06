package sync

import (
	"context"
	"errors"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/mallsync/mallsync"
)

// writingConnector is a pagedConnector that also writes back: it answers each write-back
// with result, or fails the whole call with err.
type writingConnector struct {
	pagedConnector
	result mallsync.WriteResult
	err    error
	got    []mallsync.WriteBack
}

func (c *writingConnector) Write(_ context.Context, ws []mallsync.WriteBack) ([]mallsync.WriteResult, error) {
	c.got = append(c.got, ws...)
	if c.err != nil {
		return nil, c.err
	}
	out := make([]mallsync.WriteResult, len(ws))
	for i := range out {
		out[i] = c.result
	}
	return out, nil
}

func TestWriteBackActivity(t *testing.T) {
	t.Parallel()
	writes := []mallsync.WriteBack{{Action: mallsync.WriteShip, OrderID: "o-1", CarrierCode: "0001", TrackingNo: "T1"},
		{Action: mallsync.WriteWithdrawClaim, OrderID: "o-2", ClaimID: "R1", ClaimKind: mallsync.ClaimReturn}}
	tests := []struct {
		name      string
		conn      any
		wantErr   string // the application error's type; "" = none
		retryable bool
	}{
		{"results come back", &writingConnector{result: mallsync.WriteResult{Done: true}}, "", false},
		{"a platform that cannot write", &pagedConnector{}, mallsync.EINVALID, false},
		{"the platform unreachable", &writingConnector{err: mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 unreachable")}, mallsync.EUNAVAILABLE, true},
		{"credentials refused", &writingConnector{err: mallsync.Errorf(mallsync.EUNAUTHORIZED, "re-authorize")}, mallsync.EUNAUTHORIZED, false},
	}
	for _, tt := range tests {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestActivityEnvironment()
		var acts *Activities
		switch c := tt.conn.(type) {
		case *writingConnector:
			acts = newActivities(newMemStore(testMall), c)
		case *pagedConnector:
			acts = newActivities(newMemStore(testMall), c)
		}
		env.RegisterActivity(acts)
		v, err := env.ExecuteActivity(acts.WriteBack, WriteBackInput{Mall: testMall.Key, Writes: writes})
		if tt.wantErr == "" {
			var res WriteBackResult
			if err != nil || v.Get(&res) != nil || len(res.Results) != 2 || !res.Results[1].Done {
				t.Errorf("%s: %v %+v", tt.name, err, res)
			}
			if got := tt.conn.(*writingConnector).got; len(got) != 2 || got[1].ClaimID != "R1" {
				t.Errorf("%s: the connector got %+v", tt.name, got)
			}
			continue
		}
		var appErr *temporal.ApplicationError
		if !errors.As(err, &appErr) || appErr.Type() != tt.wantErr {
			t.Errorf("%s: err %v, want type %s", tt.name, err, tt.wantErr)
			continue
		}
		nonRetry := false
		for _, c := range WriteBackOptions().RetryPolicy.NonRetryableErrorTypes {
			nonRetry = nonRetry || c == appErr.Type()
		}
		if nonRetry == tt.retryable {
			t.Errorf("%s: %s retryable = %v, want %v", tt.name, appErr.Type(), !nonRetry, tt.retryable)
		}
	}
}
