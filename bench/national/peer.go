package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The superuser bench/pocketbase's load makes.
const (
	pbEmail    = "bench@example.org"
	pbPassword = "bench-password-not-secret"
)

// runPeer asks senco and PocketBase the same filtered, paginated settings
// list over HTTP with hey, alternating, the same number of requests and
// clients each.
func runPeer(ctx context.Context, c config) error {
	if _, err := exec.LookPath("hey"); err != nil {
		return fmt.Errorf("hey is needed: %w", err)
	}
	db, bare, err := open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	defer bare.Close()
	machine(db, c.db, c)

	// A programme-team user's API token: national scope, as a client
	// reading the register would have.
	userID, err := scalar[int64](ctx, bare, `SELECT id FROM users WHERE role = 'programme_team' ORDER BY id LIMIT 1`)
	if err != nil {
		return err
	}
	_, token, err := signIn(ctx, db, userID)
	if err != nil {
		return err
	}
	la := c.la
	if la == "" {
		// The authority with the most settings of the type.
		if la, err = scalar[string](ctx, bare, `SELECT la_code FROM settings WHERE provider_type = $1 AND la_code IS NOT NULL
			GROUP BY la_code ORDER BY COUNT(*) DESC, la_code LIMIT 1`, c.typ); err != nil {
			return err
		}
	}
	matching, _ := scalar[int64](ctx, bare, `SELECT COUNT(*) FROM settings WHERE la_code = $1 AND provider_type = $2`, la, c.typ)

	s, err := startServer(db, c.clients)
	if err != nil {
		return err
	}
	defer s.close()
	v := url.Values{}
	v.Set("filter[la]", la)
	v.Set("filter[type]", c.typ)
	v.Set("page[number]", "2")
	v.Set("page[size]", "50")
	sencoURL := s.base + "/api/v1/settings?" + v.Encode()

	// PocketBase, started here and stopped at the end.
	if _, err := os.Stat(c.pbDir); err != nil {
		return fmt.Errorf("PocketBase data (run `pbbench load -dir %s -from …` first): %w", c.pbDir, err)
	}
	pb := exec.Command(c.pbBin, "serve", "-dir", c.pbDir, "-http", c.pbAddr)
	pb.Stdout, pb.Stderr = io.Discard, os.Stderr
	if err := pb.Start(); err != nil {
		return err
	}
	defer func() {
		pb.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { pb.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			pb.Process.Kill()
		}
	}()
	pbBase := "http://" + c.pbAddr
	if err := waitFor(pbBase + "/api/health"); err != nil {
		return err
	}
	pbToken, err := pbAuth(pbBase)
	if err != nil {
		return err
	}
	pv := url.Values{}
	pv.Set("filter", fmt.Sprintf("(la_code='%s' && provider_type='%s')", la, c.typ))
	pv.Set("sort", "name,urn")
	pv.Set("page", "2")
	pv.Set("perPage", "50")
	pbURL := pbBase + "/api/collections/settings/records?" + pv.Encode()

	// Both answer the same rows.
	var sencoSize, pbSize int
	sencoURNs, sencoTotal, err := listURNs(sencoURL, "Bearer "+token, &sencoSize, func(b []byte) ([]string, int, error) {
		var r struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			Meta struct {
				Page struct {
					TotalItems int `json:"total_items"`
				} `json:"page"`
			} `json:"meta"`
		}
		err := json.Unmarshal(b, &r)
		var out []string
		for _, d := range r.Data {
			out = append(out, d.ID)
		}
		return out, r.Meta.Page.TotalItems, err
	})
	if err != nil {
		return err
	}
	pbURNs, pbTotal, err := listURNs(pbURL, pbToken, &pbSize, func(b []byte) ([]string, int, error) {
		var r struct {
			Items []struct {
				URN string `json:"urn"`
			} `json:"items"`
			TotalItems int `json:"totalItems"`
		}
		err := json.Unmarshal(b, &r)
		var out []string
		for _, d := range r.Items {
			out = append(out, d.URN)
		}
		return out, r.TotalItems, err
	})
	if err != nil {
		return err
	}
	if !slices.Equal(sencoURNs, pbURNs) || sencoTotal != pbTotal || len(sencoURNs) != 50 {
		return fmt.Errorf("senco and PocketBase answer differently: %d rows of %d vs %d rows of %d", len(sencoURNs), sencoTotal, len(pbURNs), pbTotal)
	}
	fmt.Printf("filter: la %s, type %s (%d settings); page 2 of 50: both answer the same 50 URNs, total %d; senco's answer %d bytes, PocketBase's %d bytes (uncompressed)\n",
		la, c.typ, matching, sencoTotal, sencoSize, pbSize)
	fmt.Printf("senco:      GET %s (Authorization: Bearer <API token of a programme-team user>)\n", strings.Replace(sencoURL, s.base, "http://127.0.0.1:<port>", 1))
	fmt.Printf("PocketBase: GET %s (Authorization: <superuser token>)\n\n", pbURL)

	server := &results{}
	s.record("peer", server)
	var sencoRuns, pbRuns []heyResult
	for round := range c.rounds {
		runs := []struct {
			name, url, auth string
			out             *[]heyResult
		}{
			{"senco", sencoURL, "Bearer " + token, &sencoRuns},
			{"PocketBase", pbURL, pbToken, &pbRuns},
		}
		if round%2 == 1 {
			slices.Reverse(runs)
		}
		for _, r := range runs {
			server.mu.Lock()
			if r.name == "senco" {
				server.from, server.to = time.Now(), time.Now().Add(time.Hour)
			} else {
				server.from, server.to = time.Time{}, time.Time{}
			}
			server.mu.Unlock()
			h, err := hey(r.url, r.auth, c.requests, c.clients, kindHeader+": peer")
			server.mu.Lock()
			server.from, server.to = time.Time{}, time.Time{}
			server.mu.Unlock()
			if err != nil {
				return fmt.Errorf("%s: %w", r.name, err)
			}
			*r.out = append(*r.out, h)
			fmt.Printf("round %d %-10s %s\n", round+1, r.name, h)
		}
	}
	fmt.Println()
	se, pe := sumHey(sencoRuns), sumHey(pbRuns)
	fmt.Printf("| server | requests | req/s (200s) | mean ms | median ms | p99 ms | not 200 |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range []struct {
		name string
		h    heyResult
	}{{"senco", se}, {"PocketBase", pe}} {
		fmt.Printf("| %s | %d | %.1f | %.2f | %.2f | %.2f | %d |\n", r.name, r.h.n, r.h.rps, r.h.mean, r.h.p50, r.h.p99, r.h.bad)
	}
	ss := server.summary()
	fmt.Printf("\nsenco's server time per request (wrapping handler): median %s ms, p99 %s ms over %d requests\n", ms(ss.median), ms(ss.p99), ss.n)
	fmt.Printf("senco ÷ PocketBase requests per second: %.2f× (goal ≥ 3×)\n\n", se.rps/pe.rps)
	return nil
}

