package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/coupang/coupangsim"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
	"github.com/mallsync/mallsync/postgres/pgtest"
	"github.com/mallsync/mallsync/secret"
)

// Onboarding a keyed mall: mall apply, then mall connect with the keys in the environment.
// Wrong keys are refused by the platform's first read and nothing is stored; the right ones
// are stored sealed, and neither is ever printed.
func TestMallConnectStoresTriedKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	clock := simclock.New(now)
	ss := smartstoresim.New(smartstoresim.Options{Seed: 1, Orders: 30, Start: now.AddDate(0, 0, -5), End: now, Clock: clock, NoLimits: true})
	cs := coupangsim.New(coupangsim.Options{Seed: 1, Orders: 30, Start: now.AddDate(0, 0, -5), End: now, Clock: clock, NoLimits: true})
	ssSrv, csSrv := httptest.NewServer(ss.Handler()), httptest.NewServer(cs.Handler())
	t.Cleanup(ssSrv.Close)
	t.Cleanup(csSrv.Close)
	ssID, ssSecret := ss.App()
	vendor, access, csSecret := cs.Vendor()

	db, dbURL := pgtest.DBWithURL(t)
	k, _ := secret.NewKey()
	dir := t.TempDir()
	apply := func(name, base string, replace ...string) {
		t.Helper()
		b, err := os.ReadFile("../../mappings/malls/" + name)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Replace(string(b), `api_base: ""`, `api_base: "`+base+`"`, 1)
		for i := 0; i+1 < len(replace); i += 2 {
			body = strings.Replace(body, replace[i], replace[i+1], 1)
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := Run(ctx, []string{"mall", "apply", file}, envOf(map[string]string{"DATABASE_URL": dbURL, "MALLSYNC_SECRET_KEY": k}), &out, &out); err != nil {
			t.Fatalf("mall apply %s: %v\n%s", name, err, out.String())
		}
	}
	apply("demo-smartstore.yaml", ssSrv.URL)
	apply("demo-coupang.yaml", csSrv.URL, "vendor_id: A00012345", "vendor_id: "+vendor)

	box, _, err := secretBox(envOf(map[string]string{"MALLSYNC_SECRET_KEY": k}), "")
	if err != nil {
		t.Fatal(err)
	}
	creds := newStores(db, box).creds
	for _, tc := range []struct {
		mall             string
		idVar, secretVar string
		id, secret       string
	}{
		{"demo-smartstore", "SMARTSTORE_CLIENT_ID", "SMARTSTORE_CLIENT_SECRET", ssID, ssSecret},
		{"demo-coupang", "COUPANG_ACCESS_KEY", "COUPANG_SECRET_KEY", access, csSecret},
	} {
		connect := func(secretValue string) (string, error) {
			var out bytes.Buffer
			err := Run(ctx, []string{"mall", "connect", tc.mall}, envOf(map[string]string{"DATABASE_URL": dbURL, "MALLSYNC_SECRET_KEY": k,
				tc.idVar: tc.id, tc.secretVar: secretValue}), &out, &out)
			if err != nil {
				return out.String() + err.Error(), err
			}
			return out.String(), nil
		}
		wrong := "$2a$04$wrongwrongwrongwrongwr"
		if tc.mall == "demo-coupang" {
			wrong = strings.Repeat("0", len(tc.secret))
		}
		if out, err := connect(wrong); err == nil || !strings.Contains(out, "nothing stored") || strings.Contains(out, wrong) {
			t.Fatalf("%s: wrong keys: err %v, output %q", tc.mall, err, out)
		}
		if _, err := creds.Credential(ctx, tc.mall); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
			t.Fatalf("%s: wrong keys were stored (%v)", tc.mall, err)
		}
		out, err := connect(tc.secret)
		if err != nil || strings.Contains(out, tc.secret) {
			t.Fatalf("%s: right keys: err %v, output %q", tc.mall, err, out)
		}
		c, err := creds.Credential(ctx, tc.mall)
		if err != nil || c.Client.ClientID != tc.id || c.Client.ClientSecret != tc.secret {
			t.Fatalf("%s: stored credential %v, %v", tc.mall, c.Client.ClientID, err)
		}
	}
}
