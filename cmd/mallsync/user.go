package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

// userStdin is where `user add` reads a password when MALLSYNC_USER_PASSWORD is not set;
// tests replace it.
var userStdin io.Reader = os.Stdin

const userUsage = "user: expected add NAME --role ROLE, token NAME [--label L], revoke NAME [--label L], disable NAME or enable NAME"

// runUser manages the console's users:
//
//	user add NAME --role ROLE    password from MALLSYNC_USER_PASSWORD or the first line of stdin
//	user token NAME [--label L]  prints a new API token, once
//	user revoke NAME [--label L] revokes NAME's tokens (with label L, or all)
//	user disable|enable NAME     a disabled user's sessions and tokens stop working at once
//
// Passwords and tokens are never taken from flags (they would show in ps and shell history)
// and never logged.
func runUser(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	sub := args[0]
	fs := newFlags("user "+sub, stderr)
	var role, label *string
	switch sub {
	case "add":
		role = fs.String("role", "", "the user's role: agent, logistics, sales or admin")
	case "token", "revoke":
		label = fs.String("label", "", "what the token is for (a script's name)")
	case "disable", "enable":
	default:
		return fmt.Errorf("user: unknown subcommand %q; %s", sub, strings.TrimPrefix(userUsage, "user: "))
	}
	name, err := parseWithName(fs, args[1:])
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, databaseURL(getenv))
	if err != nil {
		return err
	}
	defer db.Close()
	users := postgres.NewUserStore(db)
	switch sub {
	case "add":
		if !mallsync.Role(*role).Valid() {
			return fmt.Errorf("user add: --role %q: expected agent, logistics, sales or admin", *role)
		}
		password, err := newPassword(getenv)
		if err != nil {
			return err
		}
		a, err := users.CreateUser(ctx, name, mallsync.Role(*role), password)
		if err != nil {
			return fmt.Errorf("user add: %s", mallsync.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "user %s added (%s): log in with POST /login\n", a.Name, a.Role)
	case "token":
		token, err := users.NewAPIToken(ctx, name, *label)
		if err != nil {
			return fmt.Errorf("user token: %s", mallsync.ErrorMessage(err))
		}
		fmt.Fprintln(stderr, "the token of "+name+" follows; it is shown only this once (send it as Authorization: Bearer <token>)")
		fmt.Fprintln(stdout, token)
	case "revoke":
		n, err := users.RevokeAPITokens(ctx, name, *label)
		if err != nil {
			return fmt.Errorf("user revoke: %w", err)
		}
		fmt.Fprintf(stdout, "%d token(s) of %s revoked\n", n, name)
	case "disable", "enable":
		if err := users.SetDisabled(ctx, name, sub == "disable"); err != nil {
			return fmt.Errorf("user %s: %s", sub, mallsync.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "user %s %sd\n", name, sub)
	}
	return nil
}

// parseWithName parses "NAME [flags]" as well as "[flags] NAME".
func parseWithName(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("%s: expected a user name", fs.Name())
	}
	name := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() != 0 {
		return "", fmt.Errorf("%s: unexpected arguments after the user name", fs.Name())
	}
	return name, nil
}

// newPassword reads a new user's password: MALLSYNC_USER_PASSWORD, or the first line of stdin.
func newPassword(getenv env) (string, error) {
	if p := getenv("MALLSYNC_USER_PASSWORD"); p != "" {
		return p, nil
	}
	line, err := bufio.NewReader(io.LimitReader(userStdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user add: reading the password from stdin: %w", err)
	}
	p := strings.TrimRight(line, "\r\n")
	if p == "" {
		return "", errors.New("user add: no password: set MALLSYNC_USER_PASSWORD or write it on stdin")
	}
	return p, nil
}
