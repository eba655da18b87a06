package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// ClaimsHorizon is how far back each pass after the backfill lists return and cancel
// receipts (by creation): a receipt moves on (pickup, receipt, Coupang's check, completion)
// for days after it is made, and one 31-day window covers that.
const ClaimsHorizon = 31 * 24 * time.Hour

// ExchangesHorizon is how far back each pass lists exchanges: two of the API's 7-day windows.
const ExchangesHorizon = 14 * 24 * time.Hour

// ReReadOverlap is how far before the previous pass a completed receipt's change may lie and
// still have its boxes re-read: changes Coupang shows late (after the time they carry) are
// caught as long as they are less late than this.
const ReReadOverlap = 24 * time.Hour

// claimPhase is one listing a claims pass walks through.
type claimPhase struct {
	name string
	// window is the API's longest window, in days counted inclusively.
	window int
}

// claimPhases are the listings of a claims pass, in order: cancels (cancelType=CANCEL), the
// return statuses in the order a receipt moves through them (so that a receipt that moves
// during a pass is read at its newer status, or at the next pass), withdrawals, exchanges.
var claimPhases = []claimPhase{
	{"CANCEL", 31}, {"RU", 31}, {"UC", 31}, {"PR", 31}, {"CC", 31},
	{"withdrawals", 7}, {"exchanges", 7},
}

const (
	phaseWithdrawals = 5
	phaseExchanges   = 6
)

// claimCursor is where the claims stream is.
//
//	{"v":1,"pass_now":"…","phase":2,"day":"2026-10-01","token":"…","last":"…","prev":"…"}
type claimCursor struct {
	V       int       `json:"v"`
	PassNow time.Time `json:"pass_now,omitzero"` // the running pass's now; zero between passes
	Phase   int       `json:"phase,omitempty"`   // index into claimPhases
	Day     string    `json:"day,omitempty"`     // the window's first day (KST)
	Token   string    `json:"token,omitempty"`   // nextToken, or the withdrawals' pageIndex
	Last    time.Time `json:"last,omitzero"`     // the now of the last finished pass
	Prev    time.Time `json:"prev,omitzero"`     // in a pass: the previous pass's now (zero in the backfill)
}

func parseClaimCursor(v string) (claimCursor, error) {
	var c claimCursor
	if v == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(v), &c); err != nil || c.V != 1 || c.Phase < 0 || c.Phase >= len(claimPhases) {
		return claimCursor{}, mallsync.Errorf(mallsync.EINVALID, "not a coupang claims cursor: %q", v)
	}
	return c, nil
}

func (c claimCursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// phaseFrom is the first day phase p lists in the pass of cur.
func (c *Connector) phaseFrom(cur claimCursor, p int) string {
	back := day(c.mall.Sync.BackfillStart)
	from := back
	if !cur.Prev.IsZero() {
		switch p {
		case phaseWithdrawals: // withdrawals do not move: since the last pass, a day of overlap
			from = day(cur.Prev.Add(-24 * time.Hour))
		case phaseExchanges:
			from = day(cur.PassNow.Add(-ExchangesHorizon))
		default:
			from = day(cur.PassNow.Add(-ClaimsHorizon))
		}
	}
	return max(from, back)
}

// fetchClaims reads the page that follows cur: one listing call, and the calls its records
// need (a re-read of each box a newly completed receipt took items from, the receipt of each
// withdrawal).
func (c *Connector) fetchClaims(ctx context.Context, cur claimCursor, now time.Time) (connectors.Fetched, error) {
	if c.mall.Sync.BackfillStart.IsZero() {
		return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "mall %s has no sync backfill start", c.mall.Key)
	}
	if cur.V == 0 { // the first pass: the backfill
		cur = claimCursor{V: 1}
	}
	if cur.PassNow.IsZero() {
		if !cur.Last.IsZero() && !now.After(cur.Last) {
			return connectors.Fetched{Next: cur.String(), CaughtUp: true}, nil
		}
		cur = claimCursor{V: 1, PassNow: now, Prev: cur.Last}
		cur.Day = c.phaseFrom(cur, 0)
	}
	ph := claimPhases[cur.Phase]
	last := day(cur.PassNow)
	to := min(addDays(cur.Day, ph.window-1), last)
	var (
		page mallsync.Page
		next string
		err  error
	)
	switch cur.Phase {
	case phaseWithdrawals:
		page, next, err = c.withdrawalsPage(ctx, cur, to)
	case phaseExchanges:
		page, next, err = c.exchangesPage(ctx, cur, to)
	default:
		page, next, err = c.receiptsPage(ctx, cur, ph.name, to)
	}
	if err != nil {
		return connectors.Fetched{}, fmt.Errorf("listing coupang %s claims of %s from %s to %s: %w", ph.name, c.mall.Key, cur.Day, to, err)
	}
	caughtUp := false
	switch {
	case next != "":
		cur.Token = next
	case to < last:
		cur.Day, cur.Token = addDays(to, 1), ""
	case cur.Phase+1 < len(claimPhases):
		cur.Phase, cur.Token = cur.Phase+1, ""
		cur.Day = c.phaseFrom(cur, cur.Phase)
	default:
		cur = claimCursor{V: 1, Last: cur.PassNow}
		caughtUp = true
	}
	return connectors.Fetched{Page: page, Next: cur.String(), CaughtUp: caughtUp}, nil
}
