package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestStaffSENCOStanding: the setting's page says where each of its staff
// stands with SENCO training, by the rule the manager's home uses, and a
// manager choosing a qualified SENCO to nominate is told when choosing.
func TestStaffSENCOStanding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := appNewFixture(t, db)
		ctx := context.Background()
		// Amira holds a recognised equivalent; Fatima, the designated
		// SENCO, does not.
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.RecogniseQualification(ctx, domain.OperatorActor("test"), f.pA, "Level 3 Award in SEN coordination", 3, f.today.AddDays(-30))
		}); err != nil {
			t.Fatal(err)
		}
		sm1 := f.appClient(t, "sm1")
		r := f.appGet(t, sm1, "/settings/EY300001")
		text := appText(r.body)
		if r.code != 200 || !strings.Contains(r.body, "SENCO training</th>") ||
			!strings.Contains(text, "The designated SENCO is not qualified, but a colleague holds the SENCO qualification") ||
			!strings.Contains(text, "not a qualified SENCO (Applied)") && !strings.Contains(text, "not a qualified SENCO (Eligible)") {
			t.Fatalf("setting page: %d\n%s", r.code, text)
		}
		amira := strings.Index(r.body, "Amira Applicant</a>")
		if amira < 0 || !strings.Contains(r.body[amira:amira+600], "Qualified SENCO") {
			t.Errorf("the staff list does not show Amira as a qualified SENCO")
		}
		chloe := strings.Index(r.body, "Chloe Nominee</a>")
		if chloe < 0 || !strings.Contains(r.body[chloe:chloe+600], "No SENCO training") {
			t.Errorf("the staff list does not show Chloe without SENCO training")
		}
		if home := f.appGet(t, sm1, "/"); !strings.Contains(home.body, "Your designated SENCO is not qualified, but a colleague holds the SENCO qualification") {
			t.Errorf("the manager's home and the setting page disagree about the designated SENCO")
		}

		// Choosing Amira to nominate: told at once, before the check page.
		r = f.appGet(t, sm1, "/nominate")
		if !strings.Contains(r.body, "Qualified SENCO.") || !strings.Contains(r.body, "No SENCO training.") {
			t.Errorf("the nomination's choice of person does not show each person's SENCO standing\n%s", appText(r.body))
		}
		before := f.appCount(t)
		r = f.appPost(t, sm1, "/nominate", map[string][]string{"practitioner": {strconv.FormatInt(f.pA, 10)}, "programme": {strconv.FormatInt(f.prog.ID, 10)}})
		if r.code != 422 || !strings.Contains(r.body, "Amira Applicant is already a qualified SENCO") || strings.Contains(r.body, "Check the nomination") {
			t.Fatalf("nominating a qualified SENCO: %d\n%s", r.code, appText(r.body))
		}
		if f.appCount(t) != before {
			t.Errorf("a refused nomination made an application")
		}
	})
}

// TestPeopleListNamesTheSetting: the LA officer's list of people says where
// each works today, within the authority's settings only.
func TestPeopleListNamesTheSetting(t *testing.T) {
	db := storetest.SQLite(t)
	f := appNewFixture(t, db)
	r := f.appGet(t, f.appClient(t, "la1"), "/people")
	if r.code != 200 || !strings.Contains(r.body, ">Setting</th>") {
		t.Fatalf("people list: %d, want a Setting column", r.code)
	}
	chloe := strings.Index(r.body, "Chloe Nominee</a>")
	if chloe < 0 || !strings.Contains(r.body[chloe:chloe+300], "Gamma Nursery") {
		t.Errorf("Chloe's row does not name her setting")
	}
	if strings.Contains(r.body, "Delta Nursery") || strings.Contains(r.body, "Dev Otherside") {
		t.Errorf("the Leeds officer's list shows Barking's setting or staff")
	}
}
