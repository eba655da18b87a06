package sync

import (
	"context"
	"fmt"
	"strconv"
	gosync "sync"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
)

// memStore is an in-memory MallStore and SyncStore with the same cursor rule as postgres.
type memStore struct {
	mu      gosync.Mutex
	malls   map[mallsync.MallKey]mallsync.Mall
	cursors map[string]mallsync.Cursor
	lines   map[string]mallsync.OrderLine
	runs    []mallsync.SyncRun
	// failApplyAt makes the ApplyPage with this cursor seq fail once.
	failApplyAt int64
}

func newMemStore(m mallsync.Mall) *memStore {
	return &memStore{malls: map[mallsync.MallKey]mallsync.Mall{m.Key: m}, cursors: map[string]mallsync.Cursor{}, lines: map[string]mallsync.OrderLine{}}
}

func (s *memStore) PutMall(_ context.Context, m mallsync.Mall) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.malls[m.Key] = m
	return nil
}

func (s *memStore) Mall(_ context.Context, k mallsync.MallKey) (mallsync.Mall, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.malls[k]
	if !ok {
		return m, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q", k)
	}
	return m, nil
}

func (s *memStore) Malls(context.Context) ([]mallsync.Mall, error) { return nil, nil }

func (s *memStore) Cursor(_ context.Context, m mallsync.MallKey, st mallsync.Stream) (mallsync.Cursor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[string(m)+"/"+string(st)], nil
}

// memStaged is a staged page of memStore: applied on Commit.
type memStaged struct {
	s      *memStore
	m      mallsync.MallKey
	stream mallsync.Stream
	page   mallsync.Page
}

func (st *memStaged) Commit(ctx context.Context, from mallsync.Cursor, next string) (mallsync.Applied, error) {
	return st.s.ApplyPage(ctx, st.m, st.stream, st.page, from, next)
}

func (st *memStaged) Abort() {}

func (s *memStore) StagePage(_ context.Context, m mallsync.MallKey, st mallsync.Stream, p mallsync.Page) (mallsync.StagedPage, error) {
	return &memStaged{s: s, m: m, stream: st, page: p}, nil
}

func (s *memStore) ApplyPage(_ context.Context, m mallsync.MallKey, st mallsync.Stream, p mallsync.Page, from mallsync.Cursor, next string) (mallsync.Applied, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := string(m) + "/" + string(st)
	if s.cursors[k] != from {
		return mallsync.Applied{}, mallsync.Errorf(mallsync.ECONFLICT, "stale cursor")
	}
	if s.failApplyAt != 0 && from.Seq == s.failApplyAt {
		s.failApplyAt = 0
		return mallsync.Applied{}, mallsync.Errorf(mallsync.EUNAVAILABLE, "database went away")
	}
	for _, o := range p.Orders {
		for _, l := range o.Lines {
			s.lines[l.PlatformLineID] = l
		}
	}
	c := mallsync.Cursor{Value: next, Seq: from.Seq + 1}
	s.cursors[k] = c
	return mallsync.Applied{Orders: len(p.Orders), Lines: p.Lines(), Cursor: c}, nil
}

func (s *memStore) RecordSyncRun(_ context.Context, _ mallsync.MallKey, _ mallsync.Stream, r mallsync.SyncRun) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs = append(s.runs, r)
	return nil
}

func (s *memStore) lineCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lines)
}

// pagedConnector serves `total` pages of two-line orders; the cursor is the next page number.
// Pages up to `available` exist; more appear when available grows.
type pagedConnector struct {
	mu        gosync.Mutex
	available int
	fetches   int
	// failAt makes the fetch of this page fail with err once.
	failAt int
	err    error
}

func (c *pagedConnector) Streams() []mallsync.Stream { return []mallsync.Stream{mallsync.StreamOrders} }

func (c *pagedConnector) Fetch(_ context.Context, _ mallsync.Stream, cursor string, _ time.Time) (connectors.Fetched, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fetches++
	n := 0
	if cursor != "" {
		n, _ = strconv.Atoi(cursor)
	}
	if c.err != nil && n == c.failAt {
		err := c.err
		c.err = nil
		return connectors.Fetched{}, err
	}
	if n >= c.available {
		return connectors.Fetched{Next: cursor, CaughtUp: true, Calls: 1}, nil
	}
	id := fmt.Sprintf("20260701-%07d", n)
	o := mallsync.Order{PlatformOrderID: id, Lines: []mallsync.OrderLine{{PlatformLineID: id + "-01"}, {PlatformLineID: id + "-02"}}}
	return connectors.Fetched{Page: mallsync.Page{Orders: []mallsync.Order{o}}, Next: strconv.Itoa(n + 1), CaughtUp: n+1 >= c.available, Calls: 1}, nil
}

func (c *pagedConnector) setAvailable(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.available = n
}

var testMall = mallsync.Mall{Key: "shop-a", Platform: mallsync.PlatformCafe24, Sync: mallsync.SyncSettings{Interval: 5 * time.Minute},
	Ownership: mallsync.OwnershipRules{Default: mallsync.OwnConsignment}}

func newActivities(store *memStore, conn connectors.Connector) *Activities {
	reg := connectors.NewRegistry(connectors.Deps{})
	reg.Register(mallsync.PlatformCafe24, func(context.Context, mallsync.Mall, connectors.Deps) (connectors.Connector, error) {
		return conn, nil
	})
	return &Activities{Malls: store, Store: store, Connectors: reg}
}
