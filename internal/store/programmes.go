package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
)

// SaveQualification adds a qualification version to the catalogue, or
// returns the id of the same code and version already there: the catalogue
// is data, loaded at start-up, and a version never changes once stored.
func (tx *Tx) SaveQualification(ctx context.Context, q domain.Qualification) (int64, error) {
	plan := ""
	if !q.Plan.Empty() {
		b, err := json.Marshal(q.Plan)
		if err != nil {
			return 0, fmt.Errorf("qualification plan: %w", err)
		}
		plan = string(b)
	}
	var id int64
	var stored string
	err := tx.tx.QueryRowContext(ctx, `SELECT id, assessment_plan FROM qualifications WHERE code = $1 AND version = $2`, q.Code, q.Version).Scan(&id, &stored)
	if err == nil {
		// A version stored before its plan was catalogue data gets it once.
		if stored == "" && plan != "" {
			if _, err := tx.tx.ExecContext(ctx, `UPDATE qualifications SET assessment_plan = $1 WHERE id = $2`, plan, id); err != nil {
				return 0, fmt.Errorf("save qualification plan %s v%d: %w", q.Code, q.Version, err)
			}
		}
		return id, nil
	}
	if err := notFound(err, "find qualification"); err != ErrNotFound {
		return 0, err
	}
	units, err := json.Marshal(q.Units)
	if err != nil {
		return 0, fmt.Errorf("qualification units: %w", err)
	}
	id, err = tx.insertID(ctx, `INSERT INTO qualifications (code, version, title, level, awarding_org, glh, tqt, units, assessment_plan, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, q.Code, q.Version, q.Title, q.Level, q.AwardingOrganisation,
		q.GuidedLearningHours, q.TotalQualificationHrs, string(units), plan, tx.now)
	if err != nil {
		return 0, fmt.Errorf("save qualification %s v%d: %w", q.Code, q.Version, err)
	}
	return id, nil
}

const qualificationColumns = `id, code, version, title, level, awarding_org, glh, tqt, units, assessment_plan`

func scanQualification(sc interface{ Scan(...any) error }) (domain.Qualification, error) {
	var q domain.Qualification
	var units, plan string
	if err := sc.Scan(&q.ID, &q.Code, &q.Version, &q.Title, &q.Level, &q.AwardingOrganisation, &q.GuidedLearningHours, &q.TotalQualificationHrs, &units, &plan); err != nil {
		return q, err
	}
	if err := json.Unmarshal([]byte(units), &q.Units); err != nil {
		return q, fmt.Errorf("qualification %d units: %w", q.ID, err)
	}
	if plan != "" {
		if err := json.Unmarshal([]byte(plan), &q.Plan); err != nil {
			return q, fmt.Errorf("qualification %d assessment plan: %w", q.ID, err)
		}
	}
	return q, nil
}

// QualificationIn reads one qualification version.
func QualificationIn(ctx context.Context, q Querier, id int64) (domain.Qualification, error) {
	qual, err := scanQualification(q.QueryRowContext(ctx, `SELECT `+qualificationColumns+` FROM qualifications WHERE id = $1`, id))
	return qual, notFound(err, "qualification")
}

// Qualification returns one version from the catalogue (public data).
func (db *DB) Qualification(ctx context.Context, id int64) (domain.Qualification, error) {
	q, err := scanQualification(db.read.QueryRowContext(ctx, `SELECT `+qualificationColumns+` FROM qualifications WHERE id = $1`, id))
	return q, notFound(err, "qualification")
}

// Qualifications lists the catalogue, newest version of each code first.
func (db *DB) Qualifications(ctx context.Context) ([]domain.Qualification, error) {
	return collect(ctx, db.read, "list qualifications", func(sc scanner, q *domain.Qualification) (err error) {
		*q, err = scanQualification(sc)
		return err
	}, `SELECT `+qualificationColumns+` FROM qualifications ORDER BY level, code, version DESC`)
}

const programmeColumns = `p.id, p.name, p.qualification_id, p.opens_on, p.closes_on, p.starts_on, p.ends_on, p.target_completions, p.rules, p.updated_at`

func scanProgramme(sc interface{ Scan(...any) error }) (domain.Programme, error) {
	var p domain.Programme
	var rules string
	if err := sc.Scan(&p.ID, &p.Name, &p.QualificationID, &p.OpensOn, &p.ClosesOn, &p.StartsOn, &p.EndsOn, &p.TargetCompletions, &rules, nullTime{&p.UpdatedAt}); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(rules), &p.Rules); err != nil {
		return p, fmt.Errorf("programme %d rules: %w", p.ID, err)
	}
	return p, nil
}

// SaveProgramme creates a programme (ID 0) or updates one; changes (such as
// a raised target) are audited with before and after.
func (tx *Tx) SaveProgramme(ctx context.Context, a domain.Actor, p domain.Programme) (domain.Programme, error) {
	rules, err := json.Marshal(p.Rules)
	if err != nil {
		return p, fmt.Errorf("programme rules: %w", err)
	}
	if p.ID == 0 {
		var n int
		if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM programmes WHERE name = $1`, p.Name).Scan(&n); err != nil {
			return p, fmt.Errorf("create programme: %w", err)
		}
		if n > 0 {
			return p, fmt.Errorf("%w: %w", domain.ProgrammeExists(p.Name), ErrConflict)
		}
		p.ID, err = tx.insertID(ctx, `INSERT INTO programmes (name, qualification_id, opens_on, closes_on, starts_on, ends_on, target_completions, rules, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, p.Name, p.QualificationID, p.OpensOn, p.ClosesOn, p.StartsOn, p.EndsOn, p.TargetCompletions, string(rules), tx.now)
		if err != nil {
			return p, fmt.Errorf("create programme: %w", err)
		}
		p.UpdatedAt = tx.now
		return p, tx.Audit(ctx, a, "create", "programme", fmt.Sprint(p.ID), nil, p)
	}
	before, err := scanProgramme(tx.tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes p WHERE p.id = $1`, p.ID))
	if err != nil {
		return p, notFound(err, "programme")
	}
	_, err = tx.tx.ExecContext(ctx, `UPDATE programmes SET name = $2, qualification_id = $3, opens_on = $4, closes_on = $5, starts_on = $6, ends_on = $7,
		target_completions = $8, rules = $9, updated_at = $10 WHERE id = $1`, p.ID, p.Name, p.QualificationID, p.OpensOn, p.ClosesOn, p.StartsOn, p.EndsOn,
		p.TargetCompletions, string(rules), tx.now)
	if err != nil {
		return p, fmt.Errorf("update programme: %w", err)
	}
	p.UpdatedAt = tx.now
	return p, tx.Audit(ctx, a, "update", "programme", fmt.Sprint(p.ID), before, p)
}

