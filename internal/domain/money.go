package domain

import (
	"errors"
	"strconv"
	"strings"
)

// Money is an amount in integer pence. Every price, fee, rate, statement
// and claim is Money: sums are exact, and nothing passes through a float.
type Money int64

// MaxMoney caps an amount typed or uploaded at £100,000,000.00: far above
// any price or claim, far below overflow of any total of them.
const MaxMoney Money = 100_000_000_00

// Reasons an amount does not parse, for the message beside the field.
var (
	ErrMoneyEmpty    = errors.New("empty")
	ErrMoneyFormat   = errors.New("not an amount of money")
	ErrMoneyNegative = errors.New("negative")
	ErrMoneyPence    = errors.New("more than 2 decimal places")
	ErrMoneyTooLarge = errors.New("too large")
)

// ParseMoney reads an amount in pounds as people type it ("300", "300.5",
// "300.50", "£3,000.00") into pence, exactly: digits are read as digits.
// Commas, if any, must group thousands. Negative amounts are refused:
// corrections are lines of their own kind, not minus signs in a form.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	if s == "" {
		return 0, ErrMoneyEmpty
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return 0, ErrMoneyNegative
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, ErrMoneyFormat
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, ErrMoneyFormat
			}
		}
		whole = strings.Join(groups, "")
	}
	if !allDigits(whole) || hasPoint && !allDigits(frac) {
		return 0, ErrMoneyFormat
	}
	if len(frac) > 2 {
		return 0, ErrMoneyPence
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 9 {
		return 0, ErrMoneyTooLarge
	}
	var pounds int64
	if whole != "" {
		pounds, _ = strconv.ParseInt(whole, 10, 64) // nine digits at most
	}
	pence := int64(0)
	for i, d := range (frac + "00")[:2] {
		pence += int64(d-'0') * []int64{10, 1}[i]
	}
	m := Money(pounds*100 + pence)
	if m > MaxMoney {
		return 0, ErrMoneyTooLarge
	}
	return m, nil
}

func allDigits(s string) bool {
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

// String shows the amount as pounds with thousands grouped: £1,234.56,
// and a clawback as −£12.00.
func (m Money) String() string {
	sign := ""
	p := int64(m)
	if p < 0 {
		sign, p = "−", -p
	}
	return sign + "£" + groupThousands(p/100) + "." + strconv.FormatInt(100+p%100, 10)[1:]
}

// Plain is the amount as a machine reads it, in pounds with two decimals
// and no symbol: 1234.56 or -12.00 (CSV files and form values).
func (m Money) Plain() string {
	sign := ""
	p := int64(m)
	if p < 0 {
		sign, p = "-", -p
	}
	return sign + strconv.FormatInt(p/100, 10) + "." + strconv.FormatInt(100+p%100, 10)[1:]
}

// groupThousands writes a whole number of zero or more with commas: 7,000.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Sum adds amounts.
func Sum(ms ...Money) Money {
	var t Money
	for _, m := range ms {
		t += m
	}
	return t
}

// Share is the part of an amount that a share in basis points (1/100 of a
// per cent: 4000 is 40%) gives, rounded half up to the penny. Output fees
// are shares of a per-participant price.
func (m Money) Share(basisPoints int) Money {
	p := int64(m) * int64(basisPoints)
	return Money((p + 5000) / 10000)
}
