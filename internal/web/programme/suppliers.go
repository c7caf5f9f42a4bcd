package programme

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

// teamScope is the scope of the programme team's own pages
// (policy.ProgrammeTeam).
func teamScope(r *http.Request) policy.Scope {
	u, _ := page.CurrentUser(r)
	return policy.ProgrammeTeam(u)
}

// ---- suppliers

type progSupplierRow struct {
	Org       domain.Organisation
	Members   []string
	Contracts int
	Places    string
}

type progSuppliersData struct {
	Rows []progSupplierRow
}

// progSupplierOrgs lists organisations of kind supplier, by name.
func (s *Handlers) progSupplierOrgs(r *http.Request) ([]domain.Organisation, error) {
	all, err := s.DB.Organisations(r.Context())
	if err != nil {
		return nil, err
	}
	var out []domain.Organisation
	for _, o := range all {
		if o.Kind == domain.OrgSupplier {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

func (s *Handlers) Suppliers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	orgs, err := s.progSupplierOrgs(r)
	if err != nil {
		return err
	}
	contracts, err := s.DB.Contracts(ctx, teamScope(r), true)
	if err != nil {
		return err
	}
	var d progSuppliersData
	for _, o := range orgs {
		row := progSupplierRow{Org: o}
		if row.Members, err = s.DB.SupplierMembers(ctx, o.ID); err != nil {
			return err
		}
		places := 0
		for _, c := range contracts {
			if c.SupplierOrgID == o.ID {
				row.Contracts++
				places += c.AllocatedPlaces
			}
		}
		row.Places = page.Count(places)
		d.Rows = append(d.Rows, row)
	}
	return s.Render(w, r, "prog-suppliers", "Suppliers", d)
}

type progSupplierForm struct {
	ID      int64
	Name    string
	Members string
	page.Form
}

// progMemberLines splits the members textarea: one organisation a line,
// blank lines and repeats left out.
func progMemberLines(text string) []string {
	var out []string
	for line := range strings.Lines(text) {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !slices.ContainsFunc(out, func(m string) bool { return strings.EqualFold(m, line) }) {
			out = append(out, line)
		}
	}
	return out
}

func (f *progSupplierForm) checkMembers() []string {
	members := progMemberLines(f.Members)
	for _, m := range members {
		if len(m) > 200 {
			f.Fail("members", "Each member's name must be 200 characters or fewer")
			break
		}
	}
	if len(members) > 100 {
		f.Fail("members", "A consortium can list up to 100 members")
	}
	return members
}

func (s *Handlers) SupplierNew(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "prog-supplier-new", "Register a supplier", progSupplierForm{})
}

func (s *Handlers) SupplierCreate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	f := progSupplierForm{Name: strings.Join(strings.Fields(r.PostFormValue("name")), " "), Members: r.PostFormValue("members")}
	switch {
	case f.Name == "":
		f.Fail("name", "Enter the supplier's name")
	case domain.TooLong("The supplier's name", f.Name, domain.MaxTitleLength) != "":
		f.Fail("name", domain.TooLong("The supplier's name", f.Name, domain.MaxTitleLength))
	}
	members := f.checkMembers()
	orgs, err := s.progSupplierOrgs(r)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if strings.EqualFold(o.Name, f.Name) {
			f.Fail("name", "A supplier called "+o.Name+" is already registered")
		}
	}
	if !f.Valid() {
		return s.RenderForm(w, r, "prog-supplier-new", "Register a supplier", f)
	}
	var org domain.Organisation
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		a := domain.ActorOf(u)
		var err error
		if org, err = tx.CreateOrganisation(ctx, a, domain.Organisation{Kind: domain.OrgSupplier, Name: f.Name}); err != nil {
			return err
		}
		if len(members) == 0 {
			return nil
		}
		return tx.SetSupplierMembers(ctx, a, org.ID, members)
	})
	if err != nil {
		return err
	}
	msg := f.Name + " registered"
	if len(members) > 0 {
		msg += fmt.Sprintf(" as a consortium of %d members", len(members))
	}
	s.RedirectFlash(w, r, fmt.Sprintf("/suppliers/%d", org.ID), msg)
	return nil
}

