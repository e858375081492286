-- Name search on PostgreSQL, stored: the tsvector is a generated column, so
-- the GIN index's rechecks read it instead of running to_tsvector per row.
ALTER TABLE person ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_doc)) STORED;
DROP INDEX person_search;
CREATE INDEX person_search_tsv ON person USING gin (search_tsv);
