package coupangsim

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// alreadyMsg starts every answer to a write that had already taken effect.
const alreadyMsg = "이미 처리된 요청입니다."

// The per-box write answer: {"code":200,"data":{"responseCode":0|1|99,"responseList":[…]}}.
type boxResult struct {
	ShipmentBoxID int64  `json:"shipmentBoxId"`
	Succeed       bool   `json:"succeed"`
	ResultCode    string `json:"resultCode"` // OK, ALREADY_PROCESSED, INVALID_STATUS, NOT_FOUND, CANCELED
	RetryRequired bool   `json:"retryRequired"`
	ResultMessage string `json:"resultMessage"`
}

func boxAnswer(list []boxResult) (int, any) {
	code, msg, ok := 0, "SUCCESS", 0
	for _, r := range list {
		if r.Succeed {
			ok++
		}
	}
	switch {
	case ok == 0 && len(list) > 0:
		code, msg = 99, "FAILED"
	case ok < len(list):
		code, msg = 1, "PARTIAL_ERROR"
	}
	return http.StatusOK, map[string]any{"code": 200, "message": "OK",
		"data": map[string]any{"responseCode": code, "responseMessage": msg, "responseList": list}}
}

func decode(r *http.Request, v any) bool {
	return json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v) == nil
}

// acknowledge serves PUT .../v4/vendors/{vendorId}/ordersheets/acknowledgement: up to 50
// boxes ACCEPT → INSTRUCT. A box past ACCEPT answers ALREADY_PROCESSED.
func (s *Server) acknowledge(c call) (int, any) {
	var req struct {
		VendorID       string  `json:"vendorId"`
		ShipmentBoxIDs []int64 `json:"shipmentBoxIds"`
	}
	if !decode(c.r, &req) || len(req.ShipmentBoxIDs) == 0 {
		return bad("vendorId and shipmentBoxIds are required")
	}
	if len(req.ShipmentBoxIDs) > 50 {
		return bad("shipmentBoxIds: at most 50 a call")
	}
	list := make([]boxResult, len(req.ShipmentBoxIDs))
	for k, id := range req.ShipmentBoxIDs {
		list[k] = boxResult{ShipmentBoxID: id}
		i, v, ok := s.boxNow(id, c)
		switch {
		case !ok:
			list[k].ResultCode, list[k].ResultMessage = "NOT_FOUND", "발주서가 없습니다."
		case v.gone:
			list[k].ResultCode, list[k].ResultMessage = "CANCELED", "취소된 발주서입니다."
		case v.status != "ACCEPT":
			list[k].ResultCode, list[k].ResultMessage = "ALREADY_PROCESSED", alreadyMsg
		default:
			b := &s.boxes[i]
			b.steps[0] = c.now
			if ci, ok := s.claimOf[i]; ok && s.claims[ci].kind == paidCancel && s.claims[ci].created > c.now {
				s.claims[ci].created = never // the buyer's cancel would have come too late
			}
			list[k].Succeed, list[k].ResultCode, list[k].ResultMessage = true, "OK", "상품준비중으로 변경되었습니다."
		}
	}
	return boxAnswer(list)
}

// boxNow finds a box by shipmentBoxId and views it at the call's moment.
func (s *Server) boxNow(id int64, c call) (int, boxView, bool) {
	i, ok := s.boxByID[id]
	if !ok {
		return 0, boxView{}, false
	}
	v, ok := s.view(i, c.now, c.f)
	return i, v, ok
}

// invoiceDto is one element of orderSheetInvoiceApplyDtos.
type invoiceDto struct {
	ShipmentBoxID       int64  `json:"shipmentBoxId"`
	OrderID             int64  `json:"orderId"`
	VendorItemID        int64  `json:"vendorItemId"`
	DeliveryCompanyCode string `json:"deliveryCompanyCode"`
	InvoiceNumber       string `json:"invoiceNumber"`
}

// uploadInvoices serves POST .../v4/vendors/{vendorId}/orders/invoices: up to 50 invoices of
// INSTRUCT boxes, which depart. The same invoice again answers ALREADY_PROCESSED.
func (s *Server) uploadInvoices(c call) (int, any) { return s.invoices(c, false) }

