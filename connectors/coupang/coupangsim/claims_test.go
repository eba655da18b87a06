package coupangsim

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync/connectors/simclock"
)

// The claim lists' rules, as the facts give them: windows, statuses, page sizes.
func TestClaimListRules(t *testing.T) {
	t.Parallel()
	s := New(Options{Seed: 3, Orders: 1500, Start: testEnd.AddDate(0, 0, -40), End: testEnd, NoLimits: true, Clock: simclock.New(testEnd)})
	vendor, _, secret := s.Vendor()
	base := "/v2/providers/openapi/apis/api/"
	rr, wd, xr := base+"v6/vendors/"+vendor+"/returnRequests", base+"v4/vendors/"+vendor+"/returnWithdrawRequests", base+"v4/vendors/"+vendor+"/exchangeRequests"
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tf := func(kv ...string) url.Values {
		return q(append([]string{"searchType", "timeFrame", "createdAtFrom", "2026-08-01T00:00", "createdAtTo", "2026-08-31T23:59"}, kv...)...)
	}
	tests := []struct {
		name, path string
		q          url.Values
		status     int
		body       string
	}{
		{"returns UC", rr, tf("status", "UC"), 200, `"receiptType":"RETURN"`},
		{"cancels", rr, tf("cancelType", "CANCEL"), 200, `"receiptType":"CANCEL"`},
		{"cancels with a status", rr, tf("cancelType", "CANCEL", "status", "RU"), 400, "not used with cancelType=CANCEL"},
		{"returns without a status", rr, tf(), 400, "status is required"},
		{"32-day window", rr, tf("createdAtFrom", "2026-07-31T00:00", "status", "CC"), 400, `"code":400`},
		{"51 per page", rr, tf("status", "CC", "maxPerPage", "51"), 400, "maxPerPage"},
		{"days instead of minutes", rr, q("searchType", "timeFrame", "createdAtFrom", "2026-08-01", "createdAtTo", "2026-08-02", "status", "UC"), 400, "yyyy-MM-ddTHH:mm"},
		{"withdrawals", wd, q("dateFrom", "2026-08-01", "dateTo", "2026-08-08", "sizePerPage", "100"), 200, `"code":200`},
		{"withdrawals over 7 days", wd, q("dateFrom", "2026-08-01", "dateTo", "2026-08-09"), 400, "7 days"},
		{"101 withdrawals a page", wd, q("dateFrom", "2026-08-01", "dateTo", "2026-08-02", "sizePerPage", "101"), 400, "sizePerPage"},
		{"exchanges", xr, q("createdAtFrom", "2026-08-20T00:00:00", "createdAtTo", "2026-08-26T23:59:59"), 200, `"exchangeItemDtoV1s"`},
		{"exchanges over 7 days", xr, q("createdAtFrom", "2026-08-01T00:00:00", "createdAtTo", "2026-08-08T00:00:01"), 400, "7 days"},
		{"exchange status", xr, q("createdAtFrom", "2026-08-20T00:00:00", "createdAtTo", "2026-08-26T23:59:59", "status", "DONE"), 400, "status must be"},
		{"no such box", base + "v5/vendors/" + vendor + "/ordersheets/1", url.Values{}, 404, "no shipment box"},
		{"no such receipt", base + "v4/vendors/" + vendor + "/returnRequests/1", url.Values{}, 404, "no return request"},
	}
	for _, tt := range tests {
		w := signedGet(t, s, tt.path, tt.q, secret, time.Time{})
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("%s: %d %.300s", tt.name, w.Code, w.Body.String())
		}
	}
}

// The same seed gives the same claims; the limit counts calls of every API together.
func TestClaimsDeterministicAndLimitAcrossAPIs(t *testing.T) {
	t.Parallel()
	opts := Options{Seed: 4, Orders: 300, Start: testEnd.AddDate(0, 0, -30), End: testEnd, NoLimits: true, Clock: simclock.New(testEnd)}
	a, b := New(opts).Truth(), New(opts).Truth()
	if len(a.Claims) < 20 || len(a.Claims) != len(b.Claims) || a.Claims[7] != b.Claims[7] || len(a.Shipments) != len(b.Shipments) {
		t.Fatalf("%d and %d claims", len(a.Claims), len(b.Claims))
	}
	opts.NoLimits = false
	s := New(opts)
	vendor, _, secret := s.Vendor()
	paths := []string{"v5/vendors/" + vendor + "/ordersheets", "v6/vendors/" + vendor + "/returnRequests", "v4/vendors/" + vendor + "/exchangeRequests"}
	codes := map[int]int{}
	for i := 0; i < 25; i++ {
		codes[signedGet(t, s, "/v2/providers/openapi/apis/api/"+paths[i%3], url.Values{}, secret, time.Time{}).Code]++
	}
	if codes[429] < 4 || s.Throttled() < 4 {
		t.Fatalf("25 calls to three APIs at once: %v", codes)
	}
}

// Every withdrawal listed is of a receipt the truth has as withdrawn, and every withdrawn
// receipt is listed: a stop-shipment request whose parcel was stopped is a completed cancel,
// whatever its would-be return had planned.
func TestWithdrawalsListExactlyTheWithdrawnReceipts(t *testing.T) {
	t.Parallel()
	start := testEnd.AddDate(0, 0, -30)
	s := New(Options{Seed: 5, Orders: 4000, Start: start, End: testEnd, NoLimits: true, Clock: simclock.New(testEnd.AddDate(0, 0, 10))})
	vendor, _, secret := s.Vendor()
	path := "/v2/providers/openapi/apis/api/v4/vendors/" + vendor + "/returnWithdrawRequests"
	listed := map[string]bool{}
	for day := start; day.Before(testEnd.AddDate(0, 0, 10)); day = day.AddDate(0, 0, 7) {
		for page := 1; page > 0; {
			w := signedGet(t, s, path, url.Values{"dateFrom": {day.Format("2006-01-02")}, "dateTo": {day.AddDate(0, 0, 6).Format("2006-01-02")},
				"pageIndex": {strconv.Itoa(page)}, "sizePerPage": {"100"}}, secret, time.Time{})
			var a struct {
				Data []struct {
					CancelID json.Number `json:"cancelId"`
				} `json:"data"`
				NextPageIndex json.Number `json:"nextPageIndex"`
			}
			if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &a) != nil {
				t.Fatalf("withdrawals: %d %.300s", w.Code, w.Body.String())
			}
			for _, d := range a.Data {
				listed[d.CancelID.String()] = true
			}
			page = 0
			if n, err := a.NextPageIndex.Int64(); err == nil && n > 0 {
				page = int(n)
			}
		}
	}
	withdrawn := map[string]bool{}
	for _, c := range s.Truth().Claims {
		if c.Status == "RETURN_WITHDRAWN" {
			withdrawn[c.ID] = true
		}
	}
	if len(withdrawn) == 0 {
		t.Fatal("no withdrawn receipt in the data set: the test proves nothing")
	}
	for id := range listed {
		if !withdrawn[id] {
			t.Errorf("withdrawal of %s listed, but the truth has it as not withdrawn", id)
		}
	}
	for id := range withdrawn {
		if !listed[id] {
			t.Errorf("receipt %s withdrawn in the truth, but no withdrawal listed", id)
		}
	}
}
