-- +goose Up
-- The qualification catalogue: data, versioned. Units, outcomes and criteria
-- are kept as one JSON document per version: they are read whole and never
-- queried by part.
CREATE TABLE qualifications (
    id            INTEGER PRIMARY KEY,
    code          text NOT NULL,
    version       integer NOT NULL,
    title         text NOT NULL,
    level         integer NOT NULL,
    awarding_org  text NOT NULL,
    glh           integer NOT NULL,
    tqt           integer NOT NULL DEFAULT 0,
    units         text NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE programmes (
    id                 INTEGER PRIMARY KEY,
    name               text NOT NULL UNIQUE,
    qualification_id   INTEGER NOT NULL REFERENCES qualifications (id),
    opens_on           DATE NOT NULL,
    closes_on          DATE,
    starts_on          DATE,
    ends_on            DATE,
    target_completions integer NOT NULL,
    rules              text NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);

-- A consortium supplier lists its member organisations.
CREATE TABLE supplier_members (
    supplier_org_id INTEGER NOT NULL REFERENCES organisations (id),
    name            text NOT NULL,
    PRIMARY KEY (supplier_org_id, name)
);

-- Contracts are never edited once used; a change is a new version, and the
-- old one points at it.
CREATE TABLE contracts (
    id               INTEGER PRIMARY KEY,
    supplier_org_id  INTEGER NOT NULL REFERENCES organisations (id),
    programme_id     INTEGER NOT NULL REFERENCES programmes (id),
    version          integer NOT NULL,
    region_codes     text NOT NULL DEFAULT '',
    allocated_places integer NOT NULL,
    price_started    INTEGER NOT NULL,
    price_retained   INTEGER NOT NULL,
    price_completed  INTEGER NOT NULL,
    superseded_by    INTEGER REFERENCES contracts (id),
    created_at       TIMESTAMP NOT NULL,
    UNIQUE (supplier_org_id, programme_id, version)
);

-- The authorities a contract serves: those named, and every authority of
-- the regions named, resolved when the contract is made.
CREATE TABLE contract_las (
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    la_code     text NOT NULL REFERENCES local_authorities (code),
    PRIMARY KEY (contract_id, la_code)
);
CREATE INDEX contract_las_la ON contract_las (la_code);

CREATE TABLE cohorts (
    id              INTEGER PRIMARY KEY,
    contract_id     INTEGER NOT NULL REFERENCES contracts (id),
    programme_id    INTEGER NOT NULL REFERENCES programmes (id),
    supplier_org_id INTEGER NOT NULL REFERENCES organisations (id),
    name            text NOT NULL,
    mode            text NOT NULL,
    starts_on       DATE NOT NULL,
    ends_on         DATE NOT NULL,
    capacity        integer NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX cohorts_supplier ON cohorts (supplier_org_id, starts_on);
CREATE INDEX cohorts_updated ON cohorts (updated_at, id);

CREATE TABLE cohort_las (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id),
    la_code   text NOT NULL REFERENCES local_authorities (code),
    PRIMARY KEY (cohort_id, la_code)
);
CREATE INDEX cohort_las_la ON cohort_las (la_code);

-- Trainers and assessors of a cohort.
CREATE TABLE cohort_staff (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id),
    user_id   INTEGER NOT NULL REFERENCES users (id),
    role      text NOT NULL,
    PRIMARY KEY (cohort_id, user_id, role)
);
CREATE INDEX cohort_staff_user ON cohort_staff (user_id);

CREATE TABLE sessions_taught (
    id         INTEGER PRIMARY KEY,
    cohort_id  INTEGER NOT NULL REFERENCES cohorts (id),
    held_on    DATE NOT NULL,
    minutes    integer NOT NULL,
    mode       text NOT NULL,
    topic      text NOT NULL,
    venue      text NOT NULL DEFAULT '',
    units      text NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_cohort ON sessions_taught (cohort_id, held_on);
CREATE INDEX sessions_updated ON sessions_taught (updated_at, id);

CREATE TABLE applications (
    id                    INTEGER PRIMARY KEY,
    programme_id          INTEGER NOT NULL REFERENCES programmes (id),
    practitioner_id       INTEGER NOT NULL REFERENCES practitioners (id),
    setting_urn           text NOT NULL REFERENCES settings (urn),
    la_code               text,
    applied_on            DATE NOT NULL,
    nominated             BOOLEAN NOT NULL,
    setting_confirmed_at  TIMESTAMP,
    working_towards_l3    BOOLEAN NOT NULL DEFAULT 0,
    status                text NOT NULL,
    decision              text NOT NULL DEFAULT '',
    reason_code           text NOT NULL DEFAULT '',
    reason                text NOT NULL DEFAULT '',
    manual_decision       BOOLEAN NOT NULL DEFAULT 0,
    extra_setting_place   BOOLEAN NOT NULL DEFAULT 0,
    cohort_id             INTEGER REFERENCES cohorts (id),
    waitlist_cohort_id    INTEGER REFERENCES cohorts (id),
    withdrawal_reason     text NOT NULL DEFAULT '',
    withdrawn_on          DATE,
    assessment_complete_on DATE,
    learner_number        text NOT NULL DEFAULT '',
    uln                   text NOT NULL DEFAULT '',
    certificate_number    text NOT NULL DEFAULT '',
    certified_on          DATE,
    revoked_on            DATE,
    revoke_reason         text NOT NULL DEFAULT '',
    qualification_id      INTEGER REFERENCES qualifications (id),
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
-- One live application per person per programme: a database constraint
-- stops a duplicate even if two requests race.
CREATE UNIQUE INDEX applications_live ON applications (programme_id, practitioner_id) WHERE status NOT IN ('withdrawn', 'ineligible');
CREATE INDEX applications_la ON applications (la_code, status);
CREATE INDEX applications_setting ON applications (setting_urn);
CREATE INDEX applications_cohort ON applications (cohort_id, status);
CREATE INDEX applications_updated ON applications (updated_at, id);

-- Every status change: DATEd, attributed.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    from_status    text NOT NULL,
    to_status      text NOT NULL,
    event          text NOT NULL,
    on_date        DATE NOT NULL,
    detail         text NOT NULL DEFAULT '',
    actor          text NOT NULL,
    at             TIMESTAMP NOT NULL
);
CREATE INDEX application_events_app ON application_events (application_id, id);

CREATE TABLE attendance (
    application_id INTEGER NOT NULL REFERENCES applications (id),
    session_id     INTEGER NOT NULL REFERENCES sessions_taught (id),
    mark           text NOT NULL,
    caught_up_on   DATE,
    catch_up_note  text NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL,
    updated_by     text NOT NULL,
    PRIMARY KEY (application_id, session_id)
);
CREATE INDEX attendance_session ON attendance (session_id);
-- Each save of a session's register bumps its version: a save based on an
-- older version is refused rather than silently undoing another trainer's.
ALTER TABLE sessions_taught ADD COLUMN register_version integer NOT NULL DEFAULT 0;

-- +goose Down
DROP TABLE attendance;
DROP TABLE application_events;
DROP TABLE applications;
DROP TABLE sessions_taught;
DROP TABLE cohort_staff;
DROP TABLE cohort_las;
DROP TABLE cohorts;
DROP TABLE contract_las;
DROP TABLE contracts;
DROP TABLE supplier_members;
DROP TABLE programmes;
DROP TABLE qualifications;
