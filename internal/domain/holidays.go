package domain

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// bankHolidaysJSON is GOV.UK's list of bank holidays in England and Wales
// (data/SOURCES.md says where it comes from and how to refresh it).
//
//go:embed data/bank-holidays.json
var bankHolidaysJSON []byte

// bankHolidays is the shipped list by date, read once: it never changes
// while senco runs.
var bankHolidays = sync.OnceValues(func() (map[Date]string, error) {
	var doc map[string]struct {
		Events []struct {
			Title string `json:"title"`
			Date  Date   `json:"date"`
		} `json:"events"`
	}
	if err := json.Unmarshal(bankHolidaysJSON, &doc); err != nil {
		return nil, fmt.Errorf("bank holidays: %w", err)
	}
	out := map[Date]string{}
	for _, e := range doc["england-and-wales"].Events {
		out[e.Date] = e.Title
	}
	return out, nil
})

// BankHoliday names the bank holiday in England on d, if it is one.
func BankHoliday(d Date) (string, bool) {
	days, err := bankHolidays()
	if err != nil {
		return "", false
	}
	name, ok := days[d]
	return name, ok
}
