-- +goose Up
-- API writes remember their Idempotency-Key (per token) for a day: a retry
-- with the same key gets the first response and changes nothing. The key,
-- the change and the response are committed in one transaction.
CREATE TABLE idempotency_keys (
    token_id     bigint NOT NULL REFERENCES api_tokens (id),
    idem_key     text NOT NULL,
    method       text NOT NULL,
    path         text NOT NULL,
    request_hash text NOT NULL,
    status       integer NOT NULL DEFAULT 0,
    response     text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (token_id, created_at);

-- +goose Down
DROP TABLE idempotency_keys;
