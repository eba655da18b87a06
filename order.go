package mallsync

import (
	"encoding/json"
	"time"
)

// Person is a buyer or a receiver. Every field is personal data: the console masks it for
// roles that do not need it, and logs never carry it.
type Person struct {
	Name      string
	Phone     string
	Cellphone string
	Email     string
	Zipcode   string
	Address   string
}

// Order is an order header as a platform reports it, with its lines.
type Order struct {
	// PlatformOrderID is the platform's order number (Cafe24 "20260701-0000013").
	PlatformOrderID string
	// Channel is where the order was placed when the platform says (Cafe24 order_place_id).
	Channel       string
	OrderedAt     time.Time
	PaidAt        *time.Time
	Buyer         Person
	Receiver      Person
	PaymentAmount Money
	ShippingFee   Money
	// ChangedAt is the latest change time the platform reports for the order or any line.
	ChangedAt time.Time
	// Raw is the platform's JSON for the whole order, lines included, exactly as received.
	Raw   json.RawMessage
	Lines []OrderLine
}

// OrderLine is one line of an order: the unit claims, shipments and stock attach to.
type OrderLine struct {
	// PlatformLineID is the platform's id for the line (Cafe24 order_item_code), unique per mall.
	PlatformLineID string
	ProductNo      string
	ProductCode    string
	VariantCode    string
	// SKU is our stock keeping unit for the line; for Cafe24 the variant code.
	SKU          string
	ProductName  string
	OptionValue  string
	Brand        string
	SupplierCode string
	SupplierName string
	Quantity     int
	UnitPrice    Money
	// PaymentAmount is what the buyer paid for this line.
	PaymentAmount Money
	Status        LineStatus
	// PlatformStatus is the platform's own status code (Cafe24 "N30").
	PlatformStatus string
	// ChangedAt is when the platform says the line last changed; an incoming line older than
	// the stored one never overwrites it.
	ChangedAt time.Time
	// SupplierTradingType and ProductShippingType are the platform's facts about the line's
	// supplier and product (CatalogFacts.Fill), inputs to the ownership rules.
	SupplierTradingType string
	ProductShippingType string
	Ownership           Ownership
	CarrierCode         string
	TrackingNo          string
	ClaimCode           string
	ClaimKind           ClaimKind
	ClaimStatus         ClaimStatus
	ShippedAt           *time.Time
	DeliveredAt         *time.Time
}
