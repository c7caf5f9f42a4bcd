package growth_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/store/storetest"
)

// BenchmarkImpactNational times the impact counts for England at national
// scale, on both databases: 55,000 eligible settings in 150 authorities
// with two self-reviews each, 20,000 practitioners with three confidence
// ratings each, and 8,000 of them trained. The reviews' items and the
// ratings' scores are not written: the figures read the per-setting and
// per-practitioner sums by area (growth_setting_areas,
// growth_practitioner_areas) and the sums per authority and area kept
// from them (growth_la_review_sums, growth_la_confidence_sums), which every
// review and rating maintains. "load" is the first computation after a
// change; "cached" is every request after it until the data changes.
//
//	go test ./internal/store/growth/ -run '^$' -bench ImpactNational -benchtime 5x -v
//
// See docs/performance.md.
func BenchmarkImpactNational(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			var db *store.DB
			if kind == "sqlite" {
				db = storetest.SQLite(b)
			} else {
				db = storetest.Postgres(b)
			}
			benchImpact(b, db)
		})
	}
}

func benchImpact(b *testing.B, db *store.DB) {
	{
		ctx := context.Background()
		start := time.Now()
		seedNational(b, db)
		b.Logf("seeded in %v", time.Since(start).Round(time.Millisecond))
		d := domain.DateOf(db.Now())
		b.Run("load", func(b *testing.B) {
			for b.Loop() {
				im, err := growth.LoadImpact(ctx, db.Reader(), "", d)
				if err != nil {
					b.Fatal(err)
				}
				if len(im.Reviews) == 0 || len(im.Confidence) == 0 {
					b.Fatal("no counts")
				}
				_ = domain.ImpactTable(im.Sums(), im.LAs)
			}
		})
		cache := growth.NewCache()
		if _, err := cache.Impact(ctx, db, "", d); err != nil {
			b.Fatal(err)
		}
		b.Run("cached", func(b *testing.B) {
			for b.Loop() {
				im, err := cache.Impact(ctx, db, "", d)
				if err != nil {
					b.Fatal(err)
				}
				_ = domain.ImpactTable(im.Sums(), im.LAs)
			}
		})
	}
}

// insertRows writes rows n at a time in multi-row INSERTs.
func insertRows(b *testing.B, ctx context.Context, tx *store.Tx, head string, cols int, rows [][]any) {
	b.Helper()
	const batch = 400
	for i := 0; i < len(rows); i += batch {
		part := rows[i:min(i+batch, len(rows))]
		var sb strings.Builder
		sb.WriteString(head + " VALUES ")
		args := make([]any, 0, len(part)*cols)
		for j, r := range part {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for k := range cols {
				if k > 0 {
					sb.WriteString(", ")
				}
				args = append(args, r[k])
				fmt.Fprintf(&sb, "$%d", len(args))
			}
			sb.WriteString(")")
		}
		if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
			b.Fatalf("%s: %v", head, err)
		}
	}
}

