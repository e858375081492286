-- The keys of the persons already there (tokens made of digits, 'x', rest).
WITH RECURSIVE split(id, tok, rest) AS (
    SELECT id, '', search_doc || ' ' FROM person WHERE search_doc <> ''
    UNION ALL
    SELECT id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO person_key (k, person_id)
    SELECT tok, id FROM split
    WHERE instr(tok, 'x') > 1 AND substr(tok, 1, instr(tok, 'x') - 1) NOT GLOB '*[^0-9]*';
