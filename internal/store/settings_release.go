package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
)

// ReleaseSummary says what applying an Ofsted release changed.
type ReleaseSummary struct {
	Rows         int
	Added        int
	Updated      int
	Unchanged    int
	Closed       int      // active before, missing from this release
	ActiveBefore int      // active settings before the release
	ClosedURNs   []string // the settings closed, for the operator to check
}

// ErrTooManyClosures is returned when a release would close more than
// MaxClosureShare of the active register, which usually means a partial
// file was given by mistake.
var ErrTooManyClosures = errors.New("too many closures")

// MaxClosureShare is the share of the active register one release may close
// without confirmation.
const MaxClosureShare = 0.05

// Release is a parsed Ofsted release to apply.
type Release struct {
	FileName        string
	ReleaseOn       domain.Date
	Settings        []domain.Setting
	ConfirmClosures bool
	Warnings        []string
}

// ApplySettingsRelease brings the register in line with a release, in the
// transaction: new URNs are added, changed ones updated, settings that were
// active and are missing from the release are closed on the release date,
// and nothing is deleted. Re-applying the same release changes nothing.
func (tx *Tx) ApplySettingsRelease(ctx context.Context, a domain.Actor, rel Release) (ReleaseSummary, error) {
	sum := ReleaseSummary{Rows: len(rel.Settings)}
	laNames, err := tx.laNames(ctx)
	if err != nil {
		return sum, err
	}
	existing, err := tx.allSettings(ctx)
	if err != nil {
		return sum, err
	}
	for _, s := range existing {
		if s.Status == domain.Active {
			sum.ActiveBefore++
		}
	}
	seen := make(map[string]bool, len(rel.Settings))
	// The new settings point into the release rather than copy it (a
	// copy of 70,000 settings was 28 MB more at the peak of a first
	// import), sized for the first import, where every row is new.
	added := make([]*domain.Setting, 0, max(len(rel.Settings)-len(existing), 0))
	var changed []domain.Setting
	var changedBefore []domain.Setting
	var touched []string // unchanged but last seen in an earlier release
	for i := range rel.Settings {
		s := rel.Settings[i]
		seen[s.URN] = true
		old, ok := existing[s.URN]
		switch {
		case !ok:
			added = append(added, &rel.Settings[i])
		case !sameSetting(old, s):
			changed = append(changed, s)
			changedBefore = append(changedBefore, old)
		default:
			sum.Unchanged++
			if old.LastSeenOn.Before(s.LastSeenOn) {
				touched = append(touched, s.URN)
			}
		}
	}
	for urn, s := range existing {
		if s.Status == domain.Active && !seen[urn] {
			sum.ClosedURNs = append(sum.ClosedURNs, urn)
		}
	}
	sum.Added, sum.Updated, sum.Closed = len(added), len(changed), len(sum.ClosedURNs)
	if sum.ActiveBefore > 0 && float64(sum.Closed) > MaxClosureShare*float64(sum.ActiveBefore) && !rel.ConfirmClosures {
		return sum, fmt.Errorf("%w: this release would close %d of %d active settings (more than %.0f%%); if the file is complete, run again with --confirm-closures",
			ErrTooManyClosures, sum.Closed, sum.ActiveBefore, MaxClosureShare*100)
	}

	// Rows in key order fill the primary key's pages one after another.
	sort.Slice(added, func(i, j int) bool { return added[i].URN < added[j].URN })
	if len(existing) == 0 && len(added) > 5000 {
		// The first import into an empty register: building the secondary
		// indexes once at the end is several times faster than keeping them
		// up to date row by row.
		restore, err := tx.dropSecondaryIndexes(ctx, "settings")
		if err != nil {
			return sum, err
		}
		resume, err := tx.suspendRowTriggers(ctx)
		if err != nil {
			return sum, err
		}
		if err := tx.insertSettings(ctx, added, laNames); err != nil {
			return sum, err
		}
		if err := resume(); err != nil {
			return sum, err
		}
		if err := restore(); err != nil {
			return sum, err
		}
	} else if err := tx.insertSettings(ctx, added, laNames); err != nil {
		return sum, err
	}
	for i, s := range changed {
		if err := tx.updateSetting(ctx, s, laNames); err != nil {
			return sum, err
		}
		if err := tx.Audit(ctx, a, "update", "setting", s.URN, changedBefore[i], s); err != nil {
			return sum, err
		}
	}
	for start := 0; start < len(touched); start += 500 {
		var ar args
		batch := touched[start:min(start+500, len(touched))]
		ph := make([]string, len(batch))
		for i, u := range batch {
			ph[i] = ar.add(u)
		}
		q := `UPDATE settings SET last_seen_on = ` + ar.add(rel.ReleaseOn) + `, source_release = ` + ar.add(rel.ReleaseOn.String()) +
			` WHERE urn IN (` + strings.Join(ph, ", ") + `)`
		if _, err := tx.tx.ExecContext(ctx, q, ar...); err != nil {
			return sum, fmt.Errorf("mark settings seen: %w", err)
		}
	}
	for _, urn := range sum.ClosedURNs {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE settings SET status = 'closed', closed_on = $2, updated_at = $3 WHERE urn = $1`,
			urn, rel.ReleaseOn, tx.now); err != nil {
			return sum, fmt.Errorf("close setting %s: %w", urn, err)
		}
		if err := tx.Audit(ctx, a, "close", "setting", urn, map[string]string{"status": "active"},
			map[string]string{"status": "closed", "closed_on": rel.ReleaseOn.String(), "reason": "missing from release " + rel.ReleaseOn.String()}); err != nil {
			return sum, err
		}
	}
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO imports (kind, file_name, release_on, rows_read, added, updated, unchanged, closed, warnings, actor, created_at)
		VALUES ('settings', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		rel.FileName, rel.ReleaseOn, sum.Rows, sum.Added, sum.Updated, sum.Unchanged, sum.Closed, strings.Join(rel.Warnings, "\n"), a.Label, tx.now); err != nil {
		return sum, fmt.Errorf("record import: %w", err)
	}
	if sum.Added+sum.Updated+sum.Closed > 0 {
		err := tx.Audit(ctx, a, "import", "settings", rel.FileName, nil, map[string]any{
			"release": rel.ReleaseOn.String(), "rows": sum.Rows, "added": sum.Added, "updated": sum.Updated,
			"unchanged": sum.Unchanged, "closed": sum.Closed})
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// dropSecondaryIndexes drops a table's indexes other than its primary key,
// inside the transaction, and returns a function that creates them again
// from the definitions the database itself reported, so the migrations stay
// the one place indexes are defined.
func (tx *Tx) dropSecondaryIndexes(ctx context.Context, table string) (func() error, error) {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL`
	if tx.db.Dialect == Postgres {
		q = `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = $1 AND i.schemaname = current_schema()
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`
	}
	rows, err := tx.tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", table, err)
	}
	var names, defs []string
	for rows.Next() {
		var n, d string
		if err := rows.Scan(&n, &d); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list indexes of %s: %w", table, err)
		}
		names, defs = append(names, n), append(defs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := tx.tx.ExecContext(ctx, `DROP INDEX `+n); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return func() error {
		for _, d := range defs {
			if _, err := tx.tx.ExecContext(ctx, d); err != nil {
				return fmt.Errorf("recreate index: %w", err)
			}
		}
		return nil
	}, nil
}

// rowTriggers are the kinds of SQLite per-row trigger on settings that the
// first import suspends, each with the one statement that does, for the
// whole load at once, what the trigger would have done row by row.
var rowTriggers = []struct{ pattern, once string }{
	// Moves the coverage version: once is as good as 70,000 times.
	{"settings_coverage_%", `UPDATE coverage_version SET version = version + 1 WHERE id = 1`},
	// Keeps the search index in step: one rebuild from the table is
	// several times quicker than indexing row by row.
	{"settings_search_%", `INSERT INTO settings_search (settings_search) VALUES ('rebuild')`},
}

// suspendRowTriggers drops, inside the transaction, SQLite's per-row
// triggers on settings named in rowTriggers, and returns a function that
// creates them again from their stored definitions and runs each kind's
// once statement. Other triggers are left to fire. On PostgreSQL the
// triggers fire once a statement and its search index is an ordinary
// index (dropSecondaryIndexes), so nothing is done.
func (tx *Tx) suspendRowTriggers(ctx context.Context) (func() error, error) {
	if tx.db.Dialect != SQLite {
		return func() error { return nil }, nil
	}
	var names, defs, once []string
	for _, k := range rowTriggers {
		rows, err := tx.tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'settings' AND name LIKE $1 ORDER BY name`, k.pattern)
		if err != nil {
			return nil, fmt.Errorf("list triggers of settings: %w", err)
		}
		found := false
		for rows.Next() {
			var n, d string
			if err := rows.Scan(&n, &d); err != nil {
				rows.Close()
				return nil, fmt.Errorf("list triggers of settings: %w", err)
			}
			names, defs, found = append(names, n), append(defs, d), true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("list triggers of settings: %w", err)
		}
		if found {
			once = append(once, k.once)
		}
	}
	for _, n := range names {
		if _, err := tx.tx.ExecContext(ctx, `DROP TRIGGER `+n); err != nil {
			return nil, fmt.Errorf("drop trigger %s: %w", n, err)
		}
	}
	return func() error {
		for _, d := range defs {
			if _, err := tx.tx.ExecContext(ctx, d); err != nil {
				return fmt.Errorf("recreate trigger: %w", err)
			}
		}
		for _, q := range once {
			if _, err := tx.tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("after the first import: %w", err)
			}
		}
		return nil
	}, nil
}

// sameSetting compares what a release says of a setting, ignoring when it
// was last seen.
func sameSetting(old, s domain.Setting) bool {
	old.SourceRelease, old.LastSeenOn = "", domain.Date{}
	s.SourceRelease, s.LastSeenOn = "", domain.Date{}
	return old == s
}

func (tx *Tx) laNames(ctx context.Context) (map[string]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT code, CASE WHEN ofsted_name <> '' THEN ofsted_name ELSE name END FROM local_authorities`)
	if err != nil {
		return nil, fmt.Errorf("load local authority names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("load local authority names: %w", err)
		}
		out[code] = name
	}
	return out, rows.Err()
}

func (tx *Tx) allSettings(ctx context.Context) (map[string]domain.Setting, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT `+settingColumns+settingFrom)
	if err != nil {
		return nil, fmt.Errorf("load settings: %w", err)
	}
	defer rows.Close()
	out := map[string]domain.Setting{}
	for rows.Next() {
		var r SettingRecord
		if err := scanSetting(rows, &r); err != nil {
			return nil, fmt.Errorf("load settings: %w", err)
		}
		out[r.URN] = r.Setting
	}
	return out, rows.Err()
}

const settingInsertColumns = `urn, name, provider_type, subtype, status, eyr, ccr, vcr, la_code, address1, address2, address3, town, postcode,
	places, registered_on, closed_on, inspected_on, outcome, source_release, last_seen_on, search_text, created_at, updated_at`

const settingInsertWidth = 24

// settingArgs fills v (settingInsertWidth long) with one row's values, in
// the order of settingInsertColumns.
func (tx *Tx) settingArgs(v []any, s *domain.Setting, laNames map[string]string) {
	var la any
	if s.LACode != "" {
		la = s.LACode
	}
	v[0], v[1], v[2], v[3], v[4] = s.URN, s.Name, string(s.Type), s.Subtype, string(s.Status)
	v[5], v[6], v[7], v[8], v[9], v[10], v[11] = s.EYR, s.CCR, s.VCR, la, s.Address1, s.Address2, s.Address3
	v[12], v[13], v[14], v[15], v[16], v[17] = s.Town, s.Postcode, s.Places, s.RegisteredOn, s.ClosedOn, s.InspectedOn
	v[18], v[19], v[20], v[21] = int(s.Outcome), s.SourceRelease, s.LastSeenOn, searchText(*s, laNames[s.LACode])
	v[22], v[23] = tx.now, tx.now
}

// settingPlaceholders is "($n, …)" for one row whose first value is
// parameter first+1.
func settingPlaceholders(first int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := range settingInsertWidth {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(first + i + 1))
	}
	b.WriteByte(')')
	return b.String()
}

// insertSettings writes new settings. PostgreSQL takes many rows to a
// statement (a round trip per row would dominate); SQLite runs in-process,
// where one prepared single-row statement is fastest: a statement that
// writes several rows needs a statement journal, and its cost per
// statement grows faster than linearly with the number of parameters.
func (tx *Tx) insertSettings(ctx context.Context, ss []*domain.Setting, laNames map[string]string) error {
	if tx.db.Dialect == SQLite {
		stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO settings (`+settingInsertColumns+`) VALUES `+settingPlaceholders(0))
		if err != nil {
			return fmt.Errorf("insert settings: %w", err)
		}
		defer stmt.Close()
		v := make([]any, settingInsertWidth)
		for i := range ss {
			tx.settingArgs(v, ss[i], laNames)
			if _, err := stmt.ExecContext(ctx, v...); err != nil {
				return fmt.Errorf("insert setting %s: %w", ss[i].URN, err)
			}
		}
		return nil
	}
	const batch = 400 // 400 × 24 parameters stays under PostgreSQL's limit
	for start := 0; start < len(ss); start += batch {
		part := ss[start:min(start+batch, len(ss))]
		a := make(args, len(part)*settingInsertWidth)
		values := make([]string, len(part))
		for i := range part {
			tx.settingArgs(a[i*settingInsertWidth:(i+1)*settingInsertWidth], part[i], laNames)
			values[i] = settingPlaceholders(i * settingInsertWidth)
		}
		q := `INSERT INTO settings (` + settingInsertColumns + `) VALUES ` + strings.Join(values, ", ")
		if _, err := tx.tx.ExecContext(ctx, q, a...); err != nil {
			return fmt.Errorf("insert settings %s…: %w", part[0].URN, err)
		}
	}
	return nil
}

