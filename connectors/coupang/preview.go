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
//	ordersheets  GET .../ordersheets {"code":200,"data":[…],"nextToken":…} (v5 or v4), or one
//	             sheet: GET .../ordersheets/{shipmentBoxId} {"code":200,"data":{…}}
//
// "orders" is taken for "ordersheets".
var PreviewResources = []string{"ordersheets"}

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
	page := c.mapSheets(rows, time.Time{})
	p := connectors.Preview{Resource: resource, Orders: page.Orders, Shipments: page.Shipments}
	for i := range p.Orders {
		p.Orders[i].Raw = nil
	}
	for _, r := range page.Rejects {
		p.Errors = append(p.Errors, connectors.PreviewError{Record: "order sheet " + r.PlatformID, Reason: r.Reason})
	}
	return p, nil
}
