package console

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// Body caps of the sales section.
const (
	// MaxMallFile is the largest mall file the console validates or applies.
	MaxMallFile = 256 << 10
	// MaxPreviewBody is the largest saved API response the console previews.
	MaxPreviewBody = 8 << 20
)

// MallDeps is what the console's sales section (몰 Malls) needs: the malls with their sync
// health, and the onboarding of a new mall (validate its mall file, preview a saved API
// response, apply the file, connect the mall to its platform). cmd builds it; the console
// calls every func with the request's context or data and never logs what it is given.
type MallDeps struct {
	// Health reads every mall with its sync health (required).
	Health mallsync.MallHealthReader
	// Malls stores the malls applied (required).
	Malls mallsync.MallStore
	// ValidateFunc parses and checks the mall file data, named file in messages (required).
	// It returns the complete mall, or else every problem found with its line and column.
	ValidateFunc func(file string, data []byte) (mallsync.Mall, []FileProblem)
	// PreviewFunc maps a saved API response of a platform's resource to unified records with
	// the code the sync runs. Its error is EINVALID when body is not that resource's answer.
	// Nil answers previews 503.
	PreviewFunc func(platform mallsync.Platform, resource string, body []byte) (connectors.Preview, error)
	// PreviewResources lists the resources PreviewFunc reads, by platform.
	PreviewResources map[mallsync.Platform][]string
	// ConnectFunc starts connecting a stored mall to its platform and says how to finish:
	// the authorize URL of an OAuth platform, or the command an operator runs where keys
	// must not pass through a browser form. Nil answers connects 503.
	ConnectFunc func(ctx context.Context, m mallsync.Mall) (Connection, error)
}

// FileProblem is one thing wrong in a mall file, at a 1-based line and column (0 when the
// problem has no position).
type FileProblem struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Connection says how a person finishes connecting a mall.
type Connection struct {
	// AuthorizeURL is the platform's page where the mall's operator approves the app (OAuth).
	// It works once and for a short time. Empty when Command is the way.
	AuthorizeURL string `json:"authorize_url,omitempty"`
	// Command is what an operator runs on a server instead (platforms with keys: the keys go
	// from the environment to the sealed store, never through a browser).
	Command string `json:"command,omitempty"`
	// Note says what happens next, for people.
	Note string `json:"note,omitempty"`
}

// mallSection serves the sales section's API and pages.
type mallSection struct {
	deps   MallDeps
	logger *slog.Logger
	audit  auditor
	now    func() time.Time
	pages  *pages
	page   func(roles []Role, h http.HandlerFunc) http.HandlerFunc
	// sessions checks the pages' session cookies (console.Deps.Auth).
	sessions SessionAuthenticator
}

func (c *console) mallSection() *mallSection {
	d := *c.deps.Malls
	if d.Health == nil || d.Malls == nil || d.ValidateFunc == nil {
		panic("console.New: Malls needs Health, Malls and ValidateFunc")
	}
	return &mallSection{deps: d, logger: c.logger, audit: c.audit, now: c.now, pages: c.pages, page: c.page, sessions: c.deps.Auth}
}

// mallRoutes adds the sales section's JSON API to api (sales and admin only):
//
//	GET  /api/malls                                   every mall with its sync health
//	GET  /api/malls/{key}                             one mall
//	POST /api/malls/validate     the YAML mall file   200 {"valid":true,"mall":{...}} or 422 with "problems"
//	POST /api/malls/preview?platform=&resource=       the saved API response: {"preview":{...}}
//	POST /api/malls/apply        the YAML mall file   stores the mall (audit mall.apply)
//	POST /api/malls/{key}/connect                     {"connection":{"authorize_url"|"command"}} (audit mall.connect)
func (c *console) mallRoutes(api *http.ServeMux) {
	s := c.mallSection()
	addRoutes(api, []route{
		{"GET", "/api/malls", s.apiList},
		{"POST", "/api/malls/validate", s.apiValidate},
		{"POST", "/api/malls/preview", s.apiPreview},
		{"POST", "/api/malls/apply", s.apiApply},
		{"POST", "/api/malls/{key}/connect", s.apiConnect},
	})
	// One pattern for every method: "GET /api/malls/{key}" would conflict with the 405
	// patterns of /api/malls/validate, preview and apply.
	api.HandleFunc("/api/malls/{key}", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeErrorCode(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here: use GET, HEAD")
			return
		}
		s.apiGet(w, r)
	})
}

