package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"senco/internal/domain"
	"senco/internal/policy"
)

// SettingRecord is a setting with the names pages show beside it.
type SettingRecord struct {
	domain.Setting
	LAName     string
	RegionName string
	LAEndedOn  domain.Date
	UpdatedAt  time.Time
}

const settingColumns = `s.urn, s.name, s.provider_type, s.subtype, s.status, s.eyr, s.ccr, s.vcr, COALESCE(s.la_code, ''),
	s.address1, s.address2, s.address3, s.town, s.postcode, s.places, s.registered_on, s.closed_on, s.inspected_on, s.outcome,
	s.source_release, s.last_seen_on, s.updated_at, COALESCE(la.name, ''), COALESCE(la.region_name, ''), la.ended_on`

const settingFrom = ` FROM settings s LEFT JOIN local_authorities la ON la.code = s.la_code`

func scanSetting(sc interface{ Scan(...any) error }, r *SettingRecord) error {
	s := &r.Setting
	return sc.Scan(&s.URN, &s.Name, &s.Type, &s.Subtype, &s.Status, &s.EYR, &s.CCR, &s.VCR, &s.LACode,
		&s.Address1, &s.Address2, &s.Address3, &s.Town, &s.Postcode, &s.Places, &s.RegisteredOn, &s.ClosedOn, &s.InspectedOn, &s.Outcome,
		&s.SourceRelease, &s.LastSeenOn, nullTime{&r.UpdatedAt}, &r.LAName, &r.RegionName, &r.LAEndedOn)
}

// settingScope limits settings (aliased s) to a scope.
func settingScope(a *args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.LA:
		return "s.la_code = " + a.add(scope.LACode), true
	case policy.Setting:
		return "s.urn = " + a.add(scope.SettingURN), true
	}
	return "", false
}

// SettingFilter narrows a settings search.
type SettingFilter struct {
	Q            string // name, URN, postcode or town
	LACode       string // a GSS code, or "none" for settings with no recorded authority
	Type         domain.ProviderType
	Status       domain.SettingStatus
	Register     string // "eyr", "ccr" or "vcr"
	UpdatedSince time.Time
	Page         int // from 1
	PageSize     int
	// ByUpdated orders by last change (for API sync) instead of by name.
	ByUpdated bool
}

// SettingPage is one page of a search and the total number of matches.
type SettingPage struct {
	Settings []SettingRecord
	Total    int
}

var urnPattern = regexp.MustCompile(`^(?i)(EY|SC)?\d{5,8}$`)

