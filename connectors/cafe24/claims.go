package cafe24

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// claimJSON is a claim's own fields (the object of GET /cancellation|return|exchange/{claim_code}
// and of an order's embeds).
type claimJSON struct {
	OrderID                   string `json:"order_id"`
	ClaimCode                 string `json:"claim_code"`
	ClaimReasonType           string `json:"claim_reason_type"`
	ClaimReason               string `json:"claim_reason"`
	Status                    string `json:"status"`
	Undone                    string `json:"undone"`
	PickupCompleted           string `json:"pickup_completed"`
	ReturnInvoiceNo           string `json:"return_invoice_no"`
	ReturnShippingCompanyName string `json:"return_shipping_company_name"`
}

// claimObjectJSON is a claim with its items: in an order's embeds, and from the claim
// endpoints, whose items are whole items (with their status) or, in the bulk answers, code
// and quantity.
type claimObjectJSON struct {
	claimJSON
	Items []struct {
		OrderItemCode string      `json:"order_item_code"`
		Quantity      json.Number `json:"quantity"`
		ClaimQuantity json.Number `json:"claim_quantity"`
		OrderStatus   string      `json:"order_status"`
		ClaimCode     string      `json:"claim_code"`
	} `json:"items"`
}

// decodeClaim decodes a claim object of kind and checks it names itself and its items.
func decodeClaim(kind mallsync.ClaimKind, raw json.RawMessage) (claimObjectJSON, error) {
	var cj claimObjectJSON
	if err := json.Unmarshal(raw, &cj); err != nil {
		return cj, fmt.Errorf("%s claim JSON does not decode: %s", kind, decodeReason(err))
	}
	if cj.ClaimCode == "" {
		return cj, fmt.Errorf("%s claim has no claim_code", kind)
	}
	if len(cj.Items) == 0 {
		return cj, fmt.Errorf("%s claim %s has no items", kind, cj.ClaimCode)
	}
	return cj, nil
}

// rejectedCancelCode is Cafe24's code for a rejected cancellation request. The item shows it
// until it ships; then its claim stays rejected while the item moves on (N30 …).
const rejectedCancelCode = "C11"

// rejectedCancel reports whether a cancellation claim that is not withdrawn has items that all
// moved on to normal statuses: a request that ends neither cancelled (C40) nor withdrawn was
// rejected, and the item went on to ship.
func rejectedCancel(kind mallsync.ClaimKind, itemStatuses []string) bool {
	if kind != mallsync.ClaimCancel || len(itemStatuses) == 0 {
		return false
	}
	for _, st := range itemStatuses {
		if !strings.HasPrefix(st, "N") {
			return false
		}
	}
	return true
}

// undoneCode is the platform status mallsync records for a withdrawn claim (Cafe24 has no
// code for it: the claim object says undone "T" and the item goes back to its status before).
const undoneCode = "undone"

// mapClaims maps the order's embedded claims, using the order's mapped lines (by line id) for
// their statuses and times. It sets each claimed line's ClaimKind and ClaimStatus from its
// claim. A claim that does not map is returned as a Reject; the order and its other claims go on.
func (m *mapper) mapClaims(o *orderJSON, order *mallsync.Order) ([]mallsync.Claim, []mallsync.Reject) {
	lines := make(map[string]*mallsync.OrderLine, len(order.Lines))
	items := make(map[string]*itemJSON, len(o.f.Items))
	for i := range order.Lines {
		lines[order.Lines[i].PlatformLineID] = &order.Lines[i]
		items[o.f.Items[i].OrderItemCode] = &o.f.Items[i]
	}
	var claims []mallsync.Claim
	var rejects []mallsync.Reject
	for _, group := range []struct {
		kind mallsync.ClaimKind
		raws rawList
	}{{mallsync.ClaimCancel, o.f.Cancellation}, {mallsync.ClaimReturn, o.f.Return}, {mallsync.ClaimExchange, o.f.Exchange}} {
		for _, raw := range group.raws {
			c, err := m.mapClaim(group.kind, raw, order, lines, items)
			if err != nil {
				rejects = append(rejects, mallsync.Reject{Resource: "claim", PlatformID: claimID(raw, order.PlatformOrderID),
					Reason: err.Error(), Raw: raw})
				continue
			}
			claims = append(claims, c)
		}
	}
	return claims, rejects
}

