package cafe24sim

import (
	"fmt"
	"slices"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simtruth"
)

// StoredLine is what a consumer stored for one order item, to compare with the truth.
type StoredLine struct {
	ItemCode      string
	Status        string
	Quantity      int
	PaymentAmount int64
}

// Diff is how stored records differ from the truth.
type Diff = simtruth.Diff

// Diff compares stored lines with the truth.
func (t Truth) Diff(stored []StoredLine) Diff {
	truth := make([]simtruth.Line, len(t.Lines))
	for i, l := range t.Lines {
		truth[i] = simtruth.Line{Key: l.ItemCode, Status: l.Status, Quantity: l.Quantity, PaymentAmount: l.PaymentAmount}
	}
	got := make([]simtruth.Line, len(stored))
	for i, s := range stored {
		got[i] = simtruth.Line{Key: s.ItemCode, Status: s.Status, Quantity: s.Quantity, PaymentAmount: s.PaymentAmount}
	}
	return simtruth.Lines(truth, got)
}

// StoredClaim is what a consumer stored for one claim, to compare with the truth.
type StoredClaim struct {
	Code string
	Kind string
	// Status is the platform code stored for the claim's step ("undone" when withdrawn).
	Status           string
	ItemCodes        []string
	ReturnTrackingNo string
}

// DiffClaims compares stored claims with the truth's.
func (t Truth) DiffClaims(stored []StoredClaim) Diff {
	want := make(map[string]string, len(t.Claims))
	for _, c := range t.Claims {
		want[c.Code] = claimFacts(c.Kind, c.Status, c.ReturnTrackingNo, c.ItemCodes)
	}
	got := make(map[string]string, len(stored))
	for _, c := range stored {
		got[c.Code] = claimFacts(c.Kind, c.Status, c.ReturnTrackingNo, c.ItemCodes)
	}
	return diffFacts("claim", want, got)
}

// StoredShipment is what a consumer stored for one parcel, to compare with the truth.
type StoredShipment struct {
	ID         string
	Kind       string
	TrackingNo string
	ItemCodes  []string
}

// DiffShipments compares stored shipments with the truth's.
func (t Truth) DiffShipments(stored []StoredShipment) Diff {
	want := make(map[string]string, len(t.Shipments))
	for _, s := range t.Shipments {
		want[s.ID] = claimFacts(s.Kind, "", s.TrackingNo, s.ItemCodes)
	}
	got := make(map[string]string, len(stored))
	for _, s := range stored {
		got[s.ID] = claimFacts(s.Kind, "", s.TrackingNo, s.ItemCodes)
	}
	return diffFacts("shipment", want, got)
}

// claimFacts renders the compared facts of a claim or parcel as one string.
func claimFacts(kind, status, tracking string, items []string) string {
	sorted := slices.Clone(items)
	slices.Sort(sorted)
	return fmt.Sprintf("%s %s tracking=%q items=%v", kind, status, tracking, sorted)
}

// diffFacts compares two sets of records by id and facts.
func diffFacts(what string, want, got map[string]string) Diff {
	var d Diff
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		g, ok := got[id]
		switch {
		case !ok:
			d.Missing++
			d.Note("%s %s missing (truth %s)", what, id, want[id])
		case g != want[id]:
			d.Differing++
			d.Note("%s %s stored %s, truth %s", what, id, g, want[id])
		}
	}
	extra := make([]string, 0)
	for id := range got {
		if _, ok := want[id]; !ok {
			extra = append(extra, id)
		}
	}
	slices.Sort(extra)
	d.Extra = len(extra)
	if len(extra) > 0 {
		d.Note("%s %s stored but not in the truth", what, extra[0])
	}
	return d
}

// StoredClaimsOf converts stored domain claims for DiffClaims.
func StoredClaimsOf(cs []mallsync.Claim) []StoredClaim {
	out := make([]StoredClaim, len(cs))
	for i, c := range cs {
		out[i] = StoredClaim{Code: c.PlatformClaimID, Kind: string(c.Kind), Status: c.PlatformStatus, ReturnTrackingNo: c.ReturnTrackingNo}
		for _, l := range c.Lines {
			out[i].ItemCodes = append(out[i].ItemCodes, l.PlatformLineID)
		}
	}
	return out
}

// StoredShipmentsOf converts stored domain shipments for DiffShipments.
func StoredShipmentsOf(ss []mallsync.Shipment) []StoredShipment {
	out := make([]StoredShipment, len(ss))
	for i, s := range ss {
		out[i] = StoredShipment{ID: s.PlatformShipmentID, Kind: string(s.Kind), TrackingNo: s.TrackingNo, ItemCodes: s.LineIDs}
	}
	return out
}

// DiffRefunds compares stored refunds with the truth's: code, order, items, amount and
// whether the money went out.
func (t Truth) DiffRefunds(stored []mallsync.Refund) Diff {
	want := make(map[string]string, len(t.Refunds))
	for _, r := range t.Refunds {
		want[r.Code] = refundFacts(r.OrderID, r.Amount, r.Done, r.ItemCodes)
	}
	got := make(map[string]string, len(stored))
	for _, r := range stored {
		got[r.PlatformRefundID] = refundFacts(r.PlatformOrderID, int64(r.Amount), r.Done, r.LineIDs)
	}
	return diffFacts("refund", want, got)
}

func refundFacts(orderID string, amount int64, done bool, items []string) string {
	sorted := slices.Clone(items)
	slices.Sort(sorted)
	return fmt.Sprintf("order=%s amount=%d done=%t items=%v", orderID, amount, done, sorted)
}

// StoredStock is a stored stock figure of one variant, to compare with the truth.
type StoredStock struct {
	VariantCode string
	Quantity    int
}

// DiffStock compares stored stock figures with the truth's.
func (t Truth) DiffStock(stored []StoredStock) Diff {
	want := make(map[string]string, len(t.Stock))
	for _, s := range t.Stock {
		want[s.VariantCode] = fmt.Sprintf("quantity=%d", s.Quantity)
	}
	got := make(map[string]string, len(stored))
	for _, s := range stored {
		got[s.VariantCode] = fmt.Sprintf("quantity=%d", s.Quantity)
	}
	return diffFacts("stock of variant", want, got)
}
