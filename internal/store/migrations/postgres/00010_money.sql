-- +goose Up
-- Paying suppliers: declarations of a learner's milestones, checked against
-- the records when made and priced from the contract version in force, and
-- monthly statements of lines that pay, reverse or claw them back. Nothing
-- is deleted: a correction is a line of its own.
CREATE TABLE declarations (
    id              bigserial PRIMARY KEY,
    application_id  bigint NOT NULL REFERENCES applications (id),
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    supplier_org_id bigint NOT NULL REFERENCES organisations (id),
    contract_id     bigint NOT NULL REFERENCES contracts (id),
    programme_id    bigint NOT NULL REFERENCES programmes (id),
    milestone       text NOT NULL CHECK (milestone IN ('started', 'retained', 'completed')),
    declared_on     date NOT NULL,
    state           text NOT NULL,
    amount_pence    bigint NOT NULL CHECK (amount_pence >= 0),
    evidence        text NOT NULL DEFAULT '',
    voided_on       date,
    void_reason     text NOT NULL DEFAULT '',
    created_by      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
-- One live declaration per learner and milestone, whatever races past the
-- check (the live states are domain.LiveDeclarations).
CREATE UNIQUE INDEX declarations_live ON declarations (application_id, milestone)
    WHERE state IN ('eligible', 'payable', 'paid');
CREATE INDEX declarations_supplier ON declarations (supplier_org_id, state, declared_on);
CREATE INDEX declarations_updated ON declarations (updated_at, id);
CREATE INDEX declarations_practitioner ON declarations (practitioner_id, milestone);

CREATE TABLE statements (
    id                bigserial PRIMARY KEY,
    supplier_org_id   bigint NOT NULL REFERENCES organisations (id),
    programme_id      bigint NOT NULL REFERENCES programmes (id),
    month             text NOT NULL,
    deadline          date NOT NULL,
    state             text NOT NULL,
    payment_reference text NOT NULL DEFAULT '',
    paid_on           date,
    authorised_by     text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (supplier_org_id, programme_id, month)
);
CREATE INDEX statements_updated ON statements (updated_at, id);

CREATE TABLE statement_lines (
    id             bigserial PRIMARY KEY,
    statement_id   bigint NOT NULL REFERENCES statements (id),
    declaration_id bigint NOT NULL REFERENCES declarations (id),
    kind           text NOT NULL CHECK (kind IN ('payment', 'reversal', 'clawback')),
    amount_pence   bigint NOT NULL,
    created_at     timestamptz NOT NULL,
    -- A declaration is paid, reversed and clawed back once each at most.
    UNIQUE (declaration_id, kind)
);
CREATE INDEX statement_lines_statement ON statement_lines (statement_id, id);

-- +goose Down
DROP TABLE statement_lines;
DROP TABLE statements;
DROP TABLE declarations;