func seedNational(b *testing.B, db *store.DB) {
	b.Helper()
	ctx := context.Background()
	op := domain.OperatorActor("bench")
	rng := rand.New(rand.NewPCG(1, 2))
	today := domain.DateOf(db.Now())
	reg := domain.NewDate(2015, 1, 5)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var las []domain.LocalAuthority
		for i := range 150 {
			las = append(las, domain.LocalAuthority{Code: fmt.Sprintf("E06%06d", i), Name: fmt.Sprintf("Authority %03d", i), OfstedName: fmt.Sprintf("Authority %03d", i),
				RegionCode: fmt.Sprintf("E1200000%d", i%9+1), RegionName: fmt.Sprintf("Region %d", i%9+1), StartedOn: domain.NewDate(1974, 4, 1)})
		}
		if _, err := tx.UpsertLocalAuthorities(ctx, op, las); err != nil {
			return err
		}
		settings := make([]domain.Setting, 55000)
		for i := range settings {
			typ := domain.NonDomestic
			if i%2 == 0 {
				typ = domain.Childminder
			}
			settings[i] = domain.Setting{URN: fmt.Sprintf("EY%07d", i), Name: fmt.Sprintf("Setting %d", i), Type: typ, Status: domain.Active, EYR: true,
				LACode: las[i%150].Code, RegisteredOn: reg}
		}
		if err := tx.InsertSettings(ctx, settings); err != nil {
			return err
		}
		org, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSupplier, Name: "Bench supplier"})
		if err != nil {
			return err
		}
		qid, err := tx.SaveQualification(ctx, domain.Qualification{Code: "EYSENCO-L3", Version: 1, Title: "Level 3", Level: 3, AwardingOrganisation: "AO", GuidedLearningHours: 34})
		if err != nil {
			return err
		}
		prog, err := tx.SaveProgramme(ctx, op, domain.Programme{Name: "National", QualificationID: qid, OpensOn: domain.NewDate(2024, 1, 1), TargetCompletions: 5000, Rules: domain.DefaultRules()})
		if err != nil {
			return err
		}
		now := tx.Now()
		var people, apps [][]any
		for i := range 20000 {
			people = append(people, []any{int64(i + 1), "P", fmt.Sprint(i), org.ID, now, now})
			status := domain.StatusInTraining
			if i < 8000 {
				status = domain.StatusCompleted
			}
			s := settings[rng.IntN(len(settings))]
			apps = append(apps, []any{prog.ID, int64(i + 1), s.URN, s.LACode, reg, true, string(status), now, now})
		}
		insertRows(b, ctx, tx, "INSERT INTO practitioners (id, given_name, family_name, owner_org_id, created_at, updated_at)", 6, people)
		insertRows(b, ctx, tx, "INSERT INTO applications (programme_id, practitioner_id, setting_urn, la_code, applied_on, nominated, status, created_at, updated_at)", 9, apps)
		var reviews, areas [][]any
		codes := []string{"leadership", "outcomes", "parents", "assessment", "resources", "provision"}
		id := int64(0)
		for _, s := range settings {
			for k, on := range []domain.Date{today.AddDays(-300), today.AddDays(-20)} {
				id++
				reviews = append(reviews, []any{id, s.URN, s.LACode, 1, on, "Manager", k == 1, "bench", now, now})
			}
			for _, c := range codes {
				fs, fp := rng.IntN(2), rng.IntN(2)
				ls, lp := fs+1, fp
				areas = append(areas, []any{s.URN, c, s.LACode, 2, 3, 2*fs + fp, fs, fp, 3 - fs - fp, 2*ls + lp, ls, lp, 3 - ls - lp})
			}
		}
		insertRows(b, ctx, tx, "INSERT INTO self_reviews (id, setting_urn, la_code, framework_version, reviewed_on, reviewed_by, shared_with_la, created_by, created_at, updated_at)", 10, reviews)
		insertRows(b, ctx, tx, "INSERT INTO growth_setting_areas (setting_urn, area_code, la_code, reviews, items, first_points, first_secure, first_partly, first_development, latest_points, latest_secure, latest_partly, latest_development)", 13, areas)
		var ratings, scores [][]any
		id = 0
		for i := range 20000 {
			for k, p := range domain.RatingPoints {
				id++
				ratings = append(ratings, []any{id, int64(i + 1), las[i%150].Code, string(p), today.AddDays(-400 + 190*k), true, "bench", now, now})
			}
			for _, a := range domain.JobRoleAreas {
				first := 1 + rng.IntN(3)
				scores = append(scores, []any{int64(i + 1), a.Code, las[i%150].Code, 3, first, min(5, first+1+rng.IntN(2))})
			}
		}
		insertRows(b, ctx, tx, "INSERT INTO confidence_ratings (id, practitioner_id, la_code, point, rated_on, shared_with_la, created_by, created_at, updated_at)", 9, ratings)
		insertRows(b, ctx, tx, "INSERT INTO growth_practitioner_areas (practitioner_id, area_code, la_code, ratings, first_score, latest_score)", 6, scores)
		// The sums per authority and area that every review and rating
		// keeps, made at once as migration 00023 makes them.
		for _, q := range []string{
			`INSERT INTO growth_la_review_sums (la_code, area_code, settings, items, first_points, first_secure, first_partly, first_development,
				latest_points, latest_secure, latest_partly, latest_development)
			SELECT la_code, area_code, COUNT(*), SUM(items), SUM(first_points), SUM(first_secure), SUM(first_partly), SUM(first_development),
				SUM(latest_points), SUM(latest_secure), SUM(latest_partly), SUM(latest_development)
			FROM growth_setting_areas WHERE reviews > 1 GROUP BY la_code, area_code`,
			`INSERT INTO growth_la_confidence_sums (la_code, area_code, people, first_score, latest_score)
			SELECT la_code, area_code, COUNT(*), SUM(first_score), SUM(latest_score)
			FROM growth_practitioner_areas WHERE ratings > 1 GROUP BY la_code, area_code`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, "ANALYZE"); return err }); err != nil {
		b.Logf("analyze: %v", err)
	}
}
