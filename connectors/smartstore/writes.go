package smartstore

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// Write-backs. SmartStore's calls are per product order (a mallsync line); each write-back is
// one call per line it names, confirmations and dispatches sharing calls of up to MaxConfirm
// and MaxDispatch:
//
//	confirm_order                 POST .../confirm {productOrderIds ≤ 30} (발주확인)
//	ship                          POST .../dispatch {dispatchProductOrders ≤ 30} (deliveryMethod DELIVERY)
//	delay_dispatch                POST .../{id}/delay {dispatchDueDate, delayedDispatchReason, dispatchDelayedDetailedReason}
//	accept_cancel                 POST .../{id}/claim/cancel/approve
//	accept_return, return_completed
//	                              POST .../{id}/claim/return/approve (Naver's 반품 승인 completes the return)
//	reject_return                 POST .../{id}/claim/return/reject {rejectReturnReason}
//	hold_return                   POST .../{id}/claim/return/holdback {holdbackClassType, holdbackReturnDetailReason, extraReturnFeeAmount}
//	release_return_hold           POST .../{id}/claim/return/holdback/release
//	accept_exchange, exchange_collected
//	                              POST .../{id}/claim/exchange/collect/approve (수거 완료 승인)
//	exchange_completed            POST .../{id}/claim/exchange/dispatch {reDeliveryMethod, reDeliveryCompany, reDeliveryTrackingNumber}
//	reject_exchange               POST .../{id}/claim/exchange/reject {rejectExchangeReason}
//
// SmartStore cannot do the others, and they come back refused (EINVALID) saying why:
// reject_cancel (Naver rejects a cancel request by dispatching: send ship), return_collected
// (Naver records a pickup from the carrier), mark_delivered (likewise for deliveries),
// correct_invoice (not built), withdraw_claim (only the buyer withdraws a claim on Naver).
//
// delay_dispatch takes ReasonCode as delayedDispatchReason (DelayReasons; ETC when empty) and
// Reason as the detailed reason; hold_return takes ReasonCode as holdbackClassType
// (ReturnHoldbackClasses; ETC when empty), Reason as its detail and ExtraFee as
// extraReturnFeeAmount.
//
// Before writing, Write reads the lines' details: a line already where the write-back would
// take it is AlreadyDone and not written again. Where each write-back takes a line:
// confirm_order, PAYED with placeOrderStatus OK, or dispatched (DELIVERING and after, not
// CANCELED); delay_dispatch,
// shippingDueDate the due date asked and delayedDispatchReason its code; hold_return, the
// return claim's holdbackStatus HOLDBACK (whatever class it was held with);
// release_return_hold, holdbackStatus RELEASED. A refusal comes as HTTP 200 with
// failProductOrderInfos; a refused line is read again, and counts as done when it is where the
// write-back would take it (a retried call whose first attempt went through), else its
// write-back is refused with Naver's code and message.

// MaxDispatch is the most product orders one dispatch call takes.
const MaxDispatch = 30

// MaxConfirm is the most product orders one confirm (발주확인) call takes.
const MaxConfirm = 30

// DelayReasons are Naver's delayedDispatchReason codes: 상품 준비 중, 고객 요청, 주문 제작, 예약
// 발송, 해외 배송, 기타.
var DelayReasons = []string{"PRODUCT_PREPARE", "CUSTOMER_REQUEST", "CUSTOM_BUILD", "RESERVED_DISPATCH", "OVERSEA_DELIVERY", "ETC"}

// ReturnHoldbackClasses are Naver's holdbackClassType codes for holding a return back: 반품
// 배송비 청구, 추가 비용 청구, 반품 배송비 + 추가 비용 청구, 반품 상품 미입고, 기타 사유.
var ReturnHoldbackClasses = []string{"RETURN_DELIVERYFEE", "EXTRAFEEE", "RETURN_DELIVERYFEE_AND_EXTRAFEEE", "RETURN_PRODUCT_NOT_DELIVERED", "ETC"}

