package smartstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// lineCode is the status code a line is stored with: productOrderStatus, with ":OK" after
// PAYED once the seller confirmed it (발주확인, placeOrderStatus OK). mappings/platforms/
// smartstore.yaml maps it.
func lineCode(productOrderStatus, placeOrderStatus string) string {
	if productOrderStatus == "PAYED" && placeOrderStatus == "OK" {
		return "PAYED:OK"
	}
	return productOrderStatus
}

// claimCode is the status code a claim is stored with: <TYPE>:WITHDRAWN for a claim that
// ended on a step that is not final (withdrawn by the buyer), <TYPE>:HOLDBACK for an open
// claim held back, <TYPE>:COLLECTING / <TYPE>:COLLECT_DONE for the pickup steps returns and
// exchanges share, else the claimStatus.
func claimCode(claimType, claimStatus, holdbackStatus string, ended bool) string {
	final := strings.HasSuffix(claimStatus, "_DONE") && claimStatus != "COLLECT_DONE" || strings.HasSuffix(claimStatus, "_REJECT")
	switch {
	case ended && !final:
		return claimType + ":WITHDRAWN"
	case !ended && holdbackStatus == "HOLDBACK":
		return claimType + ":HOLDBACK"
	case claimStatus == "COLLECTING" || claimStatus == "COLLECT_DONE":
		return claimType + ":" + claimStatus
	}
	return claimStatus
}

// seen is what the changes list said about a product order on this page.
type seen struct {
	orderID string
	changed time.Time // lastChangedDate (the latest, when the page lists it twice)
}

// mapper maps details to records with a status map.
type mapper struct {
	statuses mallsync.StatusMap
}

// mapDetails maps the details of a page's product orders. Lines of one order become one
// order holding just those lines; a product order that does not map is a Reject with its
// reason, and so is one the changes listed but the details left out.
func (m mapper) mapDetails(listed map[string]seen, ids []string, details []detailJSON) mallsync.Page {
	var page mallsync.Page
	at := map[string]int{}
	raws := map[string][]json.RawMessage{}
	got := map[string]bool{}
	for i := range details {
		d := &details[i]
		id := d.ProductOrder.ProductOrderID
		if id == "" || got[id] {
			continue
		}
		got[id] = true
		rec, err := m.mapDetail(d, listed[id].changed)
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "product_order", PlatformID: id, Reason: err.Error(), Raw: d.Raw})
			continue
		}
		o := rec.order
		if j, ok := at[o.PlatformOrderID]; ok {
			prev := &page.Orders[j]
			prev.Lines = append(prev.Lines, o.Lines...)
			prev.ShippingFee += o.ShippingFee
			if o.ChangedAt.After(prev.ChangedAt) {
				prev.ChangedAt = o.ChangedAt
			}
		} else {
			at[o.PlatformOrderID] = len(page.Orders)
			page.Orders = append(page.Orders, o)
		}
		raws[o.PlatformOrderID] = append(raws[o.PlatformOrderID], d.Raw)
		page.Claims = append(page.Claims, rec.claims...)
		page.Shipments = append(page.Shipments, rec.shipments...)
	}
	for i := range page.Orders {
		page.Orders[i].Raw, _ = json.Marshal(raws[page.Orders[i].PlatformOrderID])
	}
	for _, id := range ids {
		if !got[id] {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "product_order", PlatformID: id,
				Reason: "the changes list named it but its details did not come back"})
		}
	}
	return page
}

// record is what one product order maps to.
type record struct {
	order     mallsync.Order
	claims    []mallsync.Claim
	shipments []mallsync.Shipment
}

// times parses the times of a detail, remembering the first failure.
type times struct{ err error }

func (p *times) parse(field, s string) time.Time {
	t, err := parseTime(s)
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("%s: %v", field, err)
	}
	return t
}

