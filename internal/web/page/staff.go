package page

import (
	"senco/internal/domain"
	"senco/internal/store/daily"
)

// StaffRow is one of a setting's staff with where they stand with SENCO
// training, as the setting manager's home and the setting's page show it.
type StaffRow struct {
	ID, EmploymentID      int64
	Name, Role, Training  string
	Colour                string
	Designated, Qualified bool
}

// StaffRows says for each of a setting's staff on d whether they are a
// qualified SENCO (domain.QualifiedSENCOAt, the coverage rule) or else where
// their latest application stands.
func StaffRows(lines []daily.StaffLine, d domain.Date) StaffList {
	out := make(StaffList, 0, len(lines))
	for _, l := range lines {
		r := StaffRow{ID: l.Employment.PractitionerID, EmploymentID: l.Employment.ID, Name: l.Name, Role: l.Employment.Role.Label(),
			Designated: l.Designated, Qualified: domain.QualifiedSENCOAt(l.StaffMember, d)}
		r.Training, r.Colour = StaffTraining(r.Qualified, l.Status)
		out = append(out, r)
	}
	return out
}

// StaffTraining is the tag for one person: a qualified SENCO, else the
// status of their latest application, else no training.
func StaffTraining(qualified bool, latest domain.Status) (text, colour string) {
	switch {
	case qualified:
		return "Qualified SENCO", "green"
	case latest != "":
		return latest.Label(), StatusColour(latest)
	}
	return "No SENCO training", "grey"
}

// StaffList is a setting's staff on one day.
type StaffList []StaffRow

// DesignatedSENCO says how the setting's designated SENCO stands, for the
// warning its staff list opens with: "none" recorded, "qualified",
// "colleague" (not qualified, but a colleague is) or "unqualified".
func (rows StaffList) DesignatedSENCO() string {
	designated, designatedQualified, anyQualified := false, false, false
	for _, r := range rows {
		designated = designated || r.Designated
		designatedQualified = designatedQualified || r.Designated && r.Qualified
		anyQualified = anyQualified || r.Qualified
	}
	switch {
	case !designated:
		return "none"
	case designatedQualified:
		return "qualified"
	case anyQualified:
		return "colleague"
	}
	return "unqualified"
}
