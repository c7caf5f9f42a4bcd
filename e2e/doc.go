// Package e2e holds senco's browser tests: real user journeys driven through
// headless Chromium (Debian's /usr/bin/chromium, or $SENCO_CHROMIUM) with
// chromedp, against the service served in-process on a freshly seeded demo
// database, with axe-core accessibility checks on every page visited.
//
// TestJourneys seeds one demo and runs each journey (programme team,
// setting manager, LA officer, wrong password, without JavaScript,
// accessibility) as a parallel subtest in a tab of its own. Run them with
//
//	SENCO_REQUIRE_BROWSER=1 go test ./e2e/ -count=1 -v
//
// Without a browser the tests skip, unless SENCO_REQUIRE_BROWSER=1. With
// SENCO_SCREENSHOTS=1 each step saves e2e/screenshots/<test>-<step>.png
// (ignored by git).
package e2e
