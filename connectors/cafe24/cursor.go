package cafe24

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/mallsync/mallsync"
)

// cursorVersion is the version of the cursor format below; a cursor of another version is
// refused rather than guessed at.
const cursorVersion = 1

// The cursor's phases.
const (
	phaseBackfill    = "backfill"
	phaseIncremental = "incremental"
)

// DateTypes are the date_type values an incremental pass reads, in order. Between them they
// move with every step an order line takes that Cafe24 dates: placed, paid, order placed with
// the supplier, shipped, delivered, purchase confirmed, and the request, acceptance and
// completion of every cancellation, return and exchange. The steps no date_type follows (a
// claim held, picked up, rejected or withdrawn) are caught by reading the orders with open
// claims again at the end of each pass (see rereadOpenClaims).
var DateTypes = []string{
	"order_date", "pay_date", "place_date", "shipbegin_date", "shipend_date",
	"purchaseconfirmation_date",
	"cancel_request_date", "cancel_accept_date", "cancel_complete_date", "cancel_date",
	"return_request_date", "return_accept_date", "return_complete_date",
	"exchange_request_date", "exchange_accept_date", "exchange_complete_date",
}

// cursor is the orders stream's position, stored as JSON in mallsync.Cursor.Value:
//
//	{"v":1,"phase":"backfill",
//	 "sweep":{"date_type":"order_date","pos":"2026-01-01T00:00:00Z","until":"2026-07-01T03:00:00Z",
//	          "win":{"start":"…","end":"…","offset":2000,"count":9400}}}
//
//	{"v":1,"phase":"incremental","pass_now":"2026-07-01T03:10:00Z",
//	 "sweep":{"date_type":"pay_date","pos":"…","until":"2026-07-01T03:10:00Z"},
//	 "hwm":{"order_date":"2026-07-01T03:10:00Z","pay_date":"2026-07-01T03:00:00Z",…}}
//
//	{"v":1,"phase":"incremental","pass_now":"…","hwm":{…},
//	 "reread":{"loaded":true,"ids":["20260701-0000013",…],"pos":100}}
//
// A sweep reads one date_type from pos to until (inclusive) window by window; win is the
// window being paged, with the next offset and the count taken when it was opened. During the
// backfill the sweep's until is the time the backfill began. Between passes sweep and
// pass_now are absent. After the last date_type's sweep a pass reads the orders with open
// claims again (reread: the ids as listed when the pass got there, and how many are read).
// All times are UTC, whole seconds.
type cursor struct {
	V       int                  `json:"v"`
	Phase   string               `json:"phase"`
	PassNow time.Time            `json:"pass_now,omitzero"`
	Sweep   *sweep               `json:"sweep,omitempty"`
	HWM     map[string]time.Time `json:"hwm,omitempty"`
	Reread  *reread              `json:"reread,omitempty"`
}

// reread is the end of a pass that reads orders with open claims by order_id.
type reread struct {
	// Loaded says whether IDs were listed yet (they are listed once per pass).
	Loaded bool     `json:"loaded"`
	IDs    []string `json:"ids,omitempty"`
	Pos    int      `json:"pos"`
}

func (r *reread) done() bool { return r.Loaded && r.Pos >= len(r.IDs) }

// sweep is one date_type being read from Pos to Until.
type sweep struct {
	DateType string      `json:"date_type"`
	Pos      time.Time   `json:"pos"`
	Until    time.Time   `json:"until"`
	Win      *openWindow `json:"win,omitempty"`
}

// openWindow is the window being paged.
type openWindow struct {
	window
	Offset int `json:"offset"`
	Count  int `json:"count"`
	// Last is the order_id of the last row read, to recognise rows a shifted list sends again.
	Last string `json:"last,omitempty"`
}

// done reports whether the sweep has read everything up to Until.
func (s *sweep) done() bool { return s.Win == nil && s.Pos.After(s.Until) }

func parseCursor(v string) (cursor, error) {
	if v == "" {
		return cursor{V: cursorVersion}, nil
	}
	var c cursor
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return cursor{}, mallsync.Errorf(mallsync.EINVALID, "cafe24 orders cursor is not valid JSON: %v", err)
	}
	if c.V != cursorVersion {
		return cursor{}, mallsync.Errorf(mallsync.EINVALID, "cafe24 orders cursor has version %d, want %d", c.V, cursorVersion)
	}
	bad := func(what string) (cursor, error) {
		return cursor{}, mallsync.Errorf(mallsync.EINVALID, "cafe24 orders cursor: %s", what)
	}
	switch c.Phase {
	case phaseBackfill:
		if c.Sweep == nil || c.Sweep.DateType != "order_date" {
			return bad("a backfill needs an order_date sweep")
		}
	case phaseIncremental:
		if c.Sweep != nil && !slices.Contains(DateTypes, c.Sweep.DateType) {
			return bad("unknown date_type " + c.Sweep.DateType)
		}
		if (c.Sweep != nil || c.Reread != nil) && c.PassNow.IsZero() {
			return bad("a pass without pass_now")
		}
		if c.Sweep != nil && c.Reread != nil {
			return bad("a sweep and a re-read at once")
		}
		if r := c.Reread; r != nil && (r.Pos < 0 || r.Pos > len(r.IDs)) {
			return bad("a re-read position outside its ids")
		}
	default:
		return bad("unknown phase " + c.Phase)
	}
	if s := c.Sweep; s != nil {
		if s.Pos.IsZero() || s.Until.IsZero() {
			return bad("a sweep without pos or until")
		}
		if w := s.Win; w != nil && (w.End.Before(w.Start) || w.Offset < 0 || w.Offset > maxOffset) {
			return bad("a malformed window")
		}
	}
	return c, nil
}

func (c cursor) String() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a cursor always marshals
	}
	return string(b)
}
