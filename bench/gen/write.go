package gen

import (
	"fmt"
	"time"

	"senco/internal/domain"
)

// at is a time on day d during working hours, never after now.
func (g *generator) at(w *writer, d domain.Date) time.Time {
	t := d.Time().Add(time.Duration(8*3600+g.r.IntN(10*3600)) * time.Second)
	if t.After(w.now) {
		return w.now
	}
	return t
}

// nullable stores an empty string as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writePeople writes the practitioners, their employments and recognised
// qualifications, with ids assigned here.
func (g *generator) writePeople(w *writer) error {
	ctx := w.ctx
	ids := map[string]int64{}
	for _, t := range []string{"practitioners", "employments", "recognised_qualifications"} {
		id, err := w.tx.NextID(ctx, t)
		if err != nil {
			return err
		}
		ids[t] = id
	}
	pt := practitionersTable(w)
	et := w.table("employments", "id", "practitioner_id", "setting_urn", "role", "started_on", "ended_on", "created_at", "updated_at").after(pt)
	rt := w.table("recognised_qualifications", "id", "practitioner_id", "title", "level", "recognised_on", "revoked_on", "created_at").after(pt)
	for _, p := range g.persons {
		p.id = ids["practitioners"]
		ids["practitioners"]++
		first, changed := p.jobs[0].start, p.jobs[0].start
		for _, j := range p.jobs {
			first = earlier(first, j.start)
			changed = later(changed, later(j.start, j.end))
		}
		if err := g.addPractitioner(w, pt, p, g.ownerOf(p), first, changed); err != nil {
			return err
		}
		for _, j := range p.jobs {
			last := later(j.start, j.end)
			if err := et.add(ids["employments"], p.id, g.settings[j.setting].URN, string(j.role), j.start, j.end, g.at(w, j.start), g.at(w, last)); err != nil {
				return err
			}
			ids["employments"]++
		}
		if c := p.cert; c != nil {
			if err := rt.add(ids["recognised_qualifications"], p.id, c.title, c.level, c.on, c.revokedOn, g.at(w, c.on)); err != nil {
				return err
			}
			ids["recognised_qualifications"]++
		}
	}
	for _, t := range []*table{pt, et, rt} {
		if err := t.flush(); err != nil {
			return err
		}
	}
	g.nextPractitioner = ids["practitioners"]
	return nil
}

func practitionersTable(w *writer) *table {
	return w.table("practitioners", "id", "given_name", "family_name", "email", "date_of_birth", "qualification_level", "qts", "eyts", "qtls",
		"prior_sen_training", "owner_org_id", "created_at", "updated_at")
}

func (g *generator) addPractitioner(w *writer, t *table, p *gperson, owner int64, created, updated domain.Date) error {
	q := p.p
	return t.add(p.id, q.GivenName, q.FamilyName, q.Email, q.DateOfBirth, q.QualificationLevel, q.QTS, q.EYTS, q.QTLS,
		q.PriorSENTraining, owner, g.at(w, created), g.at(w, updated))
}

