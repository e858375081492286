-- Public search on PostgreSQL: ILIKE over info_search (any script, Chinese
-- included). Where the pg_trgm extension can be used (installed, or
-- creatable by this role), a trigram GIN index serves the ILIKE; where it
-- cannot, the search scans info_search (a few rows per material) and the
-- migration still succeeds: an extension is the DBA's choice, not a
-- condition for running.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX info_search_trgm ON info_search USING gin (doc gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'info: pg_trgm is not available, the public search scans info_search';
END
$$;
