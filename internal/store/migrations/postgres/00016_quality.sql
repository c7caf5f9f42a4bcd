-- +goose Up
-- Quality assurance and certificates: each supplier's sampling plans
-- (internal and external), the samples drawn with their seeds, the
-- outcome of each sampled decision, and the certificates issued with
-- their verification codes.
CREATE TABLE qa_plans (
    supplier_org_id    bigint NOT NULL REFERENCES organisations (id),
    level              text NOT NULL,
    learner_share      integer NOT NULL CHECK (learner_share BETWEEN 0 AND 100),
    decision_share     integer NOT NULL CHECK (decision_share BETWEEN 0 AND 100),
    new_assessor_share integer NOT NULL CHECK (new_assessor_share BETWEEN 0 AND 100),
    new_assessor_below integer NOT NULL CHECK (new_assessor_below >= 0),
    updated_by         text NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (supplier_org_id, level)
);

CREATE TABLE qa_samples (
    id                 bigserial PRIMARY KEY,
    supplier_org_id    bigint NOT NULL REFERENCES organisations (id),
    level              text NOT NULL,
    seed               bigint NOT NULL,
    learner_share      integer NOT NULL,
    decision_share     integer NOT NULL,
    new_assessor_share integer NOT NULL,
    new_assessor_below integer NOT NULL,
    drawn_by_user      bigint NOT NULL REFERENCES users (id),
    drawn_by           text NOT NULL,
    drawn_on           date NOT NULL,
    created_at         timestamptz NOT NULL
);
CREATE INDEX qa_samples_supplier ON qa_samples (supplier_org_id, level, id);

-- decision_id is the criterion decision of an interim item (the
-- portfolio's criterion_decisions); a final item is the assessor's
-- "assessment complete" on the application.
CREATE TABLE qa_items (
    id               bigserial PRIMARY KEY,
    sample_id        bigint NOT NULL REFERENCES qa_samples (id),
    application_id   bigint NOT NULL REFERENCES applications (id),
    kind             text NOT NULL,
    decision_id      bigint,
    criterion        text NOT NULL DEFAULT '',
    assessor_user_id bigint NOT NULL REFERENCES users (id),
    decided_on       date,
    outcome          text NOT NULL DEFAULT '',
    action           text NOT NULL DEFAULT '',
    reviewer_user_id bigint REFERENCES users (id),
    reviewed_on      date,
    resolved_on      date,
    resolved_note    text NOT NULL DEFAULT '',
    external_ref     text,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX qa_items_sample ON qa_items (sample_id, id);
CREATE INDEX qa_items_application ON qa_items (application_id);
CREATE INDEX qa_items_assessor ON qa_items (assessor_user_id);
CREATE INDEX qa_items_updated ON qa_items (updated_at, id);

CREATE TABLE issued_certificates (
    id                bigserial PRIMARY KEY,
    application_id    bigint NOT NULL REFERENCES applications (id),
    number            text UNIQUE,
    kind              text NOT NULL,
    units             text NOT NULL DEFAULT '',
    code              text NOT NULL UNIQUE,
    issued_on         date NOT NULL,
    state             text NOT NULL,
    invalidated_on    date,
    invalid_reason    text NOT NULL DEFAULT '',
    review_reason     text NOT NULL DEFAULT '',
    review_flagged_on date,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX issued_certificates_application ON issued_certificates (application_id);
CREATE INDEX issued_certificates_updated ON issued_certificates (updated_at, id);

-- +goose Down
DROP TABLE issued_certificates;
DROP TABLE qa_items;
DROP TABLE qa_samples;
DROP TABLE qa_plans;
