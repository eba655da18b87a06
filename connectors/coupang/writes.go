package coupang

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// Write-backs. Each mallsync.WriteAction that fits is one Coupang call (a box's lines are
// named shipmentBoxId-vendorItemId, a claim by its receiptId or "E" and its exchangeId):
//
//	confirm_order      PUT  .../ordersheets/acknowledgement (≤50 boxes: ACCEPT → INSTRUCT, 상품준비중),
//	                   consecutive ones batched, each box once
//	ship               PUT  .../ordersheets/acknowledgement (≤50 boxes: ACCEPT → INSTRUCT), then
//	                   POST .../orders/invoices (≤50 invoices), consecutive ships batched
//	correct_invoice    POST .../orders/updateInvoices (≤50), consecutive ones batched
//	accept_cancel      PUT  .../returnRequests/{receiptId}/stoppedShipment (a stop-shipment request);
//	                   without a claim id: POST .../v5/.../orders/{orderId}/cancel (the seller cancels the lines)
//	reject_cancel      PUT  .../returnRequests/{receiptId}/completedShipment (이미출고, with the invoice)
//	return_collected   PUT  .../returnRequests/{receiptId}/receiveConfirmation
//	accept_return,
//	return_completed   PUT  .../returnRequests/{receiptId}/approval
//	exchange_collected PUT  .../exchangeRequests/{exchangeId}/receiveConfirmation
//	exchange_completed POST .../exchangeRequests/{exchangeId}/invoices (the replacement's invoice)
//	reject_exchange    PUT  .../exchangeRequests/{exchangeId}/rejection (Reason SOLDOUT or WITHDRAW)
//
// The others are refused as results (EINVALID) saying what Coupang cannot do: mark_delivered,
// reject_return, accept_exchange, withdraw_claim, delay_dispatch (no dispatch-delay call),
// hold_return and release_return_hold (Coupang has no return hold).
//
// confirm_order is done for a box the acknowledgement took (succeed) and already done for one
// it answers ALREADY_PROCESSED; one it answers CANCELED or NOT_FOUND is refused; a box it
// refused otherwise is read (the single sheet) and is
// already done when the sheet is past ACCEPT (INSTRUCT and after), else the write-back is
// refused with Coupang's code and message. A cancelCount
// the lines do not give (quantity 0 = the whole line) is read first (the receipt, or the
// sheet). Answers: a per-box list (succeed, resultCode), or for a claim step 200 SUCCESS; an
// answer saying it was already done ("이미 처리", ALREADY_PROCESSED) is Done and AlreadyDone,
// so a write repeated after a lost answer (the retrying client resends after a 5xx) is safe.

// refusals are the write-backs Coupang has no API for, and why.
var refusals = map[mallsync.WriteAction]string{
	mallsync.WriteMarkDelivered:  "coupang records deliveries from the carrier's tracking: a seller cannot mark a parcel delivered",
	mallsync.WriteRejectReturn:   "coupang accepts every return request itself and has no API to reject one: ask Coupang to check it (쿠팡확인요청) in WING",
	mallsync.WriteAcceptExchange: "coupang accepts exchange requests itself: confirm the pickup (exchange_collected), then ship the replacement (exchange_completed)",
	mallsync.WriteWithdrawClaim:  "only the buyer can withdraw a coupang claim",
	mallsync.WriteDelayDispatch: "coupang has no call to announce a dispatch delay (발송지연): the box stays in 상품준비중 (INSTRUCT) until its invoice is uploaded; " +
		"tell the buyer through Coupang's seller center",
	mallsync.WriteHoldReturn: "coupang has no return hold (반품 보류): confirm the return's arrival (return_collected) and approve it (accept_return), " +
		"or ask Coupang to check it (쿠팡확인요청) in WING",
	mallsync.WriteReleaseReturnHold: "coupang has no return hold (반품 보류) to release",
}