// updateInvoices serves POST .../orders/updateInvoices: the invoice of a departed box that is
// not delivered yet is replaced.
func (s *Server) updateInvoices(c call) (int, any) { return s.invoices(c, true) }

func (s *Server) invoices(c call, update bool) (int, any) {
	var req struct {
		VendorID string       `json:"vendorId"`
		Dtos     []invoiceDto `json:"orderSheetInvoiceApplyDtos"`
	}
	if !decode(c.r, &req) || len(req.Dtos) == 0 {
		return bad("vendorId and orderSheetInvoiceApplyDtos are required")
	}
	if len(req.Dtos) > 50 {
		return bad("orderSheetInvoiceApplyDtos: at most 50 a call")
	}
	list := make([]boxResult, len(req.Dtos))
	for k, d := range req.Dtos {
		list[k] = boxResult{ShipmentBoxID: d.ShipmentBoxID}
		i, v, ok := s.boxNow(d.ShipmentBoxID, c)
		fail := func(code, msg string) { list[k].ResultCode, list[k].ResultMessage = code, msg }
		if !ok || s.boxes[i].orderID != d.OrderID || v.cancel[d.VendorItemID]+v.hold[d.VendorItemID] < 0 {
			fail("NOT_FOUND", "발주서가 없습니다.")
			continue
		}
		b := &s.boxes[i]
		carrier, inv, departed := b.forward(v.status)
		switch {
		case d.InvoiceNumber == "" || d.DeliveryCompanyCode == "":
			fail("INVALID_PARAMETER", "deliveryCompanyCode와 invoiceNumber가 필요합니다.")
		case v.gone:
			fail("CANCELED", "취소된 발주서입니다.")
		case departed && inv == d.InvoiceNumber && carrier == carrierName(d.DeliveryCompanyCode):
			fail("ALREADY_PROCESSED", alreadyMsg)
		case !update && v.status == "ACCEPT":
			fail("INVALID_STATUS", "발주확인(상품준비중) 후에 송장을 등록할 수 있습니다.")
		case !update && departed:
			fail("INVALID_STATUS", "이미 송장이 등록된 발주서입니다: updateInvoices로 수정하세요.")
		case update && !departed:
			fail("INVALID_STATUS", "송장이 등록되지 않은 발주서입니다.")
		case update && v.status == "FINAL_DELIVERY":
			fail("INVALID_STATUS", "배송완료된 발주서의 송장은 수정할 수 없습니다.")
		default:
			if !update {
				b.steps[1] = c.now
				if ci, ok := s.claimOf[i]; ok && s.claims[ci].kind == stopShipment && s.claims[ci].auto && s.claims[ci].resolve > c.now {
					s.claims[ci].stopped = false // it left before anyone answered the request
				}
			}
			b.inv, b.carrierName, b.noTracking = d.InvoiceNumber, carrierName(d.DeliveryCompanyCode), false
			list[k].Succeed, list[k].ResultCode, list[k].ResultMessage = true, "OK", "송장이 등록되었습니다."
		}
	}
	return boxAnswer(list)
}

// ok is a claim action's success answer.
func ok(msg string) (int, any) {
	return http.StatusOK, map[string]any{"code": "200", "message": "OK", "data": map[string]any{"resultCode": "SUCCESS", "resultMessage": msg}}
}

// claimNow finds the claim of path segment 4 and its own time at the call.
func (s *Server) claimNow(c call, exchanges bool) (*claim, int64, bool) {
	id, err := strconv.ParseInt(pathID(c.r, 4), 10, 64)
	k, found := s.claimByID[id]
	if err != nil || !found || (s.claims[k].kind == exchange) != exchanges {
		return nil, 0, false
	}
	cl := &s.claims[k]
	t := c.now - s.late(cl, c.f)
	return cl, t, t >= cl.created
}

// shiftReturn moves the return steps still to come by d seconds.
func (cl *claim) shiftReturn(d int64) {
	for _, p := range []*int64{&cl.pickup, &cl.withdraw, &cl.confirm, &cl.check, &cl.complete} {
		if *p != never {
			*p += d
		}
	}
}

