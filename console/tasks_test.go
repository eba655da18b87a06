package console_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
)

// The tokens of the test users, one per role.
const (
	agentToken     = "agent-token-0123456789"
	logisticsToken = "logistics-token-0123456789"
	salesToken     = "sales-token-0123456789"
	adminToken     = "admin-token-0123456789"
)

var now = time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC)

// The seeded tasks.
const (
	inspectionID = 1 // open, a ReturnFlow waits for it
	photoID      = 2 // open photo review, a ReturnFlow waits for it
	reshipID     = 3 // claimed by kim, no workflow
	followupID   = 4 // done
	supplierID   = 5 // open, no workflow
)

type apiBundle struct {
	tasks   *fakeTasks
	returns *fakeReturns
	h       http.Handler
	logs    *bytes.Buffer
}

func setup(t *testing.T) apiBundle {
	t.Helper()
	auth, err := console.ParseTokens("lee:agent:" + agentToken + ",kim:logistics:" + logisticsToken +
		" park:sales:" + salesToken + "\nboss:admin:" + adminToken)
	if err != nil {
		t.Fatal(err)
	}
	tasks := seedTasks()
	returns := &fakeReturns{}
	var logs bytes.Buffer
	h := console.NewTaskAPI(console.TaskDeps{Tasks: tasks, Returns: returns, Auth: auth,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), NowFunc: func() time.Time { return now }})
	return apiBundle{tasks: tasks, returns: returns, h: h, logs: &logs}
}

// seedTasks returns a fake store holding the seeded tasks.
func seedTasks() *fakeTasks {
	due := now.Add(-time.Hour)
	closedAt := now.Add(-time.Minute)
	tasks := &fakeTasks{tasks: map[int64]mallsync.Task{}}
	for _, task := range []mallsync.Task{
		{ID: inspectionID, Kind: mallsync.TaskInspection, Status: mallsync.TaskOpen, Priority: mallsync.PriorityHigh,
			WorkflowID: "return/shop-a/C-1", ClaimID: "C-1", DueAt: &due, CreatedAt: now.Add(-90 * time.Second),
			Memos: []mallsync.Memo{{Author: "kim", Body: "박스 파손", At: now.Add(-time.Minute)}}},
		{ID: photoID, Kind: mallsync.TaskPhotoReview, Status: mallsync.TaskOpen, Priority: mallsync.PriorityNormal,
			WorkflowID: "return/shop-a/C-2", CreatedAt: now.Add(-time.Hour)},
		{ID: reshipID, Kind: mallsync.TaskReshipment, Status: mallsync.TaskClaimed, Assignee: "kim", Priority: mallsync.PriorityUrgent, CreatedAt: now},
		{ID: followupID, Kind: mallsync.TaskAgentFollowup, Status: mallsync.TaskDone, Priority: mallsync.PriorityLow,
			CreatedAt: now.Add(-time.Hour), ClosedAt: &closedAt, Result: json.RawMessage(`{"note":"done"}`)},
		{ID: supplierID, Kind: mallsync.TaskReturnToSupplier, Status: mallsync.TaskOpen, Priority: mallsync.PriorityNormal, CreatedAt: now},
	} {
		task.Mall, task.Key = "shop-a", "k"+string(rune('0'+task.ID))
		tasks.tasks[task.ID] = task
	}
	return tasks
}

type response struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

func (b apiBundle) do(t *testing.T, method, path, token, body string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	res := response{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	if err := json.Unmarshal(rec.Body.Bytes(), &res.body); err != nil {
		t.Fatalf("%s %s: the answer is not a JSON object: %q", method, path, res.raw)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q", method, path, ct)
	}
	return res
}

// errorCode returns the {"error":{"code"}} of an answer, checking that it has a message.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	e, ok := r.body["error"].(map[string]any)
	if !ok {
		return ""
	}
	if msg, _ := e["message"].(string); msg == "" {
		t.Fatalf("error without a message: %s", r.raw)
	}
	code, _ := e["code"].(string)
	return code
}

