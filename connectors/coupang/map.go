package coupang

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// money is an amount in won as Coupang gives it: a v5 money object
// {"currencyCode":"KRW","units":5000,"nanos":0} or a v4 plain number.
type money int64

// UnmarshalJSON accepts both shapes (and null, as 0).
func (m *money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*m = 0
		return nil
	case len(b) > 0 && b[0] == '{':
		var o struct {
			CurrencyCode string      `json:"currencyCode"`
			Units        json.Number `json:"units"`
			Nanos        json.Number `json:"nanos"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		if o.CurrencyCode != "" && o.CurrencyCode != "KRW" {
			return fmt.Errorf("currency %s is not KRW", o.CurrencyCode)
		}
		u, err := o.Units.Int64()
		if err != nil {
			return fmt.Errorf("money units %q: %w", o.Units, err)
		}
		*m = money(u)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("money %s is neither a number nor a money object", b)
	}
	f, err := n.Float64()
	if err != nil {
		return err
	}
	*m = money(f)
	return nil
}

// sheetJSON is one order sheet (v5, or v4 with plain numbers).
type sheetJSON struct {
	ShipmentBoxID json.Number `json:"shipmentBoxId"`
	OrderID       json.Number `json:"orderId"`
	OrderedAt     string      `json:"orderedAt"`
	PaidAt        string      `json:"paidAt"`
	Status        string      `json:"status"`
	Orderer       struct {
		Name       string `json:"name"`
		Email      string `json:"email"`
		SafeNumber string `json:"safeNumber"`
	} `json:"orderer"`
	Receiver struct {
		Name       string `json:"name"`
		SafeNumber string `json:"safeNumber"`
		Addr1      string `json:"addr1"`
		Addr2      string `json:"addr2"`
		PostCode   string `json:"postCode"`
	} `json:"receiver"`
	ShippingPrice       money      `json:"shippingPrice"`
	OrderItems          []itemJSON `json:"orderItems"`
	DeliveryCompanyName string     `json:"deliveryCompanyName"`
	InvoiceNumber       string     `json:"invoiceNumber"`
	InTransitDateTime   *string    `json:"inTrasitDateTime"` // sic
	DeliveredDate       *string    `json:"deliveredDate"`
}

type itemJSON struct {
	VendorItemID          json.Number `json:"vendorItemId"`
	VendorItemName        string      `json:"vendorItemName"`
	ShippingCount         int         `json:"shippingCount"`
	SalesPrice            money       `json:"salesPrice"`
	OrderPrice            money       `json:"orderPrice"`
	DiscountPrice         money       `json:"discountPrice"`
	ExternalVendorSkuCode string      `json:"externalVendorSkuCode"`
	SellerProductID       json.Number `json:"sellerProductId"`
	SellerProductItemName string      `json:"sellerProductItemName"`
	CancelCount           int         `json:"cancelCount"`
	HoldCountForCancel    int         `json:"holdCountForCancel"`
}

// localTime reads Coupang's times: yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd HH:mm:ss (both KST,
// the order sheets use both), or RFC 3339 with an offset and fractions.
func localTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, kst)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02 15:04:05", s, kst)
	}
	return t.UTC(), err
}

// mapSheets maps a page of order sheets. Sheets of one order become one order; a sheet that
// does not map is a Reject with its reason. Coupang says when a sheet was ordered and paid but
// not when its status last changed: the lines' change time is the pass's now, so that a later
// pass's reading wins and a reading within one pass (statuses in their order) never goes back.
// An item cancelled or returned whole (cancelCount = shippingCount) is left out: the claims
// stream owns that line from then on (see mapSheet), so the two streams never fight over it.
func (c *Connector) mapSheets(rows []json.RawMessage, passNow time.Time) mallsync.Page {
	var page mallsync.Page
	at := map[string]int{}
	for _, raw := range rows {
		o, ships, err := c.mapSheet(raw, passNow, "")
		if errors.Is(err, errTakenWhole) {
			continue
		}
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "order", PlatformID: sheetID(raw), Reason: err.Error(), Raw: raw})
			continue
		}
		if i, ok := at[o.PlatformOrderID]; ok { // another box of an order already in the page
			prev := &page.Orders[i]
			prev.Lines = append(prev.Lines, o.Lines...)
			prev.PaymentAmount += o.PaymentAmount
			prev.ShippingFee += o.ShippingFee
		} else {
			at[o.PlatformOrderID] = len(page.Orders)
			page.Orders = append(page.Orders, o)
		}
		page.Shipments = append(page.Shipments, ships...)
	}
	return page
}

func sheetID(raw json.RawMessage) string {
	var v struct {
		ShipmentBoxID json.Number `json:"shipmentBoxId"`
	}
	_ = json.Unmarshal(raw, &v)
	return v.ShipmentBoxID.String()
}

// mapSheet maps one order sheet to an order (its lines keyed shipmentBoxId-vendorItemId) and
// its parcel, once it has an invoice. A line's quantity is what is still to ship,
// shippingCount − (holdCountForCancel + cancelCount), and its amount orderPrice −
// discountPrice shared out by that quantity. An item taken whole by a claim is left out when
// taken is empty (a listed sheet), and otherwise mapped with status taken, its whole quantity
// and amount (a sheet re-read for the claim that took it, taken being the claim's code).
func (c *Connector) mapSheet(raw json.RawMessage, passNow time.Time, taken string) (mallsync.Order, []mallsync.Shipment, error) {
	var s sheetJSON
	if err := json.Unmarshal(raw, &s); err != nil {
		return mallsync.Order{}, nil, fmt.Errorf("order sheet JSON does not decode: %v", err)
	}
	if s.ShipmentBoxID == "" || s.OrderID == "" {
		return mallsync.Order{}, nil, fmt.Errorf("order sheet without shipmentBoxId or orderId")
	}
	if len(s.OrderItems) == 0 {
		return mallsync.Order{}, nil, fmt.Errorf("order sheet %s has no orderItems", s.ShipmentBoxID)
	}
	rule, ok := c.statuses.Lookup(s.Status)
	if !ok {
		return mallsync.Order{}, nil, fmt.Errorf("order sheet %s: status %q is not in coupang.yaml", s.ShipmentBoxID, s.Status)
	}
	ordered, err := localTime(s.OrderedAt)
	if err != nil {
		return mallsync.Order{}, nil, fmt.Errorf("order sheet %s: orderedAt %q is not a time", s.ShipmentBoxID, s.OrderedAt)
	}
	o := mallsync.Order{PlatformOrderID: s.OrderID.String(), Channel: "coupang", OrderedAt: ordered,
		Buyer:       mallsync.Person{Name: s.Orderer.Name, Cellphone: s.Orderer.SafeNumber, Email: s.Orderer.Email},
		Receiver:    mallsync.Person{Name: s.Receiver.Name, Cellphone: s.Receiver.SafeNumber, Zipcode: s.Receiver.PostCode, Address: strings.TrimSpace(s.Receiver.Addr1 + " " + s.Receiver.Addr2)},
		ShippingFee: mallsync.Money(s.ShippingPrice), ChangedAt: passNow, Raw: raw}
	if t, err := localTime(s.PaidAt); err == nil {
		o.PaidAt = &t
	}
	var shipped, delivered *time.Time
	for _, p := range []struct {
		s   *string
		out **time.Time
	}{{s.InTransitDateTime, &shipped}, {s.DeliveredDate, &delivered}} {
		if p.s != nil && *p.s != "" {
			t, err := localTime(*p.s)
			if err != nil {
				return mallsync.Order{}, nil, fmt.Errorf("order sheet %s: %q is not a time", s.ShipmentBoxID, *p.s)
			}
			*p.out = &t
		}
	}
	var lineIDs []string
	o.PaymentAmount = mallsync.Money(s.ShippingPrice)
	for _, it := range s.OrderItems {
		if it.VendorItemID == "" {
			return mallsync.Order{}, nil, fmt.Errorf("order sheet %s has an item without vendorItemId", s.ShipmentBoxID)
		}
		qty := it.ShippingCount - it.HoldCountForCancel - it.CancelCount
		if qty < 0 || it.CancelCount > it.ShippingCount {
			return mallsync.Order{}, nil, fmt.Errorf("order sheet %s, item %s: more cancelled than ordered", s.ShipmentBoxID, it.VendorItemID)
		}
		lineRule, status := rule, s.Status
		if it.CancelCount == it.ShippingCount && it.ShippingCount > 0 {
			if taken == "" {
				continue
			}
			if lineRule, ok = c.statuses.Lookup(taken); !ok || lineRule.KeepsPriorStatus {
				return mallsync.Order{}, nil, fmt.Errorf("order sheet %s: %q does not say what a line taken whole is", s.ShipmentBoxID, taken)
			}
			qty, status = it.ShippingCount, taken
		}
		sku := it.ExternalVendorSkuCode
		if sku == "" {
			sku = it.VendorItemID.String()
		}
		l := mallsync.OrderLine{PlatformLineID: s.ShipmentBoxID.String() + "-" + it.VendorItemID.String(),
			ProductNo: it.SellerProductID.String(), ProductCode: it.SellerProductID.String(), VariantCode: it.VendorItemID.String(), SKU: sku,
			ProductName: it.VendorItemName, OptionValue: it.SellerProductItemName, Quantity: qty,
			UnitPrice: mallsync.Money(it.SalesPrice), PaymentAmount: mallsync.Money(share(it.OrderPrice-it.DiscountPrice, it.ShippingCount, qty)),
			Status: lineRule.Line, PlatformStatus: status, ChangedAt: passNow,
			CarrierCode: s.DeliveryCompanyName, TrackingNo: s.InvoiceNumber, ShippedAt: shipped, DeliveredAt: delivered}
		o.Lines = append(o.Lines, l)
		o.PaymentAmount += l.PaymentAmount
		lineIDs = append(lineIDs, l.PlatformLineID)
	}
	if len(o.Lines) == 0 {
		return mallsync.Order{}, nil, errTakenWhole
	}
	var ships []mallsync.Shipment
	if s.InvoiceNumber != "" {
		ships = append(ships, mallsync.Shipment{PlatformShipmentID: s.ShipmentBoxID.String(), PlatformOrderID: o.PlatformOrderID,
			Kind: mallsync.ShipmentForward, CarrierCode: s.DeliveryCompanyName, TrackingNo: s.InvoiceNumber, PlatformStatus: s.Status,
			ShippedAt: shipped, DeliveredAt: delivered, ChangedAt: passNow, LineIDs: lineIDs})
	}
	return o, ships, nil
}

// errTakenWhole is a listed sheet all of whose items a claim took: nothing of it is the
// order-sheet stream's any more.
var errTakenWhole = errors.New("every item was cancelled or returned")

// share is whole shared out to qty of count items, rounded down (whole when qty = count).
func share(whole money, count, qty int) money {
	if qty == count || count == 0 {
		return whole
	}
	return whole * money(qty) / money(count)
}
