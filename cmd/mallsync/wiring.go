package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/connectors/coupang"
	"github.com/mallsync/mallsync/connectors/smartstore"
	"github.com/mallsync/mallsync/mappings"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/secret"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// stores are the postgres stores a process uses.
type stores struct {
	malls         *postgres.MallStore
	sync          *postgres.SyncStore
	creds         *postgres.CredentialStore
	states        *postgres.OAuthStateStore
	tasks         *postgres.TaskStore
	notifications *postgres.NotificationStore
	ledger        *postgres.LedgerStore
	outbox        *postgres.Outbox
	claims        *postgres.ClaimReader
	reorders      *postgres.ReorderStore
	users         *postgres.UserStore
	audit         *postgres.AuditLog
	orders        *postgres.OrderReader
	health        *postgres.MallHealthReader
}

// openStores opens Postgres (DATABASE_URL) with the stores over it, sealing credentials
// with MALLSYNC_SECRET_KEY. Call close when done.
func openStores(ctx context.Context, getenv env) (s stores, closeDB func(), err error) {
	box, _, err := secretBox(getenv, "")
	if err != nil {
		return stores{}, nil, err
	}
	db, err := postgres.Open(ctx, databaseURL(getenv))
	if err != nil {
		return stores{}, nil, err
	}
	return newStores(db, box), func() { _ = db.Close() }, nil
}

// dialTemporal connects to a Temporal frontend.
func dialTemporal(ctx context.Context, addr, namespace string, logger *slog.Logger) (client.Client, error) {
	c, err := client.DialContext(ctx, client.Options{HostPort: addr, Namespace: namespace, Logger: tlog.NewStructuredLogger(logger)})
	if err != nil {
		return nil, fmt.Errorf("connecting to temporal at %s: %w", addr, err)
	}
	return c, nil
}

func newStores(db *sqlx.DB, box *secret.Box) stores {
	malls := postgres.NewMallStore(db)
	return stores{malls: malls, sync: postgres.NewSyncStore(db, malls), creds: postgres.NewCredentialStore(db, box),
		states: postgres.NewOAuthStateStore(db, malls), tasks: postgres.NewTaskStore(db, malls),
		notifications: postgres.NewNotificationStore(db, malls), ledger: postgres.NewLedgerStore(db, malls),
		outbox: postgres.NewOutbox(db), claims: postgres.NewClaimReader(db, malls), reorders: postgres.NewReorderStore(db, malls),
		users: postgres.NewUserStore(db), audit: postgres.NewAuditLog(db), orders: postgres.NewOrderReader(db),
		health: postgres.NewMallHealthReader(db)}
}

// newRegistry knows every platform connector built so far.
// now is the platforms' clock (a simulator's in dev; nil = time.Now).
func newRegistry(s stores, logger *slog.Logger, maxCallsPerSecond float64, now func() time.Time) *connectors.Registry {
	reg := connectors.NewRegistry(connectors.Deps{
		Credentials:       s.creds,
		StatusMap:         mappings.StatusMap,
		MaxCallsPerSecond: maxCallsPerSecond,
		Logger:            logger,
		Now:               now,
		OpenClaims:        s.sync,
	})
	registerPlatforms(reg)
	return reg
}

// registerPlatforms registers every platform connector built so far.
func registerPlatforms(reg *connectors.Registry) {
	reg.Register(mallsync.PlatformCafe24, cafe24.New)
	reg.Register(mallsync.PlatformCoupang, coupang.New)
	reg.Register(mallsync.PlatformSmartStore, smartstore.New)
}

func newSyncActivities(s stores, reg *connectors.Registry, logger *slog.Logger, now func() time.Time) *syncwf.Activities {
	return &syncwf.Activities{Malls: s.malls, Store: s.sync, Connectors: reg, Now: now, Logger: logger, Catalog: s.sync}
}

// secretBox reads MALLSYNC_SECRET_KEY. When it is unset and keyFile is not empty (dev), the key
// is read from keyFile, which is created (mode 0600) on first use.
func secretBox(getenv env, keyFile string) (*secret.Box, string, error) {
	if v := getenv("MALLSYNC_SECRET_KEY"); v != "" {
		k, err := secret.ParseKey(v)
		if err != nil {
			return nil, "", fmt.Errorf("MALLSYNC_SECRET_KEY: %w", err)
		}
		b, err := secret.NewBox(k)
		return b, "MALLSYNC_SECRET_KEY", err
	}
	if keyFile == "" {
		return nil, "", errors.New("MALLSYNC_SECRET_KEY is not set: credentials cannot be sealed (make one with: openssl rand -base64 32)")
	}
	raw, err := os.ReadFile(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		k, kerr := secret.NewKey()
		if kerr != nil {
			return nil, "", kerr
		}
		if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
			return nil, "", fmt.Errorf("creating %s: %w", filepath.Dir(keyFile), err)
		}
		if err := os.WriteFile(keyFile, []byte(k+"\n"), 0o600); err != nil {
			return nil, "", fmt.Errorf("writing dev key: %w", err)
		}
		raw = []byte(k)
	} else if err != nil {
		return nil, "", fmt.Errorf("reading dev key: %w", err)
	}
	k, err := secret.ParseKey(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", keyFile, err)
	}
	b, err := secret.NewBox(k)
	return b, keyFile, err
}