// Programme returns one programme. Programmes are not secret: every
// signed-in user may read them.
func (db *DB) Programme(ctx context.Context, id int64) (domain.Programme, error) {
	p, err := scanProgramme(db.read.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes p WHERE p.id = $1`, id))
	return p, notFound(err, "programme")
}

// Programmes lists programmes, newest first.
func (db *DB) Programmes(ctx context.Context) ([]domain.Programme, error) {
	return collect(ctx, db.read, "list programmes", func(sc scanner, p *domain.Programme) (err error) {
		*p, err = scanProgramme(sc)
		return err
	}, `SELECT `+programmeColumns+` FROM programmes p ORDER BY p.opens_on DESC, p.id DESC`)
}

// SetSupplierMembers records the member organisations of a consortium.
func (tx *Tx) SetSupplierMembers(ctx context.Context, a domain.Actor, supplierOrgID int64, members []string) error {
	before, err := tx.supplierMembers(ctx, supplierOrgID)
	if err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM supplier_members WHERE supplier_org_id = $1`, supplierOrgID); err != nil {
		return fmt.Errorf("set supplier members: %w", err)
	}
	seen := map[string]bool{}
	for _, m := range members {
		m = strings.TrimSpace(m)
		if m == "" || seen[m] {
			continue
		}
		seen[m] = true
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO supplier_members (supplier_org_id, name) VALUES ($1, $2)`, supplierOrgID, m); err != nil {
			return fmt.Errorf("set supplier members: %w", err)
		}
	}
	return tx.Audit(ctx, a, "update", "supplier_members", fmt.Sprint(supplierOrgID), before, members)
}

func (tx *Tx) supplierMembers(ctx context.Context, orgID int64) ([]string, error) {
	return queryStrings(ctx, tx.tx, `SELECT name FROM supplier_members WHERE supplier_org_id = $1 ORDER BY name`, orgID)
}

// SupplierMembers lists a consortium's members (public).
func (db *DB) SupplierMembers(ctx context.Context, orgID int64) ([]string, error) {
	return queryStrings(ctx, db.read, `SELECT name FROM supplier_members WHERE supplier_org_id = $1 ORDER BY name`, orgID)
}

// ContractRecord is a contract with names for pages.
type ContractRecord struct {
	domain.Contract
	SupplierName  string
	ProgrammeName string
	Used          bool // has cohorts: cannot be edited, only replaced
}

// CreateContract adds a new version of a supplier's contract for a
// programme. The authorities it serves are the LAs named plus every live
// authority of the regions named. The previous version, if any, is marked
// superseded; cohorts made under it keep it.
func (tx *Tx) CreateContract(ctx context.Context, a domain.Actor, c domain.Contract) (domain.Contract, error) {
	var prev int64
	err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM contracts WHERE supplier_org_id = $1 AND programme_id = $2`,
		c.SupplierOrgID, c.ProgrammeID).Scan(&c.Version)
	if err != nil {
		return c, fmt.Errorf("create contract: %w", err)
	}
	if c.Version > 0 {
		if err := tx.tx.QueryRowContext(ctx, `SELECT id FROM contracts WHERE supplier_org_id = $1 AND programme_id = $2 AND version = $3`,
			c.SupplierOrgID, c.ProgrammeID, c.Version).Scan(&prev); err != nil {
			return c, fmt.Errorf("create contract: %w", err)
		}
	}
	c.Version++
	c.CreatedAt = tx.now
	c.ID, err = tx.insertID(ctx, `INSERT INTO contracts (supplier_org_id, programme_id, version, region_codes, allocated_places, price_started, price_retained, price_completed, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, c.SupplierOrgID, c.ProgrammeID, c.Version, strings.Join(c.RegionCodes, ","),
		c.AllocatedPlaces, c.PriceStarted, c.PriceRetained, c.PriceCompleted, tx.now)
	if err != nil {
		return c, fmt.Errorf("create contract: %w", err)
	}
	las := map[string]bool{}
	for _, code := range c.LACodes {
		las[code] = true
	}
	for _, region := range c.RegionCodes {
		codes, err := queryStrings(ctx, tx.tx, `SELECT code FROM local_authorities WHERE region_code = $1 AND ended_on IS NULL`, region)
		if err != nil {
			return c, err
		}
		for _, code := range codes {
			las[code] = true
		}
	}
	c.LACodes = c.LACodes[:0]
	for code := range las {
		c.LACodes = append(c.LACodes, code)
	}
	sort.Strings(c.LACodes)
	for _, code := range c.LACodes {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO contract_las (contract_id, la_code) VALUES ($1, $2)`, c.ID, code); err != nil {
			return c, fmt.Errorf("contract authority %s: %w", code, err)
		}
	}
	if prev != 0 {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE contracts SET superseded_by = $2 WHERE id = $1`, prev, c.ID); err != nil {
			return c, fmt.Errorf("supersede contract: %w", err)
		}
	}
	return c, tx.Audit(ctx, a, "create", "contract", fmt.Sprint(c.ID), nil, c)
}

const contractColumns = `c.id, c.supplier_org_id, c.programme_id, c.version, c.region_codes, c.allocated_places, c.price_started, c.price_retained,
	c.price_completed, COALESCE(c.superseded_by, 0), c.created_at, o.name, p.name,
	EXISTS (SELECT 1 FROM cohorts ch WHERE ch.contract_id = c.id)`

const contractFrom = ` FROM contracts c JOIN organisations o ON o.id = c.supplier_org_id JOIN programmes p ON p.id = c.programme_id`

// Contracts lists contracts in scope: all for the programme team, a
// supplier's own for its people. current limits to versions in force.
func (db *DB) Contracts(ctx context.Context, scope policy.Scope, current bool) ([]ContractRecord, error) {
	var a args
	where := "1=1"
	switch scope.Kind {
	case policy.National:
	case policy.Org, policy.Staffed:
		where = "c.supplier_org_id = " + a.add(scope.OrgID)
	default:
		return nil, nil
	}
	if current {
		where += " AND c.superseded_by IS NULL"
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+contractColumns+contractFrom+` WHERE `+where+` ORDER BY o.name, p.name, c.version DESC`, a...)
	if err != nil {
		return nil, fmt.Errorf("list contracts: %w", err)
	}
	var out []ContractRecord
	for rows.Next() {
		var r ContractRecord
		var regions string
		if err := rows.Scan(&r.ID, &r.SupplierOrgID, &r.ProgrammeID, &r.Version, &regions, &r.AllocatedPlaces, &r.PriceStarted, &r.PriceRetained,
			&r.PriceCompleted, &r.SupersededBy, nullTime{&r.CreatedAt}, &r.SupplierName, &r.ProgrammeName, &r.Used); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list contracts: %w", err)
		}
		if regions != "" {
			r.RegionCodes = strings.Split(regions, ",")
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].LACodes, err = queryStrings(ctx, db.read, `SELECT la_code FROM contract_las WHERE contract_id = $1 ORDER BY la_code`, out[i].ID)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Contract returns one contract in scope.
func (db *DB) Contract(ctx context.Context, scope policy.Scope, id int64) (ContractRecord, error) {
	all, err := db.Contracts(ctx, scope, false)
	if err != nil {
		return ContractRecord{}, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return ContractRecord{}, ErrNotFound
}