// progLoadSupplier loads the supplier organisation of the path's id.
func (s *Handlers) progLoadSupplier(r *http.Request) (domain.Organisation, error) {
	id, err := page.PathID(r, "id")
	if err != nil {
		return domain.Organisation{}, err
	}
	o, err := s.DB.Organisation(r.Context(), id)
	if err != nil {
		return o, err
	}
	if o.Kind != domain.OrgSupplier {
		return o, page.ErrNotFound
	}
	return o, nil
}

// progContractRow is a contract version for pages, money as pounds.
type progContractRow struct {
	ID             int64
	SupplierID     int64
	Supplier       string
	ProgrammeID    int64
	Programme      string
	Version        int
	Created        string
	Areas          string
	LANames        []string
	Places         string
	PriceStarted   string
	PriceRetained  string
	PriceCompleted string
	Current        bool
	Used           bool
}

func progContractRowOf(c store.ContractRecord, areas progAreas) progContractRow {
	row := progContractRow{ID: c.ID, SupplierID: c.SupplierOrgID, Supplier: c.SupplierName, ProgrammeID: c.ProgrammeID, Programme: c.ProgrammeName,
		Version: c.Version, Places: page.Count(c.AllocatedPlaces), PriceStarted: page.Pounds(c.PriceStarted),
		PriceRetained: page.Pounds(c.PriceRetained), PriceCompleted: page.Pounds(c.PriceCompleted), Current: c.SupersededBy == 0, Used: c.Used}
	if !c.CreatedAt.IsZero() {
		row.Created = domain.DateOf(c.CreatedAt).Long()
	}
	var parts []string
	for _, code := range c.RegionCodes {
		parts = append(parts, areas.regionName(code)+" (whole region)")
	}
	direct := progDirectLAs(c.Contract, areas)
	for _, code := range direct {
		parts = append(parts, areas.laName(code))
	}
	for _, code := range c.LACodes {
		row.LANames = append(row.LANames, areas.laName(code))
	}
	sort.Strings(row.LANames)
	row.Areas = strings.Join(parts, ", ")
	if row.Areas == "" {
		row.Areas = "None"
	}
	return row
}

// progDirectLAs are the authorities a contract names itself, beside those
// it serves through a whole region.
func progDirectLAs(c domain.Contract, areas progAreas) []string {
	var out []string
	for _, code := range c.LACodes {
		la := areas.byCode[code]
		if !slices.Contains(c.RegionCodes, la.RegionCode) {
			out = append(out, code)
		}
	}
	return out
}

type progContractGroup struct {
	Programme string
	Versions  []progContractRow
}

type progSupplierData struct {
	Org     domain.Organisation
	Members []string
	Groups  []progContractGroup
}

func (s *Handlers) SupplierShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	org, err := s.progLoadSupplier(r)
	if err != nil {
		return err
	}
	d := progSupplierData{Org: org}
	if d.Members, err = s.DB.SupplierMembers(ctx, org.ID); err != nil {
		return err
	}
	contracts, err := s.DB.Contracts(ctx, teamScope(r), false)
	if err != nil {
		return err
	}
	areas, err := s.progLoadAreas(r)
	if err != nil {
		return err
	}
	for _, c := range contracts {
		if c.SupplierOrgID != org.ID {
			continue
		}
		if n := len(d.Groups); n == 0 || d.Groups[n-1].Programme != c.ProgrammeName {
			d.Groups = append(d.Groups, progContractGroup{Programme: c.ProgrammeName})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Versions = append(g.Versions, progContractRowOf(c, areas))
	}
	return s.Render(w, r, "prog-supplier", org.Name, d)
}

