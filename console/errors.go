package console

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/mallsync/mallsync"
)

// httpError is how one mallsync error code reads over HTTP.
type httpError struct {
	status int
	code   string
}

// errorTable maps mallsync error codes to HTTP statuses and API error codes. Anything not in
// it is an internal error.
var errorTable = map[string]httpError{
	mallsync.EINVALID:      {http.StatusBadRequest, "invalid"},
	mallsync.ENOTFOUND:     {http.StatusNotFound, "not_found"},
	mallsync.ECONFLICT:     {http.StatusConflict, "conflict"},
	mallsync.EUNAUTHORIZED: {http.StatusUnauthorized, "unauthorized"},
	mallsync.EFORBIDDEN:    {http.StatusForbidden, "forbidden"},
	mallsync.ERATELIMITED:  {http.StatusTooManyRequests, "rate_limited"},
	mallsync.EUNAVAILABLE:  {http.StatusServiceUnavailable, "unavailable"},
	mallsync.EINTERNAL:     {http.StatusInternalServerError, "internal"},
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// writeErrorCode writes {"error":{"code","message"}} with status.
func writeErrorCode(w http.ResponseWriter, status int, code, message string) {
	var b errorBody
	b.Error.Code, b.Error.Message = code, message
	writeJSON(w, status, b)
}

// writeError writes err through the error table. Internal errors are logged with their
// detail and shown as "internal error".
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	he, ok := errorTable[mallsync.ErrorCode(err)]
	if !ok || he.status == http.StatusInternalServerError {
		logger.ErrorContext(r.Context(), "api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeErrorCode(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	if he.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mallsync"`)
	}
	writeErrorCode(w, he.status, he.code, mallsync.ErrorMessage(err))
}

// writeRefusal writes a workflow's refusal of an action: the reason it gave, as 422 when the
// workflow found the input unacceptable (EINVALID) and 409 when it is past the step the action
// belongs to (ECONFLICT, or ENOTFOUND: the workflow is no longer running). Other failures go
// through the error table.
func writeRefusal(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	switch mallsync.ErrorCode(err) {
	case mallsync.EINVALID:
		writeErrorCode(w, http.StatusUnprocessableEntity, "refused", mallsync.ErrorMessage(err))
	case mallsync.ECONFLICT, mallsync.ENOTFOUND:
		writeErrorCode(w, http.StatusConflict, "conflict", mallsync.ErrorMessage(err))
	default:
		writeError(w, r, logger, err)
	}
}
