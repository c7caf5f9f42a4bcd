-- +goose Up
-- An assessor's queue reads each of their learners' work waiting to be
-- marked, oldest first.
CREATE INDEX portfolio_submissions_app_waiting ON portfolio_submissions (application_id, submitted_on, id) WHERE marked_on IS NULL;

-- +goose Down
DROP INDEX portfolio_submissions_app_waiting;