func waitFor(u string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer", u)
}

func pbAuth(base string) (string, error) {
	body, _ := json.Marshal(map[string]string{"identity": pbEmail, "password": pbPassword})
	resp, err := http.Post(base+"/api/collections/_superusers/auth-with-password", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var r struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Token == "" {
		return "", fmt.Errorf("PocketBase sign-in: %s %v", resp.Status, err)
	}
	return r.Token, nil
}

func listURNs(u, auth string, size *int, parse func([]byte) ([]string, int, error)) ([]string, int, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("%s: %s: %s", u, resp.Status, b)
	}
	*size = len(b)
	return parse(b)
}

// heyResult is what one hey run reports (times in ms).
type heyResult struct {
	n, ok, bad         int // n: asked; ok: answered 200; bad: the rest
	secs, rps          float64
	mean, p50, p99     float64
	statusDistribution string
}

func (h heyResult) String() string {
	return fmt.Sprintf("%d requests in %.2f s: %.1f req/s answered 200, mean %.2f ms, median %.2f ms, p99 %.2f ms; %s",
		h.n, h.secs, h.rps, h.mean, h.p50, h.p99, h.statusDistribution)
}

var (
	heyTotal  = regexp.MustCompile(`Total:\s+([0-9.]+) secs`)
	heyRPS    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	heyAvg    = regexp.MustCompile(`Average:\s+([0-9.]+) secs`)
	heyStatus = regexp.MustCompile(`\[(\d{3})\]\s+(\d+) responses`)
)

// hey runs `hey -n n -c c -disable-compression -H "Authorization: …" url`
// and reads its summary.
func hey(u, auth string, n, c int, headers ...string) (heyResult, error) {
	// -t 120: a slow answer still counts (hey's default gives up at 20 s).
	args := []string{"-n", strconv.Itoa(n), "-c", strconv.Itoa(c), "-t", "120", "-disable-compression", "-H", "Authorization: " + auth}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	out, err := exec.Command("hey", append(args, u)...).CombinedOutput()
	if err != nil {
		return heyResult{}, fmt.Errorf("hey: %w: %s", err, out)
	}
	text := string(out)
	num := func(re *regexp.Regexp) float64 {
		m := re.FindStringSubmatch(text)
		if m == nil {
			return 0
		}
		f, _ := strconv.ParseFloat(m[1], 64)
		return f
	}
	h := heyResult{secs: num(heyTotal), rps: num(heyRPS), mean: 1000 * num(heyAvg)}
	for _, m := range regexp.MustCompile(`(\d+)%+ in ([0-9.]+) secs`).FindAllStringSubmatch(text, -1) {
		f, _ := strconv.ParseFloat(m[2], 64)
		switch m[1] {
		case "50":
			h.p50 = 1000 * f
		case "99":
			h.p99 = 1000 * f
		}
	}
	var parts []string
	h.n = n
	for _, m := range heyStatus.FindAllStringSubmatch(text, -1) {
		k, _ := strconv.Atoi(m[2])
		if m[1] == "200" {
			h.ok += k
		}
		parts = append(parts, "["+m[1]+"] "+m[2])
	}
	h.bad = n - h.ok
	if h.bad > 0 {
		parts = append(parts, fmt.Sprintf("%d not answered 200 (errors or hey's 120 s time-out)", h.bad))
	}
	h.rps = float64(h.ok) / h.secs // answered with 200, a second
	h.statusDistribution = strings.Join(parts, ", ")
	if h.ok == 0 {
		return h, fmt.Errorf("hey answered nothing readable: %s", text)
	}
	return h, nil
}

// sumHey adds runs: requests over total time; latencies as the mean of the
// runs' figures (hey gives no raw samples), weighted by requests.
func sumHey(runs []heyResult) heyResult {
	var s heyResult
	for _, r := range runs {
		s.n += r.n
		s.ok += r.ok
		s.bad += r.bad
		s.secs += r.secs
		s.mean += r.mean * float64(r.n)
		s.p50 += r.p50 * float64(r.n)
		s.p99 += r.p99 * float64(r.n)
	}
	if s.n > 0 {
		s.rps = float64(s.ok) / s.secs
		s.mean /= float64(s.n)
		s.p50 /= float64(s.n)
		s.p99 /= float64(s.n)
	}
	return s
}
