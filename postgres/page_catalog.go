package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// upsertRefunds upserts refunds (never overwriting a newer one) and replaces their lines.
func upsertRefunds(ctx context.Context, tx *sqlx.Tx, mallID int64, refunds []mallsync.Refund) (int, error) {
	refunds = lastOf(refunds, func(r mallsync.Refund) string { return r.PlatformRefundID })
	n := len(refunds)
	col := func() []string { return make([]string, n) }
	rid, oid, cid, refunded, changed, raw := col(), col(), col(), col(), col(), col()
	amount, done := make([]int64, n), make([]bool, n)
	for i, r := range refunds {
		rid[i], oid[i], cid[i], amount[i], done[i] = r.PlatformRefundID, r.PlatformOrderID, r.PlatformClaimID, int64(r.Amount), r.Done
		refunded[i], changed[i], raw[i] = tsp(r.RefundedAt), ts(r.ChangedAt), rawText(r.Raw)
	}
	var written []writtenRow
	if err := tx.SelectContext(ctx, &written, `
		INSERT INTO refunds (mall_id, platform_refund_id, platform_order_id, platform_claim_id, amount, done,
			refunded_at, changed_at, raw)
		SELECT $1, t.rid, t.oid, t.cid, t.amount, t.done, NULLIF(t.refunded, '')::timestamptz, t.changed::timestamptz, t.raw
		FROM unnest($2::text[], $3::text[], $4::text[], $5::int8[], $6::bool[], $7::text[], $8::text[], $9::text[])
			AS t(rid, oid, cid, amount, done, refunded, changed, raw)
		ON CONFLICT (mall_id, platform_refund_id) DO UPDATE SET
			platform_order_id = EXCLUDED.platform_order_id, platform_claim_id = EXCLUDED.platform_claim_id,
			amount = EXCLUDED.amount, done = EXCLUDED.done, refunded_at = EXCLUDED.refunded_at,
			changed_at = EXCLUDED.changed_at, raw = EXCLUDED.raw, seen_at = now()
		WHERE refunds.changed_at <= EXCLUDED.changed_at
		RETURNING platform_refund_id AS id, xmax = 0 AS inserted`,
		mallID, textArray(rid), textArray(oid), textArray(cid), pq.Array(amount), pq.Array(done),
		textArray(refunded), textArray(changed), textArray(raw)); err != nil {
		return 0, interpret(err)
	}
	if len(written) == 0 {
		return 0, nil
	}
	keep, updated := splitWritten(written)
	var ps, ls []string
	for _, r := range refunds {
		if keep[r.PlatformRefundID] {
			for _, l := range lastOf(r.LineIDs, func(l string) string { return l }) {
				ps, ls = append(ps, r.PlatformRefundID), append(ls, l)
			}
		}
	}
	if err := replaceLines(ctx, tx, "refund_lines", "platform_refund_id", mallID, updated, ps, ls); err != nil {
		return 0, err
	}
	return len(written), nil
}

// upsertSuppliers upserts the platform's suppliers.
func upsertSuppliers(ctx context.Context, tx *sqlx.Tx, mallID int64, sups []mallsync.Supplier) (int, error) {
	sups = lastOf(sups, func(s mallsync.Supplier) string { return s.Code })
	n := len(sups)
	code, name, trading, payment := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, s := range sups {
		code[i], name[i], trading[i], payment[i] = s.Code, s.Name, s.TradingType, s.PaymentType
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO suppliers (mall_id, code, name, trading_type, payment_type)
		SELECT $1, t.c, t.n, t.t, t.p FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(c, n, t, p)
		ON CONFLICT (mall_id, code) DO UPDATE SET name = EXCLUDED.name, trading_type = EXCLUDED.trading_type,
			payment_type = EXCLUDED.payment_type, seen_at = now()`,
		mallID, textArray(code), textArray(name), textArray(trading), textArray(payment))
	return n, interpret(err)
}

// upsertProducts upserts products and their variants with the platform's stock figures. The
// figures are the platform's latest word, so a later read always wins.
func upsertProducts(ctx context.Context, tx *sqlx.Tx, mallID int64, products []mallsync.Product) (int, error) {
	products = lastOf(products, func(p mallsync.Product) string { return p.ProductNo })
	n := len(products)
	col := func() []string { return make([]string, n) }
	no, code, name, sup, ship, changed, raw := col(), col(), col(), col(), col(), col(), col()
	price := make([]int64, n)
	var vcode, vprod, vopt []string
	var vuse []bool
	var vqty, vsafe []int64
	seen := map[string]bool{}
	for i, p := range products {
		no[i], code[i], name[i], sup[i], ship[i], price[i], raw[i] = p.ProductNo, p.ProductCode, p.Name, p.SupplierCode, p.ShippingType, int64(p.Price), rawText(p.Raw)
		if !p.ChangedAt.IsZero() {
			changed[i] = ts(p.ChangedAt)
		}
		for _, v := range p.Variants {
			if seen[v.VariantCode] {
				continue
			}
			seen[v.VariantCode] = true
			vcode, vprod, vopt = append(vcode, v.VariantCode), append(vprod, p.ProductNo), append(vopt, v.OptionValue)
			vuse, vqty, vsafe = append(vuse, v.UseInventory), append(vqty, int64(v.Quantity)), append(vsafe, int64(v.SafetyStock))
		}
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO products (mall_id, product_no, product_code, name, supplier_code, shipping_type, price, changed_at, raw)
		SELECT $1, t.no, t.code, t.name, t.sup, t.ship, t.price, NULLIF(t.changed, '')::timestamptz, t.raw
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::text[], $9::text[])
			AS t(no, code, name, sup, ship, price, changed, raw)
		ON CONFLICT (mall_id, product_no) DO UPDATE SET product_code = EXCLUDED.product_code, name = EXCLUDED.name,
			supplier_code = EXCLUDED.supplier_code, shipping_type = EXCLUDED.shipping_type, price = EXCLUDED.price,
			changed_at = EXCLUDED.changed_at, raw = EXCLUDED.raw, seen_at = now()`,
		mallID, textArray(no), textArray(code), textArray(name), textArray(sup), textArray(ship), pq.Array(price),
		textArray(changed), textArray(raw)); err != nil {
		return 0, interpret(err)
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO variants (mall_id, variant_code, product_no, option_value, use_inventory, quantity, safety_stock)
		SELECT $1, t.c, t.p, t.o, t.u, t.q, t.s
		FROM unnest($2::text[], $3::text[], $4::text[], $5::bool[], $6::int8[], $7::int8[]) AS t(c, p, o, u, q, s)
		ON CONFLICT (mall_id, variant_code) DO UPDATE SET product_no = EXCLUDED.product_no,
			option_value = EXCLUDED.option_value, use_inventory = EXCLUDED.use_inventory,
			quantity = EXCLUDED.quantity, safety_stock = EXCLUDED.safety_stock, seen_at = now()`,
		mallID, textArray(vcode), textArray(vprod), textArray(vopt), pq.Array(vuse), pq.Array(vqty), pq.Array(vsafe))
	return len(vcode), interpret(err)
}