// writeKind is what a write-back asks of one product order.
type writeKind int

const (
	wDispatch writeKind = iota
	wCancelApprove
	wReturnApprove
	wReturnReject
	wExchangeCollect
	wExchangeRedeliver
	wExchangeReject
	wConfirm
	wDelay
	wReturnHold
	wReturnRelease
)

// writePath is the per-product-order path of each kind (dispatch has its batch path).
var writePath = map[writeKind]string{
	wCancelApprove: "claim/cancel/approve", wReturnApprove: "claim/return/approve", wReturnReject: "claim/return/reject",
	wExchangeCollect: "claim/exchange/collect/approve", wExchangeRedeliver: "claim/exchange/dispatch", wExchangeReject: "claim/exchange/reject",
	wDelay: "delay", wReturnHold: "claim/return/holdback", wReturnRelease: "claim/return/holdback/release",
}

// lineWrite is one product order's part of a write-back.
type lineWrite struct {
	write int // index of the write-back
	kind  writeKind
	id    string
	w     *mallsync.WriteBack
	done  bool
	fail  string // Naver's refusal, "code: message"
}

// kindOf says what action asks of a line, or why SmartStore cannot do it.
func kindOf(w mallsync.WriteBack) (writeKind, error) {
	switch w.Action {
	case mallsync.WriteShip:
		if w.CarrierCode == "" || w.TrackingNo == "" {
			return 0, fmt.Errorf("ship needs a carrier code (CJGLS, HYUNDAI, HANJIN, KGB, EPOST, …) and a tracking number")
		}
		return wDispatch, nil
	case mallsync.WriteAcceptCancel:
		return wCancelApprove, nil
	case mallsync.WriteAcceptReturn, mallsync.WriteReturnCompleted:
		return wReturnApprove, nil
	case mallsync.WriteRejectReturn:
		return wReturnReject, nil
	case mallsync.WriteAcceptExchange, mallsync.WriteExchangeCollected:
		return wExchangeCollect, nil
	case mallsync.WriteExchangeCompleted:
		if w.CarrierCode == "" || w.TrackingNo == "" {
			return 0, fmt.Errorf("exchange_completed re-dispatches the replacement: it needs a carrier code and a tracking number")
		}
		return wExchangeRedeliver, nil
	case mallsync.WriteRejectExchange:
		return wExchangeReject, nil
	case mallsync.WriteConfirmOrder:
		return wConfirm, nil
	case mallsync.WriteDelayDispatch:
		if w.DueAt.IsZero() {
			return 0, fmt.Errorf("delay_dispatch needs the new dispatch due date (DueAt)")
		}
		if w.ReasonCode != "" && !slices.Contains(DelayReasons, w.ReasonCode) {
			return 0, fmt.Errorf("smartstore takes a delay's reason code as one of %s, not %q", strings.Join(DelayReasons, ", "), w.ReasonCode)
		}
		return wDelay, nil
	case mallsync.WriteHoldReturn:
		if w.ReasonCode != "" && !slices.Contains(ReturnHoldbackClasses, w.ReasonCode) {
			return 0, fmt.Errorf("smartstore takes a return hold's reason code as one of %s, not %q", strings.Join(ReturnHoldbackClasses, ", "), w.ReasonCode)
		}
		if w.ExtraFee < 0 {
			return 0, fmt.Errorf("hold_return's extra fee cannot be negative (%d)", w.ExtraFee)
		}
		return wReturnHold, nil
	case mallsync.WriteReleaseReturnHold:
		return wReturnRelease, nil
	case mallsync.WriteRejectCancel:
		return 0, fmt.Errorf("smartstore rejects a cancel request by dispatching the line: send ship with its invoice instead")
	case mallsync.WriteReturnCollected:
		return 0, fmt.Errorf("smartstore records a return's pickup from the carrier: there is no seller call for it")
	case mallsync.WriteMarkDelivered:
		return 0, fmt.Errorf("smartstore records deliveries from the carrier's tracking: there is no seller call for it")
	case mallsync.WriteCorrectInvoice:
		return 0, fmt.Errorf("correcting an invoice is not supported by the smartstore connector")
	case mallsync.WriteWithdrawClaim:
		return 0, fmt.Errorf("on smartstore only the buyer withdraws a claim; the seller rejects it (reject_return, reject_exchange)")
	}
	return 0, fmt.Errorf("smartstore cannot %q", w.Action)
}