// alreadyDone says whether a Coupang answer's message says the step had already been taken.
func alreadyDone(msg string) bool {
	return strings.Contains(msg, "이미 처리") || strings.Contains(msg, "ALREADY_PROCESSED")
}

// boxList is the answer of the per-box write endpoints.
type boxList struct {
	Data struct {
		ResponseCode int `json:"responseCode"`
		ResponseList []struct {
			ShipmentBoxID json.Number `json:"shipmentBoxId"`
			Succeed       bool        `json:"succeed"`
			ResultCode    string      `json:"resultCode"`
			ResultMessage string      `json:"resultMessage"`
		} `json:"responseList"`
	} `json:"data"`
}

// lineRef is a line id split: shipmentBoxId and vendorItemId.
type lineRef struct{ box, item string }

func splitLine(id string) (lineRef, error) {
	box, item, ok := strings.Cut(id, "-")
	if _, err := strconv.ParseInt(box, 10, 64); !ok || err != nil {
		return lineRef{}, fmt.Errorf("line %q is not shipmentBoxId-vendorItemId", id)
	}
	if _, err := strconv.ParseInt(item, 10, 64); err != nil {
		return lineRef{}, fmt.Errorf("line %q is not shipmentBoxId-vendorItemId", id)
	}
	return lineRef{box, item}, nil
}

// Write implements connectors.Writer.
func (c *Connector) Write(ctx context.Context, writes []mallsync.WriteBack) ([]mallsync.WriteResult, error) {
	results := make([]mallsync.WriteResult, len(writes))
	refuse := func(i int, format string, a ...any) {
		results[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: fmt.Sprintf(format, a...)}
	}
	for i := 0; i < len(writes); {
		w := writes[i]
		if why, ok := refusals[w.Action]; ok {
			refuse(i, "%s", why)
			i++
			continue
		}
		if w.Action == mallsync.WriteConfirmOrder {
			j := i + 1 // a run of confirmations, batched
			for j < len(writes) && writes[j].Action == w.Action {
				j++
			}
			if err := c.writeAcks(ctx, writes[i:j], results[i:j]); err != nil {
				return results, fmt.Errorf("acknowledging coupang order sheets for mall %s: %w", c.mall.Key, err)
			}
			i = j
			continue
		}
		if w.Action == mallsync.WriteShip || w.Action == mallsync.WriteCorrectInvoice {
			j := i + 1 // a run of the same invoice action, batched
			for j < len(writes) && writes[j].Action == w.Action {
				j++
			}
			if err := c.writeInvoices(ctx, writes[i:j], results[i:j]); err != nil {
				return results, fmt.Errorf("writing coupang invoices for mall %s: %w", c.mall.Key, err)
			}
			i = j
			continue
		}
		r, err := c.writeClaimStep(ctx, w)
		if err != nil {
			return results, fmt.Errorf("writing coupang %s of claim %q for mall %s: %w", w.Action, w.ClaimID, c.mall.Key, err)
		}
		results[i] = r
		i++
	}
	return results, nil
}

// send signs and sends a write with a JSON body and decodes a 2xx answer into v. A 4xx
// answer comes back as its *connectors.HTTPError with a nil error, for the caller to turn
// into a result; the error is for what is no answer at all.
func (c *Connector) send(ctx context.Context, method, path string, body, v any) (*connectors.HTTPError, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encoding coupang request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(b))
	if err != nil {
		return nil, mallsync.Errorf(mallsync.EINVALID, "building coupang request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	Sign(req, c.access, c.secret, c.now())
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %v", mallsync.Errorf(mallsync.EUNAVAILABLE, "coupang unreachable"), connectors.Redact(err.Error()))
	}
	err = connectors.DecodeJSON(resp, v)
	var he *connectors.HTTPError
	if errors.As(err, &he) && he.Status >= 400 && he.Status < 500 && he.Status != http.StatusUnauthorized &&
		he.Status != http.StatusForbidden && he.Status != http.StatusTooManyRequests {
		return he, nil
	}
	return nil, err
}

