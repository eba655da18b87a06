package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package puts the browser (.ci/run installs it).
const chromiumPath = "/usr/bin/chromium"

// shotsDir keeps a copy of each screenshot on a developer's machine (not in CI), to look at.
const shotsDir = "/tmp/console-shots"

// browser is one headless Chromium tab on a site, for a test.
type browser struct {
	t    *testing.T
	ctx  context.Context // the tab's context: its cancellation closes the browser
	base string          // the site's root URL, no trailing slash
	dir  string          // where screenshots go
	// logs are the site's server logs, shown when a step fails.
	logs *lockedBuffer
}

// requireChromium skips the test when Chromium is missing, but fails it under CI, where
// .ci/run installs it. Call it before an expensive setup.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %s is missing (%v): .ci/run installs Debian's chromium package", chromiumPath, err)
		}
		t.Skipf("%s is missing: install Debian's chromium package (apt-get install chromium) to run the browser tests", chromiumPath)
	}
}

// newBrowser starts headless Chromium for base and returns its tab (see requireChromium).
func newBrowser(t *testing.T, base string, logs *lockedBuffer) *browser {
	t.Helper()
	requireChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		// No connections besides the test's server: the network is closed, and Chromium's
		// own background traffic would only be refused.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithErrorf(func(string, ...any) {}))
	t.Cleanup(cancel)
	// The first run starts the browser; it must not be under a timeout, which would kill it.
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(ctx) }()
	select {
	case err := <-start:
		if err != nil {
			t.Fatalf("starting %s: %v", chromiumPath, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not start in 30s", chromiumPath)
	}
	return &browser{t: t, ctx: ctx, base: strings.TrimSuffix(base, "/"), dir: t.TempDir(), logs: logs}
}

// run runs a step's actions within timeout; when they fail or time out, the test fails with
// the step's name, the page's URL, its HTML and the server's last log lines.
func (br *browser) run(step string, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	br.t.Helper()
	read(br, step, timeout, chromedp.Steps(actions...))
}

// read runs an action that reads something within timeout, and returns what it read; it fails
// the test as browser.run does.
func read[T any](br *browser, step string, timeout time.Duration, action chromedp.Action[T]) T {
	br.t.Helper()
	ctx, cancel := context.WithTimeout(br.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		br.t.Fatalf("%s: %v\n%s", step, err, br.dump())
	}
	return v
}

// dump describes the page as it is: URL and HTML, then the server's last log lines.
func (br *browser) dump() string {
	ctx, cancel := context.WithTimeout(br.ctx, 5*time.Second)
	defer cancel()
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(the page could not be read: %v)", err)
	}
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		return fmt.Sprintf("page %s (its HTML could not be read: %v)", url, err)
	}
	return fmt.Sprintf("page %s:\n%s\nserver log:\n%s", url, clipHead(html, 12000), clipTail(br.logs.String(), 4000))
}

// failf fails the test with the page as it is.
func (br *browser) failf(format string, args ...any) {
	br.t.Helper()
	br.t.Fatalf("%s\n%s", fmt.Sprintf(format, args...), br.dump())
}

// screenshot saves the whole page as name.png in the test's directory, and outside CI also
// under shotsDir.
func (br *browser) screenshot(name string) {
	br.t.Helper()
	png := read(br, "screenshot "+name, 15*time.Second, chromedp.FullScreenshot(100))
	path := filepath.Join(br.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		br.t.Fatal(err)
	}
	if os.Getenv("CI") != "" {
		return
	}
	if err := os.MkdirAll(shotsDir, 0o755); err != nil {
		br.t.Logf("keeping screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(shotsDir, name+".png"), png, 0o644); err != nil {
		br.t.Logf("keeping screenshot %s: %v", name, err)
		return
	}
	br.t.Logf("screenshot %s", filepath.Join(shotsDir, name+".png"))
}

// login logs name in on the login page and waits for the role's home page, where ready is.
func (br *browser) login(name, password, ready string) {
	br.t.Helper()
	br.run("log in as "+name, 20*time.Second,
		chromedp.Navigate(br.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(ready)),
	)
}

// logout presses the header's log-out button and waits for the login page.
func (br *browser) logout() {
	br.t.Helper()
	br.run("log out", 20*time.Second,
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#login")),
	)
}

// count returns how many elements match the CSS selector sel on the page now.
func (br *browser) count(sel string) int {
	br.t.Helper()
	return read(br, "counting "+sel, 10*time.Second, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// clipHead keeps the start of s when it is longer than n bytes.
func clipHead(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// clipTail keeps the end of s when it is longer than n bytes.
func clipTail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// lockedBuffer is a bytes.Buffer for a logger that several goroutines write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
