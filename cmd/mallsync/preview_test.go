package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestPreviewCommand(t *testing.T) {
	t.Parallel()
	const ref = "../../connectors/cafe24/testdata/reference/"
	tests := []struct {
		name      string
		args      []string
		wantErr   string
		wantOut   func(out map[string]any) bool
		wantStder string
	}{
		{"a return that maps", []string{"--resource", "return", ref + "return_update.json"}, "",
			func(out map[string]any) bool { c, _ := out["claims"].([]any); return len(c) == 1 }, ""},
		{"shipments without invoices", []string{"--resource", "shipments", ref + "shipments_update.json"}, "2 of 2 records",
			func(out map[string]any) bool { e, _ := out["errors"].([]any); return len(e) == 2 }, "shipment D-20190108-0000791-00 has no tracking_no"},
		{"the wrong resource", []string{"--resource", "orders", ref + "inventory.json"}, `no "orders" or "order" (its keys: inventory)`, nil, ""},
		{"an unknown platform", []string{"--platform", "gmarket", ref + "inventory.json"}, `unknown platform "gmarket"`, nil, ""},
		// The SmartStore reference files hold a record or two that must not map, beside ones that do.
		{"smartstore product orders", []string{"--platform", "smartstore", "../../connectors/smartstore/testdata/reference/product-orders.json"}, "1 of 12 records",
			func(out map[string]any) bool {
				o, _ := out["orders"].([]any)
				c, _ := out["claims"].([]any)
				return len(o) > 0 && len(c) > 0
			}, `productOrderStatus "PAYMENT_TELEPORTED" is not a line status`},
		{"smartstore changes", []string{"--platform", "smartstore", "--resource", "last-changed-statuses", "../../connectors/smartstore/testdata/reference/last-changed-statuses.json"}, "2 of 5 records",
			nil, `"not a time" is not a time with an offset`},
		{"coupang return requests", []string{"--platform", "coupang", "--resource", "returnRequests", "../../connectors/coupang/testdata/reference/returnRequests.json"}, "",
			func(out map[string]any) bool { c, _ := out["claims"].([]any); return len(c) > 0 }, ""},
		{"a coupang order sheet", []string{"--platform", "coupang", "../../connectors/coupang/testdata/ordersheets_v4.json"}, "",
			func(out map[string]any) bool { o, _ := out["orders"].([]any); return len(o) == 1 }, ""},
		{"no file", []string{"--resource", "orders", ref + "nothing.json"}, "no such file", nil, ""},
		{"two files", []string{ref + "inventory.json", ref + "orders.json"}, "expected one FILE", nil, ""},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		err := Run(context.Background(), append([]string{"preview"}, tt.args...), envOf(nil), &out, &errb)
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.wantErr)
		}
		if tt.wantOut != nil {
			var v map[string]any
			if err := json.Unmarshal(out.Bytes(), &v); err != nil || !tt.wantOut(v) {
				t.Errorf("%s: stdout %s (%v)", tt.name, out.String(), err)
			}
		}
		if !strings.Contains(errb.String(), tt.wantStder) {
			t.Errorf("%s: stderr %q, want %q", tt.name, errb.String(), tt.wantStder)
		}
	}
}
