package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

func TestOrderDetail(t *testing.T) {
	t.Parallel()
	b := setupSearch(t)
	ctx := context.Background()
	id := "20261101-0000012"
	// Later: the first line is returned through a claim, and a stale copy of an older state
	// arrives after that (recorded, not applied).
	later := t0.Add(5 * time.Hour)
	returned := product("울 니트 스웨터", mallsync.LineReturned, "R40")
	returned.PlatformLineID = id + "-01"
	returned.ClaimCode, returned.ClaimKind, returned.ClaimStatus = "R20261102-0000001", mallsync.ClaimReturn, mallsync.ClaimCompleted
	o := searchOrder(id, later, "김철수", "010-1234-5678", "이영희", "010-9876-0012", returned)
	o.OrderedAt = t0.Add(time.Hour)
	c := claim("R20261102-0000001", "completed", "R40", later, id+"-01")
	c.PlatformOrderID = id
	applyTo(t, b.bundle, b.mall, mallsync.Page{Orders: []mallsync.Order{o}, Claims: []mallsync.Claim{c}})
	stale := searchOrder(id, t0.Add(2*time.Hour), "김철수", "010-1234-5678", "이영희", "010-9876-0012",
		product("울 니트 스웨터", mallsync.LinePreparing, "N20"))
	stale.OrderedAt = t0.Add(time.Hour)
	applyTo(t, b.bundle, b.mall, mallsync.Page{Orders: []mallsync.Order{stale}})

	d, err := b.reader.OrderDetail(ctx, b.mall, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Mall != "shop-a" || d.MallName != "가게 A" || d.Platform != mallsync.PlatformCafe24 || d.Reorder != nil {
		t.Errorf("mall = %s %s %s, reorder %v", d.Mall, d.MallName, d.Platform, d.Reorder)
	}
	if d.Order.PlatformOrderID != id || !d.Order.OrderedAt.Equal(t0.Add(time.Hour)) || d.Order.Buyer.Name != "김철수" ||
		d.Order.Buyer.Cellphone != "010-1234-5678" || d.Order.Receiver.Name != "이영희" ||
		d.Order.Receiver.Address != "서울특별시 강남구 테헤란로 1" || d.Order.PaymentAmount != 30000 || len(d.Order.Raw) == 0 {
		t.Errorf("order = %+v", d.Order)
	}
	var lines []string
	for _, l := range d.Order.Lines {
		lines = append(lines, l.PlatformLineID+" "+string(l.Status)+" "+l.ProductName+" "+l.TrackingNo)
	}
	if want := []string{id + "-01 returned 울 니트 스웨터 ", id + "-02 shipped 면 양말 3종 612345678901"}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines = %q, want %q", lines, want)
	}
	if len(d.Shipments) != 1 || d.Shipments[0].PlatformShipmentID != "D-1" || d.Shipments[0].TrackingNo != "612345678901" ||
		!reflect.DeepEqual(d.Shipments[0].LineIDs, []string{id + "-02"}) {
		t.Errorf("shipments = %+v", d.Shipments)
	}
	if len(d.Claims) != 1 || d.Claims[0].PlatformClaimID != "R20261102-0000001" || d.Claims[0].Status != mallsync.ClaimCompleted ||
		len(d.Claims[0].Lines) != 1 || d.Claims[0].Lines[0].PlatformLineID != id+"-01" || len(d.Claims[0].Raw) == 0 {
		t.Errorf("claims = %+v", d.Claims)
	}
	type ev struct {
		Line, From, To, Code string
		At                   time.Time
		Applied              bool
	}
	var got []ev
	for _, e := range d.Timeline {
		got = append(got, ev{e.PlatformLineID, string(e.From), string(e.To), e.PlatformCode, e.ChangedAt, e.Applied})
	}
	want := []ev{
		{id + "-01", "", "paid", "N10", t0.Add(time.Hour), true},
		{id + "-02", "", "shipped", "N30", t0.Add(time.Hour), true},
		{id + "-01", "returned", "preparing", "N20", t0.Add(2 * time.Hour), false},
		{id + "-01", "paid", "returned", "R40", later, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("timeline =\n%+v\nwant\n%+v", got, want)
	}
	for i := 1; i < len(d.Timeline); i++ {
		if d.Timeline[i].ChangedAt.Before(d.Timeline[i-1].ChangedAt) {
			t.Errorf("timeline not oldest first at %d", i)
		}
	}

	// The other mall's order, with its shipment and no claim.
	d, err = b.reader.OrderDetail(ctx, b.other, "3000012345")
	if err != nil || d.Platform != mallsync.PlatformCoupang || len(d.Order.Lines) != 1 || len(d.Shipments) != 1 ||
		d.Shipments[0].TrackingNo != "CP0001234567" || len(d.Claims) != 0 || len(d.Timeline) != 1 {
		t.Errorf("coupang detail = %+v, %v", d, err)
	}
}

func TestOrderDetailNotFound(t *testing.T) {
	t.Parallel()
	b := setupSearch(t)
	for _, tt := range []struct {
		mall  mallsync.MallKey
		order string
	}{
		{"shop-a", "20261101-9999999"},
		{"shop-a", "3000012345"}, // the other mall's order
		{"no-such-mall", "20261101-0000012"},
		{"", "20261101-0000012"},
	} {
		if _, err := b.reader.OrderDetail(context.Background(), tt.mall, tt.order); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
			t.Errorf("OrderDetail(%s, %s) = %v, want ENOTFOUND", tt.mall, tt.order, err)
		}
	}
}

func TestOrderNotes(t *testing.T) {
	t.Parallel()
	b := setupSearch(t)
	ctx := context.Background()
	id := "20261101-0000012"
	for _, n := range []mallsync.OrderNote{{Author: "lee", Body: "고객 통화: 내일 재배송 원함"}, {Author: "boss", Body: "확인"}} {
		if err := b.reader.AddOrderNote(ctx, b.mall, id, n); err != nil {
			t.Fatal(err)
		}
	}
	d, err := b.reader.OrderDetail(ctx, b.mall, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 2 || d.Notes[0].Author != "lee" || d.Notes[0].Body != "고객 통화: 내일 재배송 원함" || d.Notes[1].Author != "boss" ||
		d.Notes[0].At.IsZero() || d.Notes[1].At.Before(d.Notes[0].At) {
		t.Fatalf("notes = %+v", d.Notes)
	}
	for _, tt := range []struct {
		mall  mallsync.MallKey
		order string
		note  mallsync.OrderNote
		code  string
	}{
		{b.mall, "20261101-9999999", mallsync.OrderNote{Author: "lee", Body: "x"}, mallsync.ENOTFOUND},
		{"no-such-mall", id, mallsync.OrderNote{Author: "lee", Body: "x"}, mallsync.ENOTFOUND},
		{b.mall, id, mallsync.OrderNote{Author: "lee"}, mallsync.EINVALID},
	} {
		if err := b.reader.AddOrderNote(ctx, tt.mall, tt.order, tt.note); mallsync.ErrorCode(err) != tt.code {
			t.Errorf("AddOrderNote(%s, %s, %+v) = %v, want %s", tt.mall, tt.order, tt.note, err, tt.code)
		}
	}
	if d, _ := b.reader.OrderDetail(ctx, b.mall, id); len(d.Notes) != 2 {
		t.Errorf("a refused note was stored: %+v", d.Notes)
	}
}
