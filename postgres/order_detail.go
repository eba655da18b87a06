package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

type orderRow struct {
	MallID        int64        `db:"mall_id"`
	Mall          string       `db:"mall"`
	MallName      string       `db:"mall_name"`
	Platform      string       `db:"platform"`
	OrderID       string       `db:"platform_order_id"`
	Channel       string       `db:"channel"`
	OrderedAt     time.Time    `db:"ordered_at"`
	PaidAt        sql.NullTime `db:"paid_at"`
	BuyerName     string       `db:"buyer_name"`
	BuyerPhone    string       `db:"buyer_phone"`
	BuyerEmail    string       `db:"buyer_email"`
	ReceiverName  string       `db:"receiver_name"`
	ReceiverPhone string       `db:"receiver_phone"`
	ReceiverZip   string       `db:"receiver_zipcode"`
	ReceiverAddr  string       `db:"receiver_address"`
	Payment       int64        `db:"payment_amount"`
	ShippingFee   int64        `db:"shipping_fee"`
	ChangedAt     time.Time    `db:"changed_at"`
	Raw           string       `db:"raw"`
	HasReorder    bool         `db:"has_reorder"`
}

// toDomain converts the order row. The phones are stored as one (cellphone or phone, as
// ApplyPage chose), so they come back as Cellphone.
func (r orderRow) toDomain(lines []mallsync.OrderLine) mallsync.Order {
	o := mallsync.Order{PlatformOrderID: r.OrderID, Channel: r.Channel, OrderedAt: r.OrderedAt.UTC(),
		PaidAt: nullTimePtr(r.PaidAt),
		Buyer:  mallsync.Person{Name: r.BuyerName, Cellphone: r.BuyerPhone, Email: r.BuyerEmail},
		Receiver: mallsync.Person{Name: r.ReceiverName, Cellphone: r.ReceiverPhone, Zipcode: r.ReceiverZip,
			Address: r.ReceiverAddr},
		PaymentAmount: mallsync.Money(r.Payment), ShippingFee: mallsync.Money(r.ShippingFee),
		ChangedAt: r.ChangedAt.UTC(), Lines: lines}
	if r.Raw != "" {
		o.Raw = []byte(r.Raw)
	}
	return o
}

// orderLineColumns are the order_lines columns an orderLineRow reads.
const orderLineColumns = `platform_line_id, product_no, product_code, variant_code, sku, product_name, option_value, brand,
	supplier_code, supplier_name, quantity, unit_price, payment_amount, status, platform_status, ownership,
	claim_code, claim_kind, claim_status, carrier_code, tracking_no, shipped_at, delivered_at, changed_at`

// orderLineRow is a stored order line as read back (the order page, the return flows).
type orderLineRow struct {
	LineID       string       `db:"platform_line_id"`
	ProductNo    string       `db:"product_no"`
	ProductCode  string       `db:"product_code"`
	VariantCode  string       `db:"variant_code"`
	SKU          string       `db:"sku"`
	ProductName  string       `db:"product_name"`
	OptionValue  string       `db:"option_value"`
	Brand        string       `db:"brand"`
	SupplierCode string       `db:"supplier_code"`
	SupplierName string       `db:"supplier_name"`
	Quantity     int          `db:"quantity"`
	UnitPrice    int64        `db:"unit_price"`
	Payment      int64        `db:"payment_amount"`
	Status       string       `db:"status"`
	PStatus      string       `db:"platform_status"`
	Ownership    string       `db:"ownership"`
	ClaimCode    string       `db:"claim_code"`
	ClaimKind    string       `db:"claim_kind"`
	ClaimStatus  string       `db:"claim_status"`
	Carrier      string       `db:"carrier_code"`
	Tracking     string       `db:"tracking_no"`
	ShippedAt    sql.NullTime `db:"shipped_at"`
	DeliveredAt  sql.NullTime `db:"delivered_at"`
	ChangedAt    time.Time    `db:"changed_at"`
}

func (l orderLineRow) toDomain() mallsync.OrderLine {
	return mallsync.OrderLine{PlatformLineID: l.LineID, ProductNo: l.ProductNo, ProductCode: l.ProductCode,
		VariantCode: l.VariantCode, SKU: l.SKU, ProductName: l.ProductName, OptionValue: l.OptionValue, Brand: l.Brand,
		SupplierCode: l.SupplierCode, SupplierName: l.SupplierName, Quantity: l.Quantity,
		UnitPrice: mallsync.Money(l.UnitPrice), PaymentAmount: mallsync.Money(l.Payment),
		Status: mallsync.LineStatus(l.Status), PlatformStatus: l.PStatus, Ownership: mallsync.Ownership(l.Ownership),
		ClaimCode: l.ClaimCode, ClaimKind: mallsync.ClaimKind(l.ClaimKind), ClaimStatus: mallsync.ClaimStatus(l.ClaimStatus),
		CarrierCode: l.Carrier, TrackingNo: l.Tracking, ShippedAt: nullTimePtr(l.ShippedAt),
		DeliveredAt: nullTimePtr(l.DeliveredAt), ChangedAt: l.ChangedAt.UTC()}
}

