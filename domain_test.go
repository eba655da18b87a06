package mallsync_test

import (
	"testing"

	"github.com/mallsync/mallsync"
)

func TestParseWon(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    mallsync.Money
		wantErr bool
	}{
		{"30000.00", 30000, false},
		{"30000", 30000, false},
		{" 1500.0 ", 1500, false},
		{"-500.00", -500, false},
		{"", 0, false},
		{"12.50", 0, true},
		{"1,000", 0, true},
		{"abc", 0, true},
	}
	for _, tt := range tests {
		got, err := mallsync.ParseWon(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseWon(%q) = %d, %v", tt.in, got, err)
		}
		if err != nil && mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Errorf("ParseWon(%q) error code = %s", tt.in, mallsync.ErrorCode(err))
		}
	}
	if s := mallsync.Money(1234567).String(); s != "1,234,567원" {
		t.Errorf("String = %q", s)
	}
}

func TestOwnershipRules(t *testing.T) {
	t.Parallel()
	rules := mallsync.OwnershipRules{Default: mallsync.OwnConsignment, Rules: []mallsync.OwnershipRule{
		{SupplierCode: "S1", Brand: "B", Ownership: mallsync.OwnLogistics},
		{SupplierCode: "S1", Ownership: mallsync.OwnDirect},
		{ProductCode: "P9", Ownership: mallsync.OwnLogistics},
		{TradingType: "C", Ownership: mallsync.OwnConsignment},
		{TradingType: "D", ShippingType: "D", Ownership: mallsync.OwnDirect},
		{Ownership: mallsync.OwnDirect}, // matches nothing: no field set
	}}
	tests := []struct {
		line mallsync.OrderLine
		want mallsync.Ownership
	}{
		{mallsync.OrderLine{SupplierCode: "S1", Brand: "B"}, mallsync.OwnLogistics},
		{mallsync.OrderLine{SupplierCode: "S1", Brand: "C"}, mallsync.OwnDirect},
		{mallsync.OrderLine{ProductCode: "P9"}, mallsync.OwnLogistics},
		{mallsync.OrderLine{SupplierCode: "S2"}, mallsync.OwnConsignment},
		{mallsync.OrderLine{SupplierCode: "S3", SupplierTradingType: "C"}, mallsync.OwnConsignment},
		{mallsync.OrderLine{SupplierCode: "S3", SupplierTradingType: "D", ProductShippingType: "D"}, mallsync.OwnDirect},
		{mallsync.OrderLine{SupplierCode: "S3", SupplierTradingType: "D", ProductShippingType: "C"}, mallsync.OwnConsignment}, // default
	}
	for _, tt := range tests {
		if got := rules.Decide(&tt.line); got != tt.want {
			t.Errorf("Decide(%+v) = %s, want %s", tt.line, got, tt.want)
		}
	}
	if got := (mallsync.OwnershipRules{}).Decide(&mallsync.OrderLine{}); got != mallsync.OwnDirect {
		t.Errorf("empty rules decide %s, want direct", got)
	}
}

func TestCatalogFactsFill(t *testing.T) {
	t.Parallel()
	orders := []mallsync.Order{{Lines: []mallsync.OrderLine{
		{SupplierCode: "S1", ProductCode: "P1"},
		{SupplierCode: "S9", ProductCode: "P9", SupplierTradingType: "kept"},
	}}}
	mallsync.CatalogFacts{
		SupplierTradingTypes: map[string]string{"S1": "C"},
		ProductShippingTypes: map[string]string{"P1": "D"},
	}.Fill(orders)
	if l := orders[0].Lines[0]; l.SupplierTradingType != "C" || l.ProductShippingType != "D" {
		t.Errorf("known supplier and product: %q %q, want C D", l.SupplierTradingType, l.ProductShippingType)
	}
	if l := orders[0].Lines[1]; l.SupplierTradingType != "kept" || l.ProductShippingType != "" {
		t.Errorf("unknown supplier and product changed the line: %q %q", l.SupplierTradingType, l.ProductShippingType)
	}
}

func TestStatusMapLineStatusOf(t *testing.T) {
	t.Parallel()
	m := mallsync.StatusMap{Platform: "cafe24", Rules: map[string]mallsync.StatusRule{
		"N40": {Code: "N40", Line: mallsync.LineDelivered},
		"R00": {Code: "R00", KeepsPriorStatus: true, ClaimKind: mallsync.ClaimReturn, ClaimStatus: mallsync.ClaimRequested},
		"C40": {Code: "C40", Line: mallsync.LineCanceled, ClaimKind: mallsync.ClaimCancel, ClaimStatus: mallsync.ClaimCompleted},
	}}
	tests := []struct {
		code, prior string
		want        mallsync.LineStatus
		wantErr     bool
	}{
		{"N40", "", mallsync.LineDelivered, false},
		{"R00", "N40", mallsync.LineDelivered, false},
		{"R00", "", "", true},
		{"R00", "R00", "", true},
		{"Z99", "", "", true},
		{"C40", "N40", mallsync.LineCanceled, false},
	}
	for _, tt := range tests {
		got, _, err := m.LineStatusOf(tt.code, tt.prior)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("LineStatusOf(%s, %s) = %s, %v", tt.code, tt.prior, got, err)
		}
	}
}
