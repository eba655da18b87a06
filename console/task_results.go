package console

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mallsync/mallsync"
)

// The result each kind of task is completed with:
//
//	inspection, photo_review         {"defect": bool, "grade": "A"|"B"|"C"|"", "disposition": "restock"|"quarantine"|"return_to_supplier"|"reject", "note": "..."}
//	reshipment, return_to_supplier   {"carrier_code": "...", "tracking_no": "..."} (the parcel that went out)
//	agent_followup                   {"note": "..."} (what was done)
//
// decodeResult reads and checks the request's result for a task of kind and returns it as the
// JSON to store or hand to the workflow (mallsync.InspectionResult, mallsync.ReshipmentResult,
// followupResult).
func decodeResult(r *http.Request, kind mallsync.TaskKind) (json.RawMessage, error) {
	var out any
	switch kind {
	case mallsync.TaskInspection, mallsync.TaskPhotoReview:
		var in struct {
			Defect      *bool                `json:"defect"`
			Grade       string               `json:"grade"`
			Disposition mallsync.Disposition `json:"disposition"`
			Note        string               `json:"note"`
		}
		if err := decodeBody(r, &in, false); err != nil {
			return nil, err
		}
		switch {
		case in.Defect == nil:
			return nil, mallsync.Errorf(mallsync.EINVALID, "defect is required: true or false")
		case !validDisposition(in.Disposition):
			return nil, mallsync.Errorf(mallsync.EINVALID, "disposition %q: expected restock, quarantine, return_to_supplier or reject", in.Disposition)
		case in.Grade != "" && in.Grade != "A" && in.Grade != "B" && in.Grade != "C":
			return nil, mallsync.Errorf(mallsync.EINVALID, "grade %q: expected A, B, C or none", in.Grade)
		}
		if err := checkText("note", in.Note, false, maxNoteRunes); err != nil {
			return nil, err
		}
		out = mallsync.InspectionResult{Defect: *in.Defect, Grade: in.Grade, Disposition: in.Disposition, Note: in.Note}
	case mallsync.TaskReshipment, mallsync.TaskReturnToSupplier:
		var in mallsync.ReshipmentResult
		if err := decodeBody(r, &in, false); err != nil {
			return nil, err
		}
		if err := checkText("carrier_code", in.CarrierCode, true, maxTrackingRunes); err != nil {
			return nil, err
		}
		if err := checkText("tracking_no", in.TrackingNo, true, maxTrackingRunes); err != nil {
			return nil, err
		}
		out = in
	case mallsync.TaskAgentFollowup:
		var in followupResult
		if err := decodeBody(r, &in, false); err != nil {
			return nil, err
		}
		if err := checkText("note", in.Note, true, maxNoteRunes); err != nil {
			return nil, err
		}
		out = in
	default:
		return nil, mallsync.Errorf(mallsync.EINVALID, "tasks of kind %q cannot be completed here", kind)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encoding the result: %w", err)
	}
	return b, nil
}

// followupResult is what completes an agent follow-up: what the agent did.
type followupResult struct {
	Note string `json:"note"`
}

func validDisposition(d mallsync.Disposition) bool {
	switch d {
	case mallsync.DispositionRestock, mallsync.DispositionQuarantine, mallsync.DispositionReturnToSupplier, mallsync.DispositionReject:
		return true
	}
	return false
}
