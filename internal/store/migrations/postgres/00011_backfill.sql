-- +goose Up
-- Paying settings for cover: the grant conditions a setting accepted,
-- claims of a learner's attended sessions, and the payment batches they
-- are paid in.
CREATE TABLE backfill_conditions (
    setting_urn  text NOT NULL REFERENCES settings (urn),
    programme_id bigint NOT NULL REFERENCES programmes (id),
    accepted_by  text NOT NULL,
    accepted_at  timestamptz NOT NULL,
    PRIMARY KEY (setting_urn, programme_id)
);

CREATE TABLE payment_batches (
    id            bigserial PRIMARY KEY,
    state         text NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL,
    reconciled_at timestamptz
);

CREATE TABLE backfill_claims (
    id              bigserial PRIMARY KEY,
    setting_urn     text NOT NULL REFERENCES settings (urn),
    application_id  bigint NOT NULL REFERENCES applications (id),
    programme_id    bigint NOT NULL REFERENCES programmes (id),
    supplier_org_id bigint NOT NULL REFERENCES organisations (id),
    state           text NOT NULL,
    rate_pence      bigint NOT NULL CHECK (rate_pence >= 0),
    minutes         integer NOT NULL CHECK (minutes > 0),
    amount_pence    bigint NOT NULL CHECK (amount_pence >= 0),
    reason          text NOT NULL DEFAULT '',
    batch_id        bigint REFERENCES payment_batches (id),
    payment_ref     text NOT NULL DEFAULT '',
    submitted_on    date NOT NULL,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX backfill_claims_setting ON backfill_claims (setting_urn, id);
CREATE INDEX backfill_claims_supplier ON backfill_claims (supplier_org_id, state);
CREATE INDEX backfill_claims_state ON backfill_claims (state, id);
CREATE INDEX backfill_claims_batch ON backfill_claims (batch_id);

-- A session's hours are claimed once: a line holds them until its claim is
-- rejected or clawed back (released_at).
CREATE TABLE backfill_claim_lines (
    claim_id       bigint NOT NULL REFERENCES backfill_claims (id),
    application_id bigint NOT NULL REFERENCES applications (id),
    session_id     bigint NOT NULL REFERENCES sessions_taught (id),
    minutes        integer NOT NULL CHECK (minutes > 0),
    released_at    timestamptz,
    PRIMARY KEY (claim_id, session_id)
);
CREATE UNIQUE INDEX backfill_claim_lines_held ON backfill_claim_lines (application_id, session_id) WHERE released_at IS NULL;

-- +goose Down
DROP TABLE backfill_claim_lines;
DROP TABLE backfill_claims;
DROP TABLE payment_batches;
DROP TABLE backfill_conditions;