func (c *Connector) vendorPath(v, rest string) string {
	return "/v2/providers/openapi/apis/api/" + v + "/vendors/" + url.PathEscape(c.vendor) + "/" + rest
}

// writeInvoices sends a run of ship (acknowledge, then upload) or correct_invoice write-backs
// in calls of at most 50 invoices, one invoice per line.
func (c *Connector) writeInvoices(ctx context.Context, ws []mallsync.WriteBack, results []mallsync.WriteResult) error {
	type dto struct {
		ShipmentBoxID         int64  `json:"shipmentBoxId"`
		OrderID               int64  `json:"orderId"`
		VendorItemID          int64  `json:"vendorItemId"`
		DeliveryCompanyCode   string `json:"deliveryCompanyCode"`
		InvoiceNumber         string `json:"invoiceNumber"`
		SplitShipping         bool   `json:"splitShipping"`
		PreSplitShipped       bool   `json:"preSplitShipped"`
		EstimatedShippingDate string `json:"estimatedShippingDate"`
	}
	var dtos []dto
	var owner []int // dtos[k] belongs to ws[owner[k]]
	for i, w := range ws {
		refs, err := c.writeLines(ctx, w)
		if err == nil && (w.CarrierCode == "" || w.TrackingNo == "") {
			err = fmt.Errorf("%s needs a carrier code and a tracking number", w.Action)
		}
		order, oerr := strconv.ParseInt(w.OrderID, 10, 64)
		if err == nil && oerr != nil {
			err = fmt.Errorf("%s needs the order id", w.Action)
		}
		if err != nil {
			if callFailed(err) {
				return err
			}
			results[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: err.Error()}
			continue
		}
		results[i] = mallsync.WriteResult{Done: true, AlreadyDone: true} // until an invoice says otherwise
		for _, r := range refs {
			box, _ := strconv.ParseInt(r.box, 10, 64)
			item, _ := strconv.ParseInt(r.item, 10, 64)
			dtos, owner = append(dtos, dto{ShipmentBoxID: box, OrderID: order, VendorItemID: item, DeliveryCompanyCode: w.CarrierCode, InvoiceNumber: w.TrackingNo}), append(owner, i)
		}
	}
	fail := func(i int, msg string) {
		if results[i].Code == "" {
			results[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: msg}
		}
	}
	for lo := 0; lo < len(dtos); lo += 50 {
		hi := min(lo+50, len(dtos))
		batch, own := dtos[lo:hi], owner[lo:hi]
		if ws[0].Action == mallsync.WriteShip {
			var boxes []int64
			for _, d := range batch {
				if len(boxes) == 0 || boxes[len(boxes)-1] != d.ShipmentBoxID {
					boxes = append(boxes, d.ShipmentBoxID)
				}
			}
			var ack boxList
			he, err := c.send(ctx, http.MethodPut, c.vendorPath("v4", "ordersheets/acknowledgement"), map[string]any{"vendorId": c.vendor, "shipmentBoxIds": boxes}, &ack)
			if err != nil {
				return err
			}
			if he != nil {
				for _, i := range own {
					fail(i, "coupang refused the acknowledgement: "+he.Message)
				}
				continue
			}
			for _, r := range ack.Data.ResponseList {
				if !r.Succeed && r.ResultCode != "ALREADY_PROCESSED" {
					for k, d := range batch {
						if strconv.FormatInt(d.ShipmentBoxID, 10) == r.ShipmentBoxID.String() {
							fail(own[k], fmt.Sprintf("box %s: %s %s", r.ShipmentBoxID, r.ResultCode, r.ResultMessage))
						}
					}
				}
			}
		}
		path := "orders/invoices"
		if ws[0].Action == mallsync.WriteCorrectInvoice {
			path = "orders/updateInvoices"
		}
		var got boxList
		he, err := c.send(ctx, http.MethodPost, c.vendorPath("v4", path), map[string]any{"vendorId": c.vendor, "orderSheetInvoiceApplyDtos": batch}, &got)
		if err != nil {
			return err
		}
		if he != nil {
			for _, i := range own {
				fail(i, "coupang refused the invoices: "+he.Message)
			}
			continue
		}
		if len(got.Data.ResponseList) != len(batch) {
			return mallsync.Errorf(mallsync.EINTERNAL, "coupang answered %d results for %d invoices", len(got.Data.ResponseList), len(batch))
		}
		for k, r := range got.Data.ResponseList {
			i := own[k]
			switch {
			case results[i].Code != "":
			case r.Succeed:
				results[i].AlreadyDone = false
			case r.ResultCode == "ALREADY_PROCESSED" || alreadyDone(r.ResultMessage):
			default:
				fail(i, fmt.Sprintf("box %s: %s %s", r.ShipmentBoxID, r.ResultCode, r.ResultMessage))
			}
		}
	}
	return nil
}

