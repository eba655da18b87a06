package mallsync

import (
	"context"
	"encoding/json"
	"time"
)

// Stream names one kind of record a connector pulls from a platform.
type Stream string

// The streams.
const (
	// StreamOrders brings orders and their lines, and with them the claims and shipments the
	// platform reports on the order (Cafe24 embeds them).
	StreamOrders Stream = "orders"
	// StreamRefunds brings refunds.
	StreamRefunds Stream = "refunds"
	// StreamProducts brings products, their variants and the platform's stock figures.
	StreamProducts Stream = "products"
	// StreamSuppliers brings the platform's suppliers.
	StreamSuppliers Stream = "suppliers"
	// StreamClaims brings claims where a platform lists them apart from its orders (Coupang's
	// returnRequests, returnWithdrawRequests and exchangeRequests), with their shipments and
	// the lines a completed claim moved.
	StreamClaims Stream = "claims"
)

// Cursor is a stream's position. Value is owned by the connector (opaque to the store and to
// workflows); Seq counts the pages committed so far and is how the store refuses a writer
// that works from a stale position.
type Cursor struct {
	Value string `json:"value"`
	Seq   int64  `json:"seq"`
}

// Reject is a platform record that did not map. It is kept raw with the reason, never dropped.
type Reject struct {
	Resource   string
	PlatformID string
	Reason     string
	Raw        json.RawMessage
}

// Page is one page of mapped records from a platform, with the records that failed to map.
type Page struct {
	Orders []Order
	// Claims and Shipments are those of the page's orders. A claim or shipment is stored as
	// the page gives it: lines the page no longer lists are removed from it.
	Claims    []Claim
	Shipments []Shipment
	Refunds   []Refund
	Products  []Product
	Suppliers []Supplier
	Rejects   []Reject
	// WholeParcels says the page's orders carry every forward parcel and re-shipment they
	// have, so that a stored one of theirs the page lacks was deleted on the platform and is
	// dropped. Connectors set it where a stored parcel can exist (not on an order's first
	// read): the store's check costs a query per page.
	WholeParcels bool
}

// Lines counts the order lines in the page.
func (p Page) Lines() int {
	n := 0
	for i := range p.Orders {
		n += len(p.Orders[i].Lines)
	}
	return n
}

// Applied reports what ApplyPage did.
type Applied struct {
	Orders int
	Lines  int
	// Events is the number of status events appended (applied or not).
	Events int
	// Stale is the number of lines left as stored because the incoming change was older.
	Stale       int
	Quarantined int
	// Claims, Shipments, Refunds, Variants and Suppliers count the records of those kinds
	// the page upserted.
	Claims    int
	Shipments int
	Refunds   int
	Variants  int
	Suppliers int
	// Cursor is the stream's cursor after the page.
	Cursor Cursor
}

// SyncStore persists what syncs bring: orders, lines, their status history, quarantined
// records and stream cursors.
type SyncStore interface {
	// Cursor returns the stream's stored cursor; the zero Cursor when the stream never ran.
	Cursor(ctx context.Context, mall MallKey, stream Stream) (Cursor, error)
	// ApplyPage upserts the page's orders and lines, appends status events, quarantines the
	// rejects and moves the cursor from `from` to a cursor with value next, in one transaction.
	// A line is never moved backwards: when the incoming change is older than the stored one the
	// event is recorded but the line keeps its state. Returns ECONFLICT, and writes nothing,
	// when the stored cursor is not `from` (another writer got there first).
	ApplyPage(ctx context.Context, mall MallKey, stream Stream, page Page, from Cursor, next string) (Applied, error)
	// StagePage is ApplyPage in two steps, so that the next page's records can be written
	// while this one waits for its turn: it writes the page's records in a transaction left
	// open, and the StagedPage's Commit moves the cursor and commits (or Abort drops it).
	// Pages staged at the same time must share no order, or their transactions may deadlock.
	StagePage(ctx context.Context, mall MallKey, stream Stream, page Page) (StagedPage, error)
	// RecordSyncRun notes the outcome of a sync run for the mall's health view.
	RecordSyncRun(ctx context.Context, mall MallKey, stream Stream, run SyncRun) error
}

// StagedPage is a page whose records are written but not committed.
type StagedPage interface {
	// Commit moves the stream's cursor from `from` to a cursor with value next and commits the
	// page; ECONFLICT, keeping nothing, when the stored cursor is not `from`.
	Commit(ctx context.Context, from Cursor, next string) (Applied, error)
	// Abort drops the page; after Commit it does nothing.
	Abort()
}

// SyncRun is the outcome of one SyncStream activity.
type SyncRun struct {
	Pages     int
	Lines     int
	APICalls  int
	CaughtUp  bool
	Err       string
	StartedAt time.Time
	EndedAt   time.Time
}

// MallStore stores the malls applied from mall files.
type MallStore interface {
	// PutMall creates or replaces the mall with m.Key.
	PutMall(ctx context.Context, m Mall) error
	// Mall returns the mall with key, or ENOTFOUND.
	Mall(ctx context.Context, key MallKey) (Mall, error)
	// Malls lists every mall, by key.
	Malls(ctx context.Context) ([]Mall, error)
}

// Token is an OAuth token pair for a mall. It is a secret: stored sealed, never logged.
type Token struct {
	AccessToken      string
	RefreshToken     string
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
}

// AppClient is the platform app a mall authorizes: its client id and secret, and the key its
// webhooks carry.
type AppClient struct {
	ClientID     string
	ClientSecret string
	// WebhookKey is the key the platform sends with its webhooks (Cafe24's X-API-Key); empty
	// means the mall's webhooks are refused.
	WebhookKey string
}

// Credential is what a mall needs to call its platform.
type Credential struct {
	Ref    string
	Client AppClient
	Token  Token
}

// CredentialStore keeps credentials sealed at rest and serializes token rotation.
type CredentialStore interface {
	// PutCredential stores c under c.Ref, replacing what was there.
	PutCredential(ctx context.Context, c Credential) error
	// Credential returns the credential named ref, or ENOTFOUND.
	Credential(ctx context.Context, ref string) (Credential, error)
	// RotateToken serializes refreshes of ref's token across every process. Holding a lock on
	// the credential, it reads the stored token; if its access token is no longer `stale` another
	// process already refreshed and the stored token is returned without calling refresh.
	// Otherwise refresh is called with the stored credential, and the token it returns is
	// persisted before RotateToken returns it. A refresh token is thus presented at most once.
	RotateToken(ctx context.Context, ref string, stale string, refresh func(context.Context, Credential) (Token, error)) (Token, error)
}

// OpenClaims tells a connector which orders have claims that are still open, so that each
// pass reads them again: some claim steps (a withdrawal, a hold, a pickup) move no date the
// platform can be asked by.
type OpenClaims interface {
	// OpenClaimOrders returns up to limit platform order ids of the mall's open claims.
	OpenClaimOrders(ctx context.Context, mall MallKey, limit int) ([]string, error)
}
