-- +goose Up
-- Limits on the text people type in, the same as the domain's (package
-- domain, limits.go: TextColumns), so that nothing longer is stored
-- whatever path a write takes. The service's own checks come first and say
-- which field is too long; these are the last line.
-- SQLite cannot add a CHECK constraint to a table without rebuilding it,
-- which would mean dropping and recreating tables that others reference;
-- triggers refuse the same rows without touching the tables.
-- +goose StatementBegin
CREATE TRIGGER practitioners_given_name_max_insert BEFORE INSERT ON practitioners
WHEN length(NEW.given_name) > 100
BEGIN
    SELECT RAISE(ABORT, 'practitioners.given_name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_given_name_max_update BEFORE UPDATE OF given_name ON practitioners
WHEN length(NEW.given_name) > 100
BEGIN
    SELECT RAISE(ABORT, 'practitioners.given_name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_family_name_max_insert BEFORE INSERT ON practitioners
WHEN length(NEW.family_name) > 100
BEGIN
    SELECT RAISE(ABORT, 'practitioners.family_name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_family_name_max_update BEFORE UPDATE OF family_name ON practitioners
WHEN length(NEW.family_name) > 100
BEGIN
    SELECT RAISE(ABORT, 'practitioners.family_name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_email_max_insert BEFORE INSERT ON practitioners
WHEN length(NEW.email) > 254
BEGIN
    SELECT RAISE(ABORT, 'practitioners.email must be 254 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_email_max_update BEFORE UPDATE OF email ON practitioners
WHEN length(NEW.email) > 254
BEGIN
    SELECT RAISE(ABORT, 'practitioners.email must be 254 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_prior_sen_training_max_insert BEFORE INSERT ON practitioners
WHEN length(NEW.prior_sen_training) > 2000
BEGIN
    SELECT RAISE(ABORT, 'practitioners.prior_sen_training must be 2000 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_prior_sen_training_max_update BEFORE UPDATE OF prior_sen_training ON practitioners
WHEN length(NEW.prior_sen_training) > 2000
BEGIN
    SELECT RAISE(ABORT, 'practitioners.prior_sen_training must be 2000 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_email_max_insert BEFORE INSERT ON users
WHEN length(NEW.email) > 254
BEGIN
    SELECT RAISE(ABORT, 'users.email must be 254 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_email_max_update BEFORE UPDATE OF email ON users
WHEN length(NEW.email) > 254
BEGIN
    SELECT RAISE(ABORT, 'users.email must be 254 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_name_max_insert BEFORE INSERT ON users
WHEN length(NEW.name) > 100
BEGIN
    SELECT RAISE(ABORT, 'users.name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_name_max_update BEFORE UPDATE OF name ON users
WHEN length(NEW.name) > 100
BEGIN
    SELECT RAISE(ABORT, 'users.name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_name_max_insert BEFORE INSERT ON organisations
WHEN length(NEW.name) > 200
BEGIN
    SELECT RAISE(ABORT, 'organisations.name must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_name_max_update BEFORE UPDATE OF name ON organisations
WHEN length(NEW.name) > 200
BEGIN
    SELECT RAISE(ABORT, 'organisations.name must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER api_tokens_name_max_insert BEFORE INSERT ON api_tokens
WHEN length(NEW.name) > 100
BEGIN
    SELECT RAISE(ABORT, 'api_tokens.name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER api_tokens_name_max_update BEFORE UPDATE OF name ON api_tokens
WHEN length(NEW.name) > 100
BEGIN
    SELECT RAISE(ABORT, 'api_tokens.name must be 100 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programmes_name_max_insert BEFORE INSERT ON programmes
WHEN length(NEW.name) > 200
BEGIN
    SELECT RAISE(ABORT, 'programmes.name must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programmes_name_max_update BEFORE UPDATE OF name ON programmes
WHEN length(NEW.name) > 200
BEGIN
    SELECT RAISE(ABORT, 'programmes.name must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cohorts_name_max_insert BEFORE INSERT ON cohorts
WHEN length(NEW.name) > 200
BEGIN
    SELECT RAISE(ABORT, 'cohorts.name must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cohorts_name_max_update BEFORE UPDATE OF name ON cohorts
WHEN length(NEW.name) > 200
BEGIN
    SELECT RAISE(ABORT, 'cohorts.name must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sessions_taught_topic_max_insert BEFORE INSERT ON sessions_taught
WHEN length(NEW.topic) > 200
BEGIN
    SELECT RAISE(ABORT, 'sessions_taught.topic must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sessions_taught_topic_max_update BEFORE UPDATE OF topic ON sessions_taught
WHEN length(NEW.topic) > 200
BEGIN
    SELECT RAISE(ABORT, 'sessions_taught.topic must be 200 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sessions_taught_venue_max_insert BEFORE INSERT ON sessions_taught
WHEN length(NEW.venue) > 500
BEGIN
    SELECT RAISE(ABORT, 'sessions_taught.venue must be 500 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sessions_taught_venue_max_update BEFORE UPDATE OF venue ON sessions_taught
WHEN length(NEW.venue) > 500
BEGIN
    SELECT RAISE(ABORT, 'sessions_taught.venue must be 500 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_reason_max_insert BEFORE INSERT ON applications
WHEN length(NEW.reason) > 2000
BEGIN
    SELECT RAISE(ABORT, 'applications.reason must be 2000 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_reason_max_update BEFORE UPDATE OF reason ON applications
WHEN length(NEW.reason) > 2000
BEGIN
    SELECT RAISE(ABORT, 'applications.reason must be 2000 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_learner_number_max_insert BEFORE INSERT ON applications
WHEN length(NEW.learner_number) > 50
BEGIN
    SELECT RAISE(ABORT, 'applications.learner_number must be 50 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_learner_number_max_update BEFORE UPDATE OF learner_number ON applications
WHEN length(NEW.learner_number) > 50
BEGIN
    SELECT RAISE(ABORT, 'applications.learner_number must be 50 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_uln_max_insert BEFORE INSERT ON applications
WHEN length(NEW.uln) > 50
BEGIN
    SELECT RAISE(ABORT, 'applications.uln must be 50 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_uln_max_update BEFORE UPDATE OF uln ON applications
WHEN length(NEW.uln) > 50
BEGIN
    SELECT RAISE(ABORT, 'applications.uln must be 50 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_certificate_number_max_insert BEFORE INSERT ON applications
WHEN length(NEW.certificate_number) > 50
BEGIN
    SELECT RAISE(ABORT, 'applications.certificate_number must be 50 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_certificate_number_max_update BEFORE UPDATE OF certificate_number ON applications
WHEN length(NEW.certificate_number) > 50
BEGIN
    SELECT RAISE(ABORT, 'applications.certificate_number must be 50 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_revoke_reason_max_insert BEFORE INSERT ON applications
WHEN length(NEW.revoke_reason) > 2000
BEGIN
    SELECT RAISE(ABORT, 'applications.revoke_reason must be 2000 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_revoke_reason_max_update BEFORE UPDATE OF revoke_reason ON applications
WHEN length(NEW.revoke_reason) > 2000
BEGIN
    SELECT RAISE(ABORT, 'applications.revoke_reason must be 2000 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER attendance_catch_up_note_max_insert BEFORE INSERT ON attendance
WHEN length(NEW.catch_up_note) > 2000
BEGIN
    SELECT RAISE(ABORT, 'attendance.catch_up_note must be 2000 characters or fewer');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER attendance_catch_up_note_max_update BEFORE UPDATE OF catch_up_note ON attendance
WHEN length(NEW.catch_up_note) > 2000
BEGIN
    SELECT RAISE(ABORT, 'attendance.catch_up_note must be 2000 characters or fewer');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER practitioners_given_name_max_insert;
DROP TRIGGER practitioners_given_name_max_update;
DROP TRIGGER practitioners_family_name_max_insert;
DROP TRIGGER practitioners_family_name_max_update;
DROP TRIGGER practitioners_email_max_insert;
DROP TRIGGER practitioners_email_max_update;
DROP TRIGGER practitioners_prior_sen_training_max_insert;
DROP TRIGGER practitioners_prior_sen_training_max_update;
DROP TRIGGER users_email_max_insert;
DROP TRIGGER users_email_max_update;
DROP TRIGGER users_name_max_insert;
DROP TRIGGER users_name_max_update;
DROP TRIGGER organisations_name_max_insert;
DROP TRIGGER organisations_name_max_update;
DROP TRIGGER api_tokens_name_max_insert;
DROP TRIGGER api_tokens_name_max_update;
DROP TRIGGER programmes_name_max_insert;
DROP TRIGGER programmes_name_max_update;
DROP TRIGGER cohorts_name_max_insert;
DROP TRIGGER cohorts_name_max_update;
DROP TRIGGER sessions_taught_topic_max_insert;
DROP TRIGGER sessions_taught_topic_max_update;
DROP TRIGGER sessions_taught_venue_max_insert;
DROP TRIGGER sessions_taught_venue_max_update;
DROP TRIGGER applications_reason_max_insert;
DROP TRIGGER applications_reason_max_update;
DROP TRIGGER applications_learner_number_max_insert;
DROP TRIGGER applications_learner_number_max_update;
DROP TRIGGER applications_uln_max_insert;
DROP TRIGGER applications_uln_max_update;
DROP TRIGGER applications_certificate_number_max_insert;
DROP TRIGGER applications_certificate_number_max_update;
DROP TRIGGER applications_revoke_reason_max_insert;
DROP TRIGGER applications_revoke_reason_max_update;
DROP TRIGGER attendance_catch_up_note_max_insert;
DROP TRIGGER attendance_catch_up_note_max_update;
