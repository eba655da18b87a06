package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
)

// simPlatforms are the simulators `mallsync sim` runs.
var simPlatforms = []string{"cafe24", "coupang", "smartstore"}

func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || !slices.Contains(simPlatforms, args[0]) {
		return fmt.Errorf("sim: expected a platform: %s", strings.Join(simPlatforms, ", "))
	}
	platform := args[0]
	fs := newFlags("sim "+platform, stderr)
	addr := fs.String("addr", map[string]string{"cafe24": "127.0.0.1:8024", "coupang": "127.0.0.1:8025", "smartstore": "127.0.0.1:8026"}[platform], "listen address")
	orders := fs.Int("orders", 1000, "orders to generate")
	seed := fs.Int64("seed", 1, "seed")
	days := fs.Int("days", 120, "days of order history before the clock")
	noLimits := fs.Bool("no-limits", false, "switch off the platform's rate limit")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	kst := time.FixedZone("KST", 9*3600)
	now := time.Now().In(kst)
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, kst)
	start := end.AddDate(0, 0, -*days)
	switch platform {
	case "coupang":
		sim := coupangsim.New(coupangsim.Options{Seed: *seed, Orders: *orders, Start: start, End: end, NoLimits: *noLimits})
		vendor, access, secret := sim.Vendor()
		return serveSim(ctx, *addr, sim.Handler(), stdout, func(base string) string {
			return fmt.Sprintf(`coupang simulator
  base URL:    %s
  vendor id:   %s
  access key:  %s
  secret key:  %s
  orders:      %d (%s .. %s), clock %s
  Every call must carry the CEA HMAC signature (Authorization: CEA algorithm=HmacSHA256, ...):
  point a Coupang client at the base URL with these keys.
`, base, vendor, access, secret, *orders, start.Format(time.DateOnly), end.Format(time.DateOnly),
				sim.Clock().Now().In(kst).Format(time.RFC3339))
		})
	case "smartstore":
		sim := smartstoresim.New(smartstoresim.Options{Seed: *seed, Orders: *orders, Start: start, End: end, NoLimits: *noLimits})
		id, secret := sim.App()
		return serveSim(ctx, *addr, sim.Handler(), stdout, func(base string) string {
			return fmt.Sprintf(`smartstore simulator
  base URL:      %s
  client id:     %s
  client secret: %s (a bcrypt salt: client_secret_sign = base64(bcrypt(client_id_timestamp, secret)))
  orders:        %d (%s .. %s), clock %s
  curl -X POST %s/v1/oauth2/token -d client_id=%s -d timestamp=... -d grant_type=client_credentials -d type=SELF -d client_secret_sign=...
  curl -H "Authorization: Bearer $TOKEN" '%s/v1/pay-order/seller/product-orders/last-changed-statuses?lastChangedFrom=%s'
  curl %s/debug/truth
`, base, id, secret, *orders, start.Format(time.DateOnly), end.Format(time.DateOnly),
				sim.Clock().Now().In(kst).Format(time.RFC3339), base, id, base,
				strings.ReplaceAll(end.AddDate(0, 0, -1).Format("2006-01-02T15:04:05.000-07:00"), "+", "%2B"), base)
		})
	}
	return cafe24sim.ListenAndServe(ctx, *addr, cafe24sim.Options{
		Seed: *seed, Orders: *orders, Start: start, End: end, NoLimits: *noLimits,
	}, stdout)
}

// serveSim serves a simulator's handler on addr until ctx ends, printing banner(base URL).
func serveSim(ctx context.Context, addr string, h http.Handler, stdout io.Writer, banner func(base string) string) error {
	base, stop, err := serveInBackground(ctx, addr, h)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	defer stop()
	fmt.Fprint(stdout, banner(base))
	<-ctx.Done()
	return nil
}
