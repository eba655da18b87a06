package cafe24

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// ordersPage is GET /orders' answer. Each order keeps its exact JSON.
type ordersPage struct {
	Orders []orderJSON
	// slow counts the orders the fast path handed to encoding/json one by one (see fastdecode.go).
	slow int
}

// orderJSON is one order as decoded from a page: its raw bytes, its typed fields, and the error
// that decoding the fields met (the order is then rejected, the page goes on).
type orderJSON struct {
	raw json.RawMessage
	err error
	f   orderFields
}

// UnmarshalJSON decodes a page in one pass over each order: the typed fields are decoded with
// a streaming decoder and each order's bytes are cut from the input by offset, so nothing is
// parsed twice. An order whose fields have unexpected types is kept with its error (it becomes
// a Reject); the page goes on. json.Unmarshal has checked that b is valid JSON before calling
// this, so a body cut short fails there, as a *json.SyntaxError.
func (p *ordersPage) UnmarshalJSON(b []byte) error {
	return p.DecodeBody(bytes.Clone(b)) // the raws are slices of b: keep our own copy
}

// DecodeBody decodes a whole response body, which it may keep (see connectors.BodyDecoder).
// It skips json.Unmarshal's separate validation pass; a body cut short fails with
// io.ErrUnexpectedEOF or a *json.SyntaxError.
//
// A hand-written scanner (decodeFast) decodes the usual page; whatever it does not handle
// exactly as encoding/json would (a syntax error, a field of an unexpected type, a repeated or
// escaped key...) is left to encoding/json: the whole page when the body is not valid JSON (so
// the error is encoding/json's own), or just the order otherwise.
func (p *ordersPage) DecodeBody(b []byte) error {
	if p.decodeFast(b) {
		return nil
	}
	return p.decodeStd(b)
}