// writeDelivery writes the sessions, cohort staff, applications with their
// events, and attendance.
func (g *generator) writeDelivery(w *writer) error {
	ctx, d := w.ctx, &g.state
	// Second records of people who applied twice.
	pt := practitionersTable(w)
	for _, p := range d.dups {
		p.id = g.nextPractitioner
		g.nextPractitioner++
		if err := g.addPractitioner(w, pt, p, g.ownerOf(p), g.today.AddDays(-1), g.today.AddDays(-1)); err != nil {
			return err
		}
	}
	if err := pt.flush(); err != nil {
		return err
	}
	st := w.table("sessions_taught", "id", "cohort_id", "held_on", "minutes", "mode", "topic", "venue", "units", "created_at", "updated_at", "register_version")
	cs := w.table("cohort_staff", "cohort_id", "user_id", "role")
	for _, c := range d.cohorts {
		for _, s := range c.sessions {
			version := 0
			if s.marked {
				version = 1 // one save of the whole register
			}
			if err := st.add(s.id, c.c.ID, s.date, s.minutes, string(s.mode), s.topic, s.venue, s.unit, w.now, w.now, version); err != nil {
				return err
			}
		}
		if err := cs.add(c.c.ID, c.trainer, "trainer"); err != nil {
			return err
		}
		if err := cs.add(c.c.ID, c.assessor, "assessor"); err != nil {
			return err
		}
	}
	for _, t := range []*table{st, cs} {
		if err := t.flush(); err != nil {
			return err
		}
	}

	appID, err := w.tx.NextID(ctx, "applications")
	if err != nil {
		return err
	}
	eventID, err := w.tx.NextID(ctx, "application_events")
	if err != nil {
		return err
	}
	at := w.table("applications", "id", "programme_id", "practitioner_id", "setting_urn", "la_code", "applied_on", "nominated", "setting_confirmed_at",
		"working_towards_l3", "status", "decision", "reason_code", "reason", "manual_decision", "extra_setting_place", "cohort_id", "waitlist_cohort_id",
		"withdrawal_reason", "withdrawn_on", "assessment_complete_on", "learner_number", "uln", "certificate_number", "certified_on", "revoked_on",
		"revoke_reason", "qualification_id", "created_at", "updated_at", "enrolled_on", "left_training_on")
	ev := w.table("application_events", "id", "application_id", "from_status", "to_status", "event", "on_date", "detail", "actor", "at").after(at)
	mt := w.table("attendance", "application_id", "session_id", "mark", "caught_up_on", "catch_up_note", "updated_at", "updated_by").after(at)
	for _, a := range d.apps {
		a.ID = appID
		appID++
		// The row is written before its events and marks, which refer to
		// it; its last change is the latest of them.
		created := g.at(w, a.AppliedOn)
		updated := created
		eventAt := make([]time.Time, len(a.events))
		for i, e := range a.events {
			eventAt[i] = g.at(w, e.On)
			if eventAt[i].After(updated) {
				updated = eventAt[i]
			}
		}
		markAt := make([]time.Time, len(a.marks))
		for i, m := range a.marks {
			markAt[i] = g.at(w, later(m.session.date, m.caughtUp))
			if markAt[i].After(updated) {
				updated = markAt[i]
			}
		}
		s := g.settings[a.setting]
		var confirmed any
		if a.Nominated || a.SettingConfirmed {
			confirmed = created
		}
		var cohort, waitlist any
		if a.cohort != nil {
			cohort = a.cohort.c.ID
		}
		if a.waitlist != nil && a.Status == domain.StatusEligible {
			waitlist = a.waitlist.c.ID
		}
		if err := at.add(a.ID, d.prog.ID, a.person.id, s.URN, nullable(s.LACode), a.AppliedOn, a.Nominated, confirmed,
			a.WorkingTowardsL3, string(a.Status), string(a.Decision), a.ReasonCode, a.Reason, a.ManualDecision, a.ExtraSettingPlace, cohort, waitlist,
			string(a.WithdrawalReason), a.WithdrawnOn, a.AssessmentCompleteOn, a.LearnerNumber, a.ULN, a.CertificateNumber, a.CertifiedOn, a.RevokedOn,
			a.RevokeReason, d.prog.QualificationID, created, updated, a.EnrolledOn, a.LeftTrainingOn); err != nil {
			return err
		}
		for i, e := range a.events {
			if err := ev.add(eventID, a.ID, string(e.From), string(e.To), e.Name, e.On, e.Detail, actor.Label, eventAt[i]); err != nil {
				return err
			}
			eventID++
		}
		for i, m := range a.marks {
			if err := mt.add(a.ID, m.session.id, string(m.mark), m.caughtUp, m.note, markAt[i], actor.Label); err != nil {
				return err
			}
		}
	}
	// Applications first: events and attendance refer to them.
	for _, t := range []*table{at, ev, mt} {
		if err := t.flush(); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	return nil
}

// stats counts what was made.
func (g *generator) stats(st *Stats) {
	d := &g.state
	for _, s := range g.settings {
		if s.eligible {
			st.EligibleSettings++
		}
	}
	st.Practitioners = len(g.persons) + len(d.dups)
	for _, p := range g.persons {
		st.Employments += len(p.jobs)
		for _, j := range p.jobs {
			if j.role == domain.RoleSENCO && j.start.OnOrBefore(g.today) && (j.end.IsZero() || g.today.Before(j.end)) {
				st.CurrentSENCOs++
			}
		}
		if p.cert != nil {
			st.Recognised++
		}
	}
	st.Organisations = 2 + len(g.las) + len(d.suppliers)
	st.Users = d.users
	st.Suppliers = len(d.suppliers)
	st.Cohorts = len(d.cohorts)
	for _, c := range d.cohorts {
		st.Sessions += len(c.sessions)
	}
	st.Applications = len(d.apps)
	for _, a := range d.apps {
		st.ByStatus[a.Status]++
		st.ApplicationEvents += len(a.events)
		st.Attendance += len(a.marks)
		if !a.CertifiedOn.IsZero() {
			st.Certified++
		}
	}
}
