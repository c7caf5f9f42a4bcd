package page

import (
	"errors"
	"strconv"
	"strings"

	"senco/internal/domain"
)

// ParsePence reads an amount in pounds as people type it ("300",
// "300.5", "300.50", "£3,000.00") into integer pence: the domain's one
// parser of money, so a form and an upload read an amount alike.
func ParsePence(s string) (int64, error) {
	m, err := domain.ParseMoney(s)
	return int64(m), err
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MoneyMessage is the form error for an amount that did not parse.
func MoneyMessage(what string, err error) string {
	switch {
	case errors.Is(err, domain.ErrMoneyEmpty):
		return "Enter " + what
	case errors.Is(err, domain.ErrMoneyNegative):
		return strings.ToUpper(what[:1]) + what[1:] + " must be £0 or more"
	case errors.Is(err, domain.ErrMoneyPence):
		return strings.ToUpper(what[:1]) + what[1:] + " must not have more than 2 decimal places, for example 300.50"
	case errors.Is(err, domain.ErrMoneyTooLarge):
		return strings.ToUpper(what[:1]) + what[1:] + " must be £100,000,000 or less"
	}
	return strings.ToUpper(what[:1]) + what[1:] + " must be an amount of money, for example 300 or 300.50"
}

// ParseCount reads a whole number of things, allowing thousands
// separators ("7,000").
func ParseCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ",") {
		groups := strings.Split(s, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		s = strings.Join(groups, "")
	}
	if !digits(s) || len(strings.TrimLeft(s, "0")) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
