package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// covNow is the store clock of the coverage tests: the day of the
// seeded world's turnover.
var covNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// covFixture is the report test world with a user and token for the
// programme team, two LA officers, both suppliers and a setting manager.
func covFixture(t *testing.T, db *store.DB) (*fixture, reporttest.World) {
	t.Helper()
	ctx := context.Background()
	w := reporttest.Seed(t, db)
	f := &fixture{db: db, tokens: map[string]string{}, users: map[string]domain.User{}, ids: map[string]string{}, logs: &syncBuffer{}}
	db.SetClock(func() time.Time { return covNow })
	err := db.InTx(ctx, func(tx *store.Tx) error {
		orgs := map[string]domain.Organisation{"supplierN": w.Supplier, "supplierS": w.Supplier2}
		for name, o := range map[string]domain.Organisation{
			"programme": {Kind: domain.OrgProgramme, Name: "Coverage programme team"},
			"leeds":     {Kind: domain.OrgLA, Name: "Leeds City Council", LACode: reporttest.Leeds},
			"bradford":  {Kind: domain.OrgLA, Name: "Bradford Council", LACode: reporttest.Bradford},
			"setting":   {Kind: domain.OrgSetting, Name: "Setting LD02", SettingURN: "LD02"},
		} {
			got, err := tx.CreateOrganisation(ctx, op, o)
			if err != nil {
				return err
			}
			orgs[name] = got
		}
		for _, u := range []struct {
			name, org string
			role      domain.Role
		}{
			{"programme", "programme", domain.RoleProgrammeTeam},
			{"leeds", "leeds", domain.RoleLAOfficer},
			{"bradford", "bradford", domain.RoleLAOfficer},
			{"supplierN", "supplierN", domain.RoleSupplierAdmin},
			{"supplierS", "supplierS", domain.RoleSupplierAdmin},
			{"manager", "setting", domain.RoleSettingManager},
		} {
			du := domain.User{Email: u.name + "@cov.example.org", Name: u.name, Role: u.role, Org: orgs[u.org]}
			if err := f.addUser(ctx, tx, u.name, du, covNow.AddDate(1, 0, 0)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.api = New(db, slog.New(slog.NewTextHandler(f.logs, nil)), WithRateLimit(0, 0))
	f.h = f.api.Handler()
	return f, w
}

// covAttributes decodes a report document's attributes and meta.
func covDecode(t *testing.T, res response, attrs any) reportMeta {
	t.Helper()
	var doc struct {
		Data struct {
			ID         string          `json:"id"`
			Type       string          `json:"type"`
			Attributes json.RawMessage `json:"attributes"`
		} `json:"data"`
		Meta struct {
			AsAt        string             `json:"as_at"`
			Definitions []definitionObject `json:"definitions"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc.Data.Attributes, attrs); err != nil {
		t.Fatalf("%v: %s", err, res.Body)
	}
	d, _ := domain.ParseDate(doc.Meta.AsAt)
	return reportMeta{AsAt: date(d), Definitions: doc.Meta.Definitions}
}

type covCounts struct {
	Eligible, Qualified, InTraining, Designated, Gap int
	Coverage, TrainingCoverage                       float64
}

func (c *covCounts) UnmarshalJSON(b []byte) error {
	var a countsAttributes
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	*c = covCounts{a.Eligible, a.Qualified, a.InTraining, a.Designated, a.Gap, a.Coverage, a.TrainingCoverage}
	return nil
}

type covAttrs struct {
	Area        string    `json:"area"`
	Code        *string   `json:"code"`
	Name        string    `json:"name"`
	EndedOn     *string   `json:"ended_on"`
	AsAt        string    `json:"as_at"`
	Group       covCounts `json:"group"`
	Childminder covCounts `json:"childminder"`
	All         covCounts `json:"all"`
	Deprivation *struct {
		UTLACode     string `json:"utla_code"`
		Relationship string `json:"relationship"`
		Decile       int    `json:"imd_decile"`
	} `json:"deprivation"`
}

func covCountsOf(c domain.Counts) covCounts {
	return covCounts{c.Eligible, c.Qualified, c.InTraining, c.Designated, c.Gap, c.Coverage(), c.TrainingCoverage()}
}

// TestCoverageAPI checks that the API answers every area with exactly the
// figures of report.BuildCoverage, before and on the day of a move, and
// what each token may ask.
func TestCoverageAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f, _ := covFixture(t, db)
		for _, d := range []domain.Date{reporttest.TurnoverDay.AddDays(-1), reporttest.TurnoverDay, domain.NewDate(2021, 8, 31)} {
			want, err := report.BuildCoverage(ctx, db, policy.Scope{Kind: policy.National}, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct{ area, find string }{
				{"england", "england"},
				{"region:" + reporttest.Yorkshire, reporttest.Yorkshire},
				{"region:" + reporttest.NorthWest, reporttest.NorthWest},
				{"la:" + reporttest.Leeds, reporttest.Leeds},
				{"la:" + reporttest.Bradford, reporttest.Bradford},
				{"la:" + reporttest.Cumbria, reporttest.Cumbria},
				{"la:" + reporttest.Lancashire, reporttest.Lancashire},
				{"la:none", "none"},
			} {
				res := f.get(t, "programme", "/api/v1/coverage?"+url.Values{"area": {tc.area}, "as_at": {d.String()}}.Encode())
				if res.Status != http.StatusOK {
					t.Errorf("%s %s: %d %s", tc.area, d, res.Status, res.Body)
					continue
				}
				var got covAttrs
				meta := covDecode(t, res, &got)
				row, _ := want.Find(tc.find)
				if got.Group != covCountsOf(row.Group) || got.Childminder != covCountsOf(row.Childminder) || got.All != covCountsOf(row.All()) ||
					got.Area != row.Level || got.Name != row.Name || got.AsAt != d.String() {
					t.Errorf("%s %s: API %+v, report %+v", tc.area, d, got, row)
				}
				if (got.EndedOn == nil) != row.EndedOn.IsZero() || len(meta.Definitions) != len(report.Definitions()) || domain.Date(meta.AsAt) != d {
					t.Errorf("%s %s: ended %v (report %s), meta %+v", tc.area, d, got.EndedOn, row.EndedOn, meta)
				}
			}
		}
		// Cumbria at a date after it ended: its row says so; Cumberland's
		// deprivation is part of Cumbria's.
		var cu covAttrs
		covDecode(t, f.get(t, "programme", "/api/v1/coverage?area=la:"+reporttest.Cumbria), &cu)
		if cu.EndedOn == nil || *cu.EndedOn != reporttest.CumbriaEnded.String() || cu.All.Eligible != 2 || cu.Deprivation == nil || cu.Deprivation.UTLACode != reporttest.Cumbria {
			t.Errorf("Cumbria %+v", cu)
		}
		var cb covAttrs
		covDecode(t, f.get(t, "programme", "/api/v1/coverage?area=la:"+reporttest.Cumberland), &cb)
		if cb.Deprivation == nil || cb.Deprivation.UTLACode != reporttest.Cumbria || cb.Deprivation.Relationship[:8] != "part of:" {
			t.Errorf("Cumberland %+v", cb)
		}
		// By default: England, today.
		var eng covAttrs
		covDecode(t, f.get(t, "programme", "/api/v1/coverage"), &eng)
		if eng.Area != "england" || eng.AsAt != "2024-06-01" || eng.All.Eligible != 30 || *eng.Code != report.EnglandCode {
			t.Errorf("default %+v", eng)
		}

		for _, tc := range []struct {
			token, query string
			status       int
			param        string
		}{
			// A local authority officer: their authority only, by default.
			{"leeds", "", http.StatusOK, ""},
			{"leeds", "area=la:" + reporttest.Leeds, http.StatusOK, ""},
			{"leeds", "area=LA:e08000035", http.StatusOK, ""},
			{"leeds", "area=england", http.StatusNotFound, ""},
			{"leeds", "area=region:" + reporttest.Yorkshire, http.StatusNotFound, ""},
			{"leeds", "area=la:" + reporttest.Bradford, http.StatusNotFound, ""},
			{"leeds", "area=la:none", http.StatusNotFound, ""},
			// National tokens.
			{"supplierN", "area=england", http.StatusOK, ""},
			{"programme", "area=la:E09000033", http.StatusNotFound, ""},
			{"programme", "area=region:E12000009", http.StatusNotFound, ""},
			// Malformed.
			{"programme", "area=county:Cumbria", http.StatusBadRequest, "area"},
			{"programme", "area=la:leeds", http.StatusBadRequest, "area"},
			{"programme", "area=england&area=la:none", http.StatusBadRequest, "area"},
			{"programme", "as_at=31/12/2024", http.StatusBadRequest, "as_at"},
			{"manager", "", http.StatusForbidden, ""},
			{"", "", http.StatusUnauthorized, ""},
		} {
			res := f.get(t, tc.token, "/api/v1/coverage?"+tc.query)
			if res.Status != tc.status {
				t.Errorf("%s %s: %d %s", tc.token, tc.query, res.Status, res.Body)
				continue
			}
			if tc.param != "" && (res.Doc.Errors[0].Source == nil || res.Doc.Errors[0].Source.Parameter != tc.param) {
				t.Errorf("%s %s: error source %+v, want parameter %s", tc.token, tc.query, res.Doc.Errors[0].Source, tc.param)
			}
		}
		var own covAttrs
		covDecode(t, f.get(t, "leeds", "/api/v1/coverage"), &own)
		if own.Code == nil || *own.Code != reporttest.Leeds || own.Group.Qualified != 3 {
			t.Errorf("Leeds officer's default %+v", own)
		}
	})
}

// covProgress is the progress document as a client reads it.
type covProgress struct {
	AsAt        string  `json:"as_at"`
	Target      int     `json:"target"`
	TargetShare float64 `json:"target_share"`
	Allocated   int     `json:"allocated"`
	Retention   float64 `json:"retention"`
	Completion  float64 `json:"completion"`
	progressCounts
	Forecast struct {
		Rate         float64 `json:"completion_rate"`
		RateObserved bool    `json:"rate_observed"`
		Months       []struct {
			Month    string  `json:"month"`
			Expected float64 `json:"expected_completions"`
		} `json:"months"`
	} `json:"forecast"`
	Suppliers []supplierAttributes `json:"suppliers"`
}

// TestProgressAPI checks the programme progress route against
// report.BuildProgress and each token's scope.
func TestProgressAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f, w := covFixture(t, db)
		path := "/api/v1/programmes/" + strconv.FormatInt(w.Programme.ID, 10) + "/progress"
		want, err := report.BuildProgress(ctx, db, policy.Scope{Kind: policy.National}, w.Programme.ID, domain.DateOf(covNow))
		if err != nil {
			t.Fatal(err)
		}
		res := f.get(t, "programme", path)
		if res.Status != http.StatusOK {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		var got covProgress
		meta := covDecode(t, res, &got)
		if got.Applications != want.Applications || got.Certified != want.Certified || got.CompletedTraining != want.CompletedTraining ||
			got.InTraining != want.InTraining || got.Enrolled != want.Enrolled || got.Withdrawn != want.Withdrawn ||
			got.WithdrawnBy[string(domain.WithdrawWorkload)] != 1 || got.Target != 10 || got.TargetShare != want.TargetShare() ||
			got.Allocated != 25 || got.Retention != want.Retention || got.Completion != want.Completion || len(meta.Definitions) == 0 {
			t.Errorf("progress %+v, report %+v", got, want)
		}
		if len(got.Forecast.Months) != 1 || got.Forecast.Months[0].Expected != want.Forecast[0].Expected || got.Forecast.Rate != want.ForecastRate ||
			!got.Forecast.RateObserved || got.Forecast.Months[0].Month != "2024-12-01" || got.AsAt != "2024-06-01" {
			t.Errorf("forecast %+v, report %+v", got.Forecast, want.Forecast)
		}
		if len(got.Suppliers) != 2 || got.Suppliers[0].Name != "Northern Training" || got.Suppliers[0].Filled != 4 || got.Suppliers[0].Retention != 0.75 ||
			got.Suppliers[1].Allocated != 5 {
			t.Errorf("suppliers %+v", got.Suppliers)
		}

		var sup covProgress
		covDecode(t, f.get(t, "supplierS", path), &sup)
		if len(sup.Suppliers) != 1 || sup.Suppliers[0].Name != "Southern Training" || sup.Applications != 0 {
			t.Errorf("Southern's view %+v", sup)
		}
		var la covProgress
		covDecode(t, f.get(t, "bradford", path), &la)
		if len(la.Suppliers) != 0 || la.Applications != 1 || la.InTraining != 1 {
			t.Errorf("Bradford's view %+v", la)
		}
		for _, tc := range []struct {
			token, path string
			status      int
			param       string
		}{
			{"programme", path + "?as_at=2024-06-01", http.StatusOK, ""},
			{"programme", path + "?as_at=2030-01-01", http.StatusOK, ""},
			{"programme", path + "?as_at=2024-05-31", http.StatusBadRequest, "as_at"},
			{"programme", path + "?as_at=tomorrow", http.StatusBadRequest, "as_at"},
			{"programme", "/api/v1/programmes/999999/progress", http.StatusNotFound, ""},
			{"programme", "/api/v1/programmes/abc/progress", http.StatusNotFound, ""},
			{"manager", path, http.StatusForbidden, ""},
			{"", path, http.StatusUnauthorized, ""},
		} {
			res := f.get(t, tc.token, tc.path)
			if res.Status != tc.status {
				t.Errorf("%s %s: %d %s", tc.token, tc.path, res.Status, res.Body)
				continue
			}
			if tc.param != "" && (res.Doc.Errors[0].Source == nil || res.Doc.Errors[0].Source.Parameter != tc.param) {
				t.Errorf("%s %s: error source %+v", tc.token, tc.path, res.Doc.Errors[0].Source)
			}
		}
	})
}
