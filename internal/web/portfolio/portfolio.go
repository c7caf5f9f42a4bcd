// Package portfolio is the e-portfolio's room: a learner's evidence
// matrix, their evidence and submissions, the assessor's queue and
// marking, observations, progress reviews and each person's outbox.
package portfolio

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/files"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/web/page"
)

// Handlers are the room's pages.
type Handlers struct {
	*page.Site
	Files files.Store
	// MailConfigured: notifications go by mail as well as to the outbox.
	MailConfigured bool
}

// data is a page's data; a form page's "Form" gives the layout its error
// summary.
type data map[string]any

func (d data) ErrorList() []any {
	if f, ok := d["Form"].(page.Form); ok {
		return f.ErrorList()
	}
	return nil
}

func path(appID int64) string { return "/portfolio/" + strconv.FormatInt(appID, 10) }

// load reads the portfolio of the request's {id} in the user's scope.
func (s *Handlers) load(r *http.Request) (domain.User, portfolio.Portfolio, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, portfolio.Portfolio{}, err
	}
	p, err := portfolio.Load(r.Context(), s.DB.Reader(), policy.Portfolio(u), id)
	if errors.Is(err, store.ErrNotFound) {
		return u, p, page.ErrNotFound
	}
	return u, p, err
}

// Home is where each user starts: a learner their portfolio; an assessor
// the queue of work to mark and their learners; others the learners in
// their scope.
func (s *Handlers) Home(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	scope := policy.Portfolio(u)
	learners, err := portfolio.Learners(ctx, s.DB.Reader(), scope, 500)
	if err != nil {
		return err
	}
	if u.Role == domain.RoleLearner && len(learners) == 1 {
		http.Redirect(w, r, path(learners[0].AppID), http.StatusSeeOther)
		return nil
	}
	n, err := page.Number(r)
	if err != nil {
		return err
	}
	const size = 50
	q, err := portfolio.Queue(ctx, s.DB.Reader(), scope, n, size)
	if err != nil {
		return err
	}
	today := s.Today()
	type row struct {
		Item    portfolio.QueueItem
		Waiting string
		What    string
	}
	var rows []row
	for _, it := range q.Items {
		rows = append(rows, row{Item: it, Waiting: waiting(it.Submission.SubmittedOn, today), What: workName(it.Submission)})
	}
	return s.Render(w, r, "pf-home", "Portfolios", map[string]any{
		"Queue": rows, "QueueTotal": q.Total, "Span": page.SpanOf(r.URL, n, size, q.Total, len(rows)),
		"Learners": learners, "Marks": policy.CanMark(u), "Learner": u.Role == domain.RoleLearner, "Flash": s.TakeFlash(w, r),
	})
}

// waiting says how long work has waited, in days.
func waiting(since, today domain.Date) string {
	days := int(today.Time().Sub(since.Time()).Hours() / 24)
	switch {
	case days <= 0:
		return "Today"
	case days == 1:
		return "1 day"
	}
	return page.Count(days) + " days"
}

func workName(s domain.Submission) string {
	if s.AssignmentRef == "" {
		return "Evidence"
	}
	return fmt.Sprintf("Assignment %s, version %d", s.AssignmentRef, s.Version)
}

// cell is a matrix cell as the page shows it: the state in words and a
// tag colour (the words carry the meaning; the colour only repeats it).
type cell struct {
	State  domain.CellState
	Label  string
	Colour string
}

func cellOf(st domain.CellState) cell {
	colour := map[domain.CellState]string{domain.CellNotStarted: "grey", domain.CellWorkingTowards: "light-blue",
		domain.CellSubmitted: "yellow", domain.CellMet: "green", domain.CellReferred: "red"}[st]
	return cell{State: st, Label: st.Label(), Colour: colour}
}

type matrixRow struct {
	Criterion domain.CriterionRef
	Text      string
	Mandatory bool
	State     cell
	Cells     []cell
	Feedback  string
	// PriorLearning is where recognised prior learning that meets the
	// criterion came from.
	PriorLearning string
}

