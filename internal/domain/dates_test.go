package domain

import "testing"

func TestNotInFuture(t *testing.T) {
	today := NewDate(2026, 12, 7)
	for _, tc := range []struct {
		name string
		on   Date
		ok   bool
	}{
		{"long ago", NewDate(2020, 1, 1), true},
		{"yesterday", today.AddDays(-1), true},
		{"today", today, true},
		{"tomorrow", today.AddDays(1), false},
		{"next June", NewDate(2027, 6, 1), false},
	} {
		err := NotInFuture("date", "The date the assessment was completed", tc.on, today)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok %v", tc.name, err, tc.ok)
		}
		if r, isRefusal := IsRefusal(err); err != nil && (!isRefusal || r.Field != "date" || r.Msg != "The date the assessment was completed cannot be in the future: you entered "+tc.on.Long()+" and today is 7 December 2026") {
			t.Errorf("%s: refusal %#v", tc.name, err)
		}
	}
}

func TestCheckRegisterDay(t *testing.T) {
	today := NewDate(2026, 12, 7)
	for _, tc := range []struct {
		name    string
		session Date
		ok      bool
	}{
		{"held last week", today.AddDays(-7), true},
		{"today", today, true},
		{"tomorrow", today.AddDays(1), false},
		{"five weeks ahead", today.AddDays(35), false},
	} {
		err := CheckRegisterDay(tc.session, today)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok %v", tc.name, err, tc.ok)
		}
		if r, ok := IsRefusal(err); err != nil && (!ok || r.Field != "marks") {
			t.Errorf("%s: refusal %#v", tc.name, err)
		}
	}
}

func TestBankHoliday(t *testing.T) {
	if _, err := bankHolidays(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		on   Date
		name string
	}{
		{NewDate(2026, 12, 25), "Christmas Day"},
		{NewDate(2026, 12, 28), "Boxing Day"},
		{NewDate(2027, 1, 1), "New Year’s Day"},
		{NewDate(2027, 3, 26), "Good Friday"},
		{NewDate(2026, 12, 26), ""}, // a Saturday: the holiday moves to the Monday
		{NewDate(2026, 12, 8), ""},
	} {
		name, ok := BankHoliday(tc.on)
		if name != tc.name || ok != (tc.name != "") {
			t.Errorf("%s: %q %v, want %q", tc.on, name, ok, tc.name)
		}
	}
}
