-- 0014_directory_search: an index for the HSDS ?search= of the directory's
-- services (each word of the search in search_text, the lower-cased name
-- and description); the engine parts build it: FTS5 over the words on
-- SQLite (a search word matches the words it begins), pg_trgm on PostgreSQL
-- where the extension can be used (a search word matches anywhere).
SELECT 1;
