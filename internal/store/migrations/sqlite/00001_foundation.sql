-- +goose Up
CREATE TABLE local_authorities (
    code        text PRIMARY KEY,
    dfe_code    text NOT NULL DEFAULT '',
    name        text NOT NULL,
    ofsted_name text NOT NULL DEFAULT '',
    region_code text NOT NULL,
    region_name text NOT NULL,
    type        text NOT NULL DEFAULT '',
    started_on  DATE,
    ended_on    DATE,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE settings (
    urn            text PRIMARY KEY,
    name           text NOT NULL DEFAULT '',
    provider_type  text NOT NULL,
    subtype        text NOT NULL DEFAULT '',
    status         text NOT NULL,
    eyr            BOOLEAN NOT NULL,
    ccr            BOOLEAN NOT NULL,
    vcr            BOOLEAN NOT NULL,
    la_code        text REFERENCES local_authorities (code),
    address1       text NOT NULL DEFAULT '',
    address2       text NOT NULL DEFAULT '',
    address3       text NOT NULL DEFAULT '',
    town           text NOT NULL DEFAULT '',
    postcode       text NOT NULL DEFAULT '',
    places         integer NOT NULL DEFAULT 0,
    registered_on  DATE,
    closed_on      DATE,
    inspected_on   DATE,
    outcome        integer NOT NULL DEFAULT 0,
    source_release text NOT NULL DEFAULT '',
    last_seen_on   DATE,
    search_text    text NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX settings_la ON settings (la_code, name, urn);
CREATE INDEX settings_name ON settings (name, urn);
CREATE INDEX settings_updated ON settings (updated_at, urn);
CREATE INDEX settings_postcode ON settings (postcode);

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    kind          text NOT NULL,
    file_name     text NOT NULL,
    release_on    DATE,
    rows_read     integer NOT NULL,
    added         integer NOT NULL,
    updated       integer NOT NULL,
    unchanged     integer NOT NULL,
    closed        integer NOT NULL,
    warnings      text NOT NULL DEFAULT '',
    actor         text NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    kind        text NOT NULL,
    name        text NOT NULL,
    la_code     text REFERENCES local_authorities (code),
    setting_urn text REFERENCES settings (urn),
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisations_setting ON organisations (setting_urn) WHERE setting_urn IS NOT NULL;
CREATE UNIQUE INDEX organisations_la ON organisations (la_code) WHERE la_code IS NOT NULL;

CREATE TABLE practitioners (
    id                  INTEGER PRIMARY KEY,
    given_name          text NOT NULL,
    family_name         text NOT NULL,
    email               text NOT NULL DEFAULT '',
    DATE_of_birth       DATE,
    qualification_level integer NOT NULL DEFAULT 0,
    qts                 BOOLEAN NOT NULL DEFAULT 0,
    eyts                BOOLEAN NOT NULL DEFAULT 0,
    qtls                BOOLEAN NOT NULL DEFAULT 0,
    prior_sen_training  text NOT NULL DEFAULT '',
    owner_org_id        INTEGER NOT NULL REFERENCES organisations (id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX practitioners_email ON practitioners (email);
CREATE INDEX practitioners_owner ON practitioners (owner_org_id);
CREATE INDEX practitioners_updated ON practitioners (updated_at, id);

CREATE TABLE employments (
    id              INTEGER PRIMARY KEY,
    practitioner_id INTEGER NOT NULL REFERENCES practitioners (id),
    setting_urn     text NOT NULL REFERENCES settings (urn),
    role            text NOT NULL,
    started_on      DATE NOT NULL,
    ended_on        DATE,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (practitioner_id, setting_urn, role, started_on)
);
CREATE INDEX employments_setting ON employments (setting_urn, started_on);
CREATE INDEX employments_updated ON employments (updated_at, id);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           text NOT NULL UNIQUE,
    name            text NOT NULL,
    role            text NOT NULL,
    org_id          INTEGER NOT NULL REFERENCES organisations (id),
    practitioner_id INTEGER REFERENCES practitioners (id),
    password_hash   text NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    disabled_at     TIMESTAMP
);

CREATE TABLE sessions (
    token_hash   text PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE sign_in_failures (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    window_start TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE,
    name         text NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit log is append-only: the store never updates or deletes it.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TIMESTAMP NOT NULL,
    user_id   INTEGER,
    org_id    INTEGER,
    token_id  INTEGER,
    actor     text NOT NULL,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text NOT NULL,
    before    text NOT NULL DEFAULT '',
    after     text NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE sign_in_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE employments;
DROP TABLE practitioners;
DROP TABLE organisations;
DROP TABLE imports;
DROP TABLE settings;
DROP TABLE local_authorities;
