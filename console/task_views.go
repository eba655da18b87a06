package console

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"github.com/mallsync/mallsync"
)

// boardKinds are the task kinds in the order the board's tabs show them.
var boardKinds = []mallsync.TaskKind{mallsync.TaskInspection, mallsync.TaskPhotoReview,
	mallsync.TaskReshipment, mallsync.TaskReturnToSupplier, mallsync.TaskAgentFollowup}

// kindLabels name the task kinds on screen.
var kindLabels = map[mallsync.TaskKind]string{
	mallsync.TaskInspection:       "검수 Inspection",
	mallsync.TaskPhotoReview:      "사진 검수 Photo review",
	mallsync.TaskReshipment:       "재배송 Re-shipment",
	mallsync.TaskReturnToSupplier: "공급사 반송 Return to supplier",
	mallsync.TaskAgentFollowup:    "후속 조치 Follow-up",
}

// statusLabels name the task statuses on screen.
var statusLabels = map[mallsync.TaskStatus]string{
	mallsync.TaskOpen:     "대기 Open",
	mallsync.TaskClaimed:  "진행중 Claimed",
	mallsync.TaskDone:     "완료 Done",
	mallsync.TaskCanceled: "취소 Canceled",
}

// dispositionLabels name the dispositions of an inspection on screen.
var dispositionLabels = map[mallsync.Disposition]string{
	mallsync.DispositionRestock:          "재입고 Restock",
	mallsync.DispositionQuarantine:       "격리 Quarantine",
	mallsync.DispositionReturnToSupplier: "공급사 반송 Return to supplier",
	mallsync.DispositionReject:           "반품 거절 Reject (ship back)",
}

// option is one choice of a select or a filter.
type option struct {
	Value, Label string
}

// priorityOptions are the priorities, most urgent first, with their Korean labels.
func priorityOptions() []option {
	var out []option
	for i := len(mallsync.Priorities) - 1; i >= 0; i-- {
		p := mallsync.Priorities[i]
		out = append(out, option{string(p), p.Label()})
	}
	return out
}

// dispositionOptions are the dispositions an inspection may end with.
var dispositionOptions = []option{
	{string(mallsync.DispositionRestock), dispositionLabels[mallsync.DispositionRestock]},
	{string(mallsync.DispositionQuarantine), dispositionLabels[mallsync.DispositionQuarantine]},
	{string(mallsync.DispositionReturnToSupplier), dispositionLabels[mallsync.DispositionReturnToSupplier]},
	{string(mallsync.DispositionReject), dispositionLabels[mallsync.DispositionReject]},
}

// workKinds are the kinds of task role works, and so sees on the board: the kinds it may
// complete.
func workKinds(role Role) []mallsync.TaskKind {
	var out []mallsync.TaskKind
	for _, k := range boardKinds {
		if may(role, actComplete, k) {
			out = append(out, k)
		}
	}
	return out
}

// taskRow is a task as the pages show it.
type taskRow struct {
	mallsync.Task
	KindLabel   string
	StatusLabel string
	Age         time.Duration
	Overdue     bool
}

func toRow(t mallsync.Task, now time.Time) taskRow {
	age := t.Age(now)
	if age < 0 {
		age = 0
	}
	return taskRow{Task: t, KindLabel: kindLabel(t.Kind), StatusLabel: statusLabel(t.Status), Age: age,
		Overdue: t.DueAt != nil && !closed(t.Status) && now.After(*t.DueAt)}
}

func kindLabel(k mallsync.TaskKind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

func statusLabel(s mallsync.TaskStatus) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// priorityRank orders priorities: urgent highest.
func priorityRank(p mallsync.Priority) int { return slices.Index(mallsync.Priorities, p) }

// sortTasks orders tasks as the store lists them: the most urgent first, then the oldest.
func sortTasks(ts []mallsync.Task) {
	slices.SortStableFunc(ts, func(a, b mallsync.Task) int {
		if d := priorityRank(b.Priority) - priorityRank(a.Priority); d != 0 {
			return d
		}
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// resultField is one field of a task's result as the task page shows it; ID is the element
// id of its value.
type resultField struct {
	ID, Label, Value string
}

// resultView reads a closed task's result for the task page. It returns nil when the
// result is not the kind's (the page then shows it raw).
func resultView(t mallsync.Task) []resultField {
	if len(t.Result) == 0 {
		return nil
	}
	switch t.Kind {
	case mallsync.TaskInspection, mallsync.TaskPhotoReview:
		var r mallsync.InspectionResult
		if json.Unmarshal(t.Result, &r) != nil {
			return nil
		}
		defect, grade := "없음 No", r.Grade
		if r.Defect {
			defect = "있음 Yes"
		}
		if grade == "" {
			grade = "-"
		}
		disp, ok := dispositionLabels[r.Disposition]
		if !ok {
			disp = string(r.Disposition)
		}
		return []resultField{{"result-defect", "불량 Defect", defect}, {"result-grade", "등급 Grade", grade},
			{"result-disposition", "처리 Disposition", disp}, {"result-note", "메모 Note", r.Note}}
	case mallsync.TaskReshipment, mallsync.TaskReturnToSupplier:
		var r mallsync.ReshipmentResult
		if json.Unmarshal(t.Result, &r) != nil {
			return nil
		}
		return []resultField{{"result-carrier", "택배사 Carrier", r.CarrierCode}, {"result-tracking", "송장 Tracking no.", r.TrackingNo}}
	case mallsync.TaskAgentFollowup:
		var r followupResult
		if json.Unmarshal(t.Result, &r) != nil {
			return nil
		}
		return []resultField{{"result-note", "메모 Note", r.Note}}
	}
	return nil
}