func (tx *Tx) updateSetting(ctx context.Context, s domain.Setting, laNames map[string]string) error {
	var la any
	if s.LACode != "" {
		la = s.LACode
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE settings SET name = $2, provider_type = $3, subtype = $4, status = $5, eyr = $6, ccr = $7, vcr = $8,
		la_code = $9, address1 = $10, address2 = $11, address3 = $12, town = $13, postcode = $14, places = $15, registered_on = $16,
		closed_on = $17, inspected_on = $18, outcome = $19, source_release = $20, last_seen_on = $21, search_text = $22, updated_at = $23
		WHERE urn = $1`,
		s.URN, s.Name, string(s.Type), s.Subtype, string(s.Status), s.EYR, s.CCR, s.VCR, la, s.Address1, s.Address2, s.Address3,
		s.Town, s.Postcode, s.Places, s.RegisteredOn, s.ClosedOn, s.InspectedOn, int(s.Outcome), s.SourceRelease, s.LastSeenOn,
		searchText(s, laNames[s.LACode]), tx.now)
	if err != nil {
		return fmt.Errorf("update setting %s: %w", s.URN, err)
	}
	return nil
}

// InsertSettings writes new settings directly, for tests that need a few
// settings without a release file.
func (tx *Tx) InsertSettings(ctx context.Context, ss []domain.Setting) error {
	laNames, err := tx.laNames(ctx)
	if err != nil {
		return err
	}
	ps := make([]*domain.Setting, len(ss))
	for i := range ss {
		ps[i] = &ss[i]
	}
	return tx.insertSettings(ctx, ps, laNames)
}
