package store

import (
	"context"
	"fmt"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
)

// The coverage rules of DESIGN.md section 4 live in package domain
// (EligibleSetting, QualifiedSENCOAt, InTrainingAt, CoverSetting,
// AreaCoverage.Count). The SQL below is those rules written as conditions,
// built from the domain's own lists; TestCoverageSQLMatchesDomain checks on
// both databases that it classifies every setting exactly as the domain
// functions do.

// probe shapes the correlated conditions below (one EXISTS per setting)
// for PostgreSQL over a narrow scope. Given the EXISTS form over one
// authority, its planner hashes every qualifying employment in England
// rather than probe each setting's own employments through their indexes
// (an authority's page took 460 ms that way, 110 ms probing). So the
// conditions are written in a form it must probe: OFFSET 0 keeps each
// subquery as it is written, and a certificate is looked for in its two
// sources apart, each by an index. SQLite's LIMIT/OFFSET grammar differs,
// and it probes as written anyway, so it keeps the plain form.
type probe bool

// end closes an EXISTS subquery.
func (p probe) end() string {
	if p {
		return " OFFSET 0)"
	}
	return ")"
}

// certifiedSQL: practitioner pid holds, on day, a certificate of level 3
// or above (domain.Certificate.ValidOn).
func (p probe) certifiedSQL(pid, day string) string {
	if !p {
		return "EXISTS (SELECT 1 FROM certificates c WHERE c.practitioner_id = " + pid + " AND c.level >= 3" +
			" AND c.certified_on <= " + day + " AND (c.revoked_on IS NULL OR c.revoked_on > " + day + "))"
	}
	// The two sources of the certificates view, each probed by practitioner.
	return "(EXISTS (SELECT 1 FROM applications ca JOIN qualifications cq ON cq.id = ca.qualification_id WHERE ca.practitioner_id = " + pid +
		" AND cq.level >= 3 AND ca.certified_on <= " + day + " AND (ca.revoked_on IS NULL OR ca.revoked_on > " + day + "))" +
		" OR EXISTS (SELECT 1 FROM recognised_qualifications rq WHERE rq.practitioner_id = " + pid +
		" AND rq.level >= 3 AND rq.recognised_on <= " + day + " AND (rq.revoked_on IS NULL OR rq.revoked_on > " + day + ")))"
}

// qualifiedSQL: a qualified SENCO works at setting s on day d (domain.QualifiedSENCOAt).
// senco restricts it to employments with role SENCO (the designated SENCO).
func (p probe) qualifiedSQL(a *args, d domain.Date, senco bool) string {
	day := a.add(d)
	role := ""
	if senco {
		role = " AND e.role = " + a.add(string(domain.RoleSENCO))
	}
	return "EXISTS (SELECT 1 FROM employments e WHERE e.setting_urn = s.urn" + role +
		" AND e.started_on <= " + day + " AND (e.ended_on IS NULL OR e.ended_on > " + day + ")" +
		" AND " + p.certifiedSQL("e.practitioner_id", day) + p.end()
}

// inTrainingSQL: someone employed at s on d has an enrolment active on d
// (domain.InTrainingAt).
func (p probe) inTrainingSQL(a *args, d domain.Date) string {
	day := a.add(d)
	return "EXISTS (SELECT 1 FROM employments e WHERE e.setting_urn = s.urn" +
		" AND e.started_on <= " + day + " AND (e.ended_on IS NULL OR e.ended_on > " + day + ")" +
		" AND EXISTS (SELECT 1 FROM applications ap WHERE ap.practitioner_id = e.practitioner_id" +
		" AND ap.enrolled_on <= " + day + " AND (ap.left_training_on IS NULL OR ap.left_training_on > " + day + "))" + p.end()
}

func groupSQL(a *args) string {
	ph := make([]string, len(domain.GroupTypes))
	for i, t := range domain.GroupTypes {
		ph[i] = a.add(string(t))
	}
	return "s.provider_type IN (" + strings.Join(ph, ", ") + ")"
}

