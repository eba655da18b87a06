package connectors

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/mallsync/mallsync"
)

// Connector reads one mall's streams from its platform.
type Connector interface {
	// Fetch reads the page that follows cursor in stream, as of now. An empty cursor means the
	// stream has never run: start from the mall's backfill start. It returns the mapped page,
	// the cursor value that follows the page, and whether the stream is caught up as of now
	// (then the page may be empty and Next equals the cursor to resume from next cycle).
	// Records that fail to map come back as the page's Rejects, not as an error.
	Fetch(ctx context.Context, stream mallsync.Stream, cursor string, now time.Time) (Fetched, error)
	// Streams lists the streams this connector can read.
	Streams() []mallsync.Stream
}

// Fetched is one page read by a Connector.
type Fetched struct {
	Page     mallsync.Page
	Next     string
	CaughtUp bool
	// Calls counts the platform API calls made for this page (retries and token refreshes included).
	Calls int
}

// Deps is what a connector factory may use.
type Deps struct {
	Credentials mallsync.CredentialStore
	// StatusMap returns the platform's status map (from mappings/platforms/<platform>.yaml).
	StatusMap func(mallsync.Platform) (mallsync.StatusMap, error)
	// HTTP is the base client whose transport connectors wrap; nil means http.DefaultTransport.
	HTTP *http.Client
	// MaxCallsPerSecond caps calls per mall account. Zero means the platform's safe default;
	// a negative value removes the cap (simulators with limits off, benchmarks).
	MaxCallsPerSecond float64
	Logger            *slog.Logger
	// Now is the platform's clock, against which token expiry is judged; nil = time.Now. A
	// simulator's clock in tests and `dev`.
	Now func() time.Time
	// OpenClaims lists the orders whose claims are still open, for connectors whose platform
	// cannot be asked for every claim change by date (Cafe24); nil means none are re-read.
	OpenClaims mallsync.OpenClaims
	// Backoff429 is the account budget's first pause after a 429 (it doubles up to 32 times
	// as long while 429s go on, and a 429 without a call-limit header paces calls for 20
	// times as long) and RetryWaitMin the retry client's shortest wait; zero means the
	// defaults (1s, with 20s of pacing, and 200ms). Tests against a simulator shorten them.
	Backoff429, RetryWaitMin time.Duration
}

// AccountBudget returns the process's shared budget for an account (see SharedBudget),
// capped at maxCallsPerSecond and paced after 429s as Backoff429 says.
func (d Deps) AccountBudget(key string, maxCallsPerSecond float64) *Budget {
	return SharedBudget(key, BudgetOptions{MaxCallsPerSecond: maxCallsPerSecond,
		Backoff429: d.Backoff429, MaxBackoff: 32 * d.Backoff429, Pace429: 20 * d.Backoff429})
}

// RetryPolicy is DefaultRetryPolicy with RetryWaitMin as its shortest wait, when set.
func (d Deps) RetryPolicy() RetryPolicy {
	p := DefaultRetryPolicy
	if d.RetryWaitMin > 0 {
		p.WaitMin = d.RetryWaitMin
	}
	return p
}

// Factory builds the connector for one mall.
type Factory func(ctx context.Context, mall mallsync.Mall, deps Deps) (Connector, error)

// Registry knows a Factory per platform and keeps one Connector per mall, so that every
// activity of a mall in this process shares the mall's rate budget and token.
type Registry struct {
	deps      Deps
	mu        sync.Mutex
	factories map[mallsync.Platform]Factory
	built     map[mallsync.MallKey]builtConnector
}

type builtConnector struct {
	mall mallsync.Mall
	conn Connector
}

// NewRegistry returns an empty registry whose factories get deps.
func NewRegistry(deps Deps) *Registry {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	return &Registry{deps: deps, factories: map[mallsync.Platform]Factory{}, built: map[mallsync.MallKey]builtConnector{}}
}

// Register makes f the factory for platform p.
func (r *Registry) Register(p mallsync.Platform, f Factory) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.factories[p] = f
}

// For returns the connector for mall, building it on first use and again when the mall's
// definition changed.
func (r *Registry) For(ctx context.Context, mall mallsync.Mall) (Connector, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b, ok := r.built[mall.Key]; ok && sameMall(b.mall, mall) {
		return b.conn, nil
	}
	f, ok := r.factories[mall.Platform]
	if !ok {
		return nil, mallsync.Errorf(mallsync.EINVALID, "no connector for platform %q", mall.Platform)
	}
	c, err := f(ctx, mall, r.deps)
	if err != nil {
		return nil, fmt.Errorf("building %s connector for mall %s: %w", mall.Platform, mall.Key, err)
	}
	r.built[mall.Key] = builtConnector{mall: mall, conn: c}
	return c, nil
}

func sameMall(a, b mallsync.Mall) bool {
	return a.Platform == b.Platform && a.Account == b.Account && a.CredentialsRef == b.CredentialsRef &&
		a.Sync == b.Sync
}

// Writer is a Connector that can write back to its platform.
type Writer interface {
	// Write asks the platform for each write-back, batching them within the platform's
	// per-call caps, and returns one result per write-back, in order. A write-back the
	// platform refuses is a result with its reason, not an error; the error is for a call that
	// could not be made at all (unreachable after retries, credentials refused). Writing the
	// same write-back again is safe: it comes back AlreadyDone.
	Write(ctx context.Context, writes []mallsync.WriteBack) ([]mallsync.WriteResult, error)
}
