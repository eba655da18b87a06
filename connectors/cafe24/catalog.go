package cafe24

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// The products and suppliers streams. Neither list can be asked what changed, and stock
// figures change without touching a product's updated_date, so both are read whole: products
// with their variants and inventories by since_product_no (which has no offset cap), 100 a
// page; suppliers by offset. A pass starts when the last one is at least RescanEvery old, so
// the platform's stock figures in Postgres are never older than that plus one sync interval.

// RescanEvery is the least time between two full reads of products or suppliers.
const RescanEvery = 10 * time.Minute

// catalogPageLimit is the page size asked of GET /products and /suppliers (their maximum).
const catalogPageLimit = 100

// scanCursor is the position of a full-scan stream, stored as JSON:
//
//	{"v":1,"last_pass":"…"}                       between passes
//	{"v":1,"last_pass":"…","pass_now":"…","pos":120}  during one: the last product_no read,
//	                                               or the offset of the next supplier page
type scanCursor struct {
	V        int       `json:"v"`
	LastPass time.Time `json:"last_pass,omitzero"`
	PassNow  time.Time `json:"pass_now,omitzero"`
	Pos      int       `json:"pos,omitempty"`
}

func parseScanCursor(stream mallsync.Stream, v string) (scanCursor, error) {
	c := scanCursor{V: cursorVersion}
	if v == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return c, mallsync.Errorf(mallsync.EINVALID, "cafe24 %s cursor is not valid JSON: %v", stream, err)
	}
	if c.V != cursorVersion {
		return c, mallsync.Errorf(mallsync.EINVALID, "cafe24 %s cursor has version %d, want %d", stream, c.V, cursorVersion)
	}
	if c.Pos < 0 {
		return c, mallsync.Errorf(mallsync.EINVALID, "cafe24 %s cursor has a negative position", stream)
	}
	return c, nil
}

func (c scanCursor) String() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a cursor always marshals
	}
	return string(b)
}

// fetchScan reads the next page of a full-scan stream: read gets the page at pos and says
// the position after it.
func (c *Connector) fetchScan(ctx context.Context, cur scanCursor, now time.Time, counter *connectors.CallCounter,
	read func(ctx context.Context, pos int) (mallsync.Page, int, bool, error)) (connectors.Fetched, error) {
	now = wholeSecond(now)
	if cur.PassNow.IsZero() {
		if !cur.LastPass.IsZero() && now.Sub(cur.LastPass) < RescanEvery {
			return connectors.Fetched{Next: cur.String(), CaughtUp: true, Calls: counter.Calls()}, nil
		}
		cur.PassNow, cur.Pos = now, 0
	}
	page, next, last, err := read(ctx, cur.Pos)
	if err != nil {
		return connectors.Fetched{Calls: counter.Calls()}, err
	}
	cur.Pos = next
	if last {
		cur.LastPass, cur.PassNow, cur.Pos = cur.PassNow, time.Time{}, 0
	}
	for _, r := range page.Rejects {
		c.logger.Warn("cafe24 record does not map", "mall", c.mall.Key, "resource", r.Resource, "id", r.PlatformID, "reason", r.Reason)
	}
	return connectors.Fetched{Page: page, Next: cur.String(), CaughtUp: last, Calls: counter.Calls()}, nil
}

// productJSON is one product as GET /products?embed=variants,inventories returns it.
type productJSON struct {
	ProductNo    json.Number   `json:"product_no"`
	ProductCode  string        `json:"product_code"`
	ProductName  string        `json:"product_name"`
	Price        string        `json:"price"`
	SupplierCode string        `json:"supplier_code"`
	ShippingType string        `json:"product_shipping_type"`
	UpdatedDate  string        `json:"updated_date"`
	Variants     []variantJSON `json:"variants"`
}

