package cafe24

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// PreviewResources are the responses Preview reads, each as the Admin API returns it:
//
//	orders        GET /orders {"orders":[…]} (embed=items,… as sync asks) or GET /orders/{id} {"order":{…}}
//	cancellation  GET /cancellation/{claim_code} {"cancellation":{…}}, or the bulk answers' arrays
//	return        GET /return/{claim_code} {"return":{…}}, or arrays
//	exchange      GET /exchange/{claim_code} {"exchange":{…}}, or arrays
//	shipments     GET /orders/{order_id}/shipments {"shipments":[…]} or {"shipment":{…}}
//	inventory     GET /products/{no}/variants/{code}/inventories {"inventory":{…}}, or {"inventories":[…]}
var PreviewResources = []string{"orders", "cancellation", "return", "exchange", "shipments", "inventory"}

// Preview and PreviewError are the connectors' (connectors.Preview).
type (
	Preview      = connectors.Preview
	PreviewError = connectors.PreviewError
)

// PreviewResponse maps a saved Cafe24 response of resource with the same code the sync runs.
// An error means the body as a whole is not that resource's response; records that do not
// map are in Preview.Errors. Raw payloads are left out of the records.
func PreviewResponse(resource string, body []byte, statuses mallsync.StatusMap) (Preview, error) {
	if !slices.Contains(PreviewResources, resource) {
		return Preview{}, mallsync.Errorf(mallsync.EINVALID, "cafe24 preview: unknown resource %q (one of %s)", resource, strings.Join(PreviewResources, ", "))
	}
	var envelope map[string]json.RawMessage
	if err := json.Unmarshal(body, &envelope); err != nil {
		return Preview{}, mallsync.Errorf(mallsync.EINVALID, "cafe24 preview: the file is not a JSON object: %s", decodeReason(err))
	}
	if e, ok := envelope["error"]; ok {
		return Preview{}, mallsync.Errorf(mallsync.EINVALID, "cafe24 preview: the file is an error response: %s", e)
	}
	p := Preview{Resource: resource}
	m := &mapper{statuses: statuses}
	switch resource {
	case "orders":
		list, err := oneOrMany(envelope, "orders", "order")
		if err != nil {
			return Preview{}, err
		}
		page := m.mapOrders(decodeOrders(list))
		p.Orders, p.Claims, p.Shipments = page.Orders, page.Claims, page.Shipments
		for _, r := range page.Rejects {
			p.Errors = append(p.Errors, PreviewError{Record: r.Resource + " " + r.PlatformID, Reason: r.Reason})
		}
	case "cancellation", "return", "exchange":
		kind := map[string]mallsync.ClaimKind{"cancellation": mallsync.ClaimCancel, "return": mallsync.ClaimReturn, "exchange": mallsync.ClaimExchange}[resource]
		list, err := oneOrMany(envelope, resource, resource)
		if err != nil {
			return Preview{}, err
		}
		for i, raw := range list {
			c, err := m.mapClaimObject(kind, raw)
			if err != nil {
				p.Errors = append(p.Errors, PreviewError{Record: recordName(raw, "claim_code", resource, i), Reason: err.Error()})
				continue
			}
			p.Claims = append(p.Claims, c)
		}
	case "shipments":
		list, err := oneOrMany(envelope, "shipments", "shipment")
		if err != nil {
			return Preview{}, err
		}
		for i, raw := range list {
			s, err := mapShipmentObject(raw)
			if err != nil {
				p.Errors = append(p.Errors, PreviewError{Record: recordName(raw, "shipping_code", "shipment", i), Reason: err.Error()})
				continue
			}
			p.Shipments = append(p.Shipments, s)
		}
	case "inventory":
		list, err := oneOrMany(envelope, "inventories", "inventory")
		if err != nil {
			return Preview{}, err
		}
		for i, raw := range list {
			var v variantJSON
			err := json.Unmarshal(raw, &v)
			if err != nil {
				err = fmt.Errorf("inventory: %s", decodeReason(err))
			}
			var mv mallsync.Variant
			if err == nil {
				mv, err = mapVariant(v)
			}
			if err != nil {
				p.Errors = append(p.Errors, PreviewError{Record: recordName(raw, "variant_code", "inventory", i), Reason: err.Error()})
				continue
			}
			p.Variants = append(p.Variants, mv)
		}
	}
	for i := range p.Orders {
		p.Orders[i].Raw = nil
	}
	for i := range p.Claims {
		p.Claims[i].Raw = nil
	}
	return p, nil
}

// oneOrMany returns the records under the list key (an array) or the single key (an object,
// or an array: Cafe24's bulk answers put arrays under the singular key).
func oneOrMany(envelope map[string]json.RawMessage, listKey, oneKey string) ([]json.RawMessage, error) {
	for _, k := range []string{listKey, oneKey} {
		raw, ok := envelope[k]
		if !ok {
			continue
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) > 0 && raw[0] == '{' {
			return []json.RawMessage{raw}, nil
		}
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, mallsync.Errorf(mallsync.EINVALID, "cafe24 preview: %q is neither an object nor a list", k)
		}
		return list, nil
	}
	keys := make([]string, 0, len(envelope))
	for k := range envelope {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return nil, mallsync.Errorf(mallsync.EINVALID, "cafe24 preview: the response has no %q or %q (its keys: %s): is it the right resource?",
		listKey, oneKey, strings.Join(keys, ", "))
}

