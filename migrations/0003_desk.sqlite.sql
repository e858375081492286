-- Name search on SQLite: FTS5 over person.search_doc (external content),
-- kept in step by triggers. Prefix indexes make search-as-you-type cheap.
CREATE VIRTUAL TABLE person_fts USING fts5(search_doc, content='person', content_rowid='id', prefix='2 3 4');
CREATE TRIGGER person_fts_ai AFTER INSERT ON person BEGIN
    INSERT INTO person_fts (rowid, search_doc) VALUES (new.id, new.search_doc);
END;
CREATE TRIGGER person_fts_ad AFTER DELETE ON person BEGIN
    INSERT INTO person_fts (person_fts, rowid, search_doc) VALUES ('delete', old.id, old.search_doc);
END;
CREATE TRIGGER person_fts_au AFTER UPDATE OF search_doc ON person BEGIN
    INSERT INTO person_fts (person_fts, rowid, search_doc) VALUES ('delete', old.id, old.search_doc);
    INSERT INTO person_fts (rowid, search_doc) VALUES (new.id, new.search_doc);
END;