func (m *mapper) mapClaim(kind mallsync.ClaimKind, raw json.RawMessage, order *mallsync.Order,
	lines map[string]*mallsync.OrderLine, items map[string]*itemJSON) (mallsync.Claim, error) {
	cj, err := decodeClaim(kind, raw)
	if err != nil {
		return mallsync.Claim{}, err
	}
	c := mallsync.Claim{
		PlatformClaimID: cj.ClaimCode, PlatformOrderID: order.PlatformOrderID, Kind: kind,
		ReasonType: cj.ClaimReasonType, Reason: cj.ClaimReason,
		ReturnCarrierCode: cj.ReturnShippingCompanyName, ReturnTrackingNo: cj.ReturnInvoiceNo, Raw: raw,
	}
	prefix := kindPrefix(kind)
	for _, ci := range cj.Items {
		l, ok := lines[ci.OrderItemCode]
		if !ok {
			return mallsync.Claim{}, fmt.Errorf("%s claim %s names item %q, which the order does not have", kind, cj.ClaimCode, ci.OrderItemCode)
		}
		qty, err := ci.Quantity.Int64()
		if err != nil || qty < 0 {
			return mallsync.Claim{}, fmt.Errorf("%s claim %s: quantity %q of item %s is not a count", kind, cj.ClaimCode, ci.Quantity, ci.OrderItemCode)
		}
		code := l.PlatformStatus
		if !strings.HasPrefix(code, prefix) || l.ClaimCode != cj.ClaimCode {
			code = ""
		}
		c.Lines = append(c.Lines, mallsync.ClaimLine{PlatformLineID: l.PlatformLineID, Quantity: int(qty), PlatformStatus: code})
		if code != "" && c.PlatformStatus == "" {
			c.PlatformStatus = code
		}
		if l.ChangedAt.After(c.ChangedAt) {
			c.ChangedAt = l.ChangedAt
		}
		if at := requestedAt(kind, items[ci.OrderItemCode]); !at.IsZero() && (c.RequestedAt.IsZero() || at.Before(c.RequestedAt)) {
			c.RequestedAt = at
		}
	}
	statuses := make([]string, len(c.Lines))
	for i, cl := range c.Lines {
		if l := lines[cl.PlatformLineID]; l.ClaimCode == cj.ClaimCode {
			statuses[i] = l.PlatformStatus
		}
	}
	if c.PlatformStatus == "" && cj.Undone != "T" && rejectedCancel(kind, statuses) {
		c.PlatformStatus = rejectedCancelCode
	}
	switch {
	case cj.Undone == "T":
		c.PlatformStatus, c.Status = undoneCode, mallsync.ClaimWithdrawn
	case c.PlatformStatus == "":
		return mallsync.Claim{}, fmt.Errorf("%s claim %s: none of its items is in a %s… status of this claim", kind, cj.ClaimCode, prefix)
	default:
		rule, ok := m.statuses.Lookup(c.PlatformStatus)
		if !ok || rule.ClaimStatus == "" {
			return mallsync.Claim{}, fmt.Errorf("%s claim %s: status %q is not a claim step in the status map", kind, cj.ClaimCode, c.PlatformStatus)
		}
		c.Status = rule.ClaimStatus
	}
	if c.ChangedAt.IsZero() {
		c.ChangedAt = order.ChangedAt
	}
	for _, cl := range c.Lines {
		if l := lines[cl.PlatformLineID]; l.ClaimCode == "" || l.ClaimCode == c.PlatformClaimID {
			l.ClaimCode, l.ClaimKind, l.ClaimStatus = c.PlatformClaimID, c.Kind, c.Status
		}
	}
	return c, nil
}

// requestedAt is the item's request date for a claim of kind (zero when the item has none).
func requestedAt(kind mallsync.ClaimKind, it *itemJSON) time.Time {
	if it == nil {
		return time.Time{}
	}
	s := it.CancelRequestDate
	switch kind {
	case mallsync.ClaimReturn:
		s = it.ReturnRequestDate
	case mallsync.ClaimExchange:
		s = it.ExchangeRequestDate
	}
	t, err := parseTime(s)
	if err != nil || s == "" {
		return time.Time{}
	}
	return t
}