// stoppedShipment serves PUT .../returnRequests/{receiptId}/stoppedShipment {vendorId,
// receiptId, cancelCount}: the vendor stopped the parcel; the items are cancelled.
func (s *Server) stoppedShipment(c call) (int, any) {
	var req struct {
		CancelCount int `json:"cancelCount"`
	}
	cl, t, found := s.claimNow(c, false)
	switch {
	case !found || cl.kind != stopShipment:
		return notFound("no stop-shipment request " + pathID(c.r, 4))
	case !decode(c.r, &req):
		return bad("vendorId, receiptId and cancelCount are required")
	case t >= cl.resolve && cl.stopped:
		return bad(alreadyMsg)
	case t >= cl.resolve:
		return bad("이미출고 처리된 요청은 출고중지할 수 없습니다.")
	case s.boxes[cl.box].steps[1] <= c.now:
		return bad("이미 출고된 주문입니다: completedShipment(이미출고)로 처리하세요.")
	case req.CancelCount != cl.total():
		return bad("cancelCount must be " + strconv.Itoa(cl.total()))
	}
	cl.resolve, cl.stopped, cl.auto = t, true, false
	return ok("출고중지 처리되었습니다.")
}

func (cl *claim) total() int {
	n := 0
	for _, it := range cl.items {
		n += it.count
	}
	return n
}

// completedShipment serves PUT .../returnRequests/{receiptId}/completedShipment {vendorId,
// receiptId, deliveryCompanyCode, invoiceNumber}: the parcel had left (이미출고); the
// receipt becomes a return.
func (s *Server) completedShipment(c call) (int, any) {
	var req struct {
		DeliveryCompanyCode string `json:"deliveryCompanyCode"`
		InvoiceNumber       string `json:"invoiceNumber"`
	}
	cl, t, found := s.claimNow(c, false)
	switch {
	case !found || cl.kind != stopShipment:
		return notFound("no stop-shipment request " + pathID(c.r, 4))
	case !decode(c.r, &req) || req.DeliveryCompanyCode == "" || req.InvoiceNumber == "":
		return bad("vendorId, receiptId, deliveryCompanyCode and invoiceNumber are required")
	case t >= cl.resolve && !cl.stopped:
		return bad(alreadyMsg)
	case t >= cl.resolve:
		return bad("출고중지 처리된 요청입니다.")
	}
	b := &s.boxes[cl.box]
	if b.steps[1] > c.now {
		b.steps[1], b.inv, b.carrierName = c.now, req.InvoiceNumber, carrierName(req.DeliveryCompanyCode)
	}
	cl.shiftReturn(t - cl.resolve)
	cl.resolve, cl.stopped, cl.auto = t, false, false
	return ok("이미출고 처리되었습니다.")
}

// returnReceived serves PUT .../returnRequests/{receiptId}/receiveConfirmation: the returned
// items arrived (VENDOR_WAREHOUSE_CONFIRM).
func (s *Server) returnReceived(c call) (int, any) {
	cl, t, found := s.claimNow(c, false)
	switch {
	case !found || cl.kind == paidCancel:
		return notFound("no return request " + pathID(c.r, 4))
	case !cl.isReturn(t):
		return bad("반품 접수 상태가 아닙니다.")
	case t >= cl.withdraw:
		return bad("구매자가 철회한 반품입니다.")
	case t >= cl.confirm:
		return bad(alreadyMsg)
	}
	d := t - cl.confirm
	cl.pickup, cl.confirm = min(cl.pickup, t), t
	for _, p := range []*int64{&cl.check, &cl.complete} {
		if *p != never {
			*p += d
		}
	}
	cl.withdraw = never
	return ok("입고확인 처리되었습니다.")
}

// returnApproval serves PUT .../returnRequests/{receiptId}/approval {vendorId, receiptId,
// cancelCount}: a received return completes (RETURNS_COMPLETED).
func (s *Server) returnApproval(c call) (int, any) {
	cl, t, found := s.claimNow(c, false)
	switch {
	case !found || cl.kind == paidCancel:
		return notFound("no return request " + pathID(c.r, 4))
	case !cl.isReturn(t):
		return bad("반품 접수 상태가 아닙니다.")
	case t >= cl.withdraw:
		return bad("구매자가 철회한 반품입니다.")
	case t >= cl.complete:
		return bad(alreadyMsg)
	case t < cl.confirm:
		return bad("입고확인(receiveConfirmation) 후에 승인할 수 있습니다.")
	}
	cl.complete = t
	if cl.check > t {
		cl.check = never
	}
	return ok("반품승인 처리되었습니다.")
}

