package cafe24sim

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"
	"time"
)

type wireRefund struct {
	OrderID    string   `json:"order_id"`
	RefundCode string   `json:"refund_code"`
	Accepted   string   `json:"accepted_refund_date"`
	RefundDate *string  `json:"refund_date"`
	Status     string   `json:"status"`
	Amount     string   `json:"actual_refund_amount"`
	ItemCodes  []string `json:"order_item_code"`
}

// refundsOf reads every page of /refunds for the query.
func (b *bundle) refundsOf(t *testing.T, q url.Values) []wireRefund {
	t.Helper()
	var out []wireRefund
	path := "/api/v2/admin/refunds?" + q.Encode()
	for path != "" {
		w := b.get(t, path, b.token)
		if w.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body.String())
		}
		var pg struct {
			Refunds []wireRefund `json:"refunds"`
			Links   []struct{ Rel, Href string }
		}
		if err := json.Unmarshal(w.Body.Bytes(), &pg); err != nil {
			t.Fatalf("decoding %s: %v", path, err)
		}
		out = append(out, pg.Refunds...)
		path = ""
		for _, l := range pg.Links {
			if l.Rel == "next" {
				path = l.Href
			}
		}
	}
	return out
}

func TestRefundsServedAsTruthSays(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.Faults = Faults{LateRate: 0.1, LateBy: 3 * time.Hour}
	b := setup(t, opts)
	b.srv.Clock().Set(testStart.AddDate(0, 0, 60))
	truth := b.srv.Truth()
	if len(truth.Refunds) < 50 {
		t.Fatalf("only %d refunds after 60 days of 3000 orders", len(truth.Refunds))
	}
	done := 0
	for _, r := range truth.Refunds {
		if r.Done {
			done++
		}
	}
	if done == 0 || done == len(truth.Refunds) {
		t.Fatalf("%d of %d refunds paid out: want some waiting", done, len(truth.Refunds))
	}
	// accepted_refund_date over the whole period lists every refund once, in pages of 7.
	q := url.Values{"start_date": {"2024-01-01"}, "end_date": {"2024-03-31"}, "date_type": {"accepted_refund_date"}, "limit": {"7"}}
	got := b.refundsOf(t, q)
	if len(got) != len(truth.Refunds) {
		t.Fatalf("accepted_refund_date lists %d refunds, truth has %d", len(got), len(truth.Refunds))
	}
	codes := map[string]wireRefund{}
	for _, r := range got {
		codes[r.RefundCode] = r
	}
	for _, tr := range truth.Refunds {
		r, ok := codes[tr.Code]
		if !ok {
			t.Fatalf("refund %s not listed", tr.Code)
		}
		if (r.Status == "T") != tr.Done || (r.RefundDate != nil) != tr.Done || r.OrderID != tr.OrderID ||
			!slices.Equal(r.ItemCodes, tr.ItemCodes) || r.Amount != string(appendMoney(nil, tr.Amount)[1:len(appendMoney(nil, tr.Amount))-1]) {
			t.Fatalf("refund %s served %+v, truth %+v", tr.Code, r, tr)
		}
	}
	// refund_date lists exactly the paid-out ones.
	q.Set("date_type", "refund_date")
	q.Set("limit", "500")
	if n := len(b.refundsOf(t, q)); n != done {
		t.Fatalf("refund_date lists %d refunds, %d are paid out", n, done)
	}
	// Bad queries answer 422 in the envelope.
	for _, bad := range []string{"limit=501", "date_type=order_date", "start_date=2024-01-01&end_date=2024-06-01"} {
		w := b.get(t, "/api/v2/admin/refunds?start_date=2024-01-01&end_date=2024-01-31&"+bad, b.token)
		if w.Code != 422 {
			t.Errorf("%s: %d %s", bad, w.Code, w.Body.String())
		}
	}
}

func TestRefundIsPaidOutLater(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions())
	d := b.srv.d
	var slow *refund
	for i := range d.refunds {
		if r := &d.refunds[i]; r.done-r.acc > int32(2*hour) {
			slow = r
			break
		}
	}
	if slow == nil {
		t.Fatal("no refund takes more than two hours")
	}
	at := func(t32 int32) time.Time { return time.Unix(d.base+int64(t32), 0) }
	find := func() *TruthRefund {
		v := b.srv.view()
		code := string(v.appendRefundCode(nil, slow))
		for _, r := range b.srv.Truth().Refunds {
			if r.Code == code {
				return &r
			}
		}
		return nil
	}
	b.srv.Clock().Set(at(slow.acc - 1))
	if find() != nil {
		t.Fatal("refund visible before it was accepted")
	}
	b.srv.Clock().Set(at(slow.acc))
	if r := find(); r == nil || r.Done {
		t.Fatalf("at acceptance: %+v, want accepted and not paid out", r)
	}
	b.srv.Clock().Set(at(slow.done))
	if r := find(); r == nil || !r.Done {
		t.Fatalf("at payout: %+v, want paid out", r)
	}
}
