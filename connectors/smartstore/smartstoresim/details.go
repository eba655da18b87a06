package smartstoresim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// MaxQueryIDs is the most product order ids one details query takes.
const MaxQueryIDs = 300

// query serves POST .../product-orders/query {"productOrderIds":[≤300],
// "quantityClaimCompatibility":true}: each known product order as it is now, with its order,
// delivery, currentClaim and completedClaims. Unknown ids are left out.
func (s *Server) query(r *http.Request) (int, any) {
	var req struct {
		ProductOrderIDs            []string `json:"productOrderIds"`
		QuantityClaimCompatibility bool     `json:"quantityClaimCompatibility"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		return badInput("productOrderIds", "JSON", "요청 본문이 올바른 JSON이 아닙니다.")
	}
	if len(req.ProductOrderIDs) == 0 {
		return badInput("productOrderIds", "NotEmpty", "상품 주문 번호는 필수입니다.")
	}
	if len(req.ProductOrderIDs) > MaxQueryIDs {
		return badInput("productOrderIds", "Size", fmt.Sprintf("상품 주문 번호는 최대 %d개까지 조회할 수 있습니다.", MaxQueryIDs))
	}
	now := s.clock.Now().UnixMilli()
	late := s.lateness()
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []map[string]any{}
	for _, id := range req.ProductOrderIDs {
		po, ok := s.byID[id]
		if !ok {
			continue
		}
		cur, _ := late.current(po, now)
		if cur < 0 {
			continue
		}
		out = append(out, detail(po, &po.events[cur].st, req.QuantityClaimCompatibility))
	}
	return http.StatusOK, out
}

func optTime(ms int64) any {
	if ms == 0 {
		return nil
	}
	return wireTime(ms)
}

// detail is one product order's details as of state st.
func detail(po *productOrder, st *state, qtyCompat bool) map[string]any {
	o := po.order
	total := int64(0)
	for _, x := range o.pos {
		total += x.amount() + x.fee
	}
	city := cities[o.buyer%len(cities)]
	name := names[o.buyer%len(names)]
	ord := map[string]any{
		"orderId": o.id, "orderDate": wireTime(o.ordered), "ordererId": fmt.Sprintf("buyer%04d", o.buyer), "ordererName": name,
		"ordererTel": fmt.Sprintf("010-%04d-%04d", 1000+o.buyer%9000, 1000+(o.buyer*37)%9000), "paymentMeans": o.means,
		"payLocationType": "MOBILE", "generalPaymentAmount": total, "naverMileagePaymentAmount": 0, "chargeAmountPaymentAmount": 0,
		"payLaterPaymentAmount": 0, "orderDiscountAmount": 0, "isDeliveryMemoParticularInput": "false",
	}
	if o.paid > 0 && st.Status != stPaymentWaiting && st.Status != stNoPayment {
		ord["paymentDate"] = wireTime(o.paid)
	}
	p := products[po.product]
	prod := map[string]any{
		"productOrderId": po.id, "productOrderStatus": st.Status, "placeOrderStatus": "NOT_YET",
		"productId": strconv.Itoa(8800000000 + po.product*101), "productName": p.name, "productOption": p.options[po.option],
		"optionCode": strconv.Itoa(30000000 + po.product*100 + po.option), "optionManageCode": fmt.Sprintf("SKU-%02d-%02d", po.product, po.option),
		"sellerProductCode": fmt.Sprintf("MS-%04d", 100+po.product), "quantity": po.qty, "initialQuantity": po.qty,
		"unitPrice": po.unitPrice, "optionPrice": 0, "productDiscountAmount": po.discount,
		"totalProductAmount": po.unitPrice * int64(po.qty), "totalPaymentAmount": po.amount(), "deliveryFeeAmount": po.fee,
		"expectedSettlementAmount": po.amount() * 94 / 100, "productClass": "단일상품", "commissionRatingType": "결제수수료",
		"shippingAddress": map[string]any{"addressType": "DOMESTIC", "name": name, "tel1": fmt.Sprintf("010-%04d-%04d", 2000+o.buyer%8000, 1000+(o.buyer*53)%9000),
			"baseAddress": city.base, "detailedAddress": fmt.Sprintf("%d동 %d호", 101+o.buyer%9, 101+o.buyer%30), "zipCode": city.zip},
		"shippingMemo": "문 앞에 놓아주세요", "shippingDueDate": optTime(st.DueDate),
	}
	if qtyCompat {
		remain := po.qty
		if st.Status == stCanceled || st.Status == stReturned {
			remain = 0
		}
		prod["remainQuantity"] = remain
	}
	if st.PlaceOK {
		prod["placeOrderStatus"], prod["placeOrderDate"] = "OK", wireTime(st.Placed)
	}
	if st.Delayed != "" {
		prod["delayedDispatchReason"], prod["delayedDispatchDetailedReason"] = st.Delayed, st.DelayDetail
	}
	if st.Decided > 0 {
		prod["decisionDate"] = wireTime(st.Decided)
	}
	if c := st.Claim; c != nil {
		prod["claimType"], prod["claimStatus"], prod["claimId"] = c.Type, c.Status, c.ID
	}
	d := map[string]any{"order": ord, "productOrder": prod}
	if st.Tracking != "" {
		status := "DELIVERING"
		if st.Arrived > 0 {
			status = "DELIVERY_COMPLETION"
		}
		d["delivery"] = map[string]any{"deliveryCompany": st.Carrier, "deliveryMethod": "DELIVERY", "deliveryStatus": status,
			"trackingNumber": st.Tracking, "sendDate": wireTime(st.Sent), "pickupDate": wireTime(st.Sent), "deliveredDate": optTime(st.Arrived),
			"isWrongTrackingNumber": false}
	}
	if st.Claim != nil {
		d["currentClaim"] = claimBlock(st.Claim)
	}
	if len(st.Done) > 0 {
		done := make([]map[string]any, len(st.Done))
		for i := range st.Done {
			done[i] = claimBlock(&st.Done[i])
		}
		d["completedClaims"] = done
	}
	return d
}

// claimBlock renders a claim as {"cancel":{…}}, {"return":{…}} or {"exchange":{…}}.
func claimBlock(c *claim) map[string]any {
	b := map[string]any{"claimId": c.ID, "claimStatus": c.Status, "claimRequestDate": wireTime(c.Requested), "requestChannel": c.Channel}
	switch c.Type {
	case claimCancel:
		b["cancelReason"], b["cancelDetailedReason"] = c.Reason, c.Detail
		if c.Status == "CANCEL_DONE" {
			b["cancelCompletedDate"], b["cancelApprovalDate"] = wireTime(c.Completed), wireTime(c.Completed)
		}
		return map[string]any{"cancel": b}
	case claimReturn:
		b["returnReason"], b["returnDetailedReason"] = c.Reason, c.Detail
		if c.Status == "RETURN_DONE" {
			b["returnCompletedDate"] = wireTime(c.Completed)
		}
	case claimExchange:
		b["exchangeReason"], b["exchangeDetailedReason"] = c.Reason, c.Detail
		if c.RedeliveryStatus != "" {
			b["reDeliveryStatus"], b["reDeliveryMethod"] = c.RedeliveryStatus, "DELIVERY"
			b["reDeliveryCompany"], b["reDeliveryTrackingNumber"] = c.RedeliveryCompany, c.RedeliveryTracking
			b["reDeliveryOperationDate"] = wireTime(c.Redelivered)
		}
		if c.Status == "EXCHANGE_DONE" {
			b["exchangeCompletedDate"] = wireTime(c.Completed)
		}
	}
	b["collectStatus"] = c.CollectStatus
	b["collectDeliveryMethod"] = "RETURN_DESIGNATED"
	if c.CollectTracking != "" {
		b["collectDeliveryCompany"], b["collectTrackingNumber"] = c.CollectCompany, c.CollectTracking
	}
	if c.CollectDone > 0 {
		b["collectCompletedDate"] = wireTime(c.CollectDone)
	}
	if c.Holdback != "" {
		b["holdbackStatus"], b["holdbackReason"], b["holdbackDetailedReason"] = c.Holdback, c.HoldbackClass, c.HoldbackReason
		b["holdbackConfigDate"], b["holdbackReleaseDate"] = optTime(c.HoldbackSet), optTime(c.HoldbackFreed)
		b["etcFeeDemandAmount"] = c.HoldbackFee
	}
	if c.Type == claimReturn {
		return map[string]any{"return": b}
	}
	return map[string]any{"exchange": b}
}
