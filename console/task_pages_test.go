package console_test

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
)

// fakeSessions is a console.SessionAuthenticator over fixed sessions: the cookie token of
// each user is "session-<name>", its CSRF token "csrf-<name>".
type fakeSessions struct{ users map[string]console.User }

func (f fakeSessions) Authenticate(context.Context, string) (console.User, error) {
	return console.User{}, mallsync.Errorf(mallsync.EUNAUTHORIZED, "no bearer tokens here")
}

func (f fakeSessions) AuthenticateSession(_ context.Context, token string) (mallsync.Session, error) {
	u, ok := f.users[strings.TrimPrefix(token, "session-")]
	if !ok || !strings.HasPrefix(token, "session-") {
		return mallsync.Session{}, mallsync.Errorf(mallsync.EUNAUTHORIZED, "no such session")
	}
	return mallsync.Session{User: u, CSRF: "csrf-" + u.Name, ExpiresAt: now.Add(time.Hour)}, nil
}

// fakeAudit is an in-memory mallsync.AuditLog.
type fakeAudit struct {
	mu      sync.Mutex
	entries []mallsync.AuditEntry
}

func (f *fakeAudit) Record(_ context.Context, e mallsync.AuditEntry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = append(f.entries, e)
	return nil
}

func (f *fakeAudit) Entries(context.Context, mallsync.AuditFilter) ([]mallsync.AuditEntry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.entries), nil
}

// The console's other parts, which the task pages never call.
type noUsers struct{ mallsync.UserStore }

type pageBundle struct {
	h       http.Handler
	tasks   *fakeTasks
	returns *fakeReturns
	audit   *fakeAudit
	logs    *bytes.Buffer
}

// pageSetup is the whole console over the seeded tasks, with sessions for lee (agent), kim
// (logistics), park (sales) and boss (admin). The inspection has an order number.
func pageSetup(t *testing.T) pageBundle {
	t.Helper()
	tasks := seedTasks()
	insp := tasks.tasks[inspectionID]
	insp.PlatformOrderID = "O-100"
	tasks.tasks[inspectionID] = insp
	b := pageBundle{tasks: tasks, returns: &fakeReturns{}, audit: &fakeAudit{}, logs: &bytes.Buffer{}}
	users := map[string]console.User{}
	for name, role := range map[string]console.Role{"lee": console.RoleAgent, "kim": console.RoleLogistics, "park": console.RoleSales, "boss": console.RoleAdmin} {
		users[name] = console.User{Name: name, Role: role}
	}
	b.h = console.New(console.Deps{Auth: fakeSessions{users: users}, Users: noUsers{}, Tasks: tasks, Orders: noOrders{},
		Returns: b.returns, Audit: b.audit, Logger: slog.New(slog.NewTextHandler(b.logs, nil)), NowFunc: func() time.Time { return now }})
	return b
}

// get opens path as user ("" for nobody).
func (b pageBundle) get(t *testing.T, user, path string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	if user != "" {
		r.AddCookie(&http.Cookie{Name: console.SessionCookie, Value: "session-" + user})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, r)
	return rec
}

// post sends form to path as user, with the session's CSRF token unless csrf says another.
func (b pageBundle) post(t *testing.T, user, path string, form url.Values, csrf ...string) *httptest.ResponseRecorder {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", "csrf-"+user)
	if len(csrf) > 0 {
		form.Set("csrf", csrf[0])
	}
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: console.SessionCookie, Value: "session-" + user})
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, r)
	return rec
}

// unchanged fails the test when the store, the workflow or the audit log saw a change.
func (b pageBundle) unchanged(t *testing.T) {
	t.Helper()
	if c, w, a := b.tasks.Changes(), b.returns.Calls(), b.audit.entries; len(c)+len(w)+len(a) != 0 {
		t.Fatalf("something changed: store %v, workflow %v, audit %v", c, w, a)
	}
}

// rowIDs are the ids of the board's task rows, in order.
func rowIDs(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<tr id="task-(\d+)"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// rowOf returns the board's row of task id.
func rowOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr id="task-` + id + `".*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("no row of task %s in\n%s", id, body)
	}
	return m
}

