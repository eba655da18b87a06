package postgres_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

func TestOAuthStatesAreUsedOnceAndExpire(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := postgres.NewOAuthStateStore(b.db, b.malls)
	ctx := context.Background()
	now := time.Now()
	put := func(state string, expires time.Time) {
		t.Helper()
		if err := s.PutOAuthState(ctx, mallsync.OAuthState{State: state, Mall: b.mall, RedirectURI: "https://x/cb", ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
	}
	put("fresh", now.Add(10*time.Minute))
	put("stale", now.Add(time.Minute))

	got, err := s.TakeOAuthState(ctx, "fresh", now)
	if err != nil || got.Mall != b.mall || got.RedirectURI != "https://x/cb" {
		t.Fatalf("take fresh: %+v, %v", got, err)
	}
	if _, err := s.TakeOAuthState(ctx, "fresh", now); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("taking a used state: %v, want ENOTFOUND", err)
	}
	if _, err := s.TakeOAuthState(ctx, "stale", now.Add(2*time.Minute)); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("taking an expired state: %v, want ENOTFOUND", err)
	}
	if err := s.PutOAuthState(ctx, mallsync.OAuthState{State: "x", Mall: "no-such-mall", ExpiresAt: now.Add(time.Minute)}); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("a state for an unknown mall: %v, want ENOTFOUND", err)
	}
	// Only a hash of the state is stored.
	put("secret-state-value", now.Add(time.Minute))
	var raw [][]byte
	if err := b.db.Select(&raw, `SELECT state_hash FROM oauth_states`); err != nil {
		t.Fatal(err)
	}
	for _, h := range raw {
		if bytes.Contains(h, []byte("secret-state-value")) {
			t.Fatal("the state is stored in the clear")
		}
	}
}
