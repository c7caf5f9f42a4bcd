package register

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/store"
)

// Registerable are the learners an awarding organisation's officer may
// register: enrolled, in training or completed, on the qualifications it
// awards (application ID → name).
func Registerable(ctx context.Context, q store.Querier, user domain.User) (map[int64]string, error) {
	var a store.Args
	where, ok := store.AppScope(&a, policy.Delivery(user))
	out := map[int64]string{}
	if !ok || !policy.CanRegisterInBulk(user) {
		return out, nil
	}
	type row struct {
		id   int64
		name string
	}
	rows, err := store.Collect(ctx, q, "registerable learners", func(sc store.Scanner, r *row) error { return sc.Scan(&r.id, &r.name) },
		`SELECT ap.id, p.given_name || ' ' || p.family_name FROM applications ap JOIN practitioners p ON p.id = ap.practitioner_id
		WHERE `+where+` AND `+store.StatusIn("ap.status", domain.Registerable), a...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.id] = r.name
	}
	return out, nil
}

// RegisterLearners registers learners in bulk from a CSV
// (importer.ParseRegistrations): every row is checked first, then every
// registration is made in one transaction (domain.RegisterLearner); any
// problem — in the file or refused by the rule — refuses the whole file
// with a *importer.Problems naming its rows and columns, and nothing is
// written. It returns how many learners were registered.
func RegisterLearners(ctx context.Context, db *store.DB, actor domain.Actor, user domain.User, file string, r io.Reader) (int, error) {
	if !policy.CanRegisterInBulk(user) {
		return 0, fmt.Errorf("%w: a %s cannot register learners", ErrNotAllowed, strings.ToLower(user.Role.Label()))
	}
	known, err := Registerable(ctx, db.Reader(), user)
	if err != nil {
		return 0, err
	}
	rows, list, total := importer.ParseRegistrations(file, r, known)
	if total > 0 {
		return 0, &importer.Problems{List: list, Total: total}
	}
	return len(rows), ApplyRegistrations(ctx, db, actor, user, filepath.Base(file), rows)
}

// ApplyRegistrations makes checked registrations in one transaction; a
// refusal of any is a problem on its row, and then none is made. The API
// sends its rows here too, as "file" its request.
func ApplyRegistrations(ctx context.Context, db *store.DB, actor domain.Actor, user domain.User, file string, rows []importer.Registration) error {
	return db.InTx(ctx, func(tx *store.Tx) error { return ApplyRegistrationsIn(ctx, tx, actor, user, file, rows) })
}

// ApplyRegistrationsIn makes checked registrations in the caller's
// transaction, as ApplyRegistrations does; on a *importer.Problems the
// caller rolls back, so that none is made.
func ApplyRegistrationsIn(ctx context.Context, tx *store.Tx, actor domain.Actor, user domain.User, file string, rows []importer.Registration) error {
	probs := problems{file: file}
	column := map[string]string{"learner_number": "learner_number", "uln": "uln"}
	for _, row := range rows {
		app, err := store.ApplicationIn(ctx, tx.Reader(), policy.Delivery(user), row.ApplicationID)
		if err != nil {
			probs.add(row.Row, "application_id", fmt.Sprint(row.ApplicationID), "the application ID of a learner your organisation can register")
			continue
		}
		err = tx.RegisterLearner(ctx, actor, app, row.LearnerNumber, row.ULN)
		if rule, ok := domain.IsRefusal(err); ok {
			col := column[rule.Field]
			value := row.LearnerNumber
			if col == "uln" {
				value = row.ULN
			}
			probs.add(row.Row, col, value, lowerFirst(strings.TrimSuffix(rule.Msg, ".")))
			continue
		}
		if err != nil {
			return err
		}
	}
	return probs.err()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return "a registration the rules allow: " + strings.ToLower(s[:1]) + s[1:]
}