// Show is a learner's portfolio: what is due, what was referred and why,
// the evidence matrix, the evidence and its submissions with their
// feedback, observations and progress reviews.
func (s *Handlers) Show(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	m := p.Matrix()
	var rows []matrixRow
	var referred []matrixRow
	for _, mr := range m.Rows {
		row := matrixRow{Criterion: mr.Criterion, Text: mr.Text, Mandatory: mr.Mandatory, State: cellOf(mr.State), Feedback: mr.Feedback, PriorLearning: mr.PriorLearning}
		for _, c := range mr.Cells {
			row.Cells = append(row.Cells, cellOf(c))
		}
		rows = append(rows, row)
		if mr.State == domain.CellReferred {
			referred = append(referred, row)
		}
	}
	type dueRow struct {
		Due    domain.Due
		Status string
	}
	var due []dueRow
	for _, d := range domain.DueWork(p.Qualification.Plan, p.CohortStartsOn) {
		st := "Not started"
		if d.Observation {
			if len(p.Observations) > 0 {
				st = "Observed"
			}
		} else {
			for _, sub := range p.Submissions {
				if sub.AssignmentRef == d.Ref {
					st = fmt.Sprintf("Version %d %s", sub.Version, map[bool]string{true: "marked", false: "waiting to be marked"}[sub.Marked()])
				}
			}
		}
		due = append(due, dueRow{d, st})
	}
	type subView struct {
		Sub       domain.Submission
		What      string
		Evidence  domain.Evidence
		Decisions []domain.CriterionDecision
	}
	var subs []subView
	for i := len(p.Submissions) - 1; i >= 0; i-- {
		sub := p.Submissions[i]
		ev, _ := p.EvidenceByID(sub.EvidenceID)
		subs = append(subs, subView{sub, workName(sub), ev, p.DecisionsOn(sub.ID)})
	}
	type evView struct {
		Ev        domain.Evidence
		Submitted bool
	}
	var evs []evView
	unsubmitted := 0
	for _, e := range p.Evidence {
		_, used := p.SubmissionOf(e.ID)
		if !used {
			unsubmitted++
		}
		evs = append(evs, evView{e, used})
	}
	signer, signs := policy.SignerOf(u)
	missing := p.Missing()
	mandatory := len(p.Qualification.Plan.Mandatory)
	return s.Render(w, r, "pf-show", p.App.PractitionerName+": portfolio", map[string]any{
		"P": p, "App": p.App, "Q": p.Qualification, "Rows": rows, "Referred": referred, "Evidence": evs, "Due": due, "Subs": subs,
		"Met": page.Count(mandatory - len(missing)), "Mandatory": page.Count(mandatory), "Missing": missing,
		"CanAdd": policy.CanAddEvidence(u) && p.App.Status.In(domain.Training), "Unsubmitted": unsubmitted,
		"CanMark":     policy.CanMark(u) && p.App.Status.In(domain.Training),
		"CanComplete": policy.CanAssess(u) && p.App.Status.In(domain.Training) && p.App.AssessmentCompleteOn.IsZero(),
		"Learner":     policy.CanAddEvidence(u), "Signer": signer, "Signs": signs, "Flash": s.TakeFlash(w, r),
		"Counts": map[string]string{"met": page.Count(m.Count(domain.CellMet)), "submitted": page.Count(m.Count(domain.CellSubmitted)),
			"referred": page.Count(m.Count(domain.CellReferred)), "working": page.Count(m.Count(domain.CellWorkingTowards)),
			"none": page.Count(m.Count(domain.CellNotStarted))},
	})
}

// criteriaItems are checkboxes of every criterion, grouped by unit in
// the labels, checked where chosen.
func criteriaItems(q domain.Qualification, only []domain.CriterionRef, chosen []domain.CriterionRef) []any {
	var items []any
	for _, c := range q.Criteria() {
		if only != nil && !slices.Contains(only, c) {
			continue
		}
		text, _ := q.CriterionText(c)
		item := map[string]any{"value": string(c), "text": "Unit " + strings.Replace(string(c), "/", ", criterion ", 1) + ": " + text}
		if slices.Contains(chosen, c) {
			item["checked"] = true
		}
		items = append(items, item)
	}
	return items
}

func criteriaOf(vals []string) []domain.CriterionRef {
	var out []domain.CriterionRef
	for _, v := range vals {
		out = append(out, domain.CriterionRef(v))
	}
	return out
}

