package cafe24sim

import (
	"bytes"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"runtime"
	"testing"
	"time"
)

func TestDeterminism(t *testing.T) {
	t.Parallel()
	const path = "/api/v2/admin/orders?start_date=2024-03-01&end_date=2024-04-30&embed=items,receivers,buyer,cancellation&limit=500&offset=100"
	run := func(seed int64) (Truth, []byte) {
		o := testOptions()
		o.Seed = seed
		o.Faults = Faults{LateRate: 0.1, LateBy: 3 * time.Hour}
		b := setup(t, o)
		w := b.get(t, path, b.token)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		return b.srv.Truth(), w.Body.Bytes()
	}
	t1, j1 := run(7)
	t2, j2 := run(7)
	if !reflect.DeepEqual(t1, t2) {
		t.Error("same seed, different truth")
	}
	if !bytes.Equal(j1, j2) {
		t.Error("same seed, different JSON")
	}
	t3, j3 := run(8)
	if reflect.DeepEqual(t1.Lines, t3.Lines) || bytes.Equal(j1, j3) {
		t.Error("different seeds, same data")
	}
}

func TestGeneratedData(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Orders = 20000
	s := New(o)
	tr := s.Truth()
	if tr.Orders != o.Orders {
		t.Fatalf("orders at End = %d, want %d", tr.Orders, o.Orders)
	}
	if avg := float64(len(tr.Lines)) / float64(tr.Orders); avg < 1.9 || avg > 2.1 {
		t.Errorf("items per order = %.2f, want ~2", avg)
	}
	idRe := regexp.MustCompile(`^(2024\d{4})-(\d{7})$`)
	seen := map[string]bool{}
	// An exchange's replacement is free.
	replacement := map[string]bool{}
	v := s.view()
	for oi := range s.d.orders {
		o := &s.d.orders[oi]
		for k := uint32(0); k < uint32(o.n); k++ {
			if s.d.items[o.first+k].origin != 0 {
				replacement[fmt.Sprintf("%s-%02d", v.appendOrderID(nil, uint32(oi)), k+1)] = true
			}
		}
	}
	unpaid, canceled := map[string]bool{}, 0
	for _, l := range tr.Lines {
		if !idRe.MatchString(l.OrderID) || l.ItemCode[:16] != l.OrderID || !regexp.MustCompile(`^-\d\d$`).MatchString(l.ItemCode[16:]) {
			t.Fatalf("bad ids %q %q", l.OrderID, l.ItemCode)
		}
		if seen[l.ItemCode] {
			t.Fatalf("duplicate item code %s", l.ItemCode)
		}
		seen[l.ItemCode] = true
		if l.PaymentAmount < 0 || l.PaymentAmount%100 != 0 || (l.PaymentAmount == 0) != replacement[l.ItemCode] {
			t.Fatalf("payment amount %d of %s (%s)", l.PaymentAmount, l.ItemCode, l.Status)
		}
		switch l.Status {
		case "N00":
			unpaid[l.OrderID] = true
		case "C40", "C00":
			canceled++
		}
	}
	if r := float64(len(unpaid)) / float64(tr.Orders); r < 0.02 || r > 0.07 {
		t.Errorf("unpaid orders %.3f, want ~0.04", r)
	}
	if r := float64(canceled) / float64(len(tr.Lines)); r < 0.015 || r > 0.045 {
		t.Errorf("cancelled items %.3f, want ~0.03", r)
	}
	// Sequences start at 1 each KST day and the first order of a day is 0000001.
	if tr.Lines[0].OrderID != "20240101-0000001" {
		t.Errorf("first order %s", tr.Lines[0].OrderID)
	}
	// Old orders have settled, recent ones are in every state.
	old, recent := map[string]int{}, map[string]int{}
	for _, l := range tr.Lines {
		if l.OrderID < "20240401" {
			old[l.Status]++
		} else if l.OrderID >= "20240425" {
			recent[l.Status]++
		}
	}
	for st := range old {
		if st != "N50" && st != "C40" && st != "N00" && st != "R40" && st != "E40" && st != "R11" && st != "E11" {
			t.Errorf("orders older than a month still in %s (%d)", st, old[st])
		}
	}
	for _, st := range []string{"N00", "N10", "N20", "N30", "N40", "N50", "C40"} {
		if recent[st] == 0 {
			t.Errorf("no recent item in %s: %v", st, recent)
		}
	}
}

// TestScaleMemory bounds what 200,000 generated orders hold on the heap (speed is measured by
// BenchmarkGenerate, not here).
func TestScaleMemory(t *testing.T) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := New(Options{Seed: 1, Orders: 200_000, Start: testStart, End: testEnd})
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("200,000 orders, %d items, %.1f MB", len(s.d.items), float64(heap)/1e6)
	if heap > 150e6 {
		t.Errorf("heap %d bytes", heap)
	}
	runtime.KeepAlive(s)
}

// BenchmarkGenerate measures generating 200,000 orders.
func BenchmarkGenerate(b *testing.B) {
	for range b.N {
		runtime.KeepAlive(New(Options{Seed: 1, Orders: 200_000, Start: testStart, End: testEnd}))
	}
}

func TestWordListsNeedNoEscaping(t *testing.T) {
	t.Parallel()
	var all []string
	all = append(all, surnames...)
	all = append(all, surnameRoman...)
	all = append(all, givenNames...)
	all = append(all, emailDomains...)
	all = append(all, shippingMessages...)
	for _, s := range streets {
		all = append(all, s.name, s.zip)
	}
	for _, s := range suppliers {
		all = append(all, s.id, s.name, s.txType)
	}
	for _, p := range orderPlaces {
		all = append(all, p.id, p.name)
	}
	for _, p := range paymentMethods {
		all = append(all, p.code, p.name)
	}
	for _, r := range cancelReasons {
		all = append(all, r.typ, r.text)
	}
	for _, p := range New(Options{Seed: 3}).d.catalog {
		all = append(all, p.code, p.name)
		for _, v := range p.variants {
			all = append(all, v.code, v.option)
		}
	}
	for _, s := range all {
		if got, want := string(appendTrusted(nil, s)), string(appendStr(nil, s)); got != want {
			t.Errorf("%q needs escaping: %s", s, want)
		}
	}
}

func TestFingerprintNamesTheDataSet(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Orders = 500
	a, b := New(o).Fingerprint(), New(o).Fingerprint()
	o.Seed++
	c := New(o).Fingerprint()
	if a != b || a == c || a == "" {
		t.Fatalf("fingerprints %q %q (same options), %q (another seed)", a, b, c)
	}
}
