package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/register"
	"senco/internal/store"
)

// flags is a command's flag set, with its usage line and description.
func flags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("senco "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: senco %s %s\n\n%s\n", name, args, about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse reads flags anywhere among the arguments ("import settings FILE
// --release D" as well as "import settings --release D FILE") and returns
// the positional arguments. Help goes to stdout; a bad flag is a usage
// error the flag package has already reported.
func parse(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	if slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "-help" || a == "--help" }) {
		fs.SetOutput(e.stdout)
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, usageError{msg: err.Error(), printed: true}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// want checks the number of positional arguments.
func want(pos []string, n int, what string) error {
	switch {
	case len(pos) < n:
		return usagef("missing %s", what)
	case len(pos) > n:
		return usagef("unexpected argument %q", pos[n])
	}
	return nil
}

// envOr is the environment variable's value, or def when it is unset.
func envOr(e *env, name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

// envBool reads a true/false environment variable; unset or unreadable is false.
func envBool(e *env, name string) bool {
	b, _ := strconv.ParseBool(e.getenv(name))
	return b
}

// dbFlag adds --db, defaulting from envName.
func dbFlag(fs *flag.FlagSet, e *env, envName, def string) *string {
	return fs.String("db", envOr(e, envName, def), "database: sqlite:PATH or postgres://… (env "+envName+")")
}

// openExisting opens a database that must already exist and have senco's
// schema, then brings the schema up to date. Only migrate, serve and demo
// create a database: for any other command a mistyped path must be an
// error, not a new empty database that answers every question with zero.
func openExisting(ctx context.Context, dbURL string) (*store.DB, error) {
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist; create it with \"senco migrate --db %s\"", dbURL, dbURL)
		} else if err != nil {
			return nil, fmt.Errorf("database %s: %w", dbURL, err)
		}
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	ok, err := db.HasSchema(ctx)
	if err == nil && !ok {
		err = fmt.Errorf("database %s has no senco schema; create it with \"senco migrate --db %s\"", redact(dbURL), redact(dbURL))
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return prepare(ctx, db)
}

// openDB opens the database, creating it if need be, and brings its schema
// up to date.
func openDB(ctx context.Context, url string) (*store.DB, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	return prepare(ctx, db)
}

// prepare brings an open database's schema up to date and loads the
// reference data, closing the database if either fails.
func prepare(ctx context.Context, db *store.DB) (*store.DB, error) {
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := loadReference(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// loadReference fills the database with the reference data that ships
// inside the binary: the qualification catalogue (every version, idempotent)
// and the local authority list (only when the database has none, so an
// imported newer list is never overwritten).
func loadReference(ctx context.Context, db *store.DB) error {
	if _, err := catalogue.Load(ctx, db); err != nil {
		return fmt.Errorf("qualification catalogue: %w", err)
	}
	las, err := db.AllLocalAuthorities(ctx)
	if err != nil {
		return err
	}
	if len(las) > 0 {
		return nil
	}
	shipped, err := importer.ShippedLocalAuthorities()
	if err != nil {
		return err
	}
	_, err = register.UpsertLocalAuthorities(ctx, db, domain.OperatorActor("shipped reference data"), shipped)
	return err
}

// newLogger logs to stderr: JSON, or text when stderr is a terminal;
// SENCO_LOG_FORMAT (json, text) and SENCO_LOG_LEVEL (debug, info, warn,
// error) override.
func newLogger(e *env) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(envOr(e, "SENCO_LOG_LEVEL", "info"))); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	format := e.getenv("SENCO_LOG_FORMAT")
	if format == "" {
		format = "json"
		if isTerminal(e.stderr) {
			format = "text"
		}
	}
	if strings.EqualFold(format, "text") {
		return slog.New(slog.NewTextHandler(e.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(e.stderr, opts))
}

// openInput opens a file to import; "-" is standard input.
func openInput(e *env, name string) (io.Reader, func(), error) {
	if name == "-" {
		return e.stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// redact hides the password in a database URL, for messages.
func redact(dbURL string) string {
	if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dbURL
}

// fileAndMail is where uploaded files are kept and how notifications are
// mailed.
type fileAndMail struct {
	dir, smtp, from string
}

type fileAndMailFlags struct{ dir, smtp, from *string }

func (f fileAndMailFlags) files() fileAndMail { return fileAndMail{*f.dir, *f.smtp, *f.from} }

// addFileAndMailFlags adds --files, --smtp and --mail-from to serve and
// demo.
func addFileAndMailFlags(fs *flag.FlagSet, e *env, defDir string) fileAndMailFlags {
	return fileAndMailFlags{
		dir:  fs.String("files", envOr(e, "SENCO_FILES", defDir), "directory of uploaded evidence files, kept outside the database (env SENCO_FILES)"),
		smtp: fs.String("smtp", envOr(e, "SENCO_SMTP", ""), "mail server host:port to send notifications by; without it they are only in each person's outbox in the service (env SENCO_SMTP)"),
		from: fs.String("mail-from", envOr(e, "SENCO_MAIL_FROM", "senco@localhost"), "sender address of notifications (env SENCO_MAIL_FROM)"),
	}
}
