package smartstore

import (
	"encoding/json"
	"time"

	"github.com/mallsync/mallsync"
)

// MaxWindow is the widest lastChangedFrom..lastChangedTo range Naver accepts.
const MaxWindow = 24 * time.Hour

// DefaultLookback is how far behind the end of the last pass the next one starts when the mall
// sets no sync lookback: Naver may record a change some time after its lastChangedDate.
const DefaultLookback = time.Hour

// RevisitHorizon is how far back each pass after the backfill re-reads the details of rows
// that are not final: 발주확인, 배송완료, the start of a pickup and a holdback change a product
// order without giving it a new row.
const RevisitHorizon = 7 * 24 * time.Hour

// The phases of a pass.
const (
	phaseChanges = "changes" // the rows changed since the last pass (less the lookback)
	phaseRevisit = "revisit" // the rows of the horizon that may still move without a new row
)

// cursor is where the orders stream is: the page (From, Seq) = (moreFrom, moreSequence) of the
// window [.., To] of a phase of the pass that started at Pass. Between passes only Last (the
// end of the last finished pass) is set. Times are UTC with milliseconds.
//
//	{"v":1,"phase":"changes","pass":"2026-10-05T03:00:00Z","from":"2026-10-04T02:10:31.118Z","seq":"00002026100450000143","to":"2026-10-05T02:00:00Z","last":"2026-10-05T00:00:00Z"}
type cursor struct {
	V     int       `json:"v"`
	Phase string    `json:"phase,omitempty"`
	Pass  time.Time `json:"pass,omitzero"`
	From  time.Time `json:"from,omitzero"`
	Seq   string    `json:"seq,omitempty"`
	To    time.Time `json:"to,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

func parseCursor(v string) (cursor, error) {
	var c cursor
	if v == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(v), &c); err != nil || c.V != 1 ||
		(c.Phase != "" && c.Phase != phaseChanges && c.Phase != phaseRevisit) || (c.Phase != "" && (c.Pass.IsZero() || c.To.Before(c.From))) {
		return cursor{}, mallsync.Errorf(mallsync.EINVALID, "not a smartstore orders cursor: %q", v)
	}
	return c, nil
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// window returns [from, min(from + MaxWindow, end)].
func window(from, end time.Time) (time.Time, time.Time) {
	to := from.Add(MaxWindow)
	if to.After(end) {
		to = end
	}
	return from, to
}

// next moves the cursor past a page whose answer had more (moreFrom, moreSequence) or not.
// It returns the new cursor and whether the pass is over.
func (c cursor) next(more *moreJSON, backfill time.Time, horizon time.Duration) (cursor, bool, error) {
	switch {
	case more != nil:
		t, err := parseTime(more.MoreFrom)
		if err != nil || t.Before(c.From) || t.After(c.To) {
			return c, false, mallsync.Errorf(mallsync.EINVALID, "smartstore answered a moreFrom %q outside the window asked", more.MoreFrom)
		}
		c.From, c.Seq = t, more.MoreSequence
	case c.To.Before(c.Pass):
		c.From, c.To = window(c.To.Add(time.Millisecond), c.Pass)
		c.Seq = ""
	case c.Phase == phaseChanges && !c.Last.IsZero():
		from := c.Pass.Add(-horizon)
		if from.Before(backfill) {
			from = backfill
		}
		c.Phase, c.Seq = phaseRevisit, ""
		c.From, c.To = window(from, c.Pass)
	default:
		return cursor{V: 1, Last: c.Pass}, true, nil
	}
	return c, false, nil
}
