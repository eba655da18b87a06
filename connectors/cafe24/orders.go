package cafe24

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// emptyCallBudget bounds the calls one Fetch spends on windows that turn out empty; past it,
// Fetch returns an empty page (not caught up) so that the caller commits the progress and
// heartbeats before going on.
const emptyCallBudget = 60

// orderEmbed is what each listed order carries.
const orderEmbed = "items,receivers,buyer,return,cancellation,exchange"

// countOrders is GET /orders/count for one date_type window.
func (c *client) countOrders(ctx context.Context, dateType string, w window) (int, error) {
	var r struct {
		Count *int `json:"count"`
	}
	if err := c.getJSON(ctx, "/orders/count", windowQuery(dateType, w), &r); err != nil {
		return 0, fmt.Errorf("counting cafe24 orders by %s %s..%s: %w", dateType, formatKST(w.Start), formatKST(w.End), err)
	}
	if r.Count == nil || *r.Count < 0 {
		return 0, mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 /orders/count answered without a count")
	}
	return *r.Count, nil
}

// listOrders is one page of GET /orders.
func (c *client) listOrders(ctx context.Context, dateType string, w window, offset int) ([]orderJSON, error) {
	q := windowQuery(dateType, w)
	q.Set("limit", strconv.Itoa(pageLimit))
	q.Set("offset", strconv.Itoa(offset))
	q.Set("embed", orderEmbed)
	var p ordersPage
	if err := c.getJSON(ctx, "/orders", q, &p); err != nil {
		return nil, fmt.Errorf("listing cafe24 orders by %s %s..%s offset %d: %w", dateType, formatKST(w.Start), formatKST(w.End), offset, err)
	}
	return p.Orders, nil
}

func windowQuery(dateType string, w window) url.Values {
	return url.Values{
		"date_type":  {dateType},
		"start_date": {formatKST(w.Start)},
		"end_date":   {formatKST(w.End)},
	}
}

// fetchOrders reads the page that follows cur (see doc.go for the strategy).
func (c *Connector) fetchOrders(ctx context.Context, cur cursor, now time.Time, counter *connectors.CallCounter) (connectors.Fetched, error) {
	now = wholeSecond(now)
	if cur.Phase == "" {
		start := c.mall.Sync.BackfillStart
		if start.IsZero() {
			return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "mall %s has no sync backfill start", c.mall.Key)
		}
		start = wholeSecond(start)
		if start.After(now) {
			start = now
		}
		cur = cursor{V: cursorVersion, Phase: phaseBackfill, Sweep: &sweep{DateType: "order_date", Pos: start, Until: now}}
	}
	for {
		if cur.Sweep == nil && cur.Reread == nil {
			// Between passes: start one if time moved on.
			if !c.startPass(&cur, now) {
				return connectors.Fetched{Next: cur.String(), CaughtUp: true, Calls: counter.Calls()}, nil
			}
		}
		var rows []orderJSON
		var err error
		caughtUp := false
		whole := cur.Phase == phaseIncremental // a backfill reads orders for the first time
		if cur.Reread != nil {
			if rows, err = c.rereadStep(ctx, cur.Reread); err != nil {
				return connectors.Fetched{Calls: counter.Calls()}, err
			}
			if cur.Reread.done() {
				cur.Reread, cur.PassNow = nil, time.Time{}
				caughtUp = true
			}
		} else {
			if rows, err = c.step(ctx, cur.Sweep); err != nil {
				return connectors.Fetched{Calls: counter.Calls()}, err
			}
			if cur.Sweep.done() {
				caughtUp = c.finishSweep(&cur)
			}
		}
		if len(rows) > 0 || caughtUp || counter.Calls() >= emptyCallBudget {
			page := c.mapper.mapOrders(rows)
			page.WholeParcels = whole
			for _, r := range page.Rejects {
				c.logger.Warn("cafe24 order does not map", "mall", c.mall.Key, "order_id", r.PlatformID, "reason", r.Reason)
			}
			return connectors.Fetched{Page: page, Next: cur.String(), CaughtUp: caughtUp, Calls: counter.Calls()}, nil
		}
	}
}

