package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/mappings"
)

func TestMallDepsValidate(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../mappings/malls/demo-smartstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, problems := validateMallFile("demo-smartstore.yaml", data)
	if len(problems) != 0 || m.Key != "demo-smartstore" || m.Platform != mallsync.PlatformSmartStore {
		t.Fatalf("demo file: %+v %+v", m, problems)
	}
	bad := strings.Replace(string(data), "platform: smartstore", "platform: gmarket", 1)
	line := strings.Count(bad[:strings.Index(bad, "platform: gmarket")], "\n") + 1
	_, problems = validateMallFile("x.yaml", []byte(bad))
	if len(problems) == 0 || problems[0].Line != line || problems[0].Column != 11 || !strings.Contains(problems[0].Message, "expected one of cafe24") {
		t.Fatalf("problems %+v, want line %d column 11", problems, line)
	}
	if _, problems := validateMallFile("x.yaml", []byte("version: [")); len(problems) != 1 || problems[0].Line == 0 {
		t.Fatalf("syntax error: %+v", problems)
	}
}

func TestMallDepsPreviewAndConnect(t *testing.T) {
	t.Parallel()
	s := testStores(t)
	ctx := context.Background()
	for _, f := range []string{"demo-cafe24", "demo-smartstore"} {
		m, err := mappings.LoadMallFile("../../mappings/malls/"+f+".yaml", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.malls.PutMall(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	const redirect = "https://console.example.com/oauth/cafe24/callback"
	secretEnv := map[string]string{"CAFE24_CLIENT_ID": "app-id", "CAFE24_CLIENT_SECRET": "app-secret-value", "SMARTSTORE_CLIENT_SECRET": "ss-secret-value"}
	d := mallDeps(s, envOf(secretEnv), redirect)

	for p, resources := range d.PreviewResources {
		if len(resources) == 0 || len(resources) != len(previewers[p].resources) {
			t.Errorf("%s resources %v", p, resources)
		}
	}
	body, err := os.ReadFile("../../connectors/cafe24/testdata/reference/return_update.json")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := d.PreviewFunc(mallsync.PlatformCafe24, "return", body); err != nil || len(p.Claims) != 1 {
		t.Fatalf("preview: %+v %v", p, err)
	}
	if _, err := d.PreviewFunc("gmarket", "orders", body); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Fatalf("unknown platform: %v", err)
	}

	ss, _ := s.malls.Mall(ctx, "demo-smartstore")
	cn, err := d.ConnectFunc(ctx, ss)
	if err != nil || cn.AuthorizeURL != "" || !strings.Contains(cn.Command, "mallsync mall connect demo-smartstore") ||
		!strings.Contains(cn.Command, "read -rsp 'SMARTSTORE_CLIENT_SECRET: '") || strings.Contains(cn.Command+cn.Note, "ss-secret-value") {
		t.Fatalf("smartstore connect: %+v %v", cn, err)
	}
	c24, _ := s.malls.Mall(ctx, "demo-cafe24")
	cn, err = d.ConnectFunc(ctx, c24)
	if err != nil || !strings.HasPrefix(cn.AuthorizeURL, "https://demomall.cafe24api.com/api/v2/oauth/authorize?") ||
		!strings.Contains(cn.AuthorizeURL, "client_id=app-id") || strings.Contains(cn.AuthorizeURL+cn.Note, "app-secret-value") {
		t.Fatalf("cafe24 connect: %+v %v", cn, err)
	}
	if cred, err := s.creds.Credential(ctx, c24.CredentialsRef); err != nil || cred.Client.ClientSecret != "app-secret-value" {
		t.Fatalf("the app client is not stored: %v", err)
	}
	// Without the app's client, the console says what to run instead.
	cn, err = mallDeps(s, envOf(nil), redirect).ConnectFunc(ctx, c24)
	if err != nil || cn.AuthorizeURL != "" || !strings.Contains(cn.Command, "mallsync mall connect --redirect "+redirect+" demo-cafe24") {
		t.Fatalf("cafe24 connect without a client: %+v %v", cn, err)
	}

	health, err := d.Health.MallHealth(ctx)
	if err != nil || len(health) != 2 || !health[0].Connected || health[1].Connected {
		t.Fatalf("health: %+v %v", health, err)
	}
}
