package domain

// LocalAuthority is an English upper-tier authority with early years duties.
// Authorities are reorganised often; an ended authority keeps its code and
// its end date so older registers still resolve to it.
type LocalAuthority struct {
	Code       string // ONS/GSS code, e.g. E09000002
	DfECode    string // DfE 3-digit code, "" where DfE has none
	Name       string // ONS style, e.g. "Bristol, City of"
	OfstedName string // the spelling Ofsted's files use
	RegionCode string // E12…
	RegionName string
	Type       string // e.g. "Unitary Authorities"
	StartedOn  Date
	EndedOn    Date // zero while the authority exists
}

// Ended reports whether the authority has been abolished on or before d.
func (la LocalAuthority) Ended(d Date) bool {
	return !la.EndedOn.IsZero() && la.EndedOn.Before(d)
}