// variantJSON is one variant. Its stock comes in its inventories (an object, or a list of
// one) or, in older shapes, on the variant itself.
type variantJSON struct {
	VariantCode string `json:"variant_code"`
	Options     []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"options"`
	inventoryJSON
	Inventories json.RawMessage `json:"inventories"`
}

// inventoryJSON is a variant's stock as the inventories endpoints give it.
type inventoryJSON struct {
	UseInventory    string `json:"use_inventory"`
	Quantity        *int   `json:"quantity"`
	SafetyInventory *int   `json:"safety_inventory"`
}

// listProducts reads the products after since (product_no), with variants and stock.
func (c *client) listProducts(ctx context.Context, since int) ([]json.RawMessage, error) {
	q := map[string][]string{
		"limit": {strconv.Itoa(catalogPageLimit)}, "since_product_no": {strconv.Itoa(since)},
		"embed": {"variants,inventories"},
	}
	var p struct {
		Products []json.RawMessage `json:"products"`
	}
	if err := c.getJSON(ctx, "/products", q, &p); err != nil {
		return nil, fmt.Errorf("listing cafe24 products after product_no %d: %w", since, err)
	}
	return p.Products, nil
}

// readProducts is the products stream's read step.
func (c *Connector) readProducts(ctx context.Context, since int) (mallsync.Page, int, bool, error) {
	rows, err := c.api.listProducts(ctx, since)
	if err != nil {
		return mallsync.Page{}, since, false, err
	}
	var page mallsync.Page
	next := since
	for _, raw := range rows {
		var no struct {
			ProductNo json.Number `json:"product_no"`
		}
		_ = json.Unmarshal(raw, &no)
		if n, err := strconv.Atoi(no.ProductNo.String()); err == nil && n > next {
			next = n
		}
		p, err := mapProduct(raw)
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "product", PlatformID: no.ProductNo.String(), Reason: err.Error(), Raw: raw})
			continue
		}
		page.Products = append(page.Products, p)
	}
	last := len(rows) < catalogPageLimit
	if !last && next == since {
		return page, since, false, mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 products page after %d has no readable product_no: cannot go on", since)
	}
	return page, next, last, nil
}

// mapProduct maps one product with its variants.
func mapProduct(raw json.RawMessage) (mallsync.Product, error) {
	var j productJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return mallsync.Product{}, fmt.Errorf("product: %s", decodeReason(err))
	}
	if j.ProductNo == "" {
		return mallsync.Product{}, fmt.Errorf("product without product_no")
	}
	price, err := won("price", j.Price)
	if err != nil {
		return mallsync.Product{}, err
	}
	var tp timeParser
	var changed time.Time
	if t := tp.optional("updated_date", j.UpdatedDate); t != nil {
		changed = *t
	}
	if tp.err != nil {
		return mallsync.Product{}, tp.err
	}
	p := mallsync.Product{ProductNo: j.ProductNo.String(), ProductCode: j.ProductCode, Name: j.ProductName,
		SupplierCode: j.SupplierCode, ShippingType: j.ShippingType, Price: price, ChangedAt: changed, Raw: raw}
	for _, v := range j.Variants {
		mv, err := mapVariant(v)
		if err != nil {
			return mallsync.Product{}, fmt.Errorf("variant %s: %w", v.VariantCode, err)
		}
		p.Variants = append(p.Variants, mv)
	}
	return p, nil
}

// mapVariant maps a variant and its stock.
func mapVariant(v variantJSON) (mallsync.Variant, error) {
	if v.VariantCode == "" {
		return mallsync.Variant{}, fmt.Errorf("variant without variant_code")
	}
	inv := v.inventoryJSON
	if s := strings.TrimSpace(string(v.Inventories)); s != "" && s != "null" {
		var one inventoryJSON
		if s[0] == '[' {
			var list []inventoryJSON
			if err := json.Unmarshal(v.Inventories, &list); err != nil {
				return mallsync.Variant{}, fmt.Errorf("inventories: %s", decodeReason(err))
			}
			if len(list) > 0 {
				one = list[0]
			}
		} else if err := json.Unmarshal(v.Inventories, &one); err != nil {
			return mallsync.Variant{}, fmt.Errorf("inventories: %s", decodeReason(err))
		}
		inv = one
	}
	opts := make([]string, len(v.Options))
	for i, o := range v.Options {
		opts[i] = o.Name + "=" + o.Value
	}
	mv := mallsync.Variant{VariantCode: v.VariantCode, OptionValue: strings.Join(opts, ", "), UseInventory: inv.UseInventory == "T"}
	if inv.Quantity != nil {
		mv.Quantity = *inv.Quantity
	}
	if inv.SafetyInventory != nil {
		mv.SafetyStock = *inv.SafetyInventory
	}
	return mv, nil
}

// supplierJSON is one supplier as GET /suppliers returns it.
type supplierJSON struct {
	Code        string `json:"supplier_code"`
	Name        string `json:"supplier_name"`
	TradingType string `json:"trading_type"`
	PaymentType string `json:"payment_type"`
}

// readSuppliers is the suppliers stream's read step: the page at offset.
func (c *Connector) readSuppliers(ctx context.Context, offset int) (mallsync.Page, int, bool, error) {
	if offset > maxOffset {
		return mallsync.Page{}, offset, false, mallsync.Errorf(mallsync.EINVALID, "cafe24 suppliers beyond offset %d cannot be listed", maxOffset)
	}
	q := map[string][]string{"limit": {strconv.Itoa(catalogPageLimit)}, "offset": {strconv.Itoa(offset)}}
	var p struct {
		Suppliers []json.RawMessage `json:"suppliers"`
	}
	if err := c.api.getJSON(ctx, "/suppliers", q, &p); err != nil {
		return mallsync.Page{}, offset, false, fmt.Errorf("listing cafe24 suppliers at offset %d: %w", offset, err)
	}
	var page mallsync.Page
	for _, raw := range p.Suppliers {
		var j supplierJSON
		err := json.Unmarshal(raw, &j)
		switch {
		case err != nil:
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "supplier", Reason: "supplier: " + decodeReason(err), Raw: raw})
		case j.Code == "":
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "supplier", Reason: "supplier without supplier_code", Raw: raw})
		default:
			page.Suppliers = append(page.Suppliers, mallsync.Supplier{Code: j.Code, Name: j.Name, TradingType: j.TradingType, PaymentType: j.PaymentType})
		}
	}
	return page, offset + len(p.Suppliers), len(p.Suppliers) < catalogPageLimit, nil
}
