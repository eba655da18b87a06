package console

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Failed logins are limited per user name and per client address: a name may fail
// loginNameBurst times, then once every loginNameEvery; an address loginAddrBurst times, then
// once every loginAddrEvery. Past that, logins of the name (or from the address) are refused
// with 429 until the budget refills, even with the right password: guessing stays slow however
// many connections a guesser opens, and a person who mistyped waits a minute at most.
const (
	loginNameBurst = 5
	loginNameEvery = 12 * time.Second
	loginAddrBurst = 30
	loginAddrEvery = 2 * time.Second
	// loginLimiterCap bounds the remembered keys; past it the oldest half is forgotten.
	loginLimiterCap = 10000
)

// loginLimiter counts failed logins per key with token buckets.
type loginLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	byKey map[string]*rate.Limiter
	order []string
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, byKey: map[string]*rate.Limiter{}}
}

// keys are the buckets a login of name from r draws on, with their limits.
func loginKeys(r *http.Request, name string) []struct {
	key   string
	every time.Duration
	burst int
} {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	return []struct {
		key   string
		every time.Duration
		burst int
	}{
		{"name:" + strings.ToLower(name), loginNameEvery, loginNameBurst},
		{"addr:" + addr, loginAddrEvery, loginAddrBurst},
	}
}

func (l *loginLimiter) limiter(key string, every time.Duration, burst int) *rate.Limiter {
	lim, ok := l.byKey[key]
	if !ok {
		if len(l.order) >= loginLimiterCap {
			for _, old := range l.order[:len(l.order)/2] {
				delete(l.byKey, old)
			}
			l.order = append([]string(nil), l.order[len(l.order)/2:]...)
		}
		lim = rate.NewLimiter(rate.Every(every), burst)
		l.byKey[key] = lim
		l.order = append(l.order, key)
	}
	return lim
}

// blocked reports whether a login of name from r must wait, and for how long at least.
func (l *loginLimiter) blocked(r *http.Request, name string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range loginKeys(r, name) {
		lim := l.limiter(k.key, k.every, k.burst)
		if lim.TokensAt(now) < 1 {
			if d := time.Duration((1 - lim.TokensAt(now)) * float64(k.every)); d > wait {
				wait = d
			}
		}
	}
	return wait, wait > 0
}

// failed records a refused login of name from r.
func (l *loginLimiter) failed(r *http.Request, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range loginKeys(r, name) {
		l.limiter(k.key, k.every, k.burst).AllowN(now, 1)
	}
}
