package importer

import (
	"time"

	"senco/internal/domain"
)

// parseUKDate reads DD/MM/YYYY (one-digit day and month accepted, as
// spreadsheets sometimes write them) and checks the date is real. It does
// not allocate.
func parseUKDate(s string) (domain.Date, bool) {
	i := 0
	d, ok := num(s, &i, 1, 2)
	if !ok || i >= len(s) || s[i] != '/' {
		return domain.Date{}, false
	}
	i++
	m, ok := num(s, &i, 1, 2)
	if !ok || i >= len(s) || s[i] != '/' {
		return domain.Date{}, false
	}
	i++
	y, ok := num(s, &i, 4, 4)
	if !ok || i != len(s) {
		return domain.Date{}, false
	}
	return mkDate(y, m, d)
}

// parseISODate reads YYYY-MM-DD and checks the date is real.
func parseISODate(s string) (domain.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return domain.Date{}, false
	}
	i := 0
	y, ok1 := num(s, &i, 4, 4)
	i = 5
	m, ok2 := num(s, &i, 2, 2)
	i = 8
	d, ok3 := num(s, &i, 2, 2)
	if !ok1 || !ok2 || !ok3 {
		return domain.Date{}, false
	}
	return mkDate(y, m, d)
}

// parseAnyDate reads YYYY-MM-DD or DD/MM/YYYY.
func parseAnyDate(s string) (domain.Date, bool) {
	if d, ok := parseISODate(s); ok {
		return d, true
	}
	return parseUKDate(s)
}

func num(s string, i *int, minDigits, maxDigits int) (int, bool) {
	n, k := 0, 0
	for *i < len(s) && k < maxDigits && s[*i] >= '0' && s[*i] <= '9' {
		n = n*10 + int(s[*i]-'0')
		*i++
		k++
	}
	return n, k >= minDigits
}

func mkDate(y, m, d int) (domain.Date, bool) {
	if y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return domain.Date{}, false
	}
	return domain.NewDate(y, time.Month(m), d), true
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// ukDate writes d as DD/MM/YYYY for messages.
func ukDate(d domain.Date) string { return d.Time().Format("02/01/2006") }
