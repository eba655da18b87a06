package mallsync

import "context"

// Ownership says who owns the stock behind an order line, which decides what a shipment or a
// return does to our ledger.
type Ownership string

// The ownership kinds.
const (
	// OwnConsignment (위탁): a partner's goods, held and shipped by the partner.
	OwnConsignment Ownership = "consignment"
	// OwnDirect (직매입): goods we bought, in our warehouse.
	OwnDirect Ownership = "direct"
	// OwnLogistics (물류): a partner's goods, stored and shipped from our warehouse.
	OwnLogistics Ownership = "logistics"
)

// Valid reports whether o is a known ownership kind.
func (o Ownership) Valid() bool {
	return o == OwnConsignment || o == OwnDirect || o == OwnLogistics
}

// OwnershipRule assigns an ownership to the lines it matches. Every non-empty field must match;
// a rule with no field set matches nothing.
type OwnershipRule struct {
	SupplierCode string
	ProductCode  string
	Brand        string
	// TradingType matches the supplier's trading type on the platform (Cafe24 D 사입, C 직배송).
	TradingType string
	// ShippingType matches the product's shipping type on the platform (Cafe24
	// product_shipping_type D, C, E).
	ShippingType string
	Ownership    Ownership
}

func (r OwnershipRule) matches(l *OrderLine) bool {
	if r.SupplierCode == "" && r.ProductCode == "" && r.Brand == "" && r.TradingType == "" && r.ShippingType == "" {
		return false
	}
	return (r.SupplierCode == "" || r.SupplierCode == l.SupplierCode) &&
		(r.ProductCode == "" || r.ProductCode == l.ProductCode) &&
		(r.Brand == "" || r.Brand == l.Brand) &&
		(r.TradingType == "" || r.TradingType == l.SupplierTradingType) &&
		(r.ShippingType == "" || r.ShippingType == l.ProductShippingType)
}

// OwnershipRules decide the ownership of each line: the first matching rule wins, else Default.
type OwnershipRules struct {
	Default Ownership
	Rules   []OwnershipRule
}

// Decide returns the ownership of l.
func (o OwnershipRules) Decide(l *OrderLine) Ownership {
	for _, r := range o.Rules {
		if r.matches(l) {
			return r.Ownership
		}
	}
	if o.Default == "" {
		return OwnDirect
	}
	return o.Default
}

// Assign sets the ownership of every line in orders.
func (o OwnershipRules) Assign(orders []Order) {
	for i := range orders {
		for j := range orders[i].Lines {
			l := &orders[i].Lines[j]
			l.Ownership = o.Decide(l)
		}
	}
}

// CatalogFacts are the platform's supplier and product facts, as last synced, that ownership
// rules match on beside the line's own fields.
type CatalogFacts struct {
	// SupplierTradingTypes maps supplier code to its trading type.
	SupplierTradingTypes map[string]string
	// ProductShippingTypes maps product code to its shipping type.
	ProductShippingTypes map[string]string
}

// Fill sets each line's SupplierTradingType and ProductShippingType from the facts; a line
// whose supplier or product is unknown keeps what it has.
func (f CatalogFacts) Fill(orders []Order) {
	for i := range orders {
		for j := range orders[i].Lines {
			l := &orders[i].Lines[j]
			if t, ok := f.SupplierTradingTypes[l.SupplierCode]; ok {
				l.SupplierTradingType = t
			}
			if t, ok := f.ProductShippingTypes[l.ProductCode]; ok {
				l.ProductShippingType = t
			}
		}
	}
}

// CatalogFactStore gives the catalog facts of a mall.
type CatalogFactStore interface {
	CatalogFacts(ctx context.Context, mall MallKey) (CatalogFacts, error)
}
