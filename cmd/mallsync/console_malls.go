package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/mappings"
)

// mallDeps builds the console's sales section (mall health and onboarding) over s.
//
// redirect is the public URL of the Cafe24 OAuth callback that `serve` answers (its
// callbackPath, as registered with the Cafe24 app). Connecting a Cafe24 mall from the console
// reads the app's client from getenv (CAFE24_CLIENT_ID, CAFE24_CLIENT_SECRET and
// CAFE24_WEBHOOK_KEY, as `mall connect` does) and returns the authorize URL; without them, or
// without redirect, it returns the `mall connect` command to run instead. SmartStore and
// Coupang keys are never taken in a browser form: their connect returns the command that reads
// them from a terminal into the environment, and connectKeys seals them.
func mallDeps(s stores, getenv env, redirect string) *console.MallDeps {
	resources := map[mallsync.Platform][]string{}
	for p, pv := range previewers {
		resources[p] = pv.resources
	}
	return &console.MallDeps{
		Health:           s.health,
		Malls:            s.malls,
		ValidateFunc:     validateMallFile,
		PreviewFunc:      previewResponse,
		PreviewResources: resources,
		ConnectFunc: func(ctx context.Context, m mallsync.Mall) (console.Connection, error) {
			return connectFromConsole(ctx, s, getenv, redirect, m)
		},
	}
}

// validateMallFile parses a mall file as `mall validate` does and lists its problems.
func validateMallFile(file string, data []byte) (mallsync.Mall, []console.FileProblem) {
	m, err := mappings.ParseMall(file, data, time.Now())
	if err == nil {
		return m, nil
	}
	var fe *mappings.FileError
	if !errors.As(err, &fe) {
		return mallsync.Mall{}, []console.FileProblem{{Message: mallsync.ErrorMessage(err)}}
	}
	out := make([]console.FileProblem, 0, len(fe.Problems))
	for _, p := range fe.Problems {
		out = append(out, console.FileProblem{Line: p.Line, Column: p.Col, Message: p.Message})
	}
	return mallsync.Mall{}, out
}

// connectFromConsole starts connecting m for a person in the console (see mallDeps).
func connectFromConsole(ctx context.Context, s stores, getenv env, redirect string, m mallsync.Mall) (console.Connection, error) {
	if names, ok := keyEnv[m.Platform]; ok {
		return console.Connection{
			Command: fmt.Sprintf("read -rsp '%[1]s: ' %[1]s && read -rsp '%[2]s: ' %[2]s && export %[1]s %[2]s\nmallsync mall connect %[3]s", names[0], names[1], m.Key),
			Note: fmt.Sprintf("Run this on a server with DATABASE_URL and MALLSYNC_SECRET_KEY set, typing the %s keys when it waits: "+
				"they stay out of the browser and the shell history, are tried on %s, then stored sealed as credential %q.",
				m.Platform, m.Platform, m.CredentialsRef),
		}, nil
	}
	if m.Platform != mallsync.PlatformCafe24 {
		return console.Connection{}, mallsync.Errorf(mallsync.EINVALID, "platform %s has no connector", m.Platform)
	}
	app := mallsync.AppClient{ClientID: getenv("CAFE24_CLIENT_ID"), ClientSecret: getenv("CAFE24_CLIENT_SECRET"), WebhookKey: getenv("CAFE24_WEBHOOK_KEY")}
	if app.ClientID == "" || app.ClientSecret == "" || redirect == "" {
		flag := ""
		if redirect != "" {
			flag = " --redirect " + redirect
		}
		return console.Connection{
			Command: fmt.Sprintf("read -rsp 'CAFE24_CLIENT_ID: ' CAFE24_CLIENT_ID && read -rsp 'CAFE24_CLIENT_SECRET: ' CAFE24_CLIENT_SECRET && export CAFE24_CLIENT_ID CAFE24_CLIENT_SECRET\nmallsync mall connect%s %s", flag, m.Key),
			Note:    "This console has no Cafe24 app client (CAFE24_CLIENT_ID, CAFE24_CLIENT_SECRET) or callback URL: run this on a server, then open the URL it prints as the mall's operator.",
		}, nil
	}
	on := &cafe24.Onboarding{Malls: s.malls, Credentials: s.creds, States: s.states}
	u, err := on.Begin(ctx, m.Key, app, redirect)
	if err != nil {
		return console.Connection{}, err
	}
	return console.Connection{AuthorizeURL: u,
		Note: fmt.Sprintf("The link works once, for %v. Cafe24 then sends the browser to %s, which stores the mall's tokens; the mall shows as connected.",
			cafe24.StateLife, strings.TrimSpace(redirect))}, nil
}
