-- Public search on PostgreSQL: ILIKE over a pg_trgm GIN index (any script,
-- Chinese included).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX info_search_trgm ON info_search USING gin (doc gin_trgm_ops);
