package store

import (
	"context"
	"fmt"
	"time"

	"senco/internal/domain"
)

// ApplicationDraft is a practitioner's answers while they apply, one
// question per page. Qualification is the answer's code, kept as given.
type ApplicationDraft struct {
	UserID        int64
	ProgrammeID   int64
	SettingURN    string
	Role          domain.EmploymentRole
	Qualification string
	UpdatedAt     time.Time
}

// ApplicationDraft returns the user's draft, or an empty one when they have
// none. A draft belongs to the signed-in user alone: it is read by their id.
func (db *DB) ApplicationDraft(ctx context.Context, userID int64) (ApplicationDraft, error) {
	d := ApplicationDraft{UserID: userID}
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(programme_id, 0), setting_urn, role, qualification, updated_at
		FROM application_drafts WHERE user_id = $1`, userID).Scan(&d.ProgrammeID, &d.SettingURN, &d.Role, &d.Qualification, nullTime{&d.UpdatedAt})
	if err := notFound(err, "application draft"); err != nil && err != ErrNotFound {
		return d, err
	}
	return d, nil
}

// SaveApplicationDraft writes the user's draft, replacing the one before.
// Drafts are not audited: nothing is decided until the application is made.
func (tx *Tx) SaveApplicationDraft(ctx context.Context, d ApplicationDraft) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO application_drafts (user_id, programme_id, setting_urn, role, qualification, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (user_id) DO UPDATE SET programme_id = excluded.programme_id, setting_urn = excluded.setting_urn,
			role = excluded.role, qualification = excluded.qualification, updated_at = excluded.updated_at`,
		d.UserID, nullID(d.ProgrammeID), d.SettingURN, string(d.Role), d.Qualification, tx.now)
	if err != nil {
		return fmt.Errorf("save application draft: %w", err)
	}
	return nil
}

// DeleteApplicationDraft removes the user's draft, if any.
func (tx *Tx) DeleteApplicationDraft(ctx context.Context, userID int64) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM application_drafts WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("delete application draft: %w", err)
	}
	return nil
}

// ApplicationAnswers are what a practitioner said when they applied.
type ApplicationAnswers struct {
	Role          domain.EmploymentRole
	Qualification string
}

// SaveApplicationAnswers keeps the answers a self-application was made with.
func (tx *Tx) SaveApplicationAnswers(ctx context.Context, a domain.Actor, appID int64, ans ApplicationAnswers) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO application_answers (application_id, role, qualification, created_at) VALUES ($1, $2, $3, $4)`,
		appID, string(ans.Role), ans.Qualification, tx.now); err != nil {
		return fmt.Errorf("save application answers: %w", err)
	}
	return tx.Audit(ctx, a, "answers", "application", fmt.Sprint(appID), nil, ans)
}

// ApplicationAnswers returns the answers an application was made with; ok
// is false for one made without them (a nomination). The caller has loaded
// the application in scope.
func (db *DB) ApplicationAnswers(ctx context.Context, appID int64) (ans ApplicationAnswers, ok bool, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT role, qualification FROM application_answers WHERE application_id = $1`, appID).
		Scan(&ans.Role, &ans.Qualification)
	switch err = notFound(err, "application answers"); err {
	case nil:
		return ans, true, nil
	case ErrNotFound:
		return ans, false, nil
	}
	return ans, false, err
}

// SetQualificationLevel records a practitioner's highest full and relevant
// early years qualification level (0 for none recorded, else 2–7), as they
// gave it, audited with the level before.
func (tx *Tx) SetQualificationLevel(ctx context.Context, a domain.Actor, practitionerID int64, level int) error {
	if err := domain.CheckQualificationLevel(level); err != nil {
		return err
	}
	var before int
	if err := tx.tx.QueryRowContext(ctx, `SELECT qualification_level FROM practitioners WHERE id = $1`, practitionerID).Scan(&before); err != nil {
		return notFound(err, "practitioner")
	}
	if before == level {
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE practitioners SET qualification_level = $2, updated_at = $3 WHERE id = $1`, practitionerID, level, tx.now); err != nil {
		return fmt.Errorf("set qualification level: %w", err)
	}
	return tx.Audit(ctx, a, "update", "practitioner", fmt.Sprint(practitionerID),
		map[string]int{"qualification_level": before}, map[string]int{"qualification_level": level})
}
