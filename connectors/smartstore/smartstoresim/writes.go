package smartstoresim

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
)

// MaxWriteIDs is the most product orders one confirm or dispatch call takes.
const MaxWriteIDs = 30

// failInfo is one product order a write could not change.
type failInfo struct {
	ProductOrderID string `json:"productOrderId"`
	Code           string `json:"code"`
	Message        string `json:"message"`
}

// writeResult is the data of every write's answer. Partial failure is HTTP 200 with
// failProductOrderInfos.
type writeResult struct {
	Success []string   `json:"successProductOrderIds"`
	Fail    []failInfo `json:"failProductOrderInfos"`
}

// op changes st (a copy of the product order's current state) for a write at now, and says
// which change type the change is reported as ("" for none); a refusal is a code and message,
// with the codes of Naver's error table where it has one (100001 not found, 104117–104120
// delivery method, carrier and tracking number, 4000 a bad parameter) and 104133 (잘못된 요청)
// for a step the product order's state does not allow.
type op func(st *state, body map[string]any, now int64) (typ, code, msg string)

func refuse(msg string, a ...any) (string, string, string) {
	return "", "104133", fmt.Sprintf(msg, a...)
}

// apply makes one write on product order id at the clock's now: the product order takes the
// new state; its planned course after now (and what has not shown yet) is dropped and planned
// again from the new state.
func (s *Server) apply(id string, f op, body map[string]any) *failInfo {
	now := s.clock.Now().UnixMilli()
	late := s.lateness()
	s.mu.Lock()
	defer s.mu.Unlock()
	po, ok := s.byID[id]
	cur := -1
	if ok {
		cur, _ = late.current(po, now)
	}
	if cur < 0 {
		return &failInfo{id, "100001", "상품 주문을 찾을 수 없습니다."}
	}
	st := po.events[cur].st.clone()
	typ, code, msg := f(&st, body, now)
	if code != "" {
		return &failInfo{id, code, msg}
	}
	for i := cur + 1; i < len(po.events); i++ {
		po.events[i].gone = true
	}
	add := func(e event) {
		po.events = append(po.events, e)
		if e.typ != "" {
			s.insertRef(ref{at: e.at, po: po, ev: len(po.events) - 1})
		}
	}
	add(event{at: now, typ: typ, st: st, lateU: 2})
	po.writes++
	claims := len(st.Done)
	if st.Claim != nil {
		claims++
	}
	p := &planner{r: rand.New(rand.NewPCG(uint64(s.opts.Seed), uint64(po.num)<<8|uint64(po.writes))), po: po, at: now, st: st, claims: claims}
	for _, e := range p.run() {
		add(e)
	}
	return nil
}

func decodeBody(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v)
}

// confirm serves POST .../confirm {"productOrderIds":[≤30]}: 발주확인.
func (s *Server) confirm(r *http.Request) (int, any) {
	var req struct {
		ProductOrderIDs []string `json:"productOrderIds"`
	}
	if err := decodeBody(r, &req); err != nil || len(req.ProductOrderIDs) == 0 {
		return badInput("productOrderIds", "NotEmpty", "상품 주문 번호는 필수입니다.")
	}
	if len(req.ProductOrderIDs) > MaxWriteIDs {
		return badInput("productOrderIds", "Size", fmt.Sprintf("최대 %d개까지 처리할 수 있습니다.", MaxWriteIDs))
	}
	res := writeResult{Success: []string{}, Fail: []failInfo{}}
	for _, id := range req.ProductOrderIDs {
		if f := s.apply(id, confirmOp, nil); f != nil {
			res.Fail = append(res.Fail, *f)
		} else {
			res.Success = append(res.Success, id)
		}
	}
	return http.StatusOK, res
}

func confirmOp(st *state, _ map[string]any, now int64) (string, string, string) {
	switch {
	case st.Status != stPayed:
		return refuse("결제완료 상태가 아닙니다 (%s).", st.Status)
	case st.Claim != nil:
		return refuse("클레임(%s)이 진행 중입니다.", st.Claim.Status)
	case st.PlaceOK:
		return refuse("이미 발주확인된 상품 주문입니다.")
	}
	st.PlaceOK, st.Placed = true, now
	return "", "", ""
}

