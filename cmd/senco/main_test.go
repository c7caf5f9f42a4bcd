package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"senco/internal/auth"
	"senco/internal/store"
)

// cli runs senco commands against one SQLite database in a temporary
// directory.
type cli struct {
	t   *testing.T
	dir string
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	dir := t.TempDir()
	return &cli{t: t, dir: dir, env: map[string]string{"SENCO_DB": "sqlite:" + filepath.Join(dir, "senco.db")}}
}

// run runs one command line and returns its exit code and output.
func (c *cli) run(stdin string, args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return c.env[k] }}
	code = run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

// must runs a command that must succeed.
func (c *cli) must(args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("senco %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func (c *cli) file(name, content string) string {
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

func TestUsageAndHelp(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		args []string
		code int
		out  string // in stdout or stderr
	}{
		{nil, exitUsage, "Usage: senco COMMAND"},
		{[]string{"--help"}, exitOK, "Commands:"},
		{[]string{"nonsense"}, exitUsage, `unknown command "nonsense"`},
		{[]string{"version"}, exitOK, "senco "},
		{[]string{"serve", "--help"}, exitOK, "-secure-cookies"},
		{[]string{"serve", "--bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"demo", "--help"}, exitOK, "--fresh"},
		{[]string{"import", "settings", "--help"}, exitOK, "-confirm-closures"},
		{[]string{"import", "settings", "providers.csv"}, exitUsage, "give --release YYYY-MM-DD"},
		{[]string{"import", "settings", "providers.csv", "--release", "31/08/2021"}, exitUsage, "senco import settings --help"},
		{[]string{"import", "practitioners", "x.csv"}, exitUsage, "--org ID is required"},
		{[]string{"import", "other"}, exitUsage, "unknown import"},
		{[]string{"user", "add", "--email", "x@example.org", "--name", "X", "--role", "boss", "--org", "1"}, exitUsage, "--role must be one of"},
		{[]string{"org", "add", "--kind", "la", "--name", "Leeds"}, exitUsage, "--la CODE is required"},
		{[]string{"token", "create", "--email", "x@example.org"}, exitUsage, "--name is required"},
		{[]string{"demo", "--fresh", "--db", "postgres://localhost/x"}, exitUsage, "works only on an SQLite demo database"},
	} {
		code, out, errOut := c.run("", tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.out) {
			t.Errorf("senco %s: exit %d, output\n%s%s\nwant exit %d and %q", strings.Join(tc.args, " "), code, out, errOut, tc.code, tc.out)
		}
	}
}

func TestImportsAndAccounts(t *testing.T) {
	c := newCLI(t)
	register := "../../internal/register/testdata/ofsted_2021-08-31_small.csv"

	// A new database has the shipped authorities, so the register imports
	// straight away; loading the list again changes nothing.
	c.must("migrate")
	if out := c.must("import", "las", "--shipped"); !strings.Contains(out, "0 added") {
		t.Errorf("import las: %s", out)
	}
	code, out, errOut := c.run("", "import", "settings", register)
	if code != 0 || !strings.Contains(out, "release 2021-08-31") || !strings.Contains(out, "5 added") || !strings.Contains(errOut, "EY243486") {
		t.Errorf("import settings: exit %d\n%s%s", code, out, errOut)
	}
	// A bad file: problems on stderr, exit 1, nothing changed.
	data, err := os.ReadFile(register)
	if err != nil {
		t.Fatal(err)
	}
	bad := c.file("bad.csv", strings.Replace(string(data), "04/01/1989", "31/02/1989", 1))
	code, _, errOut = c.run("", "import", "settings", bad, "--release", "2021-09-30")
	if code != exitFail || !strings.Contains(errOut, `bad.csv row 2, column "Registration date": "31/02/1989"`) || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("bad register: exit %d, %s", code, errOut)
	}
	// A partial release needs confirming.
	partial := c.file("partial_2021-09-30.csv", strings.Join(strings.SplitAfter(string(data), "\n")[:2], ""))
	code, _, errOut = c.run("", "import", "settings", partial)
	if code != exitFail || !strings.Contains(errOut, "--confirm-closures") {
		t.Errorf("partial register: exit %d, %s", code, errOut)
	}

	la := strings.TrimSpace(c.must("org", "add", "--kind", "la", "--name", "Leeds City Council", "--la", "E08000035"))
	nursery := strings.TrimSpace(c.must("org", "add", "--kind", "setting", "--name", "Rosewood Nursery", "--setting", "319354"))
	if again := strings.TrimSpace(c.must("org", "add", "--kind", "la", "--name", "Leeds City Council", "--la", "E08000035")); again != la {
		t.Errorf("adding an organisation twice: ids %s and %s", la, again)
	}
	// Many nurseries share a name: a second setting of the same name is its own organisation.
	if other := strings.TrimSpace(c.must("org", "add", "--kind", "setting", "--name", "Rosewood Nursery", "--setting", "EY101465")); other == nursery {
		t.Errorf("a second setting of the same name got the first one's organisation %s", other)
	}
	code, _, errOut = c.run("", "org", "add", "--kind", "setting", "--name", "Another Name", "--setting", "319354")
	if code != exitFail || !strings.Contains(errOut, "already stands for that authority or setting") {
		t.Errorf("a second organisation for one setting: exit %d, %s", code, errOut)
	}
	if out := c.must("org", "list"); !strings.Contains(out, "Rosewood Nursery") || !strings.Contains(out, "E08000035") {
		t.Errorf("org list:\n%s", out)
	}

	staff := "given_name,family_name,email,date_of_birth,qualification_level,setting_urn,role,started_on,ended_on\n" +
		"Ada,Example,ada.example@example.com,1985-03-14,6,319354,SENCO,2019-09-02,\n" +
		"Ben,Sample,,1992-11-30,3,EY101465,Practitioner,2021-01-04,\n"
	good := c.file("staff.csv", staff)
	if out := c.must("import", "practitioners", good, "--org", la); !strings.Contains(out, "2 practitioners added") {
		t.Errorf("import practitioners: %s", out)
	}
	if out := c.must("import", "practitioners", "--org", la, good); !strings.Contains(out, "2 already recorded") || !strings.Contains(out, "2 unchanged") {
		t.Errorf("re-import practitioners: %s", out)
	}
	unknown := c.file("unknown.csv", staff+"Cy,New,cy@example.org,1990-01-01,3,EY999999,Practitioner,2022-01-01,\n")
	code, _, errOut = c.run("", "import", "practitioners", unknown, "--org", la)
	if code != exitFail || !strings.Contains(errOut, `unknown.csv row 4, column "setting_urn": "EY999999"`) {
		t.Errorf("unknown URN: exit %d, %s", code, errOut)
	}

	// Users: password from stdin, from the environment, and refused.
	code, out, errOut = c.run("a-long-password-1\n", "user", "add", "--email", "jo@example.org", "--name", "Jo Example", "--role", "la_officer", "--org", la, "--password-stdin")
	if code != 0 || !strings.Contains(out, "Added user") {
		t.Fatalf("user add: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = c.run("a-long-password-1\n", "user", "add", "--email", "jm@example.org", "--name", "J M", "--role", "la_officer", "--org", nursery, "--password-stdin")
	if code != exitFail || !strings.Contains(errOut, "belongs to a local authority organisation") {
		t.Errorf("LA officer in a setting: exit %d, %s", code, errOut)
	}
	code, _, errOut = c.run("", "user", "add", "--email", "jm@example.org", "--name", "J M", "--role", "setting_manager", "--org", nursery)
	if code != exitUsage || !strings.Contains(errOut, "no password") {
		t.Errorf("no password: exit %d, %s", code, errOut)
	}
	c.env["SENCO_PASSWORD"] = "another-long-password"
	c.must("user", "add", "--email", "jm@example.org", "--name", "J M", "--role", "setting_manager", "--org", nursery)
	db, err := store.Open(context.Background(), c.env["SENCO_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, hash, err := db.UserByEmail(context.Background(), "jm@example.org")
	if err != nil || u.Org.SettingURN != "319354" {
		t.Fatalf("added manager: %+v, %v", u, err)
	}
	if ok, _ := auth.NewHasher(auth.DefaultParams, 1).Verify(context.Background(), hash, "another-long-password"); !ok {
		t.Error("the password from SENCO_PASSWORD does not verify")
	}

	// Tokens: printed once on stdout; a setting manager may not have one.
	code, out, errOut = c.run("", "token", "create", "--email", "jo@example.org", "--name", "CRM sync", "--days", "30")
	if code != 0 || !strings.HasPrefix(out, "senco_") || strings.Count(out, "\n") != 1 {
		t.Errorf("token create: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	tu, _, err := db.APITokenUser(context.Background(), auth.HashToken(strings.TrimSpace(out)))
	if err != nil || tu.Email != "jo@example.org" {
		t.Errorf("the printed token does not act as jo: %+v, %v", tu, err)
	}
	code, _, errOut = c.run("", "token", "create", "--email", "jm@example.org", "--name", "x")
	if code != exitFail || !strings.Contains(errOut, "cannot use the API") {
		t.Errorf("token for a setting manager: exit %d, %s", code, errOut)
	}
}

// TestServe starts the server on a free port, fetches the sign-in page and
// stops it as SIGINT would.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := openDB(ctx, "sqlite:"+filepath.Join(dir, "senco.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var status int
	var body string
	err = serveHTTP(ctx, newLogger(&env{stderr: io.Discard, getenv: func(string) string { return "" }}), db, auth.NewHasher(auth.FastParams, 1),
		server{addr: "127.0.0.1:0", ready: func(url string) {
			defer cancel()
			resp, err := http.Get(url + "sign-in")
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			status, body = resp.StatusCode, string(b)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK || !strings.Contains(body, "password") {
		t.Errorf("GET /sign-in: %d\n%.300s", status, body)
	}
}

// TestDemo runs senco demo on a new SQLite file: it seeds, prints the
// sign-ins, serves the sign-in page listing them, and on a second start
// reuses the database.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("senco demo seeds a few thousand rows")
	}
	db := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	for _, want := range []string{"Seeded the demo database", "seeded before"} {
		ctx, cancel := context.WithCancel(context.Background())
		r, w := io.Pipe()
		done := make(chan int)
		go func() {
			defer w.Close()
			done <- run(ctx, []string{"demo", "--db", db, "--addr", "127.0.0.1:0"}, &env{stdin: strings.NewReader(""), stdout: w, stderr: io.Discard, getenv: func(string) string { return "" }})
		}()
		var printed strings.Builder
		buf := make([]byte, 4096)
		for !strings.Contains(printed.String(), "Press Ctrl+C") {
			n, err := r.Read(buf)
			printed.Write(buf[:n])
			if err != nil {
				t.Fatalf("senco demo stopped early:\n%s", printed.String())
			}
		}
		out := printed.String()
		if !strings.Contains(out, want) || !strings.Contains(out, "la.leeds@demo.senco.example") || !strings.Contains(out, "senco-demo-2026") {
			t.Errorf("senco demo printed:\n%s\nwant %q and the sign-ins", out, want)
		}
		_, rest, _ := strings.Cut(out, "ready at ")
		url, _, _ := strings.Cut(rest, " ")
		resp, err := http.Get(url + "sign-in")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "manager.hackney@demo.senco.example") {
			t.Errorf("the sign-in page does not list the demo sign-ins:\n%.500s", body)
		}
		cancel()
		go io.Copy(io.Discard, r)
		if code := <-done; code != 0 {
			t.Errorf("senco demo exit %d", code)
		}
	}
}
