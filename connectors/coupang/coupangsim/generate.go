package coupangsim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// Statuses are the order-sheet statuses, in the order a sheet goes through them.
var Statuses = []string{"ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "NONE_TRACKING"}

const never = int64(1) << 62

// box is one shipment box (발주서): an order's items shipped together.
type box struct {
	orderID, boxID int64
	ordered, paid  int64    // unix seconds
	steps          [4]int64 // INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY times; never when not happening
	noTracking     bool     // after DEPARTURE: NONE_TRACKING instead of DELIVERING
	carrier        int
	buyer          int
	shipping       int64
	items          []item
	// carrierName and inv replace the generated invoice once the vendor uploaded one.
	carrierName, inv string
}

type item struct {
	vendorItemID int64
	name, option string
	productID    int64
	count        int
	price        int64
	discount     int64
}

var (
	carriers = []struct{ code, name string }{{"CJGLS", "CJ 대한통운"}, {"HANJIN", "한진택배"}, {"LOTTE", "롯데택배"}, {"EPOST", "우체국택배"}}
	products = []struct {
		name    string
		options []string
		price   int64
	}{
		{"무선 이어폰", []string{"화이트", "블랙"}, 39000}, {"텀블러 500ml", []string{"실버", "네이비", "핑크"}, 15900},
		{"캠핑 의자", []string{"카키"}, 54000}, {"유기농 쌀 10kg", []string{"2025년산"}, 42900},
		{"니트 가디건", []string{"S", "M", "L"}, 32000}, {"USB-C 충전기 65W", []string{"단품"}, 27500},
	}
	names  = []string{"김민준", "이서연", "박지호", "최하은", "정도윤", "강지우", "조서준", "윤하윤"}
	cities = []string{"서울특별시 강남구 테헤란로", "부산광역시 해운대구 센텀중앙로", "경기도 성남시 분당구 판교역로", "대구광역시 수성구 동대구로"}
)

// generate makes opts.Orders boxes with order times spread over [Start, End), sorted by order
// time; every draw comes from the seed.
func generate(opts Options) []box {
	r := rand.New(rand.NewPCG(uint64(opts.Seed), 0xc0a9))
	span := opts.End.Unix() - opts.Start.Unix()
	out := make([]box, opts.Orders)
	for i := range out {
		b := &out[i]
		b.ordered = opts.Start.Unix() + r.Int64N(max(span, 1))
		b.paid = b.ordered + 10 + r.Int64N(600)
		t := b.paid
		for k := range b.steps {
			t += 3600 + r.Int64N([]int64{24, 48, 12, 72}[k]*3600)
			b.steps[k] = t
		}
		if r.IntN(100) < 5 { // the vendor delivers itself: no tracking after departure
			b.noTracking = true
			b.steps[2], b.steps[3] = b.steps[1]+60, never
		}
		b.carrier, b.buyer, b.shipping = r.IntN(len(carriers)), r.IntN(len(names)*len(cities)), []int64{0, 2500, 3000}[r.IntN(3)]
		for n := 1 + r.IntN(3); n > 0; n-- {
			p := r.IntN(len(products))
			o := r.IntN(len(products[p].options))
			it := item{vendorItemID: 70000000000 + int64(p)*100 + int64(o), name: products[p].name, option: products[p].options[o],
				productID: 1000000 + int64(p), count: 1 + r.IntN(2), price: products[p].price}
			if r.IntN(10) == 0 {
				it.discount = 1000
			}
			if !slices.ContainsFunc(b.items, func(x item) bool { return x.vendorItemID == it.vendorItemID }) {
				b.items = append(b.items, it) // a box lists a vendor item once
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ordered < out[j].ordered })
	for i := range out {
		out[i].orderID = 10000000000 + int64(i)*7 + 3
		out[i].boxID = 600000000 + int64(i)*13 + 1
	}
	return out
}

// status returns the box's status at unix time now, and false before the order is paid
// (Coupang lists paid orders only).
func (b *box) status(now int64) (string, bool) {
	if now < b.paid {
		return "", false
	}
	st := "ACCEPT"
	for k, t := range b.steps {
		if now >= t {
			st = Statuses[k+1]
		}
	}
	if b.noTracking && st == "DELIVERING" {
		st = "NONE_TRACKING"
	}
	return st, true
}

// invoice is the box's tracking number, once it departed.
func (b *box) invoice() string { return fmt.Sprintf("%012d", b.boxID*7919%1000000000000) }

// forward returns the carrier and invoice a sheet at status shows: none before DEPARTURE,
// "업체 직접 배송" without an invoice for a vendor's own delivery.
func (b *box) forward(status string) (carrier, invoice string, ok bool) {
	switch {
	case status == "ACCEPT" || status == "INSTRUCT":
		return "", "", false
	case b.noTracking:
		return "업체 직접 배송", "", true
	case b.inv != "":
		return b.carrierName, b.inv, true
	}
	return carriers[b.carrier].name, b.invoice(), true
}

// carrierName returns the name of the carrier with code, or the code when it is not known.
func carrierName(code string) string {
	for _, c := range carriers {
		if c.code == code {
			return c.name
		}
	}
	return code
}

// kstZone is Korea Standard Time, the zone of Coupang's times.
var kstZone = time.FixedZone("KST", 9*3600)

// kst formats unix seconds as Coupang's local times: yyyy-MM-ddTHH:mm:ss (KST, no offset).
func kst(unix int64) string {
	return time.Unix(unix, 0).In(kstZone).Format("2006-01-02T15:04:05")
}
