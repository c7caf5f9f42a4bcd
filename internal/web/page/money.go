package page

import (
	"errors"
	"strconv"
	"strings"
)

// maxPence caps an entered amount at £100,000,000.00: far above any
// price per learner, far below overflow.
const maxPence = 100_000_000_00

var (
	errMoneyEmpty    = errors.New("empty")
	errMoneyFormat   = errors.New("not an amount of money")
	errMoneyNegative = errors.New("negative")
	errMoneyPence    = errors.New("more than 2 decimal places")
	errMoneyTooLarge = errors.New("too large")
)

// ParsePence reads an amount in pounds as people type it ("300",
// "300.5", "300.50", "£3,000.00") into integer pence, exactly: digits are
// read as digits, never through a float. Commas must group thousands.
func ParsePence(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "£")
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errMoneyEmpty
	}
	if strings.HasPrefix(s, "-") {
		return 0, errMoneyNegative
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, errMoneyFormat
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, errMoneyFormat
			}
		}
		whole = strings.Join(groups, "")
	}
	if !digits(whole) {
		return 0, errMoneyFormat
	}
	if hasPoint {
		if frac == "" || !digits(frac) {
			return 0, errMoneyFormat
		}
		if len(frac) > 2 {
			return 0, errMoneyPence
		}
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 9 {
		return 0, errMoneyTooLarge
	}
	var pounds int64
	if whole != "" {
		var err error
		if pounds, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, errMoneyFormat
		}
	}
	pence := int64(0)
	switch len(frac) {
	case 1:
		pence = int64(frac[0]-'0') * 10
	case 2:
		pence = int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	total := pounds*100 + pence
	if total > maxPence {
		return 0, errMoneyTooLarge
	}
	return total, nil
}

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
	case errors.Is(err, errMoneyEmpty):
		return "Enter " + what
	case errors.Is(err, errMoneyNegative):
		return strings.ToUpper(what[:1]) + what[1:] + " must be £0 or more"
	case errors.Is(err, errMoneyPence):
		return strings.ToUpper(what[:1]) + what[1:] + " must not have more than 2 decimal places, for example 300.50"
	case errors.Is(err, errMoneyTooLarge):
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