// exchangeReceived serves PUT .../exchangeRequests/{exchangeId}/receiveConfirmation: the
// returned item of the exchange arrived.
func (s *Server) exchangeReceived(c call) (int, any) {
	cl, t, found := s.claimNow(c, true)
	if !found {
		return notFound("no exchange " + pathID(c.r, 4))
	}
	switch st, _, _ := cl.exchangeAt(t); {
	case t >= cl.collected:
		return bad(alreadyMsg)
	case st != "RECEIPT" && st != "PROGRESS":
		return bad("교환 " + st + " 상태에서는 입고확인할 수 없습니다.")
	}
	cl.collected, cl.progress = t, min(cl.progress, t)
	if cl.success < t {
		cl.success = never
	}
	for _, p := range []*int64{&cl.cancel, &cl.reject} {
		if *p > t {
			*p = never
		}
	}
	return ok("입고확인 처리되었습니다.")
}

// exchangeInvoices serves POST .../exchangeRequests/{exchangeId}/invoices [{exchangeId,
// vendorId, goodsDeliveryCode, invoiceNumber, shipmentBoxId}]: the replacement ships and the
// exchange succeeds.
func (s *Server) exchangeInvoices(c call) (int, any) {
	var req []struct {
		GoodsDeliveryCode string `json:"goodsDeliveryCode"`
		InvoiceNumber     string `json:"invoiceNumber"`
	}
	cl, t, found := s.claimNow(c, true)
	if !found {
		return notFound("no exchange " + pathID(c.r, 4))
	}
	if !decode(c.r, &req) || len(req) != 1 || req[0].InvoiceNumber == "" || req[0].GoodsDeliveryCode == "" {
		return bad("one invoice is required: exchangeId, vendorId, goodsDeliveryCode, invoiceNumber, shipmentBoxId")
	}
	st, _, _ := cl.exchangeAt(t)
	switch {
	case st == "SUCCESS" && cl.reshipInvoice == req[0].InvoiceNumber:
		return bad(alreadyMsg)
	case st == "SUCCESS":
		return bad("이미 교환 송장이 등록되었습니다.")
	case st != "PROGRESS" || t < cl.collected:
		return bad("교환상품 입고확인 후에 송장을 등록할 수 있습니다.")
	}
	cl.success, cl.reshipInvoice, cl.reshipCarrier = t, req[0].InvoiceNumber, req[0].GoodsDeliveryCode
	return http.StatusOK, map[string]any{"code": "200", "message": "SUCCESS", "data": map[string]any{"resultCode": "SUCCESS", "resultMessage": "Invoice number save successfully"}}
}

// exchangeRejection serves PUT .../exchangeRequests/{exchangeId}/rejection {exchangeId,
// vendorId, exchangeRejectCode SOLDOUT|WITHDRAW}: before the item is received.
func (s *Server) exchangeRejection(c call) (int, any) {
	var req struct {
		Code string `json:"exchangeRejectCode"`
	}
	cl, t, found := s.claimNow(c, true)
	if !found {
		return notFound("no exchange " + pathID(c.r, 4))
	}
	if !decode(c.r, &req) || req.Code != "SOLDOUT" && req.Code != "WITHDRAW" {
		return bad("exchangeRejectCode must be SOLDOUT or WITHDRAW")
	}
	switch st, _, _ := cl.exchangeAt(t); {
	case st == "REJECT":
		return bad(alreadyMsg)
	case st != "RECEIPT" && st != "PROGRESS" || t >= cl.collected:
		return bad("교환 " + st + " 상태에서는 거부할 수 없습니다.")
	}
	cl.reject, cl.success, cl.collected = t, never, never
	if cl.cancel > t {
		cl.cancel = never
	}
	return ok("요청 처리완료")
}

