package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
)

// receiptJSON is one returnRequests receipt (a cancel or a return).
type receiptJSON struct {
	ReceiptID             json.Number `json:"receiptId"`
	OrderID               json.Number `json:"orderId"`
	ReceiptType           string      `json:"receiptType"`
	ReceiptStatus         string      `json:"receiptStatus"`
	CreatedAt             string      `json:"createdAt"`
	ModifiedAt            string      `json:"modifiedAt"`
	CancelReasonCategory1 string      `json:"cancelReasonCategory1"`
	CancelReasonCategory2 string      `json:"cancelReasonCategory2"`
	CancelReason          string      `json:"cancelReason"`
	ReasonCode            string      `json:"reasonCode"`
	ReasonCodeText        string      `json:"reasonCodeText"`
	ReleaseStopStatus     string      `json:"releaseStopStatus"`
	FaultByType           string      `json:"faultByType"`
	ReturnItems           []struct {
		VendorItemID  json.Number `json:"vendorItemId"`
		PurchaseCount int         `json:"purchaseCount"`
		CancelCount   int         `json:"cancelCount"`
		ShipmentBoxID json.Number `json:"shipmentBoxId"`
	} `json:"returnItems"`
	ReturnDeliveryDtos []struct {
		DeliveryCompanyCode string  `json:"deliveryCompanyCode"`
		DeliveryInvoiceNo   *string `json:"deliveryInvoiceNo"`
	} `json:"returnDeliveryDtos"`
}

// receiptCode is the code a receipt's claim is stored with: its receiptStatus, except for
// the steps Coupang has no code of their own for (coupang.yaml): an immediate cancel
// (receiptType CANCEL) is CANCEL_COMPLETED, a stop-shipment request completed by stopping the
// parcel (releaseStopStatus 처리(출고중지)) STOP_SHIPMENT_COMPLETED.
func receiptCode(r receiptJSON) string {
	switch {
	case r.ReceiptType == "CANCEL":
		return "CANCEL_COMPLETED"
	case r.ReceiptStatus == "RETURNS_COMPLETED" && strings.Contains(r.ReleaseStopStatus, "출고중지"):
		return "STOP_SHIPMENT_COMPLETED"
	}
	return r.ReceiptStatus
}

// faultParty maps Coupang's faultByType to who bears the cost.
func faultParty(f string) string {
	switch f {
	case "CUSTOMER":
		return "buyer"
	case "VENDOR":
		return "seller"
	}
	return ""
}

// mappedReceipt is a receipt mapped: its claim, its pickup parcel when it has an invoice, and
// the boxes it took items from.
type mappedReceipt struct {
	claim  mallsync.Claim
	pickup *mallsync.Shipment
	boxes  []string
}

// mapReceipt maps one receipt; code overrides the claim's platform status when set (a
// withdrawal), and changed its change time when later than modifiedAt.
func (c *Connector) mapReceipt(raw json.RawMessage, code string, changed time.Time) (mappedReceipt, error) {
	var r receiptJSON
	if err := json.Unmarshal(raw, &r); err != nil {
		return mappedReceipt{}, fmt.Errorf("return request JSON does not decode: %v", err)
	}
	if r.ReceiptID == "" || r.OrderID == "" {
		return mappedReceipt{}, fmt.Errorf("return request without receiptId or orderId")
	}
	if code == "" {
		code = receiptCode(r)
	}
	rule, ok := c.statuses.Lookup(code)
	if !ok || !rule.ClaimKind.Valid() {
		return mappedReceipt{}, fmt.Errorf("return request %s: status %q is not a claim step in coupang.yaml", r.ReceiptID, code)
	}
	created, err := localTime(r.CreatedAt)
	if err != nil {
		return mappedReceipt{}, fmt.Errorf("return request %s: createdAt %q is not a time", r.ReceiptID, r.CreatedAt)
	}
	modified, err := localTime(r.ModifiedAt)
	if err != nil {
		modified = created
	}
	if changed.After(modified) {
		modified = changed
	}
	if len(r.ReturnItems) == 0 {
		return mappedReceipt{}, fmt.Errorf("return request %s has no returnItems", r.ReceiptID)
	}
	reason := r.CancelReason
	if reason == "" {
		reason = r.ReasonCodeText
	}
	rtype := r.ReasonCode
	if rtype == "" {
		rtype = r.CancelReasonCategory1
	}
	m := mappedReceipt{claim: mallsync.Claim{PlatformClaimID: r.ReceiptID.String(), PlatformOrderID: r.OrderID.String(),
		Kind: rule.ClaimKind, Status: rule.ClaimStatus, PlatformStatus: code, ReasonType: rtype, Reason: reason,
		FaultParty: faultParty(r.FaultByType), RequestedAt: created, ChangedAt: modified, Raw: raw}}
	var lineIDs []string
	for _, it := range r.ReturnItems {
		if it.ShipmentBoxID == "" || it.VendorItemID == "" {
			return mappedReceipt{}, fmt.Errorf("return request %s has an item without shipmentBoxId or vendorItemId", r.ReceiptID)
		}
		if it.CancelCount < 0 || it.PurchaseCount > 0 && it.CancelCount > it.PurchaseCount {
			return mappedReceipt{}, fmt.Errorf("return request %s, item %s: cancelCount %d of %d", r.ReceiptID, it.VendorItemID, it.CancelCount, it.PurchaseCount)
		}
		id := it.ShipmentBoxID.String() + "-" + it.VendorItemID.String()
		m.claim.Lines = append(m.claim.Lines, mallsync.ClaimLine{PlatformLineID: id, Quantity: it.CancelCount, PlatformStatus: code})
		lineIDs = append(lineIDs, id)
		if !containsString(m.boxes, it.ShipmentBoxID.String()) {
			m.boxes = append(m.boxes, it.ShipmentBoxID.String())
		}
	}
	for _, d := range r.ReturnDeliveryDtos {
		if d.DeliveryInvoiceNo != nil && strings.TrimSpace(*d.DeliveryInvoiceNo) != "" {
			m.claim.ReturnCarrierCode, m.claim.ReturnTrackingNo = d.DeliveryCompanyCode, strings.TrimSpace(*d.DeliveryInvoiceNo)
		}
	}
	if m.claim.ReturnTrackingNo != "" && rule.ClaimKind == mallsync.ClaimReturn {
		m.pickup = &mallsync.Shipment{PlatformShipmentID: "return-" + m.claim.PlatformClaimID, PlatformOrderID: m.claim.PlatformOrderID,
			Kind: mallsync.ShipmentReturnPickup, CarrierCode: m.claim.ReturnCarrierCode, TrackingNo: m.claim.ReturnTrackingNo,
			PlatformStatus: code, ChangedAt: modified, LineIDs: lineIDs}
	}
	return m, nil
}

