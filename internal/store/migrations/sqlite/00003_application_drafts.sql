-- +goose Up
-- A practitioner's answers while they apply, one question per page: kept on
-- the server, so going back, changing an answer or reloading a page needs
-- no JavaScript. The draft is deleted when the application is made.
CREATE TABLE application_drafts (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id),
    programme_id  INTEGER REFERENCES programmes (id),
    setting_urn   text NOT NULL DEFAULT '',
    role          text NOT NULL DEFAULT '',
    qualification text NOT NULL DEFAULT '',
    updated_at    TIMESTAMP NOT NULL
);

-- What a practitioner said when they applied (their role at the setting and
-- their highest qualification), for the setting to check when it confirms.
CREATE TABLE application_answers (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id),
    role           text NOT NULL,
    qualification  text NOT NULL,
    created_at     TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE application_answers;
DROP TABLE application_drafts;
