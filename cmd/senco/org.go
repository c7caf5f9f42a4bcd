package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

var orgKinds = []domain.OrgKind{domain.OrgProgramme, domain.OrgSupplier, domain.OrgAwarding, domain.OrgLA, domain.OrgSetting}

func kindNames() string {
	var s []string
	for _, k := range orgKinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

func cmdOrg(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: add or list")
	}
	switch args[0] {
	case "add":
		return in("org add", orgAdd(ctx, e, args[1:]))
	case "list":
		return in("org list", orgList(ctx, e, args[1:]))
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, "Usage: senco org add|list [flags]\n\n  senco org add --kind K --name N [--la CODE] [--setting URN]   add an organisation, print its id\n  senco org list                                                list organisations")
		return nil
	}
	return usagef("unknown org command %q: expected add or list", args[0])
}

func orgAdd(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "org add", "--kind K --name N [--la CODE] [--setting URN]",
		"Add an organisation for users to belong to, and print its id. A local authority organisation names its\n"+
			"authority (--la GSS code), a setting organisation its setting (--setting Ofsted URN). If the organisation\n"+
			"exists already (same kind and name, authority or setting), its id is printed and nothing changes.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	kind := fs.String("kind", "", "kind of organisation: "+kindNames())
	name := fs.String("name", "", "the organisation's name")
	la := fs.String("la", "", "for kind la: the authority's GSS code, e.g. E08000035")
	urn := fs.String("setting", "", "for kind setting: the setting's Ofsted URN")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	o := domain.Organisation{Kind: domain.OrgKind(*kind), Name: strings.TrimSpace(*name), LACode: strings.ToUpper(strings.TrimSpace(*la)), SettingURN: strings.ToUpper(strings.TrimSpace(*urn))}
	switch {
	case !slices.Contains(orgKinds, o.Kind):
		return usagef("--kind must be one of %s", kindNames())
	case o.Name == "":
		return usagef("--name is required")
	case domain.TooLong("--name", o.Name, domain.MaxTitleLength) != "":
		return usagef("%s", domain.TooLong("--name", o.Name, domain.MaxTitleLength))
	case o.Kind == domain.OrgLA && o.LACode == "":
		return usagef("--la CODE is required for a local authority organisation")
	case o.Kind == domain.OrgSetting && o.SettingURN == "":
		return usagef("--setting URN is required for a setting organisation")
	case o.Kind != domain.OrgLA && o.LACode != "":
		return usagef("--la is only for --kind la")
	case o.Kind != domain.OrgSetting && o.SettingURN != "":
		return usagef("--setting is only for --kind setting")
	}
	db, err := openExisting(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	all := policy.Scope{Kind: policy.National}
	if o.LACode != "" {
		if _, err := db.LocalAuthority(ctx, all, o.LACode); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no local authority has code %s (import them first: senco import las --shipped)", o.LACode)
		} else if err != nil {
			return err
		}
	}
	if o.SettingURN != "" {
		if _, err := db.Setting(ctx, all, o.SettingURN); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no setting has URN %s (import the register first: senco import settings FILE)", o.SettingURN)
		} else if err != nil {
			return err
		}
	}
	before, err := db.Organisations(ctx)
	if err != nil {
		return err
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		o, err = tx.CreateOrganisation(ctx, domain.OperatorActor("cli org add"), o)
		return err
	})
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(before, func(b domain.Organisation) bool { return b.ID == o.ID }); i >= 0 {
		b := before[i]
		// The store matches a setting's or an authority's organisation by
		// its setting or authority: say so when the name given differs.
		if b.Name != o.Name {
			return fmt.Errorf("organisation %d (%s %q) already stands for that authority or setting", b.ID, b.Kind, b.Name)
		}
		fmt.Fprintf(e.stderr, "senco: %s %q exists already\n", b.Kind, b.Name)
	}
	fmt.Fprintln(e.stdout, o.ID)
	return nil
}

func orgList(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "org list", "[flags]", "List every organisation: id, kind, name, and the authority or setting it stands for.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tNAME\tLA\tSETTING")
	for _, o := range orgs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", o.ID, o.Kind, o.Name, o.LACode, o.SettingURN)
	}
	return tw.Flush()
}
