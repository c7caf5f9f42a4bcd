package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/register"
	"senco/internal/store"
)

const importAbout = `Import a file. The whole file is checked first, then checked against the database, then written
in one transaction: either all of it is imported, or nothing is and every problem is listed
(file, row, column, value, what was expected).

  senco import las FILE | --shipped
      local authorities (code, dfe_code, name, ofsted_name, region_code, region_name, type,
      started_on, ended_on); --shipped imports the list built into senco
  senco import settings FILE [--release YYYY-MM-DD] [--confirm-closures]
      a release of Ofsted's "Childcare providers and inspections" provider-level file (CSV or .csv.gz)
  senco import practitioners FILE --org ID
      practitioners and their employments, recorded for organisation ID (see senco org list)

FILE "-" reads standard input.`

func cmdImport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("say what to import: las, settings or practitioners")
	}
	switch args[0] {
	case "las":
		return in("import las", importLAs(ctx, e, args[1:]))
	case "settings":
		return in("import settings", importSettings(ctx, e, args[1:]))
	case "practitioners":
		return in("import practitioners", importPractitioners(ctx, e, args[1:]))
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, "Usage: senco import las|settings|practitioners FILE [flags]\n\n"+importAbout)
		return nil
	}
	return usagef("unknown import %q: expected las, settings or practitioners", args[0])
}

func importLAs(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "import las", "FILE | --shipped", "Import local authorities: new codes are added, changed ones updated; none are deleted.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	shipped := fs.Bool("shipped", false, "import the list of English local authorities built into senco")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if *shipped {
		if err := want(pos, 0, ""); err != nil {
			return usagef("give a FILE or --shipped, not both")
		}
	} else if err := want(pos, 1, "FILE (or --shipped)"); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	actor := domain.OperatorActor("cli import las")
	var sum store.LASummary
	what := "the shipped list"
	if *shipped {
		las, err := importer.ShippedLocalAuthorities()
		if err != nil {
			return err
		}
		sum, err = register.UpsertLocalAuthorities(ctx, db, actor, las)
		if err != nil {
			return err
		}
	} else {
		what = pos[0]
		r, done, err := openInput(e, pos[0])
		if err != nil {
			return err
		}
		defer done()
		sum, err = register.ImportLocalAuthorities(ctx, db, actor, pos[0], r)
		if err != nil {
			return refused(e, pos[0], err)
		}
	}
	fmt.Fprintf(e.stdout, "Local authorities from %s: %d added, %d updated, %d unchanged.\n", what, sum.Added, sum.Updated, sum.Unchanged)
	return nil
}

func importSettings(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "import settings", "FILE [--release YYYY-MM-DD] [--confirm-closures]",
		"Import a release of Ofsted's register. Settings are matched by URN: new ones are added, changed ones\n"+
			"updated, and active settings missing from the release are closed on the release date. Nothing is deleted.\n"+
			"The release date is taken from a date in the file name (e.g. ..._2021-08-31.csv); otherwise --release is required.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	releaseFlag := fs.String("release", "", "the date of the release, YYYY-MM-DD (default: the date in the file name)")
	confirm := fs.Bool("confirm-closures", false, fmt.Sprintf("allow a release that closes more than %.0f%% of the active register", store.MaxClosureShare*100))
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 1, "FILE"); err != nil {
		return err
	}
	file := pos[0]
	var release domain.Date
	switch {
	case *releaseFlag != "":
		if release, err = domain.ParseDate(*releaseFlag); err != nil {
			return usagef("--release: %v", err)
		}
	default:
		var ok bool
		if release, ok = register.ReleaseDateFromName(file); !ok {
			return usagef("the release date is needed: the file name %q has no date like 2021-08-31 in it, so give --release YYYY-MM-DD", filepath.Base(file))
		}
	}
	db, err := openExisting(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	r, done, err := openInput(e, file)
	if err != nil {
		return err
	}
	defer done()
	sum, warnings, err := register.ImportSettings(ctx, db, domain.OperatorActor("cli import settings"), file, r, release, *confirm)
	if errors.Is(err, store.ErrTooManyClosures) {
		fmt.Fprintf(e.stderr, "senco: %s refused; nothing was changed.\n", filepath.Base(file))
		fmt.Fprintf(e.stderr, "  Rows read: %d; settings that would be added %d, updated %d, unchanged %d, closed %d of the %d active.\n",
			sum.Rows, sum.Added, sum.Updated, sum.Unchanged, sum.Closed, sum.ActiveBefore)
		fmt.Fprintf(e.stderr, "  %v\n", err)
		return errReported
	}
	if err != nil {
		return refused(e, file, err)
	}
	fmt.Fprintf(e.stdout, "Register release %s from %s: %d rows; %d added, %d updated, %d unchanged, %d closed.\n",
		release, filepath.Base(file), sum.Rows, sum.Added, sum.Updated, sum.Unchanged, sum.Closed)
	if n := len(sum.ClosedURNs); n > 0 {
		fmt.Fprintf(e.stdout, "Closed on %s (missing from this release): %s\n", release.Long(), list(sum.ClosedURNs, 50))
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "senco: warning: %s\n", w)
	}
	return nil
}

