package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

const kimPassword = "kim-password-123"

// clock is a settable clock for the user store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func userSetup(t *testing.T) (*postgres.UserStore, *clock) {
	t.Helper()
	db := pgtest.DB(t)
	c := &clock{t: t0}
	s := postgres.NewUserStore(db)
	s.NowFunc = c.now
	if _, err := s.CreateUser(context.Background(), "kim", mallsync.RoleLogistics, kimPassword); err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	s, _ := userSetup(t)
	ctx := context.Background()
	tests := []struct {
		name, user string
		role       mallsync.Role
		password   string
		wantCode   string
	}{
		{"ok", "lee", mallsync.RoleAgent, "lee-password-1", ""},
		{"korean name", "이상담", mallsync.RoleAgent, "lee-password-1", ""},
		{"taken", "kim", mallsync.RoleAdmin, "other-password-1", mallsync.ECONFLICT},
		{"empty name", "", mallsync.RoleAgent, "lee-password-1", mallsync.EINVALID},
		{"space in name", "a b", mallsync.RoleAgent, "lee-password-1", mallsync.EINVALID},
		{"unknown role", "park", "boss", "park-password-1", mallsync.EINVALID},
		{"short password", "park", mallsync.RoleSales, "tiny1", mallsync.EINVALID},
		{"too long password", "park", mallsync.RoleSales, strings.Repeat("x", 73), mallsync.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := s.CreateUser(ctx, tt.user, tt.role, tt.password)
			if mallsync.ErrorCode(err) != tt.wantCode {
				t.Fatalf("err %v, want code %q", err, tt.wantCode)
			}
			if err != nil && strings.Contains(err.Error(), tt.password) {
				t.Fatalf("the error shows the password: %v", err)
			}
			if err == nil && (a.ID == 0 || a.User() != (mallsync.User{Name: tt.user, Role: tt.role})) {
				t.Fatalf("account %+v", a)
			}
		})
	}
}

func TestPasswordsAreBcryptHashed(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	s := postgres.NewUserStore(db)
	s.BcryptCost = 4 // below the floor: raised to 10
	if _, err := s.CreateUser(context.Background(), "kim", mallsync.RoleLogistics, kimPassword); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := db.Get(&hash, `SELECT password_hash FROM users WHERE name = 'kim'`); err != nil {
		t.Fatal(err)
	}
	cost, err := bcrypt.Cost([]byte(hash))
	if err != nil || cost < 10 || strings.Contains(hash, kimPassword) {
		t.Fatalf("hash %q: cost %d, %v", hash, cost, err)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	s, _ := userSetup(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, "gone", mallsync.RoleAgent, "gone-password-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisabled(ctx, "gone", true); err != nil {
		t.Fatal(err)
	}
	var refusal string
	for _, tt := range []struct{ name, user, password string }{
		{"wrong password", "kim", "kim-password-124"},
		{"unknown user", "nobody", kimPassword},
		{"disabled user", "gone", "gone-password-1"},
		{"empty password", "kim", ""},
	} {
		_, err := s.Login(ctx, tt.user, tt.password)
		if mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
			t.Fatalf("%s: %v, want EUNAUTHORIZED", tt.name, err)
		}
		if refusal == "" {
			refusal = err.Error()
		}
		if err.Error() != refusal {
			t.Fatalf("%s: %q differs from %q: refusals must not tell their causes apart", tt.name, err, refusal)
		}
	}
	ns, err := s.Login(ctx, "kim", kimPassword)
	if err != nil || ns.User != (mallsync.User{Name: "kim", Role: mallsync.RoleLogistics}) || len(ns.Token) < 40 || len(ns.CSRF) < 40 {
		t.Fatalf("login: %+v, %v", ns.Session, err)
	}
	if !ns.ExpiresAt.Equal(t0.Add(postgres.DefaultMaxAge)) {
		t.Fatalf("expires at %v", ns.ExpiresAt)
	}
	if err := s.SetDisabled(ctx, "nobody", true); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("disabling an unknown user: %v", err)
	}
}

func TestSessionsExpire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// steps: how long after the previous look the session is looked at, and whether it is live
		steps []time.Duration
		live  []bool
	}{
		{"seen within the idle time", []time.Duration{time.Hour, 11 * time.Hour, 11 * time.Hour}, []bool{true, true, true}},
		{"idle too long", []time.Duration{time.Hour, 12 * time.Hour}, []bool{true, false}},
		{"past the absolute end", []time.Duration{11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour},
			[]bool{true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, c := userSetup(t)
			ctx := context.Background()
			ns, err := s.Login(ctx, "kim", kimPassword)
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range tt.steps {
				c.add(d)
				got, err := s.Session(ctx, ns.Token)
				if live := err == nil; live != tt.live[i] {
					t.Fatalf("step %d (%v later): live = %v (%v), want %v", i, d, live, err, tt.live[i])
				}
				if err == nil && (got.User.Name != "kim" || !got.CheckCSRF(ns.CSRF) || got.CheckCSRF(ns.CSRF+"x") || got.CheckCSRF("")) {
					t.Fatalf("step %d: session %+v", i, got.User)
				}
				if err != nil && mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
					t.Fatalf("step %d: %v", i, err)
				}
			}
		})
	}
}

