package smartstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// changesJSON is the data of a last-changed-statuses answer.
type changesJSON struct {
	Rows  []changeJSON `json:"lastChangeStatuses"`
	More  *moreJSON    `json:"more"`
	Count int          `json:"count"`
}

type moreJSON struct {
	MoreFrom     string `json:"moreFrom"`
	MoreSequence string `json:"moreSequence"`
}

// changeJSON is one row: a product order as of its last reported change.
type changeJSON struct {
	OrderID            string `json:"orderId"`
	ProductOrderID     string `json:"productOrderId"`
	LastChangedType    string `json:"lastChangedType"`
	LastChangedDate    string `json:"lastChangedDate"`
	PaymentDate        string `json:"paymentDate"`
	ProductOrderStatus string `json:"productOrderStatus"`
	ClaimType          string `json:"claimType"`
	ClaimStatus        string `json:"claimStatus"`
}

// detailJSON is one element of a product-orders/query answer.
type detailJSON struct {
	Order           orderJSON        `json:"order"`
	ProductOrder    productOrderJSON `json:"productOrder"`
	Delivery        *deliveryJSON    `json:"delivery"`
	CurrentClaim    *claimsJSON      `json:"currentClaim"`
	CompletedClaims []claimsJSON     `json:"completedClaims"`
	Cancel          *claimJSON       `json:"cancel"` // legacy top-level blocks, being retired
	Return          *claimJSON       `json:"return"`
	Exchange        *claimJSON       `json:"exchange"`
	Raw             json.RawMessage  `json:"-"`
}

type orderJSON struct {
	OrderID                   string `json:"orderId"`
	OrderDate                 string `json:"orderDate"`
	PaymentDate               string `json:"paymentDate"`
	OrdererID                 string `json:"ordererId"`
	OrdererName               string `json:"ordererName"`
	OrdererTel                string `json:"ordererTel"`
	PaymentMeans              string `json:"paymentMeans"`
	GeneralPaymentAmount      won    `json:"generalPaymentAmount"`
	NaverMileagePaymentAmount won    `json:"naverMileagePaymentAmount"`
	ChargeAmountPaymentAmount won    `json:"chargeAmountPaymentAmount"`
	PayLaterPaymentAmount     won    `json:"payLaterPaymentAmount"`
}

type productOrderJSON struct {
	ProductOrderID     string `json:"productOrderId"`
	ProductOrderStatus string `json:"productOrderStatus"`
	ClaimType          string `json:"claimType"`
	ClaimStatus        string `json:"claimStatus"`
	ClaimID            string `json:"claimId"`
	PlaceOrderStatus   string `json:"placeOrderStatus"`
	PlaceOrderDate     string `json:"placeOrderDate"`
	DecisionDate       string `json:"decisionDate"`
	ShippingDueDate    string `json:"shippingDueDate"`
	// DelayedDispatchReason and DelayedDispatchDetailedReason are a delay's (발송지연) code and words.
	DelayedDispatchReason         string `json:"delayedDispatchReason"`
	DelayedDispatchDetailedReason string `json:"delayedDispatchDetailedReason"`
	ProductID                     string `json:"productId"`
	ProductName                   string `json:"productName"`
	ProductOption                 string `json:"productOption"`
	OptionCode                    string `json:"optionCode"`
	OptionManageCode              string `json:"optionManageCode"`
	SellerProductCode             string `json:"sellerProductCode"`
	Quantity                      int    `json:"quantity"`
	UnitPrice                     won    `json:"unitPrice"`
	OptionPrice                   won    `json:"optionPrice"`
	TotalPaymentAmount            won    `json:"totalPaymentAmount"`
	DeliveryFeeAmount             won    `json:"deliveryFeeAmount"`
	ShippingAddress               struct {
		Name            string `json:"name"`
		Tel1            string `json:"tel1"`
		Tel2            string `json:"tel2"`
		BaseAddress     string `json:"baseAddress"`
		DetailedAddress string `json:"detailedAddress"`
		ZipCode         string `json:"zipCode"`
	} `json:"shippingAddress"`
}

