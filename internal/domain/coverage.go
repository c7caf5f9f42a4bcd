package domain

// Certificate is a practitioner's certification in a SENCO qualification
// (or an equivalent recorded as recognised), with the qualification's level.
type Certificate struct {
	Level       int
	CertifiedOn Date
	RevokedOn   Date // zero unless revoked
}

// HeldOn reports whether the certificate counts on d: certified on or
// before d and not revoked on or before d, at level 3 or above.
func (c Certificate) HeldOn(d Date) bool {
	if c.Level < 3 || c.CertifiedOn.IsZero() || c.CertifiedOn.After(d) {
		return false
	}
	return c.RevokedOn.IsZero() || d.Before(c.RevokedOn)
}

// Enrolment is the span a practitioner is enrolled on training: from the
// day they were placed on a cohort to the day they completed, withdrew or
// deferred (zero while still enrolled).
type Enrolment struct {
	From Date
	To   Date
}

// ActiveOn reports whether the enrolment is active on d.
func (e Enrolment) ActiveOn(d Date) bool {
	if e.From.IsZero() || e.From.After(d) {
		return false
	}
	return e.To.IsZero() || d.Before(e.To)
}

// StaffMember is what the coverage rules need of one employment: its dates
// and its practitioner's certificates and enrolments.
type StaffMember struct {
	Employment   Employment
	Certificates []Certificate
	Enrolments   []Enrolment
}

// QualifiedSENCOAt is the rule of DESIGN.md section 4: the practitioner
// counts as a qualified SENCO of the employment's setting on d when the
// employment (in any role) covers d and they hold a certificate on d. A
// SENCO who leaves stops counting on the day the employment ends and
// counts for the setting they join from its first day; two concurrent
// employments count for both settings.
func QualifiedSENCOAt(m StaffMember, d Date) bool {
	if !m.Employment.Covers(d) {
		return false
	}
	for _, c := range m.Certificates {
		if c.HeldOn(d) {
			return true
		}
	}
	return false
}

// InTrainingAt: the practitioner is employed at the setting on d and has an
// active enrolment on d.
func InTrainingAt(m StaffMember, d Date) bool {
	if !m.Employment.Covers(d) {
		return false
	}
	for _, e := range m.Enrolments {
		if e.ActiveOn(d) {
			return true
		}
	}
	return false
}

// SettingCoverage is one setting's place in the coverage figures on a date.
type SettingCoverage struct {
	Eligible   bool
	Qualified  bool // at least one qualified SENCO
	InTraining bool // at least one member of staff in training
	Designated bool // a qualified SENCO is also the designated SENCO
}

// CoverSetting classifies a setting on d from its staff. A setting that is
// not eligible on d (domain.EligibleSetting) counts for nothing.
func CoverSetting(s Setting, staff []StaffMember, d Date) SettingCoverage {
	var c SettingCoverage
	if !EligibleSetting(s, d) {
		return c
	}
	c.Eligible = true
	for _, m := range staff {
		if QualifiedSENCOAt(m, d) {
			c.Qualified = true
			if m.Employment.Role == RoleSENCO {
				c.Designated = true
			}
		}
		if InTrainingAt(m, d) {
			c.InTraining = true
		}
	}
	return c
}

// Counts are the coverage counts of one kind of setting in one area.
type Counts struct {
	Eligible   int
	Qualified  int
	InTraining int
	Designated int
	// Gap: eligible with no qualified SENCO and no one in training.
	Gap int
}

// Coverage is Qualified ÷ Eligible, or 0 for an area with no eligible
// settings.
func (c Counts) Coverage() float64 {
	if c.Eligible == 0 {
		return 0
	}
	return float64(c.Qualified) / float64(c.Eligible)
}

// TrainingCoverage is InTraining ÷ Eligible.
func (c Counts) TrainingCoverage() float64 {
	if c.Eligible == 0 {
		return 0
	}
	return float64(c.InTraining) / float64(c.Eligible)
}

// Add sums two counts.
func (c Counts) Add(o Counts) Counts {
	return Counts{c.Eligible + o.Eligible, c.Qualified + o.Qualified, c.InTraining + o.InTraining, c.Designated + o.Designated, c.Gap + o.Gap}
}

// AreaCoverage is an area's counts for group settings and childminders;
// All is their sum.
type AreaCoverage struct {
	Group       Counts
	Childminder Counts
}

// All is group settings and childminders together.
func (a AreaCoverage) All() Counts { return a.Group.Add(a.Childminder) }

// Add sums two areas.
func (a AreaCoverage) Add(o AreaCoverage) AreaCoverage {
	return AreaCoverage{a.Group.Add(o.Group), a.Childminder.Add(o.Childminder)}
}

// Count adds one setting's coverage to the area.
func (a *AreaCoverage) Count(t ProviderType, c SettingCoverage) {
	if !c.Eligible {
		return
	}
	k := &a.Childminder
	if t.IsGroup() {
		k = &a.Group
	}
	k.Eligible++
	if c.Qualified {
		k.Qualified++
	}
	if c.InTraining {
		k.InTraining++
	}
	if c.Designated {
		k.Designated++
	}
	if !c.Qualified && !c.InTraining {
		k.Gap++
	}
}

// GapFacts are what the gap list's order looks at for one setting with no
// qualified SENCO and no one in training.
type GapFacts struct {
	URN     string
	Places  int
	Outcome Outcome
	// LostOn is the day it lost its qualified SENCO, when that was recent
	// (the caller's window); zero otherwise.
	LostOn Date
}

// GapPriorityRule says, in the order applied, how GapBefore orders the gap
// list, for the page to show beside it.
var GapPriorityRule = []string{
	"settings that lost their qualified SENCO recently, most recent first",
	"then those whose latest full inspection was below good (inadequate, then requires improvement)",
	"then the most places, as they care for the most children",
}

// GapBefore is the gap list's order (GapPriorityRule): a transparent
// priority an LA officer can check against the columns shown, with the
// URN last so the order is stable.
func GapBefore(a, b GapFacts) bool {
	if a.LostOn.IsZero() != b.LostOn.IsZero() {
		return !a.LostOn.IsZero()
	}
	if !a.LostOn.Equal(b.LostOn) {
		return a.LostOn.After(b.LostOn)
	}
	if ra, rb := gapInspectionRank(a.Outcome), gapInspectionRank(b.Outcome); ra != rb {
		return ra < rb
	}
	if a.Places != b.Places {
		return a.Places > b.Places
	}
	return a.URN < b.URN
}

// gapInspectionRank puts inadequate first, then requires improvement, then
// the rest (good, outstanding and not yet inspected alike).
func gapInspectionRank(o Outcome) int {
	switch o {
	case 4:
		return 0
	case 3:
		return 1
	}
	return 2
}
