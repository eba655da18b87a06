package postgres_test

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
	"github.com/mallsync/mallsync/secret"
)

func box(t *testing.T) *secret.Box {
	t.Helper()
	k, _ := secret.NewKey()
	key, _ := secret.ParseKey(k)
	b, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCredentialsAreSealedAtRest(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	s := postgres.NewCredentialStore(db, box(t))
	ctx := context.Background()
	c := mallsync.Credential{Ref: "shop-a", Client: mallsync.AppClient{ClientID: "cid", ClientSecret: "very-secret-client", WebhookKey: "hook-key-123"},
		Token: mallsync.Token{AccessToken: "access-abc", RefreshToken: "refresh-xyz", AccessExpiresAt: time.Now().Add(time.Hour).UTC().Truncate(time.Second)}}
	if err := s.PutCredential(ctx, c); err != nil {
		t.Fatal(err)
	}
	var sealed []byte
	if err := db.Get(&sealed, `SELECT sealed FROM credentials WHERE ref = 'shop-a'`); err != nil {
		t.Fatal(err)
	}
	for _, secretText := range []string{"very-secret-client", "access-abc", "refresh-xyz", "hook-key-123"} {
		if bytes.Contains(sealed, []byte(secretText)) {
			t.Fatalf("%q stored in the clear", secretText)
		}
	}
	got, err := s.Credential(ctx, "shop-a")
	if err != nil || got.Token.RefreshToken != "refresh-xyz" || got.Client != c.Client || !got.Token.AccessExpiresAt.Equal(c.Token.AccessExpiresAt) {
		t.Fatalf("Credential = %+v, %v", got, err)
	}
	// Another key cannot open it; the error says so without secrets.
	_, err = postgres.NewCredentialStore(db, box(t)).Credential(ctx, "shop-a")
	if mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED || bytes.Contains([]byte(err.Error()), []byte("refresh-xyz")) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := s.Credential(ctx, "nope"); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("missing: %v", err)
	}
}

// Two workers whose access token expired at the same moment refresh once: the second waits
// for the lock, sees the rotated token and uses it.
func TestRotateTokenIsSerialized(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	b := box(t)
	ctx := context.Background()
	first := postgres.NewCredentialStore(db, b)
	if err := first.PutCredential(ctx, mallsync.Credential{Ref: "shop-a", Token: mallsync.Token{AccessToken: "a0", RefreshToken: "r0"}}); err != nil {
		t.Fatal(err)
	}
	var presented sync.Map
	var calls atomic.Int32
	refresh := func(ctx context.Context, c mallsync.Credential) (mallsync.Token, error) {
		n := calls.Add(1)
		if _, dup := presented.LoadOrStore(c.Token.RefreshToken, true); dup {
			t.Errorf("refresh token %q presented twice", c.Token.RefreshToken)
		}
		time.Sleep(50 * time.Millisecond) // the platform is slow; the other worker must wait
		return mallsync.Token{AccessToken: "a" + string(rune('0'+n)), RefreshToken: "r" + string(rune('0'+n))}, nil
	}
	var wg sync.WaitGroup
	got := make([]mallsync.Token, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// each "worker" has its own store and connection pool
			s := postgres.NewCredentialStore(db, b)
			tok, err := s.RotateToken(ctx, "shop-a", "a0", refresh)
			if err != nil {
				t.Error(err)
			}
			got[i] = tok
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("refresh called %d times, want 1", calls.Load())
	}
	for _, tok := range got {
		if tok.AccessToken != "a1" || tok.RefreshToken != "r1" {
			t.Fatalf("worker got %+v, want the rotated token", tok)
		}
	}
	stored, _ := first.Credential(ctx, "shop-a")
	if stored.Token.RefreshToken != "r1" {
		t.Fatalf("stored refresh token = %q, want r1", stored.Token.RefreshToken)
	}
	var rotations int
	if err := db.Get(&rotations, `SELECT rotations FROM credentials`); err != nil || rotations != 1 {
		t.Fatalf("rotations = %d, %v", rotations, err)
	}
}
