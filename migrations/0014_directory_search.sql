-- 0014_directory_search: an index of the words of the directory's services
-- for the HSDS ?search= (search_text, the lower-cased name and
-- description): a search word matches the words it begins ("media" finds
-- "mediazione"). The engine parts build it: FTS5 on SQLite, a GIN text
-- search index on PostgreSQL.
SELECT 1;