// decodeStd is DecodeBody with encoding/json's streaming decoder.
func (p *ordersPage) decodeStd(b []byte) error {
	p.Orders = p.Orders[:0]
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		if err != nil {
			return err
		}
		return errors.New("cafe24 orders page is not a JSON object")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		if key != "orders" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if t == nil {
			continue // "orders": null
		}
		if t != json.Delim('[') {
			return errors.New("cafe24 orders page: orders is not an array")
		}
		for dec.More() {
			start := dec.InputOffset()
			p.Orders = append(p.Orders, orderJSON{})
			o := &p.Orders[len(p.Orders)-1]
			err := dec.Decode(&o.f)
			end := dec.InputOffset()
			if end <= start || errors.Is(err, io.ErrUnexpectedEOF) || isSyntax(err) {
				return err // the body itself is broken, not a field of this order
			}
			o.err = err
			o.raw = bytes.TrimLeft(b[start:end], ", \t\r\n")
		}
		if _, err := dec.Token(); err != nil { // ']'
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return err
	}
	return nil
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

type orderFields struct {
	OrderID           string         `json:"order_id"`
	OrderPlaceID      string         `json:"order_place_id"`
	OrderDate         string         `json:"order_date"`
	PaymentDate       string         `json:"payment_date"`
	CancelDate        string         `json:"cancel_date"`
	PaymentAmount     string         `json:"payment_amount"`
	ActualOrderAmount *amountsJSON   `json:"actual_order_amount"`
	Buyer             *buyerJSON     `json:"buyer"`
	Receivers         []receiverJSON `json:"receivers"`
	Items             []itemJSON     `json:"items"`
	// The claims embedded on the order (embed=cancellation,return,exchange), each kept raw.
	Cancellation rawList `json:"cancellation"`
	Return       rawList `json:"return"`
	Exchange     rawList `json:"exchange"`
}

type amountsJSON struct {
	ShippingFee   string `json:"shipping_fee"`
	PaymentAmount string `json:"payment_amount"`
}

type buyerJSON struct {
	Name      string `json:"name"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	Cellphone string `json:"cellphone"`
	Zipcode   string `json:"buyer_zipcode"`
	Address1  string `json:"buyer_address1"`
	Address2  string `json:"buyer_address2"`
}

type receiverJSON struct {
	Name        string `json:"name"`
	Phone       string `json:"phone"`
	Cellphone   string `json:"cellphone"`
	Zipcode     string `json:"zipcode"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
	AddressFull string `json:"address_full"`
}

type itemJSON struct {
	OrderItemCode       string      `json:"order_item_code"`
	ProductNo           json.Number `json:"product_no"`
	ProductCode         string      `json:"product_code"`
	VariantCode         string      `json:"variant_code"`
	ProductName         string      `json:"product_name"`
	OptionValue         string      `json:"option_value"`
	ProductPrice        string      `json:"product_price"`
	OptionPrice         string      `json:"option_price"`
	Quantity            json.Number `json:"quantity"`
	PaymentAmount       string      `json:"payment_amount"`
	SupplierID          string      `json:"supplier_id"`
	SupplierCode        string      `json:"supplier_code"`
	SupplierName        string      `json:"supplier_name"`
	TrackingNo          string      `json:"tracking_no"`
	ShippingCompanyCode string      `json:"shipping_company_code"`
	OrderStatus         string      `json:"order_status"`
	OrderStatusBeforeCS string      `json:"order_status_before_cs"`
	ClaimCode           string      `json:"claim_code"`
	ShippingCode        string      `json:"shipping_code"`
	// OriginalItemNo is set on an exchange's replacement item: the item_no it replaces.
	OriginalItemNo itemNoList `json:"original_item_no"`

	ShippedDate              string `json:"shipped_date"`
	DeliveredDate            string `json:"delivered_date"`
	PurchaseConfirmationDate string `json:"purchaseconfirmation_date"`
	CancelRequestDate        string `json:"cancel_request_date"`
	CancelDate               string `json:"cancel_date"`
	ReturnRequestDate        string `json:"return_request_date"`
	ReturnCollectedDate      string `json:"return_collected_date"`
	RefundDate               string `json:"refund_date"`
	ExchangeRequestDate      string `json:"exchange_request_date"`
}

// rawList is a JSON array kept element by element, raw; empty or null is nil.
type rawList []json.RawMessage

// UnmarshalJSON keeps the elements of an array; empty or null leaves nil.
func (l *rawList) UnmarshalJSON(b []byte) error {
	var v []json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = nil
	if len(v) > 0 {
		*l = v
	}
	return nil
}

// itemNoList is a list of item numbers (Cafe24 original_item_no); empty or null is nil.
type itemNoList []json.Number

// UnmarshalJSON decodes an array of numbers; empty or null leaves nil.
func (l *itemNoList) UnmarshalJSON(b []byte) error {
	var v []json.Number
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = nil
	if len(v) > 0 {
		*l = v
	}
	return nil
}

// decodePage decodes a GET /orders body.
func decodePage(body []byte) (ordersPage, error) {
	var p ordersPage
	err := p.DecodeBody(body)
	return p, err
}

// mapper turns decoded Cafe24 orders into domain records.
type mapper struct {
	statuses mallsync.StatusMap
}

// mapOrders maps orders into a page: the orders that map, and a Reject (with the order's raw
// JSON and the reason) for each that does not. Orders repeated in the slice (same order_id)
// are kept once.
func (m *mapper) mapOrders(orders []orderJSON) mallsync.Page {
	page := mallsync.Page{Orders: make([]mallsync.Order, 0, len(orders))}
	seen := make(map[string]struct{}, len(orders))
	for i := range orders {
		o := &orders[i]
		if id := o.f.OrderID; id != "" {
			if _, dup := seen[id]; dup {
				continue
			}
			seen[id] = struct{}{}
		}
		order, err := m.mapOrder(o)
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{
				Resource: "order", PlatformID: o.f.OrderID, Reason: err.Error(), Raw: o.raw,
			})
			continue
		}
		var claims []mallsync.Claim
		if len(o.f.Cancellation)+len(o.f.Return)+len(o.f.Exchange) > 0 {
			var rejects []mallsync.Reject
			claims, rejects = m.mapClaims(o, &order)
			page.Claims = append(page.Claims, claims...)
			page.Rejects = append(page.Rejects, rejects...)
		}
		ships, err := mapShipments(o, &order, claims)
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{
				Resource: "shipment", PlatformID: o.f.OrderID, Reason: err.Error(), Raw: o.raw,
			})
		}
		page.Shipments = append(page.Shipments, ships...)
		page.Orders = append(page.Orders, order)
	}
	return page
}

