package api

import (
	"context"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/payments"
)

// Money, for suppliers' own systems: the contracts they work under, the
// declarations of their learners' milestones (checked against senco's
// records before they can be paid), their monthly statements, and the
// claims of cover from their learners' settings that they verify. Reads
// take policy.Payments; writes need the permit their route names.

type contractAttributes struct {
	SupplierName    string   `json:"supplier_name"`
	ProgrammeID     string   `json:"programme_id"`
	ProgrammeName   string   `json:"programme_name"`
	Version         int      `json:"version"`
	InForce         bool     `json:"in_force"`
	LACodes         []string `json:"la_codes"`
	RegionCodes     []string `json:"region_codes"`
	AllocatedPlaces int      `json:"allocated_places"`
	PriceStarted    int64    `json:"price_started_pence"`
	PriceRetained   int64    `json:"price_retained_pence"`
	PriceCompleted  int64    `json:"price_completed_pence"`
}

func contractResource(c store.ContractRecord) resource {
	las, regions := c.LACodes, c.RegionCodes
	if las == nil {
		las = []string{}
	}
	if regions == nil {
		regions = []string{}
	}
	return resource{ID: idString(c.ID), Type: "contract", Attributes: contractAttributes{
		SupplierName: c.SupplierName, ProgrammeID: idString(c.ProgrammeID), ProgrammeName: c.ProgrammeName, Version: c.Version,
		InForce: c.SupersededBy == 0, LACodes: las, RegionCodes: regions, AllocatedPlaces: c.AllocatedPlaces,
		PriceStarted: c.PriceStarted, PriceRetained: c.PriceRetained, PriceCompleted: c.PriceCompleted,
	}}
}

var contractList = listSpec{filters: []string{"in_force"}}

// listContracts lists the contracts in scope: a supplier's own, so that its
// system can learn the contract_id a new cohort names.
func (a *API) listContracts(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), contractList)
	if err != nil {
		return nil, err
	}
	current := enum(&q, "in_force", []string{"true", "false"}) == "true"
	if q.err != nil {
		return nil, q.err
	}
	all, err := a.db.Contracts(r.Context(), c.scope, current)
	if err != nil {
		return nil, err
	}
	return pageOf(q, all, contractResource), nil
}

// getContract returns one contract in scope.
func (a *API) getContract(r *http.Request, c caller) (any, error) {
	ct, err := lookup(r, "contract", func(ctx context.Context, id int64) (store.ContractRecord, error) {
		return a.db.Contract(ctx, c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: contractResource(ct)}, nil
}

type declarationAttributes struct {
	ApplicationID  string    `json:"application_id"`
	PractitionerID string    `json:"practitioner_id"`
	LearnerName    string    `json:"learner_name"`
	SupplierName   string    `json:"supplier_name"`
	ContractID     string    `json:"contract_id"`
	ProgrammeID    string    `json:"programme_id"`
	Milestone      string    `json:"milestone"`
	DeclaredOn     date      `json:"declared_on"`
	State          string    `json:"state"`
	AmountPence    int64     `json:"amount_pence"`
	Evidence       string    `json:"evidence"`
	VoidedOn       date      `json:"voided_on"`
	VoidReason     *string   `json:"void_reason"`
	CreatedAt      timestamp `json:"created_at"`
	UpdatedAt      timestamp `json:"updated_at"`
}

func declarationResource(d domain.Declaration) resource {
	return resource{ID: idString(d.ID), Type: "declaration", Attributes: declarationAttributes{
		ApplicationID: idString(d.ApplicationID), PractitionerID: idString(d.PractitionerID), LearnerName: d.LearnerName,
		SupplierName: d.SupplierName, ContractID: idString(d.ContractID), ProgrammeID: idString(d.ProgrammeID), Milestone: string(d.Milestone),
		DeclaredOn: date(d.DeclaredOn), State: string(d.State), AmountPence: int64(d.Amount), Evidence: d.Evidence,
		VoidedOn: date(d.VoidedOn), VoidReason: optional(d.VoidReason), CreatedAt: timestamp(d.CreatedAt), UpdatedAt: timestamp(d.UpdatedAt),
	}}
}

var declarationList = listSpec{filters: []string{"state", "milestone", "application"}}

// listDeclarations lists the declarations in scope, newest first, or by
// last change with filter[updated_since].
func (a *API) listDeclarations(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), declarationList)
	if err != nil {
		return nil, err
	}
	f := payments.DeclarationFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince, ApplicationID: q.id("application"),
		State: enum(&q, "state", domain.DeclarationStates), Milestone: enum(&q, "milestone", domain.Milestones)}
	if q.err != nil {
		return nil, q.err
	}
	page, err := payments.Declarations(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Declarations, declarationResource), nil
}

