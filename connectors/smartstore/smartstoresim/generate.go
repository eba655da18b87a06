package smartstoresim

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
)

// order is one order (주문) and its product orders (상품주문).
type order struct {
	id      string
	ordered int64
	paid    int64 // 0 while (or when never) paid
	buyer   int
	means   string
	pos     []*productOrder
}

// productOrder is one product order: the line everything happens to.
type productOrder struct {
	id        string
	num       int64
	order     *order
	product   int
	option    int
	qty       int
	unitPrice int64
	discount  int64
	fee       int64
	carrier   int
	events    []event
	writes    int // writes received, to seed the plan that follows each
}

// amount is totalPaymentAmount: what the buyer paid for the product order (delivery fee apart).
func (po *productOrder) amount() int64 { return po.unitPrice*int64(po.qty) - po.discount }

// tracking is the product order's k-th tracking number (1 the parcel, 2 a pickup, 3 a re-delivery).
func (po *productOrder) tracking(k int) string {
	return fmt.Sprintf("%d%011d", 5+k, (po.num*7919*int64(k+2))%100000000000)
}

var (
	products = []struct {
		name    string
		options []string
		price   int64
	}{
		{"무선 블루투스 이어폰", []string{"색상: 화이트", "색상: 블랙"}, 39000},
		{"스테인리스 텀블러 500ml", []string{"색상: 실버", "색상: 네이비", "색상: 핑크"}, 15900},
		{"접이식 캠핑 의자", []string{"색상: 카키"}, 54000},
		{"유기농 현미 4kg", []string{"수확: 2025년산"}, 28900},
		{"니트 가디건", []string{"사이즈: S", "사이즈: M", "사이즈: L"}, 32000},
		{"고속 충전기 65W", []string{"구성: 단품", "구성: 케이블 포함"}, 27500},
	}
	names  = []string{"김민준", "이서연", "박지호", "최하은", "정도윤", "강지우", "조서준", "윤하윤", "장예린", "임시우"}
	cities = []struct{ base, zip string }{
		{"서울특별시 강남구 테헤란로 152", "06236"}, {"부산광역시 해운대구 센텀중앙로 79", "48058"},
		{"경기도 성남시 분당구 판교역로 235", "13494"}, {"대구광역시 수성구 동대구로 364", "42115"},
		{"광주광역시 서구 상무중앙로 61", "61945"}, {"제주특별자치도 제주시 첨단로 242", "63309"},
	}
	means = []string{"신용카드", "계좌이체", "무통장입금", "네이버페이 포인트", "휴대폰"}
)

// generate makes opts.Orders orders placed over [Start, End) with their whole planned course.
// Every draw comes from the seed: the same options give the same data set.
func generate(opts Options) []*order {
	start, end := opts.Start.UnixMilli(), opts.End.UnixMilli()
	span := max(end-start, 1)
	type drawn struct {
		o    *order
		seed uint64
	}
	ds := make([]drawn, opts.Orders)
	for i := range ds {
		r := rand.New(rand.NewPCG(uint64(opts.Seed), uint64(i)))
		o := &order{ordered: start + r.Int64N(span), buyer: r.IntN(len(names) * len(cities))}
		o.means = means[r.IntN(len(means))]
		for n := 1 + r.IntN(3); n > 0; n-- {
			p := r.IntN(len(products))
			po := &productOrder{order: o, product: p, option: r.IntN(len(products[p].options)), qty: 1 + r.IntN(2),
				unitPrice: products[p].price, carrier: r.IntN(len(carriers))}
			if r.IntN(8) == 0 {
				po.discount = 1000
			}
			o.pos = append(o.pos, po)
		}
		o.pos[0].fee = []int64{0, 3000, 3000, 2500}[r.IntN(4)] // one delivery fee per order, on its first line
		ds[i] = drawn{o, uint64(i)}
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].o.ordered < ds[j].o.ordered })
	out := make([]*order, len(ds))
	n := int64(0)
	for i, d := range ds {
		o := d.o
		date := time.UnixMilli(o.ordered).In(kst).Format("20060102")
		o.id = fmt.Sprintf("%s%08d", date, 10000000+i*7+3)
		for _, po := range o.pos {
			n++
			po.num = 50000000 + n*13
			po.id = fmt.Sprintf("%s%08d", date, po.num)
		}
		planOrder(o, rand.New(rand.NewPCG(uint64(opts.Seed), 1<<40|d.seed)))
		out[i] = o
	}
	return out
}

// planOrder plans the order's payment (or its lapse) and then each product order's course.
func planOrder(o *order, r *rand.Rand) {
	paid := o.ordered + 5*second + r.Int64N(3*minute)
	if o.means == "무통장입금" { // waits for the bank transfer; some never come
		for _, po := range o.pos {
			po.events = append(po.events, event{at: o.ordered, typ: chPayWaiting, st: state{Status: stPaymentWaiting}, lateU: r.Float64(), lateD: r.Int64N(1 << 30)})
		}
		if r.IntN(100) < 25 {
			lapse := o.ordered + 3*day
			for _, po := range o.pos {
				po.events = append(po.events, event{at: lapse, typ: chClaimCompleted, st: state{Status: stNoPayment}, lateU: r.Float64(), lateD: r.Int64N(1 << 30)})
			}
			return
		}
		paid = o.ordered + 10*minute + r.Int64N(30*hour)
	}
	o.paid = paid
	for _, po := range o.pos {
		st := state{Status: stPayed, DueDate: paid + 3*day}
		po.events = append(po.events, event{at: paid, typ: chPayed, st: st, lateU: r.Float64(), lateD: r.Int64N(1 << 30)})
		p := &planner{r: rand.New(rand.NewPCG(r.Uint64(), uint64(po.num))), po: po, at: paid, st: st}
		po.events = append(po.events, p.run()...)
	}
}
