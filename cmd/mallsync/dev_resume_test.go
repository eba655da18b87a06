package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync/postgres/pgtest"
)

// TestDevOnceCatchesUpAfterAResumedPass: a dev killed mid-backfill leaves a stream's cursor
// inside a pass that began at the killed process's clock. Started again later, `dev --once`
// must still end caught up to its own clock, not to when the resumed pass began. The test
// makes that state by hand: after a first run it puts the SmartStore orders cursor back into
// the last window of a pass begun two days earlier and deletes the lines changed since, as if
// the first process had died there.
func TestDevOnceCatchesUpAfterAResumedPass(t *testing.T) {
	db, url := pgtest.DBWithURL(t)
	data := t.TempDir()
	// The restarted Temporal server must come back on the same ports, as `dev` does on its
	// default ones: with fresh ports it would wait out its own recorded membership first.
	args := []string{"dev", "--once", "--json", "--orders", "800", "--seed", "4", "--no-limits",
		"--data", data, "--temporal-port", strconv.Itoa(freeTemporalPort(t)), "--addr", ""}
	dev := func() devReport {
		t.Helper()
		var out, errb bytes.Buffer
		if err := Run(context.Background(), args, envOf(map[string]string{"DATABASE_URL": url}), &out, &errb); err != nil {
			t.Fatalf("dev: %v\n%s", err, errb.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		var rep devReport
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil || rep.SmartStore == nil {
			t.Fatalf("last line is not the JSON summary: %v\n%s", err, out.String())
		}
		return rep
	}
	if rep := dev(); rep.SmartStore.Mismatches != 0 || rep.SmartStore.Lines == 0 {
		t.Fatalf("first run: smartstore summary = %+v", rep.SmartStore)
	}

	ctx := context.Background()
	var mallID int64
	if err := db.GetContext(ctx, &mallID, `SELECT id FROM malls WHERE key = 'demo-smartstore'`); err != nil {
		t.Fatal(err)
	}
	pass := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Millisecond)
	res, err := db.ExecContext(ctx, `DELETE FROM order_lines WHERE mall_id = $1 AND changed_at > $2`, mallID, pass)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatalf("no smartstore line changed in the last two days: the test proves nothing")
	}
	wire := func(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z07:00") }
	cursor := fmt.Sprintf(`{"v":1,"phase":"changes","pass":%q,"from":%q,"to":%q,"last":%q}`,
		wire(pass), wire(pass.Add(-time.Millisecond)), wire(pass), wire(pass.Add(-24*time.Hour)))
	if _, err := db.ExecContext(ctx, `UPDATE sync_cursors SET cursor = $1, seq = seq + 1 WHERE mall_id = $2 AND stream = 'orders'`,
		cursor, mallID); err != nil {
		t.Fatal(err)
	}

	if rep := dev(); rep.SmartStore.Mismatches != 0 || rep.SmartStore.Lines != rep.SmartStore.TruthLines {
		t.Fatalf("after resuming a pass begun two days before: smartstore summary = %+v", rep.SmartStore)
	}
}

// freeTemporalPort finds a frontend port p for the dev Temporal server with p..p+3 and
// p-300..p-297 (its membership ports) free on the loopback address.
func freeTemporalPort(t *testing.T) int {
	t.Helper()
	for p := 21000 + int(time.Now().UnixNano()%4000); p < 29000; p += 7 {
		free := true
		for _, q := range []int{p, p + 1, p + 2, p + 3, p - 300, p - 299, p - 298, p - 297} {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(q))
			if err != nil {
				free = false
				break
			}
			l.Close()
		}
		if free {
			return p
		}
	}
	t.Fatal("no free ports for the dev Temporal server")
	return 0
}
