package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Refusal is a decision that says no: Msg is the sentence shown to the
// user and Field the form field or API attribute it concerns. Web answers
// it with the form re-shown and the error beside the field, the API with
// 422 and a source pointer.
type Refusal struct {
	Field string
	Msg   string
}

func (r *Refusal) Error() string { return r.Msg }

// Refuse makes a refusal of the given field.
func Refuse(field, format string, a ...any) *Refusal {
	return &Refusal{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// IsRefusal reports whether err is (or wraps) a refusal, and returns it.
func IsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

// Conflicts: writes that another write got to first. The store detects
// them (a unique index, a version that moved) and wraps them in its
// ErrConflict, which web and the API answer with 409 and this sentence.
var (
	ErrApplicationChanged = errors.New("the application changed while you were working on it")
	ErrRegisterChanged    = errors.New("someone else saved this register since you opened it")
	ErrEmploymentRecorded = errors.New("this employment is already recorded")
)

// ProgrammeExists is the conflict of a second programme of the same name.
func ProgrammeExists(name string) error {
	return fmt.Errorf("a programme called %q already exists", name)
}

// UserExists is the conflict of a second user with the same email.
func UserExists(email string) error { return fmt.Errorf("a user with email %s already exists", email) }

// ErrDeclarationChanged: the declaration moved on while it was being voided.
var ErrDeclarationChanged = errors.New("the declaration changed while you were working on it")

// ErrStatementChanged: the statement moved on while it was being changed.
var ErrStatementChanged = errors.New("the statement changed while you were working on it")

// ErrClaimedMeanwhile: another claim took one of the sessions first.
var ErrClaimedMeanwhile = errors.New("one of these sessions was claimed by another claim meanwhile")

// ErrClaimChanged: the claim moved on while it was being decided.
var ErrClaimChanged = errors.New("the claim changed while you were working on it")

// title is a code as a label: its first letter upper case, "" for "".
func title[S ~string](s S) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}
