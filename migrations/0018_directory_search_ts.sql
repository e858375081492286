-- 0018_directory_search_ts: on PostgreSQL the HSDS ?search= looks each word
-- up in a GIN index of the words of search_text (see the .pg.sql part);
-- SQLite keeps its FTS5 index of 0014. Nothing portable to do.
SELECT 1;