func (p *times) ptr(field, s string) *time.Time {
	t := p.parse(field, s)
	if t.IsZero() {
		return nil
	}
	return &t
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// mapDetail maps one product order's details. changed is the row's lastChangedDate; the
// records' change time is the latest of it and the dates the details carry (placeOrderDate,
// sendDate, deliveredDate, decisionDate, the claims' dates), so that a reading that saw a
// step the changes list does not report is newer than one that did not.
func (m mapper) mapDetail(d *detailJSON, changed time.Time) (record, error) {
	po := &d.ProductOrder
	if d.Order.OrderID == "" {
		return record{}, errors.New("no order.orderId")
	}
	if po.Quantity < 0 {
		return record{}, fmt.Errorf("quantity %d is not a count", po.Quantity)
	}
	code := lineCode(po.ProductOrderStatus, po.PlaceOrderStatus)
	status, _, err := m.statuses.LineStatusOf(code, "")
	if err != nil {
		return record{}, fmt.Errorf("productOrderStatus %q is not a line status in smartstore.yaml", code)
	}
	var tp times
	ordered := tp.parse("orderDate", d.Order.OrderDate)
	paid := tp.ptr("paymentDate", d.Order.PaymentDate)
	placed := tp.parse("placeOrderDate", po.PlaceOrderDate)
	decided := tp.parse("decisionDate", po.DecisionDate)
	var shipped, delivered *time.Time
	if d.Delivery != nil {
		shipped = tp.ptr("delivery.sendDate", d.Delivery.SendDate)
		delivered = tp.ptr("delivery.deliveredDate", d.Delivery.DeliveredDate)
	}
	if tp.err != nil {
		return record{}, tp.err
	}
	if ordered.IsZero() {
		return record{}, errors.New("no order.orderDate")
	}
	lineChanged := latest(changed, ordered, placed, decided, deref(paid), deref(shipped), deref(delivered))

	claims, err := m.mapClaims(d)
	if err != nil {
		return record{}, err
	}
	for _, c := range claims {
		lineChanged = latest(lineChanged, c.ChangedAt)
	}
	sku := po.OptionManageCode
	if sku == "" {
		sku = po.SellerProductCode
	}
	if sku == "" {
		sku = po.OptionCode
	}
	productCode := po.SellerProductCode
	if productCode == "" {
		productCode = po.ProductID
	}
	l := mallsync.OrderLine{PlatformLineID: po.ProductOrderID, ProductNo: po.ProductID, ProductCode: productCode,
		VariantCode: po.OptionCode, SKU: sku, ProductName: po.ProductName, OptionValue: po.ProductOption, Quantity: po.Quantity,
		UnitPrice: mallsync.Money(po.UnitPrice + po.OptionPrice), PaymentAmount: mallsync.Money(po.TotalPaymentAmount),
		Status: status, PlatformStatus: code, ChangedAt: lineChanged, ShippedAt: shipped, DeliveredAt: delivered}
	if d.Delivery != nil {
		l.CarrierCode, l.TrackingNo = d.Delivery.DeliveryCompany, d.Delivery.TrackingNumber
	}
	for i := range claims {
		if c := &claims[i]; c.Open() {
			l.ClaimCode, l.ClaimKind, l.ClaimStatus = c.PlatformClaimID, c.Kind, c.Status
		}
		claims[i].ChangedAt = latest(claims[i].ChangedAt, changed)
		claims[i].PlatformOrderID = d.Order.OrderID
	}
	a := &po.ShippingAddress
	o := mallsync.Order{PlatformOrderID: d.Order.OrderID, Channel: "smartstore", OrderedAt: ordered, PaidAt: paid,
		Buyer:         mallsync.Person{Name: d.Order.OrdererName, Cellphone: d.Order.OrdererTel},
		Receiver:      mallsync.Person{Name: a.Name, Cellphone: a.Tel1, Phone: a.Tel2, Zipcode: a.ZipCode, Address: strings.TrimSpace(a.BaseAddress + " " + a.DetailedAddress)},
		PaymentAmount: mallsync.Money(d.Order.GeneralPaymentAmount + d.Order.NaverMileagePaymentAmount + d.Order.ChargeAmountPaymentAmount + d.Order.PayLaterPaymentAmount),
		ShippingFee:   mallsync.Money(po.DeliveryFeeAmount), ChangedAt: lineChanged, Lines: []mallsync.OrderLine{l}}
	rec := record{order: o, claims: claims}
	if d.Delivery != nil && d.Delivery.TrackingNumber != "" {
		rec.shipments = append(rec.shipments, mallsync.Shipment{PlatformShipmentID: po.ProductOrderID + ":delivery", PlatformOrderID: o.PlatformOrderID,
			Kind: mallsync.ShipmentForward, CarrierCode: d.Delivery.DeliveryCompany, TrackingNo: d.Delivery.TrackingNumber,
			PlatformStatus: d.Delivery.DeliveryStatus, ShippedAt: shipped, DeliveredAt: delivered, ChangedAt: lineChanged, LineIDs: []string{po.ProductOrderID}})
	}
	for _, c := range claims {
		rec.shipments = append(rec.shipments, claimShipments(c, po.ProductOrderID)...)
	}
	return rec, nil
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// block is one claim block with its kind and whether it ended.
type block struct {
	typ   string // CANCEL, RETURN, EXCHANGE
	c     *claimJSON
	ended bool
}

func blocksOf(cs claimsJSON, ended bool) []block {
	var out []block
	for _, b := range []block{{"CANCEL", cs.Cancel, ended}, {"RETURN", cs.Return, ended}, {"EXCHANGE", cs.Exchange, ended}} {
		if b.c != nil {
			out = append(out, b)
		}
	}
	return out
}

// mapClaims maps currentClaim, completedClaims and the legacy top-level blocks (read only
// for a claim the others do not name; it is open when productOrder.claimId names it and its
// step is not final).
func (m mapper) mapClaims(d *detailJSON) ([]mallsync.Claim, error) {
	var bs []block
	if d.CurrentClaim != nil {
		bs = append(bs, blocksOf(*d.CurrentClaim, false)...)
	}
	for _, cs := range d.CompletedClaims {
		bs = append(bs, blocksOf(cs, true)...)
	}
	named := map[string]bool{}
	for _, b := range bs {
		named[b.c.ClaimID] = true
	}
	for _, b := range blocksOf(claimsJSON{Cancel: d.Cancel, Return: d.Return, Exchange: d.Exchange}, false) {
		if named[b.c.ClaimID] {
			continue
		}
		final := strings.HasSuffix(b.c.ClaimStatus, "_DONE") && b.c.ClaimStatus != "COLLECT_DONE" || strings.HasSuffix(b.c.ClaimStatus, "_REJECT")
		b.ended = d.ProductOrder.ClaimID != b.c.ClaimID || final
		bs = append(bs, b)
	}
	out := make([]mallsync.Claim, 0, len(bs))
	for _, b := range bs {
		c, err := m.mapClaim(b, d)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (m mapper) mapClaim(b block, d *detailJSON) (mallsync.Claim, error) {
	j := b.c
	if j.ClaimID == "" {
		return mallsync.Claim{}, fmt.Errorf("a %s claim without claimId", strings.ToLower(b.typ))
	}
	code := claimCode(b.typ, j.ClaimStatus, j.HoldbackStatus, b.ended)
	rule, ok := m.statuses.Lookup(code)
	if !ok || rule.ClaimStatus == "" {
		return mallsync.Claim{}, fmt.Errorf("claim %s: %q is not a claim step in smartstore.yaml", j.ClaimID, code)
	}
	var tp times
	requested := tp.parse("claimRequestDate", j.ClaimRequestDate)
	changed := latest(requested, tp.parse("collectCompletedDate", j.CollectCompletedDate),
		tp.parse("reDeliveryOperationDate", j.ReDeliveryOperationDate), tp.parse("cancelCompletedDate", j.CancelCompletedDate),
		tp.parse("returnCompletedDate", j.ReturnCompletedDate), tp.parse("exchangeCompletedDate", j.ExchangeCompletedDate))
	if tp.err != nil {
		return mallsync.Claim{}, fmt.Errorf("claim %s: %v", j.ClaimID, tp.err)
	}
	c := mallsync.Claim{PlatformClaimID: j.ClaimID, Kind: mallsync.ClaimKind(strings.ToLower(b.typ)), Status: rule.ClaimStatus,
		PlatformStatus: code, ReturnCarrierCode: j.CollectDeliveryCompany, ReturnTrackingNo: j.CollectTrackingNumber,
		RequestedAt: requested, ChangedAt: changed, Raw: j.Raw,
		Lines: []mallsync.ClaimLine{{PlatformLineID: d.ProductOrder.ProductOrderID, Quantity: d.ProductOrder.Quantity, PlatformStatus: j.ClaimStatus}}}
	switch b.typ {
	case "CANCEL":
		c.ReasonType, c.Reason = j.CancelReason, j.CancelDetailedReason
	case "RETURN":
		c.ReasonType, c.Reason = j.ReturnReason, j.ReturnDetailedReason
	default:
		c.ReasonType, c.Reason = j.ExchangeReason, j.ExchangeDetailedReason
	}
	if !c.Kind.Valid() {
		return mallsync.Claim{}, fmt.Errorf("claim %s: kind %q", j.ClaimID, b.typ)
	}
	return c, nil
}

// claimShipments are a claim's pickup (collect*) and an exchange's re-delivery.
func claimShipments(c mallsync.Claim, productOrderID string) []mallsync.Shipment {
	var j struct {
		CollectStatus            string `json:"collectStatus"`
		CollectCompletedDate     string `json:"collectCompletedDate"`
		ReDeliveryStatus         string `json:"reDeliveryStatus"`
		ReDeliveryCompany        string `json:"reDeliveryCompany"`
		ReDeliveryTrackingNumber string `json:"reDeliveryTrackingNumber"`
		ReDeliveryOperationDate  string `json:"reDeliveryOperationDate"`
	}
	_ = json.Unmarshal(c.Raw, &j) // the claim mapped from this very JSON
	var out []mallsync.Shipment
	if c.ReturnTrackingNo != "" {
		s := mallsync.Shipment{PlatformShipmentID: c.PlatformClaimID + ":collect", PlatformOrderID: c.PlatformOrderID,
			Kind: mallsync.ShipmentReturnPickup, CarrierCode: c.ReturnCarrierCode, TrackingNo: c.ReturnTrackingNo,
			PlatformStatus: j.CollectStatus, ChangedAt: c.ChangedAt, LineIDs: []string{productOrderID}}
		if t, err := parseTime(j.CollectCompletedDate); err == nil && !t.IsZero() {
			s.DeliveredAt = &t
		}
		out = append(out, s)
	}
	if j.ReDeliveryTrackingNumber != "" {
		s := mallsync.Shipment{PlatformShipmentID: c.PlatformClaimID + ":redelivery", PlatformOrderID: c.PlatformOrderID,
			Kind: mallsync.ShipmentReshipment, CarrierCode: j.ReDeliveryCompany, TrackingNo: j.ReDeliveryTrackingNumber,
			PlatformStatus: j.ReDeliveryStatus, ChangedAt: c.ChangedAt, LineIDs: []string{productOrderID}}
		if t, err := parseTime(j.ReDeliveryOperationDate); err == nil && !t.IsZero() {
			s.ShippedAt = &t
		}
		out = append(out, s)
	}
	return out
}