// Write implements connectors.Writer.
func (c *Connector) Write(ctx context.Context, writes []mallsync.WriteBack) ([]mallsync.WriteResult, error) {
	results := make([]mallsync.WriteResult, len(writes))
	var lws []*lineWrite
	for i := range writes {
		w := &writes[i]
		kind, err := kindOf(*w)
		if err == nil && len(w.Lines) == 0 {
			err = fmt.Errorf("%s needs the lines (product orders) it is about", w.Action)
		}
		if err != nil {
			results[i] = mallsync.WriteResult{Code: mallsync.EINVALID, Message: err.Error()}
			continue
		}
		for _, l := range w.Lines {
			lws = append(lws, &lineWrite{write: i, kind: kind, id: l.PlatformLineID, w: w})
		}
	}
	if len(lws) == 0 {
		return results, nil
	}
	before, err := c.readState(ctx, lws)
	if err != nil {
		return results, err
	}
	var pending []*lineWrite
	already := map[int]bool{}
	for i := range writes {
		already[i] = true
	}
	for _, lw := range lws {
		if d, ok := before[lw.id]; ok && reached(lw, d) {
			lw.done = true
			continue
		}
		already[lw.write] = false
		pending = append(pending, lw)
	}
	if err := c.send(ctx, pending); err != nil {
		return results, err
	}
	var refused []*lineWrite
	for _, lw := range pending {
		if lw.fail != "" {
			refused = append(refused, lw)
		}
	}
	if len(refused) > 0 { // a refusal of what already went through (a retried call) is done
		after, err := c.readState(ctx, refused)
		if err != nil {
			return results, err
		}
		for _, lw := range refused {
			if d, ok := after[lw.id]; ok && reached(lw, d) {
				lw.done, lw.fail = true, ""
			}
		}
	}
	for i := range writes {
		if results[i].Code != "" {
			continue
		}
		results[i] = mallsync.WriteResult{Done: true, AlreadyDone: already[i]}
	}
	for _, lw := range lws {
		if lw.fail != "" && results[lw.write].Done {
			results[lw.write] = mallsync.WriteResult{Code: mallsync.EINVALID,
				Message: fmt.Sprintf("smartstore refused %s of product order %s: %s", lw.w.Action, lw.id, lw.fail)}
		}
	}
	return results, nil
}

// readState reads the details of the lines' product orders.
func (c *Connector) readState(ctx context.Context, lws []*lineWrite) (map[string]*detailJSON, error) {
	var ids []string
	for _, lw := range lws {
		if !slices.Contains(ids, lw.id) {
			ids = append(ids, lw.id)
		}
	}
	details, err := c.details(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("reading smartstore product orders before writing for %s: %w", c.mall.Key, err)
	}
	out := make(map[string]*detailJSON, len(details))
	for i := range details {
		out[details[i].ProductOrder.ProductOrderID] = &details[i]
	}
	return out, nil
}

// claimOf finds the claim of type typ the write-back names (its ClaimID), or the product
// order's latest of that type when it names none.
func claimOf(d *detailJSON, typ, id string) *claimJSON {
	var found *claimJSON
	consider := func(cs claimsJSON) {
		for _, b := range blocksOf(cs, false) {
			if b.typ == typ && (id == "" || b.c.ClaimID == id) {
				found = b.c
			}
		}
	}
	for _, cs := range d.CompletedClaims {
		consider(cs)
	}
	consider(claimsJSON{Cancel: d.Cancel, Return: d.Return, Exchange: d.Exchange})
	if d.CurrentClaim != nil {
		consider(*d.CurrentClaim)
	}
	return found
}