func (m *mapper) mapOrder(o *orderJSON) (mallsync.Order, error) {
	f := &o.f
	if o.err != nil {
		return mallsync.Order{}, fmt.Errorf("order JSON does not decode: %s", decodeReason(o.err))
	}
	if f.OrderID == "" {
		return mallsync.Order{}, errors.New("order has no order_id")
	}
	if len(f.Items) == 0 {
		return mallsync.Order{}, errNoItems
	}
	var p timeParser
	out := mallsync.Order{
		PlatformOrderID: f.OrderID,
		Channel:         f.OrderPlaceID,
		OrderedAt:       p.required("order_date", f.OrderDate),
		PaidAt:          p.optional("payment_date", f.PaymentDate),
		Raw:             o.raw,
	}
	orderCancel := p.optional("cancel_date", f.CancelDate)
	if p.err != nil {
		return mallsync.Order{}, p.err
	}
	var err error
	payment, fee := f.PaymentAmount, ""
	if a := f.ActualOrderAmount; a != nil {
		fee = a.ShippingFee
		if a.PaymentAmount != "" {
			payment = a.PaymentAmount
		}
	}
	if out.PaymentAmount, err = won("payment_amount", payment); err != nil {
		return mallsync.Order{}, err
	}
	if out.ShippingFee, err = won("actual_order_amount.shipping_fee", fee); err != nil {
		return mallsync.Order{}, err
	}
	if b := f.Buyer; b != nil {
		out.Buyer = mallsync.Person{
			Name: b.Name, Phone: b.Phone, Cellphone: b.Cellphone, Email: b.Email, Zipcode: b.Zipcode,
			Address: joinAddress(b.Address1, b.Address2),
		}
	}
	if len(f.Receivers) > 0 {
		r := &f.Receivers[0]
		addr := r.AddressFull
		if addr == "" {
			addr = joinAddress(r.Address1, r.Address2)
		}
		out.Receiver = mallsync.Person{Name: r.Name, Phone: r.Phone, Cellphone: r.Cellphone, Zipcode: r.Zipcode, Address: addr}
	}

	orderChanged := latest(out.OrderedAt, out.PaidAt, orderCancel)
	out.ChangedAt = orderChanged
	out.Lines = make([]mallsync.OrderLine, len(f.Items))
	for i := range f.Items {
		l, err := m.mapItem(&f.Items[i], orderChanged)
		if err != nil {
			if f.Items[i].OrderItemCode == "" {
				return mallsync.Order{}, fmt.Errorf("item %d: %w", i+1, err)
			}
			return mallsync.Order{}, fmt.Errorf("item %s: %w", f.Items[i].OrderItemCode, err)
		}
		if l.ChangedAt.After(out.ChangedAt) {
			out.ChangedAt = l.ChangedAt
		}
		out.Lines[i] = l
	}
	return out, nil
}

