package console

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/mallsync/mallsync"
)

// ReorderDeps is what the reorder API needs.
type ReorderDeps struct {
	// Reorders marks and reads pre-shipped reorders (required).
	Reorders mallsync.ReorderActions
	// Auth maps bearer tokens (and, for a SessionAuthenticator, session cookies) to users
	// (required).
	Auth Authenticator
	// Logger gets internal errors and one line per reorder marked; nil means slog.Default.
	Logger *slog.Logger
	// Audit gets a row per reorder marked; nil writes none.
	Audit mallsync.AuditLog
}

// reorderRoles says which roles may read and mark pre-shipped reorders.
var reorderRoles = map[string][]Role{
	"read": {RoleAgent, RoleLogistics, RoleAdmin},
	"mark": {RoleAgent, RoleAdmin},
}

type reorderAPI struct {
	reorders mallsync.ReorderActions
	logger   *slog.Logger
	audit    auditor
}

// NewReorderAPI returns the JSON API over pre-shipped reorders (기출하), to mount at
// /api/orders/:
//
//	POST /api/orders/{mall}/{order}/reorder-of  {"original": "<order id>"}  agent, admin
//	GET  /api/orders/{mall}/{order}/reorder                                agent, logistics, admin
//
// A mark the rules refuse (the mall's policy, the original not delivered...) answers 422
// with the reason; an unknown mall or order 404. It panics when deps lacks Reorders or Auth.
func NewReorderAPI(deps ReorderDeps) http.Handler {
	if deps.Reorders == nil || deps.Auth == nil {
		panic("console.NewReorderAPI: Reorders and Auth are required")
	}
	a := newReorderAPI(deps)
	mux := http.NewServeMux()
	a.routes(mux)
	apiNotFound(mux)
	return authenticate(deps.Auth, a.logger, mux)
}

// newReorderAPI builds the reorder handlers over deps.
func newReorderAPI(deps ReorderDeps) *reorderAPI {
	a := &reorderAPI{reorders: deps.Reorders, logger: deps.Logger}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	a.audit = auditor{log: deps.Audit, logger: a.logger}
	return a
}

// routes adds the reorder API's routes to mux.
func (a *reorderAPI) routes(mux *http.ServeMux) {
	addRoutes(mux, []route{
		{"POST", "/api/orders/{mall}/{order}/reorder-of", a.mark},
		{"GET", "/api/orders/{mall}/{order}/reorder", a.get},
	})
}

// allowed writes the refusal and returns false when the user may not take action.
func (a *reorderAPI) allowed(w http.ResponseWriter, r *http.Request, action string) (User, bool) {
	u, _ := UserFrom(r.Context())
	if !slices.Contains(reorderRoles[action], u.Role) {
		writeError(w, r, a.logger, mallsync.Errorf(mallsync.EFORBIDDEN, "role %s may not %s pre-shipped reorders", u.Role, action))
		return u, false
	}
	return u, true
}

func (a *reorderAPI) mark(w http.ResponseWriter, r *http.Request) {
	u, ok := a.allowed(w, r, "mark")
	if !ok {
		return
	}
	var in struct {
		Original string `json:"original"`
	}
	if err := decodeBody(r, &in, false); err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	if in.Original == "" {
		writeError(w, r, a.logger, mallsync.Errorf(mallsync.EINVALID, `"original" is required: the order id of the delivered original`))
		return
	}
	mall, order := mallsync.MallKey(r.PathValue("mall")), r.PathValue("order")
	ro, err := a.reorders.Mark(r.Context(), mall, order, in.Original, u.Name)
	if mallsync.ErrorCode(err) == mallsync.EINVALID {
		writeErrorCode(w, http.StatusUnprocessableEntity, "refused", mallsync.ErrorMessage(err))
		return
	}
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	a.logger.InfoContext(r.Context(), "reorder marked", "mall", mall, "order", order, "original", in.Original,
		"user", u.Name, "role", string(u.Role))
	a.audit.record(r, u, "reorder.mark", "order/"+string(mall)+"/"+order, map[string]any{"mall": string(mall), "original": in.Original})
	writeJSON(w, http.StatusOK, map[string]any{"reorder": toReorderJSON(ro)})
}

func (a *reorderAPI) get(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.allowed(w, r, "read"); !ok {
		return
	}
	ro, err := a.reorders.Reorder(r.Context(), mallsync.MallKey(r.PathValue("mall")), r.PathValue("order"))
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"reorder": toReorderJSON(ro)})
}

// reorderJSON is a reorder as the API shows it.
type reorderJSON struct {
	Mall        string         `json:"mall"`
	Order       string         `json:"order"`
	Original    string         `json:"original"`
	Source      string         `json:"source"`
	MarkedBy    string         `json:"marked_by"`
	MarkedAt    time.Time      `json:"marked_at"`
	CarrierCode string         `json:"carrier_code"`
	TrackingNo  string         `json:"tracking_no"`
	ShipmentID  string         `json:"shipment_id"`
	Lines       []string       `json:"lines"`
	Released    int            `json:"released_reservations"`
	WriteBack   *writeBackJSON `json:"write_back"`
}

// writeBackJSON is the dispatch write-back's result; null while none was made.
type writeBackJSON struct {
	Done        bool       `json:"done"`
	AlreadyDone bool       `json:"already_done"`
	Code        string     `json:"code,omitempty"`
	Message     string     `json:"message,omitempty"`
	At          *time.Time `json:"at,omitempty"`
}

func toReorderJSON(r mallsync.Reorder) reorderJSON {
	j := reorderJSON{Mall: string(r.Mall), Order: r.OrderID, Original: r.OriginalOrderID, Source: string(r.Source),
		MarkedBy: r.MarkedBy, MarkedAt: r.MarkedAt, CarrierCode: r.CarrierCode, TrackingNo: r.TrackingNo,
		ShipmentID: r.ShipmentID, Lines: r.LineIDs, Released: r.Released}
	if j.Lines == nil {
		j.Lines = []string{}
	}
	if r.WriteBack != nil {
		j.WriteBack = &writeBackJSON{Done: r.WriteBack.Done, AlreadyDone: r.WriteBack.AlreadyDone, Code: r.WriteBack.Code,
			Message: r.WriteBack.Message, At: r.WrittenAt}
	}
	return j
}