// reached reports whether the product order is where the line's write-back takes it.
func reached(lw *lineWrite, d *detailJSON) bool {
	in := func(typ string, statuses ...string) *claimJSON {
		if c := claimOf(d, typ, lw.w.ClaimID); c != nil && slices.Contains(statuses, c.ClaimStatus) {
			return c
		}
		return nil
	}
	switch lw.kind {
	case wDispatch:
		return d.Delivery != nil && d.Delivery.TrackingNumber == lw.w.TrackingNo && d.Delivery.DeliveryCompany == lw.w.CarrierCode
	case wCancelApprove:
		return in("CANCEL", "CANCEL_DONE") != nil
	case wReturnApprove:
		return in("RETURN", "RETURN_DONE") != nil
	case wReturnReject:
		return in("RETURN", "RETURN_REJECT") != nil
	case wExchangeCollect:
		return in("EXCHANGE", "COLLECT_DONE", "EXCHANGE_REDELIVERING", "EXCHANGE_DONE") != nil
	case wExchangeRedeliver:
		c := in("EXCHANGE", "EXCHANGE_REDELIVERING", "EXCHANGE_DONE")
		return c != nil && c.ReDeliveryTrackingNumber == lw.w.TrackingNo
	case wExchangeReject:
		return in("EXCHANGE", "EXCHANGE_REJECT") != nil
	case wConfirm:
		p := d.ProductOrder
		return p.ProductOrderStatus == "PAYED" && p.PlaceOrderStatus == "OK" || slices.Contains(pastPayed, p.ProductOrderStatus)
	case wDelay:
		due, err := parseTime(d.ProductOrder.ShippingDueDate)
		return err == nil && due.Equal(lw.w.DueAt.Truncate(time.Millisecond)) && d.ProductOrder.DelayedDispatchReason == codeOr(lw.w.ReasonCode)
	case wReturnHold:
		c := claimOf(d, "RETURN", lw.w.ClaimID)
		return c != nil && c.HoldbackStatus == "HOLDBACK"
	case wReturnRelease:
		c := claimOf(d, "RETURN", lw.w.ClaimID)
		return c != nil && c.HoldbackStatus == "RELEASED"
	}
	return false
}

// pastPayed are the product order statuses a line reaches once it left: it needs no 발주확인.
// A cancelled line is not among them (confirmed or not, it will not be dispatched).
var pastPayed = []string{"DELIVERING", "DELIVERED", "PURCHASE_DECIDED", "EXCHANGED", "RETURNED"}

// codeOr is a reason code, Naver's catch-all ETC when none is given.
func codeOr(code string) string {
	if code == "" {
		return "ETC"
	}
	return code
}

// answer is a write's data: partial failure is HTTP 200 with failProductOrderInfos.
type answer struct {
	Success []string `json:"successProductOrderIds"`
	Fail    []struct {
		ProductOrderID string `json:"productOrderId"`
		Code           string `json:"code"`
		Message        string `json:"message"`
	} `json:"failProductOrderInfos"`
}

