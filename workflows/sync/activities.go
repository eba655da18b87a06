package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// nonRetryable are the error types (mallsync error codes) retrying cannot fix.
var nonRetryable = []string{mallsync.EINVALID, mallsync.EUNAUTHORIZED, mallsync.EFORBIDDEN, mallsync.ENOTFOUND}

// Activities holds what the sync activities need. Register one per worker.
type Activities struct {
	Malls      mallsync.MallStore
	Store      mallsync.SyncStore
	Connectors *connectors.Registry
	// Now is the clock connectors read "now" from (a simulator's clock in tests); nil = time.Now.
	Now func() time.Time
	// Prefetch is how many pages may be fetched ahead of the one being committed (default 2).
	Prefetch int
	// Writers is how many pages may be written at once, each in its own transaction; they
	// still commit one by one, in cursor order (default 2).
	Writers int
	// Catalog gives the synced supplier and product facts that ownership rules match on; nil
	// means rules see only the lines' own fields.
	Catalog mallsync.CatalogFactStore
	Logger  *slog.Logger
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Activities) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

// Plan is what a sync cycle needs to know about its mall.
type Plan struct {
	Interval time.Duration
	Streams  []mallsync.Stream
}

// PlanMall reads the mall's current definition: its interval and its connector's streams.
func (a *Activities) PlanMall(ctx context.Context, key mallsync.MallKey) (Plan, error) {
	mall, err := a.Malls.Mall(ctx, key)
	if err != nil {
		return Plan{}, activityError(fmt.Errorf("reading mall: %w", err))
	}
	conn, err := a.Connectors.For(ctx, mall)
	if err != nil {
		return Plan{}, activityError(err)
	}
	iv := mall.Sync.Interval
	if iv <= 0 {
		iv = 5 * time.Minute
	}
	return Plan{Interval: iv, Streams: conn.Streams()}, nil
}

// StreamInput names the stream a SyncStream activity works on.
type StreamInput struct {
	Mall   mallsync.MallKey
	Stream mallsync.Stream
	// Slice bounds the activity: it stops after the page that crosses it.
	Slice time.Duration
}

// StreamResult counts what one SyncStream activity did.
type StreamResult struct {
	Pages       int
	Lines       int
	Events      int
	Stale       int
	Quarantined int
	APICalls    int
	CaughtUp    bool
	// Seq is the stream cursor's sequence after the last committed page.
	Seq int64
}

// heartbeatEvery is how often SyncStream heartbeats while it waits for a page.
const heartbeatEvery = 5 * time.Second

// Progress is the heartbeat detail of SyncStream: where it is.
type Progress struct {
	Seq   int64
	Pages int
	Lines int
}

type fetchedPage struct {
	f   connectors.Fetched
	err error
}

