-- Byte order for the prefix ranges; the keys of the persons already there;
-- the text-search index of earlier versions is no longer used.
ALTER TABLE person_key ALTER COLUMN k TYPE TEXT COLLATE "C";
INSERT INTO person_key (k, person_id)
    SELECT DISTINCT t, p.id FROM person p, unnest(string_to_array(p.search_doc, ' ')) AS t
    WHERE t ~ '^[0-9]+x';
DROP INDEX IF EXISTS person_search;
DROP INDEX IF EXISTS person_search_tsv;
ALTER TABLE person DROP COLUMN IF EXISTS search_tsv;
