package console

import (
	"encoding/json"
	"net/url"
	"time"

	"github.com/mallsync/mallsync"
)

// orderHitJSON is one search hit in the API, with personal data as the caller's role may see it.
type orderHitJSON struct {
	Mall             string   `json:"mall"`
	MallName         string   `json:"mall_name"`
	Platform         string   `json:"platform"`
	OrderID          string   `json:"order_id"`
	OrderedAt        string   `json:"ordered_at"`
	OrderedAtKST     string   `json:"ordered_at_kst"`
	BuyerName        string   `json:"buyer_name"`
	BuyerPhone       string   `json:"buyer_phone"`
	ReceiverName     string   `json:"receiver_name"`
	ReceiverPhone    string   `json:"receiver_phone"`
	PaymentAmount    int64    `json:"payment_amount"`
	Lines            int      `json:"lines"`
	Product          string   `json:"product"`
	Statuses         []string `json:"statuses"`
	PlatformStatuses []string `json:"platform_statuses"`
	MatchedBy        string   `json:"matched_by"`
	Page             string   `json:"page"`
}

// orderPath is the order page's path.
func orderPath(mall mallsync.MallKey, orderID string) string {
	return "/orders/" + url.PathEscape(string(mall)) + "/" + url.PathEscape(orderID)
}

// maskHit returns h with its personal data as role may see it.
func maskHit(h mallsync.OrderHit, role Role) mallsync.OrderHit {
	h.BuyerName = maskFor(role, fieldName, h.BuyerName)
	h.ReceiverName = maskFor(role, fieldName, h.ReceiverName)
	h.BuyerPhone = maskFor(role, fieldPhone, h.BuyerPhone)
	h.ReceiverPhone = maskFor(role, fieldPhone, h.ReceiverPhone)
	return h
}

func toHitJSON(h mallsync.OrderHit) orderHitJSON {
	out := orderHitJSON{Mall: string(h.Mall), MallName: h.MallName, Platform: string(h.Platform), OrderID: h.PlatformOrderID,
		OrderedAt: h.OrderedAt.UTC().Format(time.RFC3339), OrderedAtKST: formatKST(h.OrderedAt),
		BuyerName: h.BuyerName, BuyerPhone: h.BuyerPhone, ReceiverName: h.ReceiverName, ReceiverPhone: h.ReceiverPhone,
		PaymentAmount: int64(h.PaymentAmount), Lines: h.Lines, Product: h.Product, PlatformStatuses: h.PlatformStatuses,
		MatchedBy: h.MatchedBy, Page: orderPath(h.Mall, h.PlatformOrderID)}
	for _, s := range h.Statuses {
		out.Statuses = append(out.Statuses, string(s))
	}
	return out
}

// orderView is the order page's data, shared by the page and GET /api/orders/{mall}/{order}:
// the detail masked for the role, the claims' flows and the link to the mall's admin.
type orderView struct {
	Detail mallsync.OrderDetail
	// Flows are the claims' return flows by claim id (only claims that have one).
	Flows map[string]mallsync.ReturnFlowView
	// FlowErrors says why a claim's flow could not be read.
	FlowErrors map[string]string
	AdminURL   string
	// ShowRaw is whether the role may see the platform's raw payload (it holds unmasked data).
	ShowRaw bool
	// MayAct is whether the role may take the flows' actions; MayNote whether notes can be
	// left here.
	MayAct  bool
	MayNote bool
	Err     string
}

func (v orderView) pageError() string { return v.Err }

// RawJSON is the raw payload indented for reading.
func (v orderView) RawJSON() string {
	var out json.RawMessage
	if len(v.Detail.Order.Raw) == 0 || json.Unmarshal(v.Detail.Order.Raw, &out) != nil {
		return string(v.Detail.Order.Raw)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return string(v.Detail.Order.Raw)
	}
	return string(b)
}