type evidenceForm struct {
	page.Form
	Kind, Title, Text string
	Criteria          []domain.CriterionRef
}

func (s *Handlers) evidencePage(w http.ResponseWriter, r *http.Request, p portfolio.Portfolio, f evidenceForm, status int) error {
	return s.RenderStatus(w, r, status, "pf-evidence-new", "Add evidence", data{
		"App": p.App, "Q": p.Qualification, "F": f, "Form": f.Form, "Items": criteriaItems(p.Qualification, nil, f.Criteria),
		"Accept": files.Accept(), "Kinds": files.AcceptList(), "Max": "10 MB", "Errors": f.Errors,
	})
}

// EvidenceNew is the form to upload a file or write a reflective account.
func (s *Handlers) EvidenceNew(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanAddEvidence(u) {
		return page.ErrForbidden
	}
	return s.evidencePage(w, r, p, evidenceForm{Kind: string(domain.EvidenceFile)}, http.StatusOK)
}

// EvidenceCreate stores the file (checked first: nothing is stored when
// it is refused) and records the evidence with its criteria.
func (s *Handlers) EvidenceCreate(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanAddEvidence(u) {
		return page.ErrForbidden
	}
	lim := files.DefaultLimits
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxSize+1<<20)
	var f evidenceForm
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			f.Fail("file", "The selected file must be smaller than 10 MB")
			return s.evidencePage(w, r, p, f, http.StatusUnprocessableEntity)
		}
		if !errors.Is(err, http.ErrNotMultipart) {
			return page.ErrNotFound
		}
	}
	f.Kind, f.Title, f.Text = r.FormValue("kind"), r.FormValue("title"), r.FormValue("text")
	f.Criteria = criteriaOf(r.Form["criteria"])
	ev := domain.Evidence{Kind: domain.EvidenceKind(f.Kind), Title: f.Title, Text: f.Text, Criteria: f.Criteria, AddedOn: s.Today()}
	var data []byte
	if ev.Kind == domain.EvidenceFile {
		ev.Text = ""
		file, hdr, err := r.FormFile("file")
		switch {
		case errors.Is(err, http.ErrMissingFile):
			f.Fail("file", "Select a file to upload")
		case err != nil:
			f.Fail("file", "The selected file could not be read")
		default:
			defer file.Close()
			buf := make([]byte, lim.MaxSize+1)
			n, _ := readFull(file, buf)
			data = buf[:n]
			typ, err := files.Check(hdr.Filename, data, lim)
			if r, ok := domain.IsRefusal(err); ok {
				f.Fail("file", r.Msg)
			} else {
				ev.File = domain.FileMeta{Key: files.NewKey(), Name: files.DisplayName(hdr.Filename), Type: typ, Size: int64(len(data))}
			}
		}
	}
	if !f.Valid() {
		return s.evidencePage(w, r, p, f, http.StatusUnprocessableEntity)
	}
	// The domain's checks first, so a refused upload stores nothing.
	if err := domain.CheckEvidence(p.App, ev, p.Qualification, s.Today()); err != nil {
		if rf, ok := domain.IsRefusal(err); ok {
			f.Fail(rf.Field, rf.Msg)
			return s.evidencePage(w, r, p, f, http.StatusUnprocessableEntity)
		}
		return err
	}
	if ev.Kind == domain.EvidenceFile {
		if err := s.Files.Put(r.Context(), ev.File.Key, strings.NewReader(string(data))); err != nil {
			return err
		}
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		ev, err = portfolio.AddEvidence(r.Context(), tx, domain.ActorOf(u), policy.Portfolio(u), p.App.ID, ev)
		return err
	})
	if err != nil {
		if ev.File.Key != "" {
			_ = s.Files.Delete(r.Context(), ev.File.Key) // nothing kept of a refused upload
		}
		if rf, ok := domain.IsRefusal(err); ok {
			f.Fail(rf.Field, rf.Msg)
			return s.evidencePage(w, r, p, f, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.RedirectFlash(w, r, path(p.App.ID)+"#evidence", fmt.Sprintf("%q is in your portfolio. Submit it when it is ready to be marked.", ev.Title))
	return nil
}

func readFull(f interface{ Read([]byte) (int, error) }, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := f.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// EvidenceFile downloads an evidence file, in scope.
func (s *Handlers) EvidenceFile(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "evidence")
	if err != nil {
		return err
	}
	_, p, err := s.load(r)
	if err != nil {
		return err
	}
	ev, ok := p.EvidenceByID(id)
	if !ok || ev.File.Key == "" || !policy.CanSeePortfolio(u) {
		return page.ErrNotFound
	}
	err = files.Serve(w, r, s.Files, ev.File)
	if errors.Is(err, files.ErrNotFound) {
		return page.ErrNotFound
	}
	return err
}

type submitForm struct {
	page.Form
	Assignment, Evidence string
}

func (s *Handlers) submitPage(w http.ResponseWriter, r *http.Request, p portfolio.Portfolio, f submitForm, status int) error {
	var asg []any
	for _, a := range p.Qualification.Plan.Assignments {
		asg = append(asg, map[string]any{"value": a.Ref, "text": a.Ref + ": " + a.Title})
	}
	asg = append(asg, map[string]any{"divider": "or"}, map[string]any{"value": "none", "text": "Not for an assignment: evidence on its own"})
	var evs []any
	for _, e := range p.Evidence {
		if _, used := p.SubmissionOf(e.ID); used {
			continue
		}
		hint := e.Kind.Label() + ", added " + e.AddedOn.Long() + "; for criteria " + joinRefs(e.Criteria)
		evs = append(evs, map[string]any{"value": page.Itoa(e.ID), "text": e.Title, "hint": hint})
	}
	return s.RenderStatus(w, r, status, "pf-submit", "Submit work to be marked", data{
		"App": p.App, "F": f, "Assignments": asg, "EvidenceItems": evs, "Errors": f.Errors, "Form": f.Form,
	})
}

func joinRefs(cs []domain.CriterionRef) string {
	var s []string
	for _, c := range cs {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// SubmitForm chooses the assignment and the evidence to submit.
func (s *Handlers) SubmitForm(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanAddEvidence(u) {
		return page.ErrForbidden
	}
	return s.submitPage(w, r, p, submitForm{Assignment: r.URL.Query().Get("assignment"), Evidence: r.URL.Query().Get("evidence")}, http.StatusOK)
}

// Submit locks the chosen evidence as the next version of the assignment
// and tells the cohort's assessors.
func (s *Handlers) Submit(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanAddEvidence(u) {
		return page.ErrForbidden
	}
	f := submitForm{Assignment: r.PostFormValue("assignment"), Evidence: r.PostFormValue("evidence")}
	f.Check(f.Assignment != "", "assignment", "Choose the assignment this work is for")
	evID, perr := strconv.ParseInt(f.Evidence, 10, 64)
	f.Check(perr == nil, "evidence", "Choose the evidence to submit")
	if !f.Valid() {
		return s.submitPage(w, r, p, f, http.StatusUnprocessableEntity)
	}
	ref := f.Assignment
	if ref == "none" {
		ref = ""
	}
	var sub domain.Submission
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		sub, err = portfolio.Submit(r.Context(), tx, domain.ActorOf(u), policy.Portfolio(u), p.App.ID, ref, evID, s.Today())
		return err
	})
	if rf, ok := domain.IsRefusal(err); ok {
		f.Fail(rf.Field, rf.Msg)
		return s.submitPage(w, r, p, f, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, path(p.App.ID)+"#submissions", workName(sub)+" is submitted. Your assessor has been told; it is locked now, and any further work is a new version.")
	return nil
}

// submission reads the request's {id} submission in scope.
func (s *Handlers) submission(r *http.Request) (domain.User, domain.Submission, portfolio.Portfolio, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, domain.Submission{}, portfolio.Portfolio{}, err
	}
	sub, p, err := portfolio.SubmissionIn(r.Context(), s.DB.Reader(), policy.Portfolio(u), id)
	if errors.Is(err, store.ErrNotFound) {
		return u, sub, p, page.ErrNotFound
	}
	return u, sub, p, err
}

type markRow struct {
	Criterion domain.CriterionRef
	ID        string // the field id, without the slash
	Text      string
	Outcome   string
	Feedback  string
	Decided   *domain.CriterionDecision
}

type markForm struct {
	page.Form
	Rows     []markRow
	Feedback string
}

func fieldID(c domain.CriterionRef) string {
	return strings.NewReplacer("/", "-", ".", "-").Replace(string(c))
}

func (s *Handlers) markPage(w http.ResponseWriter, r *http.Request, u domain.User, sub domain.Submission, p portfolio.Portfolio, f markForm, status int) error {
	ev, _ := p.EvidenceByID(sub.EvidenceID)
	if f.Rows == nil {
		decided := map[domain.CriterionRef]domain.CriterionDecision{}
		for _, d := range p.DecisionsOn(sub.ID) {
			decided[d.Criterion] = d
		}
		for _, c := range domain.SubmissionCriteria(p.Qualification, sub, ev) {
			text, _ := p.Qualification.CriterionText(c)
			row := markRow{Criterion: c, ID: fieldID(c), Text: text}
			if d, ok := decided[c]; ok {
				row.Decided = &d
			}
			f.Rows = append(f.Rows, row)
		}
	}
	asg, _ := p.Qualification.Plan.Assignment(sub.AssignmentRef)
	return s.RenderStatus(w, r, status, "pf-mark", workName(sub)+": "+p.App.PractitionerName, data{
		"App": p.App, "Sub": sub, "What": workName(sub), "Assignment": asg, "Ev": ev, "F": f, "Errors": f.Errors, "Form": f.Form,
		"CanMark": policy.CanMark(u) && !sub.Marked(), "Waiting": waiting(sub.SubmittedOn, s.Today()),
	})
}

// SubmissionShow is a submitted version: the assessor's marking form
// while it waits, its decisions and feedback once marked.
func (s *Handlers) SubmissionShow(w http.ResponseWriter, r *http.Request) error {
	u, sub, p, err := s.submission(r)
	if err != nil {
		return err
	}
	return s.markPage(w, r, u, sub, p, markForm{}, http.StatusOK)
}

// Mark records met or not yet, with feedback, for every criterion of the
// version, and tells the learner.
func (s *Handlers) Mark(w http.ResponseWriter, r *http.Request) error {
	u, sub, p, err := s.submission(r)
	if err != nil {
		return err
	}
	if !policy.CanMark(u) {
		return page.ErrForbidden
	}
	ev, _ := p.EvidenceByID(sub.EvidenceID)
	f := markForm{Feedback: r.PostFormValue("feedback")}
	var marks []domain.CriterionMark
	for _, c := range domain.SubmissionCriteria(p.Qualification, sub, ev) {
		text, _ := p.Qualification.CriterionText(c)
		id := fieldID(c)
		row := markRow{Criterion: c, ID: id, Text: text, Outcome: r.PostFormValue("outcome-" + id), Feedback: r.PostFormValue("feedback-" + id)}
		f.Rows = append(f.Rows, row)
		marks = append(marks, domain.CriterionMark{Criterion: c, Outcome: domain.CriterionOutcome(row.Outcome), Feedback: row.Feedback})
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := portfolio.Mark(r.Context(), tx, domain.ActorOf(u), policy.Portfolio(u), sub.ID, marks, f.Feedback, s.Today())
		return err
	})
	if rf, ok := domain.IsRefusal(err); ok {
		f.Fail(strings.NewReplacer("/", "-", ".", "-").Replace(rf.Field), rf.Msg)
		return s.markPage(w, r, u, sub, p, f, http.StatusUnprocessableEntity)
	}
	if errors.Is(err, store.ErrConflict) {
		s.RedirectFlash(w, r, r.URL.Path, domain.ErrMarkedMeanwhile.Error())
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/portfolio", workName(sub)+" of "+p.App.PractitionerName+" is marked; they have been told.")
	return nil
}

// Outbox is the messages senco sent the user.
func (s *Handlers) Outbox(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	msgs, err := portfolio.Outbox(r.Context(), s.DB.Reader(), u.ID, 100)
	if err != nil {
		return err
	}
	type row struct {
		portfolio.OutboxMessage
		When string
	}
	var rows []row
	for _, m := range msgs {
		rows = append(rows, row{m, domain.DateOf(m.CreatedAt).Long()})
	}
	return s.Render(w, r, "pf-outbox", "Your messages", map[string]any{"Messages": rows, "Mail": s.MailConfigured})
}