// decodeOrders decodes raw orders the way a page's orders are decoded.
func decodeOrders(list []json.RawMessage) []orderJSON {
	var buf bytes.Buffer
	buf.WriteString(`{"orders":[`)
	for i, raw := range list {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(raw)
	}
	buf.WriteString(`]}`)
	p, err := decodePage(buf.Bytes())
	if err != nil {
		// Every element came from a valid JSON array: a page-level failure names each order.
		out := make([]orderJSON, len(list))
		for i := range list {
			out[i] = orderJSON{raw: list[i], err: err}
		}
		return out
	}
	return p.Orders
}

// recordName names the i-th record by its id field, or by its place.
func recordName(raw json.RawMessage, idField, what string, i int) string {
	var v map[string]json.RawMessage
	if json.Unmarshal(raw, &v) == nil {
		var id string
		if json.Unmarshal(v[idField], &id) == nil && id != "" {
			return what + " " + id
		}
	}
	return fmt.Sprintf("%s #%d", what, i+1)
}

// claimStatusWords maps the claim-level status word of the claim endpoints to the item code
// it stands for, so that the unified status still comes from the status map.
var claimStatusWords = map[mallsync.ClaimKind]map[string]string{
	mallsync.ClaimCancel:   {"accepted": "C10", "canceling": "C34", "canceled": "C40"},
	mallsync.ClaimReturn:   {"accepted": "R10", "processing": "R30", "processing+pickup": "R31", "returned": "R40"},
	mallsync.ClaimExchange: {"accept": "E10", "accepted": "E10", "processing": "E30", "processing+pickup": "E31", "collected": "E31", "exchanged": "E40"},
}

// mapClaimObject maps one claim object of the claim endpoints. Its status is, in order: a
// withdrawal (undone "T"); the status of its items that carry this claim's code and a code of
// its kind; the claim's own status word. A claim with none of these does not map.
func (m *mapper) mapClaimObject(kind mallsync.ClaimKind, raw json.RawMessage) (mallsync.Claim, error) {
	cj, err := decodeClaim(kind, raw)
	if err != nil {
		return mallsync.Claim{}, err
	}
	c := mallsync.Claim{PlatformClaimID: cj.ClaimCode, PlatformOrderID: cj.OrderID, Kind: kind,
		ReasonType: cj.ClaimReasonType, Reason: cj.ClaimReason,
		ReturnCarrierCode: cj.ReturnShippingCompanyName, ReturnTrackingNo: cj.ReturnInvoiceNo}
	prefix := kindPrefix(kind)
	var seen []string
	for _, it := range cj.Items {
		if it.OrderItemCode == "" {
			return mallsync.Claim{}, fmt.Errorf("%s claim %s has an item without order_item_code", kind, cj.ClaimCode)
		}
		qty, err := claimQuantity(it.ClaimQuantity, it.Quantity)
		if err != nil {
			return mallsync.Claim{}, fmt.Errorf("%s claim %s, item %s: %w", kind, cj.ClaimCode, it.OrderItemCode, err)
		}
		code := ""
		if strings.HasPrefix(it.OrderStatus, prefix) && it.ClaimCode == cj.ClaimCode {
			code = it.OrderStatus
		}
		if code != "" && c.PlatformStatus == "" {
			c.PlatformStatus = code
		}
		if it.OrderStatus != "" {
			seen = append(seen, fmt.Sprintf("%s is %s under claim %q", it.OrderItemCode, it.OrderStatus, it.ClaimCode))
		}
		c.Lines = append(c.Lines, mallsync.ClaimLine{PlatformLineID: it.OrderItemCode, Quantity: qty, PlatformStatus: code})
	}
	var itemStatuses []string
	for _, it := range cj.Items {
		st := it.OrderStatus
		if it.ClaimCode != cj.ClaimCode {
			st = "" // the item is in another claim: it says nothing of this one
		}
		itemStatuses = append(itemStatuses, st)
	}
	if c.PlatformStatus == "" && cj.Undone != "T" && rejectedCancel(kind, itemStatuses) {
		c.PlatformStatus = rejectedCancelCode
	}
	code := c.PlatformStatus
	if cj.Undone != "T" && code == "" && cj.Status != "" {
		word := strings.TrimSpace(cj.Status)
		if word == "processing" && cj.PickupCompleted == "T" {
			word += "+pickup"
		}
		var ok bool
		if code, ok = claimStatusWords[kind][word]; !ok {
			return mallsync.Claim{}, fmt.Errorf("%s claim %s: status %q is not one of the %s endpoint's", kind, cj.ClaimCode, cj.Status, kind)
		}
		c.PlatformStatus = strings.TrimSpace(cj.Status)
	}
	switch {
	case cj.Undone == "T":
		c.PlatformStatus, c.Status = undoneCode, mallsync.ClaimWithdrawn
	case code == "":
		detail := "its items carry no status"
		if len(seen) > 0 {
			detail = "item " + strings.Join(seen, ", item ")
		}
		return mallsync.Claim{}, fmt.Errorf("%s claim %s has no status: no status field, not withdrawn, and none of its items is in a %s… status of this claim (%s)",
			kind, cj.ClaimCode, prefix, detail)
	default:
		rule, ok := m.statuses.Lookup(code)
		if !ok || rule.ClaimStatus == "" {
			return mallsync.Claim{}, fmt.Errorf("%s claim %s: status %q is not a claim step in the status map", kind, cj.ClaimCode, code)
		}
		c.Status = rule.ClaimStatus
	}
	return c, nil
}

