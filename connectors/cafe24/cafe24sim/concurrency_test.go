package cafe24sim

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.NoLimits = false
	b := setup(t, o)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				w := b.get(t, "/api/v2/admin/orders?start_date=2024-04-01&end_date=2024-04-29&limit=50&embed=items,receivers,buyer", b.token)
				if w.Code != 200 && w.Code != 429 && w.Code != 500 && w.Code != 503 && w.Code != 504 {
					t.Errorf("status %d", w.Code)
					return
				}
			}
		}()
	}
	for i := 0; i < 30; i++ {
		b.srv.SetFaults(Faults{Rate5xx: float64(i%2) * 0.5, LateRate: 0.2, LateBy: time.Hour})
		b.srv.Clock().Advance(time.Minute)
		_ = b.srv.Truth()
	}
	wg.Wait()
	if b.srv.Calls() != 1+4*30 {
		t.Fatalf("Calls() = %d", b.srv.Calls())
	}
}

func TestScopeAndFilters(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	// A token without mall.read_order is refused with 403.
	w := newRecorder()
	b.h.ServeHTTP(w, mustReq(t, http.MethodGet, "/api/v2/oauth/authorize?response_type=code&client_id=sim-client-id&state=s&scope=mall.read_product&redirect_uri="+url.QueryEscape(testRedirect)))
	loc, _ := url.Parse(w.Header().Get("Location"))
	tr := b.exchange(t, loc.Query().Get("code"), true)
	if w := b.get(t, "/api/v2/admin/orders?start_date=2024-04-01&end_date=2024-04-02", tr.AccessToken); w.Code != 403 {
		t.Fatalf("without scope: %d %s", w.Code, w.Body.String())
	}
	// Each resource needs its own read scope.
	if w := b.get(t, "/api/v2/admin/products", tr.AccessToken); w.Code != 200 {
		t.Fatalf("products with mall.read_product: %d %s", w.Code, w.Body.String())
	}
	if w := b.get(t, "/api/v2/admin/suppliers", tr.AccessToken); w.Code != 403 {
		t.Fatalf("suppliers without mall.read_supply: %d %s", w.Code, w.Body.String())
	}
	if w := b.get(t, "/api/v2/admin/customers", b.token); w.Code != 404 || !strings.Contains(w.Body.String(), `"code":404`) {
		t.Fatalf("unknown resource: %d %s", w.Code, w.Body.String())
	}
	// order_status, supplier_id and order_place_id filter on the orders' current state.
	const q = "start_date=2024-04-20&end_date=2024-04-29&limit=1000&embed=items"
	all := b.collect(t, "/api/v2/admin/orders?"+q)
	for _, c := range []struct {
		param string
		match func(o wireOrder) bool
	}{
		{"order_status=N30,C40", func(o wireOrder) bool {
			for _, it := range o.Items {
				if it.OrderStatus == "N30" || it.OrderStatus == "C40" {
					return true
				}
			}
			return false
		}},
		{"supplier_id=S0000003", func(o wireOrder) bool {
			for _, it := range o.Items {
				if it.SupplierID == "S0000003" {
					return true
				}
			}
			return false
		}},
		{"order_place_id=mobile", func(o wireOrder) bool { return o.OrderPlaceID == "mobile" }},
	} {
		want := 0
		for _, o := range all {
			if c.match(o) {
				want++
			}
		}
		got := b.collect(t, "/api/v2/admin/orders?"+q+"&"+c.param)
		if len(got) != want || want == 0 || b.count(t, q+"&"+c.param) != want {
			t.Errorf("%s: %d orders, want %d", c.param, len(got), want)
		}
		for _, o := range got {
			if !c.match(o) {
				t.Errorf("%s: %s does not match", c.param, o.OrderID)
			}
		}
	}
}