// SyncStream pulls pages of one stream and commits each with its cursor, until caught up or
// the time slice ends. See the package doc.
func (a *Activities) SyncStream(ctx context.Context, in StreamInput) (res StreamResult, err error) {
	wallStart := time.Now()
	defer func() {
		run := mallsync.SyncRun{Pages: res.Pages, Lines: res.Lines, APICalls: res.APICalls, CaughtUp: res.CaughtUp,
			StartedAt: wallStart, EndedAt: time.Now()}
		if err != nil {
			run.Err = mallsync.ErrorCode(err) + ": " + mallsync.ErrorMessage(err)
		}
		if rerr := a.Store.RecordSyncRun(context.WithoutCancel(ctx), in.Mall, in.Stream, run); rerr != nil {
			a.logger().Warn("recording sync run", "mall", in.Mall, "stream", in.Stream, "error", rerr)
		}
		err = activityError(err)
	}()
	mall, err := a.Malls.Mall(ctx, in.Mall)
	if err != nil {
		return res, fmt.Errorf("reading mall: %w", err)
	}
	conn, err := a.Connectors.For(ctx, mall)
	if err != nil {
		return res, err
	}
	var facts mallsync.CatalogFacts
	if a.Catalog != nil && in.Stream == mallsync.StreamOrders {
		if facts, err = a.Catalog.CatalogFacts(ctx, in.Mall); err != nil {
			return res, fmt.Errorf("reading catalog facts for ownership: %w", err)
		}
	}
	cur, err := a.Store.Cursor(ctx, in.Mall, in.Stream)
	if err != nil {
		return res, err
	}
	res.Seq = cur.Seq
	slice := in.Slice
	if slice <= 0 {
		slice = defaultSlice
	}
	deadline := wallStart.Add(slice)
	prefetch := a.Prefetch
	if prefetch <= 0 {
		prefetch = 2
	}

	// The fetcher reads ahead while the committer writes: the next page's position depends only
	// on the previous fetch, not on its commit.
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	pages := make(chan fetchedPage, prefetch)
	go func() {
		defer close(pages)
		value := cur.Value
		for {
			f, err := conn.Fetch(fctx, in.Stream, value, a.now())
			select {
			case pages <- fetchedPage{f, err}:
			case <-fctx.Done():
				return
			}
			if err != nil || f.CaughtUp || time.Now().After(deadline) {
				return
			}
			value = f.Next
		}
	}()

	// Up to `writers` pages are written at once, each in its own transaction, and committed
	// strictly in order: the next page's rows go in while the one before waits for its commit.
	// Pages that share an order are never in flight together (their rows would lock each other).
	var pending []*staging
	commitOldest := func() error {
		st := pending[0]
		pending = pending[1:]
		<-st.done
		if st.err != nil {
			return fmt.Errorf("writing %s page %d: %w", in.Stream, cur.Seq+1, st.err)
		}
		applied, err := st.staged.Commit(ctx, cur, st.next)
		if err != nil {
			return fmt.Errorf("committing %s page %d: %w", in.Stream, cur.Seq+1, err)
		}
		cur = applied.Cursor
		res.Pages++
		res.Lines += applied.Lines
		res.Events += applied.Events
		res.Stale += applied.Stale
		res.Quarantined += applied.Quarantined
		res.Seq = cur.Seq
		res.CaughtUp = st.caughtUp
		activity.RecordHeartbeat(ctx, Progress{Seq: cur.Seq, Pages: res.Pages, Lines: res.Lines})
		return nil
	}
	// commitWhile commits the oldest pages while more is true; on a failure it drops the rest.
	commitWhile := func(more func() bool) error {
		for len(pending) > 0 && more() {
			if err := commitOldest(); err != nil {
				for _, st := range pending {
					<-st.done
					if st.staged != nil {
						st.staged.Abort()
					}
				}
				pending = nil
				return err
			}
		}
		return nil
	}
	all := func() bool { return true }
	writers := a.Writers
	if writers <= 0 {
		writers = 2
	}
	// A fetch may wait long (429 backoff, a usage block): heartbeat while waiting too, so
	// Temporal does not start another attempt beside this one.
	tick := time.NewTicker(heartbeatEvery)
	defer tick.Stop()
	for {
		var p fetchedPage
		var ok bool
		select {
		case p, ok = <-pages:
		case <-tick.C:
			activity.RecordHeartbeat(ctx, Progress{Seq: cur.Seq, Pages: res.Pages, Lines: res.Lines})
			continue
		}
		if !ok {
			break
		}
		if p.err != nil {
			// Keep what was read before the failure, then report it.
			if err := commitWhile(all); err != nil {
				return res, err
			}
			return res, fmt.Errorf("fetching %s page after cursor %d: %w", in.Stream, cur.Seq, p.err)
		}
		res.APICalls += p.f.Calls
		facts.Fill(p.f.Page.Orders)
		mall.Ownership.Assign(p.f.Page.Orders)
		ids := recordKeys(p.f.Page)
		if err := commitWhile(func() bool { return len(pending) >= writers || sharesOrder(pending, ids) }); err != nil {
			return res, err
		}
		pending = append(pending, a.stage(ctx, in, p.f, ids))
	}
	if err := commitWhile(all); err != nil {
		return res, err
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	a.logger().Debug("stream synced", "mall", in.Mall, "stream", in.Stream, "pages", res.Pages,
		"lines", res.Lines, "caught_up", res.CaughtUp, "elapsed", time.Since(wallStart))
	return res, nil
}

// staging is a page being written in its own transaction.
type staging struct {
	ids      map[string]bool
	next     string
	caughtUp bool
	done     chan struct{}
	staged   mallsync.StagedPage
	err      error
}

func (a *Activities) stage(ctx context.Context, in StreamInput, f connectors.Fetched, ids map[string]bool) *staging {
	st := &staging{ids: ids, next: f.Next, caughtUp: f.CaughtUp, done: make(chan struct{})}
	go func() {
		defer close(st.done)
		st.staged, st.err = a.Store.StagePage(ctx, in.Mall, in.Stream, f.Page)
	}()
	return st
}

// recordKeys names the rows a page writes that another page may write too: its orders (with
// their lines, claims and shipments), refunds, products and suppliers. Two pages that share
// one are never written at once.
func recordKeys(p mallsync.Page) map[string]bool {
	ids := make(map[string]bool, len(p.Orders)+len(p.Refunds)+len(p.Products)+len(p.Suppliers))
	for i := range p.Orders {
		ids["o:"+p.Orders[i].PlatformOrderID] = true
	}
	for i := range p.Refunds {
		ids["r:"+p.Refunds[i].PlatformRefundID] = true
	}
	for i := range p.Products {
		ids["p:"+p.Products[i].ProductNo] = true
		for _, v := range p.Products[i].Variants {
			ids["v:"+v.VariantCode] = true
		}
	}
	for i := range p.Suppliers {
		ids["s:"+p.Suppliers[i].Code] = true
	}
	return ids
}

func sharesOrder(pending []*staging, ids map[string]bool) bool {
	for _, st := range pending {
		small, large := st.ids, ids
		if len(small) > len(large) {
			small, large = large, small
		}
		for id := range small {
			if large[id] {
				return true
			}
		}
	}
	return false
}

// activityError turns mallsync errors into Temporal application errors whose type is the
// error code, so retry policies can name the codes that must not be retried.
func activityError(err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return temporal.NewApplicationErrorWithCause(err.Error(), mallsync.ErrorCode(err), err)
}
