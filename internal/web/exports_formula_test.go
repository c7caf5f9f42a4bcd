package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

const formulaName = `=HYPERLINK("https://evil.example","Open")`

// formulaCells returns every cell of a CSV or XLSX download that a
// spreadsheet would take for a formula.
func formulaCells(t *testing.T, format string, body []byte) (bad []string, all []string) {
	t.Helper()
	check := func(where, v string) {
		all = append(all, v)
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			bad = append(bad, fmt.Sprintf("%s %q", where, v))
		}
	}
	switch format {
	case "csv":
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for r, rec := range recs {
			for c, v := range rec {
				check(fmt.Sprintf("row %d col %d", r+1, c+1), v)
			}
		}
	case "xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					if typ, _ := f.GetCellType(sheet, cell); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
						continue
					}
					check(sheet+"!"+cell, v)
				}
			}
		}
	}
	return bad, all
}

// TestExportsGuardFormulas puts a name a spreadsheet would run into every
// download a person can open in one: the attendance register (CSV) and the
// coverage tables (CSV and XLSX). The report writers behind the coverage
// downloads and the CLI are tested with every trigger in package report.
func TestExportsGuardFormulas(t *testing.T) {
	ctx := context.Background()
	op := domain.OperatorActor("test")

	t.Run("attendance", func(t *testing.T) {
		f := cohortFixture(t, storetest.SQLite(t))
		c1, err := f.db.Cohort(ctx, cohortNational, f.c1.ID)
		if err != nil {
			t.Fatal(err)
		}
		err = f.db.InTx(ctx, func(tx *store.Tx) error {
			org, err := f.db.Organisation(ctx, f.users["sm"].Org.ID)
			if err != nil {
				return err
			}
			p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "=1+2", FamilyName: "Hostile", Email: "hostile@example.org",
				DateOfBirth: domain.NewDate(1991, 2, 3), QualificationLevel: 3, OwnerOrgID: org.ID})
			if err != nil {
				return err
			}
			if _, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: "EY900001", Role: domain.RolePractitioner, StartedOn: domain.NewDate(2015, 1, 5)}); err != nil {
				return err
			}
			a, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: p.ID, SettingURN: "EY900001", AppliedOn: f.today.AddDays(-80), Nominated: true})
			if err != nil {
				return err
			}
			_, err = tx.Place(ctx, op, a, c1, f.today.AddDays(-61))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		code, body := get(t, f.client(t, "trainer1"), fmt.Sprintf("%s/sessions/%d/attendance.csv", f.srv.URL, f.sessions[0]))
		if code != 200 {
			t.Fatalf("attendance.csv: %d", code)
		}
		bad, all := formulaCells(t, "csv", []byte(body))
		if len(bad) > 0 {
			t.Errorf("attendance.csv has formulas: %v", bad)
		}
		if !slices.Contains(all, "'=1+2 Hostile") {
			t.Errorf("attendance.csv does not list the learner, guarded:\n%s", body)
		}
	})

	t.Run("coverage", func(t *testing.T) {
		db := storetest.SQLite(t)
		f := covSetup(t, db)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.InsertSettings(ctx, []domain.Setting{{URN: "EY999999", Name: formulaName, Type: domain.NonDomestic, Status: domain.Active, EYR: true,
				LACode: "E08000035", Town: "=Leeds", Places: 24, RegisteredOn: domain.NewDate(2015, 1, 5)}})
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.client(t, "la1")
		for _, format := range []string{"csv", "xlsx"} {
			code, _, body := covGet(t, c, f.srv.URL+"/coverage/la/E08000035?table=settings&format="+format)
			if code != 200 {
				t.Fatalf("gap list %s: %d", format, code)
			}
			bad, all := formulaCells(t, format, body)
			if len(bad) > 0 {
				t.Errorf("gap list %s has formulas: %v", format, bad)
			}
			if !slices.Contains(all, "'"+formulaName) {
				t.Errorf("gap list %s does not list the setting, guarded", format)
			}
		}
	})
}
