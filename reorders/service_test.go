package reorders_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
	"github.com/mallsync/mallsync/reorders"
)

// fakeWriter is a connectors.Writer that records what it is asked and answers as told.
type fakeWriter struct {
	asked  []mallsync.WriteBack
	answer mallsync.WriteResult
	err    error
}

func (f *fakeWriter) Fetch(context.Context, mallsync.Stream, string, time.Time) (connectors.Fetched, error) {
	return connectors.Fetched{}, errors.New("not for this test")
}
func (f *fakeWriter) Streams() []mallsync.Stream { return nil }
func (f *fakeWriter) Write(_ context.Context, ws []mallsync.WriteBack) ([]mallsync.WriteResult, error) {
	f.asked = append(f.asked, ws...)
	if f.err != nil {
		return nil, f.err
	}
	return []mallsync.WriteResult{f.answer}, nil
}

type fakeConnectors struct{ w *fakeWriter }

func (f fakeConnectors) For(context.Context, mallsync.Mall) (connectors.Connector, error) {
	return f.w, nil
}

var t0 = time.Date(2026, 7, 1, 1, 0, 0, 0, time.UTC)

// setup stores a mall allowing reorders with a delivered order O-1 (CJ 0006/111) and a paid R-1.
func setup(t *testing.T, w *fakeWriter) *reorders.Service {
	t.Helper()
	ctx := context.Background()
	db := pgtest.DB(t)
	malls := postgres.NewMallStore(db)
	m := mallsync.Mall{Key: "shop-a", Name: "가게 A", Platform: mallsync.PlatformCafe24, CredentialsRef: "shop-a",
		Account: mallsync.Account{MallID: "shopa", ShopNo: 1}, Policy: mallsync.Policy{PreshippedReorder: true}}
	if err := malls.PutMall(ctx, m); err != nil {
		t.Fatal(err)
	}
	sync := postgres.NewSyncStore(db, malls)
	cur, err := sync.Cursor(ctx, m.Key, mallsync.StreamOrders)
	if err != nil {
		t.Fatal(err)
	}
	o := func(id string, st mallsync.LineStatus, tracking string) mallsync.Order {
		return mallsync.Order{PlatformOrderID: id, OrderedAt: t0, ChangedAt: t0, Raw: json.RawMessage(`{}`),
			Lines: []mallsync.OrderLine{{PlatformLineID: id + "-01", Status: st, PlatformStatus: "X", Quantity: 1,
				SKU: "P1", Ownership: mallsync.OwnDirect, ChangedAt: t0, CarrierCode: "0006", TrackingNo: tracking}}}
	}
	if _, err := sync.ApplyPage(ctx, m.Key, mallsync.StreamOrders, mallsync.Page{Orders: []mallsync.Order{
		o("O-1", mallsync.LineDelivered, "111"), o("R-1", mallsync.LinePaid, "")}}, cur, "c1"); err != nil {
		t.Fatal(err)
	}
	return &reorders.Service{Store: postgres.NewReorderStore(db, malls), Malls: malls, Connectors: fakeConnectors{w},
		NowFunc: func() time.Time { return t0.Add(48 * time.Hour) }}
}

func TestMarkWritesTheOriginalTrackingBack(t *testing.T) {
	t.Parallel()
	ship := mallsync.WriteBack{Action: mallsync.WriteShip, OrderID: "R-1", CarrierCode: "0006", TrackingNo: "111",
		Lines: []mallsync.WriteLine{{PlatformLineID: "R-1-01"}}}
	for _, tc := range []struct {
		name   string
		w      *fakeWriter
		want   mallsync.WriteResult
		writes int // after marking twice
	}{
		{"done", &fakeWriter{answer: mallsync.WriteResult{Done: true}}, mallsync.WriteResult{Done: true}, 1},
		{"refused by the platform", &fakeWriter{answer: mallsync.WriteResult{Code: mallsync.EINVALID, Message: "배송중 처리할 수 없는 주문입니다"}},
			mallsync.WriteResult{Code: mallsync.EINVALID, Message: "배송중 처리할 수 없는 주문입니다"}, 2},
		{"platform unreachable", &fakeWriter{err: mallsync.Errorf(mallsync.EUNAVAILABLE, "cafe24 answered 503")},
			mallsync.WriteResult{Code: mallsync.EUNAVAILABLE, Message: "the write-back could not be made: cafe24 answered 503"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := setup(t, tc.w)
			ctx := context.Background()
			r, err := s.Mark(ctx, "shop-a", "R-1", "O-1", "lee")
			if err != nil {
				t.Fatal(err)
			}
			if r.WriteBack == nil || *r.WriteBack != tc.want {
				t.Fatalf("write-back = %+v, want %+v", r.WriteBack, tc.want)
			}
			stored, err := s.Reorder(ctx, "shop-a", "R-1")
			if err != nil || stored.WriteBack == nil || *stored.WriteBack != tc.want {
				t.Fatalf("stored write-back = %+v, %v", stored.WriteBack, err)
			}
			// marking again tries again only what did not get through
			if _, err := s.Mark(ctx, "shop-a", "R-1", "O-1", "lee"); err != nil {
				t.Fatal(err)
			}
			if len(tc.w.asked) != tc.writes {
				t.Fatalf("%d write-backs after marking twice, want %d", len(tc.w.asked), tc.writes)
			}
			for _, w := range tc.w.asked {
				if !reflect.DeepEqual(w, ship) {
					t.Fatalf("write-back asked = %+v, want %+v", w, ship)
				}
			}
		})
	}
}

func TestMarkRefusedWritesNothing(t *testing.T) {
	t.Parallel()
	w := &fakeWriter{answer: mallsync.WriteResult{Done: true}}
	s := setup(t, w)
	_, err := s.Mark(context.Background(), "shop-a", "R-1", "R-1", "lee")
	if mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if len(w.asked) != 0 {
		t.Fatalf("a refused mark wrote back %s", fmt.Sprint(w.asked))
	}
}