func importPractitioners(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "import practitioners", "FILE --org ID",
		"Import practitioners and their employments, one employment a row (given_name, family_name, email,\n"+
			"date_of_birth, qualification_level, qts, eyts, qtls, prior_sen_training, setting_urn, role, started_on,\n"+
			"ended_on), recorded for organisation ID. A person already recorded by the organisation (same email, or\n"+
			"same names and date of birth) is matched, not duplicated; importing the same file twice changes nothing.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	orgID := fs.Int64("org", 0, "the organisation recording the practitioners (an id from senco org list)")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 1, "FILE"); err != nil {
		return err
	}
	if *orgID <= 0 {
		return usagef("--org ID is required: the organisation recording the practitioners (see senco org list)")
	}
	db, err := openExisting(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.Organisation(ctx, *orgID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no organisation has id %d (see senco org list)", *orgID)
	} else if err != nil {
		return err
	}
	r, done, err := openInput(e, pos[0])
	if err != nil {
		return err
	}
	defer done()
	// The operator acts with the programme team's reach, for org.
	operator := domain.User{Email: "operator", Name: "operator (cli)", Role: domain.RoleProgrammeTeam, Org: org}
	actor := domain.OperatorActor("cli import practitioners")
	actor.OrgID = org.ID
	sum, err := register.ImportPractitioners(ctx, db, actor, operator, pos[0], r)
	if err != nil {
		return refused(e, pos[0], err)
	}
	fmt.Fprintf(e.stdout, "Practitioners from %s for %s: %d rows; %d practitioners added, %d already recorded; employments: %d added, %d ended, %d unchanged.\n",
		filepath.Base(pos[0]), org.Name, sum.Rows, sum.PractitionersAdded, sum.PractitionersKnown, sum.EmploymentsAdded, sum.EmploymentsEnded, sum.EmploymentsUnchanged)
	for _, w := range sum.Warnings {
		fmt.Fprintf(e.stderr, "senco: warning: %s\n", w)
	}
	return nil
}

// refused reports an import's problems, one a line, on stderr.
func refused(e *env, file string, err error) error {
	var p *importer.Problems
	if !errors.As(err, &p) {
		return err
	}
	n := strconv.Itoa(p.Total) + " problems"
	if p.Total == 1 {
		n = "1 problem"
	}
	fmt.Fprintf(e.stderr, "senco: %s refused (%s); nothing was changed.\n", filepath.Base(file), n)
	for _, q := range p.List {
		fmt.Fprintf(e.stderr, "  %s\n", q)
	}
	if more := p.Total - len(p.List); more > 0 {
		fmt.Fprintf(e.stderr, "  … and %d more\n", more)
	}
	return errReported
}

// list joins up to n items, sorted, saying how many more there are.
func list(xs []string, n int) string {
	xs = slices.Sorted(slices.Values(xs))
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}
