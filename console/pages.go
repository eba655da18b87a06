package console

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// kst is the time zone every page shows times in; the database keeps UTC.
var kst = time.FixedZone("KST", 9*60*60)

// pages renders the console's HTML pages. Every page is templates/layout.html around one
// templates/<name>.html that defines "title" and "content".
type pages struct {
	sets   map[string]*template.Template
	logger *slog.Logger
	now    func() time.Time
}

// pageFuncs are the helpers templates may call.
var pageFuncs = template.FuncMap{
	"kst":       formatKST,
	"won":       func(m mallsync.Money) string { return formatWon(int64(m)) },
	"priority":  func(p mallsync.Priority) string { return p.Label() },
	"ago":       formatAge,
	"join":      strings.Join,
	"query":     url.QueryEscape,
	"path":      url.PathEscape,
	"has":       func(list []string, s string) bool { return slices.Contains(list, s) },
	"hasPrefix": strings.HasPrefix,
	"status":    lineStatusLabel,
}

// newPages parses every page with the layout. It panics on a template that does not parse:
// they are embedded, so that is a bug caught by any test that builds a console.
func newPages(logger *slog.Logger, now func() time.Time) *pages {
	p := &pages{sets: map[string]*template.Template{}, logger: logger, now: now}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		p.sets[name] = template.Must(template.New("layout.html").Funcs(pageFuncs).ParseFS(templateFiles, "templates/layout.html", file))
	}
	return p
}

// view is what every page's template gets: the signed-in user, the session's CSRF token for
// its forms, a message, and the page's own data.
type view struct {
	User  User
	CSRF  string
	Flash string
	Error string
	Path  string
	Data  any
}

// Nav reports which sections the user's role may open, for the layout's menu.
func (v view) Nav() []navItem {
	var out []navItem
	for _, n := range navItems {
		if slices.Contains(n.roles, v.User.Role) {
			out = append(out, n)
		}
	}
	return out
}

type navItem struct {
	Href, Label string
	roles       []Role
}

// navItems are the console's sections.
var navItems = []navItem{
	{"/orders", "주문 Orders", orderPageRoles},
	{"/tasks", "작업 Tasks", taskPageRoles},
	{"/malls", "몰 Malls", mallPageRoles},
}

