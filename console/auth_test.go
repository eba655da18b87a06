package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/console"
)

func TestParseTokens(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-t0ken-value-xyz"
	tests := []struct {
		name, table string
		wantLen     int
		wantErr     string // part of the message, or "" for success
	}{
		{"empty", "", 0, ""},
		{"commas", "kim:logistics:" + secret + ",lee:agent:" + secret + "2", 2, ""},
		{"newlines and spaces", "\n kim:logistics:" + secret + "\n\tboss:admin:" + secret + "3 \n", 2, ""},
		{"a token with colons", "kim:logistics:" + secret + ":more", 1, ""},
		{"missing parts", "kim:" + secret, 0, "entry 1: expected user:role:token"},
		{"no user", ":admin:" + secret, 0, "entry 1: the user name is empty"},
		{"unknown role", "kim:boss:" + secret, 0, `entry 1 (user kim): role "boss"`},
		{"short token", "kim:admin:" + secret + " lee:agent:tiny-tok", 0, "entry 2 (user lee): the token is shorter than 16"},
		{"a token twice", "kim:admin:" + secret + ",lee:agent:" + secret, 0, "entry 2 (user lee): the token is already given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := console.ParseTokens(tt.table)
			if tt.wantErr == "" {
				if err != nil || s.Len() != tt.wantLen {
					t.Fatalf("%v, %v; want %d tokens", s, err, tt.wantLen)
				}
				return
			}
			if mallsync.ErrorCode(err) != mallsync.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err %v, want EINVALID saying %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "tiny-tok") {
				t.Fatalf("the error shows a token: %v", err)
			}
		})
	}
}

func TestStaticTokensAuthenticate(t *testing.T) {
	t.Parallel()
	s, err := console.ParseTokens("kim:logistics:kim-token-0123456789,lee:agent:lee-token-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for token, want := range map[string]console.User{
		"kim-token-0123456789": {Name: "kim", Role: console.RoleLogistics},
		"lee-token-0123456789": {Name: "lee", Role: console.RoleAgent},
	} {
		if got, err := s.Authenticate(ctx, token); err != nil || got != want {
			t.Errorf("token of %s: %+v, %v", want.Name, got, err)
		}
	}
	for _, bad := range []string{"", "kim-token-012345678", "kim-token-01234567890", "KIM-TOKEN-0123456789", "lee"} {
		u, err := s.Authenticate(ctx, bad)
		if mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED || u != (console.User{}) {
			t.Errorf("token %q: %+v, %v; want EUNAUTHORIZED", bad, u, err)
		}
		if bad != "" && err != nil && strings.Contains(err.Error(), bad) {
			t.Errorf("the error echoes the token: %v", err)
		}
	}
	empty, _ := console.ParseTokens("")
	if _, err := empty.Authenticate(ctx, "anything-at-all-12345"); mallsync.ErrorCode(err) != mallsync.EUNAUTHORIZED {
		t.Errorf("an empty table let a token in: %v", err)
	}
}
