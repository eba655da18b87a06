package console_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

// The API over the real store: a second person's claim is refused with the store's reason,
// and a completion without a workflow closes the task in Postgres.
func TestTaskAPIOverPostgres(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	malls := postgres.NewMallStore(db)
	if err := malls.PutMall(ctx, mallsync.Mall{Key: "shop-a", Name: "가게 A", Platform: mallsync.PlatformCafe24,
		Account: mallsync.Account{MallID: "shopa", ShopNo: 1}, CredentialsRef: "shop-a"}); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewTaskStore(db, malls)
	task, err := store.CreateTask(ctx, mallsync.Task{Key: "return/shop-a/C-9/return_to_supplier", Mall: "shop-a",
		Kind: mallsync.TaskReturnToSupplier, ClaimID: "C-9", Priority: mallsync.PriorityHigh})
	if err != nil {
		t.Fatal(err)
	}
	auth, _ := console.ParseTokens("kim:logistics:" + logisticsToken + ",boss:admin:" + adminToken)
	b := apiBundle{h: console.NewTaskAPI(console.TaskDeps{Tasks: store, Returns: &fakeReturns{}, Auth: auth})}
	path := "/api/tasks/" + itoa(task.ID)

	if res := b.do(t, "POST", path+"/claim", logisticsToken, ""); res.status != 200 || res.task(t)["assignee"] != "kim" {
		t.Fatalf("claim: %d %s", res.status, res.raw)
	}
	res := b.do(t, "POST", path+"/claim", adminToken, "")
	if res.status != 409 || res.message() != "task "+itoa(task.ID)+" is claimed by kim: it cannot be claimed" {
		t.Fatalf("second claim: %d %s", res.status, res.raw)
	}
	if res := b.do(t, "POST", path+"/complete", logisticsToken, `{"carrier_code":"HANJIN","tracking_no":"420000000001"}`); res.status != 200 || res.task(t)["status"] != "done" {
		t.Fatalf("complete: %d %s", res.status, res.raw)
	}
	res = b.do(t, "GET", "/api/tasks?status=done&mall=shop-a", adminToken, "")
	if list, _ := res.body["tasks"].([]any); res.status != 200 || len(list) != 1 || list[0].(map[string]any)["priority_label"] != "높음" {
		t.Fatalf("list: %d %s", res.status, res.raw)
	}
	if res := b.do(t, "GET", "/api/tasks?mall=nowhere", adminToken, ""); res.status != 400 || res.errorCode(t) != "invalid" {
		t.Fatalf("unknown mall: %d %s", res.status, res.raw)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
