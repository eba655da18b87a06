package console_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

// fakeOrders is a mallsync.OrderReader and mallsync.OrderNotes over one order.
type fakeOrders struct {
	mu     sync.Mutex
	detail mallsync.OrderDetail
}

func (f *fakeOrders) AddOrderNote(_ context.Context, mall mallsync.MallKey, id string, n mallsync.OrderNote) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if mall != f.detail.Mall || id != f.detail.Order.PlatformOrderID {
		return mallsync.Errorf(mallsync.ENOTFOUND, "no order %s of %s", id, mall)
	}
	n.At = time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	f.detail.Notes = append(f.detail.Notes, n)
	return nil
}

func (f *fakeOrders) SearchOrders(_ context.Context, q mallsync.OrderQuery) ([]mallsync.OrderHit, error) {
	if len([]rune(strings.TrimSpace(q.Text))) < 2 {
		return nil, mallsync.Errorf(mallsync.EINVALID, "search for at least two characters")
	}
	o := f.detail.Order
	if !strings.HasSuffix(o.Buyer.Cellphone, q.Text) && q.Text != o.PlatformOrderID {
		return nil, nil
	}
	return []mallsync.OrderHit{{Mall: f.detail.Mall, MallName: f.detail.MallName, Platform: f.detail.Platform,
		PlatformOrderID: o.PlatformOrderID, OrderedAt: o.OrderedAt, BuyerName: o.Buyer.Name, BuyerPhone: o.Buyer.Cellphone,
		ReceiverName: o.Receiver.Name, ReceiverPhone: o.Receiver.Cellphone, PaymentAmount: o.PaymentAmount, Lines: 1,
		Product: o.Lines[0].ProductName, Statuses: []mallsync.LineStatus{o.Lines[0].Status}, MatchedBy: "phone"}}, nil
}

func (f *fakeOrders) OrderDetail(_ context.Context, mall mallsync.MallKey, id string) (mallsync.OrderDetail, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if mall != f.detail.Mall || id != f.detail.Order.PlatformOrderID {
		return mallsync.OrderDetail{}, mallsync.Errorf(mallsync.ENOTFOUND, "no order %s of %s", id, mall)
	}
	return f.detail, nil
}

// fakeFlows answers one flow for claim R1.
type fakeFlows struct{}

func (fakeFlows) ReturnFlow(_ context.Context, _ mallsync.MallKey, claim string) (mallsync.ReturnFlowView, error) {
	if claim != "R1" {
		return mallsync.ReturnFlowView{}, mallsync.Errorf(mallsync.ENOTFOUND, "no flow")
	}
	return mallsync.ReturnFlowView{WorkflowID: "return/shop/R1", ClaimID: "R1", Kind: mallsync.ClaimReturn, Stage: "inspection",
		Allowed: []string{"approve", "reject", "withdraw"},
		History: []mallsync.ReturnFlowStep{{At: time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC), What: "return requested", By: "platform"}}}, nil
}

// claimCalls is a mallsync.ReturnActions that records agents' claim actions and refuses
// withdrawals the way a flow whose mall forbids them does.
type claimCalls struct {
	mu    sync.Mutex
	calls []string
}

func (c *claimCalls) add(s string) { c.mu.Lock(); defer c.mu.Unlock(); c.calls = append(c.calls, s) }
func (c *claimCalls) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...)
}
func (c *claimCalls) CompleteTask(context.Context, string, int64, json.RawMessage, string) error {
	return mallsync.Errorf(mallsync.EINTERNAL, "not in this fake")
}
func (c *claimCalls) Approve(_ context.Context, m mallsync.MallKey, claim, by string) error {
	c.add("approve " + string(m) + "/" + claim + " by " + by)
	return nil
}
func (c *claimCalls) Reject(_ context.Context, m mallsync.MallKey, claim, reason, by string) error {
	c.add("reject " + string(m) + "/" + claim + " (" + reason + ") by " + by)
	return nil
}
func (c *claimCalls) Withdraw(context.Context, mallsync.MallKey, string, string) error {
	return mallsync.Errorf(mallsync.EINVALID, "mall shop's policy does not let agents withdraw a return (return_withdrawal: false)")
}

