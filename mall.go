package mallsync

import "time"

// MallKey identifies a mall across mallsync: in files, workflow IDs (sync/<key>), the database
// and the console. Lowercase letters, digits and dashes.
type MallKey string

// Platform names the system a mall runs on.
type Platform string

// The platforms mallsync knows.
const (
	PlatformCafe24     Platform = "cafe24"
	PlatformSmartStore Platform = "smartstore"
	PlatformCoupang    Platform = "coupang"
)

// Mall is one storefront a retailer sells through, as described by its mall file.
type Mall struct {
	Key      MallKey
	Name     string
	Platform Platform
	Account  Account
	// CredentialsRef names the stored credential (app client and tokens) this mall uses.
	CredentialsRef string
	Sync           SyncSettings
	Ownership      OwnershipRules
	Contacts       []Contact
	Policy         Policy
}

// Account is how the platform names the seller's account. Which fields matter depends on the
// platform: Cafe24 uses MallID and ShopNo, Coupang VendorID, SmartStore SellerID.
type Account struct {
	MallID   string
	ShopNo   int
	VendorID string
	SellerID string
	// APIBase overrides the platform's API address (a simulator, a proxy). Empty means the
	// platform's real address.
	APIBase string
}

// SyncSettings says how often and from when a mall is synced.
type SyncSettings struct {
	// Interval is the pause between sync cycles.
	Interval time.Duration
	// BackfillStart is the earliest order date the first sync reads.
	BackfillStart time.Time
	// Lookback is how far behind its high-water mark an incremental poll starts again, to catch
	// events the platform records late.
	Lookback time.Duration
}

// Contact is a person to call about a mall: the MD for products, the logistics contact for
// stock and shipping, the CS lead.
type Contact struct {
	Role  string
	Name  string
	Email string
	Phone string
}

// DefectVerification is how a claimed defect is verified before a return is approved.
type DefectVerification string

// The defect verification methods.
const (
	VerifyByInspection DefectVerification = "inspection" // logistics inspects the returned item
	VerifyByPhoto      DefectVerification = "photo"      // an agent reviews the buyer's photos
)

// Policy is a mall's CS policy, from its mall file.
type Policy struct {
	// ReturnWithdrawal allows agents to withdraw a return (반품 철회) on the buyer's behalf.
	ReturnWithdrawal bool
	// PreshippedReorder allows pre-shipped reorders (기출하).
	PreshippedReorder  bool
	DefectVerification DefectVerification
	DispatchDelay      DispatchDelayPolicy
	Compensation       CompensationPolicy
}

// DispatchDelayPolicy says when a late dispatch (출고지연) earns the buyer a notice and a credit.
type DispatchDelayPolicy struct {
	NoticeAfter time.Duration
	Credit      Money
}

// CompensationPolicy bounds compensation (보상) per mall and month.
type CompensationPolicy struct {
	// Kinds allowed: refund, credit, coupon, receipt.
	Kinds              []string
	MonthlyBudgetCount int
	MonthlyBudget      Money
	// SupplierBurdenPercent is the supplier's share (분담 비율) of a compensation, 0..100.
	SupplierBurdenPercent int
}