func (r response) message() string {
	e, _ := r.body["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}

func (r response) task(t *testing.T) map[string]any {
	t.Helper()
	task, ok := r.body["task"].(map[string]any)
	if !ok {
		t.Fatalf("no task in %s", r.raw)
	}
	return task
}

const inspectionResult = `{"defect": true, "grade": "B", "disposition": "quarantine", "note": "스크래치"}`

func TestUnauthenticatedRequestsAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct{ name, header string }{
		{"no header", ""},
		{"basic", "Basic a2ltOnNlY3JldA=="},
		{"empty bearer", "Bearer "},
		{"bearer only", "Bearer"},
		{"unknown token", "Bearer not-a-known-token-123456"},
		{"token with a different case", "Bearer " + strings.ToUpper(logisticsToken)},
	}
	for _, tt := range tests {
		for _, route := range []struct{ method, path string }{
			{"GET", "/api/tasks"}, {"GET", "/api/tasks/1"}, {"POST", "/api/tasks/1/claim"}, {"GET", "/api/nowhere"},
		} {
			t.Run(tt.name+" "+route.method+" "+route.path, func(t *testing.T) {
				req := httptest.NewRequest(route.method, route.path, nil)
				if tt.header != "" {
					req.Header.Set("Authorization", tt.header)
				}
				rec := httptest.NewRecorder()
				b.h.ServeHTTP(rec, req)
				var body struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusUnauthorized || body.Error.Code != "unauthorized" || body.Error.Message == "" {
					t.Fatalf("%d %s, want 401 unauthorized with a message", rec.Code, rec.Body)
				}
				if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q", rec.Header().Get("WWW-Authenticate"))
				}
				if strings.Contains(rec.Body.String(), "not-a-known-token") || strings.Contains(strings.ToLower(rec.Body.String()), logisticsToken) {
					t.Errorf("the answer echoes the token: %s", rec.Body)
				}
			})
		}
	}
	if len(b.tasks.Changes()) != 0 {
		t.Fatalf("an unauthenticated request changed tasks: %v", b.tasks.Changes())
	}
	if strings.Contains(b.logs.String(), "not-a-known-token") {
		t.Fatalf("a token reached the log: %s", b.logs)
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		token        string
		method, path string
		body         string
		want         int
	}{
		{"agent lists", agentToken, "GET", "/api/tasks", "", 200},
		{"logistics lists", logisticsToken, "GET", "/api/tasks", "", 200},
		{"admin lists", adminToken, "GET", "/api/tasks", "", 200},
		{"sales may not list", salesToken, "GET", "/api/tasks", "", 403},
		{"agent reads", agentToken, "GET", "/api/tasks/1", "", 200},
		{"sales may not read", salesToken, "GET", "/api/tasks/1", "", 403},

		{"logistics claims", logisticsToken, "POST", "/api/tasks/5/claim", "", 200},
		{"admin claims", adminToken, "POST", "/api/tasks/5/claim", "{}", 200},
		{"agent may not claim an inspection", agentToken, "POST", "/api/tasks/1/claim", "", 403},
		{"agent claims a photo review", agentToken, "POST", "/api/tasks/2/claim", "", 200},
		{"sales may not claim", salesToken, "POST", "/api/tasks/2/claim", "", 403},

		{"logistics completes", logisticsToken, "POST", "/api/tasks/5/complete", `{"carrier_code":"CJ","tracking_no":"1"}`, 200},
		{"agent may not complete an inspection", agentToken, "POST", "/api/tasks/1/complete", inspectionResult, 403},
		{"agent may not complete a return to supplier", agentToken, "POST", "/api/tasks/5/complete", `{"carrier_code":"CJ","tracking_no":"1"}`, 403},
		{"agent completes a photo review", agentToken, "POST", "/api/tasks/2/complete", inspectionResult, 202},
		{"sales may not complete", salesToken, "POST", "/api/tasks/2/complete", inspectionResult, 403},

		{"logistics adds a memo", logisticsToken, "POST", "/api/tasks/1/memos", `{"body":"확인"}`, 201},
		{"agent may not add a memo to an inspection", agentToken, "POST", "/api/tasks/1/memos", `{"body":"확인"}`, 403},
		{"agent adds a memo to a photo review", agentToken, "POST", "/api/tasks/2/memos", `{"body":"사진 흐림"}`, 201},

		{"logistics reassigns", logisticsToken, "POST", "/api/tasks/1/reassign", `{"assignee":"choi"}`, 200},
		{"agent may not reassign", agentToken, "POST", "/api/tasks/2/reassign", `{"assignee":"choi"}`, 403},
		{"sales may not reassign", salesToken, "POST", "/api/tasks/1/reassign", `{"assignee":"choi"}`, 403},

		{"admin sets the priority", adminToken, "POST", "/api/tasks/1/priority", `{"priority":"urgent"}`, 200},
		{"agent may not set the priority", agentToken, "POST", "/api/tasks/2/priority", `{"priority":"urgent"}`, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			res := b.do(t, tt.method, tt.path, tt.token, tt.body)
			if res.status != tt.want {
				t.Fatalf("%d %s, want %d", res.status, res.raw, tt.want)
			}
			if tt.want == 403 {
				if res.errorCode(t) != "forbidden" {
					t.Fatalf("error %s, want forbidden", res.raw)
				}
				if len(b.tasks.Changes()) != 0 || len(b.returns.Calls()) != 0 {
					t.Fatalf("a forbidden request changed something: %v %v", b.tasks.Changes(), b.returns.Calls())
				}
			}
		})
	}
}