// MaxAcknowledge is the most boxes (shipmentBoxIds) one acknowledgement takes.
const MaxAcknowledge = 50

// writeAcks sends a run of confirm_order write-backs: the boxes of their lines, each once, in
// acknowledgements of at most MaxAcknowledge boxes.
func (c *Connector) writeAcks(ctx context.Context, ws []mallsync.WriteBack, results []mallsync.WriteResult) error {
	var boxes []string
	owners := map[string][]int{} // box → the write-backs it belongs to
	for i, w := range ws {
		refs, err := c.writeLines(ctx, w)
		if err != nil {
			if callFailed(err) {
				return err
			}
			results[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: err.Error()}
			continue
		}
		results[i] = mallsync.WriteResult{Done: true, AlreadyDone: true} // until a box says otherwise
		for _, r := range refs {
			if _, ok := owners[r.box]; !ok {
				boxes = append(boxes, r.box)
			}
			if o := owners[r.box]; len(o) == 0 || o[len(o)-1] != i {
				owners[r.box] = append(o, i)
			}
		}
	}
	fail := func(box, msg string) {
		for _, i := range owners[box] {
			if results[i].Code == "" {
				results[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: msg}
			}
		}
	}
	for lo := 0; lo < len(boxes); lo += MaxAcknowledge {
		batch := boxes[lo:min(lo+MaxAcknowledge, len(boxes))]
		ids := make([]json.Number, len(batch))
		for k, b := range batch {
			ids[k] = json.Number(b)
		}
		var ack boxList
		he, err := c.send(ctx, http.MethodPut, c.vendorPath("v4", "ordersheets/acknowledgement"), map[string]any{"vendorId": c.vendor, "shipmentBoxIds": ids}, &ack)
		if err != nil {
			return err
		}
		if he != nil {
			for _, b := range batch {
				fail(b, "coupang refused the acknowledgement: "+he.Message)
			}
			continue
		}
		answered := map[string]bool{}
		for _, r := range ack.Data.ResponseList {
			box := r.ShipmentBoxID.String()
			if _, ok := owners[box]; !ok || answered[box] {
				continue
			}
			answered[box] = true
			switch {
			case r.Succeed:
				for _, i := range owners[box] {
					results[i].AlreadyDone = false
				}
			case r.ResultCode == "ALREADY_PROCESSED" || alreadyDone(r.ResultMessage):
			case r.ResultCode == "CANCELED" || r.ResultCode == "NOT_FOUND":
				fail(box, fmt.Sprintf("coupang refused to acknowledge box %s: %s %s", box, r.ResultCode, r.ResultMessage))
			default:
				past, err := c.pastAccept(ctx, box)
				if err != nil {
					return err
				}
				if !past {
					fail(box, fmt.Sprintf("coupang refused to acknowledge box %s: %s %s", box, r.ResultCode, r.ResultMessage))
				}
			}
		}
		for _, b := range batch {
			if !answered[b] {
				fail(b, fmt.Sprintf("coupang's acknowledgement said nothing of box %s", b))
			}
		}
	}
	return nil
}

