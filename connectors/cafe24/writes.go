package cafe24

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// Write-backs. Each mallsync.WriteAction is one request of a Cafe24 bulk endpoint:
//
//	ship                  POST /shipments          (≤100 a call) status shipping, a new shipping_code
//	correct_invoice       PUT  /shipments          (≤100) shipping_code, tracking_no, shipping_company_code
//	mark_delivered        PUT  /shipments          (≤100) shipping_code, status shipped
//	accept_cancel         POST /cancellation       (≤100) status canceled, recover_inventory T
//	reject_cancel         PUT  /cancellationrequests (≤100) undone T, reject_reason
//	accept_return         POST /return             (≤100) status accepted
//	reject_return         PUT  /returnrequests     (≤100) undone T, reject_reason
//	return_collected      PUT  /return             (≤10)  status processing, pickup_completed T
//	return_completed      PUT  /return             (≤10)  status returned, recover_inventory T
//	accept_exchange       POST /exchange           (≤100) status accepted, same_product T
//	reject_exchange       PUT  /exchangerequests   (≤100) undone T, reject_reason
//	exchange_collected    PUT  /exchange           (≤10)  pickup_completed T
//	exchange_completed    PUT  /exchange           (≤10)  status exchanged
//	withdraw_claim        PUT  /cancellation|/return|/exchange (≤10) undone T
//
// confirm_order, delay_dispatch, hold_return and release_return_hold come back refused
// (EINVALID, see refusals): Cafe24's Admin API as documented has no call for them. A return on
// hold shows as R12 when read, but PUT /return takes only processing and returned.
//
// Write sends the write-backs in the order given, consecutive ones to one endpoint together in
// calls of at most its cap. Answers: 200/201 all done; 207 element by element (an element with a
// numeric status ≥ 400 failed with its message); 409 "identical update" is a write that had
// already taken effect (a retry after a lost answer, or a step someone else took): done. A
// refusal (400, 404, 422) is a result, not an error. Nothing is written twice: Cafe24 answers
// a repeat with 409.

// refusals are the write-backs Cafe24's API has no call for, and why.
var refusals = map[mallsync.WriteAction]string{
	mallsync.WriteConfirmOrder:      "cafe24 has no order confirmation (발주확인) call: ship registers the invoice directly",
	mallsync.WriteDelayDispatch:     "cafe24 has no dispatch-delay (발송지연) call: the buyer is told outside the API",
	mallsync.WriteHoldReturn:        "cafe24 shows a held return as R12, but its return API (PUT /return) takes no hold status",
	mallsync.WriteReleaseReturnHold: "cafe24's return API (PUT /return) takes no hold status, so none to release: complete the return (return_completed)",
}

// writeEndpoint is where a write-back goes and how many one call takes.
type writeEndpoint struct {
	method, path, key string
	limit             int
}

