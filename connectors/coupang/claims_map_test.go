package coupang

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/mappings"
)

// receipt builds a returnRequests receipt with the fields a case changes.
func receipt(typ, status, releaseStop, items, dtos string) json.RawMessage {
	return json.RawMessage(`{"receiptId":7,"orderId":8,"receiptType":"` + typ + `","receiptStatus":"` + status +
		`","createdAt":"2026-08-01T10:00:00","modifiedAt":"2026-08-02T11:00:00","releaseStopStatus":"` + releaseStop +
		`","faultByType":"VENDOR","cancelReasonCategory1":"상품불량","returnItems":` + items + `,"returnDeliveryDtos":` + dtos + `}`)
}

const oneItem = `[{"vendorItemId":3,"purchaseCount":2,"cancelCount":1,"shipmentBoxId":9}]`

func TestMapReceipts(t *testing.T) {
	t.Parallel()
	c := testConnector(t)
	tests := []struct {
		name   string
		raw    json.RawMessage
		code   string
		kind   mallsync.ClaimKind
		status mallsync.ClaimStatus
		pickup string // the pickup's tracking number, "" for none
		err    string
	}{
		{"immediate cancel", receipt("CANCEL", "RETURNS_COMPLETED", "비대상", oneItem, `[]`), "CANCEL_COMPLETED", mallsync.ClaimCancel, mallsync.ClaimCompleted, "", ""},
		{"stop-shipment requested", receipt("RETURN", "RELEASE_STOP_UNCHECKED", "미처리", oneItem, `[]`), "RELEASE_STOP_UNCHECKED", mallsync.ClaimCancel, mallsync.ClaimRequested, "", ""},
		{"parcel stopped", receipt("RETURN", "RETURNS_COMPLETED", "처리(출고중지)", oneItem, `[]`), "STOP_SHIPMENT_COMPLETED", mallsync.ClaimCancel, mallsync.ClaimCompleted, "", ""},
		{"already left: a return", receipt("RETURN", "RETURNS_UNCHECKED", "자동처리(이미출고)", oneItem, `[{"deliveryCompanyCode":"CJGLS","deliveryInvoiceNo":null},{"deliveryCompanyCode":"CJGLS","deliveryInvoiceNo":" 123 "}]`), "RETURNS_UNCHECKED", mallsync.ClaimReturn, mallsync.ClaimAccepted, "123", ""},
		{"received", receipt("RETURN", "VENDOR_WAREHOUSE_CONFIRM", "비대상", oneItem, `[]`), "VENDOR_WAREHOUSE_CONFIRM", mallsync.ClaimReturn, mallsync.ClaimCollected, "", ""},
		{"coupang check", receipt("RETURN", "REQUEST_COUPANG_CHECK", "비대상", oneItem, `[]`), "REQUEST_COUPANG_CHECK", mallsync.ClaimReturn, mallsync.ClaimOnHold, "", ""},
		{"returned", receipt("RETURN", "RETURNS_COMPLETED", "비대상", oneItem, `[]`), "RETURNS_COMPLETED", mallsync.ClaimReturn, mallsync.ClaimCompleted, "", ""},
		{"unknown status", receipt("RETURN", "TELEPORTED", "비대상", oneItem, `[]`), "", "", "", "", "not a claim step"},
		{"no items", receipt("RETURN", "RETURNS_UNCHECKED", "비대상", `[]`, `[]`), "", "", "", "", "no returnItems"},
		{"no box", receipt("RETURN", "RETURNS_UNCHECKED", "비대상", `[{"vendorItemId":3,"cancelCount":1}]`, `[]`), "", "", "", "", "without shipmentBoxId"},
		{"more than bought", receipt("RETURN", "RETURNS_UNCHECKED", "비대상", `[{"vendorItemId":3,"purchaseCount":1,"cancelCount":2,"shipmentBoxId":9}]`, `[]`), "", "", "", "", "cancelCount 2 of 1"},
		{"not JSON", json.RawMessage(`{"receiptId":`), "", "", "", "", "does not decode"},
	}
	for _, tt := range tests {
		m, err := c.mapReceipt(tt.raw, "", time.Time{})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || m.claim.PlatformStatus != tt.code || m.claim.Kind != tt.kind || m.claim.Status != tt.status ||
			len(m.claim.Lines) != 1 || m.claim.Lines[0].PlatformLineID != "9-3" || m.claim.Lines[0].Quantity != 1 || m.claim.FaultParty != "seller" ||
			!m.claim.ChangedAt.Equal(time.Date(2026, 8, 2, 2, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: %+v, %v", tt.name, m.claim, err)
			continue
		}
		if got := ""; m.pickup != nil {
			got = m.pickup.TrackingNo
			if got != tt.pickup || m.pickup.Kind != mallsync.ShipmentReturnPickup {
				t.Errorf("%s: pickup %+v", tt.name, m.pickup)
			}
		} else if tt.pickup != "" {
			t.Errorf("%s: no pickup, want %s", tt.name, tt.pickup)
		}
	}
}

// An exchange's lines, pickup and replacement parcel; one that does not map says why.
func TestMapExchanges(t *testing.T) {
	t.Parallel()
	c := testConnector(t)
	raw := json.RawMessage(`{"exchangeId":5,"orderId":8,"exchangeStatus":"SUCCESS","faultType":"CUSTOMER","reasonCode":"DIFFERENTOPT",
		"createdAt":"2026-08-01T10:00:00","modifiedAt":"2026-08-03T10:00:00",
		"exchangeItemDtoV1s":[{"orderItemId":3,"quantity":1,"originalShipmentBoxId":9}],
		"returnDeliveryDtos":[{"deliveryCompanyCode":"CJGLS","deliveryInvoiceNo":"111"}],
		"deliveryInvoiceGroupDtos":[{"shipmentBoxId":99,"deliveryInvoiceDtos":[{"invoiceNumber":"222","deliverCode":"HANJIN","statusCode":"DELIVERING"}]}]}`)
	cl, ships, err := c.mapExchange(raw)
	if err != nil || cl.PlatformClaimID != "E5" || cl.Status != mallsync.ClaimCompleted || cl.Kind != mallsync.ClaimExchange ||
		cl.Lines[0].PlatformLineID != "9-3" || len(ships) != 2 || ships[0].Kind != mallsync.ShipmentReturnPickup ||
		ships[1].Kind != mallsync.ShipmentReshipment || ships[1].PlatformShipmentID != "99" || ships[1].TrackingNo != "222" || cl.FaultParty != "buyer" {
		t.Fatalf("%+v\n%+v\n%v", cl, ships, err)
	}
	for _, bad := range []string{
		`{"exchangeId":5,"orderId":8,"exchangeStatus":"LOST","createdAt":"2026-08-01T10:00:00","exchangeItemDtoV1s":[{"orderItemId":3,"quantity":1,"originalShipmentBoxId":9}]}`,
		`{"exchangeId":5,"orderId":8,"exchangeStatus":"RECEIPT","createdAt":"2026-08-01T10:00:00","exchangeItemDtoV1s":[{"orderItemId":3,"quantity":0,"originalShipmentBoxId":9}]}`,
		`{"exchangeId":5,"orderId":8,"exchangeStatus":"RECEIPT","createdAt":"yesterday","exchangeItemDtoV1s":[]}`,
	} {
		if _, _, err := c.mapExchange(json.RawMessage(bad)); err == nil {
			t.Errorf("%s mapped", bad)
		}
	}
}

// nextPageIndex comes as a string, a number, null or not at all.
func TestWithdrawalsNextPage(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{`"2"`: "2", `3`: "3", `null`: "", ``: "", `""`: "", `0`: "", `"x"`: "error", `-1`: "error"} {
		got, err := withdrawalsAnswer{NextPageIndex: json.RawMessage(in)}.nextPage()
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// FuzzClaimParsers feeds any bytes to the claim parsers: they never panic, and whatever maps
// is a valid claim with lines keyed shipmentBoxId-vendorItemId.
func FuzzClaimParsers(f *testing.F) {
	for _, name := range []string{"returnRequests", "returnWithdrawRequests", "exchangeRequests"} {
		body, err := os.ReadFile("testdata/reference/" + name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		var a answer
		if err := json.Unmarshal(body, &a); err != nil {
			f.Fatal(err)
		}
		for _, row := range a.Data {
			f.Add([]byte(row))
		}
	}
	f.Add([]byte(receipt("CANCEL", "RETURNS_COMPLETED", "비대상", oneItem, `[]`)))
	m, err := mappings.StatusMap(mallsync.PlatformCoupang)
	if err != nil {
		f.Fatal(err)
	}
	c := &Connector{statuses: m}
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(cl mallsync.Claim) {
			if !cl.Kind.Valid() || !cl.Status.Valid() || cl.PlatformClaimID == "" || len(cl.Lines) == 0 {
				t.Fatalf("mapped an invalid claim: %+v", cl)
			}
			for _, l := range cl.Lines {
				if _, err := splitLine(l.PlatformLineID); err != nil && !strings.Contains(l.PlatformLineID, "-") {
					t.Fatalf("line %q", l.PlatformLineID)
				}
			}
		}
		if r, err := c.mapReceipt(b, "", time.Time{}); err == nil {
			check(r.claim)
		}
		if cl, _, err := c.mapExchange(b); err == nil {
			check(cl)
		}
		_, _ = parseWithdrawal(b)
		_, _ = withdrawalsAnswer{NextPageIndex: b}.nextPage()
	})
}
