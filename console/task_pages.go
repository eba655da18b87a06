package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/mallsync/mallsync"
)

// boardLimit caps the tasks the board lists for one status.
const boardLimit = maxListLimit

// taskPages adds the task board and the task pages:
//
//	GET  /tasks?kind=&status=&assignee=mine&priority=   the board (agents: photo reviews only)
//	GET  /tasks/{id}                                    a task, its result and memos, and its forms
//	POST /tasks/{id}/claim|complete|memo|reassign|priority
//
// A form that worked redirects (303) to the task with ?done= saying what happened; one that
// did not shows the task again with the reason and the status of the error.
func (c *console) taskPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /tasks", c.page(taskPageRoles, c.taskBoard))
	mux.HandleFunc("GET /tasks/{id}", c.page(taskPageRoles, c.taskPage))
	mux.HandleFunc("POST /tasks/{id}/claim", c.page(taskPageRoles, c.taskForm(actClaim, c.claimForm)))
	mux.HandleFunc("POST /tasks/{id}/complete", c.page(taskPageRoles, c.taskForm(actComplete, c.completeForm)))
	mux.HandleFunc("POST /tasks/{id}/memo", c.page(taskPageRoles, c.taskForm(actMemo, c.memoForm)))
	mux.HandleFunc("POST /tasks/{id}/reassign", c.page(taskPageRoles, c.taskForm(actReassign, c.reassignForm)))
	mux.HandleFunc("POST /tasks/{id}/priority", c.page(taskPageRoles, c.taskForm(actPriority, c.priorityForm)))
}

// boardData is the board page's data.
type boardData struct {
	Tabs       []boardTab
	Kind       string
	Status     string
	Mine       bool
	Priority   string
	Statuses   []option
	Priorities []option
	Rows       []taskRow
	// Cut says the list reached its limit: there are more tasks than it shows.
	Cut bool
}

// boardTab is one kind's tab with its count of open and claimed tasks.
type boardTab struct {
	Kind, Label, Count, Href string
	Here                     bool
}

// boardStatuses are the board's status filter; "active" (open and claimed) is the default.
var boardStatuses = []option{
	{"active", "진행 전체 Open + claimed"},
	{string(mallsync.TaskOpen), statusLabels[mallsync.TaskOpen]},
	{string(mallsync.TaskClaimed), statusLabels[mallsync.TaskClaimed]},
	{string(mallsync.TaskDone), statusLabels[mallsync.TaskDone]},
	{string(mallsync.TaskCanceled), statusLabels[mallsync.TaskCanceled]},
	{"all", "전체 All"},
}

// parseBoard reads the board's query. Unknown values are EINVALID; a kind the role does not
// work is EFORBIDDEN.
func parseBoard(q url.Values, u User) (boardData, error) {
	d := boardData{Kind: q.Get("kind"), Status: q.Get("status"), Priority: q.Get("priority"), Statuses: boardStatuses, Priorities: priorityOptions()}
	if d.Status == "" {
		d.Status = "active"
	}
	switch a := q.Get("assignee"); a {
	case "":
	case "mine":
		d.Mine = true
	default:
		return d, mallsync.Errorf(mallsync.EINVALID, "assignee %q: expected mine or nothing", clip(a))
	}
	if !slices.ContainsFunc(boardStatuses, func(o option) bool { return o.Value == d.Status }) {
		return d, mallsync.Errorf(mallsync.EINVALID, "status %q: expected active, open, claimed, done, canceled or all", clip(d.Status))
	}
	if d.Priority != "" && !mallsync.Priority(d.Priority).Valid() {
		return d, mallsync.Errorf(mallsync.EINVALID, "priority %q: expected low, normal, high or urgent", clip(d.Priority))
	}
	if k := mallsync.TaskKind(d.Kind); k != "" {
		if !k.Valid() {
			return d, mallsync.Errorf(mallsync.EINVALID, "kind %q: expected inspection, photo_review, reshipment, return_to_supplier or agent_followup", clip(d.Kind))
		}
		if !slices.Contains(workKinds(u.Role), k) {
			return d, mallsync.Errorf(mallsync.EFORBIDDEN, "role %s does not work %s tasks", u.Role, k)
		}
	}
	return d, nil
}

// keep reports whether t belongs in the board's table.
func (d boardData) keep(t mallsync.Task, u User, kinds []mallsync.TaskKind) bool {
	return slices.Contains(kinds, t.Kind) &&
		(d.Kind == "" || string(t.Kind) == d.Kind) &&
		(!d.Mine || t.Assignee == u.Name) &&
		(d.Priority == "" || string(t.Priority) == d.Priority) &&
		(d.Status == "active" && !closed(t.Status) || d.Status == "all" || string(t.Status) == d.Status)
}

