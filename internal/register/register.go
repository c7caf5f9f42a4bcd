// Package register applies uploaded files to the database: the list of local
// authorities, a release of Ofsted's register of early years providers, and
// lists of practitioners with their employments. The command line and the
// web upload both call it, so both check and write the same way: the file is
// read and checked in full (package importer), then checked against the
// database, then written in one transaction — all of it, or none of it with
// an *importer.Problems error naming each row that is wrong.
package register

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/store"
)

// ErrNotAllowed is returned when the user may not make this import at all.
var ErrNotAllowed = errors.New("not allowed")

// ErrNoLocalAuthorities is returned when a register is imported before any
// local authorities are.
var ErrNoLocalAuthorities = errors.New("no local authorities in the database: import them first (senco import las --shipped)")

// ImportLocalAuthorities reads a list of local authorities and adds or
// updates them. Authorities missing from the list are kept, and so is what
// the list has no column for: a list without end dates leaves the recorded
// end dates as they are.
func ImportLocalAuthorities(ctx context.Context, db *store.DB, actor domain.Actor, file string, r io.Reader) (store.LASummary, error) {
	list, err := importer.ParseLocalAuthorityList(file, r)
	if err != nil {
		return store.LASummary{}, err
	}
	if len(list.Absent()) > 0 {
		existing, err := db.AllLocalAuthorities(ctx)
		if err != nil {
			return store.LASummary{}, err
		}
		byCode := make(map[string]domain.LocalAuthority, len(existing))
		for _, la := range existing {
			byCode[la.Code] = la
		}
		for i, la := range list.Authorities {
			if old, ok := byCode[la.Code]; ok {
				list.Authorities[i] = list.Keep(la, old)
			}
		}
	}
	return UpsertLocalAuthorities(ctx, db, actor, list.Authorities)
}

// UpsertLocalAuthorities adds or updates parsed authorities (for example
// importer.ShippedLocalAuthorities) in one transaction.
func UpsertLocalAuthorities(ctx context.Context, db *store.DB, actor domain.Actor, las []domain.LocalAuthority) (store.LASummary, error) {
	var sum store.LASummary
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		sum, err = tx.UpsertLocalAuthorities(ctx, actor, las)
		return err
	})
	return sum, err
}

// ImportSettings reads one release of Ofsted's register and brings the
// settings in line with it: new URNs are added, changed ones updated, and
// active settings missing from the release closed on the release date
// (refused with store.ErrTooManyClosures, and the summary of what would
// have happened, when that is more than store.MaxClosureShare of the
// register, unless confirmClosures). Local authority names are resolved
// against the authorities in the database. The warnings are for the person
// importing: settings whose authority Ofsted did not record.
func ImportSettings(ctx context.Context, db *store.DB, actor domain.Actor, file string, r io.Reader, release domain.Date, confirmClosures bool) (store.ReleaseSummary, []string, error) {
	if release.IsZero() {
		return store.ReleaseSummary{}, nil, errors.New("the release date of the register file is needed")
	}
	las, err := db.AllLocalAuthorities(ctx)
	if err != nil {
		return store.ReleaseSummary{}, nil, err
	}
	if len(las) == 0 {
		return store.ReleaseSummary{}, nil, ErrNoLocalAuthorities
	}
	rel, err := importer.ParseOfsted(file, r, importer.NewLAIndex(las), release)
	if err != nil {
		return store.ReleaseSummary{}, nil, err
	}
	warnings := NotRecordedWarnings(rel.NotRecorded)
	var sum store.ReleaseSummary
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		sum, err = tx.ApplySettingsRelease(ctx, actor, store.Release{
			FileName: filepath.Base(file), ReleaseOn: release, Settings: rel.Settings,
			ConfirmClosures: confirmClosures, Warnings: warnings,
		})
		return err
	})
	return sum, warnings, err
}

// NotRecordedWarnings is the warning for settings whose local authority
// Ofsted recorded as "Not Recorded": they are imported without one, count
// nationally, and appear in no authority's figures.
func NotRecordedWarnings(urns []string) []string {
	if len(urns) == 0 {
		return nil
	}
	what := "1 setting has"
	if len(urns) != 1 {
		what = fmt.Sprintf("%d settings have", len(urns))
	}
	return []string{fmt.Sprintf("%s no local authority in the file (Ofsted's \"Not Recorded\"); imported without one, so they count nationally but in no authority's figures: URN %s",
		what, strings.Join(urns, ", "))}
}

