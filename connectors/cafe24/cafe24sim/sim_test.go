package cafe24sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

var (
	testStart = time.Date(2024, 1, 1, 0, 0, 0, 0, kst)
	testEnd   = testStart.AddDate(0, 0, 120)
)

const testRedirect = "https://app.example.com/cb"

// bundle is what most tests need: a server, its handler and a valid access token.
type bundle struct {
	srv   *Server
	h     http.Handler
	token string
}

func testOptions() Options {
	return Options{Seed: 7, Orders: 3000, Start: testStart, End: testEnd, NoLimits: true}
}

func setup(t testing.TB, opts Options) *bundle {
	t.Helper()
	s := New(opts)
	b := &bundle{srv: s, h: s.Handler()}
	tok := b.exchange(t, s.AuthorizeCode(testRedirect, "st"), true)
	if tok.AccessToken == "" {
		t.Fatalf("no access token")
	}
	b.token = tok.AccessToken
	return b
}

type tokenResp struct {
	AccessToken           string   `json:"access_token"`
	ExpiresAt             string   `json:"expires_at"`
	RefreshToken          string   `json:"refresh_token"`
	RefreshTokenExpiresAt string   `json:"refresh_token_expires_at"`
	ClientID              string   `json:"client_id"`
	MallID                string   `json:"mall_id"`
	UserID                string   `json:"user_id"`
	Scopes                []string `json:"scopes"`
	IssuedAt              string   `json:"issued_at"`
	ShopNo                string   `json:"shop_no"`
	Error                 string   `json:"error"`
	ErrorDescription      string   `json:"error_description"`
}

// tokenCall posts form to the token endpoint, with Basic auth or body credentials.
func (b *bundle) tokenCall(t testing.TB, form url.Values, basic bool) (int, tokenResp) {
	t.Helper()
	if !basic {
		form.Set("client_id", b.srv.opts.ClientID)
		form.Set("client_secret", b.srv.opts.ClientSecret)
	}
	r := httptest.NewRequest(http.MethodPost, "/api/v2/oauth/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		r.SetBasicAuth(b.srv.opts.ClientID, b.srv.opts.ClientSecret)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	var tr tokenResp
	if err := json.Unmarshal(w.Body.Bytes(), &tr); err != nil {
		t.Fatalf("token answer %q: %v", w.Body.String(), err)
	}
	return w.Code, tr
}

func (b *bundle) exchange(t testing.TB, code string, basic bool) tokenResp {
	t.Helper()
	st, tr := b.tokenCall(t, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}}, basic)
	if st != http.StatusOK {
		t.Fatalf("exchange: %d %+v", st, tr)
	}
	return tr
}

// get calls an admin path with the bundle's token (token "" = none).
func (b *bundle) get(t testing.TB, path string, token string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	return w
}

// wire types for decoding pages in tests.
type wireItem struct {
	OrderItemCode            string  `json:"order_item_code"`
	ItemNo                   int     `json:"item_no"`
	ProductNo                int     `json:"product_no"`
	ProductCode              string  `json:"product_code"`
	VariantCode              string  `json:"variant_code"`
	ProductName              string  `json:"product_name"`
	OptionValue              string  `json:"option_value"`
	ProductPrice             string  `json:"product_price"`
	OptionPrice              string  `json:"option_price"`
	Quantity                 int     `json:"quantity"`
	PaymentAmount            string  `json:"payment_amount"`
	SupplierID               string  `json:"supplier_id"`
	SupplierTransactionType  string  `json:"supplier_transaction_type"`
	TrackingNo               *string `json:"tracking_no"`
	ShippingCode             *string `json:"shipping_code"`
	ShippingCompanyCode      *string `json:"shipping_company_code"`
	OrderStatus              string  `json:"order_status"`
	OrderStatusBeforeCS      *string `json:"order_status_before_cs"`
	ClaimCode                *string `json:"claim_code"`
	ClaimType                *string `json:"claim_type"`
	ShippedDate              *string `json:"shipped_date"`
	DeliveredDate            *string `json:"delivered_date"`
	CancelDate               *string `json:"cancel_date"`
	PurchaseconfirmationDate *string `json:"purchaseconfirmation_date"`
}

type wireOrder struct {
	ShopNo            int     `json:"shop_no"`
	OrderID           string  `json:"order_id"`
	MarketID          string  `json:"market_id"`
	OrderPlaceID      string  `json:"order_place_id"`
	OrderDate         string  `json:"order_date"`
	PaymentDate       *string `json:"payment_date"`
	Paid              string  `json:"paid"`
	Canceled          string  `json:"canceled"`
	PaymentAmount     string  `json:"payment_amount"`
	ActualOrderAmount struct {
		OrderPriceAmount    string `json:"order_price_amount"`
		ShippingFee         string `json:"shipping_fee"`
		CouponDiscountPrice string `json:"coupon_discount_price"`
		PaymentAmount       string `json:"payment_amount"`
	} `json:"actual_order_amount"`
	ShippingStatus string `json:"shipping_status"`
	Buyer          *struct {
		Name      string `json:"name"`
		Email     string `json:"email"`
		Cellphone string `json:"cellphone"`
	} `json:"buyer"`
	Receivers []struct {
		Name         string  `json:"name"`
		Cellphone    string  `json:"cellphone"`
		Zipcode      string  `json:"zipcode"`
		Address1     string  `json:"address1"`
		Address2     string  `json:"address2"`
		AddressFull  string  `json:"address_full"`
		ShippingCode *string `json:"shipping_code"`
	} `json:"receivers"`
	Items []wireItem `json:"items"`
}

type wirePage struct {
	Orders []wireOrder `json:"orders"`
	Links  []struct {
		Rel  string `json:"rel"`
		Href string `json:"href"`
	} `json:"links"`
}

func (b *bundle) page(t testing.TB, path string) wirePage {
	t.Helper()
	w := b.get(t, path, b.token)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, w.Code, w.Body.String())
	}
	var p wirePage
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("GET %s: decoding: %v", path, err)
	}
	return p
}

func (p wirePage) next() string {
	for _, l := range p.Links {
		if l.Rel == "next" {
			return l.Href
		}
	}
	return ""
}

func readAll(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustReq(t testing.TB, method, path string) *http.Request {
	t.Helper()
	return httptest.NewRequest(method, path, nil)
}
