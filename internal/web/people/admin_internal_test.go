package people

import (
	"reflect"
	"testing"
)

func TestAuditChanges(t *testing.T) {
	tests := []struct {
		before, after string
		want          []fieldChange
	}{
		{"", `{"a":"x","n":3}`, []fieldChange{{"a", "", "x"}, {"n", "", "3"}}},
		{`{"a":"x","n":3}`, `{"a":"x","n":4}`, []fieldChange{{"n", "3", "4"}}},
		{`{"ended_on":""}`, `{"ended_on":"2026-01-01"}`, []fieldChange{{"ended_on", "", "2026-01-01"}}},
		{`{"a":1}`, `{"a":1}`, nil},
		{"", "", nil},
		{"", `[1,2]`, []fieldChange{{"record", "", "[1,2]"}}},
	}
	for _, tt := range tests {
		if got := auditChanges(tt.before, tt.after); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("auditChanges(%s, %s) = %+v, want %+v", tt.before, tt.after, got, tt.want)
		}
	}
}
