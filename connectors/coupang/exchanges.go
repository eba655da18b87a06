package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/mallsync/mallsync"
)

// exchangeJSON is one exchangeRequests row.
type exchangeJSON struct {
	ExchangeID      json.Number `json:"exchangeId"`
	OrderID         json.Number `json:"orderId"`
	ExchangeStatus  string      `json:"exchangeStatus"`
	FaultType       string      `json:"faultType"`
	ReasonCode      string      `json:"reasonCode"`
	ReasonCodeText  string      `json:"reasonCodeText"`
	ReasonEtcDetail *string     `json:"reasonEtcDetail"`
	CreatedAt       string      `json:"createdAt"`
	ModifiedAt      string      `json:"modifiedAt"`
	Items           []struct {
		OrderItemID           json.Number `json:"orderItemId"`
		Quantity              int         `json:"quantity"`
		OriginalShipmentBoxID json.Number `json:"originalShipmentBoxId"`
	} `json:"exchangeItemDtoV1s"`
	DeliveryInvoiceGroupDtos []struct {
		ShipmentBoxID json.Number `json:"shipmentBoxId"`
		Invoices      []struct {
			InvoiceNumber string `json:"invoiceNumber"`
			DeliverCode   string `json:"deliverCode"`
			StatusCode    string `json:"statusCode"`
		} `json:"deliveryInvoiceDtos"`
	} `json:"deliveryInvoiceGroupDtos"`
	ReturnDeliveryDtos []struct {
		DeliveryCompanyCode string  `json:"deliveryCompanyCode"`
		DeliveryInvoiceNo   *string `json:"deliveryInvoiceNo"`
	} `json:"returnDeliveryDtos"`
}

// ExchangeClaimPrefix starts an exchange's PlatformClaimID ("E" and the exchangeId), so that
// it never meets a receiptId.
const ExchangeClaimPrefix = "E"

// mapExchange maps one exchange to its claim (lines keyed originalShipmentBoxId-orderItemId),
// its pickup parcel ("exchange-{exchangeId}-pickup") once it has an invoice, and its
// replacement parcels (kind reshipment, keyed by the replacement's shipmentBoxId).
func (c *Connector) mapExchange(raw json.RawMessage) (mallsync.Claim, []mallsync.Shipment, error) {
	var x exchangeJSON
	if err := json.Unmarshal(raw, &x); err != nil {
		return mallsync.Claim{}, nil, fmt.Errorf("exchange JSON does not decode: %v", err)
	}
	if x.ExchangeID == "" || x.OrderID == "" {
		return mallsync.Claim{}, nil, fmt.Errorf("exchange without exchangeId or orderId")
	}
	rule, ok := c.statuses.Lookup(x.ExchangeStatus)
	if !ok || rule.ClaimKind != mallsync.ClaimExchange {
		return mallsync.Claim{}, nil, fmt.Errorf("exchange %s: status %q is not an exchange step in coupang.yaml", x.ExchangeID, x.ExchangeStatus)
	}
	created, err := localTime(x.CreatedAt)
	if err != nil {
		return mallsync.Claim{}, nil, fmt.Errorf("exchange %s: createdAt %q is not a time", x.ExchangeID, x.CreatedAt)
	}
	modified, err := localTime(x.ModifiedAt)
	if err != nil {
		modified = created
	}
	if len(x.Items) == 0 {
		return mallsync.Claim{}, nil, fmt.Errorf("exchange %s has no exchangeItemDtoV1s", x.ExchangeID)
	}
	reason := x.ReasonCodeText
	if x.ReasonEtcDetail != nil && *x.ReasonEtcDetail != "" {
		reason = *x.ReasonEtcDetail
	}
	cl := mallsync.Claim{PlatformClaimID: ExchangeClaimPrefix + x.ExchangeID.String(), PlatformOrderID: x.OrderID.String(),
		Kind: mallsync.ClaimExchange, Status: rule.ClaimStatus, PlatformStatus: x.ExchangeStatus, ReasonType: x.ReasonCode,
		Reason: reason, FaultParty: faultParty(x.FaultType), RequestedAt: created, ChangedAt: modified, Raw: raw}
	var lineIDs []string
	for _, it := range x.Items {
		if it.OriginalShipmentBoxID == "" || it.OrderItemID == "" || it.Quantity < 1 {
			return mallsync.Claim{}, nil, fmt.Errorf("exchange %s has an item without originalShipmentBoxId, orderItemId or quantity", x.ExchangeID)
		}
		id := it.OriginalShipmentBoxID.String() + "-" + it.OrderItemID.String()
		cl.Lines = append(cl.Lines, mallsync.ClaimLine{PlatformLineID: id, Quantity: it.Quantity, PlatformStatus: x.ExchangeStatus})
		lineIDs = append(lineIDs, id)
	}
	var ships []mallsync.Shipment
	for _, d := range x.ReturnDeliveryDtos {
		if d.DeliveryInvoiceNo != nil && strings.TrimSpace(*d.DeliveryInvoiceNo) != "" {
			cl.ReturnCarrierCode, cl.ReturnTrackingNo = d.DeliveryCompanyCode, strings.TrimSpace(*d.DeliveryInvoiceNo)
		}
	}
	if cl.ReturnTrackingNo != "" {
		ships = append(ships, mallsync.Shipment{PlatformShipmentID: "exchange-" + x.ExchangeID.String() + "-pickup", PlatformOrderID: cl.PlatformOrderID,
			Kind: mallsync.ShipmentReturnPickup, CarrierCode: cl.ReturnCarrierCode, TrackingNo: cl.ReturnTrackingNo,
			PlatformStatus: x.ExchangeStatus, ChangedAt: modified, LineIDs: lineIDs})
	}
	for _, g := range x.DeliveryInvoiceGroupDtos {
		for _, inv := range g.Invoices {
			if g.ShipmentBoxID == "" || inv.InvoiceNumber == "" {
				continue
			}
			ships = append(ships, mallsync.Shipment{PlatformShipmentID: g.ShipmentBoxID.String(), PlatformOrderID: cl.PlatformOrderID,
				Kind: mallsync.ShipmentReshipment, CarrierCode: inv.DeliverCode, TrackingNo: inv.InvoiceNumber,
				PlatformStatus: inv.StatusCode, ChangedAt: modified, LineIDs: lineIDs})
			break // one parcel a box: the first (main) invoice
		}
	}
	return cl, ships, nil
}

// exchangesPage lists one page of exchanges of every status created in the window.
func (c *Connector) exchangesPage(ctx context.Context, cur claimCursor, to string) (mallsync.Page, string, error) {
	q := url.Values{"createdAtFrom": {cur.Day + "T00:00:00"}, "createdAtTo": {to + "T23:59:59"}, "maxPerPage": {"50"}}
	if cur.Token != "" {
		q.Set("nextToken", cur.Token)
	}
	var a answer
	if err := c.getJSON(ctx, "/v2/providers/openapi/apis/api/v4/vendors/"+url.PathEscape(c.vendor)+"/exchangeRequests", q, &a); err != nil {
		return mallsync.Page{}, "", err
	}
	var page mallsync.Page
	for _, raw := range a.Data {
		cl, ships, err := c.mapExchange(raw)
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "claim", PlatformID: idOf(raw, "exchangeId"), Reason: err.Error(), Raw: raw})
			continue
		}
		page.Claims = append(page.Claims, cl)
		page.Shipments = append(page.Shipments, ships...)
	}
	return page, a.NextToken, nil
}
