package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mallsync/mallsync"
)

// maxBody caps a request body.
const maxBody = 64 << 10

// Text limits of the inputs people type.
const (
	maxMemoRunes     = 2000
	maxNoteRunes     = 1000
	maxAssigneeRunes = 100
	maxTrackingRunes = 64
)

// taskJSON is a task as the API shows it.
type taskJSON struct {
	ID            int64           `json:"id"`
	Key           string          `json:"key"`
	Mall          string          `json:"mall"`
	Kind          string          `json:"kind"`
	Status        string          `json:"status"`
	Priority      string          `json:"priority"`
	PriorityLabel string          `json:"priority_label"` // 낮음, 보통, 높음, 긴급
	Assignee      string          `json:"assignee"`
	OrderID       string          `json:"order_id"`
	ClaimID       string          `json:"claim_id"`
	LineIDs       []string        `json:"line_ids"`
	WorkflowID    string          `json:"workflow_id"`
	Title         string          `json:"title"`
	DueAt         *time.Time      `json:"due_at"`
	Overdue       bool            `json:"overdue"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
	ClosedAt      *time.Time      `json:"closed_at"`
	ClosedBy      string          `json:"closed_by"`
	AgeSeconds    int64           `json:"age_seconds"` // waiting so far, or the time it took once closed
	Result        json.RawMessage `json:"result"`
}

// taskDetailJSON is a task with its memo thread.
type taskDetailJSON struct {
	taskJSON
	Memos []memoJSON `json:"memos"`
}

type memoJSON struct {
	Author string    `json:"author"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
}

func closed(s mallsync.TaskStatus) bool { return s == mallsync.TaskDone || s == mallsync.TaskCanceled }

func toJSON(t mallsync.Task, now time.Time) taskJSON {
	age := int64(t.Age(now) / time.Second)
	if age < 0 {
		age = 0
	}
	lines := t.LineIDs
	if lines == nil {
		lines = []string{}
	}
	return taskJSON{
		ID: t.ID, Key: t.Key, Mall: string(t.Mall), Kind: string(t.Kind), Status: string(t.Status),
		Priority: string(t.Priority), PriorityLabel: t.Priority.Label(), Assignee: t.Assignee,
		OrderID: t.PlatformOrderID, ClaimID: t.ClaimID, LineIDs: lines, WorkflowID: t.WorkflowID,
		Title: t.Title, DueAt: t.DueAt, Overdue: t.DueAt != nil && !closed(t.Status) && now.After(*t.DueAt),
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, ClosedAt: t.ClosedAt, ClosedBy: t.ClosedBy,
		AgeSeconds: age, Result: t.Result,
	}
}

func toDetailJSON(t mallsync.Task, now time.Time) taskDetailJSON {
	d := taskDetailJSON{taskJSON: toJSON(t, now), Memos: make([]memoJSON, len(t.Memos))}
	for i, m := range t.Memos {
		d.Memos[i] = memoJSON{Author: m.Author, Body: m.Body, At: m.At}
	}
	return d
}

// decodeBody reads r's body as exactly one JSON object into v, refusing fields v does not
// have. With allowEmpty, an empty body leaves v as it is.
func decodeBody(r *http.Request, v any, allowEmpty bool) error {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return mallsync.Errorf(mallsync.EINVALID, "the request body is larger than %d bytes", maxBody)
		}
		return mallsync.Errorf(mallsync.EINVALID, "reading the request body failed")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		if allowEmpty {
			return nil
		}
		return mallsync.Errorf(mallsync.EINVALID, "the request body is empty: expected a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return mallsync.Errorf(mallsync.EINVALID, "the request body is not the expected JSON: %s", jsonProblem(err))
	}
	if dec.More() {
		return mallsync.Errorf(mallsync.EINVALID, "the request body holds more than one JSON value")
	}
	return nil
}

// jsonProblem says what was wrong with a JSON body, without quoting it.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("field %q must be a %s", typ.Field, jsonType(typ.Type.Kind().String()))
		}
		return "expected a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends too early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "it does not parse"
}

func jsonType(kind string) string {
	switch kind {
	case "bool":
		return "boolean"
	case "string":
		return "string"
	case "ptr":
		return "value of another type"
	}
	return kind
}

// checkText refuses a value that is empty (when required), not valid UTF-8 or longer than
// limit characters.
func checkText(field, v string, required bool, limit int) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return mallsync.Errorf(mallsync.EINVALID, "%s is required", field)
	case !utf8.ValidString(v):
		return mallsync.Errorf(mallsync.EINVALID, "%s is not valid UTF-8", field)
	case utf8.RuneCountInString(v) > limit:
		return mallsync.Errorf(mallsync.EINVALID, "%s is longer than %d characters", field, limit)
	}
	return nil
}