func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		method, path string
		body         string
		want         int
		wantMessage  string
	}{
		{"id not a number", "GET", "/api/tasks/abc", "", 400, `task id "abc"`},
		{"id zero", "POST", "/api/tasks/0/claim", "", 400, "positive whole number"},
		{"id negative", "POST", "/api/tasks/-4/complete", inspectionResult, 400, "positive whole number"},
		{"id too large", "GET", "/api/tasks/99999999999999999999", "", 400, "positive whole number"},
		{"no such task", "POST", "/api/tasks/77/claim", "", 404, "no task 77"},
		{"unknown kind", "GET", "/api/tasks?kind=dance", "", 400, `kind "dance"`},
		{"unknown status", "GET", "/api/tasks?status=sleeping", "", 400, `status "sleeping"`},
		{"unknown priority filter", "GET", "/api/tasks?priority=asap", "", 400, `priority "asap"`},
		{"Korean priority label as filter", "GET", "/api/tasks?priority=긴급", "", 400, "expected low, normal, high or urgent"},
		{"unknown parameter", "GET", "/api/tasks?colour=red", "", 400, `unknown parameter "colour"`},
		{"parameter twice", "GET", "/api/tasks?kind=inspection&kind=reshipment", "", 400, "given 2 times"},
		{"limit not a number", "GET", "/api/tasks?limit=ten", "", 400, "limit"},
		{"limit too large", "GET", "/api/tasks?limit=5000", "", 400, "from 1 to 1000"},
		{"unknown mall", "GET", "/api/tasks?mall=nowhere", "", 400, `no mall "nowhere"`},

		{"claim with a body", "POST", "/api/tasks/5/claim", `{"assignee":"someone"}`, 400, `unknown field "assignee"`},
		{"complete without a body", "POST", "/api/tasks/1/complete", "", 400, "empty"},
		{"complete with broken JSON", "POST", "/api/tasks/1/complete", `{"defect": tru`, 400, "not the expected JSON"},
		{"complete with two values", "POST", "/api/tasks/1/complete", inspectionResult + `{}`, 400, "more than one"},
		{"complete with an array", "POST", "/api/tasks/1/complete", `[1]`, 400, "JSON object"},
		{"complete with an unknown field", "POST", "/api/tasks/1/complete", `{"defect":false,"disposition":"restock","colour":"red"}`, 400, `unknown field "colour"`},
		{"inspection without defect", "POST", "/api/tasks/1/complete", `{"disposition":"restock"}`, 400, "defect is required"},
		{"inspection with a wrong type", "POST", "/api/tasks/1/complete", `{"defect":"yes","disposition":"restock"}`, 400, `field "defect" must be a boolean`},
		{"inspection with an unknown disposition", "POST", "/api/tasks/1/complete", `{"defect":false,"disposition":"burn"}`, 400, `disposition "burn"`},
		{"inspection with an unknown grade", "POST", "/api/tasks/1/complete", `{"defect":false,"grade":"Z","disposition":"restock"}`, 400, `grade "Z"`},
		{"inspection with a long note", "POST", "/api/tasks/1/complete", `{"defect":false,"disposition":"restock","note":"` + strings.Repeat("가", 1001) + `"}`, 400, "longer than 1000"},
		{"reshipment result for an inspection", "POST", "/api/tasks/1/complete", `{"carrier_code":"CJ","tracking_no":"1"}`, 400, "unknown field"},
		{"reshipment without tracking", "POST", "/api/tasks/5/complete", `{"carrier_code":"CJ"}`, 400, "tracking_no is required"},
		{"body too large", "POST", "/api/tasks/5/memos", `{"body":"` + strings.Repeat("x", 70000) + `"}`, 400, "larger than"},

		{"empty memo", "POST", "/api/tasks/1/memos", `{"body":"   "}`, 400, "body is required"},
		{"long memo", "POST", "/api/tasks/1/memos", `{"body":"` + strings.Repeat("메", 2001) + `"}`, 400, "longer than 2000"},
		{"reassign without assignee", "POST", "/api/tasks/1/reassign", `{}`, 400, "assignee is required"},
		{"reassign to a number", "POST", "/api/tasks/1/reassign", `{"assignee":7}`, 400, `field "assignee"`},
		{"unknown priority", "POST", "/api/tasks/1/priority", `{"priority":"asap"}`, 400, `priority "asap"`},
		{"priority by its label", "POST", "/api/tasks/1/priority", `{"priority":"긴급"}`, 400, "expected low, normal, high or urgent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			res := b.do(t, tt.method, tt.path, logisticsToken, tt.body)
			wantCode := map[int]string{400: "invalid", 404: "not_found"}[tt.want]
			if res.status != tt.want || res.errorCode(t) != wantCode {
				t.Fatalf("%d %s, want %d %s", res.status, res.raw, tt.want, wantCode)
			}
			if !strings.Contains(res.message(), tt.wantMessage) {
				t.Fatalf("message %q does not say %q", res.message(), tt.wantMessage)
			}
			if len(b.tasks.Changes()) != 0 || len(b.returns.Calls()) != 0 {
				t.Fatalf("bad input changed something: %v %v", b.tasks.Changes(), b.returns.Calls())
			}
		})
	}
}