// maskDetail returns d with its personal data as role may see it; the raw payload is dropped
// for roles that may not see all of it.
func maskDetail(d mallsync.OrderDetail, role Role) mallsync.OrderDetail {
	for _, p := range []*mallsync.Person{&d.Order.Buyer, &d.Order.Receiver} {
		p.Name = maskFor(role, fieldName, p.Name)
		p.Phone = maskFor(role, fieldPhone, p.Phone)
		p.Cellphone = maskFor(role, fieldPhone, p.Cellphone)
		p.Address = maskFor(role, fieldAddress, p.Address)
		if !sees(role, fieldPhone) {
			p.Email = ""
		}
	}
	if !seesAll(role) {
		d.Order.Raw = nil
	}
	return d
}

// seesAll reports whether role sees every personal field unmasked.
func seesAll(role Role) bool {
	return sees(role, fieldPhone) && sees(role, fieldAddress) && sees(role, fieldName)
}

type personJSON struct {
	Name    string `json:"name"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Zipcode string `json:"zipcode,omitempty"`
	Address string `json:"address,omitempty"`
}

func toPersonJSON(p mallsync.Person) personJSON {
	phone := p.Cellphone
	if phone == "" {
		phone = p.Phone
	}
	return personJSON{Name: p.Name, Phone: phone, Email: p.Email, Zipcode: p.Zipcode, Address: p.Address}
}

type lineJSON struct {
	LineID         string `json:"line_id"`
	Product        string `json:"product"`
	Option         string `json:"option,omitempty"`
	SKU            string `json:"sku,omitempty"`
	Quantity       int    `json:"quantity"`
	UnitPrice      int64  `json:"unit_price"`
	PaymentAmount  int64  `json:"payment_amount"`
	Status         string `json:"status"`
	PlatformStatus string `json:"platform_status"`
	Ownership      string `json:"ownership"`
	Supplier       string `json:"supplier,omitempty"`
	Carrier        string `json:"carrier,omitempty"`
	TrackingNo     string `json:"tracking_no,omitempty"`
	Claim          string `json:"claim,omitempty"`
}

type shipmentJSON struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Carrier     string   `json:"carrier"`
	TrackingNo  string   `json:"tracking_no"`
	Status      string   `json:"platform_status"`
	ShippedAt   *string  `json:"shipped_at,omitempty"`
	DeliveredAt *string  `json:"delivered_at,omitempty"`
	Lines       []string `json:"lines"`
}

type claimJSON struct {
	ID             string                   `json:"id"`
	Kind           string                   `json:"kind"`
	Status         string                   `json:"status"`
	PlatformStatus string                   `json:"platform_status"`
	Reason         string                   `json:"reason,omitempty"`
	RequestedAt    string                   `json:"requested_at"`
	Lines          []string                 `json:"lines"`
	Flow           *mallsync.ReturnFlowView `json:"flow,omitempty"`
	FlowError      string                   `json:"flow_error,omitempty"`
}

type noteJSON struct {
	Author string `json:"author"`
	Body   string `json:"body"`
	At     string `json:"at"`
}

type eventJSON struct {
	LineID       string `json:"line_id"`
	ChangedAt    string `json:"changed_at"`
	PlatformCode string `json:"platform_code"`
	From         string `json:"from,omitempty"`
	To           string `json:"to"`
	SeenAt       string `json:"seen_at"`
	Applied      bool   `json:"applied"`
}

type orderDetailJSON struct {
	Mall          string          `json:"mall"`
	MallName      string          `json:"mall_name"`
	Platform      string          `json:"platform"`
	OrderID       string          `json:"order_id"`
	OrderedAt     string          `json:"ordered_at"`
	PaymentAmount int64           `json:"payment_amount"`
	ShippingFee   int64           `json:"shipping_fee"`
	Buyer         personJSON      `json:"buyer"`
	Receiver      personJSON      `json:"receiver"`
	Lines         []lineJSON      `json:"lines"`
	Shipments     []shipmentJSON  `json:"shipments"`
	Claims        []claimJSON     `json:"claims"`
	Timeline      []eventJSON     `json:"timeline"`
	Reorder       any             `json:"reorder,omitempty"`
	Notes         []noteJSON      `json:"notes"`
	AdminURL      string          `json:"admin_url,omitempty"`
	Raw           json.RawMessage `json:"raw,omitempty"`
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func utcPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := utc(*t)
	return &s
}

func toDetailJSONOf(v orderView) orderDetailJSON {
	d := v.Detail
	out := orderDetailJSON{Mall: string(d.Mall), MallName: d.MallName, Platform: string(d.Platform), OrderID: d.Order.PlatformOrderID,
		OrderedAt: utc(d.Order.OrderedAt), PaymentAmount: int64(d.Order.PaymentAmount), ShippingFee: int64(d.Order.ShippingFee),
		Buyer: toPersonJSON(d.Order.Buyer), Receiver: toPersonJSON(d.Order.Receiver), AdminURL: v.AdminURL,
		Lines: []lineJSON{}, Shipments: []shipmentJSON{}, Claims: []claimJSON{}, Timeline: []eventJSON{}, Notes: []noteJSON{}}
	for _, n := range d.Notes {
		out.Notes = append(out.Notes, noteJSON{Author: n.Author, Body: n.Body, At: utc(n.At)})
	}
	if v.ShowRaw && len(d.Order.Raw) > 0 && json.Valid(d.Order.Raw) {
		out.Raw = d.Order.Raw
	}
	for _, l := range d.Order.Lines {
		out.Lines = append(out.Lines, lineJSON{LineID: l.PlatformLineID, Product: l.ProductName, Option: l.OptionValue, SKU: l.SKU,
			Quantity: l.Quantity, UnitPrice: int64(l.UnitPrice), PaymentAmount: int64(l.PaymentAmount), Status: string(l.Status),
			PlatformStatus: l.PlatformStatus, Ownership: string(l.Ownership), Supplier: l.SupplierName, Carrier: l.CarrierCode,
			TrackingNo: l.TrackingNo, Claim: l.ClaimCode})
	}
	for _, s := range d.Shipments {
		out.Shipments = append(out.Shipments, shipmentJSON{ID: s.PlatformShipmentID, Kind: string(s.Kind), Carrier: s.CarrierCode,
			TrackingNo: s.TrackingNo, Status: s.PlatformStatus, ShippedAt: utcPtr(s.ShippedAt), DeliveredAt: utcPtr(s.DeliveredAt),
			Lines: nonNil(s.LineIDs)})
	}
	for _, c := range d.Claims {
		cj := claimJSON{ID: c.PlatformClaimID, Kind: string(c.Kind), Status: string(c.Status), PlatformStatus: c.PlatformStatus,
			Reason: c.Reason, RequestedAt: utc(c.RequestedAt), Lines: []string{}, FlowError: v.FlowErrors[c.PlatformClaimID]}
		for _, l := range c.Lines {
			cj.Lines = append(cj.Lines, l.PlatformLineID)
		}
		if f, ok := v.Flows[c.PlatformClaimID]; ok {
			cj.Flow = &f
		}
		out.Claims = append(out.Claims, cj)
	}
	for _, e := range d.Timeline {
		out.Timeline = append(out.Timeline, eventJSON{LineID: e.PlatformLineID, ChangedAt: utc(e.ChangedAt), PlatformCode: e.PlatformCode,
			From: string(e.From), To: string(e.To), SeenAt: utc(e.SeenAt), Applied: e.Applied})
	}
	if d.Reorder != nil {
		out.Reorder = map[string]any{"original_order_id": d.Reorder.OriginalOrderID, "marked_by": d.Reorder.MarkedBy,
			"marked_at": utc(d.Reorder.MarkedAt), "tracking_no": d.Reorder.TrackingNo}
	}
	return out
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