var isoInName = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9])(?:[^0-9]|$)`)

// ReleaseDateFromName finds the release date in a file name such as
// "ofsted_childcare_providers_2021-08-31.csv".
func ReleaseDateFromName(file string) (domain.Date, bool) {
	m := isoInName.FindStringSubmatch(filepath.Base(file))
	if m == nil {
		return domain.Date{}, false
	}
	d, err := domain.ParseDate(m[1] + "-" + m[2] + "-" + m[3])
	return d, err == nil
}

// PractitionerSummary says what a practitioners import changed.
type PractitionerSummary struct {
	Rows                 int
	PractitionersAdded   int
	PractitionersKnown   int // already recorded by the organisation: matched, not changed
	EmploymentsAdded     int
	EmploymentsEnded     int // recorded as open before, ended by this file
	EmploymentsUnchanged int
	// Warnings are things the importer did not change but the person
	// importing should know: a known practitioner given other details.
	Warnings []string
}

// ImportPractitioners reads a list of practitioners with their employments
// and records them for user's organisation. Every row's setting must exist
// and be one where user may manage staff (policy.CanManageStaff); a row that
// fails is a problem naming the row, and then nothing is written. A person
// the organisation already recorded (same email, or same names and date of
// birth) is matched, not duplicated; an employment already recorded is
// unchanged, and one recorded as open that the file ends is ended. Running
// the same file twice changes nothing the second time.
func ImportPractitioners(ctx context.Context, db *store.DB, actor domain.Actor, user domain.User, file string, r io.Reader) (PractitionerSummary, error) {
	var sum PractitionerSummary
	if !policy.CanImportPractitioners(user) {
		return sum, fmt.Errorf("%w: a %s cannot import practitioners", ErrNotAllowed, strings.ToLower(user.Role.Label()))
	}
	if user.Org.ID == 0 {
		return sum, errors.New("import practitioners: the user has no organisation to record them for")
	}
	rows, err := importer.ParsePractitioners(file, r)
	if err != nil {
		return sum, err
	}
	sum.Rows = len(rows)
	probs := problems{file: filepath.Base(file)}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		sum = PractitionerSummary{Rows: len(rows)}
		if err := checkSettings(ctx, tx, user, rows, &probs); err != nil {
			return err
		}
		if probs.Total > 0 {
			return probs.err()
		}
		// One person, all their rows, in the order the file first names them.
		var keys []string
		groups := map[string][]importer.PractitionerRow{}
		for _, row := range rows {
			k := row.Key()
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], row)
		}
		for _, k := range keys {
			if err := applyPerson(ctx, db, tx, actor, user, groups[k], &sum, &probs); err != nil {
				return err
			}
		}
		return probs.err()
	})
	if err != nil {
		return PractitionerSummary{Rows: len(rows)}, err
	}
	return sum, nil
}

// checkSettings checks that every row's setting exists and that user may
// record staff there.
func checkSettings(ctx context.Context, tx *store.Tx, user domain.User, rows []importer.PractitionerRow, probs *problems) error {
	var urns []string
	seen := map[string]bool{}
	for _, row := range rows {
		if u := row.Employment.SettingURN; !seen[u] {
			seen[u] = true
			urns = append(urns, u)
		}
	}
	settings, err := tx.SettingsByURN(ctx, urns)
	if err != nil {
		return err
	}
	for _, row := range rows {
		e := row.Employment
		s, ok := settings[e.SettingURN]
		switch {
		case !ok:
			probs.add(row.Row, "setting_urn", e.SettingURN, "the URN of a setting on Ofsted's register, but no setting has this URN (if it registered recently, import the latest register first)")
		case !policy.CanManageStaff(user, s):
			probs.add(row.Row, "setting_urn", e.SettingURN, fmt.Sprintf("a setting whose staff you may record, but %s is %s", s.DisplayName(), outside(user, s)))
		case s.Status == domain.Closed && !s.ClosedOn.IsZero() && !e.StartedOn.Before(s.ClosedOn):
			probs.add(row.Row, "started_on", e.StartedOn.String(), fmt.Sprintf("a start date before %s closed on %s", s.DisplayName(), s.ClosedOn.Long()))
		}
	}
	return nil
}

// outside says why a setting is outside user's scope.
func outside(user domain.User, s domain.Setting) string {
	switch user.Role {
	case domain.RoleLAOfficer:
		if s.LACode == "" {
			return "not recorded in any local authority"
		}
		return "in another local authority"
	case domain.RoleSettingManager:
		return "not your setting"
	}
	return "outside what you may change"
}

// applyPerson matches or creates one person and records their employments.
func applyPerson(ctx context.Context, db *store.DB, tx *store.Tx, actor domain.Actor, user domain.User, rows []importer.PractitionerRow, sum *PractitionerSummary, probs *problems) error {
	want := rows[0].Practitioner
	want.OwnerOrgID = user.Org.ID
	p, err := tx.FindPractitioner(ctx, user.Org.ID, want)
	var existing []store.EmploymentRecord
	switch {
	case errors.Is(err, store.ErrNotFound):
		if p, err = tx.CreatePractitioner(ctx, actor, want); err != nil {
			return err
		}
		sum.PractitionersAdded++
	case err != nil:
		return err
	default:
		sum.PractitionersKnown++
		if d := differences(p, want); d != "" {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("row %d: %s is already recorded with %s; the recorded details are kept", rows[0].Row, p.FullName(), d))
		}
		page, err := db.Employments(ctx, policy.Scope{Kind: policy.National}, store.PeopleFilter{PractitionerID: p.ID, PageSize: 10000})
		if err != nil {
			return err
		}
		existing = page.Employments
	}
	for _, row := range rows {
		e := row.Employment
		e.PractitionerID = p.ID
		i := indexOf(existing, e)
		switch {
		case i < 0:
			if _, err := tx.AddEmployment(ctx, actor, e); errors.Is(err, store.ErrConflict) {
				sum.EmploymentsUnchanged++
			} else if err != nil {
				return fmt.Errorf("row %d: %w", row.Row, err)
			} else {
				sum.EmploymentsAdded++
			}
		case existing[i].EndedOn.Equal(e.EndedOn):
			sum.EmploymentsUnchanged++
		case existing[i].EndedOn.IsZero():
			if _, err := tx.EndEmployment(ctx, actor, existing[i].Employment, e.EndedOn); err != nil {
				return fmt.Errorf("row %d: %w", row.Row, err)
			}
			sum.EmploymentsEnded++
		default:
			was := existing[i].EndedOn.Long()
			if e.EndedOn.IsZero() {
				probs.add(row.Row, "ended_on", "", fmt.Sprintf("the end date already recorded for this employment (%s): an ended employment cannot be reopened by import; record a new employment with a new start date", was))
			} else {
				probs.add(row.Row, "ended_on", e.EndedOn.String(), fmt.Sprintf("the end date already recorded for this employment (%s); change it on the practitioner's page", was))
			}
		}
	}
	return nil
}

// indexOf finds the recorded employment with e's setting, role and start.
func indexOf(existing []store.EmploymentRecord, e domain.Employment) int {
	for i, x := range existing {
		if x.SettingURN == e.SettingURN && x.Role == e.Role && x.StartedOn.Equal(e.StartedOn) {
			return i
		}
	}
	return -1
}

// differences lists the details the file gives that differ from the record.
func differences(rec, file domain.Practitioner) string {
	var d []string
	if file.QualificationLevel != 0 && file.QualificationLevel != rec.QualificationLevel {
		d = append(d, fmt.Sprintf("qualification level %d (the file says %d)", rec.QualificationLevel, file.QualificationLevel))
	}
	if !file.DateOfBirth.IsZero() && !rec.DateOfBirth.IsZero() && !file.DateOfBirth.Equal(rec.DateOfBirth) {
		d = append(d, fmt.Sprintf("date of birth %s (the file says %s)", rec.DateOfBirth.Long(), file.DateOfBirth.Long()))
	}
	for _, f := range []struct {
		name       string
		rec, given bool
	}{{"QTS", rec.QTS, file.QTS}, {"EYTS", rec.EYTS, file.EYTS}, {"QTLS", rec.QTLS, file.QTLS}} {
		if f.given && !f.rec {
			d = append(d, "no "+f.name+" (the file says "+f.name+")")
		}
	}
	return strings.Join(d, ", ")
}

// problems collects the rows refused against the database, in the shape
// the importer reports a file's own problems.
type problems struct {
	file string
	importer.Problems
}

func (p *problems) add(row int, column, value, expected string) {
	p.Total++
	if len(p.List) < importer.MaxProblems {
		p.List = append(p.List, importer.Problem{File: p.file, Row: row, Column: column, Value: value, Expected: expected})
	}
}

func (p *problems) err() error {
	if p.Total == 0 {
		return nil
	}
	out := p.Problems
	return &out
}
