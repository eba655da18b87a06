package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/mappings"
)

// mallConnect connects a stored mall to its platform. For Cafe24 it starts the OAuth
// authorization: it stores the app's client (from the environment: secrets stay out of the
// process list) and prints the URL the mall's operator opens; Cafe24 then sends the browser to
// the callback `mallsync serve` answers, which stores the tokens. SmartStore and Coupang have
// keys instead (see connectKeys).
func mallConnect(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("mall connect", stderr)
	redirect := fs.String("redirect", "http://127.0.0.1:8080"+callbackPath,
		"Cafe24: the callback's public URL, as registered with the Cafe24 app (mallsync serve answers it)")
	noCheck := fs.Bool("no-check", false, "SmartStore, Coupang: store the keys without trying them on the platform")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("mall connect: expected one mall KEY (see mallsync mall list)")
	}
	s, closeDB, err := openStores(ctx, getenv)
	if err != nil {
		return err
	}
	defer closeDB()
	mall, err := s.malls.Mall(ctx, mallsync.MallKey(fs.Arg(0)))
	if err != nil {
		return fmt.Errorf("mall connect: %s", mallsync.ErrorMessage(err))
	}
	if mall.Platform != mallsync.PlatformCafe24 {
		return connectKeys(ctx, s, mall, getenv, !*noCheck, stdout)
	}
	app := mallsync.AppClient{ClientID: getenv("CAFE24_CLIENT_ID"), ClientSecret: getenv("CAFE24_CLIENT_SECRET"),
		WebhookKey: getenv("CAFE24_WEBHOOK_KEY")}
	if app.ClientID == "" || app.ClientSecret == "" {
		return errors.New("mall connect: set CAFE24_CLIENT_ID and CAFE24_CLIENT_SECRET to the Cafe24 app's (and CAFE24_WEBHOOK_KEY to receive its webhooks)")
	}
	on := &cafe24.Onboarding{Malls: s.malls, Credentials: s.creds, States: s.states}
	u, err := on.Begin(ctx, mallsync.MallKey(fs.Arg(0)), app, *redirect)
	if err != nil {
		return fmt.Errorf("mall connect: %s", mallsync.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "Open this URL as the mall's operator within %v and approve the app:\n\n  %s\n\n", cafe24.StateLife, u)
	fmt.Fprintf(stdout, "Cafe24 then sends the browser to %s; `mallsync serve` must answer there.\n", *redirect)
	return nil
}

// keyEnv names the environment variables holding a keyed platform's app id and secret.
var keyEnv = map[mallsync.Platform][2]string{
	mallsync.PlatformSmartStore: {"SMARTSTORE_CLIENT_ID", "SMARTSTORE_CLIENT_SECRET"},
	mallsync.PlatformCoupang:    {"COUPANG_ACCESS_KEY", "COUPANG_SECRET_KEY"},
}

// connectKeys stores the keys of a SmartStore application (client id and secret) or a Coupang
// vendor (access and secret key), read from the environment, sealed in the mall's credential;
// with check it first tries them on the platform by reading the first page of the mall's
// first stream (nothing is stored of that page), so that a wrong key is told at once.
func connectKeys(ctx context.Context, s stores, mall mallsync.Mall, getenv env, check bool, stdout io.Writer) error {
	names, ok := keyEnv[mall.Platform]
	if !ok {
		return fmt.Errorf("mall connect: platform %s has no connector", mall.Platform)
	}
	cred := mallsync.Credential{Ref: mall.CredentialsRef, Client: mallsync.AppClient{ClientID: getenv(names[0]), ClientSecret: getenv(names[1])}}
	if cred.Client.ClientID == "" || cred.Client.ClientSecret == "" {
		return fmt.Errorf("mall connect: set %s and %s to the %s keys of mall %s", names[0], names[1], mall.Platform, mall.Key)
	}
	if check {
		reg := connectors.NewRegistry(connectors.Deps{Credentials: &connectors.OneCredential{C: cred}, StatusMap: mappings.StatusMap,
			Logger: slog.New(slog.DiscardHandler)})
		registerPlatforms(reg)
		conn, err := reg.For(ctx, mall)
		if err != nil {
			return fmt.Errorf("mall connect: %s", mallsync.ErrorMessage(err))
		}
		streams := conn.Streams()
		if _, err := conn.Fetch(ctx, streams[0], "", time.Now()); err != nil {
			return fmt.Errorf("mall connect: %s refused or did not answer a first read with these keys (nothing stored): %s",
				mall.Platform, mallsync.ErrorMessage(err))
		}
	}
	if err := s.creds.PutCredential(ctx, cred); err != nil {
		return fmt.Errorf("mall connect: %w", err)
	}
	verb := "stored"
	if check {
		verb = "tried on the platform and stored"
	}
	fmt.Fprintf(stdout, "The %s keys of mall %s are %s, sealed, as credential %q. Its sync can start (mallsync mall apply --temporal).\n",
		mall.Platform, mall.Key, verb, mall.CredentialsRef)
	return nil
}
