// Command senco runs the EY SENCO programme service and its operator tasks.
//
//	senco serve      run the web service and the JSON API
//	senco demo       run the service on a demo database, seeded on first use
//	senco migrate    bring the database schema up to date
//	senco import     import local authorities, an Ofsted register or practitioners
//	senco user add   add a user who signs in
//	senco org        add or list organisations
//	senco token      create an API token
//	senco backup     copy the database consistently while senco serves
//	senco version    print the version
//
// Flags default from SENCO_* environment variables; "senco COMMAND --help"
// lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	_ "time/tzdata" // Europe/London must load wherever senco runs
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// env is what a command reads and writes, so tests can run commands.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web service and the JSON API", cmdServe},
		{"demo", "run the service on a demo database, seeded on first use", cmdDemo},
		{"migrate", "bring the database schema up to date", cmdMigrate},
		{"import", "import local authorities, an Ofsted register or practitioners", cmdImport},
		{"user", "add a user who signs in", cmdUser},
		{"org", "add or list organisations", cmdOrg},
		{"token", "create an API token", cmdToken},
		{"report", "coverage, progress, equity and gap reports as CSV, XLSX or JSON", cmdReport},
		{"backup", "copy the database consistently while senco serves", cmdBackup},
		{"version", "print the version", cmdVersion},
	}
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(e, c.name, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.stderr, "senco: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: senco COMMAND [flags] [arguments]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'senco COMMAND --help' for a command's flags. Flags default from SENCO_* environment variables.")
}

// usageError is a mistake in how a command was called (exit 2).
type usageError struct {
	msg     string
	printed bool   // the flag package has already said it
	cmd     string // the subcommand, e.g. "import settings", when not the command
}

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{msg: fmt.Sprintf(format, args...)} }

// in names the subcommand a usage error came from.
func in(cmd string, err error) error {
	var ue usageError
	if errors.As(err, &ue) && ue.cmd == "" {
		ue.cmd = cmd
		return ue
	}
	return err
}

// a is s with "a" or "an" before it, for messages: "an assessor".
func a(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// errReported is a failure already explained on stderr (exit 1).
var errReported = errors.New("failed")

func exitCode(e *env, name string, err error) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		if !ue.printed {
			fmt.Fprintf(e.stderr, "senco: %s\n", ue.msg)
		}
		if ue.cmd != "" {
			name = ue.cmd
		}
		fmt.Fprintf(e.stderr, "Run 'senco %s --help' for usage.\n", name)
		return exitUsage
	case errors.Is(err, errReported):
		return exitFail
	}
	fmt.Fprintf(e.stderr, "senco: %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	return exitFail
}
