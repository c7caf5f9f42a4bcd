package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"unicode/utf8"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// minPassword is the shortest password the command line accepts.
const minPassword = 12

func roleNames() string {
	var s []string
	for _, r := range domain.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func cmdUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintln(e.stdout, "Usage: senco user add --email E --name N --role ROLE --org ID [--practitioner ID] [--password-stdin]")
			return nil
		}
		return usagef("expected: senco user add --email E --name N --role ROLE --org ID")
	}
	return in("user add", userAdd(ctx, e, args[1:]))
}

func userAdd(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "user add", "--email E --name N --role ROLE --org ID [--practitioner ID] [--password-stdin]",
		"Add a user who signs in with email and password. The password is read from standard input with\n"+
			"--password-stdin, else from SENCO_PASSWORD, else prompted for on the terminal. The role must suit the\n"+
			"organisation's kind (e.g. la_officer in an la organisation); a practitioner user is linked to their\n"+
			"practitioner record with --practitioner.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	email := fs.String("email", "", "email address to sign in with")
	name := fs.String("name", "", "full name")
	roleFlag := fs.String("role", "", "one of "+roleNames())
	orgID := fs.Int64("org", 0, "organisation id (see senco org list)")
	practitionerID := fs.Int64("practitioner", 0, "for role practitioner: the practitioner record's id")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	role, ok := domain.ParseRole(*roleFlag)
	switch {
	case *email == "":
		return usagef("--email is required")
	case !validEmail(*email):
		return usagef("--email %q is not an email address", *email)
	case strings.TrimSpace(*name) == "":
		return usagef("--name is required")
	case domain.TooLong("--name", strings.TrimSpace(*name), domain.MaxNameLength) != "":
		return usagef("%s", domain.TooLong("--name", strings.TrimSpace(*name), domain.MaxNameLength))
	case domain.TooLong("--email", *email, domain.MaxEmailLength) != "":
		return usagef("%s", domain.TooLong("--email", *email, domain.MaxEmailLength))
	case !ok:
		return usagef("--role must be one of %s", roleNames())
	case *orgID <= 0:
		return usagef("--org ID is required (see senco org list)")
	case role == domain.RoleLearner && *practitionerID <= 0:
		return usagef("a practitioner user needs --practitioner ID, the practitioner record they are")
	case role != domain.RoleLearner && *practitionerID != 0:
		return usagef("--practitioner is only for role practitioner")
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
	if role.OrgKind() != org.Kind {
		return fmt.Errorf("%s belongs to %s organisation, but %q is %s", a(strings.ToLower(role.Label())), a(strings.ToLower(role.OrgKind().Label())), org.Name, a(strings.ToLower(org.Kind.Label())))
	}
	if *practitionerID != 0 {
		if _, err := db.Practitioner(ctx, policy.Scope{Kind: policy.National}, *practitionerID); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no practitioner has id %d", *practitionerID)
		} else if err != nil {
			return err
		}
	}
	password, err := readPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	hash, err := newHasher().Hash(ctx, password)
	if err != nil {
		return err
	}
	u := domain.User{Email: *email, Name: strings.TrimSpace(*name), Role: role, Org: org, PractitionerID: *practitionerID}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		u, err = tx.CreateUser(ctx, domain.OperatorActor("cli user add"), u, hash)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added user %d: %s, %s at %s.\n", u.ID, u.Email, role.Label(), org.Name)
	return nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// readPassword gets the new user's password from standard input, the
// environment or the terminal.
func readPassword(e *env, fromStdin bool) (string, error) {
	var pw string
	switch {
	case fromStdin:
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw = strings.TrimRight(line, "\r\n")
	case e.getenv("SENCO_PASSWORD") != "":
		pw = e.getenv("SENCO_PASSWORD")
	case isTerminal(e.stdin):
		f := e.stdin.(*os.File)
		fmt.Fprint(e.stderr, "Password: ")
		first, err := readHidden(f)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "Password again: ")
		again, err := readHidden(f)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if first != again {
			return "", errors.New("the passwords do not match")
		}
		pw = first
	default:
		return "", usagef("no password: give it on standard input with --password-stdin, in SENCO_PASSWORD, or run in a terminal to be asked")
	}
	if utf8.RuneCountInString(pw) < minPassword {
		return "", fmt.Errorf("the password must be at least %d characters", minPassword)
	}
	return pw, nil
}
