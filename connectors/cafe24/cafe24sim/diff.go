package cafe24sim

import "fmt"

// StoredLine is what a consumer stored for one order item, to compare with the truth.
type StoredLine struct {
	ItemCode      string
	Status        string
	Quantity      int
	PaymentAmount int64
}

// Diff is how stored lines differ from the truth.
type Diff struct {
	// Missing lines exist in the truth but were not stored; Extra were stored but do not exist;
	// Differing were stored with another status, quantity or amount.
	Missing, Extra, Differing int
	// Examples describe up to five of them, for a person.
	Examples []string
}

// Mismatches is the number of lines that are not as the truth says.
func (d Diff) Mismatches() int { return d.Missing + d.Extra + d.Differing }

// Diff compares stored lines with the truth.
func (t Truth) Diff(stored []StoredLine) Diff {
	var d Diff
	note := func(format string, a ...any) {
		if len(d.Examples) < 5 {
			d.Examples = append(d.Examples, fmt.Sprintf(format, a...))
		}
	}
	byCode := make(map[string]StoredLine, len(stored))
	for _, s := range stored {
		byCode[s.ItemCode] = s
	}
	for _, l := range t.Lines {
		s, ok := byCode[l.ItemCode]
		if !ok {
			d.Missing++
			note("%s missing (truth %s)", l.ItemCode, l.Status)
			continue
		}
		delete(byCode, l.ItemCode)
		if s.Status != l.Status || s.Quantity != l.Quantity || s.PaymentAmount != l.PaymentAmount {
			d.Differing++
			note("%s stored %s ×%d %d won, truth %s ×%d %d won", l.ItemCode, s.Status, s.Quantity, s.PaymentAmount, l.Status, l.Quantity, l.PaymentAmount)
		}
	}
	d.Extra = len(byCode)
	for _, s := range stored {
		if _, extra := byCode[s.ItemCode]; extra {
			note("%s stored but not in the truth", s.ItemCode)
			break
		}
	}
	return d
}
