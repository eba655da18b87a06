// Package migrations holds mallsync's database schema as numbered, reversible SQL files
// (pressly/goose format), embedded into the binary. postgres.Migrate applies them; `mallsync
// migrate up|down|status` and `mallsync dev` call it.
package migrations

import "embed"

// FS holds the numbered migration files.
//
//go:embed *.sql
var FS embed.FS