// sellerCancel serves POST .../v5/vendors/{vendorId}/orders/{orderId}/cancel {orderId,
// vendorItemIds, receiptCounts, bigCancelCode, middleCancelCode, userId, vendorId}: the vendor
// cancels items of boxes not shipped yet, at once (CANCEL before INSTRUCT, STOP_SHIPMENT
// after). Items it cannot cancel are in failedVendorItemIds, the reasons in message.
func (s *Server) sellerCancel(c call) (int, any) {
	var req struct {
		OrderID          int64   `json:"orderId"`
		VendorItemIDs    []int64 `json:"vendorItemIds"`
		ReceiptCounts    []int   `json:"receiptCounts"`
		BigCancelCode    string  `json:"bigCancelCode"`
		MiddleCancelCode string  `json:"middleCancelCode"`
	}
	orderID, err := strconv.ParseInt(pathID(c.r, 4), 10, 64)
	if err != nil || !decode(c.r, &req) || req.OrderID != orderID || len(req.VendorItemIDs) == 0 ||
		len(req.VendorItemIDs) != len(req.ReceiptCounts) || req.BigCancelCode != "CANERR" || req.MiddleCancelCode == "" {
		return bad("orderId, vendorItemIds, receiptCounts (as many), bigCancelCode CANERR and middleCancelCode are required")
	}
	boxes, found := s.boxesOf[orderID]
	if !found {
		return notFound("no order " + pathID(c.r, 4))
	}
	receipts := map[string]any{}
	failed := []int64{}
	msg := "[요청번호] sim\r\n"
	byBox := map[int]int{} // box index → index of the claim this call made
	for k, vid := range req.VendorItemIDs {
		why := "취소할 수 있는 상품이 없습니다."
		for _, i := range boxes {
			v, ok := s.view(i, c.now, c.f)
			it := s.boxes[i].item(vid)
			if !ok || it == nil {
				continue
			}
			_, hasClaim := s.claimOf[i]
			switch {
			case v.cancel[vid] == it.count:
				why = alreadyMsg
			case hasClaim && !madeHere(byBox, i):
				why = "다른 클레임이 진행 중인 발주서입니다."
			case v.status != "ACCEPT" && v.status != "INSTRUCT":
				why = "이미 출고된 상품입니다."
			case req.ReceiptCounts[k] < 1 || req.ReceiptCounts[k] > it.count-v.cancel[vid]:
				why = "취소 가능한 개수보다 요청한 개수가 더 많습니다."
			default:
				why = ""
				if !madeHere(byBox, i) {
					s.nextID++
					nc := claim{id: s.nextID, box: i, created: c.now, kind: paidCancel, resolve: never, pickup: never, withdraw: never,
						confirm: never, check: never, complete: never, progress: never, collected: never, success: never, reject: never, cancel: never}
					if v.status == "INSTRUCT" {
						nc.kind, nc.resolve, nc.stopped = stopShipment, c.now, true
					}
					s.claims = append(s.claims, nc)
					s.claimOf[i], s.claimByID[nc.id], byBox[i] = len(s.claims)-1, len(s.claims)-1, len(s.claims)-1
				}
				cl := &s.claims[byBox[i]]
				cl.items = append(cl.items, claimItem{vendorItemID: vid, count: req.ReceiptCounts[k]})
			}
			if why == "" {
				break
			}
		}
		if why != "" {
			failed = append(failed, vid)
			msg += "[" + strconv.FormatInt(vid, 10) + "]<= " + why + "\r\n"
		}
	}
	for _, k := range byBox {
		cl := &s.claims[k]
		typ, ids, n := "CANCEL", []int64{}, 0
		if cl.kind == stopShipment {
			typ = "STOP_SHIPMENT"
		}
		for _, it := range cl.items {
			ids, n = append(ids, it.vendorItemID), n+it.count
		}
		receipts[strconv.FormatInt(cl.id, 10)] = map[string]any{"receiptId": cl.id, "receiptType": typ, "vendorItemIds": ids, "totalCount": n}
	}
	return http.StatusOK, map[string]any{"code": "200", "message": msg,
		"data": map[string]any{"receiptMap": receipts, "orderId": orderID, "failedVendorItemIds": failed}}
}

func madeHere(byBox map[int]int, i int) bool {
	_, ok := byBox[i]
	return ok
}

// item returns the box's item vendorItemID, or nil.
func (b *box) item(vendorItemID int64) *item {
	for k := range b.items {
		if b.items[k].vendorItemID == vendorItemID {
			return &b.items[k]
		}
	}
	return nil
}
