package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// SheetStatuses are the order-sheet statuses a pass lists, one after the other: Coupang lists
// one status a call, and a sheet moves through them in this order, so a sheet that moves
// during a pass is read at its newer status or at the next pass, never at an older one after
// a newer.
var SheetStatuses = []string{"ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "NONE_TRACKING"}

var kst = time.FixedZone("KST", 9*3600)

const dayLayout = "2006-01-02"

// cursor is where the orders stream is. A pass lists every status over the days [From, the
// pass's day], in windows of at most 31 days, with Coupang's nextToken inside a window.
//
//	{"v":1,"pass_now":"2026-11-01T03:00:00Z","from":"2026-10-01","status":2,"day":"2026-10-01","token":"…","last":"…"}
type cursor struct {
	V       int       `json:"v"`
	PassNow time.Time `json:"pass_now,omitzero"` // the running pass's now; zero between passes
	From    string    `json:"from,omitempty"`    // the pass's first day (KST)
	Status  int       `json:"status,omitempty"`  // index into SheetStatuses
	Day     string    `json:"day,omitempty"`     // the window's first day
	Token   string    `json:"token,omitempty"`   // nextToken inside the window
	Last    time.Time `json:"last,omitzero"`     // the now of the last finished pass
}

func parseCursor(v string) (cursor, error) {
	var c cursor
	if v == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(v), &c); err != nil || c.V != 1 {
		return cursor{}, mallsync.Errorf(mallsync.EINVALID, "not a coupang orders cursor: %q", v)
	}
	return c, nil
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

func day(t time.Time) string { return t.In(kst).Format(dayLayout) }

func addDays(d string, n int) string {
	t, _ := time.ParseInLocation(dayLayout, d, kst)
	return t.AddDate(0, 0, n).Format(dayLayout)
}

// fetchOrders reads the page that follows cur: one call.
func (c *Connector) fetchOrders(ctx context.Context, cur cursor, now time.Time) (connectors.Fetched, error) {
	if cur.V == 0 { // the first pass: the backfill
		start := c.mall.Sync.BackfillStart
		if start.IsZero() {
			return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "mall %s has no sync backfill start", c.mall.Key)
		}
		cur = cursor{V: 1, PassNow: now, From: day(start), Day: day(start)}
	}
	if cur.PassNow.IsZero() {
		if !now.After(cur.Last) {
			return connectors.Fetched{Next: cur.String(), CaughtUp: true}, nil
		}
		from := day(now.Add(-Horizon))
		if back := day(c.mall.Sync.BackfillStart); back > from {
			from = back
		}
		cur.PassNow, cur.From, cur.Status, cur.Day, cur.Token = now, from, 0, from, ""
	}
	last := day(cur.PassNow)
	to := addDays(cur.Day, 30)
	if to > last {
		to = last
	}
	q := url.Values{"createdAtFrom": {cur.Day + "+09:00"}, "createdAtTo": {to + "+09:00"},
		"status": {SheetStatuses[cur.Status]}, "maxPerPage": {"50"}}
	if cur.Token != "" {
		q.Set("nextToken", cur.Token)
	}
	var a answer
	path := "/v2/providers/openapi/apis/api/v5/vendors/" + url.PathEscape(c.vendor) + "/ordersheets"
	if err := c.getJSON(ctx, path, q, &a); err != nil {
		return connectors.Fetched{}, fmt.Errorf("listing coupang %s order sheets of %s from %s to %s: %w",
			SheetStatuses[cur.Status], c.mall.Key, cur.Day, to, err)
	}
	// page.WholeParcels stays false: a sheet is one box of its order, and the order's other
	// boxes (split shipping, other statuses) are on other pages.
	page := c.mapSheets(a.Data, cur.PassNow)
	caughtUp := false
	switch {
	case a.NextToken != "":
		cur.Token = a.NextToken
	case to < last:
		cur.Day, cur.Token = addDays(to, 1), ""
	case cur.Status+1 < len(SheetStatuses):
		cur.Status, cur.Day, cur.Token = cur.Status+1, cur.From, ""
	default:
		cur = cursor{V: 1, Last: cur.PassNow}
		caughtUp = true
	}
	return connectors.Fetched{Page: page, Next: cur.String(), CaughtUp: caughtUp}, nil
}
