-- +goose Up
-- The SENCO's own growth: settings' SEND self-reviews and action plans,
-- practitioners' confidence against the job role, development plans and
-- CPD, recognised prior learning, and the local authority's own courses
-- and mentoring.

-- A number that moves with every write below, in the same transaction:
-- the impact figures are kept until it (or the coverage version) moves.
CREATE TABLE growth_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO growth_version (id, version) VALUES (1, 1);

-- la_code is the setting's authority when the review was made: the scope
-- an LA officer reads in, and the authority the impact counts it under.
CREATE TABLE self_reviews (
    id                bigserial PRIMARY KEY,
    setting_urn       text NOT NULL REFERENCES settings (urn),
    la_code           text NOT NULL DEFAULT '',
    framework_version integer NOT NULL,
    reviewed_on       date NOT NULL,
    reviewed_by       text NOT NULL,
    shared_with_la    boolean NOT NULL DEFAULT false,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX self_reviews_setting ON self_reviews (setting_urn, reviewed_on, id);
CREATE INDEX self_reviews_la ON self_reviews (la_code, shared_with_la);
CREATE INDEX self_reviews_updated ON self_reviews (updated_at, id);

CREATE TABLE self_review_ratings (
    review_id bigint NOT NULL REFERENCES self_reviews (id),
    item_code text NOT NULL,
    rating    text NOT NULL,
    evidence  text NOT NULL DEFAULT '',
    actions   text NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, item_code)
);

-- Each setting's first and latest review, summed by area: written with
-- each review (a review is never dated before the one before it, so the
-- newest is the latest), so that national figures read one row per setting
-- and area rather than every review and item.
CREATE TABLE growth_setting_areas (
    setting_urn        text NOT NULL REFERENCES settings (urn),
    area_code          text NOT NULL,
    la_code            text NOT NULL,
    reviews            integer NOT NULL,
    items              integer NOT NULL,
    first_points       integer NOT NULL,
    first_secure       integer NOT NULL,
    first_partly       integer NOT NULL,
    first_development  integer NOT NULL,
    latest_points      integer NOT NULL,
    latest_secure      integer NOT NULL,
    latest_partly      integer NOT NULL,
    latest_development integer NOT NULL,
    PRIMARY KEY (setting_urn, area_code)
);

CREATE TABLE review_actions (
    id          bigserial PRIMARY KEY,
    review_id   bigint NOT NULL REFERENCES self_reviews (id),
    setting_urn text NOT NULL REFERENCES settings (urn),
    item_code   text NOT NULL,
    action      text NOT NULL,
    owner       text NOT NULL,
    due_on      date NOT NULL,
    done_on     date,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX review_actions_setting ON review_actions (setting_urn, due_on);

CREATE TABLE confidence_ratings (
    id              bigserial PRIMARY KEY,
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    la_code         text NOT NULL DEFAULT '',
    point           text NOT NULL,
    rated_on        date NOT NULL,
    shared_with_la  boolean NOT NULL DEFAULT false,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (practitioner_id, point)
);
CREATE INDEX confidence_ratings_la ON confidence_ratings (la_code, shared_with_la);
CREATE INDEX confidence_ratings_updated ON confidence_ratings (updated_at, id);

CREATE TABLE confidence_scores (
    rating_id bigint NOT NULL REFERENCES confidence_ratings (id),
    area_code text NOT NULL,
    score     integer NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (rating_id, area_code)
);

-- Each practitioner's first and latest confidence score by area, likewise.
CREATE TABLE growth_practitioner_areas (
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    area_code       text NOT NULL,
    la_code         text NOT NULL,
    ratings         integer NOT NULL,
    first_score     integer NOT NULL,
    latest_score    integer NOT NULL,
    PRIMARY KEY (practitioner_id, area_code)
);

CREATE TABLE development_goals (
    id              bigserial PRIMARY KEY,
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    area_code       text NOT NULL,
    goal            text NOT NULL,
    by_on           date NOT NULL,
    done_on         date,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX development_goals_practitioner ON development_goals (practitioner_id, by_on);

CREATE TABLE cpd_entries (
    id              bigserial PRIMARY KEY,
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    done_on         date NOT NULL,
    title           text NOT NULL,
    minutes         integer NOT NULL CHECK (minutes > 0),
    area_code       text NOT NULL DEFAULT '',
    evidence        text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX cpd_entries_practitioner ON cpd_entries (practitioner_id, done_on);

-- Recognised prior learning, criterion by criterion. One live claim (awaiting
-- an assessor, or approved) per criterion: a refused one can be claimed again.
CREATE TABLE rpl_claims (
    id               bigserial PRIMARY KEY,
    practitioner_id  bigint NOT NULL REFERENCES practitioners (id),
    qualification_id bigint NOT NULL REFERENCES qualifications (id),
    criterion_ref    text NOT NULL,
    source           text NOT NULL,
    evidence         text NOT NULL,
    state            text NOT NULL,
    claimed_on       date NOT NULL,
    decided_on       date,
    decided_by       text NOT NULL DEFAULT '',
    reason           text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX rpl_claims_live ON rpl_claims (practitioner_id, qualification_id, criterion_ref) WHERE state IN ('claimed', 'approved');
CREATE INDEX rpl_claims_state ON rpl_claims (state, id);

-- A local authority's own SENCO training, often not accredited, and who
-- attended: "LA-trained" on coverage.
CREATE TABLE la_courses (
    id         bigserial PRIMARY KEY,
    la_code    text NOT NULL REFERENCES local_authorities (code),
    title      text NOT NULL,
    held_on    date NOT NULL,
    minutes    integer NOT NULL CHECK (minutes > 0),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX la_courses_la ON la_courses (la_code, held_on);

CREATE TABLE la_course_attendees (
    course_id       bigint NOT NULL REFERENCES la_courses (id),
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    PRIMARY KEY (course_id, practitioner_id)
);
CREATE INDEX la_course_attendees_practitioner ON la_course_attendees (practitioner_id);

-- An Area SENCO's contacts with a setting or a learner.
CREATE TABLE mentoring_contacts (
    id              bigserial PRIMARY KEY,
    la_code         text NOT NULL REFERENCES local_authorities (code),
    setting_urn     text REFERENCES settings (urn),
    practitioner_id bigint REFERENCES practitioners (id),
    contact_on      date NOT NULL,
    mode            text NOT NULL,
    note            text NOT NULL,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX mentoring_contacts_la ON mentoring_contacts (la_code, contact_on);

-- +goose Down
DROP TABLE mentoring_contacts;
DROP TABLE la_course_attendees;
DROP TABLE la_courses;
DROP TABLE rpl_claims;
DROP TABLE cpd_entries;
DROP TABLE development_goals;
DROP TABLE growth_practitioner_areas;
DROP TABLE confidence_scores;
DROP TABLE confidence_ratings;
DROP TABLE review_actions;
DROP TABLE growth_setting_areas;
DROP TABLE self_review_ratings;
DROP TABLE self_reviews;
DROP TABLE growth_version;
