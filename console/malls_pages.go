package console

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// formSlack is room in a form body for the fields beside its big one.
const formSlack = 64 << 10

// mallPages adds the sales section's pages to mux (sales and admin only):
//
//	GET  /malls                     every mall: platform, ownership rules, policy, sync health
//	GET  /malls/onboard             the four onboarding steps
//	POST /malls/onboard/validate    step 1: check a mall file (problems at line:column)
//	POST /malls/onboard/preview     step 2: map a saved API response
//	POST /malls/onboard/apply       step 3: store the mall, 303 to step 4
//	POST /malls/onboard/connect     step 4: connect a stored mall to its platform
func (c *console) mallPages(mux *http.ServeMux) {
	s := c.mallSection()
	mux.HandleFunc("GET /malls", s.page(mallPageRoles, s.listPage))
	mux.HandleFunc("GET /malls/onboard", s.page(mallPageRoles, s.onboardPage))
	mux.HandleFunc("POST /malls/onboard/validate", s.form(MaxMallFile+formSlack, s.postValidate))
	mux.HandleFunc("POST /malls/onboard/apply", s.form(MaxMallFile+formSlack, s.postApply))
	mux.HandleFunc("POST /malls/onboard/preview", s.form(MaxPreviewBody+formSlack, s.postPreview))
	mux.HandleFunc("POST /malls/onboard/connect", s.form(formSlack, s.postConnect))
}

// form wraps a form handler of the section: the page check for sales and admin, reading forms
// up to limit bytes (a mall file or a saved API response is larger than an ordinary form).
func (s *mallSection) form(limit int64, h http.HandlerFunc) http.HandlerFunc {
	return s.pages.pageAuthForm(s.sessions, mallPageRoles, limit, h)
}

// mallsPage is the data of /malls.
type mallsPage struct {
	Malls []mallView
	Err   string
}

func (p mallsPage) pageError() string { return p.Err }

// mallView is one mall as the page shows it.
type mallView struct {
	mallSummary
	Health  mallsync.MallHealth
	State   syncState
	Streams []streamView
}

// mallSummary is a mall's rules in words people read.
type mallSummary struct {
	Mall      mallsync.Mall
	Account   string
	Ownership []string
	Policy    []string
	Sync      string
}

// streamView is one stream's health as the page shows it.
type streamView struct {
	mallsync.StreamHealth
	State syncState
	Lag   string
}

// ownershipLabels name the ownership kinds in Korean and English.
var ownershipLabels = map[mallsync.Ownership]string{
	mallsync.OwnConsignment: "위탁 consignment",
	mallsync.OwnDirect:      "직매입 direct purchase",
	mallsync.OwnLogistics:   "물류 logistics",
}

func ownershipLabel(o mallsync.Ownership) string {
	if l, ok := ownershipLabels[o]; ok {
		return l
	}
	return string(o)
}

func summarize(m mallsync.Mall) mallSummary {
	s := mallSummary{Mall: m}
	a := m.Account
	switch m.Platform {
	case mallsync.PlatformCafe24:
		s.Account = fmt.Sprintf("mall_id %s · shop %d", a.MallID, a.ShopNo)
	case mallsync.PlatformCoupang:
		s.Account = "vendor " + a.VendorID
	case mallsync.PlatformSmartStore:
		s.Account = "seller " + a.SellerID
	}
	if a.APIBase != "" {
		s.Account += " · API " + a.APIBase
	}
	for _, r := range m.Ownership.Rules {
		var when []string
		for _, f := range [][2]string{{"supplier_code", r.SupplierCode}, {"product_code", r.ProductCode}, {"brand", r.Brand},
			{"trading_type", r.TradingType}, {"shipping_type", r.ShippingType}} {
			if f[1] != "" {
				when = append(when, f[0]+" "+f[1])
			}
		}
		s.Ownership = append(s.Ownership, strings.Join(when, " + ")+" → "+ownershipLabel(r.Ownership))
	}
	s.Ownership = append(s.Ownership, "그 밖 otherwise → "+ownershipLabel(m.Ownership.Default))
	p := m.Policy
	yes := func(b bool) string {
		if b {
			return "허용 allowed"
		}
		return "불가 not allowed"
	}
	s.Policy = []string{
		"반품 철회 return withdrawal: " + yes(p.ReturnWithdrawal),
		"기출하 pre-shipped reorder: " + yes(p.PreshippedReorder),
		"불량 확인 defect check: " + map[mallsync.DefectVerification]string{mallsync.VerifyByPhoto: "사진 photo (agent)",
			mallsync.VerifyByInspection: "검수 inspection (logistics)"}[p.DefectVerification],
	}
	if p.DispatchDelay.NoticeAfter > 0 {
		s.Policy = append(s.Policy, fmt.Sprintf("출고지연 dispatch delay: notice after %s, credit %s",
			p.DispatchDelay.NoticeAfter, formatWon(int64(p.DispatchDelay.Credit))))
	}
	if c := p.Compensation; len(c.Kinds) > 0 {
		s.Policy = append(s.Policy, fmt.Sprintf("보상 compensation: %s · %d건, %s a month · supplier pays %d%%",
			strings.Join(c.Kinds, ", "), c.MonthlyBudgetCount, formatWon(int64(c.MonthlyBudget)), c.SupplierBurdenPercent))
	}
	s.Sync = fmt.Sprintf("every %s, from %s, lookback %s", m.Sync.Interval, formatKST(m.Sync.BackfillStart), m.Sync.Lookback)
	return s
}

