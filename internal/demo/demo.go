// Package demo fills an empty database with a realistic demonstration of the
// EY SENCO programme, so that a newcomer sees the whole service with one
// command (senco demo): the English local authorities, a real extract of
// Ofsted's register for a few authorities, the organisations that take part,
// generated practitioners with their employment histories, and one sign-in
// for each role.
//
// Everything generated is deterministic from Options.Seed. Practitioners are
// never real people: their names are common given and family names combined
// at random, their email addresses are at example.org and example.com.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"senco/internal/auth"
	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/register"
	"senco/internal/store"
)

//go:embed data/ofsted_demo_extract.csv.gz
var extract []byte

// ExtractFile is the name the demo's Ofsted extract is imported under.
const ExtractFile = "ofsted_demo_extract.csv.gz"

// ReleaseDate is the date of the Ofsted release the extract comes from.
var ReleaseDate = domain.NewDate(2021, time.August, 31)

// Password is the password of every demo sign-in. It is for the demo only:
// the demo database must never hold real records.
const Password = "senco-demo-2026"

// DefaultSeed is the seed used when Options.Seed is 0.
const DefaultSeed uint64 = 2026

// Names of the organisations the demo makes.
const (
	ProgrammeOrg = "Department for Education – EY SENCO programme"
	SupplierOrg  = "Northern Early Years Training Partnership"
	Supplier2Org = "Bright Start SEN Training"
)

// The demo's local authorities: how many group settings and childminders
// of each get an organisation and staff.
type demoLA struct {
	Code         string
	Council      string
	Groups       int
	Childminders int
}

var demoLAs = []demoLA{
	{"E08000035", "Leeds City Council", 14, 7},
	{"E09000012", "London Borough of Hackney", 8, 4},
	{"E10000006", "Cumbria County Council", 8, 4}, // ended 31 March 2023
	{"E10000017", "Lancashire County Council", 10, 5},
}

// Demo local authority codes.
const (
	Leeds      = "E08000035"
	Hackney    = "E09000012"
	Cumbria    = "E10000006"
	Lancashire = "E10000017"
)

// Options tune the demo.
type Options struct {
	// Seed makes the generated records; the same seed gives the same demo.
	// 0 means DefaultSeed.
	Seed uint64
}

// User is a demo sign-in.
type User struct {
	Email        string
	Password     string
	Name         string
	Role         domain.Role
	RoleLabel    string // e.g. "Local authority officer"
	Organisation string
}

// Counts are what the demo database holds.
type Counts struct {
	Settings            int // on the register (from the Ofsted extract)
	NotRecorded         int // of which with no recorded local authority
	Organisations       int
	SettingOrgs         int // settings with an organisation (and staff)
	Practitioners       int
	Employments         int
	CurrentEmployments  int // covering today
	DesignatedSENCOs    int // current employments with role SENCO
	PractitionersMoved  int // practitioners employed at more than one setting
	Users               int
	LocalAuthorities    int
	SettingsImportAdded int
}

// Result is what Seed made, or found already made.
type Result struct {
	Users         []User
	Counts        Counts
	AlreadySeeded bool // the database had been seeded by an earlier run
}

// ErrNotEmpty is returned when the database already holds records that the
// demo did not make.
var ErrNotEmpty = errors.New("database is not empty")

// account is a demo sign-in to make.
type account struct {
	email string
	role  domain.Role
	org   string // key into the organisations made: see seeder.orgs
	who   string // "" for a generated name; "manager", "learner", "manager2"
}

const demoDomain = "@demo.senco.example"

var accounts = []account{
	{"programme" + demoDomain, domain.RoleProgrammeTeam, "programme", ""},
	{"supplier" + demoDomain, domain.RoleSupplierAdmin, "supplier", ""},
	{"trainer" + demoDomain, domain.RoleTrainer, "supplier", ""},
	{"assessor" + demoDomain, domain.RoleAssessor, "supplier", ""},
	{"iqa" + demoDomain, domain.RoleIQA, "supplier", ""},
	{"ao" + demoDomain, domain.RoleAOOfficer, "awarding", ""},
	{"la.leeds" + demoDomain, domain.RoleLAOfficer, "la:" + Leeds, ""},
	{"manager" + demoDomain, domain.RoleSettingManager, "nursery", "manager"},
	{"practitioner" + demoDomain, domain.RoleLearner, "nursery", "learner"},
	{"la.hackney" + demoDomain, domain.RoleLAOfficer, "la:" + Hackney, ""},
	{"manager.hackney" + demoDomain, domain.RoleSettingManager, "nursery2", "manager2"},
	{"supplier.brightstart" + demoDomain, domain.RoleSupplierAdmin, "supplier2", ""},
}

// Emails of the demo sign-ins, in the order Result lists them.
func Emails() []string {
	out := make([]string, len(accounts))
	for i, a := range accounts {
		out[i] = a.email
	}
	return out
}

