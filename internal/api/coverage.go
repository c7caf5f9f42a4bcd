package api

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
)

// Coverage of qualified SENCOs and programme progress: the figures of
// package report, with the definitions they are counted by in meta.

// reportMeta carries the definitions every figure is counted by.
type reportMeta struct {
	AsAt        date               `json:"as_at"`
	Definitions []definitionObject `json:"definitions"`
}

type definitionObject struct {
	Term    string `json:"term"`
	Meaning string `json:"meaning"`
}

func newReportMeta(asAt domain.Date) reportMeta {
	m := reportMeta{AsAt: date(asAt)}
	for _, d := range report.Definitions() {
		m.Definitions = append(m.Definitions, definitionObject{d.Term, d.Meaning})
	}
	return m
}

// reportDocument is one report resource and its meta.
type reportDocument struct {
	Data resource   `json:"data"`
	Meta reportMeta `json:"meta"`
}

// countsAttributes are the coverage counts of one kind of setting.
type countsAttributes struct {
	Eligible         int     `json:"eligible"`
	Qualified        int     `json:"qualified"`
	InTraining       int     `json:"in_training"`
	Designated       int     `json:"designated"`
	Gap              int     `json:"gap"`
	Coverage         float64 `json:"coverage"`
	TrainingCoverage float64 `json:"training_coverage"`
}

func countsOf(c domain.Counts) countsAttributes {
	return countsAttributes{Eligible: c.Eligible, Qualified: c.Qualified, InTraining: c.InTraining, Designated: c.Designated, Gap: c.Gap,
		Coverage: c.Coverage(), TrainingCoverage: c.TrainingCoverage()}
}

type deprivationAttributes struct {
	UTLACode           string  `json:"utla_code"`
	UTLAName           string  `json:"utla_name"`
	Relationship       string  `json:"relationship"`
	AverageScore       float64 `json:"imd_average_score"`
	RankOfAverageScore int     `json:"imd_rank_of_average_score"`
	Decile             int     `json:"imd_decile"`
	IDACIAverageScore  float64 `json:"idaci_average_score"`
}

type coverageAttributes struct {
	Area        string                 `json:"area"`
	Code        *string                `json:"code"`
	Name        string                 `json:"name"`
	RegionCode  *string                `json:"region_code"`
	RegionName  *string                `json:"region_name"`
	EndedOn     date                   `json:"ended_on"`
	AsAt        date                   `json:"as_at"`
	Group       countsAttributes       `json:"group"`
	Childminder countsAttributes       `json:"childminder"`
	All         countsAttributes       `json:"all"`
	Deprivation *deprivationAttributes `json:"deprivation"`
}

func coverageResource(id string, r report.CoverageRow, asAt domain.Date) resource {
	attrs := coverageAttributes{Area: r.Level, Code: optional(r.Code), Name: r.Name, RegionCode: optional(r.RegionCode), RegionName: optional(r.RegionName),
		EndedOn: date(r.EndedOn), AsAt: date(asAt), Group: countsOf(r.Group), Childminder: countsOf(r.Childminder), All: countsOf(r.All())}
	if r.Level == report.LevelRegion {
		attrs.RegionCode, attrs.RegionName = nil, nil
	}
	if d := r.IMD; d != nil {
		attrs.Deprivation = &deprivationAttributes{UTLACode: d.UTLACode, UTLAName: d.UTLAName, Relationship: d.Relationship, AverageScore: d.AverageScore,
			RankOfAverageScore: d.RankOfAverageScore, Decile: d.Decile, IDACIAverageScore: d.IDACIAverageScore}
	}
	return resource{ID: id, Type: "coverage", Attributes: attrs}
}

// asAtParam reads as_at (YYYY-MM-DD), by default today.
func (a *API) asAtParam(v url.Values) (domain.Date, error) {
	s, given, err := param(v, "as_at")
	if err != nil || !given {
		return a.today(), err
	}
	d, err := domain.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return d, badParam("as_at", "as_at must be a date in the form YYYY-MM-DD, not %q", s)
	}
	return d, nil
}

