package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

func cmdToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintln(e.stdout, "Usage: senco token create --email USER_EMAIL --name NAME [--days 90]")
			return nil
		}
		return usagef("expected: senco token create --email USER_EMAIL --name NAME [--days 90]")
	}
	return in("token create", tokenCreate(ctx, e, args[1:]))
}

func tokenCreate(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "token create", "--email USER_EMAIL --name NAME [--days 90]",
		"Create an API token that acts as the user, with their organisation and role. The token is printed\n"+
			"once, on standard output; only its hash is kept.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	email := fs.String("email", "", "the user the token acts as")
	name := fs.String("name", "", "what the token is for, e.g. \"CRM sync\"")
	days := fs.Int("days", 90, "days until the token expires (1–366)")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	switch {
	case *email == "":
		return usagef("--email is required")
	case *name == "":
		return usagef("--name is required")
	case domain.TooLong("--name", *name, domain.MaxNameLength) != "":
		return usagef("%s", domain.TooLong("--name", *name, domain.MaxNameLength))
	case *days < 1 || *days > 366:
		return usagef("--days must be from 1 to 366")
	}
	db, err := openExisting(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	u, _, err := db.UserByEmail(ctx, *email)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user has email %s", *email)
	} else if err != nil {
		return err
	}
	if !u.DisabledAt.IsZero() {
		return fmt.Errorf("user %s is disabled", u.Email)
	}
	if !policy.CanUseAPI(u) {
		return fmt.Errorf("%s cannot use the API", a(strings.ToLower(u.Role.Label())))
	}
	secret, hash, err := auth.NewToken("senco_")
	if err != nil {
		return err
	}
	var t store.APIToken
	err = db.InTx(ctx, func(tx *store.Tx) error {
		t, err = tx.CreateAPIToken(ctx, domain.OperatorActor("cli token create"), u.ID, *name, hash, db.Now().Add(time.Duration(*days)*24*time.Hour))
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "Token %d %q for %s (%s, %s), expires %s. It is shown only now:\n",
		t.ID, t.Name, u.Email, u.Role.Label(), u.Org.Name, t.ExpiresAt.Format("2 January 2006 15:04 MST"))
	fmt.Fprintln(e.stdout, secret)
	return nil
}
