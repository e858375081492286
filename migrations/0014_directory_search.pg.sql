-- The services' search text on PostgreSQL: its words as a stored tsvector
-- (text search with the 'simple' configuration: no stemming, no stop words)
-- under a GIN index, so each search word is a prefix query ('media:*')
-- looking up only the services holding it, never re-parsing their text.
ALTER TABLE dir_service ADD COLUMN search_words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX dir_service_search_words ON dir_service USING gin (search_words);
