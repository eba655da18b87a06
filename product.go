package mallsync

import (
	"encoding/json"
	"time"
)

// Supplier is a platform's supplier (공급사) record: the input for deciding who owns stock.
type Supplier struct {
	// Code is the platform's supplier code (Cafe24 "S0000000").
	Code string
	Name string
	// TradingType is the platform's trading type (Cafe24 D 사입: we buy and ship; C 직배송:
	// the supplier ships).
	TradingType string
	// PaymentType is the platform's settlement type (Cafe24 P commission, D purchase).
	PaymentType string
}

// Product is a platform's product with its variants and their platform-side stock.
type Product struct {
	// ProductNo is the platform's product number, unique per mall.
	ProductNo    string
	ProductCode  string
	Name         string
	SupplierCode string
	// ShippingType is the platform's shipping type (Cafe24 product_shipping_type D bought-in
	// stock shipped by us, C shipped by the supplier, E other).
	ShippingType string
	Price        Money
	ChangedAt    time.Time
	Variants     []Variant
	Raw          json.RawMessage
}

// Variant is one option combination of a product: the unit stock is counted in.
type Variant struct {
	// VariantCode is the platform's variant code (Cafe24 12 characters), unique per mall.
	VariantCode string
	OptionValue string
	// UseInventory reports whether the platform tracks stock for the variant.
	UseInventory bool
	// Quantity is the platform's stock figure; SafetyStock its safety stock.
	Quantity    int
	SafetyStock int
}