// orderBundle is the whole console over users in Postgres and one order.
type orderBundle struct {
	authBundle
	claims *claimCalls
}

func orderSetup(t *testing.T) *orderBundle {
	t.Helper()
	db := pgtest.DB(t)
	ctx := context.Background()
	users := postgres.NewUserStore(db)
	for name, role := range map[string]mallsync.Role{"kim": console.RoleLogistics, "lee": console.RoleAgent, "boss": console.RoleAdmin, "sam": console.RoleSales} {
		if _, err := users.CreateUser(ctx, name, role, passwords[name]); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 11, 1, 15, 30, 0, 0, time.UTC) // 2026-11-02 00:30 KST
	detail := mallsync.OrderDetail{Mall: "shop", MallName: "우리 쇼핑몰", Platform: mallsync.PlatformCafe24,
		Order: mallsync.Order{PlatformOrderID: "20261102-0000001", OrderedAt: at, PaymentAmount: 39000,
			Buyer:    mallsync.Person{Name: "김민수", Cellphone: "010-1234-5678", Email: "kim@example.com"},
			Receiver: mallsync.Person{Name: "박지영", Cellphone: "010-9876-5432", Zipcode: "06236", Address: "서울특별시 강남구 테헤란로 152"},
			Raw:      json.RawMessage(`{"order_id":"20261102-0000001","buyer_cellphone":"010-1234-5678"}`),
			Lines: []mallsync.OrderLine{{PlatformLineID: "20261102-0000001-01", ProductName: "울 니트", Quantity: 1,
				PaymentAmount: 39000, Status: mallsync.LineReturned, PlatformStatus: "R40", Ownership: mallsync.OwnDirect}}},
		Claims: []mallsync.Claim{{PlatformClaimID: "R1", Kind: mallsync.ClaimReturn, Status: mallsync.ClaimCollecting, RequestedAt: at}},
		Timeline: []mallsync.LineStatusEvent{
			{PlatformLineID: "20261102-0000001-01", ChangedAt: at, PlatformCode: "N10", To: mallsync.LinePaid, SeenAt: at, Applied: true},
			{PlatformLineID: "20261102-0000001-01", ChangedAt: at.Add(48 * time.Hour), PlatformCode: "R10", From: mallsync.LineDelivered,
				To: mallsync.LineReturned, SeenAt: at.Add(49 * time.Hour), Applied: true},
		}}
	claims := &claimCalls{}
	audit := postgres.NewAuditLog(db)
	b := &orderBundle{claims: claims}
	b.users, b.audit = users, audit
	orders := &fakeOrders{detail: detail}
	b.h = console.New(console.Deps{Auth: &console.DBAuth{Users: users}, Users: users, Tasks: seedTasks(),
		Orders: orders, Notes: orders, Flows: fakeFlows{}, Returns: claims, Audit: audit, LoginFailDelay: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		AdminURL: func(_ context.Context, p mallsync.Platform, m mallsync.MallKey, id string) string {
			return "https://shop.cafe24.com/admin/"
		}})
	return b
}

