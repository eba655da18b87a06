package main

import (
	"context"
	"fmt"
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
		if err := postgres.EnsureDatabase(ctx, dsn); err != nil {
			return err
		}
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	switch dir {
	case "up":
		if err := postgres.MigrateUp(ctx, db.DB); err != nil {
			return err
		}
	case "down":
		if err := postgres.MigrateDown(ctx, db.DB); err != nil {
			return err
		}
	}
	return postgres.MigrateStatus(ctx, db.DB, stdout)
}