// coveragePlan is how the per-setting coverage flags are computed.
type coveragePlan struct {
	// set: the qualifying and the in-training employments on the day are
	// each found once, from the few practitioners who hold a certificate
	// or an enrolment, and joined to the eligible settings. Over England
	// that is 5–8 times quicker than asking, for each of the 56,000
	// settings, whether one of its staff qualifies.
	set bool
	// probe shapes the correlated form used when set is false.
	probe probe
}

// coveragePlan picks the set-based form for England and the correlated
// one for any narrower scope, where probing each of its settings wins: on
// SQLite one authority's counts (Surrey, 1,819 eligible settings) took 59 ms
// of CPU probing against 110 ms for the set-based pass, which still visits
// every qualifying employment in England (docs/performance.md).
func (db *DB) coveragePlan(scope policy.Scope) coveragePlan {
	if scope.Kind == policy.National {
		return coveragePlan{set: true}
	}
	return db.narrowPlan()
}

// narrowPlan is the correlated form, for a statement that reads one
// authority's settings or fewer, whatever the scope.
func (db *DB) narrowPlan() coveragePlan {
	return coveragePlan{probe: probe(db.Dialect == Postgres)}
}

// settingFlagsSQL selects, for every eligible setting on d within the
// scope, its authority, what a list shows of it, whether it is a group
// setting and its coverage flags as 0/1. A list reads its columns from here
// rather than joining settings again: PostgreSQL cannot estimate how many
// rows the flags leave and, guessing one, joined the whole settings table
// to each (10 s for one authority's gap list instead of 0.2 s).
func settingFlagsSQL(a *args, scope policy.Scope, d domain.Date, plan coveragePlan) (string, bool) {
	where, ok := settingScope(a, scope)
	if !ok {
		return "", false
	}
	cols := `s.urn, COALESCE(s.la_code, '') AS la_code, s.name, s.provider_type, s.places, s.outcome, CASE WHEN ` + groupSQL(a) + ` THEN 1 ELSE 0 END AS grp`
	if plan.set {
		staff := staffFlagsSQL(a, d)
		return `SELECT ` + cols + `, COALESCE(f.q, 0) AS q, COALESCE(f.t, 0) AS t, COALESCE(f.dg, 0) AS dg
		FROM settings s LEFT JOIN (` + staff + `) f ON f.setting_urn = s.urn
		WHERE ` + where + ` AND ` + eligibleSQL(a, "s", d), true
	}
	p := plan.probe
	return `SELECT ` + cols + `,
		CASE WHEN ` + p.qualifiedSQL(a, d, false) + ` THEN 1 ELSE 0 END AS q,
		CASE WHEN ` + p.inTrainingSQL(a, d) + ` THEN 1 ELSE 0 END AS t,
		CASE WHEN ` + p.qualifiedSQL(a, d, true) + ` THEN 1 ELSE 0 END AS dg
		FROM settings s WHERE ` + where + ` AND ` + eligibleSQL(a, "s", d), true
}

// staffFlagsSQL selects, for every setting with someone employed there on
// d who holds a certificate or an active enrolment on d, the setting's URN
// and three 0/1 flags: a qualified SENCO works there (q,
// domain.QualifiedSENCOAt), someone there is in training (t,
// domain.InTrainingAt), and a qualified SENCO there has the SENCO role (dg).
// It starts from the practitioners who hold something on d — tens of
// thousands nationally, against half a million employments — and reaches
// their employments by the (practitioner_id, …) unique index.
func staffFlagsSQL(a *args, d domain.Date) string {
	day := a.add(d)
	senco := a.add(string(domain.RoleSENCO))
	held := `SELECT practitioner_id, MAX(q) AS q, MAX(t) AS t FROM (
			SELECT practitioner_id, 1 AS q, 0 AS t FROM certificates
			WHERE level >= 3 AND certified_on <= ` + day + ` AND (revoked_on IS NULL OR revoked_on > ` + day + `)
			UNION ALL
			SELECT practitioner_id, 0 AS q, 1 AS t FROM applications
			WHERE enrolled_on <= ` + day + ` AND (left_training_on IS NULL OR left_training_on > ` + day + `)
		) hx GROUP BY practitioner_id`
	return `SELECT e.setting_urn, MAX(h.q) AS q, MAX(h.t) AS t, MAX(CASE WHEN e.role = ` + senco + ` THEN h.q ELSE 0 END) AS dg
		FROM (` + held + `) h JOIN employments e ON e.practitioner_id = h.practitioner_id
		WHERE e.started_on <= ` + day + ` AND (e.ended_on IS NULL OR e.ended_on > ` + day + `)
		GROUP BY e.setting_urn`
}

