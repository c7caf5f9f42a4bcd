package portfolio

import (
	"context"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// portfolioScope limits applications (aliased ap, with their cohort
// LEFT JOINed as ch) to a scope. Unlike the application lists, a supplier
// sees the portfolios of learners on its own cohorts only: applications
// from the areas it serves are not its learners until placed.
func portfolioScope(a *store.Args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.Org:
		return "ch.supplier_org_id = " + a.Add(scope.OrgID), true
	case policy.Staffed:
		return "EXISTS (SELECT 1 FROM cohort_staff cs WHERE cs.cohort_id = ap.cohort_id AND cs.role = '" + string(domain.RoleAssessor) + "' AND cs.user_id = " + a.Add(scope.UserID) + ")", true
	case policy.Awarding:
		return "EXISTS (SELECT 1 FROM qualifications q WHERE q.id = COALESCE(ap.qualification_id, (SELECT pp.qualification_id FROM programmes pp WHERE pp.id = ap.programme_id)) AND q.awarding_org = " + a.Add(scope.OrgName) + ")", true
	case policy.Setting:
		return "ap.setting_urn = " + a.Add(scope.SettingURN), true
	case policy.Self:
		return "ap.practitioner_id = " + a.Add(scope.PractitionerID), true
	}
	return "", false
}

const (
	appJoin    = ` applications ap LEFT JOIN cohorts ch ON ch.id = ap.cohort_id `
	cohortJoin = ` LEFT JOIN cohorts ch ON ch.id = ap.cohort_id `
)

// inScope reports whether application id is in scope, as ErrNotFound when
// it is not (a record outside scope is not acknowledged to exist).
func inScope(ctx context.Context, q store.Querier, scope policy.Scope, id int64) error {
	var a store.Args
	where, ok := portfolioScope(&a, scope)
	if !ok {
		return store.ErrNotFound
	}
	var got int64
	err := q.QueryRowContext(ctx, `SELECT ap.id FROM`+appJoin+`WHERE `+where+` AND ap.id = `+a.Add(id), a...).Scan(&got)
	return store.NotFound(err, "portfolio")
}
