package domain

import "fmt"

// EligibilityRule names one check of an application. A programme lists the
// rules it applies, in order (ProgrammeRules.Eligibility); what each rule
// checks is below, in one place.
type EligibilityRule string

const (
	RuleProgrammeOpen    EligibilityRule = "programme_open"
	RuleSettingOnEYR     EligibilityRule = "setting_active_eyr"
	RuleSettingType      EligibilityRule = "setting_type"
	RuleInEngland        EligibilityRule = "in_england"
	RuleLevel3           EligibilityRule = "level3_qualification"
	RuleNotAlreadyFunded EligibilityRule = "not_already_funded"
	RuleSettingPlaces    EligibilityRule = "setting_places"
)

// EligibilityRules lists every rule a programme can use, with its meaning.
var EligibilityRules = []struct {
	Rule EligibilityRule
	Text string
}{
	{RuleProgrammeOpen, "The programme is open for applications on the application date"},
	{RuleSettingOnEYR, "The setting is active on the Early Years Register on the application date"},
	{RuleSettingType, "The setting is a childminder or childcare on domestic or non-domestic premises (maintained nursery schools and school-based provision are out)"},
	{RuleInEngland, "The setting is in England"},
	{RuleLevel3, "The practitioner holds a full and relevant Level 3 early years qualification (or the programme allows working towards it)"},
	{RuleNotAlreadyFunded, "The practitioner is not already funded on this programme and does not already hold the qualification"},
	{RuleSettingPlaces, "The setting's funded places on this programme are not used up"},
}

// Valid reports whether r is a known rule.
func (r EligibilityRule) Valid() bool {
	for _, k := range EligibilityRules {
		if k.Rule == r {
			return true
		}
	}
	return false
}

// Decision is the outcome of an eligibility check.
type Decision string

const (
	DecisionEligible   Decision = "eligible"
	DecisionIneligible Decision = "ineligible"
	// DecisionManual: the rules could not decide; a person must.
	DecisionManual Decision = "manual_review"
)

// EligibilityResult is a decision with its stored reason: the code of the
// rule that failed (or could not decide) and a sentence for people.
type EligibilityResult struct {
	Decision Decision
	Code     string
	Reason   string
}

// EligibilityFacts are what the rules look at, gathered by the caller.
type EligibilityFacts struct {
	Programme Programme
	AppliedOn Date
	// Setting is nil when the URN given is not on the register.
	Setting *Setting
	// Practitioner's highest full and relevant early years qualification:
	// 0 when not recorded (the rules cannot decide).
	QualificationLevel int
	WorkingTowardsL3   bool
	// AlreadyFunded: the same person (by email and date of birth, or
	// learner number) has another live application on this programme.
	AlreadyFunded bool
	// HoldsQualification: already certified in the programme's qualification.
	HoldsQualification bool
	// SettingPlacesUsed counts the setting's other funded applications on
	// this programme; SettingPlacesExtra are places added by a manual
	// decision.
	SettingPlacesUsed  int
	SettingPlacesExtra int
}

// CheckEligibility evaluates the programme's rules in order. The first rule
// that fails makes the application ineligible with that rule's reason; a
// rule that cannot decide sends it to manual review.
func CheckEligibility(f EligibilityFacts) EligibilityResult {
	for _, rule := range f.Programme.Rules.Eligibility {
		if r, done := checkRule(rule, f); done {
			return r
		}
	}
	return EligibilityResult{Decision: DecisionEligible, Code: "eligible", Reason: "Meets every eligibility rule of the programme"}
}

func fail(rule EligibilityRule, format string, a ...any) (EligibilityResult, bool) {
	return EligibilityResult{Decision: DecisionIneligible, Code: string(rule), Reason: fmt.Sprintf(format, a...)}, true
}

func manual(rule EligibilityRule, format string, a ...any) (EligibilityResult, bool) {
	return EligibilityResult{Decision: DecisionManual, Code: string(rule), Reason: fmt.Sprintf(format, a...)}, true
}

// checkRule returns a result and true when the rule decides against the
// application (or cannot decide), false when it passes.
func checkRule(rule EligibilityRule, f EligibilityFacts) (EligibilityResult, bool) {
	p, d, s := f.Programme, f.AppliedOn, f.Setting
	switch rule {
	case RuleProgrammeOpen:
		if !p.Open(d) {
			if d.Before(p.OpensOn) {
				return fail(rule, "The programme opens for applications on %s", p.OpensOn.Long())
			}
			return fail(rule, "The programme closed for applications on %s", p.ClosesOn.Long())
		}
	case RuleSettingOnEYR:
		if s == nil {
			return manual(rule, "The setting could not be found on the Ofsted register")
		}
		switch {
		case s.RegisteredOn.IsZero() || s.RegisteredOn.After(d):
			return fail(rule, "The setting was not registered with Ofsted on %s", d.Long())
		case !s.ClosedOn.IsZero() && s.ClosedOn.OnOrBefore(d):
			return fail(rule, "The setting closed on %s", s.ClosedOn.Long())
		case !s.EYR:
			return fail(rule, "The setting is not on the Early Years Register")
		}
	case RuleSettingType:
		if s == nil {
			return manual(rule, "The setting could not be found on the Ofsted register")
		}
		switch s.Type {
		case Childminder, NonDomestic, Domestic:
		case MaintainedNursery, SchoolBased:
			return fail(rule, "%s settings are not eligible: their SENCO must hold qualified teacher status", s.Type.Label())
		default:
			return fail(rule, "%s settings are not eligible for this programme", s.Type.Label())
		}
	case RuleInEngland:
		// Every setting on Ofsted's register is in England, with or without
		// a recorded local authority; an unknown setting was caught above.
		if s == nil {
			return manual(rule, "The setting could not be found on the Ofsted register")
		}
	case RuleLevel3:
		switch {
		case f.QualificationLevel >= 3:
		case f.QualificationLevel == 0 && !f.WorkingTowardsL3:
			return manual(rule, "The practitioner's early years qualification is not recorded")
		case f.WorkingTowardsL3 && p.Rules.AllowWorkingTowards:
		case f.WorkingTowardsL3:
			return fail(rule, "The practitioner is working towards Level 3; this programme needs a full and relevant Level 3 qualification")
		default:
			return fail(rule, "The practitioner's highest early years qualification is Level %d; this programme needs a full and relevant Level 3", f.QualificationLevel)
		}
	case RuleNotAlreadyFunded:
		if f.HoldsQualification {
			return fail(rule, "The practitioner already holds the qualification")
		}
		if f.AlreadyFunded {
			return fail(rule, "The practitioner already has a funded place on this programme")
		}
	case RuleSettingPlaces:
		limit := p.Rules.PlacesPerSetting
		if limit > 0 && f.SettingPlacesUsed >= limit+f.SettingPlacesExtra {
			return manual(rule, "The setting has used its %d funded place(s) on this programme; a further place needs a manual decision", limit+f.SettingPlacesExtra)
		}
	default:
		return manual(rule, "Unknown eligibility rule %q", rule)
	}
	return EligibilityResult{}, false
}
