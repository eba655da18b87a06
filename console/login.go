package console

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// DefaultLoginFailDelay is the least time a refused login takes unless LoginDeps says
// otherwise: it slows password guessing and hides how far a check got.
const DefaultLoginFailDelay = 750 * time.Millisecond

// LoginDeps is what the login routes need.
type LoginDeps struct {
	// Users checks passwords and keeps sessions (required).
	Users mallsync.UserStore
	// Audit gets a row per login, refused login and logout; nil writes none.
	Audit mallsync.AuditLog
	// Logger gets internal errors and a line per login; nil means slog.Default.
	Logger *slog.Logger
	// InsecureCookies drops the cookie's Secure flag, for `mallsync dev` over plain HTTP on
	// localhost only.
	InsecureCookies bool
	// FailDelay is the least time a refused login takes; 0 means DefaultLoginFailDelay.
	FailDelay time.Duration
	// NowFunc is the clock of the failed-login limit; nil means time.Now.
	NowFunc func() time.Time
}

type loginAPI struct {
	users    mallsync.UserStore
	audit    auditor
	logger   *slog.Logger
	insecure bool
	delay    time.Duration
	limit    *loginLimiter
}

// NewLoginAPI returns the login routes, to mount at /login and /logout:
//
//	POST /login   name, password (a form, or JSON {"name","password"})
//	POST /logout  with the session cookie and its CSRF token
//
// A login sets the mallsync_session cookie (HttpOnly, Secure, SameSite=Lax, path /); a JSON
// login answers {"user","role","csrf"}, a form login redirects to /. Every refusal is the same
// 401 "wrong user name or password", after at least FailDelay: it never tells whether the
// user exists or is disabled. It panics when deps lacks Users.
func NewLoginAPI(deps LoginDeps) http.Handler {
	if deps.Users == nil {
		panic("console.NewLoginAPI: Users is required")
	}
	a := &loginAPI{users: deps.Users, logger: deps.Logger, insecure: deps.InsecureCookies, delay: deps.FailDelay}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	if a.delay <= 0 {
		a.delay = DefaultLoginFailDelay
	}
	now := deps.NowFunc
	if now == nil {
		now = time.Now
	}
	a.limit = newLoginLimiter(now)
	a.audit = auditor{log: deps.Audit, logger: a.logger}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", a.login)
	mux.HandleFunc("POST /logout", a.logout)
	return mux
}

// credentials reads name and password from a form or a JSON body.
func credentials(r *http.Request) (name, password string, err error) {
	if isForm(r) {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			return "", "", mallsync.Errorf(mallsync.EINVALID, "the form does not parse")
		}
		return strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("password"), nil
	}
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := decodeBody(r, &in, false); err != nil {
		return "", "", err
	}
	return strings.TrimSpace(in.Name), in.Password, nil
}

func (a *loginAPI) login(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name, password, err := credentials(r)
	if err == nil && (name == "" || password == "") {
		err = mallsync.Errorf(mallsync.EINVALID, "name and password are required")
	}
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	if wait, blocked := a.limit.blocked(r, name); blocked {
		a.audit.record(r, User{Name: clip(name)}, "login.limited", "", map[string]any{"auth": "password"})
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		if isForm(r) {
			http.Redirect(w, r, "/login?limited="+strconv.Itoa(secs), http.StatusSeeOther)
			return
		}
		writeErrorCode(w, http.StatusTooManyRequests, "rate_limited", "too many failed logins: try again in "+strconv.Itoa(secs)+" seconds")
		return
	}
	ns, err := a.users.Login(r.Context(), name, password)
	if mallsync.ErrorCode(err) == mallsync.EUNAUTHORIZED {
		a.limit.failed(r, name)
		a.audit.record(r, User{Name: clip(name)}, "login.refused", "", map[string]any{"auth": "password"})
		a.logger.InfoContext(r.Context(), "login refused")
		pause(r, time.Until(start.Add(a.delay)))
		if isForm(r) {
			to := "/login?failed=1"
			if next := localPath(r.PostForm.Get("next")); next != "" {
				to += "&next=" + url.QueryEscape(next)
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		writeErrorCode(w, http.StatusUnauthorized, "unauthorized", "wrong user name or password")
		return
	}
	if err != nil {
		writeError(w, r, a.logger, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: ns.Token, Path: "/", Expires: ns.ExpiresAt,
		HttpOnly: true, Secure: !a.insecure, SameSite: http.SameSiteLaxMode})
	a.audit.record(r, ns.User, "login", ns.User.Name, map[string]any{"auth": "password"})
	a.logger.InfoContext(r.Context(), "login", "user", ns.User.Name, "role", string(ns.User.Role))
	if isForm(r) {
		w.Header().Set("Cache-Control", "no-store")
		to := localPath(r.PostForm.Get("next"))
		if to == "" {
			to = "/"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"user": ns.User.Name, "role": string(ns.User.Role), "csrf": ns.CSRF})
}

// logout ends the session of the cookie. It needs the session's CSRF token, so that no other
// site can log a person out; without a live session it only clears the cookie.
func (a *loginAPI) logout(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		writeError(w, r, a.logger, mallsync.Errorf(mallsync.EUNAUTHORIZED, "no session to log out of"))
		return
	}
	s, err := a.users.Session(r.Context(), c.Value)
	switch {
	case mallsync.ErrorCode(err) == mallsync.EUNAUTHORIZED:
		// already over: clear the cookie below
	case err != nil:
		writeError(w, r, a.logger, err)
		return
	case !s.CheckCSRF(csrfToken(r)):
		writeError(w, r, a.logger, mallsync.Errorf(mallsync.EFORBIDDEN, "this request needs the session's CSRF token (the X-CSRF-Token header or a csrf form field)"))
		return
	default:
		if err := a.users.Logout(r.Context(), c.Value); err != nil {
			writeError(w, r, a.logger, err)
			return
		}
		a.audit.record(r, s.User, "logout", s.User.Name, map[string]any{"auth": "session"})
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: !a.insecure, SameSite: http.SameSiteLaxMode})
	if isForm(r) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// pause waits d, or until the request is canceled.
func pause(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}