// getCoverage answers the coverage of one area on a date: england,
// region:E12…, la:E0… or la:none (the settings Ofsted filed under no
// authority). The token's coverage scope (policy.Coverage) decides what it
// may ask (Scope.Area): nationally, every area; a local authority officer,
// their own authority only — England, regions and other authorities are
// 404, rather than a figure for part of an area. Without area, the widest
// area the token sees (Scope.HomeArea).
func (a *API) getCoverage(r *http.Request, c caller) (any, error) {
	v := r.URL.Query()
	asAt, err := a.asAtParam(v)
	if err != nil {
		return nil, err
	}
	area, _, err := param(v, "area")
	if err != nil {
		return nil, err
	}
	area = strings.TrimSpace(area)
	if area == "" {
		kind, code, ok := c.scope.HomeArea()
		if !ok {
			return nil, notFound("coverage", "for this token")
		}
		area = kind
		if code != "" {
			area += ":" + code
		}
	}
	kind, code, _ := strings.Cut(area, ":")
	kind = strings.ToLower(kind)
	if code != policy.NoLA {
		code = strings.ToUpper(code)
	}
	switch {
	case kind == policy.AreaEngland && code == "":
	case kind == policy.AreaRegion && regionPattern.MatchString(code):
	case kind == policy.AreaLA && (gssPattern.MatchString(code) || code == policy.NoLA):
	default:
		return nil, badParam("area", "area must be england, region:CODE (an ONS region code such as E12000007), la:CODE (a local authority GSS code such as E08000035) or la:none, not %q", area)
	}
	if code != "" {
		area = kind + ":" + code
	} else {
		area = kind
	}
	ctx := r.Context()
	outside := notFound("coverage of area", area)
	query, ok := c.scope.Area(kind, code)
	if !ok {
		return nil, outside
	}
	cov, err := a.coverage.Build(ctx, a.db, query, asAt)
	if err != nil {
		return nil, err
	}
	var row report.CoverageRow
	found := false
	switch kind {
	case policy.AreaEngland:
		row, found = cov.England, true
	case policy.AreaRegion:
		row, found = cov.Find(code)
	case policy.AreaLA:
		row, found = cov.Find(code)
		switch {
		case found:
		case code == policy.NoLA:
			row, found = report.CoverageRow{Level: report.LevelNotRecorded, Name: "Not recorded by Ofsted"}, true
		default:
			// An authority that ended before the date with nothing left
			// filed under it: it exists, with nothing to count.
			la, err := a.db.LocalAuthority(ctx, c.scope, code)
			if errors.Is(err, store.ErrNotFound) {
				return nil, outside
			} else if err != nil {
				return nil, err
			}
			row = report.CoverageRow{Level: report.LevelLA, Code: la.Code, Name: la.Name, RegionCode: la.RegionCode, RegionName: la.RegionName, IMD: report.DeprivationOf(la.Code)}
			if !la.EndedOn.IsZero() && la.EndedOn.Before(asAt) {
				row.EndedOn = la.EndedOn
			}
			found = true
		}
	}
	if !found {
		return nil, outside
	}
	return reportDocument{Data: coverageResource(area, row, asAt), Meta: newReportMeta(asAt)}, nil
}

type progressCounts struct {
	Applications      int            `json:"applications"`
	Eligible          int            `json:"eligible"`
	Ineligible        int            `json:"ineligible"`
	ManualReview      int            `json:"manual_review"`
	Enrolled          int            `json:"enrolled"`
	InTraining        int            `json:"in_training"`
	CompletedTraining int            `json:"completed_training"`
	Certified         int            `json:"certified"`
	Withdrawn         int            `json:"withdrawn"`
	WithdrawnBy       map[string]int `json:"withdrawn_by_reason"`
	Deferred          int            `json:"deferred"`
}

func progressCountsOf(p domain.Progress) progressCounts {
	by := map[string]int{}
	for _, w := range domain.WithdrawalReasons {
		by[string(w)] = p.WithdrawnBy[w]
	}
	return progressCounts{Applications: p.Applications, Eligible: p.Eligible, Ineligible: p.Ineligible, ManualReview: p.ManualReview,
		Enrolled: p.Enrolled, InTraining: p.InTraining, CompletedTraining: p.CompletedTraining, Certified: p.Certified,
		Withdrawn: p.Withdrawn, WithdrawnBy: by, Deferred: p.Deferred}
}

