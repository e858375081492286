-- 0003_desk_key: search keys, one row per district-prefixed token of a
-- person's search document ("4xmohamed", "4xpmhmd": organisation id, 'x',
-- folded word or phonetic key), written by the server with the person.
-- PostgreSQL answers a scoped prefix search from this b-tree alone (a range
-- per typed word, INTERSECT across words); SQLite uses its FTS5 index, and
-- keeps the keys too so that a copy between engines stays complete.
CREATE TABLE person_key (
    k TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES person(id),
    PRIMARY KEY (k, person_id)
);
CREATE INDEX person_key_person ON person_key (person_id);
