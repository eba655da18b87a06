package cafe24sim

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestListenAndServe(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- ListenAndServe(ctx, "127.0.0.1:0", Options{Seed: 1, Orders: 100}, pw)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var base string
	var out []string
	for sc.Scan() {
		line := sc.Text()
		out = append(out, line)
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "base URL:"); ok {
			base = strings.TrimSpace(v)
		}
		if strings.Contains(line, "/debug/truth") {
			break
		}
	}
	text := strings.Join(out, "\n")
	for _, want := range []string{"demomall", "sim-client-id", "sim-client-secret", "curl", "/api/v2/oauth/token", "/api/v2/admin/orders"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	go io.Copy(io.Discard, pr)
	res, err := http.Get(base + "/debug/truth")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("debug truth: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("did not stop")
	}
}
