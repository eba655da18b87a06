package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/mallsync/mallsync"
)

// withdrawalJSON is one returnWithdrawRequests row: a return the buyer withdrew (반품철회).
type withdrawalJSON struct {
	CancelID      json.Number   `json:"cancelId"`
	OrderID       json.Number   `json:"orderId"`
	CreatedAt     string        `json:"createdAt"`
	VendorItemIDs []json.Number `json:"vendorItemIds"`
}

// withdrawalsAnswer is the list's envelope; nextPageIndex comes as a string or a number.
type withdrawalsAnswer struct {
	Code          json.RawMessage   `json:"code"`
	Data          []json.RawMessage `json:"data"`
	NextPageIndex json.RawMessage   `json:"nextPageIndex"`
}

// nextPage reads nextPageIndex: "" when absent, null, empty or 0.
func (a withdrawalsAnswer) nextPage() (string, error) {
	v := strings.Trim(strings.TrimSpace(string(a.NextPageIndex)), `"`)
	if v == "" || v == "null" || v == "0" {
		return "", nil
	}
	if n, err := strconv.Atoi(v); err != nil || n < 1 {
		return "", fmt.Errorf("nextPageIndex %s is not a page", a.NextPageIndex)
	}
	return v, nil
}

// withdrawalsPage lists one page of withdrawals (pageIndex in the cursor's token) and reads
// the receipt of each, whose items name the boxes the lines are keyed by. The claim is stored
// withdrawn (RETURN_WITHDRAWN), changed at the withdrawal.
func (c *Connector) withdrawalsPage(ctx context.Context, cur claimCursor, to string) (mallsync.Page, string, error) {
	pageIndex := cur.Token
	if pageIndex == "" {
		pageIndex = "1"
	}
	q := url.Values{"dateFrom": {cur.Day}, "dateTo": {to}, "pageIndex": {pageIndex}, "sizePerPage": {"100"}}
	var a withdrawalsAnswer
	if err := c.getJSON(ctx, "/v2/providers/openapi/apis/api/v4/vendors/"+url.PathEscape(c.vendor)+"/returnWithdrawRequests", q, &a); err != nil {
		return mallsync.Page{}, "", err
	}
	next, err := a.nextPage()
	if err != nil {
		return mallsync.Page{}, "", mallsync.Errorf(mallsync.EINVALID, "coupang return withdrawals: %v", err)
	}
	var page mallsync.Page
	for _, raw := range a.Data {
		w, err := parseWithdrawal(raw)
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "claim", PlatformID: idOf(raw, "cancelId"), Reason: err.Error(), Raw: raw})
			continue
		}
		var one struct {
			Data json.RawMessage `json:"data"`
		}
		path := "/v2/providers/openapi/apis/api/v4/vendors/" + url.PathEscape(c.vendor) + "/returnRequests/" + url.PathEscape(w.CancelID.String())
		if err := c.getJSON(ctx, path, url.Values{}, &one); err != nil {
			return mallsync.Page{}, "", fmt.Errorf("reading the withdrawn coupang return %s: %w", w.CancelID, err)
		}
		at, _ := localTime(w.CreatedAt)
		m, err := c.mapReceipt(one.Data, "RETURN_WITHDRAWN", at)
		if err != nil {
			page.Rejects = append(page.Rejects, mallsync.Reject{Resource: "claim", PlatformID: w.CancelID.String(), Reason: err.Error(), Raw: raw})
			continue
		}
		page.Claims = append(page.Claims, m.claim)
	}
	return page, next, nil
}

// parseWithdrawal reads and checks one withdrawal row.
func parseWithdrawal(raw json.RawMessage) (withdrawalJSON, error) {
	var w withdrawalJSON
	if err := json.Unmarshal(raw, &w); err != nil {
		return w, fmt.Errorf("return withdrawal JSON does not decode: %v", err)
	}
	if w.CancelID == "" || w.OrderID == "" {
		return w, fmt.Errorf("return withdrawal without cancelId or orderId")
	}
	if _, err := localTime(w.CreatedAt); err != nil {
		return w, fmt.Errorf("return withdrawal %s: createdAt %q is not a time", w.CancelID, w.CreatedAt)
	}
	return w, nil
}