func TestTaskBoard(t *testing.T) {
	t.Parallel()
	b := pageSetup(t)
	rec := b.get(t, "kim", "/tasks")
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, body)
	}
	// The open and claimed tasks, the most urgent first.
	if got, want := rowIDs(body), []string{"3", "1", "2", "5"}; !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	for id, want := range map[string][]string{
		"3": {`<span class="tag priority urgent">긴급</span>`, "kim", `href="/tasks/3"`, `class="task-link"`},
		"1": {`<span class="tag priority high">높음</span>`, `class="tag overdue"`, `href="/orders/shop-a/O-100"`, "C-1", "1분", "2026-07-01 11:00 KST"},
		"2": {`<span class="tag priority normal">보통</span>`, "1시간 0분"},
	} {
		row := rowOf(t, body, id)
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("row %s does not show %s:\n%s", id, w, row)
			}
		}
	}
	if strings.Contains(rowOf(t, body, "2"), "overdue") {
		t.Errorf("a task without a due time is marked overdue")
	}
	for _, tab := range []string{`>전체 All <span class="count">4</span>`, `>검수 Inspection <span class="count">1</span>`,
		`>재배송 Re-shipment <span class="count">1</span>`, `>공급사 반송 Return to supplier <span class="count">1</span>`} {
		if !strings.Contains(body, tab) {
			t.Errorf("the tabs do not show %s", tab)
		}
	}

	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/tasks?kind=inspection", []string{"1"}},
		{"/tasks?status=done", []string{"4"}},
		{"/tasks?status=all&kind=agent_followup", []string{"4"}},
		{"/tasks?assignee=mine", []string{"3"}},
		{"/tasks?priority=normal", []string{"2", "5"}},
	} {
		rec := b.get(t, "kim", tt.path)
		if got := rowIDs(rec.Body.String()); rec.Code != 200 || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %d rows %v, want %v", tt.path, rec.Code, got, tt.want)
		}
	}
	for _, bad := range []string{"/tasks?status=sleeping", "/tasks?priority=긴급", "/tasks?kind=dance", "/tasks?assignee=lee"} {
		if rec := b.get(t, "kim", bad); rec.Code != 400 {
			t.Errorf("%s: %d, want 400", bad, rec.Code)
		}
	}
}

func TestAgentsSeeOnlyPhotoReviews(t *testing.T) {
	t.Parallel()
	b := pageSetup(t)
	rec := b.get(t, "lee", "/tasks")
	body := rec.Body.String()
	if got := rowIDs(body); rec.Code != 200 || !slices.Equal(got, []string{"2"}) {
		t.Fatalf("%d rows %v, want only the photo review", rec.Code, got)
	}
	if strings.Contains(body, "검수 Inspection") || strings.Contains(body, "Re-shipment") {
		t.Fatalf("an agent's board shows tabs of kinds agents do not work:\n%s", body)
	}
	if rec := b.get(t, "lee", "/tasks?kind=inspection"); rec.Code != 403 {
		t.Fatalf("an agent asking for inspections: %d, want 403", rec.Code)
	}
	if rec := b.get(t, "lee", "/tasks?status=all"); !slices.Equal(rowIDs(rec.Body.String()), []string{"2"}) {
		t.Fatalf("all statuses: rows %v", rowIDs(rec.Body.String()))
	}
	// An agent may read an inspection but gets no forms on it, and a post is refused.
	rec = b.get(t, "lee", "/tasks/1")
	if rec.Code != 200 || strings.Contains(rec.Body.String(), `id="complete"`) || strings.Contains(rec.Body.String(), `id="claim"`) {
		t.Fatalf("an agent's inspection page: %d\n%s", rec.Code, rec.Body)
	}
	rec = b.post(t, "lee", "/tasks/1/complete", url.Values{"defect": {"no"}, "grade": {"A"}, "disposition": {"restock"}})
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "role agent may not complete inspection tasks") {
		t.Fatalf("an agent completing an inspection: %d\n%s", rec.Code, rec.Body)
	}
	b.unchanged(t)
	// A photo review is theirs.
	if rec := b.get(t, "lee", "/tasks/2"); !strings.Contains(rec.Body.String(), `<form id="complete"`) || strings.Contains(rec.Body.String(), `id="reassign"`) {
		t.Fatalf("an agent's photo review page:\n%s", rec.Body)
	}
}

