package cafe24

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

func TestExpiredTokenIsRefreshedOnceAndPersisted(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 6, 1, 0, 0, 0)
	s := newSetup(t, start, 0)
	s.fake.addOrders(newTestOrder(1, start))
	// The stored access token expires within the two-minute margin.
	c := s.store.creds["cafe24/testmall"]
	c.Token.AccessExpiresAt = time.Now().Add(time.Minute)
	s.store.creds["cafe24/testmall"] = c

	f, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if f.Calls != 3 { // refresh + count + page
		t.Errorf("Calls = %d, want 3", f.Calls)
	}
	tok := s.store.token("cafe24/testmall")
	if tok.AccessToken != "at-1" || tok.RefreshToken != "rt-1" || s.store.puts != 1 {
		t.Errorf("stored token %q/%q after %d puts, want at-1/rt-1 after 1", tok.AccessToken, tok.RefreshToken, s.store.puts)
	}
	if p := s.fake.presentations(); p["rt-0"] != 1 || len(p) != 1 {
		t.Errorf("refresh tokens presented: %v", p)
	}
	// expires_at is KST without an offset: two hours after the fake's now, in UTC.
	if d := time.Until(tok.AccessExpiresAt); d < 119*time.Minute || d > 121*time.Minute {
		t.Errorf("access expires in %v, want 2h", d)
	}
	// The next fetch uses the new token without refreshing again.
	if _, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, f.Next, start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s.store.rotations != 1 {
		t.Errorf("%d rotations, want 1", s.store.rotations)
	}
}

func TestConcurrentRefreshPresentsTheRefreshTokenOnce(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 6, 1, 0, 0, 0)
	s := newSetup(t, start, 0)
	s.fake.addOrders(newTestOrder(1, start))
	c := s.store.creds["cafe24/testmall"]
	c.Token.AccessExpiresAt = time.Now().Add(-time.Hour)
	s.store.creds["cafe24/testmall"] = c

	// Two connectors (as two workers would have) and two goroutines each.
	conns := []*Connector{s.conn, s.connector(t)}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(cn *Connector) {
			defer wg.Done()
			_, err := cn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(time.Hour))
			errs <- err
		}(conns[i%2])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	p := s.fake.presentations()
	if p["rt-0"] != 1 || len(p) != 1 {
		t.Errorf("refresh tokens presented: %v, want rt-0 once", p)
	}
	if s.store.rotations != 1 {
		t.Errorf("%d rotations, want 1", s.store.rotations)
	}
}

// A platform whose clock runs a day behind ours issues tokens that have expired by our clock:
// the token is refreshed once and then used, not refreshed again on every call.
func TestTokenExpiredByOurClockIsNotRefreshedOnEveryCall(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 6, 1, 0, 0, 0)
	s := newSetup(t, start, 0)
	s.fake.addOrders(newTestOrder(1, start))
	s.fake.nowFunc = func() time.Time { return time.Now().Add(-24 * time.Hour) }
	c := s.store.creds["cafe24/testmall"]
	c.Token.AccessExpiresAt = time.Now().Add(-time.Hour)
	s.store.creds["cafe24/testmall"] = c
	for i := 0; i < 3; i++ {
		if _, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if s.store.rotations != 1 {
		t.Errorf("%d rotations for three fetches, want 1", s.store.rotations)
	}
}

func TestUnauthorizedForcesOneRefreshAndOneRetry(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 6, 1, 0, 0, 0)
	s := newSetup(t, start, 0)
	s.fake.addOrders(newTestOrder(1, start))
	s.fake.fault("401") // the token we think valid was revoked
	f, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if f.Calls != 4 { // 401 + refresh + count again + page
		t.Errorf("Calls = %d, want 4", f.Calls)
	}
	if got := s.store.token("cafe24/testmall").AccessToken; got != "at-1" {
		t.Errorf("stored access token %q, want at-1", got)
	}

	// A second 401 right after the refresh is not retried again.
	s.fake.fault("401", "401")
	_, err = s.conn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(time.Hour))
	if code := mallsync.ErrorCode(err); code != mallsync.EUNAUTHORIZED {
		t.Errorf("two 401s: err %v (%s), want EUNAUTHORIZED", err, code)
	}
}

