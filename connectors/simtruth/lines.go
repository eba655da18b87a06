// Package simtruth compares what a consumer of a platform simulator stored with the
// simulator's ground truth, the same way for every simulator.
package simtruth

import "fmt"

// Line is one order line, as the truth has it or as a consumer stored it.
type Line struct {
	// Key identifies the line on the platform (Cafe24's order item code, Coupang's
	// shipmentBoxId-vendorItemId).
	Key           string
	Status        string
	Quantity      int
	PaymentAmount int64 // in won
}

// Diff is how stored records differ from the truth.
type Diff struct {
	// Missing records exist in the truth but were not stored; Extra were stored but do not
	// exist; Differing were stored with other values.
	Missing, Extra, Differing int
	// Examples describe up to five of them, for a person.
	Examples []string
}

// Mismatches is the number of records that are not as the truth says.
func (d Diff) Mismatches() int { return d.Missing + d.Extra + d.Differing }

// Note adds an example, up to five.
func (d *Diff) Note(format string, a ...any) {
	if len(d.Examples) < 5 {
		d.Examples = append(d.Examples, fmt.Sprintf(format, a...))
	}
}

// Lines compares stored lines with the truth's by key: status, quantity and amount.
func Lines(truth, stored []Line) Diff {
	var d Diff
	byKey := make(map[string]Line, len(stored))
	for _, s := range stored {
		byKey[s.Key] = s
	}
	for _, l := range truth {
		s, ok := byKey[l.Key]
		if !ok {
			d.Missing++
			d.Note("%s missing (truth %s)", l.Key, l.Status)
			continue
		}
		delete(byKey, l.Key)
		if s.Status != l.Status || s.Quantity != l.Quantity || s.PaymentAmount != l.PaymentAmount {
			d.Differing++
			d.Note("%s stored %s ×%d %d won, truth %s ×%d %d won", l.Key, s.Status, s.Quantity, s.PaymentAmount, l.Status, l.Quantity, l.PaymentAmount)
		}
	}
	d.Extra = len(byKey)
	for _, s := range stored {
		if _, extra := byKey[s.Key]; extra {
			d.Note("%s stored but not in the truth", s.Key)
			break
		}
	}
	return d
}

// Records compares stored records with the truth's by key: a record is missing, extra, or
// differing when any of its fields differs.
func Records[T comparable](truth, stored []T, key func(T) string) Diff {
	var d Diff
	byKey := make(map[string]T, len(stored))
	for _, s := range stored {
		byKey[key(s)] = s
	}
	for _, r := range truth {
		s, ok := byKey[key(r)]
		if !ok {
			d.Missing++
			d.Note("%s missing (truth %+v)", key(r), r)
			continue
		}
		delete(byKey, key(r))
		if s != r {
			d.Differing++
			d.Note("%s stored %+v, truth %+v", key(r), s, r)
		}
	}
	d.Extra = len(byKey)
	for _, s := range stored {
		if _, extra := byKey[key(s)]; extra {
			d.Note("%s stored but not in the truth", key(s))
			break
		}
	}
	return d
}
