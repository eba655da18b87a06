package cafe24sim

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Products and their inventories: GET /products (limit ≤ 100, offset ≤ 5000,
// since_product_no for deeper pages, embed=variants,inventories), /products/count and
// GET /products/{product_no}/variants/{variant_code}/inventories. A product's
// product_shipping_type follows its supplier's trading_type (D or C), except about one in
// twenty that says E (other).

const (
	maxProductLimit  = 100
	maxProductOffset = 5000
)

var productParams = map[string]bool{"shop_no": true, "limit": true, "offset": true, "since_product_no": true,
	"embed": true, "product_no": true}

// productsQuery is a validated GET /products query.
type productsQuery struct {
	limit, offset     int
	since             int
	variants, invents bool
	nos               map[int]bool
}

func parseProductsQuery(v url.Values) (productsQuery, *apiError) {
	q := productsQuery{}
	for k, vs := range v {
		if !productParams[k] {
			return q, invalid("unknown parameter %q", k)
		}
		if len(vs) > 1 {
			return q, invalid("parameter %q given more than once", k)
		}
	}
	if sn := v.Get("shop_no"); sn != "" && sn != "1" {
		return q, invalid("shop_no %q does not exist (this mall has shop 1 only)", sn)
	}
	var err *apiError
	if q.limit, err = parseInt("limit", v.Get("limit"), defaultLimit, 1, maxProductLimit); err != nil {
		return q, err
	}
	if q.offset, err = parseInt("offset", v.Get("offset"), 0, 0, maxProductOffset); err != nil {
		return q, err
	}
	if q.since, err = parseInt("since_product_no", v.Get("since_product_no"), 0, 0, 1<<30); err != nil {
		return q, err
	}
	if q.since > 0 && q.offset > 0 {
		return q, invalid("since_product_no cannot be used with offset")
	}
	for name := range parseSet(v.Get("embed")) {
		switch name {
		case "variants":
			q.variants = true
		case "inventories":
			q.invents = true
		default:
			return q, invalid("embed %q is not supported", name)
		}
	}
	if nos := parseSet(v.Get("product_no")); nos != nil {
		q.nos = map[int]bool{}
		for s := range nos {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				return q, invalid("product_no %q is not a product number", s)
			}
			q.nos[n] = true
		}
	}
	return q, nil
}

// shippingType is product p's product_shipping_type.
func (d *dataset) shippingType(p *product) string {
	if mix(d.seed^0x5419^uint64(p.no))%20 == 0 {
		return "E"
	}
	return suppliers[p.supplier].trading
}

// matchingProducts lists the indexes of the products the query selects, before paging.
func (d *dataset) matchingProducts(q *productsQuery) []int {
	var out []int
	for i := range d.catalog {
		no := d.catalog[i].no
		if no <= q.since || (q.nos != nil && !q.nos[no]) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// appendProduct appends product pi as GET /products returns it.
func (v *view) appendProduct(b []byte, pi int, variants, invents bool) []byte {
	d := v.d
	p := &d.catalog[pi]
	created := d.base - int64(30+p.no%200)*day
	b = append(b, `{"shop_no":1,"product_no":`...)
	b = strconv.AppendInt(b, int64(p.no), 10)
	b = append(b, `,"product_code":"`...)
	b = append(b, p.code...)
	b = append(b, `","custom_product_code":"","product_name":`...)
	b = appendStr(b, p.name)
	b = append(b, `,"price":`...)
	b = appendMoney(b, p.price)
	b = append(b, `,"supplier_code":"`...)
	b = append(b, suppliers[p.supplier].id...)
	b = append(b, `","product_shipping_type":"`...)
	b = append(b, d.shippingType(p)...)
	b = append(b, `","display":"T","selling":"T","created_date":`...)
	b = appendKST(b, created)
	b = append(b, `,"updated_date":`...)
	b = appendKST(b, created)
	if variants {
		b = append(b, `,"variants":[`...)
		for vi := range p.variants {
			if vi > 0 {
				b = append(b, ',')
			}
			b = v.appendVariant(b, pi, vi, invents)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendVariant appends variant vi of product pi, with its inventory when invents is set.
func (v *view) appendVariant(b []byte, pi, vi int, invents bool) []byte {
	p := &v.d.catalog[pi]
	va := &p.variants[vi]
	b = append(b, `{"shop_no":1,"variant_code":"`...)
	b = append(b, va.code...)
	b = append(b, `","options":[`...)
	for i, o := range strings.Split(va.option, ", ") {
		name, value, _ := strings.Cut(o, "=")
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendStr(b, name)
		b = append(b, `,"value":`...)
		b = appendStr(b, value)
		b = append(b, '}')
	}
	b = append(b, `],"custom_variant_code":"","display":"T","selling":"T","additional_amount":`...)
	b = appendMoney(b, va.price)
	if invents {
		b = append(b, `,"inventories":`...)
		b = v.appendInventory(b, pi, vi)
	}
	return append(b, '}')
}

// appendInventory appends the inventory object of variant vi of product pi.
func (v *view) appendInventory(b []byte, pi, vi int) []byte {
	p := &v.d.catalog[pi]
	s := pi*maxVariants + vi
	b = append(b, `{"shop_no":1,"variant_code":"`...)
	b = append(b, p.variants[vi].code...)
	b = append(b, `","use_inventory":"T","important_inventory":"A","inventory_control_type":"A","display_soldout":"T","quantity":`...)
	b = strconv.AppendInt(b, int64(v.d.stock.quantity(pi, vi, v.now)), 10)
	b = append(b, `,"safety_inventory":`...)
	b = strconv.AppendInt(b, int64(v.d.stock.safety[s]), 10)
	return append(b, '}')
}

// listProducts serves GET /api/v2/admin/products and /products/count.
func (s *Server) listProducts(b []byte, r *http.Request, count bool) (int, []byte) {
	vals := r.URL.Query()
	q, aerr := parseProductsQuery(vals)
	if aerr != nil {
		return aerr.status, appendEnvelope(b, aerr.status, aerr.msg)
	}
	all := s.d.matchingProducts(&q)
	if count {
		b = append(b, `{"count":`...)
		b = strconv.AppendInt(b, int64(len(all)), 10)
		return http.StatusOK, append(b, '}')
	}
	v := s.view()
	from := min(q.offset, len(all))
	to := min(from+q.limit, len(all))
	b = append(b, `{"products":[`...)
	for i, pi := range all[from:to] {
		if i > 0 {
			b = append(b, ',')
		}
		b = v.appendProduct(b, pi, q.variants, q.invents)
	}
	return http.StatusOK, append(b, "]}"...)
}

// getInventory serves GET /products/{product_no}/variants/{variant_code}/inventories.
func (s *Server) getInventory(b []byte, productNo, variantCode string) (int, []byte) {
	no, err := strconv.Atoi(productNo)
	if err != nil || no <= 0 || no > len(s.d.catalog) {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No product found for product_no "+productNo)
	}
	pi := no - 1
	vs := s.d.catalog[pi].variants
	vi := sort.Search(len(vs), func(i int) bool { return vs[i].code >= variantCode })
	if vi == len(vs) || vs[vi].code != variantCode {
		return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No variant found for variant_code "+variantCode)
	}
	v := s.view()
	b = append(b, `{"inventory":`...)
	b = v.appendInventory(b, pi, vi)
	return http.StatusOK, append(b, '}')
}
