package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// The one browser of the test binary: every test opens a tab of its own in
// a browser context of its own (so cookies never leak between tests).
var (
	browserCtx context.Context
	// browserUnavailable says why there is no browser: tests skip with it,
	// or fail with it under SENCO_REQUIRE_BROWSER=1.
	browserUnavailable string
	// browserBroken is set when the browser exists but would not start:
	// tests always fail with it.
	browserBroken error
)

const skipMessage = "browser tests skipped: install Debian's chromium (apt-get install chromium) or set SENCO_CHROMIUM"

// chromiumPath is the browser to drive: $SENCO_CHROMIUM, or Debian's.
func chromiumPath() string {
	if p := os.Getenv("SENCO_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	path := chromiumPath()
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		browserUnavailable = fmt.Sprintf("no browser at %s", path)
		return m.Run()
	}
	dataDir, err := os.MkdirTemp("", "senco-e2e-chromium-")
	if err != nil {
		browserBroken = fmt.Errorf("make a user-data dir: %w", err)
		return m.Run()
	}
	defer os.RemoveAll(dataDir)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Tabs run side by side: none may be slowed as a background tab.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-ipc-flooding-protection", true),
		chromedp.Flag("disable-hang-monitor", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(1280, 1024),
		chromedp.UserDataDir(dataDir),
	)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	// Start the browser now, with no timeout: its life is the test binary's.
	if err := chromedp.Do(ctx); err != nil {
		browserBroken = fmt.Errorf("start %s: %w", path, err)
		return m.Run()
	}
	browserCtx = ctx
	code := m.Run()
	// Close the browser before the user-data dir is removed.
	cancelBrowser()
	cancelAlloc()
	return code
}

// requireBrowser skips (or, with SENCO_REQUIRE_BROWSER=1, fails) a test when
// there is no browser, and fails it when the browser would not start.
func requireBrowser(t *testing.T) {
	t.Helper()
	if browserBroken != nil {
		t.Fatalf("browser tests cannot run: %v", browserBroken)
	}
	if browserUnavailable != "" {
		if os.Getenv("SENCO_REQUIRE_BROWSER") == "1" {
			t.Fatalf("SENCO_REQUIRE_BROWSER=1 but there is %s: install Debian's chromium (apt-get install chromium) or set SENCO_CHROMIUM", browserUnavailable)
		}
		t.Skipf("%s (%s)", skipMessage, browserUnavailable)
	}
}
