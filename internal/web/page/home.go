package page

import "math"

// A home is what needs doing: each area of the service contributes its
// own part (one small function per role in internal/web/home.go), and the
// home page shows them in the order given.

// Home is one area's part of a role's home.
type Home struct {
	// Warnings are shown first, as GOV.UK warning text.
	Warnings []string
	// Cards are headline figures, each a GOV.UK summary card.
	Cards []Card
	// Groups are task lists: what needs doing, each task with its count.
	Groups []TaskGroup
}

// Add appends another area's part.
func (h *Home) Add(o Home) {
	h.Warnings = append(h.Warnings, o.Warnings...)
	h.Cards = append(h.Cards, o.Cards...)
	h.Groups = append(h.Groups, o.Groups...)
}

// Card is a headline: a titled summary list with links to the detail.
type Card struct {
	Title string
	Rows  []CardRow
	Links []Link
}

// CardRow is one figure of a card.
type CardRow struct{ Key, Value string }

// Link is a link offered on a home.
type Link struct{ Text, Href string }

// TaskGroup is a heading and its tasks.
type TaskGroup struct {
	Heading string
	Tasks   []Task
	// Empty is said when there are no tasks.
	Empty string
}

// Task is one thing to do, with a link straight to it. Count is how many
// are waiting (shown as a tag; none says "Nothing to do"); NoCount leaves
// the count out for a task that is a place to go rather than a queue.
type Task struct {
	Text, Href, Hint string
	Count            int
	NoCount          bool
}

// Status is the task's status text: how many wait, or that none do.
func (t Task) Status() string {
	if t.Count == 0 {
		return "Nothing to do"
	}
	return Count(t.Count) + " to do"
}

// TargetWarnings says where a programme's target for completions cannot be
// met as things stand: it is more than the places its contracts allocate,
// or more than those certified plus what the forecast expects from the
// cohorts in flight. The programme team's home and the progress page both
// show these sentences.
func TargetWarnings(programme string, target, allocated, certified int, forecast float64) []string {
	if target == 0 {
		return nil
	}
	var out []string
	if target > allocated {
		out = append(out, programme+": the target of "+Count(target)+" completions is "+Count(target-allocated)+
			" more than the "+Count(allocated)+" "+Plural(allocated, "place", "places")+" its contracts allocate.")
	}
	if expected := float64(certified) + forecast; float64(target) > expected {
		out = append(out, programme+": "+Count(certified)+" certified and "+Decimal(forecast)+
			" more expected from the cohorts in flight leave "+Count(int(math.Ceil(float64(target)-expected)))+" of the target of "+Count(target)+" to find.")
	}
	return out
}

// Plural is the singular for one, else the plural.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