// dispatchWrite serves POST .../dispatch {"dispatchProductOrders":[≤30 {productOrderId,
// deliveryMethod, deliveryCompanyCode, trackingNumber, dispatchDate}]}: 발송처리. A product
// order with a cancel request is dispatched all the same: the request is rejected.
func (s *Server) dispatchWrite(r *http.Request) (int, any) {
	var req struct {
		Orders []struct {
			ProductOrderID      string `json:"productOrderId"`
			DeliveryMethod      string `json:"deliveryMethod"`
			DeliveryCompanyCode string `json:"deliveryCompanyCode"`
			TrackingNumber      string `json:"trackingNumber"`
			DispatchDate        string `json:"dispatchDate"`
		} `json:"dispatchProductOrders"`
	}
	if err := decodeBody(r, &req); err != nil || len(req.Orders) == 0 {
		return badInput("dispatchProductOrders", "NotEmpty", "발송 처리할 상품 주문은 필수입니다.")
	}
	if len(req.Orders) > MaxWriteIDs {
		return badInput("dispatchProductOrders", "Size", fmt.Sprintf("최대 %d개까지 처리할 수 있습니다.", MaxWriteIDs))
	}
	res := writeResult{Success: []string{}, Fail: []failInfo{}}
	for _, d := range req.Orders {
		body := map[string]any{"method": d.DeliveryMethod, "company": d.DeliveryCompanyCode, "tracking": d.TrackingNumber}
		if f := s.apply(d.ProductOrderID, dispatchOp, body); f != nil {
			res.Fail = append(res.Fail, *f)
		} else {
			res.Success = append(res.Success, d.ProductOrderID)
		}
	}
	return http.StatusOK, res
}

func dispatchOp(st *state, b map[string]any, now int64) (string, string, string) {
	company, _ := b["company"].(string)
	tracking, _ := b["tracking"].(string)
	switch {
	case b["method"] != "DELIVERY":
		return "", "104117", "배송 방법 변경 필요: deliveryMethod는 DELIVERY만 지원합니다."
	case company == "":
		return "", "104118", "택배사 미입력"
	case !slices.Contains(carriers, company):
		return "", "104119", fmt.Sprintf("택배사 코드 확인: %q", company)
	case tracking == "":
		return "", "104120", "송장 번호 미입력"
	case st.Status != stPayed:
		return refuse("발송 처리할 수 없는 상태입니다 (%s).", st.Status)
	case st.Claim != nil && st.Claim.Status != "CANCEL_REQUEST":
		return refuse("클레임(%s)이 진행 중입니다.", st.Claim.Status)
	}
	if st.Claim != nil { // 취소 거부: the seller ships instead
		st.Claim.Status = "CANCEL_REJECT"
		st.end(now)
	}
	st.Status, st.Sent, st.Carrier, st.Tracking = stDelivering, now, company, tracking
	if !st.PlaceOK {
		st.PlaceOK, st.Placed = true, now
	}
	return chDispatched, "", ""
}

// DelayReasons are Naver's delayedDispatchReason codes: 상품 준비 중, 고객 요청, 주문 제작, 예약
// 발송, 해외 배송, 기타.
var DelayReasons = []string{"PRODUCT_PREPARE", "CUSTOMER_REQUEST", "CUSTOM_BUILD", "RESERVED_DISPATCH", "OVERSEA_DELIVERY", "ETC"}

// ReturnHoldbackClasses are Naver's holdbackClassType codes for a return: 반품 배송비 청구, 추가
// 비용 청구, 반품 배송비 + 추가 비용 청구, 반품 상품 미입고, 기타 사유.
var ReturnHoldbackClasses = []string{"RETURN_DELIVERYFEE", "EXTRAFEEE", "RETURN_DELIVERYFEE_AND_EXTRAFEEE", "RETURN_PRODUCT_NOT_DELIVERED", "ETC"}

