-- +goose Up
-- The cohort list counts each cohort's waiting list.
CREATE INDEX applications_waitlist ON applications (waitlist_cohort_id, status) WHERE waitlist_cohort_id IS NOT NULL;

-- A number that changes whenever anything coverage is counted from
-- changes, in the same transaction as the change, whichever process makes
-- it (the server, or an import from the command line): the dashboards keep
-- what they computed until it moves. Statement triggers, so a bulk write
-- moves it once; the row lock orders concurrent writers' bumps.
CREATE TABLE coverage_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO coverage_version (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION bump_coverage_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE coverage_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER settings_coverage AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION bump_coverage_version();
CREATE TRIGGER local_authorities_coverage AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON local_authorities FOR EACH STATEMENT EXECUTE FUNCTION bump_coverage_version();
CREATE TRIGGER practitioners_coverage AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON practitioners FOR EACH STATEMENT EXECUTE FUNCTION bump_coverage_version();
CREATE TRIGGER employments_coverage AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON employments FOR EACH STATEMENT EXECUTE FUNCTION bump_coverage_version();
-- Every column of applications but updated_at, which a register's save
-- touches for each learner: attendance alone changes no coverage figure,
-- and a day of registers must not throw every dashboard away. A
-- column added to applications later is to be added to this list.
CREATE TRIGGER applications_coverage AFTER INSERT OR UPDATE OF id, programme_id, practitioner_id, setting_urn, la_code, applied_on, nominated, setting_confirmed_at, working_towards_l3, status, decision, reason_code, reason, manual_decision, extra_setting_place, cohort_id, waitlist_cohort_id, withdrawal_reason, withdrawn_on, assessment_complete_on, learner_number, uln, certificate_number, certified_on, revoked_on, revoke_reason, qualification_id, created_at, enrolled_on, left_training_on OR DELETE OR TRUNCATE ON applications FOR EACH STATEMENT EXECUTE FUNCTION bump_coverage_version();
CREATE TRIGGER recognised_qualifications_coverage AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recognised_qualifications FOR EACH STATEMENT EXECUTE FUNCTION bump_coverage_version();
CREATE TRIGGER qualifications_coverage AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON qualifications FOR EACH STATEMENT EXECUTE FUNCTION bump_coverage_version();

-- +goose Down
DROP TRIGGER settings_coverage ON settings;
DROP TRIGGER local_authorities_coverage ON local_authorities;
DROP TRIGGER practitioners_coverage ON practitioners;
DROP TRIGGER employments_coverage ON employments;
DROP TRIGGER applications_coverage ON applications;
DROP TRIGGER recognised_qualifications_coverage ON recognised_qualifications;
DROP TRIGGER qualifications_coverage ON qualifications;
DROP FUNCTION bump_coverage_version();
DROP TABLE coverage_version;
DROP INDEX applications_waitlist;
