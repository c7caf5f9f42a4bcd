-- +goose Up
-- No query looks a setting up by its postcode (a postcode is searched as
-- words, below), and every import paid for keeping this index.
DROP INDEX settings_postcode;

-- Free-text search of the register: a trigram index of each setting's
-- search_text (name, URN, postcode, town, authority), so a word is found
-- anywhere in it without reading every row. It holds no copy of the text
-- (content='settings'); settings are never deleted, so their rowids, which
-- the index is keyed by, do not change. The triggers keep it in step in
-- the writing transaction; the first import of a register suspends them
-- and rebuilds the index once (store.suspendRowTriggers).
CREATE VIRTUAL TABLE settings_search USING fts5(search_text, content='settings', content_rowid='rowid', tokenize='trigram');
INSERT INTO settings_search (settings_search) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER settings_search_insert AFTER INSERT ON settings
BEGIN
    INSERT INTO settings_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER settings_search_update AFTER UPDATE OF search_text ON settings
WHEN old.search_text IS NOT new.search_text
BEGIN
    INSERT INTO settings_search (settings_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO settings_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER settings_search_delete AFTER DELETE ON settings
BEGIN
    INSERT INTO settings_search (settings_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER settings_search_delete;
DROP TRIGGER settings_search_update;
DROP TRIGGER settings_search_insert;
DROP TABLE settings_search;
CREATE INDEX settings_postcode ON settings (postcode);
