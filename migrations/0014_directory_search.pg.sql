-- The services' search text on PostgreSQL: words separated by single
-- spaces after a leading one (as the server now writes it), so a search
-- word is LIKE '% word%', the words it begins; a trigram GIN index serves
-- those patterns where pg_trgm can be used (installed, or creatable by this
-- role); where it cannot, the search scans dir_service and the migration
-- still succeeds.
UPDATE dir_service SET search_text = ' ' || btrim(regexp_replace(lower(name || ' ' || description), '[^[:alnum:]]+', ' ', 'g'));
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX dir_service_search_trgm ON dir_service USING gin (search_text gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'directory: pg_trgm is not available, the search scans dir_service';
END
$$;
