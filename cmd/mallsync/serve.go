package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/console"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// callbackPath is where Cafe24 sends the operator back with the authorization code.
const callbackPath = "/oauth/cafe24/callback"

// runServe serves mallsync's HTTP endpoints: the platforms' webhooks, the OAuth callback
// that finishes `mall connect`, and a health check.
func runServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address host:port")
	temporalAddr := fs.String("temporal", "127.0.0.1:7233", "Temporal frontend host:port")
	namespace := fs.String("namespace", "default", "Temporal namespace")
	logLevel := fs.String("log", "info", "log level: debug, info, warn, error")
	publicURL := fs.String("public-url", "", "the address people and Cafe24 reach this server at (https://mallsync.example.com); default http://ADDR")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := newLogger(stderr, *logLevel)
	s, closeDB, err := openStores(ctx, getenv)
	if err != nil {
		return err
	}
	defer closeDB()
	c, err := dialTemporal(ctx, *temporalAddr, *namespace, logger)
	if err != nil {
		return err
	}
	defer c.Close()
	auth, err := console.ParseTokens(getenv("MALLSYNC_API_TOKENS"))
	if err != nil {
		return fmt.Errorf("MALLSYNC_API_TOKENS: %s", mallsync.ErrorMessage(err))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}
	mux := newServeMux(s, syncwf.Signaler{Client: c}, logger)
	base := strings.TrimSuffix(*publicURL, "/")
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	mountConsole(mux, s, consoleParts{static: auth, temporal: c, reg: newRegistry(s, logger, 0, nil), logger: logger,
		malls: mallDeps(s, getenv, base+callbackPath)})
	fmt.Fprintf(stdout, "serving on http://%s (console: /login; JSON API: /api/; webhooks: POST /webhooks/cafe24; OAuth callback: GET %s)\n", ln.Addr(), callbackPath)
	return serveHTTP(ctx, ln, mux)
}

// newServeMux routes mallsync's HTTP endpoints.
func newServeMux(s stores, signal cafe24.Signaler, logger *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/webhooks/cafe24", &cafe24.WebhookHandler{Malls: s.malls, Credentials: s.creds, Signal: signal, Logger: logger})
	mux.Handle(callbackPath, &cafe24.Onboarding{Malls: s.malls, Credentials: s.creds, States: s.states, Logger: logger})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	return mux
}

// serveHTTP serves h on ln until ctx is done, then shuts down gracefully.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}
