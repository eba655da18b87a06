package smartstore_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/simclock"
	"github.com/mallsync/mallsync/connectors/smartstore"
	"github.com/mallsync/mallsync/connectors/smartstore/smartstoresim"
)

const (
	clientID     = "aaaabbbbcccc"
	clientSecret = "$2a$04$abcdefghijklmnopqrstuv" // cost 4 keeps the test quick; Naver's are 10
)

// A token is asked for once, kept while it has more than 30 minutes left, and replaced after;
// the simulator checks the signature with x/crypto/bcrypt, independently of our signer.
func TestTokenSourceAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	clock := simclock.New(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	sim := smartstoresim.New(smartstoresim.Options{ClientID: clientID, ClientSecret: clientSecret, Clock: clock})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	ctx := context.Background()
	ts := &smartstore.TokenSource{Base: srv.URL, ClientID: clientID, ClientSecret: clientSecret, Now: clock.Now}
	first, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	if again, err := ts.Token(ctx); err != nil || again != first || sim.Issued() != 1 {
		t.Fatalf("an hour left: token %q (%v), %d issued; want the same one", again, err, sim.Issued())
	}
	clock.Advance(40 * time.Minute)
	if next, err := ts.Token(ctx); err != nil || next == first || sim.Issued() != 2 {
		t.Fatalf("20 minutes left: token %q (%v), %d issued; want a new one", next, err, sim.Issued())
	}

	for name, bad := range map[string]*smartstore.TokenSource{
		"a wrong secret":       {Base: srv.URL, ClientID: clientID, ClientSecret: "$2a$04$zzzzzzzzzzzzzzzzzzzzzz", Now: clock.Now},
		"a clock 10 min ahead": {Base: srv.URL, ClientID: clientID, ClientSecret: clientSecret, Now: func() time.Time { return clock.Now().Add(10 * time.Minute) }},
		"another client":       {Base: srv.URL, ClientID: "someone", ClientSecret: clientSecret, Now: clock.Now},
	} {
		if _, err := bad.Token(ctx); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
			t.Errorf("%s: %v (%s), want EUNAUTHORIZED", name, err, mallsync.ErrorCode(err))
		}
	}
}
