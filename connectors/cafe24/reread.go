package cafe24

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// maxReread bounds the orders with open claims one pass reads again; past it, the oldest
	// ids (the store lists them oldest first) are read and the rest wait for the next pass.
	maxReread = 5000
	// rereadBatch is how many order_id values one GET /orders carries (the API's maximum).
	rereadBatch = 100
)

// rereadStep reads the next batch of orders with open claims by order_id, listing the ids
// first when the pass has not yet. GET /orders needs a date window even with order_id, so a
// batch holds ids whose order dates (the order_id starts with the KST order day) fit in one
// window of date_type=order_date.
func (c *Connector) rereadStep(ctx context.Context, r *reread) ([]orderJSON, error) {
	if !r.Loaded {
		ids, err := c.openClaims.OpenClaimOrders(ctx, c.mall.Key, maxReread)
		if err != nil {
			return nil, fmt.Errorf("listing orders with open claims: %w", err)
		}
		r.IDs = rereadable(ids, func(id string) {
			c.logger.Warn("cafe24 open claim's order id is not an order id; not read again", "mall", c.mall.Key, "order_id", id)
		})
		r.Loaded, r.Pos = true, 0
	}
	if r.done() {
		return nil, nil
	}
	ids, w := rereadBatchAt(r.IDs, r.Pos)
	rows, err := c.api.listOrdersByID(ctx, ids, w)
	if err != nil {
		return nil, err
	}
	r.Pos += len(ids)
	return rows, nil
}

// rereadable returns the ids that are Cafe24 order ids, sorted and without repeats; bad is
// called for each one that is not.
func rereadable(ids []string, bad func(string)) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, ok := orderDay(id); !ok {
			bad(id)
			continue
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// rereadBatchAt returns the batch of ids starting at pos (sorted ids, all valid) and the
// order_date window that holds them: at most rereadBatch ids whose days span less than the
// API's longest window.
func rereadBatchAt(ids []string, pos int) ([]string, window) {
	first, _ := orderDay(ids[pos])
	limit := addMonthsKST(first, windowMonths).Add(-time.Second)
	end := pos + 1
	last := first
	for end < len(ids) && end-pos < rereadBatch {
		d, _ := orderDay(ids[end])
		if dayEnd(d).After(limit) {
			break
		}
		last = d
		end++
	}
	return ids[pos:end], window{Start: first, End: dayEnd(last)}
}

// orderDay parses the KST day a Cafe24 order id (YYYYMMDD-NNNNNNN) was placed on, as the
// UTC instant of that day's KST midnight.
func orderDay(id string) (time.Time, bool) {
	day, seq, ok := strings.Cut(id, "-")
	if !ok || len(day) != 8 || len(seq) != 7 {
		return time.Time{}, false
	}
	if _, err := strconv.Atoi(seq); err != nil {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("20060102", day, kst)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// dayEnd is the last second of the KST day that starts at d.
func dayEnd(d time.Time) time.Time { return d.Add(24*time.Hour - time.Second) }

// listOrdersByID is GET /orders for the given order ids, whose order dates all fall in w.
func (c *client) listOrdersByID(ctx context.Context, ids []string, w window) ([]orderJSON, error) {
	q := windowQuery("order_date", w)
	q.Set("order_id", strings.Join(ids, ","))
	q.Set("limit", strconv.Itoa(rereadBatch))
	q.Set("embed", orderEmbed)
	var p ordersPage
	if err := c.getJSON(ctx, "/orders", q, &p); err != nil {
		return nil, fmt.Errorf("reading %d cafe24 orders with open claims again (%s..%s): %w", len(ids), ids[0], ids[len(ids)-1], err)
	}
	return p.Orders, nil
}
