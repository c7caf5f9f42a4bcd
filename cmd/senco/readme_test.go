package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readmeSection returns the command lines of the first code block under
// the README heading, without their trailing comments.
func readmeSection(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "```\n")
	if !ok {
		t.Fatalf("README.md section %q has no code block", heading)
	}
	block, _, _ = strings.Cut(block, "```")
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(block))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "  #"); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// TestReadmeUseItForReal runs the README's "Use it for real" lines in
// order, as written, in a new directory: the database path and the ports
// are swapped for temporary ones, the register file named is a small
// register under that name, and the password comes as a script gives it
// (SENCO_PASSWORD). Then it signs in as the user the lines made, and checks
// that /metrics is on the metrics address only.
func TestReadmeUseItForReal(t *testing.T) {
	lines := readmeSection(t, "Use it for real")
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	const password = "a long enough password for the README"
	subst := strings.NewReplacer(
		"/var/lib/senco/senco.db", filepath.Join(dir, "senco.db"),
		"127.0.0.1:8080", addr,
		"127.0.0.1:9090", metricsAddr,
	)
	gzipFile(t, "../../internal/register/testdata/ofsted_2021-08-31_small.csv", filepath.Join(dir, "ofsted_childcare_providers_2021-08-31.csv.gz"))

	var env []string
	for _, kv := range os.Environ() { // the section must not lean on the tester's settings
		if !strings.HasPrefix(kv, "SENCO_") {
			env = append(env, kv)
		}
	}
	env = append(env, "SENCO_PASSWORD="+password)
	for i, written := range lines {
		line := subst.Replace(written)
		if name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			env = append(withoutVar(env, name), name+"="+value)
			continue
		}
		cmd := exec.Command("bash", "-c", line)
		cmd.Env, cmd.Dir = env, dir
		if strings.HasPrefix(line, "go build") {
			// Build from the module, into the new directory.
			cmd = exec.Command("bash", "-c", strings.Replace(line, "-o senco", "-o "+filepath.Join(dir, "senco"), 1))
			cmd.Env, cmd.Dir = env, root
		}
		if strings.Contains(line, "./senco serve") {
			serveReadme(t, cmd, addr, metricsAddr, password)
			if i != len(lines)-1 {
				t.Fatalf("serve is not the last line: %q", lines[i+1:])
			}
			return
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("README line %d %q: %v\n%s", i+1, written, err, out)
		}
		if strings.Contains(line, "import settings") && !strings.Contains(string(out), "5 added") {
			t.Errorf("README line %d %q:\n%s", i+1, written, out)
		}
		if strings.Contains(line, "org add") && strings.TrimSpace(string(out)) != "1" {
			t.Errorf("README line %d %q printed %q, but the next line uses --org 1", i+1, written, out)
		}
	}
	t.Fatal("the README section does not end by serving")
}

// serveReadme starts serve, signs in, checks /metrics, and stops it as
// SIGTERM would.
func serveReadme(t *testing.T, cmd *exec.Cmd, addr, metricsAddr, password string) {
	t.Helper()
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // bash and senco, stopped together
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not stop cleanly on SIGTERM: %v\n%s", err, logs.String())
			}
		case <-time.After(30 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Error("serve did not stop within 30 s of SIGTERM")
		}
	}()
	base := "http://" + addr
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, logs.String())
		case <-ctx.Done():
			t.Fatalf("serve did not answer on %s\n%s", addr, logs.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/sign-in", url.Values{"email": {"you@example.org"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("signing in as the README's user: %d", res.StatusCode)
	}
	if res, err := http.Get(base + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on --addr: %v %v", res.StatusCode, err)
	}
	res, err = http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "senco_http_requests_total") {
		t.Errorf("/metrics on --metrics-addr: %d", res.StatusCode)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func gzipFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func withoutVar(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
