package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

// readBundle is two malls of different platforms with orders seeded through ApplyPage.
type readBundle struct {
	bundle
	other  mallsync.MallKey
	reader *postgres.OrderReader
}

// applyTo applies page to mall's orders stream through the sync's write path.
func applyTo(t *testing.T, b bundle, mall mallsync.MallKey, page mallsync.Page) {
	t.Helper()
	ctx := context.Background()
	cur, err := b.sync.Cursor(ctx, mall, mallsync.StreamOrders)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.sync.ApplyPage(ctx, mall, mallsync.StreamOrders, page, cur, fmt.Sprintf("c%d", cur.Seq+1)); err != nil {
		t.Fatal(err)
	}
}

// searchOrder is an order of the search fixtures: buyer, receiver and product names per line.
func searchOrder(id string, at time.Time, buyer, buyerPhone, receiver, receiverPhone string, lines ...mallsync.OrderLine) mallsync.Order {
	o := order(id, at, lines...)
	o.OrderedAt = at
	o.Buyer = mallsync.Person{Name: buyer, Cellphone: buyerPhone}
	o.Receiver = mallsync.Person{Name: receiver, Cellphone: receiverPhone, Address: "서울특별시 강남구 테헤란로 1"}
	return o
}

func product(name string, status mallsync.LineStatus, code string) mallsync.OrderLine {
	l := line(status, code)
	l.ProductName = name
	return l
}

// setupSearch seeds shop-a (Cafe24) and coupang-b (Coupang):
//
//	shop-a    20261101-0000012  +1h  김철수 010-1234-5678 → 이영희 010-9876-0012  울 니트 스웨터, 면 양말 3종 (tracking 612345678901)
//	shop-a    20261101-0000013  +2h  박민수 01055551234 → 박민수 01055551234      린넨 셔츠
//	shop-a    20261101-0000014  +0h  a_c 고객 → ""                               a_c 키트
//	shop-a    20261101-0000015  +0h  abc 고객 → ""                               abc 키트, 100% 면 티셔츠
//	coupang-b 3000012345        +3h  김철수 010-1234-5678 → 최지우 010-2222-3333  울 니트 가디건 (shipment tracking CP0001234567)
//	coupang-b 3000012346        +4h  김철민 010-4444-1234 → 김철민 010-4444-1234  캔버스 운동화
func setupSearch(t *testing.T) readBundle {
	t.Helper()
	b := setup(t)
	ctx := context.Background()
	other := mallsync.Mall{Key: "coupang-b", Name: "쿠팡 B", Platform: mallsync.PlatformCoupang,
		Account: mallsync.Account{MallID: "vendor-b"}, CredentialsRef: "coupang-b"}
	if err := b.malls.PutMall(ctx, other); err != nil {
		t.Fatal(err)
	}
	h := time.Hour
	shipped := product("면 양말 3종", mallsync.LineShipped, "N30")
	shipped.CarrierCode, shipped.TrackingNo = "0001", "612345678901"
	applyTo(t, b, b.mall, mallsync.Page{
		Orders: []mallsync.Order{
			searchOrder("20261101-0000012", t0.Add(h), "김철수", "010-1234-5678", "이영희", "010-9876-0012",
				product("울 니트 스웨터", mallsync.LinePaid, "N10"), shipped),
			searchOrder("20261101-0000013", t0.Add(2*h), "박민수", "01055551234", "박민수", "01055551234",
				product("린넨 셔츠", mallsync.LinePaid, "N10")),
			searchOrder("20261101-0000014", t0, "a_c 고객", "", "", "", product("a_c 키트", mallsync.LinePaid, "N10")),
			searchOrder("20261101-0000015", t0, "abc 고객", "", "", "", product("abc 키트", mallsync.LinePaid, "N10"),
				product("100% 면 티셔츠", mallsync.LinePaid, "N10")),
		},
		Shipments: []mallsync.Shipment{{PlatformShipmentID: "D-1", PlatformOrderID: "20261101-0000012",
			Kind: mallsync.ShipmentForward, CarrierCode: "0001", TrackingNo: "612345678901", ChangedAt: t0.Add(h),
			LineIDs: []string{"20261101-0000012-02"}}},
	})
	applyTo(t, b, other.Key, mallsync.Page{
		Orders: []mallsync.Order{
			searchOrder("3000012345", t0.Add(3*h), "김철수", "010-1234-5678", "최지우", "010-2222-3333",
				product("울 니트 가디건", mallsync.LinePreparing, "INSTRUCT")),
			searchOrder("3000012346", t0.Add(4*h), "김철민", "010-4444-1234", "김철민", "010-4444-1234",
				product("캔버스 운동화", mallsync.LinePaid, "ACCEPT")),
		},
		Shipments: []mallsync.Shipment{{PlatformShipmentID: "S-2", PlatformOrderID: "3000012345",
			Kind: mallsync.ShipmentForward, CarrierCode: "CJGLS", TrackingNo: "CP0001234567", ChangedAt: t0.Add(3 * h),
			LineIDs: []string{"3000012345-01"}}},
	})
	return readBundle{bundle: b, other: other.Key, reader: postgres.NewOrderReader(b.db)}
}