// render writes page name with data and status. A template that fails is logged and answered
// 500 (the page is buffered, so nothing half-written reaches the browser).
func (p *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	set, ok := p.sets[name]
	if !ok {
		panic("console: no page " + name)
	}
	v := view{Data: data, Path: r.URL.Path, Flash: r.URL.Query().Get("done")}
	v.User, _ = UserFrom(r.Context())
	if s, ok := SessionFrom(r.Context()); ok {
		v.CSRF = s.CSRF
	}
	if e, ok := data.(interface{ pageError() string }); ok {
		v.Error = e.pageError()
	}
	var b strings.Builder
	if err := set.ExecuteTemplate(&b, "layout.html", v); err != nil {
		p.logger.ErrorContext(r.Context(), "page failed", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	pageHeaders(w)
	w.WriteHeader(status)
	_, _ = fmt.Fprint(w, b.String())
}

// pageHeaders are the headers of every HTML answer: no caching of personal data, no framing,
// and a content security policy that allows only the console's own files.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
}

// problem is the data of the error page.
type problem struct {
	Status  int
	Message string
}

// fail renders err as an error page with the status of the error table.
func (p *pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	he, ok := errorTable[mallsync.ErrorCode(err)]
	msg := mallsync.ErrorMessage(err)
	if !ok || he.status == http.StatusInternalServerError {
		p.logger.ErrorContext(r.Context(), "page request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		he, msg = httpError{status: http.StatusInternalServerError}, "internal error"
	}
	p.render(w, r, he.status, "problem", problem{Status: he.status, Message: msg})
}

// pageAuth lets a page request through only with a live session cookie whose user has one of
// roles. Without a session it redirects to /login (remembering where the person was going);
// with the wrong role it answers 403. A request that changes something must carry the
// session's CSRF token in its csrf form field (or the X-CSRF-Token header).
func (p *pages) pageAuth(sessions SessionAuthenticator, roles []Role, next http.HandlerFunc) http.HandlerFunc {
	return p.pageAuthForm(sessions, roles, maxBody, next)
}

// pageAuthForm is pageAuth for a page whose forms may be up to formLimit bytes (a mall file, a
// saved API response): the form is read with that cap, once the session and role are known,
// before its CSRF token is checked; a larger one is answered 413.
func (p *pages) pageAuthForm(sessions SessionAuthenticator, roles []Role, formLimit int64, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(SessionCookie)
		var s mallsync.Session
		if err == nil && sessions != nil {
			s, err = sessions.AuthenticateSession(r.Context(), c.Value)
		}
		if err != nil || sessions == nil {
			if err != nil && mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED && !errors.Is(err, http.ErrNoCookie) {
				p.fail(w, r, err)
				return
			}
			to := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		r = withSession(r, s)
		if !slices.Contains(roles, s.User.Role) {
			p.render(w, r, http.StatusForbidden, "problem", problem{Status: http.StatusForbidden,
				Message: fmt.Sprintf("role %s may not open this page", s.User.Role)})
			return
		}
		if !safeMethod(r.Method) && isForm(r) && !p.readForm(w, r, formLimit) {
			return
		}
		if !safeMethod(r.Method) && !s.CheckCSRF(csrfToken(r)) {
			p.render(w, r, http.StatusForbidden, "problem", problem{Status: http.StatusForbidden,
				Message: "this form has expired or did not come from mallsync: reload the page and try again"})
			return
		}
		next(w, r)
	}
}

// readForm parses r's form (multipart or urlencoded) up to limit bytes. On failure it has
// answered 413 or 400 and returns false.
func (p *pages) readForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/") {
		err = r.ParseMultipartForm(limit)
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		p.render(w, r, http.StatusRequestEntityTooLarge, "problem", problem{Status: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("the form is larger than %d KB", limit>>10)})
		return false
	case err != nil:
		p.render(w, r, http.StatusBadRequest, "problem", problem{Status: http.StatusBadRequest, Message: "the form could not be read"})
		return false
	}
	return true
}

// formatKST shows t in KST, to the minute; the zero time is "-".
func formatKST(t any) string {
	var tt time.Time
	switch v := t.(type) {
	case time.Time:
		tt = v
	case *time.Time:
		if v == nil {
			return "-"
		}
		tt = *v
	default:
		return fmt.Sprint(t)
	}
	if tt.IsZero() {
		return "-"
	}
	return tt.In(kst).Format("2006-01-02 15:04 KST")
}

// formatWon writes an amount of won with thousands separators: 12,300원.
func formatWon(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String() + "원"
	}
	return b.String() + "원"
}

// formatAge writes a duration as people read ageing: 3일 4시간, 5시간 10분, 12분.
func formatAge(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%d일 %d시간", days, hours)
	case hours > 0:
		return fmt.Sprintf("%d시간 %d분", hours, mins)
	default:
		return fmt.Sprintf("%d분", mins)
	}
}

// lineStatusLabels are the unified line statuses as agents say them.
var lineStatusLabels = map[mallsync.LineStatus]string{
	mallsync.LinePendingPayment: "입금전", mallsync.LinePaid: "결제완료", mallsync.LinePreparing: "상품준비중",
	mallsync.LineShipped: "배송중", mallsync.LineDelivered: "배송완료", mallsync.LineConfirmed: "구매확정",
	mallsync.LineCanceled: "취소", mallsync.LineReturned: "반품", mallsync.LineExchanged: "교환",
}

// lineStatusLabel is a unified status's Korean name with its code: "배송중 shipped".
func lineStatusLabel(s mallsync.LineStatus) string {
	if l, ok := lineStatusLabels[s]; ok {
		return l + " " + string(s)
	}
	return string(s)
}
