package cafe24sim

import (
	"encoding/json"
	"strconv"
	"testing"
)

type wireProduct struct {
	ProductNo    int    `json:"product_no"`
	SupplierCode string `json:"supplier_code"`
	ShippingType string `json:"product_shipping_type"`
	Variants     []struct {
		VariantCode string `json:"variant_code"`
		Inventories struct {
			Quantity int `json:"quantity"`
		} `json:"inventories"`
	} `json:"variants"`
}

// stockServed reads every product with since_product_no paging and returns the variants'
// quantities.
func (b *bundle) stockServed(t *testing.T) (map[string]int, []wireProduct) {
	t.Helper()
	out := map[string]int{}
	var all []wireProduct
	since := 0
	for {
		w := b.get(t, "/api/v2/admin/products?embed=variants,inventories&limit=100&since_product_no="+strconv.Itoa(since), b.token)
		if w.Code != 200 {
			t.Fatalf("products: %d %s", w.Code, w.Body.String())
		}
		var pg struct{ Products []wireProduct }
		if err := json.Unmarshal(w.Body.Bytes(), &pg); err != nil {
			t.Fatal(err)
		}
		for _, p := range pg.Products {
			for _, v := range p.Variants {
				out[v.VariantCode] = v.Inventories.Quantity
			}
			since = p.ProductNo
		}
		all = append(all, pg.Products...)
		if len(pg.Products) < 100 {
			return out, all
		}
	}
}

func TestStockServedAsTruthSaysAndMoves(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	var before map[string]int
	for i, day := range []int{0, 30, 60, 121} {
		b.srv.Clock().Set(testStart.AddDate(0, 0, day))
		b.token = b.exchange(t, b.srv.AuthorizeCode(testRedirect, "st"), true).AccessToken
		served, products := b.stockServed(t)
		if len(products) != catalogSize {
			t.Fatalf("%d products served, want %d", len(products), catalogSize)
		}
		truth := b.srv.Truth().Stock
		if len(truth) != len(served) {
			t.Fatalf("day %d: %d variants served, truth has %d", day, len(served), len(truth))
		}
		for _, s := range truth {
			if served[s.VariantCode] != s.Quantity {
				t.Fatalf("day %d: variant %s served %d, truth %d", day, s.VariantCode, served[s.VariantCode], s.Quantity)
			}
		}
		if i > 0 {
			moved := 0
			for code, q := range served {
				if before[code] != q {
					moved++
				}
			}
			if moved < len(served)/10 {
				t.Fatalf("day %d: only %d of %d variants' stock moved in 30 days", day, moved, len(served))
			}
		}
		before = served
	}
	// One variant's figure through a sale and a restock: the ledger agrees with its changes.
	w := b.get(t, "/api/v2/admin/products/1/variants/P0000001000A/inventories", b.token)
	if w.Code != 200 {
		t.Fatalf("inventory: %d %s", w.Code, w.Body.String())
	}
	if w := b.get(t, "/api/v2/admin/products/1/variants/P0000001ZZZZ/inventories", b.token); w.Code != 404 {
		t.Fatalf("unknown variant: %d", w.Code)
	}
}

func TestStockLedgerRestocksBelowSafety(t *testing.T) {
	t.Parallel()
	d := generate(testOptions().withDefaults())
	l := &d.stock
	restocks := 0
	for s := 0; s+1 < len(l.first); s++ {
		pts := l.points[l.first[s]:l.first[s+1]]
		prev := l.initial[s]
		for i, p := range pts {
			if i > 0 && p.t < pts[i-1].t {
				t.Fatalf("slot %d: points out of order", s)
			}
			if p.qty-prev == 3*l.safety[s]+10 && prev < l.safety[s] {
				restocks++
				if r := d.nextRestock(p.t - 1); r != p.t {
					t.Fatalf("slot %d: restock at %d is not at 10:00 KST", s, p.t)
				}
			}
			prev = p.qty
		}
		if len(pts) > 0 && pts[len(pts)-1].qty < l.safety[s] {
			t.Fatalf("slot %d ends below its safety stock", s)
		}
	}
	if restocks == 0 {
		t.Fatal("no variant was ever restocked")
	}
}
