-- +goose Up
-- No query looks a setting up by its postcode (a postcode is searched as
-- words, below), and every import paid for keeping this index.
DROP INDEX settings_postcode;

-- Free-text search of the register: a trigram index of each setting's
-- search_text (name, URN, postcode, town, authority), so LIKE '%word%'
-- finds a word anywhere in it without reading every row. pg_trgm is a
-- trusted extension (any database owner may create it); it goes in
-- public, wherever the store's own schema is, and the index names its
-- operator class by the schema the extension is in. Where it cannot be
-- created (no privilege), the index is left out and searches read every
-- row, as before; they find the same settings either way.
-- +goose StatementBegin
DO $$
DECLARE
    ext_schema text;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION
        -- another schema's migration created it at the same moment
        WHEN unique_violation OR duplicate_object THEN NULL;
        WHEN insufficient_privilege OR invalid_schema_name THEN
            RAISE NOTICE 'pg_trgm not available: settings search will read every row';
    END;
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX settings_search ON settings USING gin (search_text %I.gin_trgm_ops)', ext_schema);
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS settings_search;
CREATE INDEX settings_postcode ON settings (postcode);
