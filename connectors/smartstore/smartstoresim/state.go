package smartstoresim

import (
	"sort"
	"time"
)

// ref points at one reported event in the index of changes.
type ref struct {
	at int64
	po *productOrder
	ev int
}

func (s *Server) indexEvent(po *productOrder, i int) {
	if po.events[i].typ != "" {
		s.index = append(s.index, ref{at: po.events[i].at, po: po, ev: i})
	}
}

func refLess(a, b ref) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if a.po.id != b.po.id {
		return a.po.id < b.po.id
	}
	return a.ev < b.ev
}

func (s *Server) sortIndex() {
	sort.Slice(s.index, func(i, j int) bool { return refLess(s.index[i], s.index[j]) })
}

// insertRef adds a reported event to the sorted index.
func (s *Server) insertRef(r ref) {
	i := sort.Search(len(s.index), func(i int) bool { return !refLess(s.index[i], r) })
	s.index = append(s.index, ref{})
	copy(s.index[i+1:], s.index[i:])
	s.index[i] = r
}

// lateness is how an event's showing is delayed under the current faults.
type lateness struct {
	rate float64
	max  int64
}

func (s *Server) lateness() lateness {
	f := s.currentFaults()
	m := f.LateMax
	if m <= 0 {
		m = 30 * time.Minute
	}
	return lateness{rate: f.LateRate, max: m.Milliseconds()}
}

// shows is when the event shows, before the product order's earlier events are considered.
func (l lateness) shows(e *event) int64 {
	if e.typ != "" && e.lateU < l.rate {
		return e.at + 1 + e.lateD%l.max
	}
	return e.at
}

// current returns the index of the product order's latest event in effect at now and of its
// latest reported one (the row the changes list shows); -1 when none. An event takes effect
// when it shows, never before an earlier event of the same product order.
func (l lateness) current(po *productOrder, now int64) (cur, row int) {
	cur, row = -1, -1
	shown := int64(-1 << 62)
	for i := range po.events {
		e := &po.events[i]
		if e.gone {
			continue
		}
		shown = max(shown, l.shows(e))
		if shown > now {
			break
		}
		cur = i
		if e.typ != "" {
			row = i
		}
	}
	return cur, row
}
