-- +goose Up
-- A session's start and end times (Europe/London, "HH:MM"), both or
-- neither; '' where none was given, so a calendar entry is all-day.
ALTER TABLE sessions_taught ADD COLUMN starts_at text NOT NULL DEFAULT '';
ALTER TABLE sessions_taught ADD COLUMN ends_at text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions_taught DROP COLUMN ends_at;
ALTER TABLE sessions_taught DROP COLUMN starts_at;
