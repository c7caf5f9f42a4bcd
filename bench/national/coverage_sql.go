package main

// The coverage SQL of internal/store/coverage.go (qualifiedSQL,
// inTrainingSQL, groupSQL, settingFlagsSQL, CoverageByLA,
// CoverageSettings), internal/store/eligible.go (eligibleSQL),
// internal/store/settings.go (settingScope) and
// internal/store/coverage_lost.go (heldByEmploymentSQL,
// SettingsLostSENCO), built the same way from the domain's lists, in the
// form the store uses for the scope and database (probe). The harness
// checks that it gives CoverageByLA's, CoverageSettings' and
// SettingsLostSENCO's answers before timing it.

import (
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
)

// probe: the store's per-setting form, for a narrow scope on PostgreSQL.
type probe bool

func probeFor(pg bool, scope policy.Scope) probe { return probe(pg && scope.Kind != policy.National) }

func (p probe) end() string {
	if p {
		return " OFFSET 0)"
	}
	return ")"
}

func (p probe) certifiedSQL(pid, day string) string {
	if !p {
		return "EXISTS (SELECT 1 FROM certificates c WHERE c.practitioner_id = " + pid + " AND c.level >= 3" +
			" AND c.certified_on <= " + day + " AND (c.revoked_on IS NULL OR c.revoked_on > " + day + "))"
	}
	return "(EXISTS (SELECT 1 FROM applications ca JOIN qualifications cq ON cq.id = ca.qualification_id WHERE ca.practitioner_id = " + pid +
		" AND cq.level >= 3 AND ca.certified_on <= " + day + " AND (ca.revoked_on IS NULL OR ca.revoked_on > " + day + "))" +
		" OR EXISTS (SELECT 1 FROM recognised_qualifications rq WHERE rq.practitioner_id = " + pid +
		" AND rq.level >= 3 AND rq.recognised_on <= " + day + " AND (rq.revoked_on IS NULL OR rq.revoked_on > " + day + ")))"
}

func (p probe) qualifiedSQL(a *sqlArgs, d domain.Date, senco bool) string {
	day := a.add(d)
	role := ""
	if senco {
		role = " AND e.role = " + a.add(string(domain.RoleSENCO))
	}
	return "EXISTS (SELECT 1 FROM employments e WHERE e.setting_urn = s.urn" + role +
		" AND e.started_on <= " + day + " AND (e.ended_on IS NULL OR e.ended_on > " + day + ")" +
		" AND " + p.certifiedSQL("e.practitioner_id", day) + p.end()
}

func (p probe) inTrainingSQL(a *sqlArgs, d domain.Date) string {
	day := a.add(d)
	return "EXISTS (SELECT 1 FROM employments e WHERE e.setting_urn = s.urn" +
		" AND e.started_on <= " + day + " AND (e.ended_on IS NULL OR e.ended_on > " + day + ")" +
		" AND EXISTS (SELECT 1 FROM applications ap WHERE ap.practitioner_id = e.practitioner_id" +
		" AND ap.enrolled_on <= " + day + " AND (ap.left_training_on IS NULL OR ap.left_training_on > " + day + "))" + p.end()
}

func groupSQL(a *sqlArgs) string {
	ph := make([]string, len(domain.GroupTypes))
	for i, t := range domain.GroupTypes {
		ph[i] = a.add(string(t))
	}
	return "s.provider_type IN (" + strings.Join(ph, ", ") + ")"
}

func eligibleSQL(a *sqlArgs, t string, d domain.Date) string {
	types := make([]string, len(domain.EligibleTypes))
	for i, pt := range domain.EligibleTypes {
		types[i] = a.add(string(pt))
	}
	day := a.add(d)
	return "(" + t + ".registered_on IS NOT NULL AND " + t + ".registered_on <= " + day +
		" AND (" + t + ".closed_on IS NULL OR " + t + ".closed_on > " + day + ")" +
		" AND " + t + ".eyr AND " + t + ".provider_type IN (" + strings.Join(types, ", ") + "))"
}

