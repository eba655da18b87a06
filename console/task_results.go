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
// followupResult). formResult reads the same from a page's form; both check with checkResult.
func decodeResult(r *http.Request, kind mallsync.TaskKind) (json.RawMessage, error) {
	var in any
	switch kind {
	case mallsync.TaskInspection, mallsync.TaskPhotoReview:
		var v inspectionInput
		if err := decodeBody(r, &v, false); err != nil {
			return nil, err
		}
		in = v
	case mallsync.TaskReshipment, mallsync.TaskReturnToSupplier:
		var v mallsync.ReshipmentResult
		if err := decodeBody(r, &v, false); err != nil {
			return nil, err
		}
		in = v
	case mallsync.TaskAgentFollowup:
		var v followupResult
		if err := decodeBody(r, &v, false); err != nil {
			return nil, err
		}
		in = v
	default:
		return nil, unknownResultKind(kind)
	}
	return checkResult(in)
}

// inspectionInput is an inspection's result as a person sends it: defect may be missing.
type inspectionInput struct {
	Defect      *bool                `json:"defect"`
	Grade       string               `json:"grade"`
	Disposition mallsync.Disposition `json:"disposition"`
	Note        string               `json:"note"`
}

// followupResult is what completes an agent follow-up: what the agent did.
type followupResult struct {
	Note string `json:"note"`
}

// checkResult checks a decoded result (inspectionInput, mallsync.ReshipmentResult or
// followupResult) and returns it as the JSON to store or hand to the workflow.
func checkResult(in any) (json.RawMessage, error) {
	var out any
	switch in := in.(type) {
	case inspectionInput:
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
	case mallsync.ReshipmentResult:
		if err := checkText("carrier_code", in.CarrierCode, true, maxTrackingRunes); err != nil {
			return nil, err
		}
		if err := checkText("tracking_no", in.TrackingNo, true, maxTrackingRunes); err != nil {
			return nil, err
		}
		out = in
	case followupResult:
		if err := checkText("note", in.Note, true, maxNoteRunes); err != nil {
			return nil, err
		}
		out = in
	default:
		return nil, fmt.Errorf("checking a result of type %T: no such result", in)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encoding the result: %w", err)
	}
	return b, nil
}

// unknownResultKind is the refusal to complete a task of a kind without a result.
func unknownResultKind(kind mallsync.TaskKind) error {
	return mallsync.Errorf(mallsync.EINVALID, "tasks of kind %q cannot be completed here", kind)
}

func validDisposition(d mallsync.Disposition) bool {
	switch d {
	case mallsync.DispositionRestock, mallsync.DispositionQuarantine, mallsync.DispositionReturnToSupplier, mallsync.DispositionReject:
		return true
	}
	return false
}
