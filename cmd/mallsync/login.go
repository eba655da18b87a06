package main

import (
	"log/slog"
	"net/http"

	"github.com/mallsync/mallsync/console"
)

// mountLogin serves POST /login and POST /logout over the users in the database and returns
// the authenticator the API should use: those users' API tokens and session cookies, then the
// static tokens (MALLSYNC_API_TOKENS). insecureCookies drops the session cookie's Secure flag;
// only dev, over plain HTTP, should set it.
func mountLogin(mux *http.ServeMux, s stores, static console.Authenticator, insecureCookies bool, logger *slog.Logger) console.Authenticator {
	login := console.NewLoginAPI(console.LoginDeps{Users: s.users, Audit: s.audit, Logger: logger, InsecureCookies: insecureCookies})
	mux.Handle("POST /login", login)
	mux.Handle("POST /logout", login)
	return &console.DBAuth{Users: s.users, Fallback: static}
}