func TestSearchOrders(t *testing.T) {
	t.Parallel()
	b := setupSearch(t)
	ctx := context.Background()
	const (
		a12, a13, a14, a15 = "shop-a/20261101-0000012", "shop-a/20261101-0000013", "shop-a/20261101-0000014", "shop-a/20261101-0000015"
		b45, b46           = "coupang-b/3000012345", "coupang-b/3000012346"
	)
	tests := []struct {
		name    string
		q       mallsync.OrderQuery
		want    []string // mall/order, newest first
		matched string   // every hit's MatchedBy, when set
	}{
		{"cafe24 order number", mallsync.OrderQuery{Text: "20261101-0000012"}, []string{a12}, "order"},
		{"coupang order number", mallsync.OrderQuery{Text: " 3000012345 "}, []string{b45}, "order"},
		{"full phone with dashes", mallsync.OrderQuery{Text: "010-1234-5678"}, []string{b45, a12}, "phone"},
		{"full phone digits", mallsync.OrderQuery{Text: "01012345678"}, []string{b45, a12}, "phone"},
		{"full phone stored without dashes", mallsync.OrderQuery{Text: "010-5555-1234"}, []string{a13}, "phone"},
		{"receiver's phone", mallsync.OrderQuery{Text: "010 2222 3333"}, []string{b45}, "phone"},
		{"last four, buyer and receiver once", mallsync.OrderQuery{Text: "1234"}, []string{b46, a13}, "phone"},
		{"last four of a receiver", mallsync.OrderQuery{Text: "0012"}, []string{a12}, "phone"},
		{"buyer name", mallsync.OrderQuery{Text: "김철수"}, []string{b45, a12}, "name"},
		{"name prefix", mallsync.OrderQuery{Text: "김철"}, []string{b46, b45, a12}, "name"},
		{"receiver name prefix", mallsync.OrderQuery{Text: "이영"}, []string{a12}, "name"},
		{"line tracking number", mallsync.OrderQuery{Text: "612345678901"}, []string{a12}, "tracking"},
		{"tracking number with dashes", mallsync.OrderQuery{Text: "6123-4567-8901"}, []string{a12}, "tracking"},
		{"shipment tracking number", mallsync.OrderQuery{Text: "CP0001234567"}, []string{b45}, "tracking"},
		{"product part, two Korean characters", mallsync.OrderQuery{Text: "니트"}, []string{b45, a12}, "product"},
		{"product part, not the first line", mallsync.OrderQuery{Text: "양말"}, []string{a12}, "product"},
		{"product part, three characters", mallsync.OrderQuery{Text: "운동화"}, []string{b46}, "product"},
		{"product case-insensitive", mallsync.OrderQuery{Text: "ABC 키"}, []string{a15}, "product"},
		{"mall filter", mallsync.OrderQuery{Text: "010-1234-5678", Mall: "coupang-b"}, []string{b45}, "phone"},
		{"mall filter, product", mallsync.OrderQuery{Text: "니트", Mall: "shop-a"}, []string{a12}, "product"},
		{"limit", mallsync.OrderQuery{Text: "김철", Limit: 2}, []string{b46, b45}, "name"},
		{"limit above the cap", mallsync.OrderQuery{Text: "김철", Limit: 100000}, []string{b46, b45, a12}, "name"},
		{"underscore is literal", mallsync.OrderQuery{Text: "a_c"}, []string{a14}, ""},
		{"percent is literal", mallsync.OrderQuery{Text: "%%"}, nil, ""},
		{"percent is literal in a product", mallsync.OrderQuery{Text: "100% 면"}, []string{a15}, "product"},
		{"backslash is literal", mallsync.OrderQuery{Text: `\%`}, nil, ""},
		{"no hit", mallsync.OrderQuery{Text: "홍길동"}, nil, ""},
		{"unknown order number", mallsync.OrderQuery{Text: "20261101-9999999"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := b.reader.SearchOrders(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, string(h.Mall)+"/"+h.PlatformOrderID)
				if tt.matched != "" && h.MatchedBy != tt.matched {
					t.Errorf("%s matched by %q, want %q", h.PlatformOrderID, h.MatchedBy, tt.matched)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SearchOrders(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestSearchOrdersHitSummary(t *testing.T) {
	t.Parallel()
	b := setupSearch(t)
	hits, err := b.reader.SearchOrders(context.Background(), mallsync.OrderQuery{Text: "20261101-0000012"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("hits = %+v, %v", hits, err)
	}
	want := mallsync.OrderHit{Mall: "shop-a", MallName: "가게 A", Platform: mallsync.PlatformCafe24,
		PlatformOrderID: "20261101-0000012", OrderedAt: t0.Add(time.Hour), BuyerName: "김철수", BuyerPhone: "010-1234-5678",
		ReceiverName: "이영희", ReceiverPhone: "010-9876-0012", PaymentAmount: 30000, Lines: 2, Product: "울 니트 스웨터",
		Statuses:         []mallsync.LineStatus{mallsync.LinePaid, mallsync.LineShipped},
		PlatformStatuses: []string{"N10", "N30"}, MatchedBy: "order"}
	if !reflect.DeepEqual(hits[0], want) {
		t.Errorf("hit = %+v\nwant  %+v", hits[0], want)
	}
	hits, err = b.reader.SearchOrders(context.Background(), mallsync.OrderQuery{Text: "3000012345"})
	if err != nil || len(hits) != 1 || hits[0].Platform != mallsync.PlatformCoupang || hits[0].MallName != "쿠팡 B" ||
		!reflect.DeepEqual(hits[0].Statuses, []mallsync.LineStatus{mallsync.LinePreparing}) {
		t.Errorf("coupang hit = %+v, %v", hits, err)
	}
}

func TestSearchOrdersDefaultLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var orders []mallsync.Order
	for i := range mallsync.DefaultOrderHits + 5 {
		orders = append(orders, searchOrder(fmt.Sprintf("20261101-%07d", i), t0.Add(time.Duration(i)*time.Minute),
			"정하늘", "010-7777-8888", "정하늘", "010-7777-8888", product("울 니트", mallsync.LinePaid, "N10")))
	}
	applyTo(t, b, b.mall, mallsync.Page{Orders: orders})
	r := postgres.NewOrderReader(b.db)
	for _, text := range []string{"8888", "010-7777-8888", "정하늘", "니트"} {
		hits, err := r.SearchOrders(context.Background(), mallsync.OrderQuery{Text: text})
		if err != nil || len(hits) != mallsync.DefaultOrderHits {
			t.Fatalf("%s: %d hits, %v; want %d", text, len(hits), err, mallsync.DefaultOrderHits)
		}
		// newest first: the last order written is the newest
		if hits[0].PlatformOrderID != fmt.Sprintf("20261101-%07d", mallsync.DefaultOrderHits+4) ||
			!hits[0].OrderedAt.After(hits[1].OrderedAt) {
			t.Errorf("%s: first hits %s %s, want the newest first", text, hits[0].PlatformOrderID, hits[1].PlatformOrderID)
		}
	}
}

func TestSearchOrdersRefuses(t *testing.T) {
	t.Parallel()
	b := setupSearch(t)
	tests := []struct {
		q    mallsync.OrderQuery
		code string
	}{
		{mallsync.OrderQuery{Text: ""}, mallsync.EINVALID},
		{mallsync.OrderQuery{Text: "  "}, mallsync.EINVALID},
		{mallsync.OrderQuery{Text: "김"}, mallsync.EINVALID},
		{mallsync.OrderQuery{Text: "%"}, mallsync.EINVALID},
		{mallsync.OrderQuery{Text: "김철수", Mall: "no-such-mall"}, mallsync.ENOTFOUND},
	}
	for _, tt := range tests {
		hits, err := b.reader.SearchOrders(context.Background(), tt.q)
		if mallsync.ErrorCode(err) != tt.code {
			t.Errorf("SearchOrders(%+v) = %v, %v; want %s", tt.q, hits, err, tt.code)
		}
	}
}
