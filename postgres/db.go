package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// DefaultURL is the database mallsync uses when DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/mallsync?sslmode=disable"

// Open connects to the database at dsn and checks that it answers.
func Open(ctx context.Context, dsn string) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to %s: %w", Redact(dsn), interpret(err))
	}
	return db, nil
}

var dbNameRe = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]{0,62}$`)

// EnsureDatabase creates the database named in dsn when it does not exist, connecting to the
// server's "postgres" database to do so.
func EnsureDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return mallsync.Errorf(mallsync.EINVALID, "database URL does not parse")
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || name == "postgres" {
		return nil
	}
	if !dbNameRe.MatchString(name) {
		return mallsync.Errorf(mallsync.EINVALID, "database name %q: expected letters, digits and _", name)
	}
	admin := *u
	admin.Path = "/postgres"
	db, err := Open(ctx, admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name); err != nil {
		return fmt.Errorf("looking up database %s: %w", name, interpret(err))
	}
	if exists {
		return nil
	}
	// An identifier cannot be a bound parameter; the name is checked above and quoted here.
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)); err != nil {
		var pe *pq.Error
		if errors.As(err, &pe) && pe.Code == "42P04" { // created meanwhile by another process
			return nil
		}
		return fmt.Errorf("creating database %s: %w", name, interpret(err))
	}
	return nil
}

// Redact returns dsn without its password, fit for logs and errors.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// interpret maps driver errors to mallsync errors. It is the one place that knows Postgres
// error codes.
func interpret(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return mallsync.Errorf(mallsync.ENOTFOUND, "not found")
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return fmt.Errorf("%w (%s)", mallsync.Errorf(mallsync.ECONFLICT, "already exists"), pe.Constraint)
		case pe.Code == "40001" || pe.Code == "40P01" || pe.Code == "55P03": // serialization failure, deadlock, lock timeout
			return fmt.Errorf("%w: %s", mallsync.Errorf(mallsync.ECONFLICT, "concurrent update, try again"), pe.Message)
		case pe.Code.Class() == "08" || pe.Code.Class() == "57" || pe.Code.Class() == "53":
			return fmt.Errorf("%w: %s", mallsync.Errorf(mallsync.EUNAVAILABLE, "database unavailable"), pe.Message)
		case pe.Code.Class() == "22" || pe.Code.Class() == "23":
			return fmt.Errorf("%w: %s", mallsync.Errorf(mallsync.EINVALID, "data refused by the database"), pe.Message)
		}
		return fmt.Errorf("postgres %s: %s", pe.Code, pe.Message)
	}
	return err
}