type forecastMonth struct {
	Month    date    `json:"month"`
	Expected float64 `json:"expected_completions"`
}

type forecastAttributes struct {
	Rate         float64         `json:"completion_rate"`
	RateObserved bool            `json:"rate_observed"`
	Months       []forecastMonth `json:"months"`
}

// performanceAttributes are a report.Performance.
type performanceAttributes struct {
	Allocated  int     `json:"allocated"`
	Filled     int     `json:"filled"`
	Retention  float64 `json:"retention"`
	Completion float64 `json:"completion"`
}

func performanceOf(p report.Performance) performanceAttributes {
	return performanceAttributes{Allocated: p.Allocated, Filled: p.Filled, Retention: p.Retention, Completion: p.Completion}
}

type supplierAttributes struct {
	SupplierID string `json:"supplier_id"`
	Name       string `json:"name"`
	performanceAttributes
	progressCounts
}

type progressAttributes struct {
	ProgrammeID   string  `json:"programme_id"`
	ProgrammeName string  `json:"programme_name"`
	AsAt          date    `json:"as_at"`
	Target        int     `json:"target"`
	TargetShare   float64 `json:"target_share"`
	performanceAttributes
	progressCounts
	Forecast  forecastAttributes   `json:"forecast"`
	Suppliers []supplierAttributes `json:"suppliers"`
}

// getProgress answers a programme's progress as it stands today, within
// the token's delivery scope (policy.Delivery): the counts, the forecast
// of completions by month, and the suppliers side by side (every one for
// the programme team, the token's own organisation for a supplier, none
// for other roles). as_at may be today (the default) or later; an earlier
// date is 400, since applications are counted by where they are now.
func (a *API) getProgress(r *http.Request, c caller) (any, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return nil, notFound("programme", r.PathValue("id"))
	}
	asAt, err := a.asAtParam(r.URL.Query())
	if err != nil {
		return nil, err
	}
	if !policy.CanSeeDelivery(c.user) {
		return nil, notFound("programme", r.PathValue("id"))
	}
	rep, err := report.BuildProgress(r.Context(), a.db, c.scope, id, asAt)
	switch {
	case errors.Is(err, report.ErrPastProgress):
		return nil, badParam("as_at", "as_at may be today (%s) or later: %v", a.today(), err)
	case errors.Is(err, store.ErrNotFound):
		return nil, notFound("programme", r.PathValue("id"))
	case err != nil:
		return nil, err
	}
	attrs := progressAttributes{ProgrammeID: idString(rep.Programme.ID), ProgrammeName: rep.Programme.Name, AsAt: date(rep.AsAt),
		Target: rep.Target, TargetShare: rep.TargetShare(), performanceAttributes: performanceOf(rep.Performance), progressCounts: progressCountsOf(rep.Progress),
		Forecast:  forecastAttributes{Rate: rep.ForecastRate, RateObserved: rep.ForecastRateObserved, Months: []forecastMonth{}},
		Suppliers: []supplierAttributes{}}
	for _, m := range rep.Forecast {
		attrs.Forecast.Months = append(attrs.Forecast.Months, forecastMonth{Month: date(m.Month), Expected: m.Expected})
	}
	for _, s := range rep.Suppliers {
		attrs.Suppliers = append(attrs.Suppliers, supplierAttributes{SupplierID: idString(s.SupplierOrgID), Name: s.Name,
			performanceAttributes: performanceOf(s.Performance), progressCounts: progressCountsOf(s.Progress)})
	}
	return reportDocument{Data: resource{ID: idString(rep.Programme.ID), Type: "programme_progress", Attributes: attrs}, Meta: newReportMeta(asAt)}, nil
}

