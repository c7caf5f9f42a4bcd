package store

import (
	"senco/internal/domain"
	"senco/internal/policy"
)

// Statement is one SQL statement and its arguments, exactly as the store
// runs it: for tools that time the store's own SQL on a pool of their own
// (bench/national), so what they time is never a stale copy.
type Statement struct {
	SQL  string
	Args []any
}

// CoverageByLAStatement is the one statement CoverageByLA runs for its
// counts; false when the scope sees no settings.
func (db *DB) CoverageByLAStatement(scope policy.Scope, d domain.Date) (Statement, bool) {
	return db.coverageByLAStatement(scope, d, db.coveragePlan(scope))
}

// CoverageByLAStatementForm is CoverageByLA's statement written in the
// set-based form (setBased) or the correlated one, whichever the store
// would pick for the scope: for tools that time one form against the other
// to check the store's choice.
func (db *DB) CoverageByLAStatementForm(scope policy.Scope, d domain.Date, setBased bool) (Statement, bool) {
	plan := coveragePlan{set: setBased}
	if !setBased {
		plan.probe = probe(db.Dialect == Postgres && scope.Kind != policy.National)
	}
	return db.coverageByLAStatement(scope, d, plan)
}

func (db *DB) coverageByLAStatement(scope policy.Scope, d domain.Date, plan coveragePlan) (Statement, bool) {
	var a args
	flags, ok := settingFlagsSQL(&a, scope, d, plan)
	if !ok {
		return Statement{}, false
	}
	return Statement{`SELECT x.la_code, x.grp, COUNT(*), SUM(x.q), SUM(x.t), SUM(x.dg), SUM(CASE WHEN x.q = 0 AND x.t = 0 THEN 1 ELSE 0 END)
		FROM (` + flags + `) x GROUP BY x.la_code, x.grp`, a}, true
}

// CoverageSettingsStatement is CoverageSettings' statement.
func (db *DB) CoverageSettingsStatement(scope policy.Scope, d domain.Date, laCode string, gapOnly bool) (Statement, bool) {
	var a args
	plan := db.coveragePlan(scope)
	if laCode != "" {
		// One authority's list, even in England's scope (the programme
		// team's view of an authority): probing its settings wins.
		plan = db.narrowPlan()
	}
	flags, ok := settingFlagsSQL(&a, scope, d, plan)
	if !ok {
		return Statement{}, false
	}
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
	return Statement{`SELECT x.urn, x.name, x.provider_type, x.la_code, x.places, x.outcome, x.q, x.t, x.dg,
		sa.address1, sa.town, sa.postcode, sa.inspected_on
		FROM (` + flags + `) x JOIN settings sa ON sa.urn = x.urn WHERE ` + where + ` ORDER BY x.name, x.urn`, a}, true
}

// SettingsLostSENCOStatement is SettingsLostSENCO's statement; false when
// there is nothing to ask (an empty window, or a scope without settings).
func (db *DB) SettingsLostSENCOStatement(scope policy.Scope, since, asAt domain.Date, laCode string) (Statement, bool) {
	if !since.Before(asAt) {
		return Statement{}, false
	}
	var a args
	where, ok := settingScope(&a, scope)
	if !ok {
		return Statement{}, false
	}
	pr := db.coveragePlan(scope).probe
	if laCode != "" {
		if laCode == "none" {
			laCode = ""
		}
		where += " AND COALESCE(s.la_code, '') = " + a.add(laCode)
	}
	where += " AND " + eligibleSQL(&a, "s", asAt) +
		" AND " + pr.qualifiedSQL(&a, since, false) +
		" AND NOT " + pr.qualifiedSQL(&a, asAt, false)
	lower, upper := a.add(since), a.add(asAt)
	return Statement{`SELECT s.urn, MAX(le.ended_on) FROM settings s JOIN employments le ON le.setting_urn = s.urn
		WHERE ` + where + ` AND le.ended_on IS NOT NULL AND le.ended_on > ` + lower + ` AND le.ended_on <= ` + upper +
		` AND ` + heldByEmploymentSQL(&a, since, pr) + `
		GROUP BY s.urn`, a}, true
}