// SearchSettings finds settings within the scope.
func (db *DB) SearchSettings(ctx context.Context, scope policy.Scope, f SettingFilter) (SettingPage, error) {
	var page SettingPage
	count, list, ok := db.SearchSettingsStatements(scope, f)
	if !ok {
		return page, nil
	}
	total, err := db.countSettings(ctx, count)
	if err != nil {
		return page, err
	}
	page.Total = total
	rows, err := db.read.QueryContext(ctx, list.SQL, list.Args...)
	if err != nil {
		return page, fmt.Errorf("search settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r SettingRecord
		if err := scanSetting(rows, &r); err != nil {
			return page, fmt.Errorf("search settings: %w", err)
		}
		page.Settings = append(page.Settings, r)
	}
	return page, rows.Err()
}

// SearchSettingsStatements are the two statements SearchSettings runs: the
// count of every match and the page; false when the scope sees nothing.
func (db *DB) SearchSettingsStatements(scope policy.Scope, f SettingFilter) (count, page Statement, ok bool) {
	var a args
	where, ok := settingScope(&a, scope)
	if !ok {
		return count, page, false
	}
	var words []string // a free-text search's, to rank by
	if q := strings.TrimSpace(f.Q); q != "" {
		if urnPattern.MatchString(q) {
			where += " AND s.urn = " + a.add(strings.ToUpper(q))
		} else if words = strings.Fields(normalise(q)); len(words) > 0 {
			where += db.wordsSQL(&a, words)
		}
	}
	switch f.LACode {
	case "":
	case "none":
		where += " AND s.la_code IS NULL"
	default:
		where += " AND s.la_code = " + a.add(f.LACode)
	}
	if f.Type != "" {
		where += " AND s.provider_type = " + a.add(string(f.Type))
	}
	if f.Status != "" {
		where += " AND s.status = " + a.add(string(f.Status))
	}
	switch f.Register {
	case "eyr":
		where += " AND s.eyr"
	case "ccr":
		where += " AND s.ccr"
	case "vcr":
		where += " AND s.vcr"
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND s.updated_at >= " + a.add(f.UpdatedSince.UTC())
	}
	count = Statement{`SELECT COUNT(*) FROM settings s WHERE ` + where, slices.Clone(a)}
	size := f.PageSize
	if size <= 0 {
		size = 50
	}
	num := max(f.Page, 1)
	order := "s.name, s.urn"
	switch {
	case f.ByUpdated:
		order = "s.updated_at, s.urn"
	case len(words) > 0:
		order = rankSQL(&a, words) + ", s.name, s.urn"
	}
	q := `SELECT ` + settingColumns + settingFrom + ` WHERE ` + where + ` ORDER BY ` + order +
		` LIMIT ` + a.add(size) + ` OFFSET ` + a.add((num-1)*size)
	return count, Statement{q, a}, true
}

// Setting returns one setting by URN if the scope allows it.
func (db *DB) Setting(ctx context.Context, scope policy.Scope, urn string) (SettingRecord, error) {
	var r SettingRecord
	var a args
	where, ok := settingScope(&a, scope)
	if !ok {
		return r, ErrNotFound
	}
	where += " AND s.urn = " + a.add(strings.ToUpper(strings.TrimSpace(urn)))
	err := scanSetting(db.read.QueryRowContext(ctx, `SELECT `+settingColumns+settingFrom+` WHERE `+where, a...), &r)
	if err != nil {
		return r, notFound(err, "setting "+urn)
	}
	return r, nil
}

// SettingsByURN returns the settings with the given URNs, unscoped, for
// validating imports; callers check policy on each.
func (tx *Tx) SettingsByURN(ctx context.Context, urns []string) (map[string]domain.Setting, error) {
	out := make(map[string]domain.Setting, len(urns))
	for start := 0; start < len(urns); start += 500 {
		batch := urns[start:min(start+500, len(urns))]
		var a args
		ph := make([]string, len(batch))
		for i, u := range batch {
			ph[i] = a.add(u)
		}
		rows, err := tx.tx.QueryContext(ctx, `SELECT `+settingColumns+settingFrom+` WHERE s.urn IN (`+strings.Join(ph, ", ")+`)`, a...)
		if err != nil {
			return nil, fmt.Errorf("settings by urn: %w", err)
		}
		for rows.Next() {
			var r SettingRecord
			if err := scanSetting(rows, &r); err != nil {
				rows.Close()
				return nil, fmt.Errorf("settings by urn: %w", err)
			}
			out[r.URN] = r.Setting
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("settings by urn: %w", err)
		}
	}
	return out, nil
}

// wordsSQL is the condition that every word appears somewhere in a
// setting's search_text, as a LIKE '%word%' on it would find. SQLite
// answers words of three letters or more from its trigram index
// (settings_search), all of them in one MATCH of quoted phrases, each of
// which matches exactly the substring; shorter words, which a trigram index
// cannot find, are tested by LIKE on the rows it leaves. On PostgreSQL
// the LIKEs are answered by the pg_trgm index on search_text.
func (db *DB) wordsSQL(a *args, words []string) string {
	var phrases []string
	cond := ""
	for _, w := range words {
		if db.Dialect == SQLite && utf8.RuneCountInString(w) >= 3 {
			phrases = append(phrases, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
			continue
		}
		cond += ` AND s.search_text LIKE ` + a.add(like(w)) + ` ESCAPE '\'`
	}
	if len(phrases) > 0 {
		cond = ` AND s.rowid IN (SELECT rowid FROM settings_search WHERE settings_search MATCH ` + a.add(strings.Join(phrases, " ")) + `)` + cond
	}
	return cond
}

// rankSQL orders a search's matches best first: settings whose name
// begins with the words as typed, then those where the words as typed
// begin a word (of the name, town, postcode or authority), then the rest
// (every word found somewhere); by name within each. search_text begins
// with the setting's name, so its start is the name's.
func rankSQL(a *args, words []string) string {
	phrase := likeEscaper.Replace(strings.Join(words, " "))
	return `CASE WHEN s.search_text LIKE ` + a.add(phrase+"%") + ` ESCAPE '\' THEN 0` +
		` WHEN s.search_text LIKE ` + a.add("% "+phrase+"%") + ` ESCAPE '\' THEN 1 ELSE 2 END`
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// normalise lowercases and squeezes spaces, as search_text is stored.
func normalise(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// searchText is what a free-text search matches: name, URN, postcode (with
// and without its space), town and authority name.
func searchText(s domain.Setting, laName string) string {
	return normalise(strings.Join([]string{s.Name, s.URN, s.Postcode, strings.ReplaceAll(s.Postcode, " ", ""), s.Town, laName}, " "))
}
