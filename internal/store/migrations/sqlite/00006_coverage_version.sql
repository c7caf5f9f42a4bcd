-- +goose Up
-- The cohort list counts each cohort's waiting list.
CREATE INDEX applications_waitlist ON applications (waitlist_cohort_id, status) WHERE waitlist_cohort_id IS NOT NULL;

-- A number that changes whenever anything coverage is counted from
-- changes, in the same transaction as the change, whichever process makes
-- it (the server, or an import from the command line): the dashboards keep
-- what they computed until it moves.
CREATE TABLE coverage_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO coverage_version (id, version) VALUES (1, 1);
-- +goose StatementBegin
CREATE TRIGGER settings_coverage_insert AFTER INSERT ON settings
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER settings_coverage_update AFTER UPDATE ON settings
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER settings_coverage_delete AFTER DELETE ON settings
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER local_authorities_coverage_insert AFTER INSERT ON local_authorities
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER local_authorities_coverage_update AFTER UPDATE ON local_authorities
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER local_authorities_coverage_delete AFTER DELETE ON local_authorities
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_coverage_insert AFTER INSERT ON practitioners
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_coverage_update AFTER UPDATE ON practitioners
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER practitioners_coverage_delete AFTER DELETE ON practitioners
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER employments_coverage_insert AFTER INSERT ON employments
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER employments_coverage_update AFTER UPDATE ON employments
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER employments_coverage_delete AFTER DELETE ON employments
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_coverage_insert AFTER INSERT ON applications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- Every column of applications but updated_at, which a register's save
-- touches for each learner: attendance alone changes no coverage figure,
-- and a day of registers must not throw every dashboard away. A
-- column added to applications later is to be added to this list.
-- +goose StatementBegin
CREATE TRIGGER applications_coverage_update AFTER UPDATE OF id, programme_id, practitioner_id, setting_urn, la_code, applied_on, nominated, setting_confirmed_at, working_towards_l3, status, decision, reason_code, reason, manual_decision, extra_setting_place, cohort_id, waitlist_cohort_id, withdrawal_reason, withdrawn_on, assessment_complete_on, learner_number, uln, certificate_number, certified_on, revoked_on, revoke_reason, qualification_id, created_at, enrolled_on, left_training_on ON applications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_coverage_delete AFTER DELETE ON applications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER recognised_qualifications_coverage_insert AFTER INSERT ON recognised_qualifications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER recognised_qualifications_coverage_update AFTER UPDATE ON recognised_qualifications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER recognised_qualifications_coverage_delete AFTER DELETE ON recognised_qualifications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER qualifications_coverage_insert AFTER INSERT ON qualifications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER qualifications_coverage_update AFTER UPDATE ON qualifications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER qualifications_coverage_delete AFTER DELETE ON qualifications
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER settings_coverage_insert;
DROP TRIGGER settings_coverage_update;
DROP TRIGGER settings_coverage_delete;
DROP TRIGGER local_authorities_coverage_insert;
DROP TRIGGER local_authorities_coverage_update;
DROP TRIGGER local_authorities_coverage_delete;
DROP TRIGGER practitioners_coverage_insert;
DROP TRIGGER practitioners_coverage_update;
DROP TRIGGER practitioners_coverage_delete;
DROP TRIGGER employments_coverage_insert;
DROP TRIGGER employments_coverage_update;
DROP TRIGGER employments_coverage_delete;
DROP TRIGGER applications_coverage_insert;
DROP TRIGGER applications_coverage_update;
DROP TRIGGER applications_coverage_delete;
DROP TRIGGER recognised_qualifications_coverage_insert;
DROP TRIGGER recognised_qualifications_coverage_update;
DROP TRIGGER recognised_qualifications_coverage_delete;
DROP TRIGGER qualifications_coverage_insert;
DROP TRIGGER qualifications_coverage_update;
DROP TRIGGER qualifications_coverage_delete;
DROP TABLE coverage_version;
DROP INDEX applications_waitlist;
