package console

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/mallsync/mallsync"
)

// TaskDeps is what the task API needs.
type TaskDeps struct {
	// Tasks reads and changes tasks (required).
	Tasks mallsync.TaskStore
	// Returns completes the tasks a workflow waits for, through the workflow. Nil makes such
	// completions answer 503.
	Returns mallsync.ReturnActions
	// Auth maps bearer tokens (and, for a SessionAuthenticator, session cookies) to users
	// (required).
	Auth Authenticator
	// Logger gets internal errors and one line per action taken; nil means slog.Default.
	Logger *slog.Logger
	// Audit gets a row per action a person takes (claim, complete, memo, reassign, priority);
	// nil writes none.
	Audit mallsync.AuditLog
	// NowFunc is the clock for ageing and overdue; nil means time.Now.
	NowFunc func() time.Time
}

type taskAPI struct {
	tasks   mallsync.TaskStore
	returns mallsync.ReturnActions
	auth    Authenticator
	logger  *slog.Logger
	audit   auditor
	now     func() time.Time
}

// NewTaskAPI returns the JSON API over tasks:
//
//	GET  /api/tasks?kind=&status=&assignee=&priority=&mall=&claim=&limit=   agent, logistics, admin
//	GET  /api/tasks/{id}                                                   agent, logistics, admin
//	POST /api/tasks/{id}/claim                                             logistics, admin (agents: photo_review)
//	POST /api/tasks/{id}/complete    the result JSON                       logistics, admin (agents: photo_review)
//	POST /api/tasks/{id}/memos       {"body": "..."}                       logistics, admin (agents: photo_review)
//	POST /api/tasks/{id}/reassign    {"assignee": "..."}                   logistics, admin
//	POST /api/tasks/{id}/priority    {"priority": "low|normal|high|urgent"} logistics, admin
//
// It panics when deps lacks Tasks or Auth.
func NewTaskAPI(deps TaskDeps) http.Handler {
	if deps.Auth == nil {
		panic("console.NewTaskAPI: Tasks and Auth are required")
	}
	a := newTaskAPI(deps)
	mux := http.NewServeMux()
	a.routes(mux)
	apiNotFound(mux)
	return authenticate(deps.Auth, a.logger, mux)
}

// newTaskAPI builds the task handlers over deps.
func newTaskAPI(deps TaskDeps) *taskAPI {
	if deps.Tasks == nil {
		panic("console: Tasks is required")
	}
	a := &taskAPI{tasks: deps.Tasks, returns: deps.Returns, auth: deps.Auth, logger: deps.Logger, now: deps.NowFunc}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.audit = auditor{log: deps.Audit, logger: a.logger}
	return a
}

// routes adds the task API's routes to mux.
func (a *taskAPI) routes(mux *http.ServeMux) {
	addRoutes(mux, []route{
		{"GET", "/api/tasks", a.list},
		{"GET", "/api/tasks/{id}", a.get},
		{"POST", "/api/tasks/{id}/claim", a.postClaim},
		{"POST", "/api/tasks/{id}/complete", a.postComplete},
		{"POST", "/api/tasks/{id}/memos", a.postMemo},
		{"POST", "/api/tasks/{id}/reassign", a.postReassign},
		{"POST", "/api/tasks/{id}/priority", a.postPriority},
	})
}

// parseTaskID reads the {id} of a task's path.
func parseTaskID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, mallsync.Errorf(mallsync.EINVALID, "task id %q: expected a positive whole number", clip(raw))
	}
	return id, nil
}

// clip shortens a value quoted back in an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// forbidden is the refusal for a role that may not take action.
func forbidden(u User, action taskAction, kind mallsync.TaskKind) error {
	if kind != "" {
		return mallsync.Errorf(mallsync.EFORBIDDEN, "role %s may not %s %s tasks", u.Role, action, kind)
	}
	return mallsync.Errorf(mallsync.EFORBIDDEN, "role %s may not %s tasks", u.Role, action)
}

// begin starts an action on the task of the path: it checks the id and the user's role and
// loads the task (load). On failure it has written the error and returns false.
func (a *taskAPI) begin(w http.ResponseWriter, r *http.Request, action taskAction) (mallsync.Task, User, bool) {
	u, _ := UserFrom(r.Context())
	t, err := a.load(r.Context(), u, action, r.PathValue("id"))
	if err != nil {
		writeError(w, r, a.logger, err)
		return mallsync.Task{}, u, false
	}
	return t, u, true
}

