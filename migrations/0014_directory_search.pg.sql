-- The services' search text on PostgreSQL: a trigram GIN index serves
-- LIKE '%word%' where pg_trgm can be used (installed, or creatable by this
-- role); where it cannot, the search scans dir_service and the migration
-- still succeeds.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX dir_service_search_trgm ON dir_service USING gin (search_text gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'directory: pg_trgm is not available, the search scans dir_service';
END
$$;
