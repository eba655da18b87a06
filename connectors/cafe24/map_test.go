package cafe24

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func testMapper() *mapper {
	return &mapper{statuses: testStatusMap()}
}

func mapBody(t testing.TB, body []byte) mallsync.Page {
	t.Helper()
	p, err := decodePage(body)
	if err != nil {
		t.Fatalf("decoding page: %v", err)
	}
	return testMapper().mapOrders(p.Orders)
}

func TestMapGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		rejects []string // the platform ids of the records that must not map
	}{
		{name: "orders_page"},
		// every claim kind and path: cancel, return with pickup, withdrawn, exchange with its
		// replacement shipped, rejected, held, and a claim naming an item the order lacks
		{name: "orders_claims", rejects: []string{"R20250704-0000005"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile("testdata/" + tc.name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			page := mapBody(t, body)
			var rejected []string
			for _, r := range page.Rejects {
				rejected = append(rejected, r.PlatformID)
				if !json.Valid(r.Raw) || !bytes.Contains(body, r.Raw) {
					t.Errorf("reject %s: Raw is not the received JSON", r.PlatformID)
				}
			}
			if fmt.Sprint(rejected) != fmt.Sprint(tc.rejects) {
				t.Fatalf("rejects = %v, want %v: %+v", rejected, tc.rejects, page.Rejects)
			}
			// Raw is each order's and claim's JSON exactly as received.
			for _, o := range page.Orders {
				if !bytes.Contains(body, o.Raw) || !json.Valid(o.Raw) || !bytes.Contains(o.Raw, []byte(`"order_id": "`+o.PlatformOrderID+`"`)) {
					t.Errorf("order %s: Raw is not the received JSON", o.PlatformOrderID)
				}
			}
			for _, c := range page.Claims {
				if !bytes.Contains(body, c.Raw) || !bytes.Contains(c.Raw, []byte(c.PlatformClaimID)) {
					t.Errorf("claim %s: Raw is not the received JSON", c.PlatformClaimID)
				}
			}
			for i := range page.Orders {
				page.Orders[i].Raw = nil
			}
			for i := range page.Claims {
				page.Claims[i].Raw = nil
			}
			page.Rejects = nil
			got, err := json.MarshalIndent(page, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := "testdata/" + tc.name + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("mapping differs from %s (run with -update if the change is intended):\n%s", golden, got)
			}
		})
	}
}

func TestMapDetails(t *testing.T) {
	t.Parallel()
	body, _ := os.ReadFile("testdata/orders_page.json")
	page := mapBody(t, body)
	byID := map[string]mallsync.Order{}
	for _, o := range page.Orders {
		byID[o.PlatformOrderID] = o
	}
	o2 := byID["20250701-0000002"]
	l := o2.Lines[1]
	if l.UnitPrice != 10900 || l.Status != mallsync.LineDelivered || l.SKU != "P000000C000A" || l.SupplierCode != "S000000B" {
		t.Errorf("line %+v", l)
	}
	if want := time.Date(2025, 7, 3, 2, 5, 10, 0, time.UTC); !l.ChangedAt.Equal(want) || !o2.ChangedAt.Equal(want) {
		t.Errorf("ChangedAt line %v order %v, want %v (delivered_date in UTC)", l.ChangedAt, o2.ChangedAt, want)
	}
	r := byID["20250628-0000107"].Lines[0]
	if r.Status != mallsync.LineDelivered || r.ClaimKind != mallsync.ClaimReturn || r.ClaimStatus != mallsync.ClaimRequested || r.PlatformStatus != "R00" {
		t.Errorf("return-requested line %+v", r)
	}
	if want := time.Date(2025, 7, 4, 23, 15, 0, 0, time.UTC); !r.ChangedAt.Equal(want) {
		t.Errorf("return line ChangedAt %v, want %v", r.ChangedAt, want)
	}
	if o5 := byID["20250702-0000009"]; o5.PaidAt != nil || o5.Lines[0].Status != mallsync.LinePendingPayment || o5.Lines[0].PaymentAmount != 0 {
		t.Errorf("unpaid order %+v", o5)
	}
}

// TestChangedAtGrowsWithStatus: a line that moves on carries a later ChangedAt.
func TestChangedAtGrowsWithStatus(t *testing.T) {
	t.Parallel()
	at := kstTime(2025, 7, 1, 10, 0, 0)
	steps := []struct {
		status string
		dates  map[string]time.Time
	}{
		{"N10", map[string]time.Time{"pay_date": at}},
		{"N30", map[string]time.Time{"pay_date": at, "shipbegin_date": at.Add(time.Hour)}},
		{"N40", map[string]time.Time{"pay_date": at, "shipbegin_date": at.Add(time.Hour), "shipend_date": at.Add(2 * time.Hour)}},
	}
	var prev time.Time
	for _, s := range steps {
		page := mapBody(t, []byte(`{"orders":[`+string(testOrderJSON("20250701-0000001", at, s.dates, s.status))+`]}`))
		if len(page.Orders) != 1 {
			t.Fatalf("%s: %+v", s.status, page.Rejects)
		}
		c := page.Orders[0].Lines[0].ChangedAt
		if !c.After(prev) {
			t.Errorf("%s: ChangedAt %v is not after %v", s.status, c, prev)
		}
		prev = c
	}
}

