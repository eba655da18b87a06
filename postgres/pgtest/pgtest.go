// Package pgtest gives tests their own PostgreSQL schema, migrated and dropped afterwards.
// Tests that use it fail (never skip) when the database is missing: mallsync's suite needs
// the local PostgreSQL, in CI as on a laptop.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync/postgres"
)

// DefaultURL is the server tests use when DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// URL returns the test server's URL: DATABASE_URL or DefaultURL.
func URL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// DB returns a connection whose search_path is a fresh schema with every migration applied.
// The schema is dropped when the test ends, unless PGTEST_KEEP is set (the test then logs
// the schema's name, for reading its tables and statistics afterwards).
func DB(t testing.TB) *sqlx.DB {
	t.Helper()
	db, _ := DBWithURL(t)
	return db
}

// DBWithURL is DB that also returns a URL that opens the same schema, for code under test
// that opens its own connections.
func DBWithURL(t testing.TB) (*sqlx.DB, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin, err := postgres.Open(ctx, URL())
	if err != nil {
		t.Fatalf("pgtest: PostgreSQL is required for this test (set DATABASE_URL or start it on 127.0.0.1:5432): %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+pq.QuoteIdentifier(schema)); err != nil {
		admin.Close()
		t.Fatalf("pgtest: creating schema: %v", err)
	}
	t.Cleanup(func() {
		if os.Getenv("PGTEST_KEEP") != "" {
			t.Logf("pgtest: keeping schema %s", schema)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+pq.QuoteIdentifier(schema)+` CASCADE`); err != nil {
			t.Logf("pgtest: dropping schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(URL())
	if err != nil {
		t.Fatalf("pgtest: DATABASE_URL does not parse")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatalf("pgtest: opening schema: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := postgres.MigrateUp(ctx, db.DB); err != nil {
		t.Fatalf("pgtest: migrating: %v", err)
	}
	return db, u.String()
}
