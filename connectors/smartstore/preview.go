package smartstore

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// PreviewResources are the responses PreviewResponse reads, as the Commerce API returns them:
//
//	last-changed-statuses  GET  .../product-orders/last-changed-statuses {"data":{"lastChangeStatuses":[…],"more":…}}:
//	                       each row previews as an order with its one line, as the row says it
//	                       (productOrderStatus only: the row has no placeOrderStatus or claim details)
//	product-orders         POST .../product-orders/query {"data":[{order, productOrder, delivery, currentClaim, completedClaims}…]}:
//	                       orders, claims and parcels, as the sync maps them
//
// "changes" is taken for "last-changed-statuses", "orders" and "query" for "product-orders".
var PreviewResources = []string{"last-changed-statuses", "product-orders"}

// PreviewResponse maps a saved SmartStore response of resource with the code the sync runs.
// An error means the body as a whole is not that resource's answer; records that do not map
// are in the preview's Errors.
func PreviewResponse(resource string, body []byte, statuses mallsync.StatusMap) (connectors.Preview, error) {
	switch resource {
	case "changes":
		resource = "last-changed-statuses"
	case "orders", "query":
		resource = "product-orders"
	}
	if !slices.Contains(PreviewResources, resource) {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "smartstore preview: unknown resource %q (one of %s)", resource, strings.Join(PreviewResources, ", "))
	}
	var env struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "smartstore preview: the file is not a JSON object: %v", err)
	}
	if env.Code != "" || len(env.Data) == 0 {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "smartstore preview: the file is not a successful answer (code %q: %s)", env.Code, env.Message)
	}
	p := connectors.Preview{Resource: resource}
	m := mapper{statuses}
	if resource == "last-changed-statuses" {
		var ch changesJSON
		if err := json.Unmarshal(env.Data, &ch); err != nil {
			return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "smartstore preview: data is not a list of changes: %v", err)
		}
		for i, r := range ch.Rows {
			o, err := m.mapRow(r)
			if err != nil {
				id := r.ProductOrderID
				if id == "" {
					id = fmt.Sprintf("row %d", i+1)
				}
				p.Errors = append(p.Errors, connectors.PreviewError{Record: "product order " + id, Reason: err.Error()})
				continue
			}
			p.Orders = append(p.Orders, o)
		}
		return p, nil
	}
	var details []detailJSON
	if err := json.Unmarshal(env.Data, &details); err != nil {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "smartstore preview: data is not a list of product order details: %v", err)
	}
	page := m.mapDetails(nil, nil, details)
	p.Orders, p.Claims, p.Shipments = page.Orders, page.Claims, page.Shipments
	for i := range p.Orders {
		p.Orders[i].Raw = nil
	}
	for i := range p.Claims {
		p.Claims[i].Raw = nil
	}
	for _, r := range page.Rejects {
		p.Errors = append(p.Errors, connectors.PreviewError{Record: "product order " + r.PlatformID, Reason: r.Reason})
	}
	return p, nil
}

// mapRow maps one row of the changes list to an order with its one line, as far as the row
// goes.
func (m mapper) mapRow(r changeJSON) (mallsync.Order, error) {
	if r.ProductOrderID == "" || r.OrderID == "" {
		return mallsync.Order{}, fmt.Errorf("a row without productOrderId or orderId")
	}
	status, _, err := m.statuses.LineStatusOf(r.ProductOrderStatus, "")
	if err != nil {
		return mallsync.Order{}, fmt.Errorf("productOrderStatus %q is not a line status in smartstore.yaml", r.ProductOrderStatus)
	}
	changed, err := parseTime(r.LastChangedDate)
	if err != nil {
		return mallsync.Order{}, fmt.Errorf("lastChangedDate: %v", err)
	}
	paid, err := parseTime(r.PaymentDate)
	if err != nil {
		return mallsync.Order{}, fmt.Errorf("paymentDate: %v", err)
	}
	o := mallsync.Order{PlatformOrderID: r.OrderID, Channel: "smartstore", ChangedAt: changed,
		Lines: []mallsync.OrderLine{{PlatformLineID: r.ProductOrderID, Status: status, PlatformStatus: r.ProductOrderStatus, ChangedAt: changed}}}
	if !paid.IsZero() {
		o.PaidAt = &paid
	}
	return o, nil
}
