package simtruth

import "testing"

func TestLinesAndRecords(t *testing.T) {
	t.Parallel()
	truth := []Line{{"a", "N10", 1, 1000}, {"b", "N20", 2, 2000}, {"c", "N30", 1, 500}}
	type rec struct{ ID, Status string }
	tests := []struct {
		name                      string
		stored                    []Line
		missing, extra, differing int
	}{
		{"equal", []Line{{"c", "N30", 1, 500}, {"a", "N10", 1, 1000}, {"b", "N20", 2, 2000}}, 0, 0, 0},
		{"a status differs", []Line{{"a", "N20", 1, 1000}, {"b", "N20", 2, 2000}, {"c", "N30", 1, 500}}, 0, 0, 1},
		{"an amount differs", []Line{{"a", "N10", 1, 999}, {"b", "N20", 2, 2000}, {"c", "N30", 1, 500}}, 0, 0, 1},
		{"missing and extra", []Line{{"a", "N10", 1, 1000}, {"b", "N20", 2, 2000}, {"x", "N30", 1, 500}}, 1, 1, 0},
		{"nothing stored", nil, 3, 0, 0},
	}
	for _, tt := range tests {
		d := Lines(truth, tt.stored)
		if d.Missing != tt.missing || d.Extra != tt.extra || d.Differing != tt.differing || d.Mismatches() != tt.missing+tt.extra+tt.differing {
			t.Errorf("%s: %+v", tt.name, d)
		}
		if d.Mismatches() > 0 && len(d.Examples) == 0 {
			t.Errorf("%s: mismatches without an example", tt.name)
		}
		// Records agrees with Lines on the same data.
		r := Records(truth, tt.stored, func(l Line) string { return l.Key })
		if r.Missing != d.Missing || r.Extra != d.Extra || r.Differing != d.Differing {
			t.Errorf("%s: Records %+v, Lines %+v", tt.name, r, d)
		}
	}
	if d := Records([]rec{{"1", "x"}}, []rec{{"1", "y"}, {"2", "z"}}, func(r rec) string { return r.ID }); d.Differing != 1 || d.Extra != 1 {
		t.Errorf("records: %+v", d)
	}
}
