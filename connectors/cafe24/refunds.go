package cafe24

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// The refunds stream. GET /refunds lists refunds by date_type windows like orders, so it
// moves the same way, with fewer types: a pass reads accepted_refund_date (new refunds) and
// then refund_date (refunds paid out since), each from its high-water mark minus the mall's
// lookback up to the pass's now, in windows of at most three months, split in half when one
// holds more than the offset cap allows. The first pass starts at the mall's backfill start.

// RefundDateTypes are the date_type values a refunds pass reads, in order.
var RefundDateTypes = []string{"accepted_refund_date", "refund_date"}

// refundPageLimit is the page size asked of GET /refunds (its maximum).
const refundPageLimit = 500

// refundCursor is the refunds stream's position, stored as JSON:
//
//	{"v":1,"hwm":{"accepted_refund_date":"…","refund_date":"…"}}
//	{"v":1,"hwm":{…},"pass_now":"…","date_type":"refund_date",
//	 "win":{"start":"…","end":"…"},"offset":500}
//
// Between passes only the marks are there.
type refundCursor struct {
	V        int                  `json:"v"`
	HWM      map[string]time.Time `json:"hwm,omitempty"`
	PassNow  time.Time            `json:"pass_now,omitzero"`
	DateType string               `json:"date_type,omitempty"`
	Win      *window              `json:"win,omitempty"`
	Offset   int                  `json:"offset,omitempty"`
}

func parseRefundCursor(v string) (refundCursor, error) {
	c := refundCursor{V: cursorVersion}
	if v == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return c, mallsync.Errorf(mallsync.EINVALID, "cafe24 refunds cursor is not valid JSON: %v", err)
	}
	if c.V != cursorVersion {
		return c, mallsync.Errorf(mallsync.EINVALID, "cafe24 refunds cursor has version %d, want %d", c.V, cursorVersion)
	}
	if c.DateType != "" && (c.Win == nil || c.PassNow.IsZero() || indexOf(RefundDateTypes, c.DateType) < 0) {
		return c, mallsync.Errorf(mallsync.EINVALID, "cafe24 refunds cursor: a pass at date_type %q without its window", c.DateType)
	}
	return c, nil
}

func (c refundCursor) String() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a cursor always marshals
	}
	return string(b)
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// refundJSON is one refund as GET /refunds returns it.
type refundJSON struct {
	OrderID    string   `json:"order_id"`
	RefundCode string   `json:"refund_code"`
	Accepted   string   `json:"accepted_refund_date"`
	RefundDate *string  `json:"refund_date"`
	Status     string   `json:"status"`
	Amount     string   `json:"actual_refund_amount"`
	ItemCodes  []string `json:"order_item_code"`
}

// listRefunds is one page of GET /refunds.
func (c *client) listRefunds(ctx context.Context, dateType string, w window, offset int) ([]json.RawMessage, error) {
	q := windowQuery(dateType, w)
	q.Set("limit", strconv.Itoa(refundPageLimit))
	q.Set("offset", strconv.Itoa(offset))
	var p struct {
		Refunds []json.RawMessage `json:"refunds"`
	}
	if err := c.getJSON(ctx, "/refunds", q, &p); err != nil {
		return nil, fmt.Errorf("listing cafe24 refunds by %s %s..%s offset %d: %w", dateType, formatKST(w.Start), formatKST(w.End), offset, err)
	}
	return p.Refunds, nil
}

