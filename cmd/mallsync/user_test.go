package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

func TestUserAddAndToken(t *testing.T) {
	t.Parallel()
	db, url := pgtest.DBWithURL(t)
	ctx := context.Background()
	const password = "kim-password-123"
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // part of the error, or "" for success
	}{
		{"add", []string{"user", "add", "kim", "--role", "logistics"}, map[string]string{"MALLSYNC_USER_PASSWORD": password}, ""},
		{"flags first", []string{"user", "add", "--role=agent", "lee"}, map[string]string{"MALLSYNC_USER_PASSWORD": "lee-password-123"}, ""},
		{"taken", []string{"user", "add", "kim", "--role", "admin"}, map[string]string{"MALLSYNC_USER_PASSWORD": password}, "user kim already exists"},
		{"unknown role", []string{"user", "add", "park", "--role", "boss"}, map[string]string{"MALLSYNC_USER_PASSWORD": password}, `--role "boss"`},
		{"no role", []string{"user", "add", "park"}, map[string]string{"MALLSYNC_USER_PASSWORD": password}, `--role ""`},
		{"no name", []string{"user", "add", "--role", "agent"}, map[string]string{"MALLSYNC_USER_PASSWORD": password}, "expected a user name"},
		{"a password flag", []string{"user", "add", "park", "--role", "sales", "--password", password}, nil, "flag provided but not defined"},
		{"short password", []string{"user", "add", "park", "--role", "sales"}, map[string]string{"MALLSYNC_USER_PASSWORD": "tiny1"}, "shorter than 10"},
		{"token for nobody", []string{"user", "token", "nobody"}, nil, "no user nobody"},
		{"unknown subcommand", []string{"user", "delete", "kim"}, nil, `unknown subcommand "delete"`},
	}
	for _, tt := range tests {
		env := map[string]string{"DATABASE_URL": url}
		for k, v := range tt.env {
			env[k] = v
		}
		var out, errb bytes.Buffer
		err := Run(ctx, tt.args, envOf(env), &out, &errb)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Fatalf("%s: err %v, want %q\n%s", tt.name, err, tt.wantErr, errb.String())
		}
		for _, s := range []string{out.String(), errb.String(), errString(err)} {
			if p := tt.env["MALLSYNC_USER_PASSWORD"]; p != "" && strings.Contains(s, p) {
				t.Fatalf("%s: the password shows: %q", tt.name, s)
			}
		}
	}
	users := postgres.NewUserStore(db)
	if ns, err := users.Login(ctx, "kim", password); err != nil || ns.User.Role != mallsync.RoleLogistics {
		t.Fatalf("logging in as the added user: %+v, %v", ns.User, err)
	}

	var out, errb bytes.Buffer
	if err := Run(ctx, []string{"user", "token", "kim", "--label", "nightly"}, envOf(map[string]string{"DATABASE_URL": url}), &out, &errb); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	if u, err := users.TokenUser(ctx, token); err != nil || u.Name != "kim" || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("the printed token %q: %+v, %v", out.String(), u, err)
	}
	if !strings.Contains(errb.String(), "shown only this once") || strings.Contains(errb.String(), token) {
		t.Fatalf("stderr: %q", errb.String())
	}
	out.Reset()
	if err := Run(ctx, []string{"user", "revoke", "kim", "--label", "nightly"}, envOf(map[string]string{"DATABASE_URL": url}), &out, &errb); err != nil || !strings.HasPrefix(out.String(), "1 token(s)") {
		t.Fatalf("revoke: %q, %v", out.String(), err)
	}
	if _, err := users.TokenUser(ctx, token); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a revoked token: %v", err)
	}
	if err := Run(ctx, []string{"user", "disable", "kim"}, envOf(map[string]string{"DATABASE_URL": url}), &out, &errb); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Login(ctx, "kim", password); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a disabled user logged in: %v", err)
	}
}

// Not parallel: it swaps the password's stdin.
func TestUserAddReadsThePasswordFromStdin(t *testing.T) {
	db, url := pgtest.DBWithURL(t)
	old := userStdin
	t.Cleanup(func() { userStdin = old })
	tests := []struct {
		name, stdin, user string
		wantErr           string
	}{
		{"a line", "park-password-123\n", "park", ""},
		{"CRLF and no more", "choi-password-123\r\n", "choi", ""},
		{"no newline", "jung-password-123", "jung", ""},
		{"empty", "", "han", "no password"},
	}
	for _, tt := range tests {
		userStdin = strings.NewReader(tt.stdin)
		var out, errb bytes.Buffer
		err := Run(context.Background(), []string{"user", "add", tt.user, "--role", "sales"}, envOf(map[string]string{"DATABASE_URL": url}), &out, &errb)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.wantErr != "" {
			continue
		}
		if _, err := postgres.NewUserStore(db).Login(context.Background(), tt.user, strings.TrimRight(tt.stdin, "\r\n")); err != nil {
			t.Fatalf("%s: logging in: %v", tt.name, err)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