// delay serves POST .../{id}/delay {dispatchDueDate, delayedDispatchReason,
// dispatchDelayedDetailedReason}: 발송지연 안내. It is not a change type.
func (s *Server) delay(r *http.Request) (int, any) {
	var req struct {
		Due    string `json:"dispatchDueDate"`
		Reason string `json:"delayedDispatchReason"`
		Detail string `json:"dispatchDelayedDetailedReason"`
	}
	if err := decodeBody(r, &req); err != nil {
		return badInput("dispatchDueDate", "JSON", "요청 본문이 올바른 JSON이 아닙니다.")
	}
	due, err := parseWireTime(req.Due)
	if err != nil {
		return badInput("dispatchDueDate", "DateTime", "발송 기한은 필수입니다.")
	}
	if req.Reason == "" {
		return badInput("delayedDispatchReason", "NotEmpty", "발송 지연 사유는 필수입니다.")
	}
	if !slices.Contains(DelayReasons, req.Reason) {
		return badInput("delayedDispatchReason", "Enum", fmt.Sprintf("발송 지연 사유 코드가 올바르지 않습니다: %q", req.Reason))
	}
	return s.one(r.PathValue("id"), func(st *state, _ map[string]any, now int64) (string, string, string) {
		switch {
		case st.Status != stPayed || st.Claim != nil:
			return refuse("발송 지연 처리할 수 없는 상태입니다 (%s).", st.Status)
		case due.UnixMilli() <= now:
			return "", "4000", "발송 기한은 지금 이후여야 합니다."
		}
		st.DueDate, st.Delayed, st.DelayDetail = due.UnixMilli(), req.Reason, req.Detail
		return "", "", ""
	}, nil)
}

// one answers a write on one product order.
func (s *Server) one(id string, f op, body map[string]any) (int, any) {
	res := writeResult{Success: []string{}, Fail: []failInfo{}}
	if fi := s.apply(id, f, body); fi != nil {
		res.Fail = append(res.Fail, *fi)
	} else {
		res.Success = append(res.Success, id)
	}
	return http.StatusOK, res
}

// claimWrite serves a claim step on the product order of the path, with its JSON body.
func (s *Server) claimWrite(f op) func(*http.Request) (int, any) {
	return func(r *http.Request) (int, any) {
		body := map[string]any{}
		if err := decodeBody(r, &body); err != nil {
			return badInput("body", "JSON", "요청 본문이 올바른 JSON이 아닙니다.")
		}
		return s.one(r.PathValue("id"), f, body)
	}
}

// openClaim refuses unless the product order has an open claim of typ in one of statuses.
func openClaim(st *state, typ string, statuses ...string) (string, string, string) {
	c := st.Claim
	if c == nil || c.Type != typ || (len(statuses) > 0 && !slices.Contains(statuses, c.Status)) {
		now := "없음"
		if c != nil {
			now = c.Type + " " + c.Status
		}
		return refuse("처리할 수 있는 %s 클레임이 없습니다 (현재: %s).", typ, now)
	}
	return "", "", ""
}

func cancelApprove(st *state, _ map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimCancel, "CANCEL_REQUEST"); code != "" {
		return "", code, msg
	}
	st.Claim.Status, st.Status = "CANCEL_DONE", stCanceled
	st.end(now)
	return chClaimCompleted, "", ""
}

func returnApprove(st *state, _ map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimReturn, "RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"); code != "" {
		return "", code, msg
	}
	if st.Claim.Holdback == "HOLDBACK" {
		return refuse("보류 중인 반품은 보류를 해제한 뒤 승인할 수 있습니다.")
	}
	st.Claim.Status, st.Status = "RETURN_DONE", stReturned
	st.end(now)
	return chClaimCompleted, "", ""
}