// coveragePaths and coverageSchemas describe the two routes in the
// OpenAPI document.
func coveragePaths() obj {
	asAt := func(desc string) obj {
		return filterParam("as_at", desc, obj{"type": "string", "format": "date"}, "2025-06-01")
	}
	reportResponses := func(schema string, statuses ...string) obj {
		return withErrors(obj{"200": obj{
			"description": "The figures, with the definitions they are counted by in meta",
			"content":     obj{"application/json": obj{"schema": ref("schemas", schema+"Document")}},
		}}, statuses...)
	}
	return obj{
		"/api/v1/coverage": obj{"get": obj{
			"operationId": "getCoverage",
			"summary":     "Coverage of qualified SENCOs in an area on a date",
			"description": "Eligible settings, those with a qualified SENCO, those with someone in training, the gap, and coverage (a fraction " +
				"from 0 to 1) for group settings, childminders and all, in England, a region or a local authority, as at a date — counted " +
				"by the definitions in meta.definitions, the same the service's pages, exports and CLI use. The token's settings scope decides " +
				"the areas it may ask: nationally (programme team, suppliers, awarding organisations) every area; a local authority officer " +
				"only their own authority: England, regions and other authorities are 404, never a figure for part of an area. " +
				"Without area, England for a national token and the officer's own authority for a local authority officer.",
			"parameters": []any{
				filterParam("area", "england; region:CODE (ONS region code); la:CODE (local authority GSS code); or la:none, the settings "+
					"Ofsted filed under no authority", obj{"type": "string", "pattern": "^(england|region:E12[0-9]{6}|la:([EWSN][0-9]{8}|none))$"}, "region:E12000007"),
				asAt("The date the figures are counted on (YYYY-MM-DD); default today"),
			},
			"responses": reportResponses("Coverage", "400", "401", "403", "404", "405", "429"),
		}},
		"/api/v1/programmes/{id}/progress": obj{"get": obj{
			"operationId": "getProgrammeProgress",
			"summary":     "A programme's progress, forecast and suppliers",
			"description": "A programme's applications by where they are now — applied, eligible, ineligible, awaiting manual review, enrolled, " +
				"in training, completed training, certified (the completions), withdrawn by reason, deferred — against its target; the " +
				"forecast of completions by month from the cohorts in flight, with the completion rate it used; and its suppliers side by " +
				"side (places allocated, filled, retention, completion). Counted within the token's delivery scope: everything for the " +
				"programme team, a supplier's own applications and cohorts (and only itself among the suppliers), a local authority " +
				"officer's authority (no suppliers). A programme that does not exist is 404.",
			"parameters": []any{idParam("Programme id"),
				asAt("Today (the default) or later: applications are counted by where they are now, so an earlier date is 400")},
			"responses": reportResponses("ProgrammeProgress", "400", "401", "403", "404", "405", "429"),
		}},
	}
}

