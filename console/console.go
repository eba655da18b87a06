package console

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// Deps is what the whole console needs: its pages and its JSON API.
type Deps struct {
	// Auth authenticates bearer tokens and session cookies (required).
	Auth SessionAuthenticator
	// Users checks passwords and keeps sessions, for /login and /logout (required).
	Users mallsync.UserStore
	// Tasks reads, changes and counts tasks (required).
	Tasks TaskBoardStore
	// Orders searches and reads orders (required).
	Orders mallsync.OrderReader
	// Notes keeps the notes people leave on orders; nil leaves the note action out.
	Notes mallsync.OrderNotes
	// Flows reads return flows for the order page; nil shows none.
	Flows mallsync.ReturnFlows
	// Returns takes the actions a return flow waits for; nil answers them 503.
	Returns mallsync.ReturnActions
	// Reorders marks pre-shipped reorders; nil leaves the reorder routes out.
	Reorders mallsync.ReorderActions
	// AdminURL links an order to its mall's own admin; nil shows no link.
	AdminURL func(ctx context.Context, p mallsync.Platform, mall mallsync.MallKey, orderID string) string
	// Malls is the sales section (몰 Malls: mall health and onboarding); nil leaves it out.
	Malls *MallDeps
	// Audit gets a row per action a person takes; nil writes none.
	Audit mallsync.AuditLog
	// Logger gets internal errors and a line per action; nil means slog.Default.
	Logger *slog.Logger
	// NowFunc is the clock for ageing; nil means time.Now.
	NowFunc func() time.Time
	// InsecureCookies drops the session cookie's Secure flag (plain HTTP on localhost, dev only).
	InsecureCookies bool
	// LoginFailDelay is the least time a refused login takes; 0 means DefaultLoginFailDelay.
	LoginFailDelay time.Duration
}

// TaskBoardStore is the task store the console needs: the tasks and their counts.
type TaskBoardStore interface {
	mallsync.TaskStore
	mallsync.TaskCounter
}

// The roles that may open each section of the console.
var (
	orderPageRoles = []Role{RoleAgent, RoleLogistics, RoleAdmin}
	taskPageRoles  = []Role{RoleAgent, RoleLogistics, RoleAdmin}
	mallPageRoles  = []Role{RoleSales, RoleAdmin}
)

// console holds the parts New wires together.
type console struct {
	deps   Deps
	pages  *pages
	logger *slog.Logger
	now    func() time.Time
	audit  auditor
	tasks  *taskAPI
}

// New returns the console: its HTML pages for people (log in at /login) and the JSON API under
// /api/ for the same reads and actions. Every route checks the caller's role. It panics when
// deps lacks a required part.
func New(deps Deps) http.Handler {
	if deps.Auth == nil || deps.Users == nil || deps.Tasks == nil || deps.Orders == nil {
		panic("console.New: Auth, Users, Tasks and Orders are required")
	}
	c := &console{deps: deps, logger: deps.Logger, now: deps.NowFunc}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.audit = auditor{log: deps.Audit, logger: c.logger}
	c.pages = newPages(c.logger, c.now)
	c.tasks = newTaskAPI(TaskDeps{Tasks: deps.Tasks, Returns: deps.Returns, Auth: deps.Auth, Logger: c.logger, Audit: deps.Audit, NowFunc: c.now})

	api := http.NewServeMux()
	c.tasks.routes(api)
	c.orderRoutes(api)
	if deps.Reorders != nil {
		newReorderAPI(ReorderDeps{Reorders: deps.Reorders, Auth: deps.Auth, Logger: c.logger, Audit: deps.Audit}).routes(api)
	}
	if deps.Malls != nil {
		c.mallRoutes(api)
	}
	apiNotFound(api)

	mux := http.NewServeMux()
	mux.Handle("/api/", authenticate(deps.Auth, c.logger, api))
	login := NewLoginAPI(LoginDeps{Users: deps.Users, Audit: deps.Audit, Logger: c.logger, InsecureCookies: deps.InsecureCookies, FailDelay: deps.LoginFailDelay, NowFunc: deps.NowFunc})
	mux.Handle("POST /login", login)
	mux.Handle("POST /logout", login)
	mux.HandleFunc("GET /login", c.loginPage)
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", c.pages.pageAuth(deps.Auth, allRoles, c.home))
	c.orderPages(mux)
	c.taskPages(mux)
	if deps.Malls != nil {
		c.mallPages(mux)
	}
	return mux
}

// allRoles are every role.
var allRoles = []Role{RoleAgent, RoleLogistics, RoleSales, RoleAdmin}

// page wraps a page handler in the session check for roles.
func (c *console) page(roles []Role, h http.HandlerFunc) http.HandlerFunc {
	return c.pages.pageAuth(c.deps.Auth, roles, h)
}

// home sends each role to where its work is.
func (c *console) home(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	to := "/orders"
	switch u.Role {
	case RoleLogistics:
		to = "/tasks"
	case RoleSales:
		to = "/malls"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// loginData is the login page's data.
type loginData struct {
	Failed bool
	// Limited is the seconds to wait after too many failed logins (0 when not limited).
	Limited int
	Next    string
}

func (c *console) loginPage(w http.ResponseWriter, r *http.Request) {
	limited, _ := strconv.Atoi(r.URL.Query().Get("limited"))
	c.pages.render(w, r, http.StatusOK, "login", loginData{Failed: r.URL.Query().Has("failed"), Limited: max(limited, 0),
		Next: localPath(r.URL.Query().Get("next"))})
}

// localPath returns p when it is a path on this site, else "": a next= parameter must never
// send a person to another site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, "\\") {
		return ""
	}
	return p
}