// respond re-reads task id and writes it with status.
func (a *taskAPI) respond(w http.ResponseWriter, r *http.Request, status int, id int64) {
	t, err := a.tasks.Task(r.Context(), id)
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	writeJSON(w, status, map[string]any{"task": toDetailJSON(t, a.now())})
}

// auditActions names the task actions in the audit log.
var auditActions = map[taskAction]string{
	actClaim:    "task.claim",
	actComplete: "task.complete",
	actMemo:     "task.memo",
	actReassign: "task.reassign",
	actPriority: "task.priority",
}

// acted logs an action a person took and records it in the audit log; attrs are key-value
// pairs for both.
func (a *taskAPI) acted(r *http.Request, u User, action taskAction, t mallsync.Task, attrs ...any) {
	a.logger.InfoContext(r.Context(), "task action", append([]any{"action", string(action), "task", t.ID,
		"kind", string(t.Kind), "user", u.Name, "role", string(u.Role)}, attrs...)...)
	detail := map[string]any{"kind": string(t.Kind), "mall": string(t.Mall)}
	for i := 0; i+1 < len(attrs); i += 2 {
		if k, ok := attrs[i].(string); ok {
			detail[k] = attrs[i+1]
		}
	}
	a.audit.record(r, u, auditActions[action], "task/"+strconv.FormatInt(t.ID, 10), detail)
}

func (a *taskAPI) list(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	if !mayEver(u.Role, actRead) {
		writeError(w, r, a.logger, forbidden(u, actRead, ""))
		return
	}
	f, err := parseTaskFilter(r.URL.Query())
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	tasks, err := a.tasks.Tasks(r.Context(), f)
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	now := a.now()
	out := make([]taskJSON, len(tasks))
	for i, t := range tasks {
		out[i] = toJSON(t, now)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tasks": out, "count": len(out)})
}

func (a *taskAPI) get(w http.ResponseWriter, r *http.Request) {
	t, _, ok := a.begin(w, r, actRead)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"task": toDetailJSON(t, a.now())})
}

func (a *taskAPI) postClaim(w http.ResponseWriter, r *http.Request) {
	t, u, ok := a.begin(w, r, actClaim)
	if !ok {
		return
	}
	var none struct{}
	if err := decodeBody(r, &none, true); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	if err := a.claimTask(r, u, t); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	a.respond(w, r, http.StatusOK, t.ID)
}

// postComplete completes the task with the result in the body. A task a workflow waits for
// is completed through the workflow (which may refuse, 409 or 422 with its reason, and closes
// the task itself: 202 while it has not yet); any other task in the store.
func (a *taskAPI) postComplete(w http.ResponseWriter, r *http.Request) {
	t, u, ok := a.begin(w, r, actComplete)
	if !ok {
		return
	}
	result, err := decodeResult(r, t.Kind)
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	after, err := a.completeTask(r, u, t, result)
	if ref, refused := asRefusal(err); refused {
		writeRefusal(w, r, a.logger, ref.err)
		return
	}
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	status := http.StatusOK
	if !closed(after.Status) {
		status = http.StatusAccepted // the workflow took the result and closes the task shortly
	}
	writeJSON(w, status, map[string]any{"task": toDetailJSON(after, a.now())})
}

func (a *taskAPI) postMemo(w http.ResponseWriter, r *http.Request) {
	t, u, ok := a.begin(w, r, actMemo)
	if !ok {
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeBody(r, &in, false); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	if err := a.addMemo(r, u, t, in.Body); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	a.respond(w, r, http.StatusCreated, t.ID)
}

func (a *taskAPI) postReassign(w http.ResponseWriter, r *http.Request) {
	t, u, ok := a.begin(w, r, actReassign)
	if !ok {
		return
	}
	var in struct {
		Assignee *string `json:"assignee"`
	}
	if err := decodeBody(r, &in, false); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	if in.Assignee == nil {
		writeError(w, r, a.logger, mallsync.Errorf(mallsync.EINVALID, `assignee is required ("" to unassign)`))
		return
	}
	if err := a.reassignTask(r, u, t, *in.Assignee); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	a.respond(w, r, http.StatusOK, t.ID)
}

func (a *taskAPI) postPriority(w http.ResponseWriter, r *http.Request) {
	t, u, ok := a.begin(w, r, actPriority)
	if !ok {
		return
	}
	var in struct {
		Priority mallsync.Priority `json:"priority"`
	}
	if err := decodeBody(r, &in, false); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	if err := a.setPriority(r, u, t, in.Priority); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	a.respond(w, r, http.StatusOK, t.ID)
}