// send makes the calls: confirmations first, MaxConfirm a call, then the per-line steps one
// call a line, then dispatches MaxDispatch a call.
func (c *Connector) send(ctx context.Context, lws []*lineWrite) error {
	var dispatch, confirm []*lineWrite
	for _, lw := range lws {
		switch lw.kind {
		case wDispatch:
			dispatch = append(dispatch, lw)
		case wConfirm:
			confirm = append(confirm, lw)
		}
	}
	for len(confirm) > 0 {
		n := min(len(confirm), MaxConfirm)
		batch := confirm[:n]
		ids := make([]string, n)
		for i, lw := range batch {
			ids[i] = lw.id
		}
		if err := c.writeCall(ctx, pathWrites+"/confirm", map[string]any{"productOrderIds": ids}, batch); err != nil {
			return err
		}
		confirm = confirm[n:]
	}
	for _, lw := range lws {
		if lw.kind == wDispatch || lw.kind == wConfirm {
			continue
		}
		body := map[string]any{}
		switch lw.kind {
		case wReturnReject:
			body["rejectReturnReason"] = reason(lw.w, "판매자가 반품 요청을 거부했습니다.")
		case wExchangeReject:
			body["rejectExchangeReason"] = reason(lw.w, "판매자가 교환 요청을 거부했습니다.")
		case wExchangeRedeliver:
			body["reDeliveryMethod"], body["reDeliveryCompany"], body["reDeliveryTrackingNumber"] = "DELIVERY", lw.w.CarrierCode, lw.w.TrackingNo
		case wDelay:
			body["dispatchDueDate"], body["delayedDispatchReason"] = wireTime(lw.w.DueAt), codeOr(lw.w.ReasonCode)
			body["dispatchDelayedDetailedReason"] = reason(lw.w, "판매자 사정으로 발송이 늦어집니다.")
		case wReturnHold:
			body["holdbackClassType"], body["holdbackReturnDetailReason"] = codeOr(lw.w.ReasonCode), reason(lw.w, "판매자가 반품을 보류했습니다.")
			body["extraReturnFeeAmount"] = int64(lw.w.ExtraFee)
		}
		path := pathWrites + "/" + url.PathEscape(lw.id) + "/" + writePath[lw.kind]
		if err := c.writeCall(ctx, path, body, []*lineWrite{lw}); err != nil {
			return err
		}
	}
	for len(dispatch) > 0 {
		n := min(len(dispatch), MaxDispatch)
		batch := dispatch[:n]
		items := make([]map[string]any, n)
		for i, lw := range batch {
			items[i] = map[string]any{"productOrderId": lw.id, "deliveryMethod": "DELIVERY", "deliveryCompanyCode": lw.w.CarrierCode,
				"trackingNumber": lw.w.TrackingNo, "dispatchDate": wireTime(c.tokens.now())}
		}
		if err := c.writeCall(ctx, pathWrites+"/dispatch", map[string]any{"dispatchProductOrders": items}, batch); err != nil {
			return err
		}
		dispatch = dispatch[n:]
	}
	return nil
}

const pathWrites = "/v1/pay-order/seller/product-orders"

func reason(w *mallsync.WriteBack, fallback string) string {
	if w.Reason != "" {
		return w.Reason
	}
	return fallback
}

// writeCall sends one write and marks its lines done or refused. A 4xx refusal of the whole
// call (a bad request) refuses each of its lines; other failures are errors.
func (c *Connector) writeCall(ctx context.Context, path string, body map[string]any, lws []*lineWrite) error {
	var a answer
	err := c.call(ctx, "POST", path, nil, body, &a)
	if code := mallsync.ErrorCode(err); code == mallsync.EINVALID {
		for _, lw := range lws {
			lw.fail = mallsync.ErrorMessage(err) + ": " + connectors.Redact(err.Error())
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("writing to smartstore %s for %s: %w", path, c.mall.Key, err)
	}
	fails := map[string]string{}
	for _, f := range a.Fail {
		fails[f.ProductOrderID] = f.Code + ": " + f.Message
	}
	for _, lw := range lws {
		switch {
		case fails[lw.id] != "":
			lw.fail = fails[lw.id]
		case slices.Contains(a.Success, lw.id):
			lw.done = true
		default:
			lw.fail = "the answer names it neither a success nor a failure"
		}
	}
	return nil
}

var _ connectors.Writer = (*Connector)(nil)
