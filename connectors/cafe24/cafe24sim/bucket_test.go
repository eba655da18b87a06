package cafe24sim

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeNow is a settable wall clock for the bucket.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeNow) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeNow) add(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func TestLeakyBucket(t *testing.T) {
	t.Parallel()
	fn := &fakeNow{t: time.Unix(1_700_000_000, 0)}
	o := testOptions()
	o.NoLimits = false
	o.BucketNow = fn.now
	b := setup(t, o)
	const path = "/api/v2/admin/orders/count?start_date=2024-04-01&end_date=2024-04-02"
	for i := 1; i <= 40; i++ {
		w := b.get(t, path, b.token)
		if w.Code != 200 || w.Header().Get("X-Api-Call-Limit") != strconv.Itoa(i)+"/40" {
			t.Fatalf("call %d: %d %q", i, w.Code, w.Header().Get("X-Api-Call-Limit"))
		}
	}
	w := b.get(t, path, b.token)
	var env struct {
		Error struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if w.Code != 429 || w.Header().Get("X-Api-Call-Limit") != "40/40" || json.Unmarshal(w.Body.Bytes(), &env) != nil || env.Error.Code != 429 {
		t.Fatalf("41st call: %d %q %s", w.Code, w.Header().Get("X-Api-Call-Limit"), w.Body.String())
	}
	// A refused call does not fill the bucket; one second drains two calls.
	fn.add(time.Second)
	w = b.get(t, path, b.token)
	if w.Code != 200 || w.Header().Get("X-Api-Call-Limit") != "39/40" {
		t.Fatalf("after 1s: %d %q", w.Code, w.Header().Get("X-Api-Call-Limit"))
	}
	fn.add(time.Minute)
	w = b.get(t, path, b.token)
	if w.Code != 200 || w.Header().Get("X-Api-Call-Limit") != "1/40" {
		t.Fatalf("after a minute: %d %q", w.Code, w.Header().Get("X-Api-Call-Limit"))
	}
	// 401s report the level without using the bucket.
	w = b.get(t, path, "")
	if w.Code != 401 || w.Header().Get("X-Api-Call-Limit") != "1/40" {
		t.Fatalf("401: %d %q", w.Code, w.Header().Get("X-Api-Call-Limit"))
	}
}

func TestNoLimits(t *testing.T) {
	t.Parallel()
	b := setup(t, testOptions()) // NoLimits
	for i := 0; i < 60; i++ {
		w := b.get(t, "/api/v2/admin/orders/count?start_date=2024-04-01&end_date=2024-04-02", b.token)
		if w.Code != 200 || w.Header().Get("X-Api-Call-Limit") != "" {
			t.Fatalf("call %d: %d %q", i, w.Code, w.Header().Get("X-Api-Call-Limit"))
		}
	}
}
