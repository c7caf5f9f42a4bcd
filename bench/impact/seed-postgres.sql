-- Gives every eligible setting of a gengland database two self-reviews' area rows
-- and every applicant three confidence ratings' area rows, at random, for the
-- impact figures in docs/performance.md section 8.1; then fills the sums
-- per authority and area from them, as migration 00023 does.
WITH areas(code) AS (VALUES ('leadership'),('outcomes'),('parents'),('assessment'),('resources'),('provision')),
s AS (SELECT urn, la_code, floor(random()*2)::int AS fs, floor(random()*2)::int AS fp FROM settings WHERE la_code IS NOT NULL AND status = 'active' AND eyr AND provider_type IN ('childminder','non_domestic','domestic'))
INSERT INTO growth_setting_areas SELECT s.urn, areas.code, s.la_code, 2, 3, 2*s.fs+s.fp, s.fs, s.fp, 3-s.fs-s.fp, 2*(s.fs+1)+s.fp, s.fs+1, s.fp, 2-s.fs-s.fp FROM s, areas;
WITH areas(code) AS (VALUES ('everyone'),('advise'),('parents'),('agencies'),('develop')),
p AS (SELECT practitioner_id AS id, MIN(la_code) AS la FROM applications WHERE la_code IS NOT NULL GROUP BY practitioner_id)
INSERT INTO growth_practitioner_areas SELECT p.id, areas.code, p.la, 3, 1 + floor(random()*3)::int, 3 + floor(random()*3)::int FROM p, areas;
DELETE FROM growth_la_review_sums;
INSERT INTO growth_la_review_sums (la_code, area_code, settings, items, first_points, first_secure, first_partly, first_development,
        latest_points, latest_secure, latest_partly, latest_development)
    SELECT la_code, area_code, COUNT(*), SUM(items), SUM(first_points), SUM(first_secure), SUM(first_partly), SUM(first_development),
        SUM(latest_points), SUM(latest_secure), SUM(latest_partly), SUM(latest_development)
    FROM growth_setting_areas WHERE reviews > 1 GROUP BY la_code, area_code;
DELETE FROM growth_la_confidence_sums;
INSERT INTO growth_la_confidence_sums (la_code, area_code, people, first_score, latest_score)
    SELECT la_code, area_code, COUNT(*), SUM(first_score), SUM(latest_score)
    FROM growth_practitioner_areas WHERE ratings > 1 GROUP BY la_code, area_code;
ANALYZE;
