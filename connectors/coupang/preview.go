package coupang

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// PreviewResources are the responses PreviewResponse reads, as the WING API returns them:
//
//	ordersheets             GET .../ordersheets {"code":200,"data":[…],"nextToken":…} (v5 or v4), or
//	                        one sheet: GET .../ordersheets/{shipmentBoxId} {"code":200,"data":{…}}
//	returnRequests          GET .../returnRequests {"code":200,"data":[receipts…]} (cancels and
//	                        returns: claims, and return pickups), or one receipt {"data":{…}}
//	returnWithdrawRequests  GET .../returnWithdrawRequests {"code":200,"data":[…],"nextPageIndex":…}:
//	                        withdrawn claims, without lines (the sync reads them from the receipt)
//	exchangeRequests        GET .../exchangeRequests {"code":200,"data":[…]}: exchanges, their
//	                        pickups and replacement parcels
//
// "orders" is taken for "ordersheets".
var PreviewResources = []string{"ordersheets", "returnRequests", "returnWithdrawRequests", "exchangeRequests"}

// PreviewResponse maps a saved Coupang response of resource with the code the sync runs. An
// error means the body as a whole is not that resource's answer; sheets that do not map are
// in the preview's Errors.
func PreviewResponse(resource string, body []byte, statuses mallsync.StatusMap) (connectors.Preview, error) {
	if resource == "orders" {
		resource = "ordersheets"
	}
	if !slices.Contains(PreviewResources, resource) {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "coupang preview: unknown resource %q (one of %s)", resource, strings.Join(PreviewResources, ", "))
	}
	var env struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "coupang preview: the file is not a JSON object: %v", err)
	}
	code := strings.Trim(string(env.Code), `"`)
	if code != "200" && code != "SUCCESS" {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "coupang preview: the file is not a successful answer (code %s: %s)", env.Code, env.Message)
	}
	var rows []json.RawMessage
	switch data := bytes.TrimSpace(env.Data); {
	case len(data) > 0 && data[0] == '{':
		rows = []json.RawMessage{data}
	case json.Unmarshal(data, &rows) != nil:
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "coupang preview: data is neither a sheet nor a list of them")
	}
	c := &Connector{statuses: statuses}
	p := connectors.Preview{Resource: resource}
	fail := func(what, id string, err error) {
		p.Errors = append(p.Errors, connectors.PreviewError{Record: what + " " + id, Reason: err.Error()})
	}
	switch resource {
	case "ordersheets":
		page := c.mapSheets(rows, time.Time{})
		p.Orders, p.Shipments = page.Orders, page.Shipments
		for _, r := range page.Rejects {
			p.Errors = append(p.Errors, connectors.PreviewError{Record: "order sheet " + r.PlatformID, Reason: r.Reason})
		}
	case "returnRequests":
		for _, raw := range rows {
			m, err := c.mapReceipt(raw, "", time.Time{})
			if err != nil {
				fail("return request", idOf(raw, "receiptId"), err)
				continue
			}
			p.Claims = append(p.Claims, m.claim)
			if m.pickup != nil {
				p.Shipments = append(p.Shipments, *m.pickup)
			}
		}
	case "returnWithdrawRequests":
		for _, raw := range rows {
			w, err := parseWithdrawal(raw)
			if err != nil {
				fail("return withdrawal", idOf(raw, "cancelId"), err)
				continue
			}
			at, _ := localTime(w.CreatedAt)
			rule, _ := statuses.Lookup("RETURN_WITHDRAWN")
			p.Claims = append(p.Claims, mallsync.Claim{PlatformClaimID: w.CancelID.String(), PlatformOrderID: w.OrderID.String(),
				Kind: rule.ClaimKind, Status: rule.ClaimStatus, PlatformStatus: "RETURN_WITHDRAWN", ChangedAt: at})
		}
	case "exchangeRequests":
		for _, raw := range rows {
			cl, ships, err := c.mapExchange(raw)
			if err != nil {
				fail("exchange", idOf(raw, "exchangeId"), err)
				continue
			}
			p.Claims, p.Shipments = append(p.Claims, cl), append(p.Shipments, ships...)
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