type deliveryJSON struct {
	DeliveryCompany string `json:"deliveryCompany"`
	DeliveryMethod  string `json:"deliveryMethod"`
	DeliveryStatus  string `json:"deliveryStatus"`
	TrackingNumber  string `json:"trackingNumber"`
	SendDate        string `json:"sendDate"`
	DeliveredDate   string `json:"deliveredDate"`
}

// claimsJSON is {"cancel":{…}}, {"return":{…}} or {"exchange":{…}}.
type claimsJSON struct {
	Cancel   *claimJSON `json:"cancel"`
	Return   *claimJSON `json:"return"`
	Exchange *claimJSON `json:"exchange"`
}

// claimJSON is one claim block; the reason and completion fields are named by the kind.
type claimJSON struct {
	ClaimID                  string          `json:"claimId"`
	ClaimStatus              string          `json:"claimStatus"`
	ClaimRequestDate         string          `json:"claimRequestDate"`
	RequestChannel           string          `json:"requestChannel"`
	CancelReason             string          `json:"cancelReason"`
	CancelDetailedReason     string          `json:"cancelDetailedReason"`
	CancelCompletedDate      string          `json:"cancelCompletedDate"`
	ReturnReason             string          `json:"returnReason"`
	ReturnDetailedReason     string          `json:"returnDetailedReason"`
	ReturnCompletedDate      string          `json:"returnCompletedDate"`
	ExchangeReason           string          `json:"exchangeReason"`
	ExchangeDetailedReason   string          `json:"exchangeDetailedReason"`
	ExchangeCompletedDate    string          `json:"exchangeCompletedDate"`
	CollectStatus            string          `json:"collectStatus"`
	CollectDeliveryCompany   string          `json:"collectDeliveryCompany"`
	CollectTrackingNumber    string          `json:"collectTrackingNumber"`
	CollectCompletedDate     string          `json:"collectCompletedDate"`
	HoldbackStatus           string          `json:"holdbackStatus"`
	HoldbackReason           string          `json:"holdbackReason"` // the holdbackClassType
	HoldbackDetailedReason   string          `json:"holdbackDetailedReason"`
	ReDeliveryStatus         string          `json:"reDeliveryStatus"`
	ReDeliveryCompany        string          `json:"reDeliveryCompany"`
	ReDeliveryTrackingNumber string          `json:"reDeliveryTrackingNumber"`
	ReDeliveryOperationDate  string          `json:"reDeliveryOperationDate"`
	Raw                      json.RawMessage `json:"-"`
}

// UnmarshalJSON keeps the block's raw JSON beside its fields.
func (c *claimJSON) UnmarshalJSON(b []byte) error {
	type plain claimJSON
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = claimJSON(p)
	c.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// UnmarshalJSON keeps the element's raw JSON beside its fields.
func (d *detailJSON) UnmarshalJSON(b []byte) error {
	type plain detailJSON
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = detailJSON(p)
	d.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// won is an amount in won: a JSON number (integral) or a numeric string; null is 0.
type won int64

// UnmarshalJSON implements json.Unmarshaler.
func (w *won) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*w = 0
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*w = won(n)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return fmt.Errorf("amount %s is not a whole number of won", b)
	}
	*w = won(f)
	return nil
}

// parseTime reads Naver's times (2023-01-16T17:14:51.794+09:00) as UTC; "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time with an offset", s)
	}
	return t.UTC(), nil
}

// kst is Korea Standard Time, the zone of times on the wire.
var kst = time.FixedZone("KST", 9*3600)

// wireTime formats t the way Naver takes it: 2023-01-16T17:14:51.794+09:00.
func wireTime(t time.Time) string { return t.In(kst).Format("2006-01-02T15:04:05.000-07:00") }