func (s *Handlers) MembersEdit(w http.ResponseWriter, r *http.Request) error {
	org, err := s.progLoadSupplier(r)
	if err != nil {
		return err
	}
	members, err := s.DB.SupplierMembers(r.Context(), org.ID)
	if err != nil {
		return err
	}
	f := progSupplierForm{ID: org.ID, Name: org.Name, Members: strings.Join(members, "\n")}
	return s.Render(w, r, "prog-supplier-members", "Change the members of "+org.Name, f)
}

func (s *Handlers) MembersUpdate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	org, err := s.progLoadSupplier(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := progSupplierForm{ID: org.ID, Name: org.Name, Members: r.PostFormValue("members")}
	members := f.checkMembers()
	if !f.Valid() {
		return s.RenderForm(w, r, "prog-supplier-members", "Change the members of "+org.Name, f)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error { return tx.SetSupplierMembers(ctx, domain.ActorOf(u), org.ID, members) })
	if err != nil {
		return err
	}
	msg := "Members of " + org.Name + " saved"
	if len(members) == 0 {
		msg = org.Name + " has no members listed: it is no longer shown as a consortium"
	}
	s.RedirectFlash(w, r, fmt.Sprintf("/suppliers/%d", org.ID), msg)
	return nil
}

// ---- contracts

type progContractForm struct {
	Supplier       domain.Organisation
	From           *progContractRow // the version this one replaces
	NextVersion    int
	Programme      string
	ProgrammeName  string
	Regions        []string
	LAs            []string
	Places         string
	PriceStarted   string
	PriceRetained  string
	PriceCompleted string
	ProgrammeItems []any
	RegionItems    []any
	LAGroups       []progLAGroup
	page.Form
}

var progContractOrder = []string{"programme", "regions", "las", "places", "price_started", "price_retained", "price_completed"}

func (s *Handlers) progFillContract(r *http.Request, f *progContractForm, areas progAreas) error {
	ps, err := s.DB.Programmes(r.Context())
	if err != nil {
		return err
	}
	f.ProgrammeItems = []any{map[string]any{"value": "", "text": "Choose a programme"}}
	for _, p := range ps {
		f.ProgrammeItems = append(f.ProgrammeItems, map[string]any{"value": strconv.FormatInt(p.ID, 10), "text": p.Name})
	}
	f.RegionItems = areas.regionItems(f.Regions)
	f.LAGroups = areas.laGroups("las", f.LAs)
	return nil
}

// progLoadFrom loads the contract a new version replaces: a version of
// this supplier's, still in force.
func (s *Handlers) progLoadFrom(r *http.Request, org domain.Organisation, raw string, areas progAreas) (store.ContractRecord, *progContractRow, error) {
	if raw == "" {
		return store.ContractRecord{}, nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return store.ContractRecord{}, nil, page.ErrNotFound
	}
	c, err := s.DB.Contract(r.Context(), teamScope(r), id)
	if err != nil {
		return c, nil, err
	}
	if c.SupplierOrgID != org.ID {
		return c, nil, page.ErrNotFound
	}
	row := progContractRowOf(c, areas)
	return c, &row, nil
}

func (s *Handlers) ContractNew(w http.ResponseWriter, r *http.Request) error {
	org, err := s.progLoadSupplier(r)
	if err != nil {
		return err
	}
	areas, err := s.progLoadAreas(r)
	if err != nil {
		return err
	}
	from, row, err := s.progLoadFrom(r, org, r.URL.Query().Get("from"), areas)
	if err != nil {
		return err
	}
	f := progContractForm{Supplier: org, From: row}
	title := "Add a contract"
	if row != nil {
		f.NextVersion = row.Version + 1
		if !row.Current {
			return page.ErrNotFound
		}
		title = "Make a new version of a contract"
		f.Programme, f.ProgrammeName = strconv.FormatInt(from.ProgrammeID, 10), from.ProgrammeName
		f.Regions, f.LAs = from.RegionCodes, progDirectLAs(from.Contract, areas)
		f.Places = strconv.Itoa(from.AllocatedPlaces)
		f.PriceStarted, f.PriceRetained, f.PriceCompleted = page.PoundsInput(from.PriceStarted), page.PoundsInput(from.PriceRetained), page.PoundsInput(from.PriceCompleted)
	}
	if err := s.progFillContract(r, &f, areas); err != nil {
		return err
	}
	return s.Render(w, r, "prog-contract-form", title, f)
}