// endpointOf returns w's endpoint and its request object.
func endpointOf(w mallsync.WriteBack) (writeEndpoint, map[string]any, error) {
	if why, ok := refusals[w.Action]; ok {
		return writeEndpoint{}, nil, fmt.Errorf("%s", why)
	}
	if w.OrderID == "" {
		return writeEndpoint{}, nil, fmt.Errorf("no order id")
	}
	req := map[string]any{"order_id": w.OrderID}
	items := func(withQty bool) ([]map[string]any, error) {
		if len(w.Lines) == 0 {
			return nil, fmt.Errorf("%s needs the lines it answers", w.Action)
		}
		out := make([]map[string]any, len(w.Lines))
		for i, l := range w.Lines {
			out[i] = map[string]any{"order_item_code": l.PlatformLineID}
			if withQty {
				if l.Quantity < 1 {
					return nil, fmt.Errorf("line %s: a quantity of at least 1 is needed", l.PlatformLineID)
				}
				out[i]["quantity"] = l.Quantity
			}
		}
		return out, nil
	}
	claim := func() error {
		if w.ClaimID == "" {
			return fmt.Errorf("%s needs the claim id", w.Action)
		}
		req["claim_code"] = w.ClaimID
		return nil
	}
	var err error
	var e writeEndpoint
	switch w.Action {
	case mallsync.WriteShip:
		if w.TrackingNo == "" || w.CarrierCode == "" {
			return e, nil, fmt.Errorf("ship needs a carrier code and a tracking number")
		}
		e = writeEndpoint{http.MethodPost, "/shipments", "shipments", 100}
		req["tracking_no"], req["shipping_company_code"], req["status"] = w.TrackingNo, w.CarrierCode, "shipping"
		if len(w.Lines) > 0 {
			ids := make([]string, len(w.Lines))
			for i, l := range w.Lines {
				ids[i] = l.PlatformLineID
			}
			req["order_item_code"] = ids
		}
	case mallsync.WriteCorrectInvoice, mallsync.WriteMarkDelivered:
		if w.ShipmentID == "" {
			return e, nil, fmt.Errorf("%s needs the shipment id (shipping_code)", w.Action)
		}
		e = writeEndpoint{http.MethodPut, "/shipments", "shipments", 100}
		req["shipping_code"] = w.ShipmentID
		if w.Action == mallsync.WriteMarkDelivered {
			req["status"] = "shipped"
		} else if w.TrackingNo == "" || w.CarrierCode == "" {
			return e, nil, fmt.Errorf("correct_invoice needs a carrier code and a tracking number")
		} else {
			req["tracking_no"], req["shipping_company_code"] = w.TrackingNo, w.CarrierCode
		}
	case mallsync.WriteAcceptCancel, mallsync.WriteAcceptReturn, mallsync.WriteAcceptExchange:
		e = map[mallsync.WriteAction]writeEndpoint{
			mallsync.WriteAcceptCancel:   {http.MethodPost, "/cancellation", "cancellation", 100},
			mallsync.WriteAcceptReturn:   {http.MethodPost, "/return", "return", 100},
			mallsync.WriteAcceptExchange: {http.MethodPost, "/exchange", "exchange", 100},
		}[w.Action]
		req["status"] = map[string]string{"/cancellation": "canceled", "/return": "accepted", "/exchange": "accepted"}[e.path]
		if w.Action == mallsync.WriteAcceptCancel {
			req["recover_inventory"] = "T"
		}
		if w.Action == mallsync.WriteAcceptExchange {
			req["same_product"] = "T"
		}
		req["items"], err = items(true)
	case mallsync.WriteRejectCancel, mallsync.WriteRejectReturn, mallsync.WriteRejectExchange:
		e = map[mallsync.WriteAction]writeEndpoint{
			mallsync.WriteRejectCancel:   {http.MethodPut, "/cancellationrequests", "cancellationrequests", 100},
			mallsync.WriteRejectReturn:   {http.MethodPut, "/returnrequests", "returnrequests", 100},
			mallsync.WriteRejectExchange: {http.MethodPut, "/exchangerequests", "exchangerequests", 100},
		}[w.Action]
		req["undone"], req["reject_reason"] = "T", w.Reason
		req["items"], err = items(false)
	case mallsync.WriteReturnCollected, mallsync.WriteReturnCompleted:
		e = writeEndpoint{http.MethodPut, "/return", "return", 10}
		err = claim()
		if w.Action == mallsync.WriteReturnCollected {
			req["status"], req["pickup_completed"] = "processing", "T"
		} else {
			req["status"], req["recover_inventory"] = "returned", "T"
		}
	case mallsync.WriteExchangeCollected, mallsync.WriteExchangeCompleted:
		e = writeEndpoint{http.MethodPut, "/exchange", "exchange", 10}
		err = claim()
		if w.Action == mallsync.WriteExchangeCollected {
			req["pickup_completed"] = "T"
		} else {
			req["status"] = "exchanged"
		}
	case mallsync.WriteWithdrawClaim:
		paths := map[mallsync.ClaimKind]string{mallsync.ClaimCancel: "cancellation", mallsync.ClaimReturn: "return", mallsync.ClaimExchange: "exchange"}
		p, ok := paths[w.ClaimKind]
		if !ok {
			return e, nil, fmt.Errorf("withdraw_claim needs the claim's kind (cancel, return or exchange)")
		}
		e = writeEndpoint{http.MethodPut, "/" + p, p, 10}
		err = claim()
		req["undone"] = "T"
	default:
		return e, nil, fmt.Errorf("unknown write-back %q", w.Action)
	}
	return e, req, err
}