// startPass starts an incremental pass as of now, unless every high-water mark is already at now.
func (c *Connector) startPass(cur *cursor, now time.Time) bool {
	behind := false
	for _, dt := range DateTypes {
		if hwm, ok := cur.HWM[dt]; !ok || hwm.Before(now) {
			behind = true
		}
	}
	if !behind {
		return false
	}
	cur.Phase, cur.PassNow = phaseIncremental, now
	cur.Sweep = c.passSweep(cur, 0)
	return true
}

// passSweep is the sweep for DateTypes[i] in the running pass.
func (c *Connector) passSweep(cur *cursor, i int) *sweep {
	dt := DateTypes[i]
	from := cur.PassNow
	if hwm, ok := cur.HWM[dt]; ok {
		from = hwm
	} else {
		// A date_type this cursor has no mark for (one added after the cursor was written)
		// starts where the oldest mark stands, so nothing since then is skipped.
		for _, m := range cur.HWM {
			if m.Before(from) {
				from = m
			}
		}
	}
	from = wholeSecond(from.Add(-c.mall.Sync.Lookback))
	return &sweep{DateType: dt, Pos: from, Until: cur.PassNow}
}

// finishSweep records a finished sweep and sets up the next; it reports whether that ended a
// pass (the stream is caught up).
func (c *Connector) finishSweep(cur *cursor) bool {
	s := cur.Sweep
	if cur.Phase == phaseBackfill {
		// Every date_type starts from the moment the backfill began: what changed after it
		// is read by the passes, with their lookback.
		cur.Phase, cur.Sweep = phaseIncremental, nil
		cur.HWM = make(map[string]time.Time, len(DateTypes))
		for _, dt := range DateTypes {
			cur.HWM[dt] = s.Until
		}
		return false
	}
	if cur.HWM == nil {
		cur.HWM = map[string]time.Time{}
	}
	cur.HWM[s.DateType] = cur.PassNow
	for i, dt := range DateTypes {
		if dt == s.DateType && i+1 < len(DateTypes) {
			cur.Sweep = c.passSweep(cur, i+1)
			return false
		}
	}
	cur.Sweep = nil
	if c.openClaims != nil {
		cur.Reread = &reread{}
		return false
	}
	cur.PassNow = time.Time{}
	return true
}

// step moves s forward by at most one page: it opens the next window when none is open
// (counting, and halving while the count is over maxOffset), and reads one page of it. It
// returns the page's orders; none when the window opened was empty.
func (c *Connector) step(ctx context.Context, s *sweep) ([]orderJSON, error) {
	if s.done() {
		return nil, nil
	}
	if s.Win == nil {
		w := windowFrom(s.Pos, s.Until)
		n, err := c.api.countOrders(ctx, s.DateType, w)
		if err != nil {
			return nil, err
		}
		for n > maxOffset && w.seconds() > 1 {
			w = w.firstHalf()
			if n, err = c.api.countOrders(ctx, s.DateType, w); err != nil {
				return nil, err
			}
		}
		if n > maxOffset {
			c.logger.Warn("cafe24 window of one second holds more orders than offset paging reaches",
				"mall", c.mall.Key, "date_type", s.DateType, "second", formatKST(w.Start), "count", n)
		}
		if n == 0 {
			s.Pos = w.next()
			return nil, nil
		}
		s.Win = &openWindow{window: w, Count: n}
	}
	w := s.Win
	rows, err := c.api.listOrders(ctx, s.DateType, w.window, w.Offset)
	if err != nil {
		return nil, err
	}
	// A list that shifted since the last page (rows inserted before the offset) starts with
	// rows already read: skip them, and advance the offset only by the rows that are new, so
	// the row the shift pushed past the page end is read next time rather than lost.
	seen := overlap(rows, w.Last)
	rows = rows[seen:]
	next := w.Offset + len(rows)
	if len(rows)+seen < pageLimit || next >= w.Count || next > maxOffset {
		s.Pos, s.Win = w.next(), nil
	} else {
		w.Offset = next
		w.Last = rows[len(rows)-1].f.OrderID
	}
	return rows, nil
}

// maxOverlap bounds how far into a page overlap looks for the previous page's last row.
const maxOverlap = 50

// overlap returns how many leading rows of a page were already read: the rows up to and
// including the previous page's last row, when it appears among the first maxOverlap rows.
func overlap(rows []orderJSON, last string) int {
	if last == "" {
		return 0
	}
	for i := 0; i < len(rows) && i < maxOverlap; i++ {
		if rows[i].f.OrderID == last {
			return i + 1
		}
	}
	return 0
}
