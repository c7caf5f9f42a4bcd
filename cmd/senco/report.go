package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
)

const reportUsage = `Usage: senco report coverage|progress|equity|gap [flags]

  senco report coverage [--as-at DATE] [--by la|region]      coverage of qualified SENCOs by authority or region
  senco report progress --programme ID [--table progress|forecast]
                                                             a programme's progress and suppliers, or its forecast
  senco report equity [--as-at DATE] [--programme ID]        coverage and uptake by deprivation (IMD 2019 decile)
  senco report gap [--as-at DATE] [--la CODE|none]           eligible settings with no qualified SENCO and no one in training

Every report takes --format csv|xlsx|json (default: from --out's extension, else csv), --out FILE
(default: standard output; an XLSX goes to standard output only when it is not a terminal) and --db.
Reports run as the operator, with national scope. Every figure is counted by the definitions the
XLSX and JSON carry with them (DESIGN.md section 4).`

func cmdReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("say which report: coverage, progress, equity or gap")
	}
	switch args[0] {
	case "coverage":
		return in("report coverage", reportCoverage(ctx, e, args[1:]))
	case "progress":
		return in("report progress", reportProgress(ctx, e, args[1:]))
	case "equity":
		return in("report equity", reportEquity(ctx, e, args[1:]))
	case "gap":
		return in("report gap", reportGap(ctx, e, args[1:]))
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, reportUsage)
		return nil
	}
	return usagef("unknown report %q: expected coverage, progress, equity or gap", args[0])
}

// reportFlags are the flags every report takes.
type reportFlags struct {
	db, format, out, asAt *string
}

func addReportFlags(fs *flag.FlagSet, e *env) reportFlags {
	return reportFlags{
		db:     dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db"),
		format: fs.String("format", "", "csv, xlsx or json (default: from --out's extension, else csv)"),
		out:    fs.String("out", "", "write to this file (default: standard output)"),
		asAt:   fs.String("as-at", "", "the date the figures are counted on, YYYY-MM-DD (default: today)"),
	}
}

// check reads the common flags: the format, and the as-at date.
func (f reportFlags) check(e *env) (format string, asAt domain.Date, err error) {
	format = strings.ToLower(strings.TrimSpace(*f.format))
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(*f.out)), ".")
		if format != "xlsx" && format != "json" {
			format = "csv"
		}
	}
	switch format {
	case "csv", "json":
	case "xlsx":
		if *f.out == "" && isTerminal(e.stdout) {
			return "", asAt, usagef("an XLSX file is not for a terminal: give --out FILE, or redirect standard output")
		}
	default:
		return "", asAt, usagef("--format must be csv, xlsx or json, not %q", *f.format)
	}
	asAt = domain.Today()
	if *f.asAt != "" {
		if asAt, err = domain.ParseDate(strings.TrimSpace(*f.asAt)); err != nil {
			return "", asAt, usagef("--as-at: %v", err)
		}
	}
	return format, asAt, nil
}

// write encodes the tables (CSV and JSON take the first) and writes them
// to --out or standard output.
func (f reportFlags) write(e *env, format string, tables ...report.Table) error {
	var b bytes.Buffer
	var err error
	switch format {
	case "csv":
		err = report.WriteCSV(&b, tables[0])
	case "json":
		err = report.WriteJSON(&b, tables[0])
	case "xlsx":
		err = report.WriteXLSXBook(&b, tables...)
	}
	if err != nil {
		return err
	}
	if *f.out == "" {
		_, err := e.stdout.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(*f.out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "senco: wrote %s: %s\n", *f.out, tables[0].Title)
	return nil
}

var operatorScope = policy.Scope{Kind: policy.National}

func reportCoverage(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "report coverage", "[--as-at DATE] [--by la|region] [--format csv|xlsx|json] [--out FILE]",
		"Coverage of qualified SENCOs on a date: for every local authority (or region), eligible settings, those with a\n"+
			"qualified SENCO and with someone in training, and coverage, for group settings, childminders and all; the\n"+
			"settings Ofsted filed under no authority are their own row, and the last row is England.")
	rf := addReportFlags(fs, e)
	by := fs.String("by", "la", "la (one row per local authority) or region")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	format, asAt, err := rf.check(e)
	if err != nil {
		return err
	}
	if *by != "la" && *by != "region" {
		return usagef("--by must be la or region, not %q", *by)
	}
	db, err := openExisting(ctx, *rf.db)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := report.BuildCoverage(ctx, db, operatorScope, asAt)
	if err != nil {
		return err
	}
	t, err := c.Table(*by)
	if err != nil {
		return err
	}
	return rf.write(e, format, t)
}

