-- The services' search text on SQLite: FTS5 over the words of search_text
-- (unicode61, diacritics folded, prefix indexes of 2 and 3 characters), so
-- each search word is a prefix query looking up only the services holding
-- it; kept in step with dir_service by triggers, and built for the services
-- already there.
CREATE VIRTUAL TABLE dir_service_fts USING fts5(search_text, content='dir_service', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE TRIGGER dir_service_fts_ai AFTER INSERT ON dir_service BEGIN
    INSERT INTO dir_service_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER dir_service_fts_ad AFTER DELETE ON dir_service BEGIN
    INSERT INTO dir_service_fts (dir_service_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER dir_service_fts_au AFTER UPDATE OF search_text ON dir_service BEGIN
    INSERT INTO dir_service_fts (dir_service_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO dir_service_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
INSERT INTO dir_service_fts (dir_service_fts) VALUES ('rebuild');