func (m *mapper) mapItem(it *itemJSON, orderChanged time.Time) (mallsync.OrderLine, error) {
	if it.OrderItemCode == "" {
		return mallsync.OrderLine{}, errors.New("no order_item_code")
	}
	status, rule, err := m.statuses.LineStatusOf(it.OrderStatus, it.OrderStatusBeforeCS)
	if err != nil {
		return mallsync.OrderLine{}, fmt.Errorf("order_status: %s", mallsync.ErrorMessage(err))
	}
	qty, err := strconv.Atoi(string(it.Quantity))
	if err != nil || qty < 0 {
		return mallsync.OrderLine{}, fmt.Errorf("quantity %q is not a count", string(it.Quantity))
	}
	price, err := won("product_price", it.ProductPrice)
	if err != nil {
		return mallsync.OrderLine{}, err
	}
	option, err := won("option_price", it.OptionPrice)
	if err != nil {
		return mallsync.OrderLine{}, err
	}
	paid, err := won("payment_amount", it.PaymentAmount)
	if err != nil {
		return mallsync.OrderLine{}, err
	}
	var p timeParser
	shipped := p.optional("shipped_date", it.ShippedDate)
	delivered := p.optional("delivered_date", it.DeliveredDate)
	changed := latest(orderChanged, shipped, delivered,
		p.optional("purchaseconfirmation_date", it.PurchaseConfirmationDate),
		p.optional("cancel_request_date", it.CancelRequestDate),
		p.optional("cancel_date", it.CancelDate),
		p.optional("return_request_date", it.ReturnRequestDate),
		p.optional("return_collected_date", it.ReturnCollectedDate),
		p.optional("refund_date", it.RefundDate),
		p.optional("exchange_request_date", it.ExchangeRequestDate),
	)
	if p.err != nil {
		return mallsync.OrderLine{}, p.err
	}
	supplier := it.SupplierID
	if supplier == "" {
		supplier = it.SupplierCode
	}
	return mallsync.OrderLine{
		PlatformLineID: it.OrderItemCode,
		ProductNo:      string(it.ProductNo),
		ProductCode:    it.ProductCode,
		VariantCode:    it.VariantCode,
		SKU:            it.VariantCode,
		ProductName:    it.ProductName,
		OptionValue:    it.OptionValue,
		SupplierCode:   supplier,
		SupplierName:   it.SupplierName,
		Quantity:       qty,
		UnitPrice:      price + option,
		PaymentAmount:  paid,
		Status:         status,
		PlatformStatus: it.OrderStatus,
		ChangedAt:      changed,
		CarrierCode:    it.ShippingCompanyCode,
		TrackingNo:     it.TrackingNo,
		ClaimCode:      it.ClaimCode,
		ClaimKind:      rule.ClaimKind,
		ClaimStatus:    rule.ClaimStatus,
		ShippedAt:      shipped,
		DeliveredAt:    delivered,
	}, nil
}

func won(field, s string) (mallsync.Money, error) {
	m, err := mallsync.ParseWon(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %s", field, mallsync.ErrorMessage(err))
	}
	return m, nil
}

// timeParser parses Cafe24 times and remembers the first failure, so a mapping reads as a
// list of fields.
type timeParser struct{ err error }

func (p *timeParser) required(field, s string) time.Time {
	if s == "" {
		if p.err == nil {
			p.err = fmt.Errorf("%s is missing", field)
		}
		return time.Time{}
	}
	t := p.optional(field, s)
	if t == nil {
		return time.Time{}
	}
	return *t
}

func (p *timeParser) optional(field, s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := parseTime(s)
	if err != nil {
		if p.err == nil {
			p.err = fmt.Errorf("%s %q is not a date", field, s)
		}
		return nil
	}
	return &t
}

// parseTime reads a Cafe24 time: ISO 8601 with an offset ("2026-07-01T10:00:00+09:00"), or a
// KST wall clock without one ("2026-07-01 10:00:00", "2026-07-01T10:00:00"). It returns UTC.
func parseTime(s string) (time.Time, error) {
	if len(s) >= 20 && (s[len(s)-6] == '+' || s[len(s)-6] == '-' || s[len(s)-1] == 'Z') {
		t, err := time.Parse(time.RFC3339, s)
		return t.UTC(), err
	}
	for _, l := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(l, s, kst); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a Cafe24 time", s)
}

// latest returns the latest of base and the times given.
func latest(base time.Time, ts ...*time.Time) time.Time {
	for _, t := range ts {
		if t != nil && t.After(base) {
			base = *t
		}
	}
	return base
}

func joinAddress(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// decodeReason says which field failed to decode, without quoting the value (it may be
// personal data).
func decodeReason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %s is a JSON %s, want %s", te.Field, te.Value, te.Type)
	}
	return "malformed JSON"
}

// The fast page decoder.
//
// decodeFast scans the page bytes once. It validates the JSON as it goes (strings, escapes,
// numbers, literals, nesting), cuts each order's bytes out by offset and decodes only the fields
// orderFields has, skipping the others without building anything. It gives exactly what
// encoding/json gives, or gives up: it reports false when the body is not valid JSON or has a
// shape it does not handle at page level (the caller then runs decodeStd, which produces
// encoding/json's result and error), and it hands one order to json.Unmarshal when that order
// is valid JSON it does not decode itself (a field of an unexpected type, a repeated known key,
// a key with escapes or capitals that encoding/json might match case-insensitively, invalid
// UTF-8 or a lone surrogate in a string it needs, a number as a string...).
