package cafe24

import "time"

// kst is Korea Standard Time, in which Cafe24 speaks (no daylight saving).
var kst = time.FixedZone("KST", 9*60*60)

const (
	// maxOffset is the largest offset GET /orders accepts.
	maxOffset = 15000
	// pageLimit is the page size asked for (the API's maximum).
	pageLimit = 1000
	// windowMonths is the longest span one GET /orders may cover.
	windowMonths = 3
	// kstLayout is how dates are sent: ISO 8601 with the KST offset.
	kstLayout = "2006-01-02T15:04:05+09:00"
)

// window is a span of whole seconds, inclusive at both ends, in UTC.
type window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// seconds is the number of seconds the window covers.
func (w window) seconds() int64 { return int64(w.End.Sub(w.Start)/time.Second) + 1 }

// next is the first second after the window.
func (w window) next() time.Time { return w.End.Add(time.Second) }

// firstHalf is the first half of w (at least one second).
func (w window) firstHalf() window {
	half := w.seconds() / 2
	if half < 1 {
		half = 1
	}
	return window{Start: w.Start, End: w.Start.Add(time.Duration(half-1) * time.Second)}
}

// windowFrom is the widest window the API allows that starts at pos and ends no later than
// until: at most windowMonths calendar months in KST, ending one second before
// pos + windowMonths months (a day that does not exist in the target month is clamped to the
// month's last day, so the window never exceeds the limit).
func windowFrom(pos, until time.Time) window {
	end := addMonthsKST(pos, windowMonths).Add(-time.Second)
	if end.After(until) {
		end = until
	}
	return window{Start: pos, End: end}
}

// addMonthsKST adds n calendar months to t as a KST wall clock, clamping the day to the end of
// the target month (Jan 31 + 1 month = Feb 28/29, never Mar 3).
func addMonthsKST(t time.Time, n int) time.Time {
	k := t.In(kst)
	y, m, d := k.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, kst)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, k.Hour(), k.Minute(), k.Second(), 0, kst).UTC()
}

// formatKST renders t the way the API takes dates.
func formatKST(t time.Time) string { return t.In(kst).Format(kstLayout) }

// wholeSecond truncates t to the second, in UTC.
func wholeSecond(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
