package mallsync

import (
	"errors"
	"fmt"
)

// Error codes callers may tell apart. The console maps them to HTTP statuses in one table, and
// Temporal activities use them as non-retryable error types where retrying cannot help.
const (
	EINVALID      = "EINVALID"      // the input is wrong; retrying the same input fails again
	ENOTFOUND     = "ENOTFOUND"     // the thing asked for does not exist
	ECONFLICT     = "ECONFLICT"     // the state moved on (stale cursor, concurrent writer)
	EUNAUTHORIZED = "EUNAUTHORIZED" // credentials missing, expired or revoked
	EFORBIDDEN    = "EFORBIDDEN"    // authenticated, but not allowed
	ERATELIMITED  = "ERATELIMITED"  // a platform or our own budget said "later"
	EUNAVAILABLE  = "EUNAVAILABLE"  // a dependency is down or answered 5xx
	EINTERNAL     = "EINTERNAL"     // a bug or an unexpected failure
)

// Error is mallsync's error with a machine-readable code and a message fit for a person.
// The message never contains secrets or personal data.
type Error struct {
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or "internal error"
// for errors that are not mallsync errors (their text may hold details not fit to show).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