// receiptsPage lists one page of receipts: status (RU, UC, PR, CC) or CANCEL. Each receipt
// that completed since the previous pass (less ReReadOverlap) has its boxes re-read, so that
// the lines it took move to canceled or returned with their prices (the receipt has none).
func (c *Connector) receiptsPage(ctx context.Context, cur claimCursor, status, to string) (mallsync.Page, string, error) {
	q := url.Values{"searchType": {"timeFrame"}, "createdAtFrom": {cur.Day + "T00:00"}, "createdAtTo": {to + "T23:59"}, "maxPerPage": {"50"}}
	if status == "CANCEL" {
		q.Set("cancelType", "CANCEL")
	} else {
		q.Set("cancelType", "RETURN")
		q.Set("status", status)
	}
	if cur.Token != "" {
		q.Set("nextToken", cur.Token)
	}
	var a answer
	if err := c.getJSON(ctx, "/v2/providers/openapi/apis/api/v6/vendors/"+url.PathEscape(c.vendor)+"/returnRequests", q, &a); err != nil {
		return mallsync.Page{}, "", err
	}
	var page mallsync.Page
	reread := map[string]string{} // box → the code of the receipt that took its items
	for _, raw := range a.Data {
		m, err := c.mapReceipt(raw, "", time.Time{})
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "claim", PlatformID: idOf(raw, "receiptId"), Reason: err.Error(), Raw: raw})
			continue
		}
		page.Claims = append(page.Claims, m.claim)
		if m.pickup != nil {
			page.Shipments = append(page.Shipments, *m.pickup)
		}
		rule, _ := c.statuses.Lookup(m.claim.PlatformStatus)
		if rule.KeepsPriorStatus || (!cur.Prev.IsZero() && m.claim.ChangedAt.Before(cur.Prev.Add(-ReReadOverlap))) {
			continue
		}
		for _, b := range m.boxes {
			reread[b] = m.claim.PlatformStatus
		}
	}
	for _, box := range slices.Sorted(maps.Keys(reread)) {
		if err := c.rereadBox(ctx, box, reread[box], cur.PassNow, &page); err != nil {
			return mallsync.Page{}, "", err
		}
	}
	return page, a.NextToken, nil
}

// rereadBox reads one sheet (it answers for cancelled and returned boxes too) and adds its
// lines to page, those taken whole with the status taken. Their change time is the pass's
// now, like the order-sheet stream's readings: a reading of the box now, later than any
// earlier reading of either stream (the order-sheet stream leaves items taken whole alone).
func (c *Connector) rereadBox(ctx context.Context, box, taken string, passNow time.Time, page *mallsync.Page) error {
	var one struct {
		Data json.RawMessage `json:"data"`
	}
	if err := c.getJSON(ctx, "/v2/providers/openapi/apis/api/v5/vendors/"+url.PathEscape(c.vendor)+"/ordersheets/"+url.PathEscape(box), url.Values{}, &one); err != nil {
		return fmt.Errorf("re-reading coupang order sheet %s: %w", box, err)
	}
	o, ships, err := c.mapSheet(one.Data, passNow, taken)
	if err != nil {
		page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "order", PlatformID: box, Reason: err.Error(), Raw: one.Data})
		return nil
	}
	page.Orders = append(page.Orders, o)
	page.Shipments = append(page.Shipments, ships...)
	return nil
}

// idOf reads the id field of a record for a Reject.
func idOf(raw json.RawMessage, field string) string {
	var v map[string]json.RawMessage
	_ = json.Unmarshal(raw, &v)
	return strings.Trim(string(v[field]), `"`)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