// Write implements connectors.Writer. Write-backs go out in the order given: consecutive ones
// to the same endpoint share calls (up to its cap), so that a step given after another (a
// return accepted, then its pickup) is never sent before it.
func (c *Connector) Write(ctx context.Context, writes []mallsync.WriteBack) ([]mallsync.WriteResult, error) {
	results := make([]mallsync.WriteResult, len(writes))
	var run []int // indexes of the pending run, all to endpoint e
	var reqs []map[string]any
	var e writeEndpoint
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		got, err := c.writeCall(ctx, e, reqs)
		if err != nil {
			return fmt.Errorf("writing to cafe24 %s %s for mall %s: %w", e.method, e.path, c.mall.Key, err)
		}
		for k, i := range run {
			results[i] = got[k]
		}
		run, reqs = run[:0], reqs[:0]
		return nil
	}
	for i, w := range writes {
		we, req, err := endpointOf(w)
		if err != nil {
			results[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: err.Error()}
			continue
		}
		if len(run) > 0 && (we != e || len(run) == e.limit) {
			if err := flush(); err != nil {
				return results, err
			}
		}
		e = we
		run, reqs = append(run, i), append(reqs, req)
	}
	if err := flush(); err != nil {
		return results, err
	}
	return results, nil
}

// writeCall sends one call and reads its answer into one result per request.
func (c *Connector) writeCall(ctx context.Context, e writeEndpoint, reqs []map[string]any) ([]mallsync.WriteResult, error) {
	body := map[string]any{"requests": reqs}
	if c.api.shopNo > 0 {
		body["shop_no"] = c.api.shopNo
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, mallsync.Errorf(mallsync.EINVALID, "encoding the write: %v", err)
	}
	status, answer, err := c.api.sendJSON(ctx, e.method, e.path, b)
	if err != nil {
		return nil, err
	}
	all := func(r mallsync.WriteResult) []mallsync.WriteResult {
		out := make([]mallsync.WriteResult, len(reqs))
		for i := range out {
			out[i] = r
		}
		return out
	}
	switch {
	case status == http.StatusOK || status == http.StatusCreated:
		return all(mallsync.WriteResult{Done: true}), nil
	case status == http.StatusConflict:
		return all(mallsync.WriteResult{Done: true, AlreadyDone: true}), nil
	case status == http.StatusMultiStatus:
		var env map[string][]json.RawMessage
		if err := json.Unmarshal(answer, &env); err != nil || len(env[e.key]) != len(reqs) {
			return nil, mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 answered 207 without one %q element per request", e.key)
		}
		out := make([]mallsync.WriteResult, len(reqs))
		for i, raw := range env[e.key] {
			out[i] = elementResult(raw)
		}
		return out, nil
	case status == http.StatusBadRequest || status == http.StatusNotFound || status == http.StatusUnprocessableEntity:
		return all(refused(status, envelopeMessage(answer))), nil
	}
	return nil, mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 answered %d to a write", status)
}

// elementResult reads one element of a 207 answer.
func elementResult(raw json.RawMessage) mallsync.WriteResult {
	var el struct {
		Status  json.RawMessage `json:"status"`
		Message string          `json:"message"`
	}
	_ = json.Unmarshal(raw, &el)
	var code int
	if json.Unmarshal(el.Status, &code) != nil || code < 400 {
		return mallsync.WriteResult{Done: true} // the resource, whose status is a word
	}
	if code == http.StatusConflict {
		return mallsync.WriteResult{Done: true, AlreadyDone: true}
	}
	return refused(code, el.Message)
}

func refused(status int, msg string) mallsync.WriteResult {
	code := connectors.StatusCode(status)
	if code != mallsync.ENOTFOUND {
		code = mallsync.EINVALID
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return mallsync.WriteResult{Code: code, Message: fmt.Sprintf("cafe24 refused (%d): %s", status, msg)}
}

// envelopeMessage is the message of Cafe24's error envelope.
func envelopeMessage(b []byte) string {
	var env struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &env)
	return env.Error.Message
}

var _ connectors.Writer = (*Connector)(nil)
