-- Name search on PostgreSQL: a GIN index over the 'simple' text search
-- vector of person.search_doc (tokens are already folded in C, so no
-- dictionary or unaccent is needed); prefix queries use tsquery ':*'.
CREATE INDEX person_search ON person USING gin (to_tsvector('simple', search_doc));
