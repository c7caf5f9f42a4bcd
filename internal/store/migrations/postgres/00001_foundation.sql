-- +goose Up
CREATE TABLE local_authorities (
    code        text PRIMARY KEY,
    dfe_code    text NOT NULL DEFAULT '',
    name        text NOT NULL,
    ofsted_name text NOT NULL DEFAULT '',
    region_code text NOT NULL,
    region_name text NOT NULL,
    type        text NOT NULL DEFAULT '',
    started_on  date,
    ended_on    date,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE settings (
    urn            text PRIMARY KEY,
    name           text NOT NULL DEFAULT '',
    provider_type  text NOT NULL,
    subtype        text NOT NULL DEFAULT '',
    status         text NOT NULL,
    eyr            boolean NOT NULL,
    ccr            boolean NOT NULL,
    vcr            boolean NOT NULL,
    la_code        text REFERENCES local_authorities (code),
    address1       text NOT NULL DEFAULT '',
    address2       text NOT NULL DEFAULT '',
    address3       text NOT NULL DEFAULT '',
    town           text NOT NULL DEFAULT '',
    postcode       text NOT NULL DEFAULT '',
    places         integer NOT NULL DEFAULT 0,
    registered_on  date,
    closed_on      date,
    inspected_on   date,
    outcome        integer NOT NULL DEFAULT 0,
    source_release text NOT NULL DEFAULT '',
    last_seen_on   date,
    search_text    text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX settings_la ON settings (la_code, name, urn);
CREATE INDEX settings_name ON settings (name, urn);
CREATE INDEX settings_updated ON settings (updated_at, urn);
CREATE INDEX settings_postcode ON settings (postcode);

CREATE TABLE imports (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL,
    file_name     text NOT NULL,
    release_on    date,
    rows_read     integer NOT NULL,
    added         integer NOT NULL,
    updated       integer NOT NULL,
    unchanged     integer NOT NULL,
    closed        integer NOT NULL,
    warnings      text NOT NULL DEFAULT '',
    actor         text NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE organisations (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL,
    name        text NOT NULL,
    la_code     text REFERENCES local_authorities (code),
    setting_urn text REFERENCES settings (urn),
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX organisations_setting ON organisations (setting_urn) WHERE setting_urn IS NOT NULL;
CREATE UNIQUE INDEX organisations_la ON organisations (la_code) WHERE la_code IS NOT NULL;

CREATE TABLE practitioners (
    id                  bigserial PRIMARY KEY,
    given_name          text NOT NULL,
    family_name         text NOT NULL,
    email               text NOT NULL DEFAULT '',
    date_of_birth       date,
    qualification_level integer NOT NULL DEFAULT 0,
    qts                 boolean NOT NULL DEFAULT false,
    eyts                boolean NOT NULL DEFAULT false,
    qtls                boolean NOT NULL DEFAULT false,
    prior_sen_training  text NOT NULL DEFAULT '',
    owner_org_id        bigint NOT NULL REFERENCES organisations (id),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX practitioners_email ON practitioners (email);
CREATE INDEX practitioners_owner ON practitioners (owner_org_id);
CREATE INDEX practitioners_updated ON practitioners (updated_at, id);

CREATE TABLE employments (
    id              bigserial PRIMARY KEY,
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    setting_urn     text NOT NULL REFERENCES settings (urn),
    role            text NOT NULL,
    started_on      date NOT NULL,
    ended_on        date,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (practitioner_id, setting_urn, role, started_on)
);
CREATE INDEX employments_setting ON employments (setting_urn, started_on);
CREATE INDEX employments_updated ON employments (updated_at, id);

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL UNIQUE,
    name            text NOT NULL,
    role            text NOT NULL,
    org_id          bigint NOT NULL REFERENCES organisations (id),
    practitioner_id bigint REFERENCES practitioners (id),
    password_hash   text NOT NULL,
    created_at      timestamptz NOT NULL,
    disabled_at     timestamptz
);

CREATE TABLE sessions (
    token_hash   text PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE sign_in_failures (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    window_start timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE,
    name         text NOT NULL,
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit log is append-only: the store never updates or deletes it.
CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    user_id   bigint,
    org_id    bigint,
    token_id  bigint,
    actor     text NOT NULL,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text NOT NULL,
    before    text NOT NULL DEFAULT '',
    after     text NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE RULE audit_log_no_update AS ON UPDATE TO audit_log DO INSTEAD NOTHING;
CREATE RULE audit_log_no_delete AS ON DELETE TO audit_log DO INSTEAD NOTHING;

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
