package domain

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date in Europe/London with no time of day. The zero
// Date means "not known". It is stored as the text YYYY-MM-DD on SQLite and
// as DATE on PostgreSQL; Scan accepts both so the store has one type to read.
type Date struct{ t time.Time }

// NewDate returns the calendar date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t as seen in Europe/London.
func DateOf(t time.Time) Date {
	y, m, d := t.In(london).Date()
	return NewDate(y, m, d)
}

// Today is the current date in Europe/London.
func Today() Date { return DateOf(time.Now()) }

var london = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The tz database is embedded through time/tzdata in cmd/senco;
		// falling back to UTC would silently shift dates, so refuse.
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

// ParseDate reads an ISO date (2006-01-02).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// ParseUKDate reads a date as Ofsted writes it: DD/MM/YYYY.
func ParseUKDate(s string) (Date, error) {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form DD/MM/YYYY", s)
	}
	return Date{t}, nil
}

func (d Date) IsZero() bool           { return d.t.IsZero() }
func (d Date) Time() time.Time        { return d.t }
func (d Date) Before(o Date) bool     { return d.t.Before(o.t) }
func (d Date) After(o Date) bool      { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool      { return d.t.Equal(o.t) }
func (d Date) AddDays(n int) Date     { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) AddMonths(n int) Date   { return Date{d.t.AddDate(0, n, 0)} }
func (d Date) Compare(o Date) int     { return d.t.Compare(o.t) }
func (d Date) OnOrBefore(o Date) bool { return !d.t.After(o.t) }

// String is the ISO form, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Long is the GOV.UK style for pages: 4 January 1989.
func (d Date) Long() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2 January 2006")
}

// Value stores the zero date as NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads NULL, a time (PostgreSQL DATE, SQLite typed columns) or text.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		y, m, dd := v.Date()
		*d = NewDate(y, m, dd)
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("scan date: unsupported type %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("scan date: %w", err)
	}
	*d = p
	return nil
}

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
