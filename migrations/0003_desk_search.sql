-- 0003_desk_search: the stored search vector on PostgreSQL (see the .pg.sql
-- part); both engines: persons merged into another are found from it.
CREATE INDEX person_merged ON person (merged_into);
