package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"go.temporal.io/sdk/client"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/reorders"
	"github.com/mallsync/mallsync/workflows/returns"
)

// consoleParts is what the console needs beyond the stores.
type consoleParts struct {
	// static are the tokens of MALLSYNC_API_TOKENS, tried after the database's; nil for none.
	static console.Authenticator
	// temporal reaches the return flows; nil leaves their state and actions out.
	temporal client.Client
	// reg writes reorders' invoices back to the platforms.
	reg *connectors.Registry
	// malls is the sales section (mallDeps); nil leaves it out.
	malls *console.MallDeps
	// insecureCookies drops the session cookie's Secure flag: dev over plain HTTP only.
	insecureCookies bool
	logger          *slog.Logger
}

// mountConsole serves the console on mux: its pages at /, /login and the sections, and its
// JSON API under /api/. Routes mux already has (webhooks, the OAuth callback, /healthz) keep
// theirs, being more specific.
func mountConsole(mux *http.ServeMux, s stores, p consoleParts) {
	deps := console.Deps{
		Auth:            &console.DBAuth{Users: s.users, Fallback: p.static},
		Users:           s.users,
		Tasks:           s.tasks,
		Orders:          s.orders,
		Notes:           s.orders,
		Reorders:        &reorders.Service{Store: s.reorders, Malls: s.malls, Connectors: p.reg, Logger: p.logger},
		Malls:           p.malls,
		AdminURL:        adminURL(s.malls),
		Audit:           s.audit,
		Logger:          p.logger,
		InsecureCookies: p.insecureCookies,
	}
	if p.temporal != nil {
		deps.Flows = returns.Flows{Client: p.temporal}
		deps.Returns = returns.Actions{Client: p.temporal}
	}
	mux.Handle("/", console.New(deps))
}

// adminHomes are the platforms' seller admins. mallsync links an order to its mall's admin
// home, where the order is one search away; it does not deep-link (the admins' order URLs are
// not part of any documented API).
var adminHomes = map[mallsync.Platform]string{
	mallsync.PlatformCafe24:     "https://%s.cafe24.com/admin/",
	mallsync.PlatformSmartStore: "https://sell.smartstore.naver.com/",
	mallsync.PlatformCoupang:    "https://wing.coupang.com/",
}

// adminURL returns the link from an order to its mall's admin: none for a mall whose API is a
// simulator (its base URL on this machine), which has no admin.
func adminURL(malls interface {
	Mall(context.Context, mallsync.MallKey) (mallsync.Mall, error)
}) func(context.Context, mallsync.Platform, mallsync.MallKey, string) string {
	return func(ctx context.Context, p mallsync.Platform, key mallsync.MallKey, _ string) string {
		home, ok := adminHomes[p]
		if !ok {
			return ""
		}
		m, err := malls.Mall(ctx, key)
		if err != nil {
			return ""
		}
		if u, err := url.Parse(m.Account.APIBase); err == nil && m.Account.APIBase != "" {
			if h := u.Hostname(); h == "127.0.0.1" || h == "localhost" || h == "::1" {
				return ""
			}
		}
		if strings.Contains(home, "%s") {
			if m.Account.MallID == "" {
				return ""
			}
			return strings.Replace(home, "%s", url.PathEscape(m.Account.MallID), 1)
		}
		return home
	}
}