func TestCompleteGoesThroughTheWorkflow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.do(t, "POST", "/api/tasks/1/complete", logisticsToken, inspectionResult)
	if res.status != http.StatusAccepted {
		t.Fatalf("%d %s, want 202 while the workflow closes the task", res.status, res.raw)
	}
	want := []completion{{WorkflowID: "return/shop-a/C-1", TaskID: 1, By: "kim",
		Result: `{"defect":true,"grade":"B","disposition":"quarantine","note":"스크래치"}`}}
	if got := b.returns.Calls(); !slices.Equal(got, want) {
		t.Fatalf("workflow calls %+v, want %+v", got, want)
	}
	if changes := b.tasks.Changes(); len(changes) != 0 {
		t.Fatalf("the API changed the store itself: %v; the workflow closes the task", changes)
	}
	if task := res.task(t); task["status"] != "open" {
		t.Fatalf("task %v, want it as it is now (open)", task)
	}

	// When the workflow has closed the task by the time it answers, the answer shows it done.
	b.returns.closes = b.tasks
	res = b.do(t, "POST", "/api/tasks/2/complete", agentToken, `{"defect":false,"disposition":"restock"}`)
	if res.status != http.StatusOK || res.task(t)["status"] != "done" {
		t.Fatalf("%d %s, want 200 and the task done", res.status, res.raw)
	}
	if calls := b.returns.Calls(); len(calls) != 2 || calls[1].By != "lee" || calls[1].WorkflowID != "return/shop-a/C-2" {
		t.Fatalf("workflow calls %+v", calls)
	}
}

func TestCompleteRefusedByTheWorkflowShowsItsReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"invalid for the flow", mallsync.Errorf(mallsync.EINVALID, "a rejected return needs a defect"), 422, "refused", "a rejected return needs a defect"},
		{"flow moved on", mallsync.Errorf(mallsync.ECONFLICT, "the return was withdrawn at 10:02"), 409, "conflict", "the return was withdrawn at 10:02"},
		{"flow gone", mallsync.Errorf(mallsync.ENOTFOUND, "return/shop-a/C-1 is not running"), 409, "conflict", "return/shop-a/C-1 is not running"},
		{"temporal down", mallsync.Errorf(mallsync.EUNAVAILABLE, "workflows cannot be reached"), 503, "unavailable", "workflows cannot be reached"},
		{"a bug", io.ErrUnexpectedEOF, 500, "internal", "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.returns.err = tt.err
			res := b.do(t, "POST", "/api/tasks/1/complete", logisticsToken, inspectionResult)
			if res.status != tt.wantStatus || res.errorCode(t) != tt.wantCode || res.message() != tt.wantMsg {
				t.Fatalf("%d %s, want %d %s %q", res.status, res.raw, tt.wantStatus, tt.wantCode, tt.wantMsg)
			}
			if len(b.returns.Calls()) != 1 || len(b.tasks.Changes()) != 0 {
				t.Fatalf("calls %v, changes %v; want one workflow call and no store change", b.returns.Calls(), b.tasks.Changes())
			}
		})
	}
}

