-- The services' search text on PostgreSQL: a GIN index over its words
-- (text search with the 'simple' configuration: no stemming, no stop
-- words), so each search word is a prefix query ('media:*') looking up only
-- the services holding it.
CREATE INDEX dir_service_search_words ON dir_service USING gin (to_tsvector('simple', search_text));
