package connectors

import "github.com/mallsync/mallsync"

// Preview is what a saved platform response maps to (mallsync preview): the unified records,
// and an error for each record that does not map (the others still do). Raw payloads are left
// out of the records.
type Preview struct {
	Resource  string              `json:"resource"`
	Orders    []mallsync.Order    `json:"orders,omitempty"`
	Claims    []mallsync.Claim    `json:"claims,omitempty"`
	Shipments []mallsync.Shipment `json:"shipments,omitempty"`
	Variants  []mallsync.Variant  `json:"variants,omitempty"`
	Errors    []PreviewError      `json:"errors,omitempty"`
}

// Records counts the records the response held: mapped and not.
func (p Preview) Records() int {
	return len(p.Orders) + len(p.Claims) + len(p.Shipments) + len(p.Variants) + len(p.Errors)
}

// PreviewError says why one record of a response does not map.
type PreviewError struct {
	// Record names it: its platform id, or its place in the response when it has none.
	Record string `json:"record"`
	Reason string `json:"reason"`
}
