-- Public search on SQLite: FTS5 with the trigram tokenizer (finds Chinese and
-- any other script without word breaks; LIKE '%..%' uses it), kept in step
-- with info_search by triggers.
CREATE VIRTUAL TABLE info_fts USING fts5(doc, content='info_search', content_rowid='id', tokenize='trigram');
CREATE TRIGGER info_fts_ai AFTER INSERT ON info_search BEGIN
    INSERT INTO info_fts (rowid, doc) VALUES (new.id, new.doc);
END;
CREATE TRIGGER info_fts_ad AFTER DELETE ON info_search BEGIN
    INSERT INTO info_fts (info_fts, rowid, doc) VALUES ('delete', old.id, old.doc);
END;
CREATE TRIGGER info_fts_au AFTER UPDATE OF doc ON info_search BEGIN
    INSERT INTO info_fts (info_fts, rowid, doc) VALUES ('delete', old.id, old.doc);
    INSERT INTO info_fts (rowid, doc) VALUES (new.id, new.doc);
END;