// fetchRefunds reads the refunds page that follows cur.
func (c *Connector) fetchRefunds(ctx context.Context, cur refundCursor, now time.Time, counter *connectors.CallCounter) (connectors.Fetched, error) {
	now = wholeSecond(now)
	if c.mall.Sync.BackfillStart.IsZero() {
		return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "mall %s has no sync backfill start", c.mall.Key)
	}
	for {
		if cur.DateType == "" {
			if !c.startRefundPass(&cur, now) {
				return connectors.Fetched{Next: cur.String(), CaughtUp: true, Calls: counter.Calls()}, nil
			}
		}
		rows, err := c.api.listRefunds(ctx, cur.DateType, *cur.Win, cur.Offset)
		if err != nil {
			return connectors.Fetched{Calls: counter.Calls()}, err
		}
		caughtUp := false
		switch {
		case len(rows) >= refundPageLimit && cur.Offset+refundPageLimit > maxOffset && cur.Win.seconds() > 1:
			// The window holds more than the offset cap reaches: read its first half again.
			h := cur.Win.firstHalf()
			cur.Win, cur.Offset = &h, 0
			continue
		case len(rows) >= refundPageLimit:
			cur.Offset += refundPageLimit
		case cur.Win.End.Before(cur.PassNow):
			w := windowFrom(cur.Win.next(), cur.PassNow)
			cur.Win, cur.Offset = &w, 0
		default: // this date_type is read up to the pass's now
			if cur.HWM == nil {
				cur.HWM = map[string]time.Time{}
			}
			cur.HWM[cur.DateType] = cur.PassNow
			if i := indexOf(RefundDateTypes, cur.DateType); i+1 < len(RefundDateTypes) {
				cur.DateType = RefundDateTypes[i+1]
				w := windowFrom(c.refundFrom(cur, now), cur.PassNow)
				cur.Win, cur.Offset = &w, 0
			} else {
				cur.DateType, cur.Win, cur.Offset, cur.PassNow = "", nil, 0, time.Time{}
				caughtUp = true
			}
		}
		if len(rows) > 0 || caughtUp || counter.Calls() >= emptyCallBudget {
			page := mapRefunds(rows)
			for _, r := range page.Rejects {
				c.logger.Warn("cafe24 refund does not map", "mall", c.mall.Key, "refund_code", r.PlatformID, "reason", r.Reason)
			}
			return connectors.Fetched{Page: page, Next: cur.String(), CaughtUp: caughtUp, Calls: counter.Calls()}, nil
		}
	}
}

// startRefundPass starts a pass as of now unless every mark is at now already.
func (c *Connector) startRefundPass(cur *refundCursor, now time.Time) bool {
	behind := false
	for _, dt := range RefundDateTypes {
		if m, ok := cur.HWM[dt]; !ok || m.Before(now) {
			behind = true
		}
	}
	if !behind {
		return false
	}
	cur.PassNow, cur.DateType = now, RefundDateTypes[0]
	w := windowFrom(c.refundFrom(*cur, now), now)
	cur.Win, cur.Offset = &w, 0
	return true
}

// refundFrom is where the pass reads cur.DateType from: its mark minus the lookback, or the
// backfill start the first time.
func (c *Connector) refundFrom(cur refundCursor, now time.Time) time.Time {
	from := wholeSecond(c.mall.Sync.BackfillStart)
	if m, ok := cur.HWM[cur.DateType]; ok {
		from = wholeSecond(m.Add(-c.mall.Sync.Lookback))
	}
	if from.After(now) {
		from = now
	}
	return from
}

// mapRefunds maps GET /refunds rows; a row that does not map becomes a Reject.
func mapRefunds(rows []json.RawMessage) mallsync.Page {
	var page mallsync.Page
	for _, raw := range rows {
		r, err := mapRefund(raw)
		if err != nil {
			var id refundJSON
			_ = json.Unmarshal(raw, &id)
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "refund", PlatformID: id.RefundCode, Reason: err.Error(), Raw: raw})
			continue
		}
		page.Refunds = append(page.Refunds, r)
	}
	return page
}

// mapRefund maps one refund.
func mapRefund(raw json.RawMessage) (mallsync.Refund, error) {
	var j refundJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return mallsync.Refund{}, fmt.Errorf("refund: %s", decodeReason(err))
	}
	if j.RefundCode == "" || j.OrderID == "" {
		return mallsync.Refund{}, fmt.Errorf("refund without refund_code or order_id")
	}
	amount, err := won("actual_refund_amount", j.Amount)
	if err != nil {
		return mallsync.Refund{}, err
	}
	var p timeParser
	accepted := p.required("accepted_refund_date", j.Accepted)
	var refunded *time.Time
	if j.RefundDate != nil {
		refunded = p.optional("refund_date", *j.RefundDate)
	}
	if p.err != nil {
		return mallsync.Refund{}, p.err
	}
	done := strings.EqualFold(j.Status, "T")
	if !done && j.Status != "F" {
		return mallsync.Refund{}, fmt.Errorf("refund status %q is neither T nor F", j.Status)
	}
	return mallsync.Refund{
		PlatformRefundID: j.RefundCode, PlatformOrderID: j.OrderID, LineIDs: j.ItemCodes,
		Amount: amount, Done: done, RefundedAt: refunded, ChangedAt: latest(accepted, refunded), Raw: raw,
	}, nil
}
