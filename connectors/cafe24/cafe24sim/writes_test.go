package cafe24sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// send calls a write endpoint with the bundle's token.
func (b *bundle) send(t testing.TB, method, path, body string) (int, map[string]json.RawMessage) {
	t.Helper()
	r := httptest.NewRequest(method, "/api/v2/admin/"+path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+b.token)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	var out map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s answered %d %q", method, path, w.Code, w.Body.String())
	}
	return w.Code, out
}

// lineIn finds the truth line of itemCode.
func lineIn(tr Truth, itemCode string) TruthLine {
	for _, l := range tr.Lines {
		if l.ItemCode == itemCode {
			return l
		}
	}
	return TruthLine{}
}

// firstLine returns the first truth line in status st of an order not in used, and marks
// its order used.
func firstLine(t *testing.T, tr Truth, st string, used map[string]bool) TruthLine {
	t.Helper()
	for _, l := range tr.Lines {
		if l.Status == st && !used[l.OrderID] {
			used[l.OrderID] = true
			return l
		}
	}
	t.Fatalf("no line in %s", st)
	return TruthLine{}
}

// Every write endpoint, against the ground truth: the state moves, the same write again is
// 409, a write to an item in the wrong state is 422 with the reason, and several requests
// with mixed results answer 207 element by element.
func TestWritesMoveTheTruth(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.Orders = 20000 // enough that every claim step has items at one instant
	opts.Clock = NewClock(testStart.Add(testEnd.Sub(testStart) / 2))
	b := setup(t, opts)
	tr := b.srv.Truth()
	used := map[string]bool{}
	expect := func(what string, code, want int, status string, l TruthLine) {
		t.Helper()
		if code != want {
			t.Fatalf("%s: answered %d, want %d", what, code, want)
		}
		if status != "" {
			if got := lineIn(b.srv.Truth(), l.ItemCode).Status; got != status {
				t.Fatalf("%s: %s is %s, want %s", what, l.ItemCode, got, status)
			}
		}
	}

	// Register a shipment for a paid item: N30 with our invoice; again: 409.
	paid := firstLine(t, tr, "N10", used)
	used[paid.OrderID] = true
	body := fmt.Sprintf(`{"shop_no":1,"requests":[{"order_id":%q,"tracking_no":"TEST-123","shipping_company_code":"0001","status":"shipping","order_item_code":[%q]}]}`, paid.OrderID, paid.ItemCode)
	code, out := b.send(t, http.MethodPost, "shipments", body)
	expect("ship", code, http.StatusCreated, "N30", paid)
	if !strings.Contains(string(out["shipments"]), `"tracking_no":"TEST-123"`) {
		t.Fatalf("ship answer %s", out["shipments"])
	}
	found := false
	for _, s := range b.srv.Truth().Shipments {
		found = found || (s.TrackingNo == "TEST-123" && s.CarrierCode == "0001" && len(s.ItemCodes) == 1 && s.ItemCodes[0] == paid.ItemCode)
	}
	if !found {
		t.Fatal("the registered invoice is not in the truth's shipments")
	}
	code, _ = b.send(t, http.MethodPost, "shipments", body)
	expect("ship again", code, http.StatusConflict, "N30", paid)

	// Correct the invoice, then deliver: PUT /shipments by shipping_code.
	var shipped []map[string]any
	_ = json.Unmarshal(out["shipments"], &shipped)
	sc := fmt.Sprint(shipped[0]["shipping_code"])
	fix := fmt.Sprintf(`{"requests":[{"order_id":%q,"shipping_code":%q,"tracking_no":"TEST-456","shipping_company_code":"0006"}]}`, paid.OrderID, sc)
	code, _ = b.send(t, http.MethodPut, "shipments", fix)
	expect("correct invoice", code, http.StatusOK, "N30", paid)
	corrected := false
	for _, s := range b.srv.Truth().Shipments {
		corrected = corrected || (s.ID == sc && s.TrackingNo == "TEST-456" && s.CarrierCode == "0006")
	}
	if !corrected {
		t.Fatal("the corrected invoice is not in the truth")
	}
	code, _ = b.send(t, http.MethodPut, "shipments", fix)
	expect("correct invoice again", code, http.StatusConflict, "N30", paid)
	deliver := fmt.Sprintf(`{"requests":[{"order_id":%q,"shipping_code":%q,"status":"shipped"}]}`, paid.OrderID, sc)
	code, _ = b.send(t, http.MethodPut, "shipments", deliver)
	expect("deliver", code, http.StatusOK, "N40", paid)
	code, _ = b.send(t, http.MethodPut, "shipments", deliver)
	expect("deliver again", code, http.StatusConflict, "N40", paid)
	code, _ = b.send(t, http.MethodPut, "shipments", fmt.Sprintf(`{"requests":[{"order_id":%q,"shipping_code":"D-%s-99","status":"shipped"}]}`, paid.OrderID, paid.OrderID))
	expect("an unknown parcel", code, http.StatusNotFound, "", paid)

	// The per-order endpoints: one request for the order in the path.
	{
		l := firstLine(t, tr, "N10", used)
		code, out := b.send(t, http.MethodPost, "orders/"+l.OrderID+"/shipments",
			fmt.Sprintf(`{"shop_no":1,"request":{"tracking_no":"ONE-1","shipping_company_code":"0001","status":"shipping","order_item_code":[%q]}}`, l.ItemCode))
		expect("ship one order", code, http.StatusCreated, "N30", l)
		var made []map[string]any
		_ = json.Unmarshal(out["shipments"], &made)
		if len(made) != 1 {
			t.Fatalf("POST /orders/{id}/shipments answered %s", out["shipments"])
		}
		path := "orders/" + l.OrderID + "/shipments/" + fmt.Sprint(made[0]["shipping_code"])
		code, out = b.send(t, http.MethodPut, path, `{"shop_no":1,"request":{"status":"shipped"}}`)
		expect("deliver one parcel", code, http.StatusOK, "N40", l)
		if !strings.HasPrefix(string(out["shipment"]), "{") {
			t.Fatalf("PUT %s answered %v", path, out)
		}
		del := func(path string) int {
			r := httptest.NewRequest(http.MethodDelete, "/api/v2/admin/"+path, nil)
			r.Header.Set("Authorization", "Bearer "+b.token)
			w := httptest.NewRecorder()
			b.h.ServeHTTP(w, r)
			return w.Code
		}
		if code := del(path); code != http.StatusUnprocessableEntity {
			t.Fatalf("DELETE %s: %d, want 422 (not simulated)", path, code)
		}
	}

	// A shipment asked again with a line added: the line that already carries the invoice
	// stays in its parcel, only the new one ships.
	{
		var first, second TruthLine
		for i := 1; i < len(tr.Lines); i++ {
			x, y := tr.Lines[i-1], tr.Lines[i]
			if x.OrderID == y.OrderID && x.Status == "N10" && y.Status == "N10" && !used[x.OrderID] {
				first, second, used[x.OrderID] = x, y, true
				break
			}
		}
		if first.ItemCode == "" {
			t.Fatal("no order with two paid lines")
		}
		parcelOf := func(item string) string {
			for _, sh := range b.srv.Truth().Shipments {
				for _, c := range sh.ItemCodes {
					if c == item {
						return sh.ID
					}
				}
			}
			return ""
		}
		one := fmt.Sprintf(`{"requests":[{"order_id":%q,"tracking_no":"MIX-1","shipping_company_code":"0001","status":"shipping","order_item_code":[%q]}]}`, first.OrderID, first.ItemCode)
		if code, _ := b.send(t, http.MethodPost, "shipments", one); code != http.StatusCreated {
			t.Fatalf("ship one line: %d", code)
		}
		before := parcelOf(first.ItemCode)
		both := fmt.Sprintf(`{"requests":[{"order_id":%q,"tracking_no":"MIX-1","shipping_company_code":"0001","status":"shipping","order_item_code":[%q,%q]}]}`,
			first.OrderID, first.ItemCode, second.ItemCode)
		if code, _ := b.send(t, http.MethodPost, "shipments", both); code != http.StatusCreated {
			t.Fatalf("ship both lines: %d", code)
		}
		if after := parcelOf(first.ItemCode); after != before || parcelOf(second.ItemCode) == "" {
			t.Fatalf("the line already shipped moved from parcel %s to %s", before, after)
		}
	}

	// Two requests, one good and one for a delivered item: 207, element by element.
	paid2 := firstLine(t, tr, "N10", used)
	used[paid2.OrderID] = true
	delivered := firstLine(t, tr, "N40", used)
	body = fmt.Sprintf(`{"requests":[{"order_id":%q,"tracking_no":"T2","shipping_company_code":"0004","status":"shipping"},{"order_id":%q,"tracking_no":"T3","shipping_company_code":"0004","status":"shipping","order_item_code":[%q]}]}`,
		paid2.OrderID, delivered.OrderID, delivered.ItemCode)
	code, out = b.send(t, http.MethodPost, "shipments", body)
	var elems []map[string]any
	_ = json.Unmarshal(out["shipments"], &elems)
	if code != http.StatusMultiStatus || len(elems) != 2 || elems[1]["status"] != float64(422) || !strings.Contains(fmt.Sprint(elems[1]["message"]), "is N40") {
		t.Fatalf("mixed shipments: %d %s", code, out["shipments"])
	}
	expect("ship one of two", http.StatusMultiStatus, http.StatusMultiStatus, "N30", paid2)

	// Accept a cancellation request; a return request accepted, picked up, returned.
	{
		l := firstLine(t, tr, "C00", used)
		body = fmt.Sprintf(`{"requests":[{"order_id":%q,"status":"canceled","items":[{"order_item_code":%q,"quantity":1}]}]}`, l.OrderID, l.ItemCode)
		code, _ = b.send(t, http.MethodPost, "cancellation", body)
		expect("accept cancel", code, http.StatusCreated, "C40", l)
		code, _ = b.send(t, http.MethodPost, "cancellation", body)
		expect("accept cancel again", code, http.StatusConflict, "C40", l)
	}
	// Withdraw a cancellation request: the item goes on from where it was; again: 409.
	{
		l := firstLine(t, tr, "C00", used)
		body = fmt.Sprintf(`{"requests":[{"order_id":%q,"claim_code":%q,"undone":"T"}]}`, l.OrderID, l.ClaimCode)
		code, _ = b.send(t, http.MethodPut, "cancellation", body)
		if code != http.StatusOK {
			t.Fatalf("withdraw cancel: %d", code)
		}
		if st := lineIn(b.srv.Truth(), l.ItemCode).Status; st != "N10" && st != "N20" {
			t.Fatalf("withdrawn cancellation: %s is %s, want N10 or N20", l.ItemCode, st)
		}
		code, _ = b.send(t, http.MethodPut, "cancellation", body)
		if code != http.StatusConflict {
			t.Fatalf("withdraw cancel again: %d, want 409", code)
		}
	}
	// Reject a cancellation request: C11 until the item ships; again: 409.
	{
		l := firstLine(t, tr, "C00", used)
		body = fmt.Sprintf(`{"requests":[{"order_id":%q,"items":[{"order_item_code":%q}],"undone":"T","reject_reason":"이미 포장됨"}]}`, l.OrderID, l.ItemCode)
		code, _ = b.send(t, http.MethodPut, "cancellationrequests", body)
		expect("reject cancel", code, http.StatusOK, "C11", l)
		code, _ = b.send(t, http.MethodPut, "cancellationrequests", body)
		expect("reject cancel again", code, http.StatusConflict, "C11", l)
	}
	ret := firstLine(t, tr, "R00", used)
	used[ret.OrderID] = true
	code, _ = b.send(t, http.MethodPost, "return", fmt.Sprintf(`{"requests":[{"order_id":%q,"status":"accepted","items":[{"order_item_code":%q,"quantity":1}]}]}`, ret.OrderID, ret.ItemCode))
	expect("accept return", code, http.StatusCreated, "R10", ret)
	put := func(what, fields string, want int, status string) {
		t.Helper()
		code, _ := b.send(t, http.MethodPut, "return", fmt.Sprintf(`{"requests":[{"order_id":%q,"claim_code":%q%s}]}`, ret.OrderID, ret.ClaimCode, fields))
		expect(what, code, want, status, ret)
	}
	put("pickup", `,"status":"processing","pickup_completed":"T"`, http.StatusOK, "R20")
	put("pickup again", `,"status":"processing","pickup_completed":"T"`, http.StatusConflict, "R20")
	put("returned", `,"status":"returned"`, http.StatusOK, "R40")
	put("withdraw a completed return", `,"undone":"T"`, http.StatusUnprocessableEntity, "R40")

	// Withdraw an open return: back to N40, the claim undone in the truth.
	ret2 := firstLine(t, tr, "R10", used)
	used[ret2.OrderID] = true
	code, _ = b.send(t, http.MethodPut, "return", fmt.Sprintf(`{"requests":[{"order_id":%q,"claim_code":%q,"undone":"T"}]}`, ret2.OrderID, ret2.ClaimCode))
	expect("withdraw", code, http.StatusOK, "N40", ret2)
	withdrawn := false
	for _, c := range b.srv.Truth().Claims {
		withdrawn = withdrawn || (c.Code == ret2.ClaimCode && c.Status == "undone")
	}
	if !withdrawn {
		t.Fatal("the withdrawn return is not undone in the truth")
	}

	// Reject an exchange request: E11.
	{
		ex := firstLine(t, tr, "E00", used)
		code, _ = b.send(t, http.MethodPut, "exchangerequests", fmt.Sprintf(`{"requests":[{"order_id":%q,"items":[{"order_item_code":%q}],"undone":"T","reject_reason":"사용 흔적"}]}`, ex.OrderID, ex.ItemCode))
		expect("reject exchange", code, http.StatusOK, "E11", ex)
	}

	// Requests made as the buyer would: a cancellation of a paid line, a return of a delivered
	// one; they wait for the seller, who can then accept them.
	{
		l := firstLine(t, tr, "N10", used)
		body := fmt.Sprintf(`{"requests":[{"order_id":%q,"items":[{"order_item_code":%q,"quantity":1}]}]}`, l.OrderID, l.ItemCode)
		code, _ := b.send(t, http.MethodPost, "cancellationrequests", body)
		expect("request a cancellation", code, http.StatusCreated, "C00", l)
		code, _ = b.send(t, http.MethodPost, "cancellationrequests", body)
		expect("request it again", code, http.StatusConflict, "C00", l)
		var claim string
		for _, c := range b.srv.Truth().Claims {
			if c.ItemCodes[0] == l.ItemCode && c.Kind == "cancel" && c.Status == "C00" {
				claim = c.Code
			}
		}
		if claim == "" {
			t.Fatal("the requested cancellation is not a claim in the truth")
		}
		code, _ = b.send(t, http.MethodPost, "cancellation", fmt.Sprintf(`{"requests":[{"order_id":%q,"status":"canceled","items":[{"order_item_code":%q,"quantity":1}]}]}`, l.OrderID, l.ItemCode))
		expect("accept the requested cancellation", code, http.StatusCreated, "C40", l)

		var d TruthLine // a delivered line without a claim (nor a free replacement)
		for _, x := range tr.Lines {
			if x.Status == "N40" && x.ClaimCode == "" && x.PaymentAmount > 0 && !used[x.OrderID] {
				d, used[x.OrderID] = x, true
				break
			}
		}
		code, _ = b.send(t, http.MethodPost, "returnrequests", fmt.Sprintf(`{"requests":[{"order_id":%q,"items":[{"order_item_code":%q,"quantity":1}]}]}`, d.OrderID, d.ItemCode))
		expect("request a return", code, http.StatusCreated, "R00", d)
		code, _ = b.send(t, http.MethodPost, "exchangerequests", fmt.Sprintf(`{"requests":[{"order_id":%q,"items":[{"order_item_code":%q,"quantity":1}]}]}`, l.OrderID, l.ItemCode))
		expect("request an exchange of a cancelled line", code, http.StatusUnprocessableEntity, "C40", l)
	}

	// Stock set by hand: the variant has that quantity from now on; the same again is 409;
	// it needs mall.write_product, which the default grant lacks.
	{
		st := tr.Stock[0]
		path := "products/" + st.ProductNo + "/variants/" + st.VariantCode + "/inventories"
		if code, _ := b.send(t, http.MethodPut, path, `{"shop_no":1,"request":{"quantity":7}}`); code != http.StatusForbidden {
			t.Fatalf("PUT inventories without mall.write_product: %d, want 403", code)
		}
		stockToken := b.exchange(t, b.srv.newCode(testRedirect, []string{"mall.read_product", "mall.write_product"}), true).AccessToken
		put := func(body string) int {
			r := httptest.NewRequest(http.MethodPut, "/api/v2/admin/"+path, strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer "+stockToken)
			w := httptest.NewRecorder()
			b.h.ServeHTTP(w, r)
			return w.Code
		}
		if code := put(`{"shop_no":1,"request":{"quantity":7}}`); code != http.StatusOK {
			t.Fatalf("PUT inventories: %d", code)
		}
		for _, got := range b.srv.Truth().Stock {
			if got.VariantCode == st.VariantCode && got.Quantity != 7 {
				t.Fatalf("stock of %s is %d after setting 7", st.VariantCode, got.Quantity)
			}
		}
		if code := put(`{"shop_no":1,"request":{"quantity":7}}`); code != http.StatusConflict {
			t.Fatalf("PUT inventories again: %d, want 409", code)
		}
		if code := put(`{"shop_no":1,"request":{"quantity":-1}}`); code != http.StatusUnprocessableEntity {
			t.Fatalf("PUT inventories -1: %d, want 422", code)
		}
	}

	// Caps and scopes.
	many := strings.Repeat(`{"order_id":"x","claim_code":"y","undone":"T"},`, 11)
	if code, _ := b.send(t, http.MethodPut, "return", `{"requests":[`+strings.TrimSuffix(many, ",")+`]}`); code != http.StatusUnprocessableEntity {
		t.Fatalf("11 requests to PUT /return: %d, want 422", code)
	}
	readOnly := b.exchange(t, b.srv.newCode(testRedirect, []string{"mall.read_order"}), true)
	r := httptest.NewRequest(http.MethodPost, "/api/v2/admin/shipments", strings.NewReader(`{"requests":[]}`))
	r.Header.Set("Authorization", "Bearer "+readOnly.AccessToken)
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Fatalf("a write with a read-only token: %d, want 403", w.Code)
	}
}
