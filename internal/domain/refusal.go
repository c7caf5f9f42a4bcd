package domain

import (
	"errors"
	"fmt"
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
