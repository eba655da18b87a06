package console

import (
	"log/slog"
	"net/http"

	"github.com/mallsync/mallsync"
)

// auditor appends an audit row for every action a person takes through the API. A row that
// cannot be written is logged as an error (the action itself has happened); a nil log writes
// nothing.
type auditor struct {
	log    mallsync.AuditLog
	logger *slog.Logger
}

// record appends that u took action on target, with detail (never secrets or personal data)
// and how u was authenticated ("auth": session or token, unless detail says).
func (a auditor) record(r *http.Request, u User, action, target string, detail map[string]any) {
	if a.log == nil {
		return
	}
	if detail == nil {
		detail = map[string]any{}
	}
	if _, set := detail["auth"]; !set {
		detail["auth"] = "token"
		if _, ok := SessionFrom(r.Context()); ok {
			detail["auth"] = "session"
		}
	}
	e := mallsync.AuditEntry{User: u.Name, Role: u.Role, Action: action, Target: target, Detail: detail}
	if err := a.log.Record(r.Context(), e); err != nil {
		a.logger.ErrorContext(r.Context(), "audit entry not recorded", "action", action, "target", target, "user", u.Name, "err", err)
	}
}
