package web

import (
	"errors"
	"strconv"
	"strings"
)

// progMaxPence caps an entered amount at £100,000,000.00: far above any
// price per learner, far below overflow.
const progMaxPence = 100_000_000_00

var (
	errProgMoneyEmpty    = errors.New("empty")
	errProgMoneyFormat   = errors.New("not an amount of money")
	errProgMoneyNegative = errors.New("negative")
	errProgMoneyPence    = errors.New("more than 2 decimal places")
	errProgMoneyTooLarge = errors.New("too large")
)

// progParsePence reads an amount in pounds as people type it ("300",
// "300.5", "300.50", "£3,000.00") into integer pence, exactly: digits are
// read as digits, never through a float. Commas must group thousands.
func progParsePence(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "£")
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errProgMoneyEmpty
	}
	if strings.HasPrefix(s, "-") {
		return 0, errProgMoneyNegative
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, errProgMoneyFormat
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, errProgMoneyFormat
			}
		}
		whole = strings.Join(groups, "")
	}
	if !progDigits(whole) {
		return 0, errProgMoneyFormat
	}
	if hasPoint {
		if frac == "" || !progDigits(frac) {
			return 0, errProgMoneyFormat
		}
		if len(frac) > 2 {
			return 0, errProgMoneyPence
		}
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 9 {
		return 0, errProgMoneyTooLarge
	}
	var pounds int64
	if whole != "" {
		var err error
		if pounds, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, errProgMoneyFormat
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
	if total > progMaxPence {
		return 0, errProgMoneyTooLarge
	}
	return total, nil
}

func progDigits(s string) bool {
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

// progMoneyMessage is the form error for an amount that did not parse.
func progMoneyMessage(what string, err error) string {
	switch {
	case errors.Is(err, errProgMoneyEmpty):
		return "Enter " + what
	case errors.Is(err, errProgMoneyNegative):
		return strings.ToUpper(what[:1]) + what[1:] + " must be £0 or more"
	case errors.Is(err, errProgMoneyPence):
		return strings.ToUpper(what[:1]) + what[1:] + " must not have more than 2 decimal places, for example 300.50"
	case errors.Is(err, errProgMoneyTooLarge):
		return strings.ToUpper(what[:1]) + what[1:] + " must be £100,000,000 or less"
	}
	return strings.ToUpper(what[:1]) + what[1:] + " must be an amount of money, for example 300 or 300.50"
}

// progPounds shows pence as pounds: £1,234.56.
func progPounds(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return sign + "£" + progThousands(p/100) + "." + strconv.FormatInt(100+p%100, 10)[1:]
}

// progPoundsInput shows pence as a form value: 1234.56.
func progPoundsInput(p int64) string {
	return strconv.FormatInt(p/100, 10) + "." + strconv.FormatInt(100+p%100, 10)[1:]
}

// progThousands writes a whole number with thousands separators: 7,000.
func progThousands[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// progParseCount reads a whole number of things, allowing thousands
// separators ("7,000").
func progParseCount(s string) (int, bool) {
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
	if !progDigits(s) || len(strings.TrimLeft(s, "0")) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