func (s *Handlers) ContractCreate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	org, err := s.progLoadSupplier(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return page.ErrNotFound
	}
	pf := r.PostForm
	areas, err := s.progLoadAreas(r)
	if err != nil {
		return err
	}
	from, row, err := s.progLoadFrom(r, org, pf.Get("from"), areas)
	if err != nil {
		return err
	}
	f := progContractForm{Supplier: org, From: row, Programme: pf.Get("programme"), Regions: pf["regions"], LAs: pf["las"],
		Places: strings.TrimSpace(pf.Get("places")), PriceStarted: pf.Get("price_started"), PriceRetained: pf.Get("price_retained"),
		PriceCompleted: pf.Get("price_completed")}
	title := "Add a contract"
	c := domain.Contract{SupplierOrgID: org.ID}
	if row != nil {
		f.NextVersion = row.Version + 1
		title = "Make a new version of a contract"
		// A new version is of the same supplier and programme.
		f.Programme, f.ProgrammeName = strconv.FormatInt(from.ProgrammeID, 10), from.ProgrammeName
		if !row.Current {
			f.Fail("programme", fmt.Sprintf("Version %d has already been replaced by a newer version: start again from the supplier's page", row.Version))
		}
	}
	if id, err := strconv.ParseInt(f.Programme, 10, 64); err == nil {
		if p, err := s.DB.Programme(ctx, id); err == nil {
			c.ProgrammeID, f.ProgrammeName = p.ID, p.Name
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if c.ProgrammeID == 0 {
		f.Fail("programme", "Choose the programme")
	}
	var ok bool
	if c.RegionCodes, ok = areas.validRegions(f.Regions); !ok {
		f.Fail("regions", "Choose regions from the list")
	}
	if c.LACodes, ok = areas.validLAs(f.LAs); !ok {
		f.Fail("las", "Choose local authorities from the list")
	}
	if len(c.RegionCodes) == 0 && len(c.LACodes) == 0 && f.Valid() {
		f.Fail("regions", "Choose the regions or local authorities the contract serves")
	}
	if f.Places == "" {
		f.Fail("places", "Enter the number of allocated places")
	} else if n, ok := page.ParseCount(f.Places); !ok || n < 1 {
		f.Fail("places", "Allocated places must be a whole number, 1 or more")
	} else {
		c.AllocatedPlaces = n
	}
	for _, price := range []struct {
		field, value, what string
		into               *int64
	}{
		{"price_started", f.PriceStarted, "the price for a learner starting", &c.PriceStarted},
		{"price_retained", f.PriceRetained, "the price for a learner retained", &c.PriceRetained},
		{"price_completed", f.PriceCompleted, "the price for a learner completing", &c.PriceCompleted},
	} {
		p, err := page.ParsePence(price.value)
		if err != nil {
			f.Fail(price.field, page.MoneyMessage(price.what, err))
			continue
		}
		*price.into = p
	}
	f.ErrorOrder = page.OrderFields(f.ErrorOrder, progContractOrder...)
	if !f.Valid() {
		if err := s.progFillContract(r, &f, areas); err != nil {
			return err
		}
		return s.RenderForm(w, r, "prog-contract-form", title, f)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		c, err = tx.CreateContract(ctx, domain.ActorOf(u), c)
		return err
	})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Contract version %d for %s created: it serves %d local authorities", c.Version, f.ProgrammeName, len(c.LACodes))
	if c.Version > 1 {
		msg += fmt.Sprintf(" and replaces version %d", c.Version-1)
	}
	s.RedirectFlash(w, r, fmt.Sprintf("/suppliers/%d", org.ID), msg)
	return nil
}