// LACoverage is one authority's coverage on a date. Code "" is the row of
// settings whose authority Ofsted did not record.
type LACoverage struct {
	Code       string
	Name       string
	RegionCode string
	RegionName string
	EndedOn    domain.Date
	domain.AreaCoverage
}

// CoverageByLA counts coverage on d for every authority in scope: every
// live authority (with zeros where it has no eligible settings), ended
// authorities that still have settings filed under them, and a "not
// recorded" row. The rows add up to England.
func (db *DB) CoverageByLA(ctx context.Context, scope policy.Scope, d domain.Date) ([]LACoverage, error) {
	st, ok := db.CoverageByLAStatement(scope, d)
	if !ok {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, fmt.Errorf("coverage by LA: %w", err)
	}
	byLA := map[string]*domain.AreaCoverage{}
	for rows.Next() {
		var code string
		var grp int
		var c domain.Counts
		if err := rows.Scan(&code, &grp, &c.Eligible, &c.Qualified, &c.InTraining, &c.Designated, &c.Gap); err != nil {
			rows.Close()
			return nil, fmt.Errorf("coverage by LA: %w", err)
		}
		ac := byLA[code]
		if ac == nil {
			ac = &domain.AreaCoverage{}
			byLA[code] = ac
		}
		if grp == 1 {
			ac.Group = c
		} else {
			ac.Childminder = c
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	las, err := db.AllLocalAuthorities(ctx)
	if err != nil {
		return nil, err
	}
	var out []LACoverage
	for _, la := range las {
		switch scope.Kind {
		case policy.LA:
			if la.Code != scope.LACode {
				continue
			}
		case policy.Setting:
			if byLA[la.Code] == nil {
				continue
			}
		}
		ac, has := byLA[la.Code]
		if !la.EndedOn.IsZero() && !la.EndedOn.After(d) && !has {
			continue // ended, and nothing filed under it any more
		}
		row := LACoverage{Code: la.Code, Name: la.Name, RegionCode: la.RegionCode, RegionName: la.RegionName, EndedOn: la.EndedOn}
		if has {
			row.AreaCoverage = *ac
		}
		out = append(out, row)
		delete(byLA, la.Code)
	}
	if ac, ok := byLA[""]; ok {
		out = append(out, LACoverage{Name: "Not recorded by Ofsted", AreaCoverage: *ac})
		delete(byLA, "")
	}
	// A setting filed under a code missing from the authority list still
	// counts: never silently dropped.
	for code, ac := range byLA {
		out = append(out, LACoverage{Code: code, Name: code + " (unknown authority)", AreaCoverage: *ac})
	}
	return out, nil
}

// SettingCoverageRow is one eligible setting's coverage, for gap lists.
type SettingCoverageRow struct {
	URN        string
	Name       string
	Type       domain.ProviderType
	LACode     string
	Places     int
	Outcome    domain.Outcome
	Qualified  bool
	InTraining bool
	Designated bool
	// Where it is (Ofsted withholds a home-based provider's address) and
	// when it was last fully inspected, for the gap list.
	Address1, Town, Postcode string
	InspectedOn              domain.Date
}

// CoverageSettings lists the eligible settings in scope on d with their
// coverage flags, by name; gapOnly keeps those with no qualified SENCO and
// no one in training.
func (db *DB) CoverageSettings(ctx context.Context, scope policy.Scope, d domain.Date, laCode string, gapOnly bool) ([]SettingCoverageRow, error) {
	st, ok := db.CoverageSettingsStatement(scope, d, laCode, gapOnly)
	if !ok {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, fmt.Errorf("coverage settings: %w", err)
	}
	defer rows.Close()
	var out []SettingCoverageRow
	for rows.Next() {
		var r SettingCoverageRow
		var q, t, dg int
		if err := rows.Scan(&r.URN, &r.Name, &r.Type, &r.LACode, &r.Places, &r.Outcome, &q, &t, &dg, &r.Address1, &r.Town, &r.Postcode, &r.InspectedOn); err != nil {
			return nil, fmt.Errorf("coverage settings: %w", err)
		}
		r.Qualified, r.InTraining, r.Designated = q == 1, t == 1, dg == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// StaffFacts loads, for the settings in scope, every employment with its
// practitioner's certificates and enrolments, for the domain functions: the
// slow, obviously-correct path that tests and small reports use to check
// the SQL.
func (db *DB) StaffFacts(ctx context.Context) (map[string][]domain.StaffMember, error) {
	certs := map[int64][]domain.Certificate{}
	rows, err := db.read.QueryContext(ctx, `SELECT practitioner_id, level, certified_on, revoked_on FROM certificates`)
	if err != nil {
		return nil, fmt.Errorf("staff facts: %w", err)
	}
	for rows.Next() {
		var id int64
		var c domain.Certificate
		if err := rows.Scan(&id, &c.Level, &c.CertifiedOn, &c.RevokedOn); err != nil {
			rows.Close()
			return nil, fmt.Errorf("staff facts: %w", err)
		}
		certs[id] = append(certs[id], c)
	}
	rows.Close()
	enrols := map[int64][]domain.Enrolment{}
	rows, err = db.read.QueryContext(ctx, `SELECT practitioner_id, enrolled_on, left_training_on FROM applications WHERE enrolled_on IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("staff facts: %w", err)
	}
	for rows.Next() {
		var id int64
		var e domain.Enrolment
		if err := rows.Scan(&id, &e.From, &e.To); err != nil {
			rows.Close()
			return nil, fmt.Errorf("staff facts: %w", err)
		}
		enrols[id] = append(enrols[id], e)
	}
	rows.Close()
	out := map[string][]domain.StaffMember{}
	rows, err = db.read.QueryContext(ctx, `SELECT id, practitioner_id, setting_urn, role, started_on, ended_on FROM employments`)
	if err != nil {
		return nil, fmt.Errorf("staff facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e domain.Employment
		if err := rows.Scan(&e.ID, &e.PractitionerID, &e.SettingURN, &e.Role, &e.StartedOn, &e.EndedOn); err != nil {
			return nil, fmt.Errorf("staff facts: %w", err)
		}
		out[e.SettingURN] = append(out[e.SettingURN], domain.StaffMember{Employment: e, Certificates: certs[e.PractitionerID], Enrolments: enrols[e.PractitionerID]})
	}
	return out, rows.Err()
}

// RecogniseQualification records an equivalent SENCO qualification a
// practitioner already holds, which counts like a certificate.
func (tx *Tx) RecogniseQualification(ctx context.Context, a domain.Actor, practitionerID int64, title string, level int, on domain.Date) error {
	if err := domain.CheckRecognisedQualification(title, level); err != nil {
		return err
	}
	id, err := tx.insertID(ctx, `INSERT INTO recognised_qualifications (practitioner_id, title, level, recognised_on, created_at) VALUES ($1, $2, $3, $4, $5)`,
		practitionerID, strings.TrimSpace(title), level, on, tx.now)
	if err != nil {
		return fmt.Errorf("recognise qualification: %w", err)
	}
	if err := tx.touchPractitioner(ctx, practitionerID); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "recognise", "qualification", fmt.Sprint(id), nil, map[string]any{"practitioner_id": practitionerID, "title": title, "level": level, "on": on})
}

// CoverageVersion is a number that moves, in the same transaction, with
// every change to what coverage is counted from (settings, authorities,
// people, employments, applications, qualifications), whichever process
// makes it. What was computed at one version stays true until it moves.
func (db *DB) CoverageVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.read.QueryRowContext(ctx, `SELECT version FROM coverage_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("coverage version: %w", err)
	}
	return v, nil
}