// getDeclaration returns one declaration in scope.
func (a *API) getDeclaration(r *http.Request, c caller) (any, error) {
	d, err := lookup(r, "declaration", func(ctx context.Context, id int64) (domain.Declaration, error) {
		return payments.Declaration(ctx, a.db.Reader(), c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: declarationResource(d)}, nil
}

type declarationInput struct {
	ApplicationID idValue   `json:"application_id"`
	Milestone     string    `json:"milestone"`
	DeclaredOn    dateValue `json:"declared_on"`
}

var declarationFields = map[string]string{"learner": "application_id", "milestone": "milestone", "declared_on": "declared_on"}

// createDeclaration declares that a learner of the supplier's cohorts
// reached a milestone. senco checks it against its records: a declaration
// they do not support is 422 with the reason. A learner has one live
// declaration per milestone: the same declaration again returns the one
// already made, unchanged.
func (a *API) createDeclaration(r *http.Request, c caller) (any, error) {
	var in declarationInput
	body, err := readData(r, "declaration", true, false, &in)
	if err != nil {
		return nil, err
	}
	if in.ApplicationID == 0 {
		return nil, invalid(attr("application_id"), "Give the application_id of the learner")
	}
	on := domain.Date(in.DeclaredOn) // the domain refuses none or a future one
	m := domain.Milestone(strings.TrimSpace(in.Milestone))
	return a.write(r, c, body, declarationFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		d, _, err := payments.Declare(ctx, tx, actorOf(c), c.scope, int64(in.ApplicationID), m, on)
		if err != nil {
			return nil, err
		}
		return single{Data: declarationResource(d)}, nil
	})
}

type voidInput struct {
	Reason string `json:"reason"`
}

// voidDeclaration voids a declaration found wrong: before payment it comes
// off its statement; after, the next statement claws it back.
func (a *API) voidDeclaration(r *http.Request, c caller) (any, error) {
	id, raw, err := pathID(r, "declaration")
	if err != nil {
		return nil, err
	}
	var in voidInput
	body, err := readData(r, "declaration", false, false, &in)
	if err != nil {
		return nil, err
	}
	return a.write(r, c, body, map[string]string{"reason": "reason", "state": "state"}, func(ctx context.Context, tx *store.Tx) (any, error) {
		d, err := payments.VoidDeclaration(ctx, tx, actorOf(c), c.scope, id, in.Reason)
		if err != nil {
			return nil, hidden(err, "declaration", raw)
		}
		return single{Data: declarationResource(d)}, nil
	})
}

type statementLineAttributes struct {
	DeclarationID string  `json:"declaration_id"`
	Kind          string  `json:"kind"`
	AmountPence   int64   `json:"amount_pence"`
	Milestone     string  `json:"milestone"`
	DeclaredOn    date    `json:"declared_on"`
	LearnerName   string  `json:"learner_name"`
	ULN           *string `json:"uln"`
}

type statementAttributes struct {
	SupplierName     string                     `json:"supplier_name"`
	ProgrammeID      string                     `json:"programme_id"`
	ProgrammeName    string                     `json:"programme_name"`
	Month            string                     `json:"month"`
	Deadline         date                       `json:"deadline"`
	State            string                     `json:"state"`
	TotalPence       int64                      `json:"total_pence"`
	LineCount        int                        `json:"line_count"`
	PaymentReference *string                    `json:"payment_reference"`
	PaidOn           date                       `json:"paid_on"`
	Lines            *[]statementLineAttributes `json:"lines"`
	UpdatedAt        timestamp                  `json:"updated_at"`
}

func statementResource(s domain.Statement, lines []domain.StatementLine) resource {
	attrs := statementAttributes{SupplierName: s.SupplierName, ProgrammeID: idString(s.ProgrammeID), ProgrammeName: s.ProgrammeName,
		Month: s.Month.String(), Deadline: date(s.Deadline), State: string(s.State), TotalPence: int64(s.Total), LineCount: s.Lines,
		PaymentReference: optional(s.PaymentReference), PaidOn: date(s.PaidOn), UpdatedAt: timestamp(s.UpdatedAt)}
	if lines != nil {
		out := make([]statementLineAttributes, 0, len(lines))
		for _, l := range lines {
			out = append(out, statementLineAttributes{DeclarationID: idString(l.DeclarationID), Kind: string(l.Kind),
				AmountPence: int64(l.Amount), Milestone: string(l.Milestone), DeclaredOn: date(l.DeclaredOn), LearnerName: l.LearnerName, ULN: optional(l.ULN)})
		}
		attrs.Lines = &out
	}
	return resource{ID: idString(s.ID), Type: "statement", Attributes: attrs}
}

var statementList = listSpec{filters: []string{"state"}}

// listStatements lists the statements in scope, newest month first.
func (a *API) listStatements(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), statementList)
	if err != nil {
		return nil, err
	}
	f := payments.StatementFilter{UpdatedSince: q.updatedSince, State: enum(&q, "state", domain.StatementStates)}
	if q.err != nil {
		return nil, q.err
	}
	all, err := payments.Statements(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return pageOf(q, all, func(s domain.Statement) resource { return statementResource(s, nil) }), nil
}

