package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	"golang.org/x/term"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// demoUser is a console login `mallsync dev` creates. The passwords are fixed so that the demo
// can print them: dev listens on 127.0.0.1 only unless told otherwise, and `serve` (which has
// no demo users) is what runs anywhere else.
type demoUser struct {
	name, password string
	role           mallsync.Role
}

// demoUsers are one login per role.
var demoUsers = []demoUser{
	{"agent", "agent-demo-2026", mallsync.RoleAgent},
	{"logistics", "logistics-demo-2026", mallsync.RoleLogistics},
	{"sales", "sales-demo-2026", mallsync.RoleSales},
	{"admin", "admin-demo-2026", mallsync.RoleAdmin},
}

// ensureDemoUsers creates the demo logins that do not exist yet (an existing user keeps its
// password and role).
func ensureDemoUsers(ctx context.Context, st stores) error {
	for _, u := range demoUsers {
		_, err := st.users.CreateUser(ctx, u.name, u.role, u.password)
		if err != nil && mallsync.ErrorCode(err) != mallsync.ECONFLICT {
			return fmt.Errorf("creating demo user %s: %w", u.name, err)
		}
	}
	return nil
}

// startDevConsole serves the console on addr over plain HTTP (cookies without Secure, so only
// for this machine) with the demo logins, and returns its URL.
func startDevConsole(ctx context.Context, addr string, st stores, tc client.Client, reg *connectors.Registry, getenv env, logger *slog.Logger) (string, func(), error) {
	if err := ensureDemoUsers(ctx, st); err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("console: listening on %s: %w (choose another with --addr, or --addr '' for none)", addr, err)
	}
	url := "http://" + ln.Addr().String()
	mux := newServeMux(st, syncwf.Signaler{Client: tc}, logger)
	mountConsole(mux, st, consoleParts{temporal: tc, reg: reg, insecureCookies: true, logger: logger,
		malls: mallDeps(st, getenv, url+callbackPath)})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Shutdown
	return url, func() { _ = srv.Shutdown(context.WithoutCancel(ctx)) }, nil
}

// printLogins writes the console's address and the demo logins.
func printLogins(w io.Writer, url string) {
	fmt.Fprintf(w, "\nconsole: %s/login\n", url)
	for _, u := range demoUsers {
		fmt.Fprintf(w, "  %-10s password %-20s (%s)\n", u.name, u.password, u.role)
	}
}

// interactive reports whether stdin is a terminal (not merely a character device: /dev/null
// is one too): `dev --once` keeps the console up for a person at one, and exits at once for
// scripts and tests.
func interactive() bool {
	return term.IsTerminal(int(os.Stdin.Fd()))
}
