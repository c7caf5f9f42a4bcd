package people

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

type auditData struct {
	Filter  store.AuditFilter
	Entries []auditLine
	Older   string
}

// auditLine is an audit entry as people read it: what happened in words,
// and each changed field with its value before and after.
type auditLine struct {
	store.AuditEntry
	What    string
	Changes []fieldChange
}

type fieldChange struct{ Field, Before, After string }

var auditVerbs = map[string]string{
	"create": "Created", "update": "Changed", "end": "Ended", "close": "Closed", "import": "Imported",
	"sign_in": "Signed in", "revoke": "Revoked", "decide": "Decided", "confirm": "Confirmed",
	"attendance": "Took attendance for", "transfer": "Transferred", "register": "Registered",
	"withdrawn": "Withdrew", "deferred": "Deferred", "enrolled": "Enrolled", "completed": "Completed",
	"certified": "Certified", "catch_up": "Recorded a catch-up for", "recognise": "Recognised",
}

func describeAudit(e store.AuditEntry) auditLine {
	verb, ok := auditVerbs[e.Action]
	if !ok {
		verb = strings.ReplaceAll(e.Action, "_", " ")
		verb = strings.ToUpper(verb[:1]) + verb[1:]
	}
	what := verb + " " + strings.ReplaceAll(e.Entity, "_", " ")
	if e.EntityID != "" {
		what += " " + e.EntityID
	}
	return auditLine{AuditEntry: e, What: what, Changes: auditChanges(e.Before, e.After)}
}

// auditChanges lists the fields that differ between two JSON records (all
// of the after record's fields for a creation); values that are not JSON
// objects are shown whole.
func auditChanges(before, after string) []fieldChange {
	var b, a map[string]any
	if before != "" && json.Unmarshal([]byte(before), &b) != nil {
		return []fieldChange{{Field: "record", Before: before, After: after}}
	}
	if after != "" && json.Unmarshal([]byte(after), &a) != nil {
		return []fieldChange{{Field: "record", Before: before, After: after}}
	}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []fieldChange
	for _, k := range names {
		bv, av := auditValue(b[k]), auditValue(a[k])
		if bv == av {
			continue
		}
		out = append(out, fieldChange{Field: k, Before: bv, After: av})
	}
	return out
}

func auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *Handlers) Audit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("id"), Actor: strings.TrimSpace(q.Get("actor")), Limit: 100}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return page.ErrNotFound
		}
		f.Before = n
	}
	entries, err := s.DB.ListAudit(r.Context(), f)
	if err != nil {
		return err
	}
	d := auditData{Filter: f}
	for _, e := range entries {
		d.Entries = append(d.Entries, describeAudit(e))
	}
	if len(entries) == f.Limit {
		q.Set("before", page.Itoa(entries[len(entries)-1].ID))
		d.Older = "/audit?" + q.Encode()
	}
	return s.Render(w, r, "audit", "Audit log", d)
}

type tokensData struct {
	Tokens  []store.APIToken
	Name    string
	Days    string
	Secret  string
	Created *store.APIToken
	Revoked bool
	Now     time.Time
	page.Form
}

func (s *Handlers) Tokens(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, tokensData{Days: "90", Revoked: r.URL.Query().Get("revoked") == "1"}, http.StatusOK)
}

func (s *Handlers) renderTokens(w http.ResponseWriter, r *http.Request, d tokensData, status int) error {
	u, _ := page.CurrentUser(r)
	var err error
	d.Tokens, err = s.DB.APITokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	d.Now = s.DB.Now()
	return s.RenderStatus(w, r, status, "tokens", "API tokens", d)
}

func (s *Handlers) TokenCreate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	d := tokensData{Name: strings.TrimSpace(r.PostFormValue("name")), Days: strings.TrimSpace(r.PostFormValue("days"))}
	d.Check(d.Name != "", "name", "Enter a name for the token, such as the system that will use it")
	d.Check(domain.TooLong("Name", d.Name, domain.MaxNameLength) == "", "name", domain.TooLong("Name", d.Name, domain.MaxNameLength))
	days, err := strconv.Atoi(d.Days)
	d.Check(err == nil && days >= 1 && days <= 365, "days", "Enter a number of days between 1 and 365")
	if !d.Valid() {
		return s.renderTokens(w, r, d, http.StatusUnprocessableEntity)
	}
	secret, hash, err := auth.NewToken("senco_")
	if err != nil {
		return err
	}
	var t store.APIToken
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		t, err = tx.CreateAPIToken(r.Context(), domain.ActorOf(u), u.ID, d.Name, hash, tx.Now().AddDate(0, 0, days))
		return err
	})
	if err != nil {
		return err
	}
	// The secret is shown once, on this response, and never stored.
	d.Secret, d.Created, d.Name, d.Days = secret, &t, "", "90"
	return s.renderTokens(w, r, d, http.StatusCreated)
}

type revokeData struct{ Token store.APIToken }

func (s *Handlers) ownToken(r *http.Request) (store.APIToken, error) {
	u, _ := page.CurrentUser(r)
	if !policy.CanUseAPI(u) {
		return store.APIToken{}, page.ErrForbidden
	}
	id, err := page.PathID(r, "id")
	if err != nil {
		return store.APIToken{}, err
	}
	tokens, err := s.DB.APITokens(r.Context(), u.ID)
	if err != nil {
		return store.APIToken{}, err
	}
	for _, t := range tokens {
		if t.ID == id {
			return t, nil
		}
	}
	return store.APIToken{}, page.ErrNotFound
}

func (s *Handlers) TokenRevokeForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.ownToken(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "token-revoke", "Revoke API token", revokeData{Token: t})
}

func (s *Handlers) TokenRevoke(w http.ResponseWriter, r *http.Request) error {
	t, err := s.ownToken(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error { return tx.RevokeAPIToken(r.Context(), domain.ActorOf(u), u.ID, t.ID) })
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	http.Redirect(w, r, "/api-tokens?revoked=1", http.StatusSeeOther)
	return nil
}
