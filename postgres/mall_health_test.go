package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

func TestMallHealth(t *testing.T) {
	t.Parallel()
	b := setup(t) // shop-a (cafe24, credential "shop-a")
	ctx := context.Background()
	other := mallsync.Mall{Key: "shop-b", Name: "가게 B", Platform: mallsync.PlatformCoupang,
		Account: mallsync.Account{VendorID: "A0001"}, CredentialsRef: "shop-b-keys"}
	quiet := mallsync.Mall{Key: "shop-c", Name: "가게 C", Platform: mallsync.PlatformSmartStore, CredentialsRef: "shop-c"}
	for _, m := range []mallsync.Mall{other, quiet} {
		if err := b.malls.PutMall(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// shop-a: two orders (three lines), a record that did not map, a good run then a failed one.
	apply(t, b, mallsync.Page{
		Orders: []mallsync.Order{order("O-1", t0, line(mallsync.LinePaid, "N10"), line(mallsync.LinePaid, "N10")),
			order("O-2", t0, line(mallsync.LinePaid, "N10"))},
		Rejects: []mallsync.Reject{{Resource: "order", PlatformID: "O-bad", Reason: "unknown status", Raw: json.RawMessage(`{}`)}},
	})
	caught := t0.Add(time.Minute)
	failed := t0.Add(10 * time.Minute)
	if err := b.sync.RecordSyncRun(ctx, b.mall, mallsync.StreamOrders, mallsync.SyncRun{Pages: 2, Lines: 3, APICalls: 4, CaughtUp: true, EndedAt: caught}); err != nil {
		t.Fatal(err)
	}
	if err := b.sync.RecordSyncRun(ctx, b.mall, mallsync.StreamOrders, mallsync.SyncRun{APICalls: 1, Err: "cafe24 answered 401", EndedAt: failed}); err != nil {
		t.Fatal(err)
	}
	if err := b.sync.RecordSyncRun(ctx, b.mall, mallsync.StreamClaims, mallsync.SyncRun{Pages: 1, EndedAt: caught}); err != nil {
		t.Fatal(err)
	}
	// Only shop-b's credential is stored.
	creds := postgres.NewCredentialStore(b.db, box(t))
	if err := creds.PutCredential(ctx, mallsync.Credential{Ref: "shop-b-keys", Client: mallsync.AppClient{ClientID: "ak", ClientSecret: "sk-secret"}}); err != nil {
		t.Fatal(err)
	}

	got, err := postgres.NewMallHealthReader(b.db).MallHealth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Mall.Key != "shop-a" || got[1].Mall.Key != "shop-b" || got[2].Mall.Key != "shop-c" {
		t.Fatalf("malls = %+v", got)
	}
	a := got[0]
	if a.Connected || a.Orders != 2 || a.Lines != 3 || a.Mall.Name != "가게 A" || a.Mall.Account.MallID != "shopa" {
		t.Fatalf("shop-a = %+v", a)
	}
	if len(a.Streams) != 2 || a.Streams[0].Stream != mallsync.StreamClaims || a.Streams[1].Stream != mallsync.StreamOrders {
		t.Fatalf("shop-a streams = %+v", a.Streams)
	}
	o := a.Streams[1]
	switch {
	case o.Runs != 2 || o.Pages != 2 || o.Lines != 3 || o.APICalls != 5:
		t.Errorf("orders counts = %+v", o)
	case o.LastRunAt == nil || !o.LastRunAt.Equal(failed):
		t.Errorf("last run = %v, want %v", o.LastRunAt, failed)
	case o.LastSuccessAt == nil || !o.LastSuccessAt.Equal(caught) || o.LastCaughtUpAt == nil || !o.LastCaughtUpAt.Equal(caught):
		t.Errorf("last success %v, caught up %v, want %v", o.LastSuccessAt, o.LastCaughtUpAt, caught)
	case o.LastError != "cafe24 answered 401" || o.LastErrorAt == nil || !o.LastErrorAt.Equal(failed):
		t.Errorf("last error %q at %v", o.LastError, o.LastErrorAt)
	case o.Quarantined != 1:
		t.Errorf("quarantined = %d, want 1", o.Quarantined)
	case o.CursorUpdatedAt.IsZero():
		t.Errorf("no cursor time")
	}
	if c := a.Streams[0]; c.Quarantined != 0 || c.LastCaughtUpAt != nil || c.LastSuccessAt == nil {
		t.Errorf("claims stream = %+v", c)
	}
	if bh := got[1]; !bh.Connected || bh.Orders != 0 || len(bh.Streams) != 0 || bh.Mall.Account.VendorID != "A0001" {
		t.Errorf("shop-b = %+v", bh)
	}
	if c := got[2]; c.Connected || len(c.Streams) != 0 {
		t.Errorf("shop-c = %+v", c)
	}
}

func TestMallHealthWithoutMalls(t *testing.T) {
	t.Parallel()
	db := setup(t).db
	if _, err := db.Exec(`DELETE FROM malls`); err != nil {
		t.Fatal(err)
	}
	got, err := postgres.NewMallHealthReader(db).MallHealth(context.Background())
	if err != nil || len(got) != 0 {
		t.Fatalf("got %+v, %v", got, err)
	}
}
