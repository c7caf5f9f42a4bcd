-- +goose Up
-- Limits on the text people type in, the same as the domain's (package
-- domain, limits.go: TextColumns), so that nothing longer is stored
-- whatever path a write takes. The service's own checks come first and say
-- which field is too long; these are the last line.
-- NOT VALID: rows already stored are not checked (a longer one would stop
-- the migration); every row written from now on is.
ALTER TABLE practitioners ADD CONSTRAINT practitioners_given_name_max CHECK (char_length(given_name) <= 100) NOT VALID;
ALTER TABLE practitioners ADD CONSTRAINT practitioners_family_name_max CHECK (char_length(family_name) <= 100) NOT VALID;
ALTER TABLE practitioners ADD CONSTRAINT practitioners_email_max CHECK (char_length(email) <= 254) NOT VALID;
ALTER TABLE practitioners ADD CONSTRAINT practitioners_prior_sen_training_max CHECK (char_length(prior_sen_training) <= 2000) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_email_max CHECK (char_length(email) <= 254) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_name_max CHECK (char_length(name) <= 100) NOT VALID;
ALTER TABLE organisations ADD CONSTRAINT organisations_name_max CHECK (char_length(name) <= 200) NOT VALID;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_name_max CHECK (char_length(name) <= 100) NOT VALID;
ALTER TABLE programmes ADD CONSTRAINT programmes_name_max CHECK (char_length(name) <= 200) NOT VALID;
ALTER TABLE cohorts ADD CONSTRAINT cohorts_name_max CHECK (char_length(name) <= 200) NOT VALID;
ALTER TABLE sessions_taught ADD CONSTRAINT sessions_taught_topic_max CHECK (char_length(topic) <= 200) NOT VALID;
ALTER TABLE sessions_taught ADD CONSTRAINT sessions_taught_venue_max CHECK (char_length(venue) <= 500) NOT VALID;
ALTER TABLE applications ADD CONSTRAINT applications_reason_max CHECK (char_length(reason) <= 2000) NOT VALID;
ALTER TABLE applications ADD CONSTRAINT applications_learner_number_max CHECK (char_length(learner_number) <= 50) NOT VALID;
ALTER TABLE applications ADD CONSTRAINT applications_uln_max CHECK (char_length(uln) <= 50) NOT VALID;
ALTER TABLE applications ADD CONSTRAINT applications_certificate_number_max CHECK (char_length(certificate_number) <= 50) NOT VALID;
ALTER TABLE applications ADD CONSTRAINT applications_revoke_reason_max CHECK (char_length(revoke_reason) <= 2000) NOT VALID;
ALTER TABLE attendance ADD CONSTRAINT attendance_catch_up_note_max CHECK (char_length(catch_up_note) <= 2000) NOT VALID;

-- +goose Down
ALTER TABLE practitioners DROP CONSTRAINT practitioners_given_name_max;
ALTER TABLE practitioners DROP CONSTRAINT practitioners_family_name_max;
ALTER TABLE practitioners DROP CONSTRAINT practitioners_email_max;
ALTER TABLE practitioners DROP CONSTRAINT practitioners_prior_sen_training_max;
ALTER TABLE users DROP CONSTRAINT users_email_max;
ALTER TABLE users DROP CONSTRAINT users_name_max;
ALTER TABLE organisations DROP CONSTRAINT organisations_name_max;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_name_max;
ALTER TABLE programmes DROP CONSTRAINT programmes_name_max;
ALTER TABLE cohorts DROP CONSTRAINT cohorts_name_max;
ALTER TABLE sessions_taught DROP CONSTRAINT sessions_taught_topic_max;
ALTER TABLE sessions_taught DROP CONSTRAINT sessions_taught_venue_max;
ALTER TABLE applications DROP CONSTRAINT applications_reason_max;
ALTER TABLE applications DROP CONSTRAINT applications_learner_number_max;
ALTER TABLE applications DROP CONSTRAINT applications_uln_max;
ALTER TABLE applications DROP CONSTRAINT applications_certificate_number_max;
ALTER TABLE applications DROP CONSTRAINT applications_revoke_reason_max;
ALTER TABLE attendance DROP CONSTRAINT attendance_catch_up_note_max;