// pastAccept reads a box's sheet and reports whether it is past ACCEPT (acknowledged: INSTRUCT
// or later). A box Coupang does not know is not.
func (c *Connector) pastAccept(ctx context.Context, box string) (bool, error) {
	s, err := c.readSheet(ctx, box)
	switch code := mallsync.ErrorCode(err); {
	case code == mallsync.ENOTFOUND || code == mallsync.EINVALID:
		return false, nil
	case err != nil:
		return false, err
	}
	switch s.Status {
	case "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "NONE_TRACKING":
		return true, nil
	}
	return false, nil
}

// writeLines are the lines of a write-back: its Lines, or every item of the box ShipmentID
// names (read from the sheet).
func (c *Connector) writeLines(ctx context.Context, w mallsync.WriteBack) ([]lineRef, error) {
	var refs []lineRef
	for _, l := range w.Lines {
		r, err := splitLine(l.PlatformLineID)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	if len(refs) > 0 {
		return refs, nil
	}
	if w.ShipmentID == "" {
		return nil, fmt.Errorf("%s needs the lines (shipmentBoxId-vendorItemId) or the box (ShipmentID)", w.Action)
	}
	s, err := c.readSheet(ctx, w.ShipmentID)
	if err != nil {
		return nil, err
	}
	for _, it := range s.OrderItems {
		refs = append(refs, lineRef{w.ShipmentID, it.VendorItemID.String()})
	}
	return refs, nil
}

// readSheet reads one order sheet.
func (c *Connector) readSheet(ctx context.Context, box string) (sheetJSON, error) {
	var one struct {
		Data sheetJSON `json:"data"`
	}
	if err := c.getJSON(ctx, c.vendorPath("v5", "ordersheets/"+url.PathEscape(box)), url.Values{}, &one); err != nil {
		return sheetJSON{}, fmt.Errorf("reading coupang order sheet %s: %w", box, err)
	}
	return one.Data, nil
}

// claimAnswer is a claim step's answer.
type claimAnswer struct {
	Data struct {
		ResultCode    string `json:"resultCode"`
		ResultMessage string `json:"resultMessage"`
	} `json:"data"`
}

// writeClaimStep sends one claim step.
func (c *Connector) writeClaimStep(ctx context.Context, w mallsync.WriteBack) (mallsync.WriteResult, error) {
	invalid := func(format string, a ...any) (mallsync.WriteResult, error) {
		return mallsync.WriteResult{Code: mallsync.EINVALID, Message: fmt.Sprintf(format, a...)}, nil
	}
	if w.Action == mallsync.WriteAcceptCancel && w.ClaimID == "" {
		return c.sellerCancel(ctx, w)
	}
	id := w.ClaimID
	exchange := strings.HasPrefix(id, ExchangeClaimPrefix)
	id = strings.TrimPrefix(id, ExchangeClaimPrefix)
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return invalid("%s needs the claim id (a receiptId, or E and an exchangeId), got %q", w.Action, w.ClaimID)
	}
	wantExchange := w.Action == mallsync.WriteExchangeCollected || w.Action == mallsync.WriteExchangeCompleted || w.Action == mallsync.WriteRejectExchange
	if exchange != wantExchange {
		return invalid("%s does not apply to claim %s", w.Action, w.ClaimID)
	}
	var method, path string
	var body any
	rr := func(step string) string { return c.vendorPath("v4", "returnRequests/"+id+"/"+step) }
	xr := func(step string) string { return c.vendorPath("v4", "exchangeRequests/"+id+"/"+step) }
	switch w.Action {
	case mallsync.WriteAcceptCancel, mallsync.WriteAcceptReturn, mallsync.WriteReturnCompleted:
		n, err := c.cancelCount(ctx, id, w.Lines)
		if mallsync.ErrorCode(err) == mallsync.EINVALID {
			return invalid("%v", err)
		}
		if err != nil {
			return mallsync.WriteResult{}, err
		}
		method, path, body = http.MethodPut, rr("approval"), map[string]any{"vendorId": c.vendor, "receiptId": json.Number(id), "cancelCount": n}
		if w.Action == mallsync.WriteAcceptCancel {
			path = rr("stoppedShipment")
		}
	case mallsync.WriteRejectCancel:
		if w.CarrierCode == "" || w.TrackingNo == "" {
			return invalid("coupang refuses a stop-shipment request only when the parcel already left (이미출고): reject_cancel needs its carrier code and tracking number")
		}
		method, path, body = http.MethodPut, rr("completedShipment"), map[string]any{"vendorId": c.vendor, "receiptId": json.Number(id),
			"deliveryCompanyCode": w.CarrierCode, "invoiceNumber": w.TrackingNo}
	case mallsync.WriteReturnCollected:
		method, path, body = http.MethodPut, rr("receiveConfirmation"), map[string]any{"vendorId": c.vendor, "receiptId": json.Number(id)}
	case mallsync.WriteExchangeCollected:
		method, path, body = http.MethodPut, xr("receiveConfirmation"), map[string]any{"vendorId": c.vendor, "exchangeId": json.Number(id)}
	case mallsync.WriteExchangeCompleted:
		if w.CarrierCode == "" || w.TrackingNo == "" {
			return invalid("exchange_completed needs the replacement's carrier code and tracking number")
		}
		box := w.ShipmentID
		if box == "" && len(w.Lines) > 0 {
			r, err := splitLine(w.Lines[0].PlatformLineID)
			if err != nil {
				return invalid("%v", err)
			}
			box = r.box
		}
		method, path, body = http.MethodPost, xr("invoices"), []map[string]any{{"exchangeId": json.Number(id), "vendorId": c.vendor,
			"goodsDeliveryCode": w.CarrierCode, "invoiceNumber": w.TrackingNo, "shipmentBoxId": box}}
	case mallsync.WriteRejectExchange:
		code := strings.ToUpper(strings.TrimSpace(w.Reason))
		if code != "SOLDOUT" && code != "WITHDRAW" {
			return invalid("coupang rejects an exchange only as SOLDOUT (품절) or WITHDRAW (교환철회): put one of them in the reason")
		}
		method, path, body = http.MethodPut, xr("rejection"), map[string]any{"exchangeId": json.Number(id), "vendorId": c.vendor, "exchangeRejectCode": code}
	default:
		return invalid("unknown write-back %q", w.Action)
	}
	var a claimAnswer
	he, err := c.send(ctx, method, path, body, &a)
	switch {
	case err != nil:
		return mallsync.WriteResult{}, err
	case he != nil && alreadyDone(he.Message):
		return mallsync.WriteResult{Done: true, AlreadyDone: true}, nil
	case he != nil:
		return mallsync.WriteResult{Code: connectors.StatusCode(he.Status), Message: "coupang: " + he.Message}, nil
	case a.Data.ResultCode != "" && a.Data.ResultCode != "SUCCESS":
		if alreadyDone(a.Data.ResultMessage) {
			return mallsync.WriteResult{Done: true, AlreadyDone: true}, nil
		}
		return invalid("coupang: %s %s", a.Data.ResultCode, a.Data.ResultMessage)
	}
	return mallsync.WriteResult{Done: true}, nil
}