func returnReject(st *state, b map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimReturn, "RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"); code != "" {
		return "", code, msg
	}
	if r, _ := b["rejectReturnReason"].(string); r == "" {
		return "", "4000", "rejectReturnReason은 필수입니다."
	}
	st.Claim.Status, st.Status = "RETURN_REJECT", st.Claim.Prior
	st.end(now)
	return chClaimRejected, "", ""
}

// returnHoldback holds a return back: {holdbackClassType, holdbackReturnDetailReason,
// extraReturnFeeAmount}. The details show it as holdbackStatus HOLDBACK, holdbackReason (the
// class), holdbackDetailedReason and etcFeeDemandAmount. Not a change type.
func returnHoldback(st *state, b map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimReturn, "RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"); code != "" {
		return "", code, msg
	}
	if st.Claim.Holdback == "HOLDBACK" {
		return refuse("이미 보류 중인 반품입니다.")
	}
	reason, _ := b["holdbackReturnDetailReason"].(string)
	class, _ := b["holdbackClassType"].(string)
	fee, feeOK := b["extraReturnFeeAmount"].(float64)
	switch {
	case class == "":
		return "", "4000", "holdbackClassType은 필수입니다."
	case !slices.Contains(ReturnHoldbackClasses, class):
		return "", "4000", fmt.Sprintf("holdbackClassType이 올바르지 않습니다: %q", class)
	case b["extraReturnFeeAmount"] != nil && (!feeOK || fee < 0 || fee != float64(int64(fee))):
		return "", "4000", "extraReturnFeeAmount는 0 이상의 정수여야 합니다."
	}
	c := st.Claim
	c.Holdback, c.HoldbackClass, c.HoldbackReason, c.HoldbackFee, c.HoldbackSet, c.HoldbackFreed = "HOLDBACK", class, reason, int64(fee), now, 0
	return "", "", ""
}

// returnRelease releases a return's hold: holdbackStatus RELEASED, reported as
// CLAIM_HOLDBACK_RELEASED.
func returnRelease(st *state, _ map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimReturn); code != "" {
		return "", code, msg
	}
	if st.Claim.Holdback != "HOLDBACK" {
		return refuse("보류 중인 반품이 아닙니다.")
	}
	st.Claim.Holdback, st.Claim.HoldbackFreed = "RELEASED", now
	return chHoldbackRelease, "", ""
}

func exchangeCollect(st *state, _ map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimExchange, "EXCHANGE_REQUEST", "COLLECTING"); code != "" {
		return "", code, msg
	}
	st.Claim.Status, st.Claim.CollectStatus, st.Claim.CollectDone = "COLLECT_DONE", "COLLECT_DONE", now
	return chCollectDone, "", ""
}

func exchangeRedeliver(st *state, b map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimExchange, "COLLECT_DONE"); code != "" {
		return "", code, msg
	}
	company, _ := b["reDeliveryCompany"].(string)
	tracking, _ := b["reDeliveryTrackingNumber"].(string)
	switch {
	case !slices.Contains(carriers, company):
		return "", "104119", fmt.Sprintf("택배사 코드 확인: %q", company)
	case tracking == "":
		return "", "104120", "송장 번호 미입력"
	case st.Claim.Holdback == "HOLDBACK":
		return refuse("보류 중인 교환은 재배송할 수 없습니다.")
	}
	c := st.Claim
	c.Status, c.RedeliveryStatus, c.RedeliveryCompany, c.RedeliveryTracking, c.Redelivered = "EXCHANGE_REDELIVERING", "DELIVERING", company, tracking, now
	return chRedelivering, "", ""
}

func exchangeReject(st *state, b map[string]any, now int64) (string, string, string) {
	if _, code, msg := openClaim(st, claimExchange, "EXCHANGE_REQUEST", "COLLECTING", "COLLECT_DONE"); code != "" {
		return "", code, msg
	}
	if r, _ := b["rejectExchangeReason"].(string); r == "" {
		return "", "4000", "rejectExchangeReason은 필수입니다."
	}
	st.Claim.Status, st.Status = "EXCHANGE_REJECT", st.Claim.Prior
	st.end(now)
	return chClaimRejected, "", ""
}