// claimQuantity is the claimed quantity: claim_quantity when the item has one, else quantity.
func claimQuantity(claimQty, qty json.Number) (int, error) {
	for _, n := range []json.Number{claimQty, qty} {
		if n == "" {
			continue
		}
		v, err := n.Int64()
		if err != nil || v < 0 {
			return 0, fmt.Errorf("quantity %q is not a count", n)
		}
		if v > 0 || n == qty {
			return int(v), nil
		}
	}
	return 0, errors.New("no quantity")
}

// shipmentObjectJSON is a shipment as the shipments endpoints return it.
type shipmentObjectJSON struct {
	ShippingCode          string   `json:"shipping_code"`
	OrderID               string   `json:"order_id"`
	Status                string   `json:"status"`
	TrackingNo            *string  `json:"tracking_no"`
	TrackingNoUpdatedDate string   `json:"tracking_no_updated_date"`
	ShippingCompanyCode   *string  `json:"shipping_company_code"`
	OrderItemCode         []string `json:"order_item_code"`
	Items                 []struct {
		OrderItemCode string `json:"order_item_code"`
		Status        string `json:"status"`
	} `json:"items"`
}

// shipmentStatusWords maps the shipments endpoints' status words to shipping_status codes,
// in the order a parcel goes through them.
var shipmentStatusWords = []struct{ word, code string }{{"standby", "F"}, {"shipping", "M"}, {"shipped", "T"}}

func shipmentCode(word string) (string, int, bool) {
	for i, w := range shipmentStatusWords {
		if w.word == strings.TrimSpace(word) {
			return w.code, i, true
		}
	}
	return "", -1, false
}

// mapShipmentObject maps one shipment of the shipments endpoints. Its status is the
// shipment's own, or the furthest of its items'.
func mapShipmentObject(raw json.RawMessage) (mallsync.Shipment, error) {
	var j shipmentObjectJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return mallsync.Shipment{}, fmt.Errorf("shipment JSON does not decode: %s", decodeReason(err))
	}
	if j.ShippingCode == "" {
		return mallsync.Shipment{}, errors.New("shipment has no shipping_code")
	}
	if j.TrackingNo == nil || *j.TrackingNo == "" {
		return mallsync.Shipment{}, fmt.Errorf("shipment %s has no tracking_no: mallsync records parcels once they have an invoice", j.ShippingCode)
	}
	s := mallsync.Shipment{PlatformShipmentID: j.ShippingCode, PlatformOrderID: j.OrderID, Kind: mallsync.ShipmentForward,
		TrackingNo: *j.TrackingNo, LineIDs: j.OrderItemCode}
	if j.ShippingCompanyCode != nil {
		s.CarrierCode = *j.ShippingCompanyCode
	}
	best := -1
	if j.Status != "" {
		code, rank, ok := shipmentCode(j.Status)
		if !ok {
			return mallsync.Shipment{}, fmt.Errorf("shipment %s: status %q is not standby, shipping or shipped", j.ShippingCode, j.Status)
		}
		s.PlatformStatus, best = code, rank
	}
	for _, it := range j.Items {
		if it.OrderItemCode == "" {
			return mallsync.Shipment{}, fmt.Errorf("shipment %s has an item without order_item_code", j.ShippingCode)
		}
		s.LineIDs = append(s.LineIDs, it.OrderItemCode)
		if j.Status != "" || it.Status == "" {
			continue
		}
		code, rank, ok := shipmentCode(it.Status)
		if !ok {
			return mallsync.Shipment{}, fmt.Errorf("shipment %s, item %s: status %q is not standby, shipping or shipped", j.ShippingCode, it.OrderItemCode, it.Status)
		}
		if rank > best {
			s.PlatformStatus, best = code, rank
		}
	}
	if len(s.LineIDs) == 0 {
		return mallsync.Shipment{}, fmt.Errorf("shipment %s names no items", j.ShippingCode)
	}
	if j.TrackingNoUpdatedDate != "" {
		t, err := parseTime(j.TrackingNoUpdatedDate)
		if err != nil {
			return mallsync.Shipment{}, fmt.Errorf("shipment %s: tracking_no_updated_date %q is not a time", j.ShippingCode, j.TrackingNoUpdatedDate)
		}
		s.ChangedAt = t
	}
	return s, nil
}
