package console

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/mallsync/mallsync"
)

// The task actions, once for the JSON API and the pages. Each takes the user and the task
// loaded by load, checks its input, changes the task, and records what the person did.
// Handlers decode the request and write the answer; the checks live here.

// refusal is a workflow's refusal of an action, with the reason it gave: EINVALID when the
// workflow found the input unacceptable, ECONFLICT or ENOTFOUND when it is past the step.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// asRefusal returns the workflow's refusal in err, if there is one.
func asRefusal(err error) (*refusal, bool) {
	var ref *refusal
	ok := errors.As(err, &ref)
	return ref, ok
}

// load checks that u's role may ever take action, reads the task of rawID and checks that
// the role may take action on its kind. A refusal for the kind returns the task with the
// EFORBIDDEN error, so a page can show the task with the reason.
func (a *taskAPI) load(ctx context.Context, u User, action taskAction, rawID string) (mallsync.Task, error) {
	if !mayEver(u.Role, action) {
		return mallsync.Task{}, forbidden(u, action, "")
	}
	id, err := parseTaskID(rawID)
	if err != nil {
		return mallsync.Task{}, err
	}
	t, err := a.tasks.Task(ctx, id)
	if err != nil {
		return mallsync.Task{}, err
	}
	if !may(u.Role, action, t.Kind) {
		return t, forbidden(u, action, t.Kind)
	}
	return t, nil
}

// claimTask gives t to u.
func (a *taskAPI) claimTask(r *http.Request, u User, t mallsync.Task) error {
	if _, err := a.tasks.ClaimTask(r.Context(), t.ID, u.Name); err != nil {
		return err
	}
	a.acted(r, u, actClaim, t)
	return nil
}

// completeTask completes t with result (as decodeResult or formResult made it) and returns
// the task as it is afterwards. A task a workflow waits for is completed through the
// workflow, which closes it itself (the task may still be open when this returns); its
// refusal comes back as a *refusal. Any other task is closed in the store.
func (a *taskAPI) completeTask(r *http.Request, u User, t mallsync.Task, result json.RawMessage) (mallsync.Task, error) {
	if closed(t.Status) {
		return t, mallsync.Errorf(mallsync.ECONFLICT, "task %d is already %s", t.ID, t.Status)
	}
	if t.WorkflowID == "" {
		if _, err := a.tasks.CompleteTask(r.Context(), t.ID, result, u.Name); err != nil {
			return t, err
		}
		a.acted(r, u, actComplete, t, "via", "store")
	} else {
		if a.returns == nil {
			return t, mallsync.Errorf(mallsync.EUNAVAILABLE, "task %d belongs to a workflow, and workflows cannot be reached from here", t.ID)
		}
		if err := a.returns.CompleteTask(r.Context(), t.WorkflowID, t.ID, result, u.Name); err != nil {
			return t, &refusal{err: err}
		}
		a.acted(r, u, actComplete, t, "via", "workflow")
	}
	return a.tasks.Task(r.Context(), t.ID)
}

// addMemo appends body to t's memo thread as u.
func (a *taskAPI) addMemo(r *http.Request, u User, t mallsync.Task, body string) error {
	if err := checkText("body", body, true, maxMemoRunes); err != nil {
		return err
	}
	if err := a.tasks.AddMemo(r.Context(), t.ID, mallsync.Memo{Author: u.Name, Body: strings.TrimSpace(body)}); err != nil {
		return err
	}
	a.acted(r, u, actMemo, t)
	return nil
}

// reassignTask gives t to assignee ("" unassigns it).
func (a *taskAPI) reassignTask(r *http.Request, u User, t mallsync.Task, assignee string) error {
	if err := checkText("assignee", assignee, false, maxAssigneeRunes); err != nil {
		return err
	}
	assignee = strings.TrimSpace(assignee)
	if _, err := a.tasks.ReassignTask(r.Context(), t.ID, assignee, u.Name); err != nil {
		return err
	}
	a.acted(r, u, actReassign, t, "assignee", assignee)
	return nil
}

// setPriority changes t's priority to p.
func (a *taskAPI) setPriority(r *http.Request, u User, t mallsync.Task, p mallsync.Priority) error {
	if !p.Valid() {
		return mallsync.Errorf(mallsync.EINVALID, "priority %q: expected low, normal, high or urgent", clip(string(p)))
	}
	if err := a.tasks.SetPriority(r.Context(), t.ID, p); err != nil {
		return err
	}
	a.acted(r, u, actPriority, t, "priority", string(p))
	return nil
}
