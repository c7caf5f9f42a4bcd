// Package reporttest seeds a small, exactly known world for the tests of
// the reports and of everything that shows them (CLI, API, pages): six
// authorities (one ended, Cumbria-like, still with settings), settings of
// every kind, a not-recorded setting, a certified SENCO who moves from one
// setting to another on TurnoverDay, one who works at two settings at
// once, and a programme with a supplier's cohort whose learners are in
// training, withdrawn, and completed and certified. People are generated.
package reporttest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
)

// Authorities of the world.
const (
	Leeds      = "E08000035" // Yorkshire and The Humber
	Bradford   = "E08000032" // Yorkshire and The Humber
	Barking    = "E09000002" // London
	Cumbria    = "E10000006" // North West; ended 2023-03-31, still has settings
	Lancashire = "E10000017" // North West; no settings
	Cumberland = "E06000063" // North West; from 2023-04-01, no settings

	Yorkshire = "E12000003"
	London    = "E12000007"
	NorthWest = "E12000002"
)

// Days of the world.
var (
	// TurnoverDay: the mover's employment at LD01 ends and the one at BD01
	// starts.
	TurnoverDay = domain.NewDate(2024, 6, 1)
	// CumbriaEnded is the last day Cumbria operated.
	CumbriaEnded = domain.NewDate(2023, 3, 31)
	// CertifiedOn: learner3 (at LD06) is certified under the programme.
	CertifiedOn = domain.NewDate(2024, 5, 20)
	// SeededAt is the store clock while seeding.
	SeededAt = time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC)
)

// World names the records the seed made.
type World struct {
	Programme           domain.Programme
	Supplier, Supplier2 domain.Organisation
	Cohort              int64
	People              map[string]int64 // practitioner ids by role in the world
	Apps                map[string]int64 // application ids: learner1..learner4
}

var op = domain.OperatorActor("report test seed")

func setting(urn string, typ domain.ProviderType, la string) domain.Setting {
	return domain.Setting{URN: urn, Name: "Setting " + urn, Type: typ, Status: domain.Active, EYR: typ != domain.HomeChildcarer, LACode: la,
		Places: 20, RegisteredOn: domain.NewDate(2015, 1, 1), Outcome: 2, InspectedOn: domain.NewDate(2022, 3, 1)}
}

// Settings is every setting of the world.
func Settings() []domain.Setting {
	var ss []domain.Setting
	for i := 1; i <= 12; i++ {
		ss = append(ss, setting(fmt.Sprintf("LD%02d", i), domain.NonDomestic, Leeds))
	}
	ss = append(ss, setting("LD13", domain.Childminder, Leeds), setting("LD14", domain.Childminder, Leeds))
	// Not eligible: a home childcarer, a setting closed before, one
	// registered after the dates the tests ask about.
	ss = append(ss, setting("LDX1", domain.HomeChildcarer, Leeds))
	closed := setting("LDX2", domain.NonDomestic, Leeds)
	closed.Status, closed.ClosedOn = domain.Closed, domain.NewDate(2020, 1, 1)
	late := setting("LDX3", domain.NonDomestic, Leeds)
	late.RegisteredOn = domain.NewDate(2025, 1, 1)
	ss = append(ss, closed, late)
	for i := 1; i <= 10; i++ {
		ss = append(ss, setting(fmt.Sprintf("BD%02d", i), domain.Childminder, Bradford))
	}
	ss = append(ss, setting("BD11", domain.Domestic, Bradford))
	ss = append(ss, setting("BK01", domain.NonDomestic, Barking), setting("BK02", domain.Childminder, Barking))
	ss = append(ss, setting("CU01", domain.NonDomestic, Cumbria), setting("CU02", domain.Childminder, Cumbria))
	ss = append(ss, setting("NR01", domain.NonDomestic, ""))
	return ss
}

