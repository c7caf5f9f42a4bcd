-- +goose Up
-- The e-portfolio. A qualification version's assessment plan (assignments,
-- the observation, the mandatory criteria) is catalogue data kept with it.
ALTER TABLE qualifications ADD COLUMN assessment_plan text NOT NULL DEFAULT '';

-- Evidence: a file (kept in the file store under a generated key; the
-- user's file name is only shown) or a reflective account, linked to the
-- criteria it evidences ("303/2.1"). Evidence pushed by a supplier's own
-- e-portfolio carries the supplier's id for it, so a push repeats safely.
CREATE TABLE portfolio_evidence (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id),
    kind           text NOT NULL CHECK (kind IN ('file', 'reflective')),
    title          text NOT NULL CHECK (length(title) <= 200),
    body           text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    file_key       text NOT NULL DEFAULT '',
    file_name      text NOT NULL DEFAULT '',
    file_type      text NOT NULL DEFAULT '',
    file_size      bigint NOT NULL DEFAULT 0,
    added_on       date NOT NULL,
    added_by       bigint REFERENCES users (id),
    external_id    text NOT NULL DEFAULT '' CHECK (length(external_id) <= 100),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX portfolio_evidence_app ON portfolio_evidence (application_id, id);
CREATE INDEX portfolio_evidence_updated ON portfolio_evidence (updated_at, id);
CREATE UNIQUE INDEX portfolio_evidence_external ON portfolio_evidence (application_id, external_id) WHERE external_id <> '';

CREATE TABLE portfolio_evidence_criteria (
    evidence_id bigint NOT NULL REFERENCES portfolio_evidence (id),
    criterion   text NOT NULL,
    PRIMARY KEY (evidence_id, criterion)
);

-- A submission is one version of an assignment (or evidence on its own,
-- with no assignment). It locks its evidence: a piece of evidence is
-- submitted once, and a resubmission is a new version beside the old one,
-- whose feedback stays where it was given.
CREATE TABLE portfolio_submissions (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id),
    assignment_ref text NOT NULL DEFAULT '',
    version        integer NOT NULL CHECK (version >= 1),
    evidence_id    bigint NOT NULL UNIQUE REFERENCES portfolio_evidence (id),
    submitted_on   date NOT NULL,
    submitted_by   bigint REFERENCES users (id),
    marked_on      date,
    marked_by      bigint REFERENCES users (id),
    feedback       text NOT NULL DEFAULT '' CHECK (length(feedback) <= 2000),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX portfolio_submissions_version ON portfolio_submissions (application_id, assignment_ref, version) WHERE assignment_ref <> '';
CREATE INDEX portfolio_submissions_app ON portfolio_submissions (application_id, id);
-- The assessors' queue: work not yet marked, oldest first.
CREATE INDEX portfolio_submissions_waiting ON portfolio_submissions (submitted_on, id) WHERE marked_on IS NULL;

CREATE TABLE portfolio_observations (
    id               bigserial PRIMARY KEY,
    application_id   bigint NOT NULL REFERENCES applications (id),
    assessor_user_id bigint REFERENCES users (id),
    observed_on      date NOT NULL,
    seen             text NOT NULL CHECK (length(seen) <= 20000),
    acknowledged_on  date,
    learner_comment  text NOT NULL DEFAULT '' CHECK (length(learner_comment) <= 2000),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX portfolio_observations_app ON portfolio_observations (application_id, observed_on);

CREATE TABLE portfolio_observation_criteria (
    observation_id bigint NOT NULL REFERENCES portfolio_observations (id),
    criterion      text NOT NULL,
    PRIMARY KEY (observation_id, criterion)
);

-- An assessor's decision on one criterion, with what it judged. Decisions
-- are never changed: quality assurance that overturns one records its own
-- outcome, and a later decision stands beside an earlier one.
CREATE TABLE criterion_decisions (
    id               bigserial PRIMARY KEY,
    application_id   bigint NOT NULL REFERENCES applications (id),
    criterion        text NOT NULL,
    submission_id    bigint REFERENCES portfolio_submissions (id),
    evidence_id      bigint REFERENCES portfolio_evidence (id),
    observation_id   bigint REFERENCES portfolio_observations (id),
    assessor_user_id bigint REFERENCES users (id),
    outcome          text NOT NULL CHECK (outcome IN ('met', 'not_yet')),
    feedback         text NOT NULL DEFAULT '' CHECK (length(feedback) <= 2000),
    decided_on       date NOT NULL,
    external_id      text NOT NULL DEFAULT '' CHECK (length(external_id) <= 100),
    created_at       timestamptz NOT NULL
);
CREATE INDEX criterion_decisions_app ON criterion_decisions (application_id, criterion);
CREATE INDEX criterion_decisions_assessor ON criterion_decisions (assessor_user_id, decided_on);
CREATE INDEX criterion_decisions_created ON criterion_decisions (created_at, id);
CREATE UNIQUE INDEX criterion_decisions_external ON criterion_decisions (application_id, external_id) WHERE external_id <> '';

-- A progress review, signed by the assessor (who writes it), the learner
-- and their setting manager.
CREATE TABLE progress_reviews (
    id                 bigserial PRIMARY KEY,
    application_id     bigint NOT NULL REFERENCES applications (id),
    held_on            date NOT NULL,
    summary            text NOT NULL CHECK (length(summary) <= 2000),
    next_steps         text NOT NULL DEFAULT '' CHECK (length(next_steps) <= 2000),
    assessor_user_id   bigint REFERENCES users (id),
    assessor_signed_on date,
    learner_signed_on  date,
    manager_user_id    bigint REFERENCES users (id),
    manager_signed_on  date,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX progress_reviews_app ON progress_reviews (application_id, held_on);

-- Messages to people (an assessor told that evidence arrived). Readable in
-- the service whether or not mail is configured; sent by SMTP when it is,
-- retried a bounded number of times with backoff, kept when sending fails.
CREATE TABLE notification_outbox (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id),
    to_address      text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    link            text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    sent_at         timestamptz,
    last_error      text NOT NULL DEFAULT ''
);
CREATE INDEX notification_outbox_user ON notification_outbox (user_id, created_at);
CREATE INDEX notification_outbox_unsent ON notification_outbox (next_attempt_at, id) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE notification_outbox;
DROP TABLE progress_reviews;
DROP TABLE criterion_decisions;
DROP TABLE portfolio_observation_criteria;
DROP TABLE portfolio_observations;
DROP TABLE portfolio_submissions;
DROP TABLE portfolio_evidence_criteria;
DROP TABLE portfolio_evidence;
ALTER TABLE qualifications DROP COLUMN assessment_plan;
