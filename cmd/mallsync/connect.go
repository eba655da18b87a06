package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24"
)

// mallConnect starts the OAuth authorization of a stored Cafe24 mall: it stores the app's
// client (from the environment: secrets stay out of the process list) and prints the URL the
// mall's operator opens. Cafe24 then sends the browser to the callback `mallsync serve`
// answers, which stores the tokens.
func mallConnect(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("mall connect", stderr)
	redirect := fs.String("redirect", "http://127.0.0.1:8080"+callbackPath,
		"the callback's public URL, as registered with the Cafe24 app (mallsync serve answers it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("mall connect: expected one mall KEY (see mallsync mall list)")
	}
	app := mallsync.AppClient{ClientID: getenv("CAFE24_CLIENT_ID"), ClientSecret: getenv("CAFE24_CLIENT_SECRET"),
		WebhookKey: getenv("CAFE24_WEBHOOK_KEY")}
	if app.ClientID == "" || app.ClientSecret == "" {
		return errors.New("mall connect: set CAFE24_CLIENT_ID and CAFE24_CLIENT_SECRET to the Cafe24 app's (and CAFE24_WEBHOOK_KEY to receive its webhooks)")
	}
	s, closeDB, err := openStores(ctx, getenv)
	if err != nil {
		return err
	}
	defer closeDB()
	on := &cafe24.Onboarding{Malls: s.malls, Credentials: s.creds, States: s.states}
	u, err := on.Begin(ctx, mallsync.MallKey(fs.Arg(0)), app, *redirect)
	if err != nil {
		return fmt.Errorf("mall connect: %s", mallsync.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "Open this URL as the mall's operator within %v and approve the app:\n\n  %s\n\n", cafe24.StateLife, u)
	fmt.Fprintf(stdout, "Cafe24 then sends the browser to %s; `mallsync serve` must answer there.\n", *redirect)
	return nil
}
