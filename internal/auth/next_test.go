package auth

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct {
		next string
		safe bool
	}{
		{"/", true},
		{"/settings/EY100001", true},
		{"/settings?q=Leeds&page=2", true},
		{"/cohorts/3#sessions", true},
		{"/a/b//c", true},
		{"/a\\b", true},
		{"/search?q=%2F%2Fevil.example", true},

		{"", false},
		{"settings", false},
		{"//evil.example", false},
		{"/\\evil.example", false},
		{"\\\\evil.example", false},
		{"/\t/evil.example", false},
		{"/\n/evil.example", false},
		{"/\r/evil.example", false},
		{"\t//evil.example", false},
		{" //evil.example", false},
		{"/\x00/evil.example", false},
		{"/\x7f", false},
		{"/\u200b/evil.example", false}, // zero-width space (format)
		{"/\u0085/evil.example", false}, // next line
		{"https://evil.example", false},
		{"http:/evil.example", false},
		{"javascript:alert(1)", false},
		{"///evil.example", false},
		{"/%zz", false},
		{"/\xff", false},
		{"/" + string(make([]byte, 3000)), false},
	} {
		got := SafeNext(tc.next)
		if tc.safe && got != tc.next {
			t.Errorf("SafeNext(%q) = %q, want it kept", tc.next, got)
		}
		if !tc.safe && got != "" {
			t.Errorf("SafeNext(%q) = %q, want it refused", tc.next, got)
		}
	}
}