func TestMapRejects(t *testing.T) {
	t.Parallel()
	good := string(testOrderJSON("20250701-0000001", kstTime(2025, 7, 1, 10, 0, 0), map[string]time.Time{"pay_date": kstTime(2025, 7, 1, 10, 0, 0)}, "N10"))
	tests := []struct {
		name, from, to, reason string
	}{
		{"unknown status", `"order_status":"N10"`, `"order_status":"Z99"`, `unknown cafe24 status code "Z99"`},
		{"claim without prior status", `"order_status":"N10"`, `"order_status":"R00"`, `needs the status before the claim`},
		{"bad amount", `"product_price":"15000.00"`, `"product_price":"15,000"`, `product_price: amount "15,000" is not a number`},
		{"fractional won", `"option_price":"0.00"`, `"option_price":"0.50"`, `fraction of a won`},
		{"missing item code", `"order_item_code":"20250701-0000001-01"`, `"order_item_code":""`, `item 1: no order_item_code`},
		{"bad order date", `"order_date":"2025-07-01T10:00:00+09:00"`, `"order_date":"July 1st"`, `order_date "July 1st" is not a date`},
		{"missing order date", `"order_date":"2025-07-01T10:00:00+09:00"`, `"order_date":null`, `order_date is missing`},
		{"bad quantity", `"quantity":2`, `"quantity":"two"`, `does not decode`},
		{"wrong type", `"product_name":"린넨 셔츠"`, `"product_name":{"ko":"셔츠"}`, `field items.product_name is a JSON object, want string`},
		{"no items", `"items":[`, `"items":[],"x":[`, `order has no items`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(good, tt.from, tt.to, 1)
			if bad == good {
				t.Fatalf("replacement %s did not apply", tt.from)
			}
			second := strings.ReplaceAll(good, "20250701-0000001", "20250701-0000002")
			page := mapBody(t, []byte(`{"orders":[`+bad+`,`+second+`]}`))
			if len(page.Orders) != 1 || page.Orders[0].PlatformOrderID != "20250701-0000002" {
				t.Errorf("the good order did not map: %d orders", len(page.Orders))
			}
			if len(page.Rejects) != 1 {
				t.Fatalf("%d rejects, want 1", len(page.Rejects))
			}
			r := page.Rejects[0]
			if r.Resource != "order" || r.PlatformID != "20250701-0000001" || string(r.Raw) != bad || !strings.Contains(r.Reason, tt.reason) {
				t.Errorf("reject %s %s reason %q, want it to contain %q", r.Resource, r.PlatformID, r.Reason, tt.reason)
			}
		})
	}
}

func TestMapDropsDuplicatesInAPage(t *testing.T) {
	t.Parallel()
	o := string(testOrderJSON("20250701-0000001", kstTime(2025, 7, 1, 10, 0, 0), nil, "N10"))
	page := mapBody(t, []byte(`{"orders":[`+o+`,`+o+`]}`))
	if len(page.Orders) != 1 {
		t.Errorf("%d orders, want 1", len(page.Orders))
	}
}

func FuzzMapOrders(f *testing.F) {
	body, _ := os.ReadFile("testdata/orders_page.json")
	f.Add(body)
	f.Add([]byte(`{"orders":[` + string(testOrderJSON("20250701-0000001", kstTime(2025, 7, 1, 10, 0, 0), nil, "R00")) + `]}`))
	f.Add([]byte(`{"orders":[null,{},{"order_id":1},{"items":[{}]}]}`))
	f.Add([]byte(`{"orders":{}}`))
	m := testMapper()
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodePage(body)
		if err != nil {
			return
		}
		page := m.mapOrders(p.Orders)
		if len(page.Orders)+len(page.Rejects) > len(p.Orders) {
			t.Fatalf("%d orders + %d rejects from %d records", len(page.Orders), len(page.Rejects), len(p.Orders))
		}
		for _, o := range page.Orders {
			if o.PlatformOrderID == "" || len(o.Lines) == 0 || o.OrderedAt.IsZero() || !json.Valid(o.Raw) {
				t.Fatalf("bad order %+v", o)
			}
			for _, l := range o.Lines {
				if l.PlatformLineID == "" || !l.Status.Valid() || l.ChangedAt.Before(o.OrderedAt) || l.ChangedAt.After(o.ChangedAt) {
					t.Fatalf("bad line %+v", l)
				}
			}
		}
		for _, r := range page.Rejects {
			if r.Reason == "" || !json.Valid(r.Raw) {
				t.Fatalf("bad reject %+v", r)
			}
		}
	})
}

// benchPage is a page of 1000 orders with two lines each, ~1.5 KB of JSON per order.
func benchPage() []byte {
	var b bytes.Buffer
	b.WriteString(`{"orders":[`)
	at := kstTime(2025, 7, 1, 0, 0, 0)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		t := at.Add(time.Duration(i) * time.Minute)
		b.Write(testOrderJSON(fmt.Sprintf("20250701-%07d", i), t, map[string]time.Time{"pay_date": t, "shipbegin_date": t.Add(time.Hour)}, "N30", "N20"))
	}
	b.WriteString(`],"links":[]}`)
	return b.Bytes()
}

// BenchmarkMapPage decodes and maps a page of 1000 orders with two lines each.
func BenchmarkMapPage(b *testing.B) {
	benchCPU(b, benchPage(), 1000)
}