func toMallView(h mallsync.MallHealth, now time.Time) mallView {
	v := mallView{mallSummary: summarize(h.Mall), Health: h, State: mallState(h, now)}
	for _, st := range h.Streams {
		sv := streamView{StreamHealth: st, State: streamState(st, h.Mall.Sync.Interval, now), Lag: "-"}
		if lag, ok := streamLag(st, now); ok {
			sv.Lag = formatAge(lag)
		}
		v.Streams = append(v.Streams, sv)
	}
	return v
}

func (s *mallSection) listPage(w http.ResponseWriter, r *http.Request) {
	malls, err := s.deps.Health.MallHealth(r.Context())
	if err != nil {
		s.pages.fail(w, r, err)
		return
	}
	now := s.now()
	p := mallsPage{}
	for _, m := range malls {
		p.Malls = append(p.Malls, toMallView(m, now))
	}
	s.pages.render(w, r, http.StatusOK, "malls", p)
}

// onboardData is the data of /malls/onboard: each step's input and result.
type onboardData struct {
	// Step 1 and 3: the mall file, what it holds when it passed, or its problems.
	File     string
	Mall     *mallSummary
	Exists   bool
	Problems []FileProblem
	// Step 2: the platforms and resources previews read, the choice, the result.
	Platforms []previewPlatform
	Platform  string
	Resource  string
	Preview   *previewView
	// Step 4: the stored malls, the one chosen, and how to finish connecting it.
	Malls      []mallsync.Mall
	ConnectKey string
	Connection *Connection
	Err        string
}

func (d onboardData) pageError() string { return d.Err }

// previewPlatform is a platform with the resources a preview reads.
type previewPlatform struct {
	Platform  string
	Resources []string
}

// previewView is a preview's result: counts, the records that do not map, and the records
// as JSON (cut at maxPreviewShown).
type previewView struct {
	Records, Orders, Claims, Shipments, Variants int
	Errors                                       []connectors.PreviewError
	JSON                                         string
	Cut                                          bool
}

// maxPreviewShown caps the JSON a preview page shows.
const maxPreviewShown = 200 << 10

// onboard fills what every rendering of the onboarding page needs.
func (s *mallSection) onboard(r *http.Request) onboardData {
	d := onboardData{Platform: r.PostFormValue("platform"), Resource: r.PostFormValue("resource")}
	for _, p := range s.platforms() {
		d.Platforms = append(d.Platforms, previewPlatform{Platform: p, Resources: s.deps.PreviewResources[mallsync.Platform(p)]})
	}
	malls, err := s.deps.Malls.Malls(r.Context())
	if err != nil {
		s.logger.ErrorContext(r.Context(), "listing malls for the connect step", "err", err)
	}
	d.Malls = malls
	d.ConnectKey = r.URL.Query().Get("mall")
	return d
}

func (s *mallSection) onboardPage(w http.ResponseWriter, r *http.Request) {
	s.pages.render(w, r, http.StatusOK, "malls_onboard", s.onboard(r))
}

// mallFile reads the mall file field of a form, or records why it cannot.
func (s *mallSection) mallFile(r *http.Request, d *onboardData) ([]byte, bool) {
	d.File = r.PostFormValue("mallfile")
	switch {
	case len(d.File) > MaxMallFile:
		d.Err = "the mall file is larger than " + sizeText(MaxMallFile)
	case strings.TrimSpace(d.File) == "":
		d.Err = "paste a mall file first"
	default:
		return []byte(d.File), true
	}
	return nil, false
}

