-- +goose Up
-- The impact counts sum, for each authority and area, the first and latest
-- self-review of every setting with two or more (growth_setting_areas),
-- and the same of practitioners' confidence (growth_practitioner_areas).
-- Summing those rows for England read 430,000 of them at national scale
-- (seconds); these keep the sums per authority and area, recomputed for
-- the authority in the transaction that changes one of its rows, so
-- England's counts read 150 × 11 rows. Whether a setting or person trained
-- changes with applications, not here: the impact counts sum the trained
-- (thousands) from the rows above and take them from these totals.
CREATE INDEX growth_setting_areas_la ON growth_setting_areas (la_code);
CREATE INDEX growth_practitioner_areas_la ON growth_practitioner_areas (la_code);

CREATE TABLE growth_la_review_sums (
    la_code            text NOT NULL,
    area_code          text NOT NULL,
    settings           integer NOT NULL,
    items              integer NOT NULL,
    first_points       integer NOT NULL,
    first_secure       integer NOT NULL,
    first_partly       integer NOT NULL,
    first_development  integer NOT NULL,
    latest_points      integer NOT NULL,
    latest_secure      integer NOT NULL,
    latest_partly      integer NOT NULL,
    latest_development integer NOT NULL,
    PRIMARY KEY (la_code, area_code)
);

CREATE TABLE growth_la_confidence_sums (
    la_code      text NOT NULL,
    area_code    text NOT NULL,
    people       integer NOT NULL,
    first_score  integer NOT NULL,
    latest_score integer NOT NULL,
    PRIMARY KEY (la_code, area_code)
);

INSERT INTO growth_la_review_sums (la_code, area_code, settings, items, first_points, first_secure, first_partly, first_development,
        latest_points, latest_secure, latest_partly, latest_development)
    SELECT la_code, area_code, COUNT(*), SUM(items), SUM(first_points), SUM(first_secure), SUM(first_partly), SUM(first_development),
        SUM(latest_points), SUM(latest_secure), SUM(latest_partly), SUM(latest_development)
    FROM growth_setting_areas WHERE reviews > 1 GROUP BY la_code, area_code;

INSERT INTO growth_la_confidence_sums (la_code, area_code, people, first_score, latest_score)
    SELECT la_code, area_code, COUNT(*), SUM(first_score), SUM(latest_score)
    FROM growth_practitioner_areas WHERE ratings > 1 GROUP BY la_code, area_code;

-- +goose Down
DROP TABLE growth_la_confidence_sums;
DROP TABLE growth_la_review_sums;
DROP INDEX growth_practitioner_areas_la;
DROP INDEX growth_setting_areas_la;
