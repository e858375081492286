-- 0014_directory_search: the HSDS ?search= of the directory's services
-- looks up the words of search_text (the lower-cased name and description):
-- a search word matches the words it begins ("media" finds "mediazione").
-- The engine parts build the index: FTS5 on SQLite, words spaced for LIKE
-- (with pg_trgm's index where it can be used) on PostgreSQL.
SELECT 1;