// Seed fills an empty, migrated database with the demo: the qualification
// catalogue; the register, organisations, people and sign-ins in one
// transaction; then the running programme in another (seedDelivery). Run
// on a database it seeded before, it changes nothing and returns the demo
// users; run on any other database with settings or organisations, it
// refuses with ErrNotEmpty.
func Seed(ctx context.Context, db *store.DB, h *auth.Hasher, opts Options) (Result, error) {
	var res Result
	empty, demo, err := state(ctx, db)
	if err != nil {
		return res, err
	}
	if demo {
		res.AlreadySeeded = true
		if res.Users, err = existingUsers(ctx, db); err != nil {
			return res, err
		}
		res.Counts, err = count(ctx, db)
		return res, err
	}
	if !empty {
		return res, fmt.Errorf("%w: it already has settings or organisations that senco demo did not make; give the demo a database of its own", ErrNotEmpty)
	}

	// Hash the demo password while the register is read and written.
	hashes := hashAll(ctx, h, len(accounts))
	seed := opts.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	las, err := importer.ShippedLocalAuthorities()
	if err != nil {
		return res, fmt.Errorf("demo: shipped local authorities: %w", err)
	}
	rel, err := importer.ParseOfsted(ExtractFile, bytes.NewReader(extract), importer.NewLAIndex(las), ReleaseDate)
	if err != nil {
		return res, fmt.Errorf("demo: the embedded Ofsted extract: %w", err)
	}
	p, err := makePlan(seed, rel.Settings)
	if err != nil {
		return res, err
	}
	quals, err := catalogue.Load(ctx, db)
	if err != nil {
		return res, fmt.Errorf("demo: %w", err)
	}
	actor := domain.OperatorActor("demo")
	var added int
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.UpsertLocalAuthorities(ctx, actor, las); err != nil {
			return err
		}
		sum, err := tx.ApplySettingsRelease(ctx, actor, store.Release{
			FileName: ExtractFile, ReleaseOn: ReleaseDate, Settings: rel.Settings,
			Warnings: register.NotRecordedWarnings(rel.NotRecorded),
		})
		if err != nil {
			return err
		}
		added = sum.Added
		users, err := p.write(ctx, tx, actor, hashes)
		res.Users = users
		return err
	})
	if err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	if err := seedDelivery(ctx, db, p, rel.Settings, seed, quals); err != nil {
		return Result{}, fmt.Errorf("demo: the running programme: %w", err)
	}
	res.Counts, err = count(ctx, db)
	res.Counts.SettingsImportAdded = added
	return res, err
}

// state reports whether the database is empty of settings and
// organisations, and whether the demo seeded it.
func state(ctx context.Context, db *store.DB) (empty, demo bool, err error) {
	u, _, err := db.UserByEmail(ctx, accounts[0].email)
	switch {
	case err == nil && u.Org.Name == ProgrammeOrg:
		return false, true, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return false, false, fmt.Errorf("demo: %w", err)
	}
	page, err := db.SearchSettings(ctx, policy.Scope{Kind: policy.National}, store.SettingFilter{PageSize: 1})
	if err != nil {
		return false, false, fmt.Errorf("demo: %w", err)
	}
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return false, false, fmt.Errorf("demo: %w", err)
	}
	return page.Total == 0 && len(orgs) == 0, false, nil
}

// existingUsers returns the demo sign-ins of a database the demo seeded.
func existingUsers(ctx context.Context, db *store.DB) ([]User, error) {
	var out []User
	for _, a := range accounts {
		u, _, err := db.UserByEmail(ctx, a.email)
		if errors.Is(err, store.ErrNotFound) {
			continue // removed since; list the rest
		}
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		out = append(out, userOf(u))
	}
	return out, nil
}

func userOf(u domain.User) User {
	return User{Email: u.Email, Password: Password, Name: u.Name, Role: u.Role, RoleLabel: u.Role.Label(), Organisation: u.Org.Name}
}

// hashAll starts hashing the demo password, once: every demo sign-in has
// the same password, printed on the sign-in page, so separate salts would
// protect nothing, and each argon2id hash costs 64 MiB and a tenth of a
// second or more. The function it returns waits for the hashes.
func hashAll(ctx context.Context, h *auth.Hasher, n int) func() ([]string, error) {
	var hash string
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		hash, err = h.Hash(ctx, Password)
	}()
	return func() ([]string, error) {
		<-done
		if err != nil {
			return nil, fmt.Errorf("hash password: %w", err)
		}
		out := make([]string, n)
		for i := range out {
			out[i] = hash
		}
		return out, nil
	}
}

// count reads what the database holds, for the summary.
func count(ctx context.Context, db *store.DB) (Counts, error) {
	var c Counts
	all := policy.Scope{Kind: policy.National}
	sp, err := db.SearchSettings(ctx, all, store.SettingFilter{PageSize: 1})
	if err != nil {
		return c, err
	}
	c.Settings = sp.Total
	nr, err := db.SearchSettings(ctx, all, store.SettingFilter{PageSize: 1, LACode: "none"})
	if err != nil {
		return c, err
	}
	c.NotRecorded = nr.Total
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return c, err
	}
	c.Organisations = len(orgs)
	for _, o := range orgs {
		if o.Kind == domain.OrgSetting {
			c.SettingOrgs++
		}
	}
	las, err := db.AllLocalAuthorities(ctx)
	if err != nil {
		return c, err
	}
	c.LocalAuthorities = len(las)
	pp, err := db.SearchPractitioners(ctx, all, store.PeopleFilter{PageSize: 1})
	if err != nil {
		return c, err
	}
	c.Practitioners = pp.Total
	ep, err := db.Employments(ctx, all, store.PeopleFilter{PageSize: 100000})
	if err != nil {
		return c, err
	}
	c.Employments = ep.Total
	today := domain.Today()
	settingsOf := map[int64]map[string]bool{}
	for _, e := range ep.Employments {
		if e.Covers(today) {
			c.CurrentEmployments++
			if e.Role == domain.RoleSENCO {
				c.DesignatedSENCOs++
			}
		}
		if settingsOf[e.PractitionerID] == nil {
			settingsOf[e.PractitionerID] = map[string]bool{}
		}
		settingsOf[e.PractitionerID][e.SettingURN] = true
	}
	for _, s := range settingsOf {
		if len(s) > 1 {
			c.PractitionersMoved++
		}
	}
	for _, email := range Emails() {
		if _, _, err := db.UserByEmail(ctx, email); err == nil {
			c.Users++
		}
	}
	return c, nil
}
