package cafe24sim

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Every claim of the truth is served by its own endpoint, and every forward parcel by its
// order's shipments; unknown codes are 404.
func TestClaimAndShipmentEndpoints(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.Orders = 6000
	opts.Clock = NewClock(testStart.Add(testEnd.Sub(testStart) / 2))
	b := setup(t, opts)
	tr := b.srv.Truth()
	resource := map[string]string{"cancel": "cancellation", "return": "return", "exchange": "exchange"}
	seen := map[string]int{}
	for _, c := range tr.Claims {
		w := b.get(t, "/api/v2/admin/"+resource[c.Kind]+"/"+c.Code, b.token)
		var out map[string]struct {
			ClaimCode string `json:"claim_code"`
			OrderID   string `json:"order_id"`
			Undone    string `json:"undone"`
			Items     []struct {
				OrderItemCode string `json:"order_item_code"`
			} `json:"items"`
		}
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &out) != nil {
			t.Fatalf("GET %s %s: %d %s", resource[c.Kind], c.Code, w.Code, w.Body.String())
		}
		got := out[resource[c.Kind]]
		if got.ClaimCode != c.Code || got.OrderID != c.OrderID || len(got.Items) != len(c.ItemCodes) || got.Items[0].OrderItemCode != c.ItemCodes[0] ||
			(got.Undone == "T") != (c.Status == "undone") {
			t.Fatalf("GET %s %s = %+v, truth %+v", resource[c.Kind], c.Code, got, c)
		}
		seen[c.Kind]++
	}
	if seen["cancel"] == 0 || seen["return"] == 0 || seen["exchange"] == 0 {
		t.Fatalf("claims served: %v: the test proves nothing", seen)
	}
	for _, path := range []string{"return/C20240101-0000001", "cancellation/C20240101-9999999", "exchange/B2024", "return/R20241301-0000001"} {
		if w := b.get(t, "/api/v2/admin/"+path, b.token); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, w.Code)
		}
	}

	n := 0
	for _, s := range tr.Shipments {
		if s.Kind != "forward" || n >= 300 {
			continue
		}
		n++
		w := b.get(t, "/api/v2/admin/orders/"+s.OrderID+"/shipments", b.token)
		var out struct {
			Shipments []struct {
				ShippingCode string `json:"shipping_code"`
				TrackingNo   string `json:"tracking_no"`
				Carrier      string `json:"shipping_company_code"`
				Items        []struct {
					OrderItemCode string `json:"order_item_code"`
				} `json:"items"`
			} `json:"shipments"`
		}
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &out) != nil {
			t.Fatalf("GET shipments of %s: %d %s", s.OrderID, w.Code, w.Body.String())
		}
		found := false
		for _, g := range out.Shipments {
			found = found || (g.ShippingCode == s.ID && g.TrackingNo == s.TrackingNo && g.Carrier == s.CarrierCode && len(g.Items) == len(s.ItemCodes))
		}
		if !found {
			t.Fatalf("parcel %+v not in %s", s, w.Body.String())
		}
	}
	if w := b.get(t, "/api/v2/admin/orders/20991231-0000001/shipments", b.token); w.Code != http.StatusNotFound {
		t.Errorf("shipments of an unknown order: %d", w.Code)
	}
}
