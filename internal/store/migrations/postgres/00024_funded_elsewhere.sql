-- +goose Up
-- A declaration checks that the same person is not funded through another
-- supplier: by their record, by another record with the same email and date
-- of birth, or by the same learner number. Asked as one query with ORs it
-- scanned every live declaration for each declaration made (20 ms a
-- declaration at 10,000 of them, growing with every one); asked as three
-- lookups, the learner number's needs this index.
CREATE INDEX applications_learner_number ON applications (learner_number) WHERE learner_number <> '';

-- +goose Down
DROP INDEX IF EXISTS applications_learner_number;
