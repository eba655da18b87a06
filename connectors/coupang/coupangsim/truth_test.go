package coupangsim

import (
	"testing"

	"github.com/mallsync/mallsync/connectors/simtruth"
)

func TestTruthDiff(t *testing.T) {
	t.Parallel()
	tr := Truth{Lines: []TruthLine{
		{LineID: "1-10", Status: "ACCEPT", Quantity: 1, PaymentAmount: 1000},
		{LineID: "2-20", Status: "DEPARTURE", Quantity: 2, PaymentAmount: 4000},
	}}
	line := func(key, status string, qty int, amount int64) simtruth.Line {
		return simtruth.Line{Key: key, Status: status, Quantity: qty, PaymentAmount: amount}
	}
	tests := []struct {
		name                      string
		stored                    []simtruth.Line
		missing, extra, differing int
	}{
		{"equal", []simtruth.Line{line("2-20", "DEPARTURE", 2, 4000), line("1-10", "ACCEPT", 1, 1000)}, 0, 0, 0},
		{"missing and extra", []simtruth.Line{line("1-10", "ACCEPT", 1, 1000), line("3-30", "ACCEPT", 1, 1000)}, 1, 1, 0},
		{"status and amount", []simtruth.Line{line("1-10", "INSTRUCT", 1, 1000), line("2-20", "DEPARTURE", 2, 3999)}, 0, 0, 2},
	}
	for _, tt := range tests {
		d := tr.Diff(tt.stored)
		if d.Missing != tt.missing || d.Extra != tt.extra || d.Differing != tt.differing || (d.Mismatches() > 0) != (len(d.Examples) > 0) {
			t.Errorf("%s: %+v", tt.name, d)
		}
	}
}