// href is the board's address with kind and the other filters as they are.
func (d boardData) href(kind string) string {
	q := url.Values{}
	for k, v := range map[string]string{"kind": kind, "priority": d.Priority} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if d.Status != "active" {
		q.Set("status", d.Status)
	}
	if d.Mine {
		q.Set("assignee", "mine")
	}
	if len(q) == 0 {
		return "/tasks"
	}
	return "/tasks?" + q.Encode()
}

func (c *console) taskBoard(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	d, err := parseBoard(r.URL.Query(), u)
	if err != nil {
		c.pages.fail(w, r, err)
		return
	}
	kinds := workKinds(u.Role)
	active, cut, err := c.activeTasks(r.Context())
	if err != nil {
		c.pages.fail(w, r, err)
		return
	}
	all, err := c.deps.Tasks.TaskCounts(r.Context())
	if err != nil {
		c.pages.fail(w, r, err)
		return
	}
	total, counts := 0, map[mallsync.TaskKind]int{}
	for _, n := range all {
		if slices.Contains(kinds, n.Kind) && (n.Status == mallsync.TaskOpen || n.Status == mallsync.TaskClaimed) {
			counts[n.Kind] += n.Count
			total += n.Count
		}
	}
	d.Tabs = append(d.Tabs, boardTab{Label: "전체 All", Count: strconv.Itoa(total), Href: d.href(""), Here: d.Kind == ""})
	for _, k := range kinds {
		d.Tabs = append(d.Tabs, boardTab{Kind: string(k), Label: kindLabel(k), Count: strconv.Itoa(counts[k]), Href: d.href(string(k)), Here: d.Kind == string(k)})
	}

	list := active
	if d.Status != "active" {
		f := mallsync.TaskFilter{Kind: mallsync.TaskKind(d.Kind), Priority: mallsync.Priority(d.Priority), Limit: boardLimit}
		if d.Status != "all" {
			f.Status = mallsync.TaskStatus(d.Status)
		}
		if d.Mine {
			f.Assignee = u.Name
		}
		if f.Kind == "" && len(kinds) == 1 {
			f.Kind = kinds[0]
		}
		if list, err = c.deps.Tasks.Tasks(r.Context(), f); err != nil {
			c.pages.fail(w, r, err)
			return
		}
		cut = len(list) >= boardLimit
	}
	now := c.now()
	for _, t := range list {
		if d.keep(t, u, kinds) {
			d.Rows = append(d.Rows, toRow(t, now))
		}
	}
	d.Cut = cut
	c.pages.render(w, r, http.StatusOK, "tasks", d)
}

// activeTasks returns the open and claimed tasks, the most urgent first, and whether a list
// reached its limit.
func (c *console) activeTasks(ctx context.Context) ([]mallsync.Task, bool, error) {
	var out []mallsync.Task
	cut := false
	for _, s := range []mallsync.TaskStatus{mallsync.TaskOpen, mallsync.TaskClaimed} {
		ts, err := c.deps.Tasks.Tasks(ctx, mallsync.TaskFilter{Status: s, Limit: boardLimit})
		if err != nil {
			return nil, false, err
		}
		cut = cut || len(ts) >= boardLimit
		out = append(out, ts...)
	}
	sortTasks(out)
	return out, cut, nil
}

// taskPageData is the task page's data.
type taskPageData struct {
	Task taskRow
	// Result is the closed task's result, field by field; RawResult when it does not read
	// as its kind's.
	Result    []resultField
	RawResult string
	// Can says which forms the user's role may use on the task now: claim, complete, memo,
	// reassign, priority.
	Can map[string]bool
	// Form holds what the person sent, to fill the forms again after a refusal.
	Form         url.Values
	Err          string
	Refresh      bool
	Priorities   []option
	Dispositions []option
	Grades       []string
}

func (d taskPageData) pageError() string { return d.Err }

func (c *console) taskPage(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	t, err := c.tasks.load(r.Context(), u, actRead, r.PathValue("id"))
	if err != nil {
		c.pages.fail(w, r, err)
		return
	}
	refresh := r.URL.Query().Get("sent") == "1" && !closed(t.Status)
	c.renderTask(w, r, http.StatusOK, u, t, nil, "", refresh)
}

// renderTask writes the task page for t with status, the person's form values and a
// message.
func (c *console) renderTask(w http.ResponseWriter, r *http.Request, status int, u User, t mallsync.Task, form url.Values, msg string, refresh bool) {
	open := !closed(t.Status)
	_, hasResult := kindLabels[t.Kind]
	d := taskPageData{Task: toRow(t, c.now()), Form: form, Err: msg, Refresh: refresh,
		Priorities: priorityOptions(), Dispositions: dispositionOptions, Grades: []string{"A", "B", "C"},
		Can: map[string]bool{
			"claim":    open && t.Assignee != u.Name && may(u.Role, actClaim, t.Kind),
			"complete": open && hasResult && may(u.Role, actComplete, t.Kind),
			"memo":     may(u.Role, actMemo, t.Kind),
			"reassign": open && may(u.Role, actReassign, t.Kind),
			"priority": open && may(u.Role, actPriority, t.Kind),
		}}
	if d.Form == nil {
		d.Form = url.Values{}
	}
	if d.Result = resultView(t); d.Result == nil && len(t.Result) > 0 {
		d.RawResult = string(t.Result)
	}
	c.pages.render(w, r, status, "task", d)
}

