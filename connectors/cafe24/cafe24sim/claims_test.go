package cafe24sim

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Over a season, items take every claim path: cancellations, returns and exchanges in
// realistic shares, some rejected, some held, some withdrawn (undone, back to N40).
func TestClaimLifecycle(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Orders = 20000
	s := New(o)
	// Holds are passing states: look at the middle of the season too.
	mid := New(func() Options { m := o; m.Clock = NewClock(testStart.AddDate(0, 0, 60)); return m }())
	kinds, statuses := map[string]int{}, map[string]int{}
	for _, tr := range []Truth{s.Truth(), mid.Truth()} {
		for _, c := range tr.Claims {
			kinds[c.Kind]++
			statuses[c.Status]++
			if c.Kind == "cancel" && c.Status == "undone" {
				statuses["cancel undone"]++
			}
		}
	}
	lines := len(s.Truth().Lines)
	for kind, want := range map[string]float64{"cancel": 0.03, "return": 0.04 * 0.97, "exchange": 0.02 * 0.97} {
		got := float64(s.claimsOfKind(kind)) / float64(lines)
		if got < want*0.6 || got > want*1.4 {
			t.Errorf("%s claims on %.4f of lines, want ~%.3f", kind, got, want)
		}
	}
	for _, st := range []string{"C40", "R40", "E40", "R11", "E11", "R12", "undone", "cancel undone", "R10", "R20", "E31"} {
		if statuses[st] == 0 {
			t.Errorf("no claim ever in %s: %v", st, statuses)
		}
	}
	if kinds["return"] == 0 || kinds["exchange"] == 0 {
		t.Fatalf("claims by kind: %v", kinds)
	}
}

