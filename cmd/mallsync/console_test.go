package main

import (
	"context"
	"testing"

	"github.com/mallsync/mallsync"
)

type mallTable map[mallsync.MallKey]mallsync.Mall

func (t mallTable) Mall(_ context.Context, key mallsync.MallKey) (mallsync.Mall, error) {
	m, ok := t[key]
	if !ok {
		return m, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %s", key)
	}
	return m, nil
}

func TestAdminURL(t *testing.T) {
	t.Parallel()
	malls := mallTable{
		"shop":     {Platform: mallsync.PlatformCafe24, Account: mallsync.Account{MallID: "myshop"}},
		"sim":      {Platform: mallsync.PlatformCafe24, Account: mallsync.Account{MallID: "myshop", APIBase: "http://127.0.0.1:8024"}},
		"no-id":    {Platform: mallsync.PlatformCafe24},
		"smart":    {Platform: mallsync.PlatformSmartStore},
		"coupang":  {Platform: mallsync.PlatformCoupang, Account: mallsync.Account{APIBase: "https://proxy.example.com"}},
		"elevenst": {Platform: "11st"},
	}
	link := adminURL(malls)
	for _, tt := range []struct {
		key  mallsync.MallKey
		want string
	}{
		{"shop", "https://myshop.cafe24.com/admin/"},
		{"sim", ""},
		{"no-id", ""},
		{"smart", "https://sell.smartstore.naver.com/"},
		{"coupang", "https://wing.coupang.com/"},
		{"elevenst", ""},
		{"missing", ""},
	} {
		p := malls[tt.key].Platform
		if p == "" {
			p = mallsync.PlatformCafe24
		}
		if got := link(context.Background(), p, tt.key, "1"); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.key, got, tt.want)
		}
	}
}