// errTooLarge is a body over its cap.
type errTooLarge struct{ what string }

func (e errTooLarge) Error() string { return e.what + " is too large" }

// readBody reads r's body up to limit bytes, what naming it in errors.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, what string) ([]byte, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, errTooLarge{what: what + " is larger than " + sizeText(limit)}
	case err != nil:
		return nil, mallsync.Errorf(mallsync.EINVALID, "reading the request body failed")
	case len(strings.TrimSpace(string(raw))) == 0:
		return nil, mallsync.Errorf(mallsync.EINVALID, "the request body is empty: expected %s", what)
	}
	return raw, nil
}

// sizeText writes a byte count as KB or MB.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n>>10, 10) + " KB"
}

// writeMallError writes err: 413 for a body too large, else through the error table.
func (s *mallSection) writeMallError(w http.ResponseWriter, r *http.Request, err error) {
	var tl errTooLarge
	if errors.As(err, &tl) {
		writeErrorCode(w, http.StatusRequestEntityTooLarge, "too_large", tl.what)
		return
	}
	writeError(w, r, s.logger, err)
}

// allowed writes the refusal and returns false when the user's role may not use the section.
func (s *mallSection) allowed(w http.ResponseWriter, r *http.Request) (User, bool) {
	u, _ := UserFrom(r.Context())
	if !slices.Contains(mallPageRoles, u.Role) {
		writeError(w, r, s.logger, mallsync.Errorf(mallsync.EFORBIDDEN, "role %s may not open the malls section", u.Role))
		return u, false
	}
	return u, true
}

func (s *mallSection) apiList(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r); !ok {
		return
	}
	malls, err := s.deps.Health.MallHealth(r.Context())
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	now := s.now()
	out := make([]mallHealthJSON, 0, len(malls))
	for _, m := range malls {
		out = append(out, toMallHealthJSON(m, now))
	}
	writeJSON(w, http.StatusOK, map[string]any{"malls": out})
}

func (s *mallSection) apiGet(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r); !ok {
		return
	}
	m, err := s.mallHealth(r.Context(), mallsync.MallKey(r.PathValue("key")))
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"mall": toMallHealthJSON(m, s.now())})
}

// mallHealth returns the health of the mall with key, or ENOTFOUND.
func (s *mallSection) mallHealth(ctx context.Context, key mallsync.MallKey) (mallsync.MallHealth, error) {
	malls, err := s.deps.Health.MallHealth(ctx)
	if err != nil {
		return mallsync.MallHealth{}, err
	}
	for _, m := range malls {
		if m.Mall.Key == key {
			return m, nil
		}
	}
	return mallsync.MallHealth{}, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q", clip(string(key)))
}

// writeProblems answers a mall file that does not pass: 422 with every problem.
func writeProblems(w http.ResponseWriter, problems []FileProblem) {
	var b errorBody
	b.Error.Code, b.Error.Message = "invalid_mall_file", problemText(problems[0])
	writeJSON(w, http.StatusUnprocessableEntity, struct {
		errorBody
		Problems []FileProblem `json:"problems"`
	}{b, problems})
}

// problemText writes a problem as "line:col: message".
func problemText(p FileProblem) string {
	switch {
	case p.Line <= 0:
		return p.Message
	case p.Column <= 0:
		return strconv.Itoa(p.Line) + ": " + p.Message
	}
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column) + ": " + p.Message
}

func (s *mallSection) apiValidate(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r); !ok {
		return
	}
	m, ok := s.readMallFile(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"valid": true, "mall": toMallJSON(m)})
}

// readMallFile reads and validates the mall file in r's body. On failure it has written the
// error (413, 400, or 422 with the problems) and returns false.
func (s *mallSection) readMallFile(w http.ResponseWriter, r *http.Request) (mallsync.Mall, bool) {
	data, err := readBody(w, r, MaxMallFile, "a mall file (YAML)")
	if err != nil {
		s.writeMallError(w, r, err)
		return mallsync.Mall{}, false
	}
	m, problems := s.validate(data)
	if len(problems) > 0 {
		writeProblems(w, problems)
		return mallsync.Mall{}, false
	}
	return m, true
}

// validate checks a mall file.
func (s *mallSection) validate(data []byte) (mallsync.Mall, []FileProblem) {
	m, problems := s.deps.ValidateFunc("mall file", data)
	if len(problems) == 0 && m.Key == "" {
		problems = []FileProblem{{Message: "the mall file names no mall"}}
	}
	return m, problems
}