// Seed fills db with the world, with the store clock at SeededAt, and
// leaves the clock at time.Now: tests set their own afterwards.
func Seed(t testing.TB, db *store.DB) World {
	t.Helper()
	ctx := context.Background()
	w := World{People: map[string]int64{}, Apps: map[string]int64{}}
	db.SetClock(func() time.Time { return SeededAt })
	defer db.SetClock(time.Now)
	national := policy.Scope{Kind: policy.National}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.UpsertLocalAuthorities(ctx, op, []domain.LocalAuthority{
			{Code: Leeds, DfECode: "383", Name: "Leeds", OfstedName: "Leeds", RegionCode: Yorkshire, RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(2009, 1, 1)},
			{Code: Bradford, DfECode: "380", Name: "Bradford", OfstedName: "Bradford", RegionCode: Yorkshire, RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(2009, 1, 1)},
			{Code: Barking, DfECode: "301", Name: "Barking and Dagenham", OfstedName: "Barking and Dagenham", RegionCode: London, RegionName: "London", StartedOn: domain.NewDate(2009, 1, 1)},
			{Code: Cumbria, DfECode: "909", Name: "Cumbria", OfstedName: "Cumbria", RegionCode: NorthWest, RegionName: "North West", StartedOn: domain.NewDate(2009, 1, 1), EndedOn: CumbriaEnded},
			{Code: Lancashire, DfECode: "888", Name: "Lancashire", OfstedName: "Lancashire", RegionCode: NorthWest, RegionName: "North West", StartedOn: domain.NewDate(2009, 1, 1)},
			{Code: Cumberland, DfECode: "942", Name: "Cumberland", OfstedName: "Cumberland", RegionCode: NorthWest, RegionName: "North West", StartedOn: domain.NewDate(2023, 4, 1)},
		}); err != nil {
			return err
		}
		if err := tx.InsertSettings(ctx, Settings()); err != nil {
			return err
		}
		owner, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme team"})
		if err != nil {
			return err
		}
		person := func(name string, emps ...domain.Employment) (int64, error) {
			p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Test", FamilyName: name, QualificationLevel: 3, OwnerOrgID: owner.ID})
			if err != nil {
				return 0, err
			}
			w.People[name] = p.ID
			for _, e := range emps {
				e.PractitionerID = p.ID
				if _, err := tx.AddEmployment(ctx, op, e); err != nil {
					return 0, fmt.Errorf("%s at %s: %w", name, e.SettingURN, err)
				}
			}
			return p.ID, nil
		}
		emp := func(urn string, role domain.EmploymentRole, from, to domain.Date) domain.Employment {
			return domain.Employment{SettingURN: urn, Role: role, StartedOn: from, EndedOn: to}
		}
		none := domain.Date{}
		recognised := []struct {
			name  string
			level int
			on    domain.Date
			emps  []domain.Employment
		}{
			// The mover: designated SENCO at LD01 until TurnoverDay, then a
			// practitioner at BD01 from that day.
			{"mover", 3, domain.NewDate(2020, 1, 1), []domain.Employment{
				emp("LD01", domain.RoleSENCO, domain.NewDate(2019, 1, 1), TurnoverDay),
				emp("BD01", domain.RolePractitioner, TurnoverDay, none)}},
			// Two settings at once.
			{"twoJobs", 4, domain.NewDate(2021, 1, 1), []domain.Employment{
				emp("LD02", domain.RoleSENCO, domain.NewDate(2020, 1, 1), none),
				emp("LD03", domain.RolePractitioner, domain.NewDate(2020, 1, 1), none)}},
			{"cumbria", 3, domain.NewDate(2019, 5, 1), []domain.Employment{emp("CU01", domain.RoleSENCO, domain.NewDate(2018, 1, 1), none)}},
			{"notRecorded", 3, domain.NewDate(2019, 5, 1), []domain.Employment{emp("NR01", domain.RoleSENCO, domain.NewDate(2018, 1, 1), none)}},
			// Certified after the dates the tests ask about.
			{"future", 3, domain.NewDate(2025, 1, 1), []domain.Employment{emp("BK01", domain.RoleSENCO, domain.NewDate(2018, 1, 1), none)}},
		}
		for _, r := range recognised {
			id, err := person(r.name, r.emps...)
			if err != nil {
				return err
			}
			if err := tx.RecogniseQualification(ctx, op, id, "Level "+fmt.Sprint(r.level)+" SENCO award", r.level, r.on); err != nil {
				return err
			}
		}

		// The programme: one supplier with a cohort in Leeds and Bradford,
		// another with a contract and no cohort yet.
		q, err := tx.SaveQualification(ctx, domain.Qualification{Code: "RPT-L3", Version: 1, Title: "Level 3 Early Years SENCO", Level: 3, AwardingOrganisation: "Awarding Body", GuidedLearningHours: 34})
		if err != nil {
			return err
		}
		w.Programme, err = tx.SaveProgramme(ctx, op, domain.Programme{Name: "Report test programme", QualificationID: q, OpensOn: domain.NewDate(2024, 1, 1),
			ClosesOn: domain.NewDate(2026, 12, 31), StartsOn: domain.NewDate(2024, 1, 1), EndsOn: domain.NewDate(2027, 12, 31), TargetCompletions: 10,
			Rules: domain.ProgrammeRules{}})
		if err != nil {
			return err
		}
		w.Supplier, err = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSupplier, Name: "Northern Training"})
		if err != nil {
			return err
		}
		w.Supplier2, err = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSupplier, Name: "Southern Training"})
		if err != nil {
			return err
		}
		c1, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: w.Supplier.ID, ProgrammeID: w.Programme.ID, LACodes: []string{Leeds, Bradford}, AllocatedPlaces: 20})
		if err != nil {
			return err
		}
		if _, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: w.Supplier2.ID, ProgrammeID: w.Programme.ID, LACodes: []string{Barking}, AllocatedPlaces: 5}); err != nil {
			return err
		}
		ch, err := tx.CreateCohort(ctx, op, domain.Cohort{ContractID: c1.ID, SupplierOrgID: w.Supplier.ID, Name: "Leeds and Bradford spring", Mode: domain.Blended,
			LACodes: []string{Leeds, Bradford}, StartsOn: domain.NewDate(2024, 3, 1), EndsOn: domain.NewDate(2024, 12, 31), Capacity: 10})
		if err != nil {
			return err
		}
		w.Cohort = ch.ID
		cohort, err := tx.ScopedCohort(ctx, national, ch.ID)
		if err != nil {
			return err
		}
		placed := domain.NewDate(2024, 2, 15)
		for _, l := range []struct{ name, urn string }{{"learner1", "LD04"}, {"learner2", "LD05"}, {"learner3", "LD06"}, {"learner4", "BD02"}} {
			id, err := person(l.name, emp(l.urn, domain.RolePractitioner, domain.NewDate(2022, 1, 1), none))
			if err != nil {
				return err
			}
			app, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: w.Programme.ID, PractitionerID: id, SettingURN: l.urn, AppliedOn: domain.NewDate(2024, 2, 1), Nominated: true})
			if err != nil {
				return fmt.Errorf("apply %s: %w", l.name, err)
			}
			if app.Status != domain.StatusEligible {
				return fmt.Errorf("%s is %s (%s), want eligible", l.name, app.Status, app.Reason)
			}
			w.Apps[l.name] = app.ID
			if wait, err := tx.Place(ctx, op, app, cohort, placed); err != nil || wait {
				return fmt.Errorf("place %s: waiting %v, %v", l.name, wait, err)
			}
		}
		load := func(name string) (store.Application, error) { return tx.ScopedApplication(ctx, national, w.Apps[name]) }
		app, err := load("learner2")
		if err != nil {
			return err
		}
		return tx.Withdraw(ctx, op, app, domain.WithdrawWorkload, domain.NewDate(2024, 4, 1), "")
	})
	if err != nil {
		t.Fatalf("seed the report world: %v", err)
	}
	// An assessment and a certificate are recorded on or after their day.
	db.SetClock(func() time.Time { return time.Date(2024, 5, 25, 9, 0, 0, 0, time.UTC) })
	err = db.InTx(ctx, func(tx *store.Tx) error {
		load := func(name string) (store.Application, error) { return tx.ScopedApplication(ctx, national, w.Apps[name]) }
		app, err := load("learner3")
		if err != nil {
			return err
		}
		if done, _, err := tx.CompleteAssessment(ctx, op, app, nil, domain.NewDate(2024, 5, 1)); err != nil || !done {
			return fmt.Errorf("complete learner3: %v %v", done, err)
		}
		if app, err = load("learner3"); err != nil {
			return err
		}
		if err := tx.RegisterLearner(ctx, op, app, "RPT0001", ""); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed the report world: %v", err)
	}
	// The certificate is issued on its day: no certificate is dated after
	// the day it is recorded.
	db.SetClock(func() time.Time { return CertifiedOn.Time().Add(9 * time.Hour) })
	err = db.InTx(ctx, func(tx *store.Tx) error {
		app, err := tx.ScopedApplication(ctx, national, w.Apps["learner3"])
		if err != nil {
			return err
		}
		_, err = quality.Certify(ctx, tx, op, app, "CERT-RPT-1", CertifiedOn)
		return err
	})
	if err != nil {
		t.Fatalf("certify in the report world: %v", err)
	}
	return w
}