func TestCompleteWithoutAWorkflowGoesToTheStore(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.do(t, "POST", "/api/tasks/5/complete", logisticsToken, `{"tracking_no":"6543210987","carrier_code":"CJGLS"}`)
	if res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.raw)
	}
	task := res.task(t)
	if task["status"] != "done" || task["closed_by"] != "kim" {
		t.Fatalf("task %v, want done by kim", task)
	}
	if got := b.tasks.Changes(); !slices.Equal(got, []string{`complete 5 kim {"carrier_code":"CJGLS","tracking_no":"6543210987"}`}) {
		t.Fatalf("store changes %v", got)
	}
	if len(b.returns.Calls()) != 0 {
		t.Fatalf("a workflow was called for a task none waits for: %v", b.returns.Calls())
	}
	// Completing it again is a conflict, before anything is asked of anyone.
	res = b.do(t, "POST", "/api/tasks/5/complete", logisticsToken, `{"tracking_no":"1","carrier_code":"CJ"}`)
	if res.status != http.StatusConflict || res.errorCode(t) != "conflict" || res.message() != "task 5 is already done" {
		t.Fatalf("%d %s, want 409 already done", res.status, res.raw)
	}
	if res := b.do(t, "POST", "/api/tasks/4/complete", adminToken, `{"note":"again"}`); res.status != http.StatusConflict {
		t.Fatalf("completing a done follow-up: %d %s", res.status, res.raw)
	}
	if len(b.tasks.Changes()) != 1 {
		t.Fatalf("store changes %v", b.tasks.Changes())
	}
}

func TestCompleteWithoutReturnActionsIsUnavailable(t *testing.T) {
	t.Parallel()
	auth, _ := console.ParseTokens("kim:logistics:" + logisticsToken)
	tasks := &fakeTasks{tasks: map[int64]mallsync.Task{1: {ID: 1, Kind: mallsync.TaskInspection, Status: mallsync.TaskOpen, WorkflowID: "return/a/1"}}}
	b := apiBundle{tasks: tasks, returns: &fakeReturns{}, h: console.NewTaskAPI(console.TaskDeps{Tasks: tasks, Auth: auth})}
	res := b.do(t, "POST", "/api/tasks/1/complete", logisticsToken, inspectionResult)
	if res.status != http.StatusServiceUnavailable || res.errorCode(t) != "unavailable" || len(tasks.Changes()) != 0 {
		t.Fatalf("%d %s, want 503 and nothing changed", res.status, res.raw)
	}
}

func TestListTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.do(t, "GET", "/api/tasks?kind=inspection&status=open&assignee=kim&priority=high&mall=shop-a&claim=C-1&limit=20&", agentToken, "")
	if res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.raw)
	}
	want := mallsync.TaskFilter{Mall: "shop-a", Kind: mallsync.TaskInspection, Status: mallsync.TaskOpen,
		Assignee: "kim", Priority: mallsync.PriorityHigh, ClaimID: "C-1", Limit: 20}
	if b.tasks.filter != want {
		t.Fatalf("filter %+v, want %+v", b.tasks.filter, want)
	}
	list, _ := res.body["tasks"].([]any)
	if len(list) != 1 || res.body["count"] != 1.0 {
		t.Fatalf("tasks %s, want the inspection", res.raw)
	}
	task := list[0].(map[string]any)
	checks := map[string]any{"id": 1.0, "priority": "high", "priority_label": "높음", "age_seconds": 90.0,
		"overdue": true, "workflow_id": "return/shop-a/C-1", "mall": "shop-a", "result": nil}
	for k, v := range checks {
		if task[k] != v {
			t.Errorf("%s = %v, want %v", k, task[k], v)
		}
	}
	if _, ok := task["memos"]; ok {
		t.Errorf("a listed task carries memos: %v", task)
	}

	// Empty values are left out; a closed task's age is the time it took and it is not overdue.
	res = b.do(t, "GET", "/api/tasks?kind=&status=done", logisticsToken, "")
	list, _ = res.body["tasks"].([]any)
	if res.status != 200 || len(list) != 1 || b.tasks.filter != (mallsync.TaskFilter{Status: mallsync.TaskDone}) {
		t.Fatalf("%d %s, filter %+v", res.status, res.raw, b.tasks.filter)
	}
	if done := list[0].(map[string]any); done["age_seconds"] != 3540.0 || done["overdue"] != false || done["priority_label"] != "낮음" {
		t.Fatalf("closed task %v", done)
	}
}