func TestTaskPagesCheckTheSession(t *testing.T) {
	t.Parallel()
	b := pageSetup(t)
	if rec := b.get(t, "", "/tasks/1"); rec.Code != 303 || rec.Header().Get("Location") != "/login?next=%2Ftasks%2F1" {
		t.Fatalf("no session: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := b.get(t, "park", "/tasks"); rec.Code != 403 {
		t.Fatalf("sales: %d, want 403", rec.Code)
	}
	if rec := b.post(t, "park", "/tasks/5/claim", nil); rec.Code != 403 {
		t.Fatalf("sales claiming: %d, want 403", rec.Code)
	}
	for name, csrf := range map[string]string{"none": "", "wrong": "csrf-kim-x", "another session's": "csrf-boss"} {
		if rec := b.post(t, "kim", "/tasks/5/claim", nil, csrf); rec.Code != 403 {
			t.Errorf("%s CSRF token: %d, want 403", name, rec.Code)
		}
	}
	b.unchanged(t)
	if rec := b.get(t, "kim", "/tasks/77"); rec.Code != 404 {
		t.Fatalf("no such task: %d", rec.Code)
	}
	if rec := b.post(t, "kim", "/tasks/abc/claim", nil); rec.Code != 400 {
		t.Fatalf("a bad id: %d", rec.Code)
	}
}

func TestTaskPageShowsTheFormsForTheKind(t *testing.T) {
	t.Parallel()
	b := pageSetup(t)
	body := b.get(t, "kim", "/tasks/1").Body.String()
	for _, want := range []string{`id="task-status" data-status="open"`, `<form id="complete" method="post" action="/tasks/1/complete">`,
		`name="csrf" value="csrf-kim"`, `name="defect" value="no"`, `name="defect" value="yes"`, `name="grade"`, `name="disposition"`,
		`<option value="restock">`, `id="complete-submit"`, `<form id="claim"`, `<form id="memo"`, `<form id="reassign"`, `<form id="priority"`,
		"박스 파손", `<option value="high" selected>높음</option>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the inspection page does not show %s", want)
		}
	}
	body = b.get(t, "kim", "/tasks/5").Body.String()
	if !strings.Contains(body, `name="carrier_code"`) || !strings.Contains(body, `name="tracking_no"`) || strings.Contains(body, `name="defect"`) {
		t.Errorf("a return to supplier's complete form:\n%s", body)
	}
	body = b.get(t, "kim", "/tasks/4").Body.String()
	if strings.Contains(body, `id="complete"`) || strings.Contains(body, `id="claim"`) || !strings.Contains(body, `<dd id="result-note">done</dd>`) {
		t.Errorf("a done task shows forms or no result:\n%s", body)
	}
}

func TestCompleteGoesThroughTheWorkflowPage(t *testing.T) {
	t.Parallel()
	b := pageSetup(t)
	form := url.Values{"defect": {"no"}, "grade": {"A"}, "disposition": {"restock"}}
	rec := b.post(t, "kim", "/tasks/1/complete", form)
	loc := rec.Header().Get("Location")
	if rec.Code != 303 || !strings.HasPrefix(loc, "/tasks/1?") || !strings.Contains(loc, "sent=1") {
		t.Fatalf("%d %q, want 303 to the task, marked sent", rec.Code, loc)
	}
	want := []completion{{WorkflowID: "return/shop-a/C-1", TaskID: 1, By: "kim", Result: `{"defect":false,"grade":"A","disposition":"restock"}`}}
	if got := b.returns.Calls(); !slices.Equal(got, want) {
		t.Fatalf("workflow calls %+v, want %+v", got, want)
	}
	if c := b.tasks.Changes(); len(c) != 0 {
		t.Fatalf("the page changed the store itself: %v", c)
	}
	if e := b.audit.entries; len(e) != 1 || e[0].Action != "task.complete" || e[0].Detail["via"] != "workflow" || e[0].Detail["auth"] != "session" {
		t.Fatalf("audit %+v", e)
	}
	page := b.get(t, "kim", loc).Body.String()
	if !strings.Contains(page, `data-refresh="1"`) || !strings.Contains(page, `class="flash"`) || !strings.Contains(page, "Result sent") {
		t.Fatalf("the page after sending does not wait for the workflow:\n%s", page)
	}

	// When the workflow has closed the task, the page shows its result.
	b.returns.closes = b.tasks
	rec = b.post(t, "lee", "/tasks/2/complete", url.Values{"defect": {"yes"}, "grade": {"C"}, "disposition": {"quarantine"}, "note": {"얼룩"}})
	if loc := rec.Header().Get("Location"); rec.Code != 303 || strings.Contains(loc, "sent=1") {
		t.Fatalf("%d %q, want 303 to the done task", rec.Code, loc)
	}
	page = b.get(t, "lee", rec.Header().Get("Location")).Body.String()
	for _, w := range []string{`data-status="done"`, "완료 Done", `<dd id="result-defect">있음 Yes</dd>`, `<dd id="result-grade">C</dd>`,
		`<dd id="result-disposition">격리 Quarantine</dd>`, "얼룩", "Task completed"} {
		if !strings.Contains(page, w) {
			t.Errorf("the done task's page does not show %s", w)
		}
	}
	if strings.Contains(page, `data-refresh`) {
		t.Errorf("a done task's page still reloads")
	}
}

func TestWorkflowRefusalShowsItsReason(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"input refused", mallsync.Errorf(mallsync.EINVALID, "grade A is not possible with a defect"), 422},
		{"past the step", mallsync.Errorf(mallsync.ECONFLICT, "the return was withdrawn"), 409},
		{"workflow gone", mallsync.Errorf(mallsync.ENOTFOUND, "the return flow has ended"), 409},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := pageSetup(t)
			b.returns.err = tt.err
			rec := b.post(t, "kim", "/tasks/1/complete", url.Values{"defect": {"yes"}, "grade": {"A"}, "disposition": {"quarantine"}, "note": {"찍힘"}})
			body := rec.Body.String()
			if rec.Code != tt.want {
				t.Fatalf("%d, want %d\n%s", rec.Code, tt.want, body)
			}
			if !strings.Contains(body, `<p class="error" role="alert">`) || !strings.Contains(body, mallsync.ErrorMessage(tt.err)) {
				t.Fatalf("the page does not show the reason %q:\n%s", mallsync.ErrorMessage(tt.err), body)
			}
			// The form keeps what the person chose.
			for _, w := range []string{`value="yes" id="defect-yes" checked`, `<option value="quarantine" selected>`, `<option value="A" selected>`, ">찍힘</textarea>"} {
				if !strings.Contains(body, w) {
					t.Errorf("the form lost %s", w)
				}
			}
			if len(b.returns.Calls()) != 1 || len(b.audit.entries) != 0 {
				t.Fatalf("calls %v, audit %v: want one call and no audit row", b.returns.Calls(), b.audit.entries)
			}
		})
	}
}

func TestBadFormsAreRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"no defect", "/tasks/1/complete", url.Values{"grade": {"A"}, "disposition": {"restock"}}, "defect is required"},
		{"defect neither yes nor no", "/tasks/1/complete", url.Values{"defect": {"maybe"}, "disposition": {"restock"}}, `defect "maybe": expected yes or no`},
		{"unknown disposition", "/tasks/1/complete", url.Values{"defect": {"no"}, "disposition": {"burn"}}, `disposition "burn"`},
		{"no disposition", "/tasks/1/complete", url.Values{"defect": {"no"}}, `disposition ""`},
		{"unknown grade", "/tasks/1/complete", url.Values{"defect": {"no"}, "grade": {"Z"}, "disposition": {"restock"}}, `grade "Z"`},
		{"long note", "/tasks/1/complete", url.Values{"defect": {"no"}, "disposition": {"restock"}, "note": {strings.Repeat("가", 1001)}}, "longer than 1000"},
		{"no tracking number", "/tasks/5/complete", url.Values{"carrier_code": {"CJ"}, "tracking_no": {"  "}}, "tracking_no is required"},
		{"empty memo", "/tasks/1/memo", url.Values{"body": {"  "}}, "body is required"},
		{"no assignee field", "/tasks/1/reassign", url.Values{}, "assignee is required"},
		{"unknown priority", "/tasks/1/priority", url.Values{"priority": {"asap"}}, `priority "asap"`},
		{"priority by its label", "/tasks/1/priority", url.Values{"priority": {"긴급"}}, "expected low, normal, high or urgent"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := pageSetup(t)
			rec := b.post(t, "kim", tt.path, tt.form)
			body := html.UnescapeString(rec.Body.String())
			if rec.Code != 400 || !strings.Contains(body, tt.want) || !strings.Contains(body, `id="task-status"`) {
				t.Fatalf("%d, want 400 and the task page saying %q:\n%s", rec.Code, tt.want, body)
			}
			b.unchanged(t)
		})
	}
}

func TestTaskFormsWork(t *testing.T) {
	t.Parallel()
	b := pageSetup(t)
	steps := []struct {
		path       string
		form       url.Values
		wantChange string
		wantAudit  string
	}{
		{"/tasks/5/claim", nil, "claim 5 kim", "task.claim"},
		{"/tasks/5/memo", url.Values{"body": {" 박스 교체 "}}, "memo 5 kim: 박스 교체", "task.memo"},
		{"/tasks/5/reassign", url.Values{"assignee": {"choi"}}, "reassign 5 choi by kim", "task.reassign"},
		{"/tasks/5/priority", url.Values{"priority": {"urgent"}}, "priority 5 urgent", "task.priority"},
		{"/tasks/5/complete", url.Values{"carrier_code": {"HANJIN"}, "tracking_no": {"420000000001"}},
			`complete 5 kim {"carrier_code":"HANJIN","tracking_no":"420000000001"}`, "task.complete"},
	}
	for i, s := range steps {
		rec := b.post(t, "kim", s.path, s.form)
		loc := rec.Header().Get("Location")
		u, err := url.Parse(loc)
		if rec.Code != http.StatusSeeOther || err != nil || u.Path != "/tasks/5" || u.Query().Get("done") == "" {
			t.Fatalf("%s: %d %q, want 303 to /tasks/5?done=...\n%s", s.path, rec.Code, loc, rec.Body)
		}
		if c := b.tasks.Changes(); len(c) != i+1 || c[i] != s.wantChange {
			t.Fatalf("%s: changes %q, want the last %q", s.path, c, s.wantChange)
		}
		e := b.audit.entries
		if len(e) != i+1 || e[i].Action != s.wantAudit || e[i].User != "kim" || e[i].Role != console.RoleLogistics || e[i].Target != "task/5" || e[i].Detail["auth"] != "session" {
			t.Fatalf("%s: audit %+v", s.path, e)
		}
		page := b.get(t, "kim", loc).Body.String()
		if !strings.Contains(page, `<p class="flash" role="status">`+u.Query().Get("done")) {
			t.Fatalf("%s: the page does not say %q", s.path, u.Query().Get("done"))
		}
	}
	page := b.get(t, "kim", "/tasks/5").Body.String()
	for _, w := range []string{`data-status="done"`, `<dd id="result-tracking">420000000001</dd>`, "박스 교체", `id="task-assignee">choi`, `priority urgent">긴급`} {
		if !strings.Contains(page, w) {
			t.Errorf("the task page does not show %s", w)
		}
	}
	// A closed task cannot be completed again: 409 with the reason.
	rec := b.post(t, "kim", "/tasks/5/complete", url.Values{"carrier_code": {"CJ"}, "tracking_no": {"1"}})
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "task 5 is already done") {
		t.Fatalf("completing a done task: %d\n%s", rec.Code, rec.Body)
	}
	// Someone else's claim is refused with the store's reason.
	rec = b.post(t, "boss", "/tasks/3/claim", nil)
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "task 3 is claimed by kim") {
		t.Fatalf("claiming kim's task: %d\n%s", rec.Code, rec.Body)
	}
}