// taskForm handles a form posted to a task: it loads the task for action and runs do, which
// returns the query of the redirect (done= and what else the page needs).
func (c *console) taskForm(action taskAction, do func(r *http.Request, u User, t mallsync.Task) (url.Values, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, _ := UserFrom(r.Context())
		t, err := c.tasks.load(r.Context(), u, action, r.PathValue("id"))
		if err == nil {
			err = parseForm(w, r)
		}
		if err == nil {
			var q url.Values
			if q, err = do(r, u, t); err == nil {
				http.Redirect(w, r, "/tasks/"+strconv.FormatInt(t.ID, 10)+"?"+q.Encode(), http.StatusSeeOther)
				return
			}
		}
		if t.ID == 0 {
			c.pages.fail(w, r, err)
			return
		}
		status, msg := formFailure(err)
		if status == http.StatusInternalServerError {
			c.pages.fail(w, r, err)
			return
		}
		c.renderTask(w, r, status, u, t, r.PostForm, msg, false)
	}
}

// formFailure is the status and the message of a form's failure: a workflow's refusal is 422
// when it found the input unacceptable and 409 when it is past the step; anything else reads
// as the error table says (500 for what is not a mallsync error).
func formFailure(err error) (int, string) {
	if ref, ok := asRefusal(err); ok {
		msg := "워크플로가 거절했습니다 The workflow refused: " + mallsync.ErrorMessage(ref.err)
		switch mallsync.ErrorCode(ref.err) {
		case mallsync.EINVALID:
			return http.StatusUnprocessableEntity, msg
		case mallsync.ECONFLICT, mallsync.ENOTFOUND:
			return http.StatusConflict, msg
		}
	}
	he, ok := errorTable[mallsync.ErrorCode(err)]
	if !ok {
		return http.StatusInternalServerError, ""
	}
	return he.status, mallsync.ErrorMessage(err)
}

// parseForm reads the posted form (at most maxBody bytes) into r.PostForm.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	if r.PostForm != nil {
		return nil // the CSRF check read it
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return mallsync.Errorf(mallsync.EINVALID, "the form could not be read: send it again from the page")
	}
	return nil
}

func done(msg string) url.Values { return url.Values{"done": {msg}} }

func (c *console) claimForm(r *http.Request, u User, t mallsync.Task) (url.Values, error) {
	if err := c.tasks.claimTask(r, u, t); err != nil {
		return nil, err
	}
	return done("작업을 맡았습니다 Task claimed"), nil
}

func (c *console) completeForm(r *http.Request, u User, t mallsync.Task) (url.Values, error) {
	result, err := formResult(r.PostForm, t.Kind)
	if err != nil {
		return nil, err
	}
	after, err := c.tasks.completeTask(r, u, t, result)
	if err != nil {
		return nil, err
	}
	if closed(after.Status) {
		return done("작업을 완료했습니다 Task completed"), nil
	}
	q := done("결과를 보냈습니다. 워크플로가 곧 작업을 닫습니다 Result sent; the workflow closes the task shortly")
	q.Set("sent", "1")
	return q, nil
}

func (c *console) memoForm(r *http.Request, u User, t mallsync.Task) (url.Values, error) {
	if err := c.tasks.addMemo(r, u, t, r.PostFormValue("body")); err != nil {
		return nil, err
	}
	return done("메모를 남겼습니다 Memo added"), nil
}

func (c *console) reassignForm(r *http.Request, u User, t mallsync.Task) (url.Values, error) {
	if !r.PostForm.Has("assignee") {
		return nil, mallsync.Errorf(mallsync.EINVALID, `assignee is required ("" to unassign)`)
	}
	if err := c.tasks.reassignTask(r, u, t, r.PostFormValue("assignee")); err != nil {
		return nil, err
	}
	return done("담당자를 바꿨습니다 Assignee changed"), nil
}

func (c *console) priorityForm(r *http.Request, u User, t mallsync.Task) (url.Values, error) {
	p := mallsync.Priority(r.PostFormValue("priority"))
	if err := c.tasks.setPriority(r, u, t, p); err != nil {
		return nil, err
	}
	return done("우선순위를 " + p.Label() + "(으)로 바꿨습니다 Priority changed"), nil
}