func TestGetTask(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.do(t, "GET", "/api/tasks/1", agentToken, "")
	if res.status != 200 {
		t.Fatalf("%d %s", res.status, res.raw)
	}
	memos, ok := res.task(t)["memos"].([]any)
	if !ok || len(memos) != 1 || memos[0].(map[string]any)["body"] != "박스 파손" {
		t.Fatalf("memos %v", res.task(t)["memos"])
	}
	res = b.do(t, "GET", "/api/tasks/5", agentToken, "")
	if memos, ok := res.task(t)["memos"].([]any); !ok || len(memos) != 0 {
		t.Fatalf("a task without memos: %s, want \"memos\":[]", res.raw)
	}
	if res := b.do(t, "GET", "/api/tasks/404", agentToken, ""); res.status != 404 || res.errorCode(t) != "not_found" {
		t.Fatalf("%d %s", res.status, res.raw)
	}
}

func TestTaskActions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		path, body  string
		want        int
		wantChanges []string
		check       func(task map[string]any) bool
	}{
		{"claim", "/api/tasks/5/claim", "", 200, []string{"claim 5 kim"},
			func(task map[string]any) bool { return task["status"] == "claimed" && task["assignee"] == "kim" }},
		{"claim one's own claimed task", "/api/tasks/3/claim", "", 200, []string{"claim 3 kim"},
			func(task map[string]any) bool { return task["assignee"] == "kim" }},
		{"claim a done task", "/api/tasks/4/claim", "", 409, []string{"claim 4 kim"}, nil},
		{"reassign", "/api/tasks/1/reassign", `{"assignee":" choi "}`, 200, []string{"reassign 1 choi by kim"},
			func(task map[string]any) bool { return task["assignee"] == "choi" }},
		{"unassign", "/api/tasks/3/reassign", `{"assignee":""}`, 200, []string{"reassign 3  by kim"}, nil},
		{"priority", "/api/tasks/1/priority", `{"priority":"urgent"}`, 200, []string{"priority 1 urgent"},
			func(task map[string]any) bool {
				return task["priority"] == "urgent" && task["priority_label"] == "긴급"
			}},
		{"priority of a done task", "/api/tasks/4/priority", `{"priority":"urgent"}`, 409, []string{"priority 4 urgent"}, nil},
		{"memo", "/api/tasks/1/memos", `{"body":" 재검수 필요 "}`, 201, []string{"memo 1 kim: 재검수 필요"},
			func(task map[string]any) bool { return len(task["memos"].([]any)) == 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			res := b.do(t, "POST", tt.path, logisticsToken, tt.body)
			if res.status != tt.want {
				t.Fatalf("%d %s, want %d", res.status, res.raw, tt.want)
			}
			if got := b.tasks.Changes(); !slices.Equal(got, tt.wantChanges) {
				t.Fatalf("changes %q, want %q", got, tt.wantChanges)
			}
			if tt.want == 409 && res.errorCode(t) != "conflict" {
				t.Fatalf("error %s, want conflict", res.raw)
			}
			if tt.check != nil && !tt.check(res.task(t)) {
				t.Fatalf("task %v", res.task(t))
			}
		})
	}
}

func TestRoutesAnswerJSONErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		method, path string
		want         int
		code, allow  string
	}{
		{"DELETE", "/api/tasks/1", 405, "method_not_allowed", "GET, HEAD"},
		{"POST", "/api/tasks", 405, "method_not_allowed", "GET, HEAD"},
		{"GET", "/api/tasks/1/claim", 405, "method_not_allowed", "POST"},
		{"GET", "/api/orders", 404, "not_found", ""},
		{"POST", "/api/tasks/1/dance", 404, "not_found", ""},
	}
	for _, tt := range tests {
		res := b.do(t, tt.method, tt.path, adminToken, "")
		if res.status != tt.want || res.errorCode(t) != tt.code || res.header.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d %s Allow %q, want %d %s %q", tt.method, tt.path, res.status, res.raw, res.header.Get("Allow"), tt.want, tt.code, tt.allow)
		}
	}
}

func TestActionsAreLoggedWithoutTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.do(t, "POST", "/api/tasks/5/claim", logisticsToken, "")
	logs := b.logs.String()
	if !strings.Contains(logs, "action=claim") || !strings.Contains(logs, "user=kim") {
		t.Fatalf("no action line: %s", logs)
	}
	if strings.Contains(logs, logisticsToken) {
		t.Fatalf("the token reached the log: %s", logs)
	}
}