func coverageSchemas() obj {
	number := obj{"type": "number", "minimum": 0, "maximum": 1}
	counts := object(obj{
		"eligible":          obj{"type": "integer", "description": "Eligible settings on the date"},
		"qualified":         obj{"type": "integer", "description": "Eligible settings with at least one qualified SENCO"},
		"in_training":       obj{"type": "integer", "description": "Eligible settings where someone is in training"},
		"designated":        obj{"type": "integer", "description": "Eligible settings whose designated SENCO is qualified"},
		"gap":               obj{"type": "integer", "description": "Eligible settings with no qualified SENCO and no one in training"},
		"coverage":          merged(number, obj{"description": "qualified ÷ eligible (0 when none is eligible)"}),
		"training_coverage": merged(number, obj{"description": "in_training ÷ eligible"}),
	})
	meta := object(obj{
		"as_at": tDate,
		"definitions": obj{"type": "array", "items": object(obj{"term": tString, "meaning": tString}),
			"description": "The definitions every figure is counted by"},
	})
	progress := obj{
		"applications":       tInteger,
		"eligible":           obj{"type": "integer", "description": "Ever judged eligible"},
		"ineligible":         tInteger,
		"manual_review":      tInteger,
		"enrolled":           obj{"type": "integer", "description": "Ever placed on a cohort"},
		"in_training":        obj{"type": "integer", "description": "Enrolled or in training now"},
		"completed_training": obj{"type": "integer", "description": "Distinct practitioners who completed training"},
		"certified":          obj{"type": "integer", "description": "Distinct practitioners certified: the completions"},
		"withdrawn":          tInteger,
		"withdrawn_by_reason": object(func() obj {
			o := obj{}
			for _, w := range domain.WithdrawalReasons {
				o[string(w)] = tInteger
			}
			return o
		}()),
		"deferred": tInteger,
	}
	// performance is the schema of performanceAttributes, with what is
	// allocated and filled said for a supplier or the whole programme.
	performance := func(allocated, filled string) obj {
		return obj{
			"allocated":  obj{"type": "integer", "description": allocated},
			"filled":     obj{"type": "integer", "description": filled},
			"retention":  merged(number, obj{"description": "1 − withdrawn after enrolment ÷ ever enrolled"}),
			"completion": merged(number, obj{"description": "The completion rate, as the forecast counts it: completed training ÷ completed or withdrawn after enrolment; 0 before any learner has finished"}),
		}
	}
	supplier := merged(progress, performance("Places its contract in force allocates", "Learners ever enrolled on its cohorts"), obj{
		"supplier_id": tID,
		"name":        tString,
	})
	return obj{
		"ReportMeta": meta,
		"Coverage": object(obj{
			"id":   obj{"type": "string", "description": "The area asked for, e.g. england, region:E12000007, la:E08000035"},
			"type": obj{"const": "coverage"},
			"attributes": object(obj{
				"area":        obj{"type": "string", "enum": []string{report.LevelEngland, report.LevelRegion, report.LevelLA, report.LevelNotRecorded}},
				"code":        obj{"type": []string{"string", "null"}, "description": "GSS code of England, the region or the authority; null for not recorded"},
				"name":        tString,
				"region_code": obj{"type": []string{"string", "null"}, "description": "An authority's region"},
				"region_name": tNullString,
				"ended_on":    obj{"type": []string{"string", "null"}, "format": "date", "description": "Set when the authority had ended by the date; its settings are still filed under it"},
				"as_at":       tDate,
				"group":       counts,
				"childminder": counts,
				"all":         counts,
				"deprivation": obj{"type": []string{"object", "null"}, "description": "An authority's IMD 2019 figures (upper-tier); relationship says when they are those of a former authority it was part of",
					"properties": obj{"utla_code": tString, "utla_name": tString, "relationship": tString, "imd_average_score": obj{"type": "number"},
						"imd_rank_of_average_score": tInteger, "imd_decile": obj{"type": "integer", "minimum": 1, "maximum": 10, "description": "1 = the most deprived tenth of authorities"},
						"idaci_average_score": obj{"type": "number"}}},
			}),
		}),
		"CoverageDocument": object(obj{"data": ref("schemas", "Coverage"), "meta": ref("schemas", "ReportMeta")}),
		"ProgrammeProgress": object(obj{
			"id":   obj{"type": "string", "description": "Programme id"},
			"type": obj{"const": "programme_progress"},
			"attributes": object(merged(progress, performance("Places allocated to the suppliers listed", "Learners ever enrolled"), obj{
				"programme_id":   tID,
				"programme_name": tString,
				"as_at":          tDate,
				"target":         obj{"type": "integer", "description": "Target completions"},
				"target_share":   obj{"type": "number", "description": "certified ÷ target (0 without a target)"},
				"forecast": object(obj{
					"completion_rate": merged(number, obj{"description": "Completed ÷ (completed + withdrawn after enrolment), over every cohort; 1 before anyone finished"}),
					"rate_observed":   obj{"type": "boolean", "description": "false when no learner has finished yet and the rate is taken as 1"},
					"months": obj{"type": "array", "items": object(obj{
						"month":                obj{"type": "string", "format": "date", "description": "The first day of the month"},
						"expected_completions": obj{"type": "number"},
					})},
				}),
				"suppliers": obj{"type": "array", "items": object(supplier)},
			})),
		}),
		"ProgrammeProgressDocument": object(obj{"data": ref("schemas", "ProgrammeProgress"), "meta": ref("schemas", "ReportMeta")}),
	}
}