func TestInvalidGrantNeedsReauthorization(t *testing.T) {
	t.Parallel()
	start := kstTime(2025, 6, 1, 0, 0, 0)
	s := newSetup(t, start, 0)
	c := s.store.creds["cafe24/testmall"]
	c.Token = mallsync.Token{AccessToken: "at-old", RefreshToken: "rt-dead", AccessExpiresAt: time.Now().Add(-time.Hour)}
	s.store.creds["cafe24/testmall"] = c
	_, err := s.conn.Fetch(context.Background(), mallsync.StreamOrders, "", start.Add(time.Hour))
	if code := mallsync.ErrorCode(err); code != mallsync.EUNAUTHORIZED {
		t.Fatalf("err %v (%s), want EUNAUTHORIZED", err, code)
	}
	if !strings.Contains(mallsync.ErrorMessage(err), "re-authorized") {
		t.Errorf("message %q does not say the mall must be re-authorized", mallsync.ErrorMessage(err))
	}
	if p := s.fake.presentations(); p["rt-dead"] != 1 {
		t.Errorf("dead refresh token presented %d times, want 1 (no retry)", p["rt-dead"])
	}
	if strings.Contains(err.Error(), "rt-dead") || strings.Contains(err.Error(), "client-secret") {
		t.Errorf("error leaks a secret: %v", err)
	}
}

func TestExchangeCode(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	client := mallsync.AppClient{ClientID: "client-id", ClientSecret: "client-secret"}
	tok, err := ExchangeCode(context.Background(), nil, f.srv.URL+"/", client, "good-code", "https://app.example/cb")
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "at-1" || tok.RefreshToken != "rt-1" || tok.AccessExpiresAt.Location() != time.UTC {
		t.Errorf("token %+v", tok)
	}
	_, err = ExchangeCode(context.Background(), nil, f.srv.URL, client, "stale-code", "https://app.example/cb")
	if mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Errorf("bad code: err %v", err)
	}
	_, err = ExchangeCode(context.Background(), nil, f.srv.URL, mallsync.AppClient{ClientID: "client-id", ClientSecret: "wrong"}, "good-code", "https://app.example/cb")
	if mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Errorf("bad secret: err %v", err)
	}
}

func TestAuthorizeURL(t *testing.T) {
	t.Parallel()
	got := AuthorizeURL("https://shop.cafe24api.com/", "cid", "st8", "https://app.example/cb", []string{"mall.read_order", "mall.write_order"})
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "shop.cafe24api.com" || u.Path != "/api/v2/oauth/authorize" || q.Get("response_type") != "code" ||
		q.Get("client_id") != "cid" || q.Get("state") != "st8" || q.Get("redirect_uri") != "https://app.example/cb" ||
		q.Get("scope") != "mall.read_order,mall.write_order" {
		t.Errorf("AuthorizeURL = %s", got)
	}
}

func TestParseTokenTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2021, 3, 1, 5, 0, 0, 0, time.UTC) // 14:00 KST
	for _, s := range []string{"2021-03-01T14:00:00.000", "2021-03-01T14:00:00", "2021-03-01T14:00:00+09:00"} {
		got, err := parseTokenTime(s)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTokenTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := parseTokenTime("tomorrow"); err == nil {
		t.Error("parsed garbage")
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		acct mallsync.Account
		want string
	}{
		{mallsync.Account{MallID: "myshop"}, "https://myshop.cafe24api.com"},
		{mallsync.Account{MallID: "myshop", APIBase: "http://127.0.0.1:9/"}, "http://127.0.0.1:9"},
	}
	for _, tt := range tests {
		if got := BaseURL(mallsync.Mall{Account: tt.acct}); got != tt.want {
			t.Errorf("BaseURL(%+v) = %s, want %s", tt.acct, got, tt.want)
		}
	}
}