func reportProgress(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "report progress", "--programme ID [--table progress|forecast] [--format csv|xlsx|json] [--out FILE]",
		"A programme's progress as it stands today: applications, eligible, enrolled, in training, completed,\n"+
			"certified, withdrawn (by reason) and deferred against the target, then each supplier side by side (places\n"+
			"allocated, filled, retention, completion); or (--table forecast) the forecast of completions by month. An\n"+
			"XLSX has both tables.")
	rf := addReportFlags(fs, e)
	prog := fs.String("programme", "", "the programme's id (senco lists them on its Programmes page)")
	which := fs.String("table", "progress", "for CSV and JSON: progress or forecast")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	format, asAt, err := rf.check(e)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimSpace(*prog), 10, 64)
	if *prog == "" {
		return usagef("--programme ID is required")
	}
	if err != nil || id <= 0 {
		return usagef("--programme must be a programme's id (a whole number), not %q", *prog)
	}
	if *which != "progress" && *which != "forecast" {
		return usagef("--table must be progress or forecast, not %q", *which)
	}
	db, err := openExisting(ctx, *rf.db)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := report.BuildProgress(ctx, db, operatorScope, id, asAt)
	switch {
	case errors.Is(err, report.ErrPastProgress):
		return usagef("--as-at: %v", err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("there is no programme %d", id)
	case err != nil:
		return err
	}
	tables := []report.Table{r.Table(), r.ForecastTable()}
	if *which == "forecast" && format != "xlsx" {
		tables = tables[1:]
	}
	return rf.write(e, format, tables...)
}

func reportEquity(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "report equity", "[--as-at DATE] [--programme ID] [--format csv|xlsx|json] [--out FILE]",
		"Coverage and uptake by the deprivation of the local authority: one row per IMD 2019 decile (1 = the most\n"+
			"deprived tenth of authorities), with applications and certified practitioners of the programme (default:\n"+
			"every programme).")
	rf := addReportFlags(fs, e)
	prog := fs.Int64("programme", 0, "count the applications of this programme only")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	format, asAt, err := rf.check(e)
	if err != nil {
		return err
	}
	db, err := openExisting(ctx, *rf.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if *prog != 0 {
		if _, err := db.Programme(ctx, *prog); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("there is no programme %d", *prog)
		} else if err != nil {
			return err
		}
	}
	rows, err := report.BuildEquity(ctx, db, operatorScope, asAt, *prog)
	if err != nil {
		return err
	}
	return rf.write(e, format, report.EquityTable(rows, asAt))
}

func reportGap(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "report gap", "[--as-at DATE] [--la CODE|none] [--all] [--format csv|xlsx|json] [--out FILE]",
		"The gap list: every eligible setting with no qualified SENCO and no one in training on the date, with its\n"+
			"type, places and latest inspection outcome; --la limits it to one authority (none: the settings Ofsted filed\n"+
			"under no authority), --all lists every eligible setting with its flags.")
	rf := addReportFlags(fs, e)
	la := fs.String("la", "", "one authority's GSS code, or none")
	all := fs.Bool("all", false, "every eligible setting, not only the gap")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	format, asAt, err := rf.check(e)
	if err != nil {
		return err
	}
	code := strings.TrimSpace(*la)
	if code != "none" {
		code = strings.ToUpper(code)
	}
	db, err := openExisting(ctx, *rf.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if code != "" && code != "none" {
		if _, err := db.LocalAuthority(ctx, operatorScope, code); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no local authority has code %s", code)
		} else if err != nil {
			return err
		}
	}
	rows, err := db.CoverageSettings(ctx, operatorScope, asAt, code, !*all)
	if err != nil {
		return err
	}
	t := report.GapTable(rows, asAt)
	if *all {
		t.Name, t.Title = "settings", "Eligible settings and their coverage, as at "+asAt.Long()
	}
	return rf.write(e, format, t)
}
