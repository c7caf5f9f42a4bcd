-- +goose Up
-- The latest failure of each key, so that sign-in throttling can forget a
-- key's failures a while after the last one (a source that keeps guessing
-- keeps its delay) and time a source's growing delay from it.
ALTER TABLE sign_in_failures ADD COLUMN last_failure_at timestamptz;
UPDATE sign_in_failures SET last_failure_at = window_start;

-- +goose Down
ALTER TABLE sign_in_failures DROP COLUMN last_failure_at;
