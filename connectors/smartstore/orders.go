package smartstore

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// The API paths the stream reads.
const (
	pathChanges = "/v1/pay-order/seller/product-orders/last-changed-statuses"
	pathQuery   = "/v1/pay-order/seller/product-orders/query"
)

// PageSize is the limitCount of every page of changes (Naver's most); MaxQueryIDs the most
// product orders one details query takes.
const (
	PageSize    = 300
	MaxQueryIDs = 300
)

// finalChange are the change types after which a product order moves only with a new row:
// a revisit skips them.
var finalChange = map[string]bool{"PURCHASE_DECIDED": true, "CLAIM_COMPLETED": true}

// fetchOrders reads the page that follows cur: one call for the changes, then one details
// call per MaxQueryIDs product orders of the page.
func (c *Connector) fetchOrders(ctx context.Context, cur cursor, now time.Time) (connectors.Fetched, error) {
	now = now.UTC().Truncate(time.Millisecond)
	backfill := c.mall.Sync.BackfillStart.UTC()
	if backfill.IsZero() {
		return connectors.Fetched{}, mallsync.Errorf(mallsync.EINVALID, "mall %s has no sync backfill start", c.mall.Key)
	}
	switch {
	case cur.V == 0: // the first pass: the backfill
		from, to := window(backfill, now)
		cur = cursor{V: 1, Phase: phaseChanges, Pass: now, From: from, To: to}
	case cur.Phase == "":
		if !now.After(cur.Last) {
			return connectors.Fetched{Next: cur.String(), CaughtUp: true}, nil
		}
		from := cur.Last.Add(-c.lookback)
		if from.Before(backfill) {
			from = backfill
		}
		from, to := window(from, now)
		cur = cursor{V: 1, Phase: phaseChanges, Pass: now, From: from, To: to, Last: cur.Last}
	}
	q := url.Values{"lastChangedFrom": {wireTime(cur.From)}, "lastChangedTo": {wireTime(cur.To)}, "limitCount": {strconv.Itoa(PageSize)}}
	if cur.Seq != "" {
		q.Set("moreSequence", cur.Seq)
	}
	var ch changesJSON
	if err := c.call(ctx, "GET", pathChanges, q, nil, &ch); err != nil {
		return connectors.Fetched{}, fmt.Errorf("fetching smartstore changes of %s from %s to %s: %w", c.mall.Key, wireTime(cur.From), wireTime(cur.To), err)
	}
	listed := map[string]seen{}
	var ids []string
	var page mallsync.Page
	for _, r := range ch.Rows {
		if r.ProductOrderID == "" {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "last_changed_status", Reason: "a row without productOrderId"})
			continue
		}
		if cur.Phase == phaseRevisit && finalChange[r.LastChangedType] {
			continue
		}
		t, err := parseTime(r.LastChangedDate)
		if err != nil || t.IsZero() {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "last_changed_status", PlatformID: r.ProductOrderID,
				Reason: fmt.Sprintf("lastChangedDate %q is not a time", r.LastChangedDate)})
			continue
		}
		s, ok := listed[r.ProductOrderID]
		if !ok {
			ids = append(ids, r.ProductOrderID)
		}
		if t.After(s.changed) {
			s.changed = t
		}
		s.orderID = r.OrderID
		listed[r.ProductOrderID] = s
	}
	if len(ids) > 0 {
		details, err := c.details(ctx, ids)
		if err != nil {
			return connectors.Fetched{}, err
		}
		p := mapper{c.statuses}.mapDetails(listed, ids, details)
		p.Rejects = append(page.Rejects, p.Rejects...)
		page = p
	}
	next, done, err := cur.next(ch.More, backfill, c.horizon)
	if err != nil {
		return connectors.Fetched{}, fmt.Errorf("fetching smartstore changes of %s: %w", c.mall.Key, err)
	}
	return connectors.Fetched{Page: page, Next: next.String(), CaughtUp: done}, nil
}

// details reads the details of ids, MaxQueryIDs a call.
func (c *Connector) details(ctx context.Context, ids []string) ([]detailJSON, error) {
	var out []detailJSON
	for len(ids) > 0 {
		n := min(len(ids), MaxQueryIDs)
		var batch []detailJSON
		body := map[string]any{"productOrderIds": ids[:n], "quantityClaimCompatibility": true}
		if err := c.call(ctx, "POST", pathQuery, nil, body, &batch); err != nil {
			return nil, fmt.Errorf("fetching smartstore details of %d product orders of %s: %w", n, c.mall.Key, err)
		}
		out = append(out, batch...)
		ids = ids[n:]
	}
	return out, nil
}