func TestSessionEnds(t *testing.T) {
	t.Parallel()
	s, _ := userSetup(t)
	ctx := context.Background()
	a, _ := s.Login(ctx, "kim", kimPassword)
	b, _ := s.Login(ctx, "kim", kimPassword)
	if a.Token == b.Token || a.CSRF == b.CSRF {
		t.Fatal("two logins got the same token")
	}
	if err := s.Logout(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, a.Token); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a logged-out session: %v", err)
	}
	if _, err := s.Session(ctx, b.Token); err != nil {
		t.Fatalf("logging one session out ended another: %v", err)
	}
	if err := s.SetDisabled(ctx, "kim", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, b.Token); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a disabled user's session: %v", err)
	}
	for _, bad := range []string{"", "mss_nothing", b.Token + "x"} {
		if _, err := s.Session(ctx, bad); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
			t.Fatalf("token %q: %v", bad, err)
		}
	}
}

func TestTokensAreStoredAsHashes(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	s := postgres.NewUserStore(db)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, "kim", mallsync.RoleLogistics, kimPassword); err != nil {
		t.Fatal(err)
	}
	ns, err := s.Login(ctx, "kim", kimPassword)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.NewAPIToken(ctx, "kim", "script")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Get(&n, `SELECT (SELECT count(*) FROM sessions WHERE position(convert_to($1, 'UTF8') in token_hash) > 0 OR octet_length(token_hash) <> 32)
		+ (SELECT count(*) FROM api_tokens WHERE position(convert_to($2, 'UTF8') in token_hash) > 0 OR octet_length(token_hash) <> 32)`, ns.Token, tok); err != nil {
		t.Fatal(err)
	}
	var dump string
	if err := db.Get(&dump, `SELECT (SELECT string_agg(s::text, ',') FROM sessions s) || (SELECT string_agg(a::text, ',') FROM api_tokens a)`); err != nil {
		t.Fatal(err)
	}
	if n != 0 || strings.Contains(dump, ns.Token) || strings.Contains(dump, tok) || strings.Contains(dump, ns.Token[4:]) || strings.Contains(dump, tok[4:]) {
		t.Fatalf("a token is stored as it is: %s", dump)
	}
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	s, _ := userSetup(t)
	ctx := context.Background()
	a, err := s.NewAPIToken(ctx, "kim", "nightly")
	if err != nil || !strings.HasPrefix(a, postgres.APITokenPrefix) || len(a) != len(postgres.APITokenPrefix)+43 {
		t.Fatalf("token %q, %v", a, err)
	}
	b, _ := s.NewAPIToken(ctx, "kim", "")
	if _, err := s.NewAPIToken(ctx, "nobody", ""); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Fatalf("a token for an unknown user: %v", err)
	}
	for _, tok := range []string{a, b} {
		if u, err := s.TokenUser(ctx, tok); err != nil || u != (mallsync.User{Name: "kim", Role: mallsync.RoleLogistics}) {
			t.Fatalf("token user: %+v, %v", u, err)
		}
	}
	ns, _ := s.Login(ctx, "kim", kimPassword)
	for _, bad := range []string{"", a + "x", a[:len(a)-1], "mst_", ns.Token} {
		if _, err := s.TokenUser(ctx, bad); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED || (bad != "" && strings.Contains(err.Error(), bad)) {
			t.Fatalf("token %q: %v", bad, err)
		}
	}
	if n, err := s.RevokeAPITokens(ctx, "kim", "nightly"); err != nil || n != 1 {
		t.Fatalf("revoke: %d, %v", n, err)
	}
	if _, err := s.TokenUser(ctx, a); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a revoked token: %v", err)
	}
	if _, err := s.TokenUser(ctx, b); err != nil {
		t.Fatalf("revoking by label revoked another token: %v", err)
	}
	if err := s.SetDisabled(ctx, "kim", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(ctx, b); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Fatalf("a disabled user's token: %v", err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	l := postgres.NewAuditLog(db)
	ctx := context.Background()
	entries := []mallsync.AuditEntry{
		{At: t0, User: "kim", Role: mallsync.RoleLogistics, Action: "task.claim", Target: "task/1"},
		{At: t0.Add(time.Minute), User: "lee", Role: mallsync.RoleAgent, Action: "reorder.mark", Target: "order/shop-a/O-2", Detail: map[string]any{"original": "O-1"}},
		{At: t0.Add(2 * time.Minute), User: "kim", Role: mallsync.RoleLogistics, Action: "task.complete", Target: "task/1"},
	}
	for _, e := range entries {
		if err := l.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Record(ctx, mallsync.AuditEntry{User: "kim"}); mallsync.ErrorCode(err) != mallsync.EINVALID {
		t.Fatalf("an entry without an action: %v", err)
	}
	got, err := l.Entries(ctx, mallsync.AuditFilter{User: "kim"})
	if err != nil || len(got) != 2 || got[0].Action != "task.complete" || got[1].Action != "task.claim" || !got[0].At.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("kim's entries: %+v, %v", got, err)
	}
	got, err = l.Entries(ctx, mallsync.AuditFilter{Action: "reorder.mark"})
	if err != nil || len(got) != 1 || got[0].Detail["original"] != "O-1" || got[0].Role != mallsync.RoleAgent {
		t.Fatalf("reorder entries: %+v, %v", got, err)
	}
	for _, stmt := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if got, _ := l.Entries(ctx, mallsync.AuditFilter{}); len(got) != 3 {
		t.Fatalf("%d entries after the refused changes", len(got))
	}
}
