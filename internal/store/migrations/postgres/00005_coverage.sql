-- +goose Up
-- The span of each application's enrolment, kept by the status changes, so
-- "in training on a date" is one indexed comparison.
ALTER TABLE applications ADD COLUMN enrolled_on date;
ALTER TABLE applications ADD COLUMN left_training_on date;
CREATE INDEX applications_practitioner ON applications (practitioner_id);

-- Equivalent SENCO qualifications recorded as recognised (earlier
-- accredited SENCO awards), which count like a certificate.
CREATE TABLE recognised_qualifications (
    id              bigserial PRIMARY KEY,
    practitioner_id bigint NOT NULL REFERENCES practitioners (id),
    title           text NOT NULL,
    level           integer NOT NULL,
    recognised_on   date NOT NULL,
    revoked_on      date,
    created_at      timestamptz NOT NULL
);
CREATE INDEX recognised_practitioner ON recognised_qualifications (practitioner_id);

-- Every certificate that can make a qualified SENCO: certifications under
-- the programme and recognised equivalents (domain.Certificate).
CREATE VIEW certificates AS
    SELECT ap.practitioner_id, q.level, ap.certified_on, ap.revoked_on
    FROM applications ap JOIN qualifications q ON q.id = ap.qualification_id
    WHERE ap.certified_on IS NOT NULL
    UNION ALL
    SELECT practitioner_id, level, recognised_on, revoked_on FROM recognised_qualifications;

-- +goose Down
DROP VIEW certificates;
DROP TABLE recognised_qualifications;
DROP INDEX applications_practitioner;
ALTER TABLE applications DROP COLUMN left_training_on;
ALTER TABLE applications DROP COLUMN enrolled_on;
