package cafe24sim

import "testing"

func TestTruthDiff(t *testing.T) {
	t.Parallel()
	truth := Truth{Lines: []TruthLine{
		{ItemCode: "a-01", Status: "N40", Quantity: 1, PaymentAmount: 1000},
		{ItemCode: "a-02", Status: "N30", Quantity: 2, PaymentAmount: 2000},
		{ItemCode: "b-01", Status: "N10", Quantity: 1, PaymentAmount: 500},
	}}
	tests := []struct {
		name                      string
		stored                    []StoredLine
		missing, extra, differing int
	}{
		{"equal", []StoredLine{{"a-01", "N40", 1, 1000}, {"a-02", "N30", 2, 2000}, {"b-01", "N10", 1, 500}}, 0, 0, 0},
		{"missing and extra", []StoredLine{{"a-01", "N40", 1, 1000}, {"a-02", "N30", 2, 2000}, {"c-01", "N10", 1, 500}}, 1, 1, 0},
		{"status, quantity, amount", []StoredLine{{"a-01", "N30", 1, 1000}, {"a-02", "N30", 1, 2000}, {"b-01", "N10", 1, 501}}, 0, 0, 3},
	}
	for _, tt := range tests {
		d := truth.Diff(tt.stored)
		if d.Missing != tt.missing || d.Extra != tt.extra || d.Differing != tt.differing || (d.Mismatches() > 0) != (len(d.Examples) > 0) {
			t.Errorf("%s: %+v", tt.name, d)
		}
	}
}

func TestDiffClaimsAndShipments(t *testing.T) {
	t.Parallel()
	tr := Truth{
		Claims: []TruthClaim{{Code: "R1", Kind: "return", Status: "R20", ItemCodes: []string{"a-01"}, ReturnTrackingNo: "7"},
			{Code: "C1", Kind: "cancel", Status: "C40", ItemCodes: []string{"b-01"}}},
		Shipments: []TruthShipment{{ID: "D-a-00", Kind: "forward", TrackingNo: "6", ItemCodes: []string{"a-01", "a-02"}}},
	}
	d := tr.DiffClaims([]StoredClaim{{Code: "R1", Kind: "return", Status: "undone", ItemCodes: []string{"a-01"}, ReturnTrackingNo: "7"},
		{Code: "X1", Kind: "return", Status: "R00"}})
	if d.Missing != 1 || d.Differing != 1 || d.Extra != 1 || d.Mismatches() != 3 {
		t.Errorf("claims diff = %+v", d)
	}
	if d := tr.DiffShipments([]StoredShipment{{ID: "D-a-00", Kind: "forward", TrackingNo: "6", ItemCodes: []string{"a-02", "a-01"}}}); d.Mismatches() != 0 {
		t.Errorf("shipments in another order differ: %+v", d)
	}
}
