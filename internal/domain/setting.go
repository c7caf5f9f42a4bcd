package domain

import "strings"

// ProviderType is the kind of early years provider, as Ofsted registers it,
// plus the school-based kinds that come from other registers.
type ProviderType string

const (
	Childminder       ProviderType = "childminder"
	NonDomestic       ProviderType = "non_domestic"
	Domestic          ProviderType = "domestic"
	HomeChildcarer    ProviderType = "home_childcarer"
	MaintainedNursery ProviderType = "maintained_nursery"
	SchoolBased       ProviderType = "school_based"
)

// ProviderTypes lists every type in the order pages show them.
var ProviderTypes = []ProviderType{Childminder, NonDomestic, Domestic, HomeChildcarer, MaintainedNursery, SchoolBased}

// Label is the name Ofsted uses.
func (t ProviderType) Label() string {
	switch t {
	case Childminder:
		return "Childminder"
	case NonDomestic:
		return "Childcare on non-domestic premises"
	case Domestic:
		return "Childcare on domestic premises"
	case HomeChildcarer:
		return "Home childcarer"
	case MaintainedNursery:
		return "Maintained nursery school"
	case SchoolBased:
		return "School-based nursery"
	}
	return string(t)
}

// Valid reports whether t is one of the known types.
func (t ProviderType) Valid() bool {
	for _, k := range ProviderTypes {
		if k == t {
			return true
		}
	}
	return false
}

// ParseOfstedProviderType maps Ofsted's spelling of a provider type.
func ParseOfstedProviderType(s string) (ProviderType, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "childminder":
		return Childminder, true
	case "childcare on non-domestic premises":
		return NonDomestic, true
	case "childcare on domestic premises":
		return Domestic, true
	case "home childcarer":
		return HomeChildcarer, true
	}
	return "", false
}

// GroupTypes are the group settings, reported apart from childminders.
var GroupTypes = []ProviderType{NonDomestic, Domestic}

// IsGroup reports whether the type is a group setting (as opposed to a
// childminder) for coverage figures reported separately.
func (t ProviderType) IsGroup() bool {
	for _, g := range GroupTypes {
		if g == t {
			return true
		}
	}
	return false
}

// SettingStatus is whether a setting is on the register.
type SettingStatus string

const (
	Active SettingStatus = "active"
	Closed SettingStatus = "closed"
)

// Setting is an early years provider from Ofsted's register, keyed by URN.
type Setting struct {
	URN          string
	Name         string
	Type         ProviderType
	Subtype      string
	Status       SettingStatus
	EYR          bool   // Early Years Register
	CCR          bool   // Compulsory Childcare Register
	VCR          bool   // Voluntary Childcare Register
	LACode       string // GSS code; "" when Ofsted did not record the authority
	Address1     string
	Address2     string
	Address3     string
	Town         string
	Postcode     string
	Places       int
	RegisteredOn Date
	ClosedOn     Date // zero while active
	// Latest full inspection.
	InspectedOn Date
	Outcome     Outcome
	// Where the row came from: the Ofsted release it was last seen in.
	SourceRelease string
	LastSeenOn    Date
}

// Outcome is an Ofsted overall effectiveness grade; 0 means not yet inspected.
type Outcome int

func (o Outcome) String() string {
	switch o {
	case 1:
		return "Outstanding"
	case 2:
		return "Good"
	case 3:
		return "Requires improvement"
	case 4:
		return "Inadequate"
	}
	return "Not yet inspected"
}

// EligibleSetting is the rule of DESIGN.md section 4: a setting counts for
// the programme at date d when it was registered on or before d, is not
// closed on or before d, is on the Early Years Register, is a childminder or
// childcare on non-domestic or domestic premises, and is in England.
// Every report and page that counts eligible settings uses this function or
// the SQL the store derives from EligibleSettingSQL.
func EligibleSetting(s Setting, d Date) bool {
	if s.RegisteredOn.IsZero() || s.RegisteredOn.After(d) {
		return false
	}
	if !s.ClosedOn.IsZero() && s.ClosedOn.OnOrBefore(d) {
		return false
	}
	if !s.EYR {
		return false
	}
	switch s.Type {
	case Childminder, NonDomestic, Domestic:
	default:
		return false
	}
	// Every setting on Ofsted's register is in England; a setting with no
	// recorded authority is still in England and still counts.
	return true
}

// EligibleTypes are the provider types EligibleSetting accepts, for the
// store to build the same rule in SQL.
var EligibleTypes = []ProviderType{Childminder, NonDomestic, Domestic}

// DisplayName is the name pages show: Ofsted withholds the names of
// home-based providers, which the importer stores as "".
func (s Setting) DisplayName() string {
	if s.Name == "" {
		return s.Type.Label() + " " + s.URN + " (name withheld by Ofsted)"
	}
	return s.Name
}
