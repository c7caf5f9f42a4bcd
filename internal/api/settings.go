package api

import (
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
)

type settingAttributes struct {
	URN               string           `json:"urn"`
	Name              *string          `json:"name"` // null when Ofsted withheld it
	ProviderType      string           `json:"provider_type"`
	ProviderTypeLabel string           `json:"provider_type_label"`
	Subtype           *string          `json:"subtype"`
	Status            string           `json:"status"`
	Registers         registers        `json:"registers"`
	LACode            *string          `json:"la_code"`
	LAName            *string          `json:"la_name"`
	Postcode          *string          `json:"postcode"`
	Town              *string          `json:"town"`
	Places            int              `json:"places"`
	RegisteredOn      date             `json:"registered_on"`
	ClosedOn          date             `json:"closed_on"`
	LatestInspection  latestInspection `json:"latest_inspection"`
	SourceRelease     *string          `json:"source_release"`
	LastSeenOn        date             `json:"last_seen_on"`
	UpdatedAt         timestamp        `json:"updated_at"`
}

type registers struct {
	EarlyYears          bool `json:"early_years"`
	CompulsoryChildcare bool `json:"compulsory_childcare"`
	VoluntaryChildcare  bool `json:"voluntary_childcare"`
}

type latestInspection struct {
	Date         date   `json:"date"`
	Outcome      *int   `json:"outcome"`
	OutcomeLabel string `json:"outcome_label"`
}

func settingResource(r store.SettingRecord) resource {
	s := r.Setting
	var outcome *int
	if s.Outcome >= 1 && s.Outcome <= 4 {
		o := int(s.Outcome)
		outcome = &o
	}
	return resource{ID: s.URN, Type: "setting", Attributes: settingAttributes{
		URN: s.URN, Name: optional(s.Name), ProviderType: string(s.Type), ProviderTypeLabel: s.Type.Label(),
		Subtype: optional(s.Subtype), Status: string(s.Status),
		Registers: registers{EarlyYears: s.EYR, CompulsoryChildcare: s.CCR, VoluntaryChildcare: s.VCR},
		LACode:    optional(s.LACode), LAName: optional(r.LAName), Postcode: optional(s.Postcode), Town: optional(s.Town),
		Places: s.Places, RegisteredOn: date(s.RegisteredOn), ClosedOn: date(s.ClosedOn),
		LatestInspection: latestInspection{Date: date(s.InspectedOn), Outcome: outcome, OutcomeLabel: s.Outcome.String()},
		SourceRelease:    optional(s.SourceRelease), LastSeenOn: date(s.LastSeenOn), UpdatedAt: timestamp(r.UpdatedAt),
	}}
}

// Registers a setting may be filtered by.
var registerCodes = []string{"eyr", "ccr", "vcr"}

var settingList = listSpec{
	filters: []string{"la", "type", "status", "register", "q"},
	aliases: true,
	sorts:   []string{"name", "updated_at"},
}

// listSettings searches the register within the token's settings scope
// (policy.Settings).
func (a *API) listSettings(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), settingList)
	if err != nil {
		return nil, err
	}
	f := store.SettingFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince, Q: q.text()}
	if v, p := q.filter("la"); p != "" && q.err == nil {
		switch u := strings.ToUpper(v); {
		case strings.EqualFold(v, "none"):
			f.LACode = "none"
		case gssPattern.MatchString(u):
			f.LACode = u
		default:
			q.err = badParam(p, `%s must be a local authority's GSS code such as E09000002, or "none", not %q`, p, v)
		}
	}
	f.Type = enum(&q, "type", domain.ProviderTypes)
	if v, p := q.filter("status"); p != "" && q.err == nil {
		switch st := domain.SettingStatus(strings.ToLower(v)); st {
		case domain.Active, domain.Closed:
			f.Status = st
		default:
			q.err = badParam(p, "%s must be active or closed, not %q", p, v)
		}
	}
	f.Register = enum(&q, "register", registerCodes)
	if q.err != nil {
		return nil, q.err
	}
	// Sync clients asking for changes get them in the order they happened,
	// unless they ask otherwise.
	switch q.sort {
	case "updated_at":
		f.ByUpdated = true
	case "":
		f.ByUpdated = !q.updatedSince.IsZero()
	}
	page, err := a.db.SearchSettings(r.Context(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Settings, settingResource), nil
}

// getSetting returns one setting in scope; any other URN is 404.
func (a *API) getSetting(r *http.Request, c caller) (any, error) {
	urn := strings.ToUpper(strings.TrimSpace(r.PathValue("urn")))
	s, err := a.db.Setting(r.Context(), c.scope, urn)
	if err != nil {
		return nil, hidden(err, "setting with URN", urn)
	}
	return single{Data: settingResource(s)}, nil
}