// getStatement returns one statement in scope, with its lines.
func (a *API) getStatement(r *http.Request, c caller) (any, error) {
	s, err := lookup(r, "statement", func(ctx context.Context, id int64) (domain.Statement, error) {
		return payments.Statement(ctx, a.db.Reader(), c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	lines, err := payments.StatementLines(r.Context(), a.db.Reader(), s.ID)
	if err != nil {
		return nil, err
	}
	if lines == nil {
		lines = []domain.StatementLine{}
	}
	return single{Data: statementResource(s, lines)}, nil
}

type claimAttributes struct {
	SettingURN    string    `json:"setting_urn"`
	SettingName   string    `json:"setting_name"`
	ApplicationID string    `json:"application_id"`
	LearnerName   string    `json:"learner_name"`
	State         string    `json:"state"`
	Minutes       int       `json:"minutes"`
	RatePence     int64     `json:"rate_pence"`
	AmountPence   int64     `json:"amount_pence"`
	Reason        *string   `json:"reason"`
	SubmittedOn   date      `json:"submitted_on"`
	UpdatedAt     timestamp `json:"updated_at"`
}

func claimResource(cl domain.Claim) resource {
	return resource{ID: idString(cl.ID), Type: "claim", Attributes: claimAttributes{SettingURN: cl.SettingURN, SettingName: cl.SettingName,
		ApplicationID: idString(cl.ApplicationID), LearnerName: cl.LearnerName, State: string(cl.State), Minutes: cl.Minutes,
		RatePence: int64(cl.Rate), AmountPence: int64(cl.Amount), Reason: optional(cl.Reason), SubmittedOn: date(cl.SubmittedOn),
		UpdatedAt: timestamp(cl.UpdatedAt)}}
}

var claimList = listSpec{filters: []string{"state"}}

// listClaims lists the claims of cover in scope: for a supplier, those of
// its learners' settings, to verify against its register.
func (a *API) listClaims(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), claimList)
	if err != nil {
		return nil, err
	}
	f := payments.ClaimFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince, State: enum(&q, "state", domain.ClaimStates)}
	if q.err != nil {
		return nil, q.err
	}
	page, err := payments.Claims(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Claims, claimResource), nil
}

type verifyInput struct {
	Verified *bool  `json:"verified"`
	Reason   string `json:"reason"`
}

// verifyClaim is a supplier's check of a submitted claim of one of its
// learners against its register: verified, or rejected with the reason.
func (a *API) verifyClaim(r *http.Request, c caller) (any, error) {
	id, raw, err := pathID(r, "claim")
	if err != nil {
		return nil, err
	}
	var in verifyInput
	body, err := readData(r, "claim", false, false, &in)
	if err != nil {
		return nil, err
	}
	if in.Verified == nil {
		return nil, invalid(attr("verified"), "Say whether the claim is verified: true, or false with the reason")
	}
	return a.write(r, c, body, map[string]string{"reason": "reason", "state": "verified"}, func(ctx context.Context, tx *store.Tx) (any, error) {
		cl, err := payments.VerifyClaim(ctx, tx, actorOf(c), c.scope, id, *in.Verified, in.Reason)
		if err != nil {
			return nil, hidden(err, "claim", raw)
		}
		return single{Data: claimResource(cl)}, nil
	})
}
