package store

import (
	"strings"

	"senco/internal/domain"
)

// eligibleSQL is domain.EligibleSetting written as a SQL condition on the
// settings table aliased t, for counting in the database. It is built from
// the domain's own lists, and TestEligibleSQLMatchesDomain checks that it
// selects exactly the settings the domain function accepts.
func eligibleSQL(a *args, t string, d domain.Date) string {
	types := make([]string, len(domain.EligibleTypes))
	for i, pt := range domain.EligibleTypes {
		types[i] = a.add(string(pt))
	}
	day := a.add(d)
	return "(" + t + ".registered_on IS NOT NULL AND " + t + ".registered_on <= " + day +
		" AND (" + t + ".closed_on IS NULL OR " + t + ".closed_on > " + day + ")" +
		" AND " + t + ".eyr AND " + t + ".provider_type IN (" + strings.Join(types, ", ") + "))"
}
