package console

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/mallsync/mallsync"
)

// formResult reads the result of a task of kind from a page's complete form and checks it as
// decodeResult does the JSON. Its fields have the JSON's names; defect is yes or no (a radio
// pair) and may also be true or false.
func formResult(form url.Values, kind mallsync.TaskKind) (json.RawMessage, error) {
	switch kind {
	case mallsync.TaskInspection, mallsync.TaskPhotoReview:
		in := inspectionInput{Grade: form.Get("grade"), Disposition: mallsync.Disposition(form.Get("disposition")), Note: form.Get("note")}
		switch v := form.Get("defect"); strings.ToLower(v) {
		case "":
		case "yes", "true":
			in.Defect = ptr(true)
		case "no", "false":
			in.Defect = ptr(false)
		default:
			return nil, mallsync.Errorf(mallsync.EINVALID, "defect %q: expected yes or no", clip(v))
		}
		return checkResult(in)
	case mallsync.TaskReshipment, mallsync.TaskReturnToSupplier:
		return checkResult(mallsync.ReshipmentResult{CarrierCode: strings.TrimSpace(form.Get("carrier_code")), TrackingNo: strings.TrimSpace(form.Get("tracking_no"))})
	case mallsync.TaskAgentFollowup:
		return checkResult(followupResult{Note: form.Get("note")})
	}
	return nil, unknownResultKind(kind)
}

func ptr[T any](v T) *T { return &v }