func (s *Server) claimsOfKind(kind string) int {
	n := 0
	for _, c := range s.Truth().Claims {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

// What the API serves about claims is what Truth says: every claim, its code, its step (or
// undone), its item and its pickup invoice; every forward parcel's tracking number.
func TestClaimsServedAsTruthSays(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Faults = Faults{LateRate: 0.2, LateBy: 6 * time.Hour}
	o.Clock = NewClock(testStart.AddDate(0, 0, 90))
	b := setup(t, o)
	truth := b.srv.Truth()
	type served struct {
		Code, Kind, Status, Invoice string
		Items                       []string
	}
	var got []served
	var tracking []string
	for offset := 0; ; offset += 1000 {
		w := b.get(t, "/api/v2/admin/orders?start_date=2024-01-01&end_date=2024-03-31&limit=1000&offset="+strconv.Itoa(offset)+
			"&embed=items,cancellation,return,exchange", b.token)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		var page struct {
			Orders []struct {
				Cancellation, Return, Exchange []claimOnWire
			} `json:"orders"`
		}
		// Items' fields by their wire names.
		var raw struct {
			Orders []struct {
				Items []struct {
					Code     string `json:"order_item_code"`
					Status   string `json:"order_status"`
					Tracking string `json:"tracking_no"`
				} `json:"items"`
			} `json:"orders"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		for i, ord := range page.Orders {
			status := map[string]string{}
			for _, it := range raw.Orders[i].Items {
				status[it.Code] = it.Status
				if it.Tracking != "" {
					tracking = append(tracking, it.Tracking)
				}
			}
			for kind, list := range map[string][]claimOnWire{"cancel": ord.Cancellation, "return": ord.Return, "exchange": ord.Exchange} {
				for _, c := range list {
					sv := served{Code: c.ClaimCode, Kind: kind, Invoice: c.Invoice, Status: status[c.Items[0].Code]}
					switch {
					case c.Undone == "T":
						sv.Status = "undone"
					case kind == "cancel" && strings.HasPrefix(sv.Status, "N"):
						sv.Status = "C11" // a rejected request whose item went on to ship
					}
					for _, it := range c.Items {
						sv.Items = append(sv.Items, it.Code)
					}
					got = append(got, sv)
				}
			}
		}
		if len(page.Orders) < 1000 {
			break
		}
	}
	var want []served
	for _, c := range truth.Claims {
		if c.OrderID <= "20240331-9999999" {
			want = append(want, served{Code: c.Code, Kind: c.Kind, Status: c.Status, Invoice: c.ReturnTrackingNo, Items: c.ItemCodes})
		}
	}
	key := func(v []served) func(i, j int) bool { return func(i, j int) bool { return v[i].Code < v[j].Code } }
	sort.Slice(got, key(got))
	sort.Slice(want, key(want))
	if len(got) != len(want) || len(want) < 100 {
		t.Fatalf("served %d claims, truth %d", len(got), len(want))
	}
	for i := range want {
		if g, w := got[i], want[i]; g.Code != w.Code || g.Kind != w.Kind || g.Status != w.Status || g.Invoice != w.Invoice || g.Items[0] != w.Items[0] {
			t.Fatalf("claim served as %+v, truth %+v", g, w)
		}
	}
	var truthTracking []string
	for _, sh := range truth.Shipments {
		if (sh.Kind == "forward" || sh.Kind == "reshipment") && sh.OrderID <= "20240331-9999999" {
			for range sh.ItemCodes {
				truthTracking = append(truthTracking, sh.TrackingNo)
			}
		}
	}
	sort.Strings(tracking)
	sort.Strings(truthTracking)
	if len(tracking) != len(truthTracking) {
		t.Fatalf("%d items with a tracking number served, truth %d", len(tracking), len(truthTracking))
	}
	for i := range tracking {
		if tracking[i] != truthTracking[i] {
			t.Fatalf("tracking numbers differ: %s vs %s", tracking[i], truthTracking[i])
		}
	}
}

// claimOnWire is the part of an embedded claim the tests read.
type claimOnWire struct {
	ClaimCode string `json:"claim_code"`
	Undone    string `json:"undone"`
	Invoice   string `json:"return_invoice_no"`
	Items     []struct {
		Code string `json:"order_item_code"`
	} `json:"items"`
}

// An accepted exchange brings a free replacement line (N01, then shipped in a re-shipment of
// its own with original_item_no); an exchange not accepted has none.
func TestExchangeReplacements(t *testing.T) {
	t.Parallel()
	o := testOptions()
	o.Orders = 20000
	o.Clock = NewClock(testStart.AddDate(0, 0, 60))
	s := New(o)
	v := s.view()
	accepted, without, reshipped := 0, 0, 0
	for oi := range s.d.orders {
		ord := &s.d.orders[oi]
		paid := v.paidShown(uint32(oi))
		for k := uint32(0); k < uint32(ord.n); k++ {
			ii := ord.first + k
			it := &s.d.items[ii]
			if it.claim != claimExchange || !v.orderShown(uint32(oi)) {
				continue
			}
			var rep *uint32
			for j := ord.first; j < ord.first+uint32(ord.n); j++ {
				if s.d.items[j].origin == uint8(k)+1 {
					jj := j
					rep = &jj
				}
			}
			acc := v.state(ii, paid).has(evExchangeAcc)
			switch {
			case acc && (rep == nil || !v.exists(*rep)):
				t.Fatalf("accepted exchange of item %d has no replacement", ii)
			case !acc && rep != nil && v.exists(*rep):
				t.Fatalf("exchange of item %d not accepted, yet its replacement exists", ii)
			case acc:
				accepted++
				if st := v.state(*rep, paid); st.has(evShipped) {
					reshipped++
				}
			default:
				without++
			}
		}
	}
	kinds := map[string]int{}
	for _, sh := range s.Truth().Shipments {
		kinds[sh.Kind]++
	}
	if accepted == 0 || without == 0 || reshipped == 0 || kinds["reshipment"] != reshipped {
		t.Fatalf("%d accepted exchanges (%d reshipped, %d re-shipments in the truth), %d not accepted", accepted, reshipped, kinds["reshipment"], without)
	}
	// On the wire: the replacement line is free and names the item it replaces.
	b := setup(t, o)
	for _, sh := range s.Truth().Shipments {
		if sh.Kind != "reshipment" {
			continue
		}
		w := b.get(t, "/api/v2/admin/orders?start_date=2024-01-01&end_date=2024-03-31&embed=items,exchange&order_id="+sh.OrderID, b.token)
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `"original_item_no":[`) || !strings.Contains(body, `"exchanged_items":[{"order_item_code":"`+sh.ItemCodes[0]) {
			t.Fatalf("order %s with a replacement answered %d: %.600s", sh.OrderID, w.Code, body)
		}
		break
	}
}
