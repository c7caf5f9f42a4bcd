package page

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"senco/internal/domain"
)

// One formatter per kind of figure, so that two pages never show one number
// two ways. Percentages follow one rounding rule: to one decimal place,
// half away from zero (tenths).

// Count writes a whole number with thousands separators: 7,000.
func Count[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// tenths is a share (0.825) as tenths of a percent (825), rounded half away
// from zero: the one rounding rule for percentages.
func tenths(share float64) int64 { return int64(math.Round(share * 1000)) }

// tenthsText writes tenths of a percent, keeping the decimal ("82.5",
// "20.0") or, with short, dropping a ".0" ("80").
func tenthsText(t int64, short bool) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	if short && t%10 == 0 {
		return sign + strconv.FormatInt(t/10, 10)
	}
	return sign + strconv.FormatInt(t/10, 10) + "." + strconv.FormatInt(t%10, 10)
}

// Percent writes a share as a statistic, always to one decimal place so a
// column of them lines up: 0.2 → "20.0%".
func Percent(share float64) string { return tenthsText(tenths(share), false) + "%" }

// Clock writes a time of day kept as "HH:MM" in the GOV.UK style: 9:30am,
// 1pm, midday; "" for none.
func Clock(hhmm string) string {
	var h, m int
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &h, &m); err != nil {
		return ""
	}
	switch {
	case h == 12 && m == 0:
		return "midday"
	case h == 0 && m == 0:
		return "midnight"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d%s", h, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h, m, suffix)
}

// SessionTimes writes a session's times, "9:30am to 3:30pm", or "" when it
// has none.
func SessionTimes(starts, ends string) string {
	if starts == "" || ends == "" {
		return ""
	}
	return Clock(starts) + " to " + Clock(ends)
}

// PercentOf writes part ÷ whole as Percent does; with nothing to count
// (whole 0) it writes "–", saying why to a screen reader, never "0.0%",
// which would read as a figure of none.
func PercentOf(part, whole int) template.HTML {
	if whole == 0 {
		return NothingToCount
	}
	return template.HTML(Percent(float64(part) / float64(whole)))
}

// PercentOfText is PercentOf for running text: "no eligible settings to
// count" where the cell would show "–".
func PercentOfText(part, whole int) string {
	if whole == 0 {
		return "no eligible settings to count"
	}
	return Percent(float64(part) / float64(whole))
}

// NothingToCount is a table cell's figure where there is nothing to count.
const NothingToCount template.HTML = `<span aria-hidden="true">–</span><span class="govuk-visually-hidden">No eligible settings to count</span>`

// Rate writes a share that is compared with a rule (an attendance rate, a
// programme's threshold), by the same rounding as Percent but without a
// ".0" a reader would take for precision: 0.8 → "80%", 1/3 → "33.3%".
func Rate(share float64) string { return tenthsText(tenths(share), true) + "%" }

// PercentInput is a share as a form's value, without the sign: 0.825 → "82.5".
func PercentInput(share float64) string { return tenthsText(tenths(share), true) }

// Decimal writes a figure that is not a count (an expected number of
// completions, applications per hundred settings) to one decimal place.
func Decimal(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// Pounds shows integer pence as pounds: £1,234.56.
func Pounds(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return sign + "£" + Count(p/100) + "." + strconv.FormatInt(100+p%100, 10)[1:]
}

// PoundsInput shows pence as a form's value: 1234.56.
func PoundsInput(p int64) string { return domain.Money(p).Plain() }

// Hours shows a session's length as the supplier entered it: "1 hour",
// "6 hours", "3.5 hours".
func Hours(minutes int) string {
	if minutes == 60 {
		return "1 hour"
	}
	h := strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
	if len(h) > 5 {
		h = strconv.FormatFloat(float64(minutes)/60, 'f', 2, 64)
	}
	return h + " hours"
}

// Duration shows a session's length in words for the learner: "3 hours 30
// minutes".
func Duration(minutes int) string {
	h, m := minutes/60, minutes%60
	var parts []string
	switch h {
	case 0:
	case 1:
		parts = append(parts, "1 hour")
	default:
		parts = append(parts, fmt.Sprintf("%d hours", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d minutes", m))
	}
	if len(parts) == 0 {
		return "Not set"
	}
	return strings.Join(parts, " ")
}

// DateRange writes a period that may be open at either end.
func DateRange(from, to domain.Date) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "Not set"
	case to.IsZero():
		return "From " + from.Long()
	case from.IsZero():
		return "Until " + to.Long()
	}
	return from.Long() + " to " + to.Long()
}

// statusColours are the GOV.UK tag colours of the application statuses;
// in training is the default (blue) tag.
var statusColours = map[domain.Status]string{
	domain.StatusApplied:     "grey",
	domain.StatusEligible:    "teal",
	domain.StatusIneligible:  "red",
	domain.StatusEnrolled:    "purple",
	domain.StatusInTraining:  "",
	domain.StatusCompleted:   "green",
	domain.StatusCertified:   "green",
	domain.StatusWithdrawn:   "grey",
	domain.StatusDeferred:    "yellow",
	domain.StatusTransferred: "orange",
}

// StatusColour is the tag colour of a status ("" for the default tag).
func StatusColour(st domain.Status) string {
	if c, ok := statusColours[st]; ok {
		return c
	}
	return "grey"
}

// StatusTag is the tag component's parameters for an application: its
// status, or that it awaits a person's review.
func StatusTag(a domain.Application) map[string]any {
	if a.AwaitingReview() {
		return map[string]any{"text": "Manual review", "colour": "orange"}
	}
	tag := map[string]any{"text": a.Status.Label()}
	if c := StatusColour(a.Status); c != "" {
		tag["colour"] = c
	}
	return tag
}

// Waited writes how long something has waited from from to today, in the
// largest whole unit: "3 days", "2 weeks", "18 months".
func Waited(from, today domain.Date) string {
	days := int(today.Time().Sub(from.Time()).Hours() / 24)
	switch {
	case days < 14:
		return Count(days) + " " + Plural(days, "day", "days")
	case days < 61:
		return Count(days/7) + " weeks"
	}
	m := days * 12 / 365
	return Count(m) + " months"
}
