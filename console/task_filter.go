package console

import (
	"maps"
	"net/url"
	"slices"
	"strconv"

	"github.com/mallsync/mallsync"
)

// maxListLimit caps ?limit= of the task list.
const maxListLimit = 1000

// parseTaskFilter reads the task list's query: kind, status, assignee, priority, mall, claim
// and limit, each at most once. An unknown parameter or value is EINVALID; an empty one is
// left out.
func parseTaskFilter(q url.Values) (mallsync.TaskFilter, error) {
	var f mallsync.TaskFilter
	for _, name := range slices.Sorted(maps.Keys(q)) {
		vs := q[name]
		if len(vs) > 1 {
			return f, mallsync.Errorf(mallsync.EINVALID, "parameter %q is given %d times: give it once", clip(name), len(vs))
		}
		v := vs[0]
		if err := checkText(name, v, false, 200); err != nil {
			return f, err
		}
		if v == "" {
			continue
		}
		switch name {
		case "kind":
			if f.Kind = mallsync.TaskKind(v); !f.Kind.Valid() {
				return f, mallsync.Errorf(mallsync.EINVALID, "kind %q: expected inspection, photo_review, reshipment, return_to_supplier or agent_followup", clip(v))
			}
		case "status":
			if f.Status = mallsync.TaskStatus(v); !validStatus(f.Status) {
				return f, mallsync.Errorf(mallsync.EINVALID, "status %q: expected open, claimed, done or canceled", clip(v))
			}
		case "priority":
			if f.Priority = mallsync.Priority(v); !f.Priority.Valid() {
				return f, mallsync.Errorf(mallsync.EINVALID, "priority %q: expected low, normal, high or urgent", clip(v))
			}
		case "assignee":
			f.Assignee = v
		case "mall":
			f.Mall = mallsync.MallKey(v)
		case "claim":
			f.ClaimID = v
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxListLimit {
				return f, mallsync.Errorf(mallsync.EINVALID, "limit %q: expected a whole number from 1 to %d", clip(v), maxListLimit)
			}
			f.Limit = n
		default:
			return f, mallsync.Errorf(mallsync.EINVALID, "unknown parameter %q: expected kind, status, assignee, priority, mall, claim or limit", clip(name))
		}
	}
	return f, nil
}

func validStatus(s mallsync.TaskStatus) bool {
	switch s {
	case mallsync.TaskOpen, mallsync.TaskClaimed, mallsync.TaskDone, mallsync.TaskCanceled:
		return true
	}
	return false
}