func kindPrefix(k mallsync.ClaimKind) string {
	switch k {
	case mallsync.ClaimCancel:
		return "C"
	case mallsync.ClaimReturn:
		return "R"
	}
	return "E"
}

// claimID is the claim_code of a raw claim when it has one, for naming it in a Reject.
func claimID(raw json.RawMessage, orderID string) string {
	var v struct {
		ClaimCode string `json:"claim_code"`
	}
	if json.Unmarshal(raw, &v) == nil && v.ClaimCode != "" {
		return v.ClaimCode
	}
	return orderID + "/claim"
}

// mapShipments derives the order's shipments: one forward parcel per shipping_code that has
// a tracking number (a re-shipment when it carries an exchange's replacement items), and a
// return pickup per return or exchange claim with a return invoice.
func mapShipments(o *orderJSON, order *mallsync.Order, claims []mallsync.Claim) ([]mallsync.Shipment, error) {
	byCode := map[string]*mallsync.Shipment{}
	var codes []string
	for i := range o.f.Items {
		it, l := &o.f.Items[i], &order.Lines[i]
		if it.ShippingCode == "" || it.TrackingNo == "" {
			continue
		}
		s, ok := byCode[it.ShippingCode]
		if !ok {
			s = &mallsync.Shipment{PlatformShipmentID: it.ShippingCode, PlatformOrderID: order.PlatformOrderID,
				Kind: mallsync.ShipmentForward, CarrierCode: it.ShippingCompanyCode, TrackingNo: it.TrackingNo,
				PlatformStatus: "M"}
			byCode[it.ShippingCode] = s
			codes = append(codes, it.ShippingCode)
		} else if s.TrackingNo != it.TrackingNo || s.CarrierCode != it.ShippingCompanyCode {
			return nil, fmt.Errorf("shipment %s: items carry different invoices (%s %s, %s %s)", it.ShippingCode,
				s.CarrierCode, s.TrackingNo, it.ShippingCompanyCode, it.TrackingNo)
		}
		if len(it.OriginalItemNo) > 0 {
			s.Kind = mallsync.ShipmentReshipment
		}
		s.LineIDs = append(s.LineIDs, l.PlatformLineID)
		if l.ShippedAt != nil && (s.ShippedAt == nil || l.ShippedAt.Before(*s.ShippedAt)) {
			s.ShippedAt = l.ShippedAt
		}
		if l.DeliveredAt != nil && (s.DeliveredAt == nil || l.DeliveredAt.After(*s.DeliveredAt)) {
			s.DeliveredAt = l.DeliveredAt
		}
		s.ChangedAt = latest(s.ChangedAt, l.ShippedAt, l.DeliveredAt)
	}
	sort.Strings(codes)
	out := make([]mallsync.Shipment, 0, len(codes))
	for _, code := range codes {
		s := byCode[code]
		if s.DeliveredAt != nil {
			s.PlatformStatus = "T"
		}
		if s.ChangedAt.IsZero() {
			s.ChangedAt = order.ChangedAt
		}
		out = append(out, *s)
	}
	for _, c := range claims {
		if c.ReturnTrackingNo == "" || c.Kind == mallsync.ClaimCancel {
			continue
		}
		s := mallsync.Shipment{PlatformShipmentID: c.PlatformClaimID, PlatformOrderID: order.PlatformOrderID,
			Kind: mallsync.ShipmentReturnPickup, CarrierCode: c.ReturnCarrierCode, TrackingNo: c.ReturnTrackingNo,
			PlatformStatus: c.PlatformStatus, ChangedAt: c.ChangedAt}
		for _, l := range c.Lines {
			s.LineIDs = append(s.LineIDs, l.PlatformLineID)
		}
		out = append(out, s)
	}
	return out, nil
}

// errNoItems is the reason for an order without items.
var errNoItems = errors.New("order has no items (the API gives them with embed=items)")