// cancelCount is the count a claim step takes: the lines' quantities when they all give one,
// otherwise the receipt's cancelCountSum (one read).
func (c *Connector) cancelCount(ctx context.Context, receiptID string, lines []mallsync.WriteLine) (int, error) {
	n := 0
	for _, l := range lines {
		if l.Quantity < 1 {
			n = 0
			break
		}
		n += l.Quantity
	}
	if n > 0 {
		return n, nil
	}
	var one struct {
		Data struct {
			CancelCountSum int `json:"cancelCountSum"`
		} `json:"data"`
	}
	if err := c.getJSON(ctx, c.vendorPath("v4", "returnRequests/"+url.PathEscape(receiptID)), url.Values{}, &one); err != nil {
		return 0, fmt.Errorf("reading coupang return request %s: %w", receiptID, err)
	}
	return one.Data.CancelCountSum, nil
}

// sellerCancel cancels the write-back's lines for the seller (accept_cancel without a claim:
// the buyer asked outside Coupang). A line's quantity 0 is what is left of it (read from its
// sheet).
func (c *Connector) sellerCancel(ctx context.Context, w mallsync.WriteBack) (mallsync.WriteResult, error) {
	if _, err := strconv.ParseInt(w.OrderID, 10, 64); err != nil || len(w.Lines) == 0 {
		return mallsync.WriteResult{Code: mallsync.EINVALID, Message: "accept_cancel without a claim id cancels lines for the seller: it needs the order id and the lines"}, nil
	}
	var ids []json.Number
	var counts []int
	sheets := map[string]sheetJSON{}
	for _, l := range w.Lines {
		r, err := splitLine(l.PlatformLineID)
		if err != nil {
			return mallsync.WriteResult{Code: mallsync.EINVALID, Message: err.Error()}, nil
		}
		n := l.Quantity
		if n < 1 {
			s, ok := sheets[r.box]
			if !ok {
				if s, err = c.readSheet(ctx, r.box); err != nil {
					return mallsync.WriteResult{}, err
				}
				sheets[r.box] = s
			}
			for _, it := range s.OrderItems {
				if it.VendorItemID.String() == r.item {
					n = it.ShippingCount - it.CancelCount - it.HoldCountForCancel
				}
			}
			if n < 1 {
				return mallsync.WriteResult{Done: true, AlreadyDone: true}, nil // nothing left to cancel
			}
		}
		ids, counts = append(ids, json.Number(r.item)), append(counts, n)
	}
	var a struct {
		Message string `json:"message"`
		Data    struct {
			FailedVendorItemIDs []json.Number `json:"failedVendorItemIds"`
		} `json:"data"`
	}
	he, err := c.send(ctx, http.MethodPost, c.vendorPath("v5", "orders/"+w.OrderID+"/cancel"), map[string]any{"orderId": json.Number(w.OrderID),
		"vendorItemIds": ids, "receiptCounts": counts, "bigCancelCode": "CANERR", "middleCancelCode": "CCTTER", "userId": c.vendor, "vendorId": c.vendor}, &a)
	switch {
	case err != nil:
		return mallsync.WriteResult{}, err
	case he != nil:
		return mallsync.WriteResult{Code: connectors.StatusCode(he.Status), Message: "coupang: " + he.Message}, nil
	case len(a.Data.FailedVendorItemIDs) == 0:
		return mallsync.WriteResult{Done: true}, nil
	case alreadyDone(a.Message) && strings.Count(a.Message, "]<=") == strings.Count(a.Message, alreadyMark):
		return mallsync.WriteResult{Done: true, AlreadyDone: len(a.Data.FailedVendorItemIDs) == len(ids)}, nil
	}
	return mallsync.WriteResult{Code: mallsync.EINVALID, Message: "coupang cancelled not all lines: " + strings.TrimSpace(a.Message)}, nil
}

// alreadyMark is how the cancel answer's message marks an item already cancelled.
const alreadyMark = "]<= 이미 처리"

var _ connectors.Writer = (*Connector)(nil)

// callFailed reports whether err is about the call, not the write-back: the platform could
// not be reached or refused our credentials or rate, so nothing is known of the write-back
// itself and Write fails rather than answer for it.
func callFailed(err error) bool {
	switch mallsync.ErrorCode(err) {
	case mallsync.EUNAVAILABLE, mallsync.EUNAUTHORIZED, mallsync.EFORBIDDEN, mallsync.ERATELIMITED:
		return true
	}
	return false
}