func settingScope(a *sqlArgs, scope policy.Scope) string {
	switch scope.Kind {
	case policy.National:
		return "1=1"
	case policy.LA:
		return "s.la_code = " + a.add(scope.LACode)
	case policy.Setting:
		return "s.urn = " + a.add(scope.SettingURN)
	}
	panic("scope not covered")
}

func settingFlagsSQL(a *sqlArgs, scope policy.Scope, d domain.Date, p probe) string {
	where := settingScope(a, scope)
	return `SELECT s.urn, COALESCE(s.la_code, '') AS la_code, s.name, s.provider_type, s.places, s.outcome, CASE WHEN ` + groupSQL(a) + ` THEN 1 ELSE 0 END AS grp,
		CASE WHEN ` + p.qualifiedSQL(a, d, false) + ` THEN 1 ELSE 0 END AS q,
		CASE WHEN ` + p.inTrainingSQL(a, d) + ` THEN 1 ELSE 0 END AS t,
		CASE WHEN ` + p.qualifiedSQL(a, d, true) + ` THEN 1 ELSE 0 END AS dg
		FROM settings s WHERE ` + where + ` AND ` + eligibleSQL(a, "s", d)
}

// coverageByLASQL is the one statement CoverageByLA runs for its counts.
func coverageByLASQL(pg bool, scope policy.Scope, d domain.Date) (string, []any) {
	var a sqlArgs
	flags := settingFlagsSQL(&a, scope, d, probeFor(pg, scope))
	return `SELECT x.la_code, x.grp, COUNT(*), SUM(x.q), SUM(x.t), SUM(x.dg), SUM(CASE WHEN x.q = 0 AND x.t = 0 THEN 1 ELSE 0 END)
		FROM (` + flags + `) x GROUP BY x.la_code, x.grp`, a
}

// coverageSettingsSQL is CoverageSettings' statement.
func coverageSettingsSQL(pg bool, scope policy.Scope, d domain.Date, laCode string, gapOnly bool) (string, []any) {
	var a sqlArgs
	flags := settingFlagsSQL(&a, scope, d, probeFor(pg, scope))
	where := "1=1"
	if laCode != "" {
		if laCode == "none" {
			laCode = ""
		}
		where += " AND x.la_code = " + a.add(laCode)
	}
	if gapOnly {
		where += " AND x.q = 0 AND x.t = 0"
	}
	return `SELECT x.urn, x.name, x.provider_type, x.la_code, x.places, x.outcome, x.q, x.t, x.dg
		FROM (` + flags + `) x WHERE ` + where + ` ORDER BY x.name, x.urn`, a
}

func heldByEmploymentSQL(a *sqlArgs, d domain.Date, p probe) string {
	day := a.add(d)
	return "(le.started_on <= " + day + " AND (le.ended_on IS NULL OR le.ended_on > " + day + ")" +
		" AND " + p.certifiedSQL("le.practitioner_id", day) + ")"
}

// lostSENCOSQL is SettingsLostSENCO's statement.
func lostSENCOSQL(pg bool, scope policy.Scope, since, asAt domain.Date, laCode string) (string, []any) {
	var a sqlArgs
	p := probeFor(pg, scope)
	where := settingScope(&a, scope)
	if laCode != "" {
		if laCode == "none" {
			laCode = ""
		}
		where += " AND COALESCE(s.la_code, '') = " + a.add(laCode)
	}
	where += " AND " + eligibleSQL(&a, "s", asAt) +
		" AND " + p.qualifiedSQL(&a, since, false) +
		" AND NOT " + p.qualifiedSQL(&a, asAt, false)
	lower, upper := a.add(since), a.add(asAt)
	q := `SELECT s.urn, MAX(le.ended_on) FROM settings s JOIN employments le ON le.setting_urn = s.urn
		WHERE ` + where + ` AND le.ended_on IS NOT NULL AND le.ended_on > ` + lower + ` AND le.ended_on <= ` + upper +
		` AND ` + heldByEmploymentSQL(&a, since, p) + `
		GROUP BY s.urn`
	return q, a
}

// laColumns: internal/store/las.go, the list AllLocalAuthorities reads.
const allLASQL = `SELECT code, dfe_code, name, ofsted_name, region_code, region_name, type, started_on, ended_on, updated_at FROM local_authorities WHERE 1=1 ORDER BY name, code`