func (s *mallSection) apiApply(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r)
	if !ok {
		return
	}
	m, ok := s.readMallFile(w, r)
	if !ok {
		return
	}
	created, err := s.apply(r, u, m)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"applied": true, "created": created, "mall": toMallJSON(m)})
}

// apply stores m (a valid mall) and records it; created says the mall is new.
func (s *mallSection) apply(r *http.Request, u User, m mallsync.Mall) (created bool, err error) {
	_, err = s.deps.Malls.Mall(r.Context(), m.Key)
	switch {
	case mallsync.ErrorCode(err) == mallsync.ENOTFOUND:
		created = true
	case err != nil:
		return false, err
	}
	if err := s.deps.Malls.PutMall(r.Context(), m); err != nil {
		return false, err
	}
	s.logger.InfoContext(r.Context(), "mall applied", "mall", m.Key, "platform", m.Platform, "created", created,
		"user", u.Name, "role", string(u.Role))
	s.audit.record(r, u, "mall.apply", "mall/"+string(m.Key), map[string]any{"platform": string(m.Platform), "name": m.Name, "created": created})
	return created, nil
}

func (s *mallSection) apiPreview(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r); !ok {
		return
	}
	q := r.URL.Query()
	platform, resource := mallsync.Platform(q.Get("platform")), q.Get("resource")
	if err := s.previewable(platform, resource); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	body, err := readBody(w, r, MaxPreviewBody, "a saved API response")
	if err != nil {
		s.writeMallError(w, r, err)
		return
	}
	p, err := s.deps.PreviewFunc(platform, resource, body)
	if mallsync.ErrorCode(err) == mallsync.EINVALID {
		writeErrorCode(w, http.StatusUnprocessableEntity, "invalid_response", mallsync.ErrorMessage(err))
		return
	}
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"preview": p, "records": p.Records(), "unmapped": len(p.Errors)})
}

// previewable checks that previews are on and that platform has resource.
func (s *mallSection) previewable(platform mallsync.Platform, resource string) error {
	if s.deps.PreviewFunc == nil {
		return mallsync.Errorf(mallsync.EUNAVAILABLE, "previews are not set up in this console: use mallsync preview")
	}
	resources, ok := s.deps.PreviewResources[platform]
	if !ok {
		return mallsync.Errorf(mallsync.EINVALID, "platform %q: expected one of %s", clip(string(platform)), strings.Join(s.platforms(), ", "))
	}
	if !slices.Contains(resources, resource) {
		return mallsync.Errorf(mallsync.EINVALID, "resource %q of %s: expected one of %s", clip(resource), platform, strings.Join(resources, ", "))
	}
	return nil
}

// platforms are the platforms previews know, sorted.
func (s *mallSection) platforms() []string {
	var out []string
	for p := range s.deps.PreviewResources {
		out = append(out, string(p))
	}
	slices.Sort(out)
	return out
}

func (s *mallSection) apiConnect(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r)
	if !ok {
		return
	}
	cn, err := s.connect(r, u, mallsync.MallKey(r.PathValue("key")))
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"mall": r.PathValue("key"), "connection": cn})
}

// connect starts connecting the stored mall key and records it. The authorize URL (it
// carries a one-time state) is neither logged nor audited.
func (s *mallSection) connect(r *http.Request, u User, key mallsync.MallKey) (Connection, error) {
	if s.deps.ConnectFunc == nil {
		return Connection{}, mallsync.Errorf(mallsync.EUNAVAILABLE, "connecting malls is not set up in this console: run mallsync mall connect %s", clip(string(key)))
	}
	m, err := s.deps.Malls.Mall(r.Context(), key)
	if err != nil {
		return Connection{}, err
	}
	cn, err := s.deps.ConnectFunc(r.Context(), m)
	if err != nil {
		return Connection{}, err
	}
	via := "command"
	if cn.AuthorizeURL != "" {
		via = "oauth"
	}
	s.logger.InfoContext(r.Context(), "mall connect started", "mall", m.Key, "platform", m.Platform, "via", via,
		"user", u.Name, "role", string(u.Role))
	s.audit.record(r, u, "mall.connect", "mall/"+string(m.Key), map[string]any{"platform": string(m.Platform), "via": via})
	return cn, nil
}
