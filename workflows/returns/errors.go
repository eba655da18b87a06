package returns

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/mallsync/mallsync"
)

// nonRetryable are the error types (mallsync error codes) retrying a write-back cannot fix.
var nonRetryable = []string{mallsync.EINVALID, mallsync.EUNAUTHORIZED, mallsync.EFORBIDDEN, mallsync.ENOTFOUND}

// storeNonRetryable adds ECONFLICT for store activities: a task that someone else closed stays
// closed however often it is asked again.
var storeNonRetryable = append([]string{mallsync.ECONFLICT}, nonRetryable...)

// activityError turns mallsync errors into Temporal application errors whose type is the error
// code, so that retry policies can name the codes that must not be retried.
func activityError(err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return temporal.NewApplicationErrorWithCause(err.Error(), mallsync.ErrorCode(err), err)
}

// refuse is a validator's refusal: its type is the mallsync code (EINVALID, ECONFLICT) and its
// message the reason a person reads.
func refuse(code, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), code, nil)
}
