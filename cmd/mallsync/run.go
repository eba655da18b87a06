package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// env reads an environment variable; tests pass their own.
type env func(string) string

const usage = `mallsync keeps one current copy of every order from every mall.

Usage:
  mallsync dev [flags]              simulator + Temporal dev server + worker + Postgres, synced (make demo)
  mallsync worker [flags]           a worker for a Temporal cluster
  mallsync serve [flags]            HTTP endpoints: platform webhooks (POST /webhooks/cafe24), /healthz
  mallsync migrate up|down|status   database schema
  mallsync mall validate FILE...    check mall files (errors as file:line:col)
  mallsync mall apply FILE...       store malls (and start their sync with --temporal)
  mallsync mall list                list stored malls
  mallsync mall connect KEY         Cafe24: authorize (prints the URL; serve finishes it);
                                    SmartStore, Coupang: try and store the keys from the environment
  mallsync preview [--platform P] --resource R FILE
                                    map a saved platform response to unified records as JSON:
                                    cafe24 (orders, cancellation, return, exchange, shipments,
                                    inventory), coupang (ordersheets, returnRequests,
                                    returnWithdrawRequests, exchangeRequests), smartstore
                                    (last-changed-statuses, product-orders)
  mallsync sim cafe24|coupang|smartstore [flags]
                                    run one platform's simulator alone
  mallsync user add NAME --role R   a console user (agent, logistics, sales, admin); the password
                                    from MALLSYNC_USER_PASSWORD or the first line of stdin
  mallsync user token NAME [--label L]
                                    print a new API token for NAME, once
  mallsync user revoke NAME [--label L] | disable NAME | enable NAME

Environment:
  DATABASE_URL          Postgres (default postgres://postgres@127.0.0.1:5432/mallsync?sslmode=disable)
  MALLSYNC_SECRET_KEY   32-byte base64 key sealing credentials (dev makes one in its data directory)
  CAFE24_CLIENT_ID, CAFE24_CLIENT_SECRET, CAFE24_WEBHOOK_KEY
                        the Cafe24 app's credentials, read by mall connect
  SMARTSTORE_CLIENT_ID, SMARTSTORE_CLIENT_SECRET
                        a Commerce API application's id and secret, read by mall connect
  COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY
                        a Coupang vendor's WING keys, read by mall connect
  MALLSYNC_USER_PASSWORD
                        the new user's password, read by user add (else stdin)

Run 'mallsync COMMAND -h' for a command's flags.
`

// Run runs the mallsync command line with args (without the program name).
func Run(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		return runDev(ctx, rest, getenv, stdout, stderr)
	case "worker":
		return runWorker(ctx, rest, getenv, stdout, stderr)
	case "preview":
		return runPreview(rest, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "mall":
		return runMall(ctx, rest, getenv, stdout, stderr)
	case "sim":
		return runSim(ctx, rest, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("mallsync "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func databaseURL(getenv env) string {
	if u := getenv("DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/mallsync?sslmode=disable"
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