// check validates the form's mall file into d; false when it did not pass.
func (s *mallSection) check(r *http.Request, d *onboardData) (mallsync.Mall, bool) {
	data, ok := s.mallFile(r, d)
	if !ok {
		return mallsync.Mall{}, false
	}
	m, problems := s.validate(data)
	if len(problems) > 0 {
		d.Problems = problems
		d.Err = fmt.Sprintf("the mall file has %d problem(s): fix them and check again", len(problems))
		return m, false
	}
	sum := summarize(m)
	d.Mall = &sum
	d.ConnectKey = string(m.Key)
	for _, stored := range d.Malls {
		if stored.Key == m.Key {
			d.Exists = true
		}
	}
	return m, true
}

func (s *mallSection) postValidate(w http.ResponseWriter, r *http.Request) {
	d := s.onboard(r)
	status := http.StatusOK
	if _, ok := s.check(r, &d); !ok {
		status = http.StatusUnprocessableEntity
	}
	s.pages.render(w, r, status, "malls_onboard", d)
}

func (s *mallSection) postApply(w http.ResponseWriter, r *http.Request) {
	d := s.onboard(r)
	m, ok := s.check(r, &d)
	if !ok {
		s.pages.render(w, r, http.StatusUnprocessableEntity, "malls_onboard", d)
		return
	}
	u, _ := UserFrom(r.Context())
	created, err := s.apply(r, u, m)
	if err != nil {
		s.pages.fail(w, r, err)
		return
	}
	done := fmt.Sprintf("몰 %s 적용됨: mall %s applied (replaced the stored one). Connect it below.", m.Key, m.Key)
	if created {
		done = fmt.Sprintf("몰 %s 적용됨: mall %s applied (new). Connect it below.", m.Key, m.Key)
	}
	http.Redirect(w, r, "/malls/onboard?done="+url.QueryEscape(done)+"&mall="+url.QueryEscape(string(m.Key))+"#connect", http.StatusSeeOther)
}

// previewBody reads the saved response of the preview form: an uploaded file, else the
// pasted text.
func previewBody(r *http.Request) ([]byte, error) {
	if f, _, err := r.FormFile("upload"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, MaxPreviewBody+1))
		if err != nil {
			return nil, mallsync.Errorf(mallsync.EINVALID, "reading the uploaded file failed")
		}
		if len(b) > 0 {
			return b, nil
		}
	}
	return []byte(r.PostFormValue("body")), nil
}

func (s *mallSection) postPreview(w http.ResponseWriter, r *http.Request) {
	d := s.onboard(r)
	status := http.StatusOK
	body, err := previewBody(r)
	if err == nil {
		err = s.previewable(mallsync.Platform(d.Platform), d.Resource)
	}
	if err == nil && len(body) > MaxPreviewBody {
		err = mallsync.Errorf(mallsync.EINVALID, "the saved response is larger than %s", sizeText(MaxPreviewBody))
	}
	if err == nil && strings.TrimSpace(string(body)) == "" {
		err = mallsync.Errorf(mallsync.EINVALID, "paste or upload a saved API response first")
	}
	var p connectors.Preview
	if err == nil {
		p, err = s.deps.PreviewFunc(mallsync.Platform(d.Platform), d.Resource, body)
	}
	switch code := mallsync.ErrorCode(err); {
	case err == nil:
		d.Preview = toPreviewView(p)
	case code == mallsync.EINVALID || code == mallsync.EUNAVAILABLE:
		status = http.StatusUnprocessableEntity
		if code == mallsync.EUNAVAILABLE {
			status = http.StatusServiceUnavailable
		}
		d.Err = mallsync.ErrorMessage(err)
	default:
		s.pages.fail(w, r, err)
		return
	}
	s.pages.render(w, r, status, "malls_onboard", d)
}

func toPreviewView(p connectors.Preview) *previewView {
	v := &previewView{Records: p.Records(), Orders: len(p.Orders), Claims: len(p.Claims), Shipments: len(p.Shipments),
		Variants: len(p.Variants), Errors: p.Errors}
	raw, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		v.JSON = "(the records could not be shown)"
		return v
	}
	if len(raw) > maxPreviewShown {
		raw, v.Cut = raw[:maxPreviewShown], true
	}
	v.JSON = string(raw)
	return v
}

func (s *mallSection) postConnect(w http.ResponseWriter, r *http.Request) {
	d := s.onboard(r)
	d.ConnectKey = r.PostFormValue("mall")
	u, _ := UserFrom(r.Context())
	cn, err := s.connect(r, u, mallsync.MallKey(d.ConnectKey))
	if err != nil {
		he, ok := errorTable[mallsync.ErrorCode(err)]
		if !ok || he.status == http.StatusInternalServerError {
			s.pages.fail(w, r, err)
			return
		}
		d.Err = mallsync.ErrorMessage(err)
		s.pages.render(w, r, he.status, "malls_onboard", d)
		return
	}
	d.Connection = &cn
	s.pages.render(w, r, http.StatusOK, "malls_onboard", d)
}