func TestOrderAPISearchMasksByRole(t *testing.T) {
	t.Parallel()
	b := orderSetup(t)
	if rec := b.send(t, req{method: "GET", path: "/api/orders?q=5678"}); rec.Code != 401 || !strings.Contains(rec.Body.String(), `"code":"unauthorized"`) {
		t.Fatalf("no credentials: %d %s", rec.Code, rec.Body)
	}
	tests := []struct {
		user      string
		status    int
		wantPhone string
		wantName  string
	}{
		{"lee", 200, "010-1234-5678", "김민수"},
		{"boss", 200, "010-1234-5678", "김민수"},
		{"kim", 200, "010-****-5678", "김민수"},
		{"sam", 403, "", ""},
	}
	for _, tt := range tests {
		cookie, _ := b.login(t, tt.user)
		rec := b.send(t, req{method: "GET", path: "/api/orders?q=5678", cookie: cookie})
		if rec.Code != tt.status {
			t.Fatalf("%s: %d %s", tt.user, rec.Code, rec.Body)
		}
		if tt.status != 200 {
			continue
		}
		var out struct {
			Orders []map[string]any
			Count  int
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Count != 1 {
			t.Fatalf("%s: %v %s", tt.user, err, rec.Body)
		}
		h := out.Orders[0]
		if h["buyer_phone"] != tt.wantPhone || h["buyer_name"] != tt.wantName || h["ordered_at_kst"] != "2026-11-02 00:30 KST" ||
			h["page"] != "/orders/shop/20261102-0000001" {
			t.Errorf("%s: hit = %v", tt.user, h)
		}
	}
	cookie, _ := b.login(t, "lee")
	for _, q := range []string{"/api/orders?q=a", "/api/orders?q=5678&limit=x", "/api/orders?q=" + strings.Repeat("가", 101)} {
		if rec := b.send(t, req{method: "GET", path: q, cookie: cookie}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"code":"invalid"`) {
			t.Errorf("%s: %d %s", q, rec.Code, rec.Body)
		}
	}
	if rec := b.send(t, req{method: "GET", path: "/api/orders/shop/nope", cookie: cookie}); rec.Code != 404 {
		t.Errorf("unknown order: %d %s", rec.Code, rec.Body)
	}
}

func TestOrderAPIDetail(t *testing.T) {
	t.Parallel()
	b := orderSetup(t)
	for _, tt := range []struct {
		user    string
		raw     bool
		phone   string
		address string
	}{
		{"lee", true, "010-1234-5678", "서울특별시 강남구 테헤란로 152"},
		{"kim", false, "010-****-5678", "서울특별시 강남구 테헤란로 152"},
	} {
		cookie, _ := b.login(t, tt.user)
		rec := b.send(t, req{method: "GET", path: "/api/orders/shop/20261102-0000001", cookie: cookie})
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", tt.user, rec.Code, rec.Body)
		}
		var out struct {
			Order struct {
				Buyer    map[string]string
				Receiver map[string]string
				Timeline []map[string]any
				Claims   []struct {
					ID   string
					Flow *mallsync.ReturnFlowView
				}
				Raw      json.RawMessage
				AdminURL string `json:"admin_url"`
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		o := out.Order
		if (len(o.Raw) > 0) != tt.raw || o.Buyer["phone"] != tt.phone || o.Receiver["address"] != tt.address {
			t.Errorf("%s: raw %s, buyer %v, receiver %v", tt.user, o.Raw, o.Buyer, o.Receiver)
		}
		if len(o.Timeline) != 2 || o.Timeline[1]["to"] != "returned" || len(o.Claims) != 1 || o.Claims[0].Flow == nil ||
			o.Claims[0].Flow.Stage != "inspection" || o.AdminURL == "" {
			t.Errorf("%s: detail = %s", tt.user, rec.Body)
		}
	}
}

func TestOrderPages(t *testing.T) {
	t.Parallel()
	b := orderSetup(t)
	if rec := b.send(t, req{method: "GET", path: "/orders?q=5678"}); rec.Code != 303 || rec.Header().Get("Location") != "/login?next="+url.QueryEscape("/orders?q=5678") {
		t.Fatalf("no session: %d %v", rec.Code, rec.Header())
	}
	if rec := b.send(t, req{method: "GET", path: "/login"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `name="password"`) {
		t.Fatalf("login page: %d", rec.Code)
	}
	rec := b.send(t, req{method: "POST", path: "/login", contentType: "application/x-www-form-urlencoded", body: "name=lee&password=wrong&next=%2F%2Fevil.example"})
	if rec.Code != 303 || rec.Header().Get("Location") != "/login?failed=1" {
		t.Fatalf("refused form login: %d %v", rec.Code, rec.Header())
	}
	agent, _ := b.login(t, "lee")
	rec = b.send(t, req{method: "GET", path: "/orders?q=5678", cookie: agent})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "20261102-0000001") || !strings.Contains(body, "010-1234-5678") ||
		!strings.Contains(body, "2026-11-02 00:30 KST") || !strings.Contains(body, "39,000원") || !strings.Contains(body, "반품 returned") {
		t.Fatalf("search page: %d %s", rec.Code, body)
	}
	if rec := b.send(t, req{method: "GET", path: "/orders?q=x", cookie: agent}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "at least two characters") {
		t.Errorf("one-character search: %d", rec.Code)
	}
	rec = b.send(t, req{method: "GET", path: "/orders/shop/20261102-0000001", cookie: agent})
	body = rec.Body.String()
	for _, want := range []string{"R10", "N10", "배송완료 delivered", "inspection", "claim-approve", "claim-withdraw", "buyer_cellphone", "https://shop.cafe24.com/admin/"} {
		if !strings.Contains(body, want) {
			t.Errorf("order page for an agent lacks %q", want)
		}
	}
	if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("order page headers: %v", rec.Header())
	}
	logistics, _ := b.login(t, "kim")
	body = b.send(t, req{method: "GET", path: "/orders/shop/20261102-0000001", cookie: logistics}).Body.String()
	if strings.Contains(body, "010-1234-5678") || strings.Contains(body, "buyer_cellphone") || strings.Contains(body, "claim-approve") ||
		!strings.Contains(body, "010-****-5678") {
		t.Errorf("order page for logistics shows what it should not, or masks nothing")
	}
	sales, _ := b.login(t, "sam")
	if rec := b.send(t, req{method: "GET", path: "/orders", cookie: sales}); rec.Code != 403 {
		t.Errorf("sales on /orders: %d", rec.Code)
	}
}

func TestClaimActionsFromTheOrderPage(t *testing.T) {
	t.Parallel()
	b := orderSetup(t)
	agent, csrf := b.login(t, "lee")
	form := "application/x-www-form-urlencoded"
	base := "/orders/shop/20261102-0000001/claims/R1/"
	if rec := b.send(t, req{method: "POST", path: base + "approve", cookie: agent, contentType: form, body: ""}); rec.Code != 403 {
		t.Fatalf("approve without CSRF: %d", rec.Code)
	}
	if n := len(b.claims.list()); n != 0 {
		t.Fatalf("an action without CSRF reached the flow: %v", b.claims.list())
	}
	rec := b.send(t, req{method: "POST", path: base + "approve", cookie: agent, contentType: form, body: "csrf=" + url.QueryEscape(csrf)})
	if rec.Code != 303 || !strings.HasPrefix(rec.Header().Get("Location"), "/orders/shop/20261102-0000001?done=") {
		t.Fatalf("approve: %d %v", rec.Code, rec.Header())
	}
	rec = b.send(t, req{method: "POST", path: base + "reject", cookie: agent, contentType: form, body: "csrf=" + url.QueryEscape(csrf)})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "reason is required") {
		t.Fatalf("reject without a reason: %d", rec.Code)
	}
	rec = b.send(t, req{method: "POST", path: base + "withdraw", cookie: agent, contentType: form, body: "csrf=" + url.QueryEscape(csrf)})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "return_withdrawal: false") {
		t.Fatalf("refused withdrawal: %d %s", rec.Code, rec.Body)
	}
	// the JSON API: the same action, refused for logistics
	rec = b.send(t, req{method: "POST", path: "/api/claims/shop/R1/reject", cookie: agent, csrf: csrf, contentType: "application/json", body: `{"reason":"사용 흔적"}`})
	if rec.Code != 200 {
		t.Fatalf("API reject: %d %s", rec.Code, rec.Body)
	}
	logistics, lcsrf := b.login(t, "kim")
	if rec := b.send(t, req{method: "POST", path: "/api/claims/shop/R1/approve", cookie: logistics, csrf: lcsrf}); rec.Code != 403 {
		t.Fatalf("logistics approving: %d", rec.Code)
	}
	want := []string{"approve shop/R1 by lee", "reject shop/R1 (사용 흔적) by lee"}
	if got := b.claims.list(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("flow calls = %q, want %q", got, want)
	}
	entries, err := b.audit.Entries(context.Background(), mallsync.AuditFilter{User: "lee"})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range entries {
		actions[e.Action] = true
	}
	if !actions["claim.approve"] || !actions["claim.reject"] || actions["claim.withdraw"] {
		t.Errorf("audit actions = %v", actions)
	}
}

func TestOrderNotes(t *testing.T) {
	t.Parallel()
	b := orderSetup(t)
	form := "application/x-www-form-urlencoded"
	page := "/orders/shop/20261102-0000001"
	agent, csrf := b.login(t, "lee")
	if rec := b.send(t, req{method: "POST", path: page + "/notes", cookie: agent, contentType: form, body: "body=x"}); rec.Code != 403 {
		t.Fatalf("note without CSRF: %d", rec.Code)
	}
	rec := b.send(t, req{method: "POST", path: page + "/notes", cookie: agent, contentType: form,
		body: "csrf=" + url.QueryEscape(csrf) + "&body=" + url.QueryEscape("고객 통화: 주말 배송 원함")})
	if rec.Code != 303 || !strings.HasPrefix(rec.Header().Get("Location"), page+"?done=") {
		t.Fatalf("note: %d %v", rec.Code, rec.Header())
	}
	if rec := b.send(t, req{method: "POST", path: page + "/notes", cookie: agent, contentType: form, body: "csrf=" + url.QueryEscape(csrf) + "&body=+"}); rec.Code != 400 ||
		!strings.Contains(rec.Body.String(), "body is required") {
		t.Fatalf("empty note: %d", rec.Code)
	}
	if body := b.send(t, req{method: "GET", path: page, cookie: agent}).Body.String(); !strings.Contains(body, "고객 통화: 주말 배송 원함") || !strings.Contains(body, `id="note-submit"`) {
		t.Fatalf("the order page does not show the note")
	}
	logistics, lcsrf := b.login(t, "kim")
	rec = b.send(t, req{method: "POST", path: "/api/orders/shop/20261102-0000001/notes", cookie: logistics, csrf: lcsrf,
		contentType: "application/json", body: `{"body":"박스 파손 확인"}`})
	if rec.Code != 201 || !strings.Contains(rec.Body.String(), `"author":"kim"`) || !strings.Contains(rec.Body.String(), "주말 배송") {
		t.Fatalf("API note: %d %s", rec.Code, rec.Body)
	}
	sales, scsrf := b.login(t, "sam")
	if rec := b.send(t, req{method: "POST", path: "/api/orders/shop/20261102-0000001/notes", cookie: sales, csrf: scsrf, body: `{"body":"x"}`}); rec.Code != 403 {
		t.Fatalf("sales leaving a note: %d", rec.Code)
	}
	if rec := b.send(t, req{method: "POST", path: "/api/orders/shop/nope/notes", cookie: logistics, csrf: lcsrf, body: `{"body":"x"}`}); rec.Code != 404 {
		t.Fatalf("a note on no order: %d", rec.Code)
	}
	entries, err := b.audit.Entries(context.Background(), mallsync.AuditFilter{Action: "order.note"})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audit rows for notes = %d (%v)", len(entries), err)
	}
}
