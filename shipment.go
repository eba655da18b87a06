package mallsync

import "time"

// ShipmentKind says why a parcel travels.
type ShipmentKind string

// The shipment kinds.
const (
	ShipmentForward      ShipmentKind = "forward"       // 출고: seller to buyer
	ShipmentReturnPickup ShipmentKind = "return_pickup" // 반품 수거: buyer back to seller
	ShipmentReshipment   ShipmentKind = "reshipment"    // 재배송: a rejected return or an exchange's replacement
	ShipmentPreshipped   ShipmentKind = "preshipped"    // 기출하: reuses an earlier shipment's parcel
)

// Valid reports whether k is a known shipment kind.
func (k ShipmentKind) Valid() bool {
	switch k {
	case ShipmentForward, ShipmentReturnPickup, ShipmentReshipment, ShipmentPreshipped:
		return true
	}
	return false
}

// Shipment is one parcel: a carrier's tracking number over one or more lines of an order.
type Shipment struct {
	// PlatformShipmentID is the platform's id for the parcel, unique per mall (Cafe24
	// shipping_code; for a return pickup the claim code).
	PlatformShipmentID string
	PlatformOrderID    string
	Kind               ShipmentKind
	CarrierCode        string
	TrackingNo         string
	// PlatformStatus is the platform's own state of the parcel (Cafe24 shipping_status F/M/T).
	PlatformStatus string
	ShippedAt      *time.Time
	DeliveredAt    *time.Time
	ChangedAt      time.Time
	// LineIDs are the platform line ids the parcel carries.
	LineIDs []string
}
