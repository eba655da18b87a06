package main

import (
	"context"
	"fmt"
	"github.com/jmoiron/sqlx"
	"io"

	"github.com/mallsync/mallsync/postgres"
)

func runMigrate(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir := fs.Arg(0)
	if dir != "up" && dir != "down" && dir != "status" {
		return fmt.Errorf("migrate: expected up, down or status, got %q", dir)
	}
	dsn := databaseURL(getenv)
	if dir == "up" {
		db, err := openMigrated(ctx, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		return postgres.MigrateStatus(ctx, db.DB, stdout)
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if dir == "down" {
		if err := postgres.MigrateDown(ctx, db.DB); err != nil {
			return err
		}
	}
	return postgres.MigrateStatus(ctx, db.DB, stdout)
}

// openMigrated creates the database when missing, connects, and applies pending migrations.
func openMigrated(ctx context.Context, dsn string) (*sqlx.DB, error) {
	if err := postgres.EnsureDatabase(ctx, dsn); err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := postgres.MigrateUp(ctx, db.DB); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