type shipmentRow struct {
	ID          string         `db:"platform_shipment_id"`
	OrderID     string         `db:"platform_order_id"`
	Kind        string         `db:"kind"`
	Carrier     string         `db:"carrier_code"`
	Tracking    string         `db:"tracking_no"`
	PStatus     string         `db:"platform_status"`
	ShippedAt   sql.NullTime   `db:"shipped_at"`
	DeliveredAt sql.NullTime   `db:"delivered_at"`
	ChangedAt   time.Time      `db:"changed_at"`
	LineIDs     pq.StringArray `db:"line_ids"`
}

func (r shipmentRow) toDomain() mallsync.Shipment {
	s := mallsync.Shipment{PlatformShipmentID: r.ID, PlatformOrderID: r.OrderID, Kind: mallsync.ShipmentKind(r.Kind),
		CarrierCode: r.Carrier, TrackingNo: r.Tracking, PlatformStatus: r.PStatus, ShippedAt: nullTimePtr(r.ShippedAt),
		DeliveredAt: nullTimePtr(r.DeliveredAt), ChangedAt: r.ChangedAt.UTC()}
	if len(r.LineIDs) > 0 { // a parcel without lines has none, not an empty list
		s.LineIDs = []string(r.LineIDs)
	}
	return s
}

// lineTimelineSQL reads the status history of an order's lines ($1 mall id, $2 order id).
// line_status_events is a view over order_lines (first events) and line_status_changes; the
// join reaches both through their indexes (TestLineTimelineReadsByIndex).
const lineTimelineSQL = `
	SELECT l.platform_line_id, e.changed_at, e.platform_code, e.from_status, e.to_status, e.seen_at, e.applied
	FROM order_lines l JOIN line_status_events e ON e.line_id = l.id
	WHERE l.mall_id = $1 AND l.platform_order_id = $2
	ORDER BY e.changed_at, e.seen_at, l.id, e.platform_code`

type lineEventRow struct {
	LineID    string         `db:"platform_line_id"`
	ChangedAt time.Time      `db:"changed_at"`
	Code      string         `db:"platform_code"`
	From      sql.NullString `db:"from_status"`
	To        string         `db:"to_status"`
	SeenAt    time.Time      `db:"seen_at"`
	Applied   bool           `db:"applied"`
}

func (r lineEventRow) toDomain() mallsync.LineStatusEvent {
	return mallsync.LineStatusEvent{PlatformLineID: r.LineID, ChangedAt: r.ChangedAt.UTC(), PlatformCode: r.Code,
		From: mallsync.LineStatus(r.From.String), To: mallsync.LineStatus(r.To), SeenAt: r.SeenAt.UTC(), Applied: r.Applied}
}

