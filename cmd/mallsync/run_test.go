package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

func envOf(m map[string]string) env { return func(k string) string { return m[k] } }

func TestRunRefusesUnknownCommands(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"frobnicate"}, {"migrate", "sideways"}, {"mall"}, {"mall", "burn"}, {"sim", "amazon"}} {
		var out, errb bytes.Buffer
		if err := Run(context.Background(), args, envOf(nil), &out, &errb); err == nil {
			t.Errorf("Run(%q) succeeded", args)
		}
	}
}

func TestMallValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\nkey: Bad Key\nplatform: cafe42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := Run(context.Background(), []string{"mall", "validate", "../../mappings/malls/demo-cafe24.yaml", bad}, envOf(nil), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 mall files refused") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(errb.String(), bad+":3:11:") || !strings.Contains(errb.String(), "cafe42") {
		t.Fatalf("stderr does not point at the bad platform with file:line:col:\n%s", errb.String())
	}
	out.Reset()
	if err := Run(context.Background(), []string{"mall", "validate", "../../mappings/malls/demo-cafe24.yaml"}, envOf(nil), &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "demo-cafe24: ok") {
		t.Fatalf("stdout = %q", out.String())
	}
}

// TestDevOnce runs what `make demo` runs, small: Postgres schema, simulator, in-process
// Temporal, worker; the JSON summary must agree with the simulator's truth.
func TestDevOnce(t *testing.T) {
	db, url := pgtest.DBWithURL(t)
	var out, errb bytes.Buffer
	args := []string{"dev", "--once", "--json", "--orders", "800", "--seed", "4", "--no-limits",
		"--data", t.TempDir(), "--temporal-port", "0", "--addr", "127.0.0.1:0"}
	if err := Run(context.Background(), args, envOf(map[string]string{"DATABASE_URL": url}), &out, &errb); err != nil {
		t.Fatalf("dev: %v\n%s", err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var rep devReport
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil {
		t.Fatalf("last line is not the JSON summary: %v\n%s", err, out.String())
	}
	if rep.Mismatches != 0 || rep.Orders != 800 || rep.TruthOrders != 800 || rep.Lines != rep.TruthLines || rep.Lines == 0 || rep.APICalls == 0 {
		t.Fatalf("summary = %+v", rep)
	}
	for name, side := range map[string]*sideReport{"coupang": rep.Coupang, "smartstore": rep.SmartStore} {
		if side == nil || side.Lines == 0 || side.Lines != side.TruthLines || side.Claims == 0 || side.Claims != side.TruthClaims ||
			side.Shipments == 0 || side.Shipments != side.TruthShipments || side.Mismatches != 0 {
			t.Fatalf("%s summary = %+v", name, side)
		}
	}
	if !strings.Contains(out.String(), "the demo malls side by side") {
		t.Fatalf("no side-by-side table:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "mismatches 0") {
		t.Fatalf("human summary missing:\n%s", out.String())
	}
	// the console was served, with a demo login per role that works
	if !strings.Contains(out.String(), "console: http://127.0.0.1:") || !strings.Contains(out.String(), "agent-demo-2026") {
		t.Fatalf("no console address or demo logins:\n%s", out.String())
	}
	users := postgres.NewUserStore(db)
	for _, u := range demoUsers {
		s, err := users.Login(context.Background(), u.name, u.password)
		if err != nil || s.User.Role != u.role {
			t.Errorf("demo login %s: %v (role %s)", u.name, err, s.User.Role)
		}
	}
}

func TestMigrateAndMallApply(t *testing.T) {
	t.Parallel()
	_, url := pgtest.DBWithURL(t)
	e := envOf(map[string]string{"DATABASE_URL": url})
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := Run(context.Background(), args, e, &out, &errb); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	if out := run("migrate", "status"); !strings.Contains(out, "00001") || !strings.Contains(out, "applied") {
		t.Fatalf("migrate status:\n%s", out)
	}
	if out := run("mall", "apply", "../../mappings/malls/demo-cafe24.yaml"); out != "demo-cafe24: applied\n" {
		t.Fatalf("mall apply: %q", out)
	}
	if out := run("mall", "list"); !strings.Contains(out, "demo-cafe24") || !strings.Contains(out, "cafe24") {
		t.Fatalf("mall list:\n%s", out)
	}
	// A refused file stores nothing.
	var out, errb bytes.Buffer
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\nkey: other-mall\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), []string{"mall", "apply", bad}, e, &out, &errb); err == nil {
		t.Fatal("a bad mall file was applied")
	}
	if out := run("mall", "list"); strings.Contains(out, "other-mall") {
		t.Fatalf("refused mall stored:\n%s", out)
	}
}