// OrderDetail implements mallsync.OrderReader: the order with its lines and raw JSON, its
// shipments with their lines, its claims with their lines, every line's status history oldest
// first and its reorder link. It reads with one query per kind, in one read-only transaction
// so the parts agree. Unknown malls and orders are ENOTFOUND.
func (r *OrderReader) OrderDetail(ctx context.Context, mall mallsync.MallKey, orderID string) (mallsync.OrderDetail, error) {
	tx, err := r.db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return mallsync.OrderDetail{}, fmt.Errorf("reading order %s of %s: %w", orderID, mall, interpret(err))
	}
	defer tx.Rollback() //nolint:errcheck // read-only

	var o orderRow
	err = tx.GetContext(ctx, &o, `
		SELECT m.id AS mall_id, m.key AS mall, m.name AS mall_name, m.platform, o.platform_order_id, o.channel,
			o.ordered_at, o.paid_at, o.buyer_name, o.buyer_phone, o.buyer_email, o.receiver_name, o.receiver_phone,
			o.receiver_zipcode, o.receiver_address, o.payment_amount, o.shipping_fee, o.changed_at, o.raw,
			EXISTS (SELECT 1 FROM reorders r WHERE r.mall_id = o.mall_id AND r.platform_order_id = o.platform_order_id) AS has_reorder
		FROM orders o JOIN malls m ON m.id = o.mall_id
		WHERE m.key = $1 AND o.platform_order_id = $2`, string(mall), orderID)
	if err != nil {
		if mallsync.ErrorCode(interpret(err)) != mallsync.ENOTFOUND {
			return mallsync.OrderDetail{}, fmt.Errorf("reading order %s of %s: %w", orderID, mall, interpret(err))
		}
		var mallExists bool
		if err := tx.GetContext(ctx, &mallExists, `SELECT EXISTS (SELECT 1 FROM malls WHERE key = $1)`, string(mall)); err != nil {
			return mallsync.OrderDetail{}, fmt.Errorf("looking up mall %s: %w", mall, interpret(err))
		}
		if !mallExists {
			return mallsync.OrderDetail{}, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q", mall)
		}
		return mallsync.OrderDetail{}, mallsync.Errorf(mallsync.ENOTFOUND, "mall %s has no order %s", mall, orderID)
	}

	var lines []orderLineRow
	if err := tx.SelectContext(ctx, &lines, `SELECT `+orderLineColumns+`
		FROM order_lines WHERE mall_id = $1 AND platform_order_id = $2 ORDER BY id`, o.MallID, orderID); err != nil {
		return mallsync.OrderDetail{}, fmt.Errorf("reading lines of order %s of %s: %w", orderID, mall, interpret(err))
	}
	var ships []shipmentRow
	if err := tx.SelectContext(ctx, &ships, `
		SELECT s.platform_shipment_id, s.platform_order_id, s.kind, s.carrier_code, s.tracking_no, s.platform_status,
			s.shipped_at, s.delivered_at, s.changed_at, s.line_ids
		FROM shipments s WHERE s.mall_id = $1 AND s.platform_order_id = $2
		ORDER BY s.shipped_at NULLS LAST, s.changed_at, s.platform_shipment_id`, o.MallID, orderID); err != nil {
		return mallsync.OrderDetail{}, fmt.Errorf("reading shipments of order %s of %s: %w", orderID, mall, interpret(err))
	}
	var claims []claimRow
	if err := tx.SelectContext(ctx, &claims, `
		SELECT platform_claim_id, platform_order_id, kind, status, platform_status, reason_type, reason,
			fault_party, return_carrier_code, return_tracking_no, requested_at, changed_at, raw
		FROM claims WHERE mall_id = $1 AND platform_order_id = $2
		ORDER BY requested_at NULLS LAST, platform_claim_id`, o.MallID, orderID); err != nil {
		return mallsync.OrderDetail{}, fmt.Errorf("reading claims of order %s of %s: %w", orderID, mall, interpret(err))
	}
	var claimLines []struct {
		ClaimID  string `db:"platform_claim_id"`
		LineID   string `db:"platform_line_id"`
		Quantity int    `db:"quantity"`
		PStatus  string `db:"platform_status"`
	}
	if len(claims) > 0 {
		if err := tx.SelectContext(ctx, &claimLines, `
			SELECT cl.platform_claim_id, cl.platform_line_id, cl.quantity, cl.platform_status
			FROM claims c JOIN claim_lines cl ON cl.mall_id = c.mall_id AND cl.platform_claim_id = c.platform_claim_id
			WHERE c.mall_id = $1 AND c.platform_order_id = $2
			ORDER BY cl.platform_claim_id, cl.platform_line_id`, o.MallID, orderID); err != nil {
			return mallsync.OrderDetail{}, fmt.Errorf("reading claim lines of order %s of %s: %w", orderID, mall, interpret(err))
		}
	}
	var events []lineEventRow
	if err := tx.SelectContext(ctx, &events, lineTimelineSQL, o.MallID, orderID); err != nil {
		return mallsync.OrderDetail{}, fmt.Errorf("reading the timeline of order %s of %s: %w", orderID, mall, interpret(err))
	}

	d := mallsync.OrderDetail{Mall: mallsync.MallKey(o.Mall), MallName: o.MallName, Platform: mallsync.Platform(o.Platform)}
	ls := make([]mallsync.OrderLine, len(lines))
	for i, l := range lines {
		ls[i] = l.toDomain()
	}
	d.Order = o.toDomain(ls)
	for _, s := range ships {
		d.Shipments = append(d.Shipments, s.toDomain())
	}
	byClaim := map[string][]mallsync.ClaimLine{}
	for _, l := range claimLines {
		byClaim[l.ClaimID] = append(byClaim[l.ClaimID], mallsync.ClaimLine{PlatformLineID: l.LineID, Quantity: l.Quantity, PlatformStatus: l.PStatus})
	}
	for _, c := range claims {
		d.Claims = append(d.Claims, c.claim(byClaim[c.ID]))
	}
	for _, e := range events {
		d.Timeline = append(d.Timeline, e.toDomain())
	}
	var notes []struct {
		Author string    `db:"author"`
		Body   string    `db:"body"`
		At     time.Time `db:"at"`
	}
	if err := tx.SelectContext(ctx, &notes, `
		SELECT author, body, at FROM order_notes WHERE mall_id = $1 AND platform_order_id = $2 ORDER BY at, id`,
		o.MallID, orderID); err != nil {
		return mallsync.OrderDetail{}, fmt.Errorf("reading the notes of order %s of %s: %w", orderID, mall, interpret(err))
	}
	for _, n := range notes {
		d.Notes = append(d.Notes, mallsync.OrderNote{Author: n.Author, Body: n.Body, At: n.At.UTC()})
	}
	if o.HasReorder {
		re, err := reorder(ctx, tx, mall, o.MallID, orderID)
		if err != nil {
			return mallsync.OrderDetail{}, err
		}
		d.Reorder = &re
	}
	return d, nil
}
