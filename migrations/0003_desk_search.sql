-- 0003_desk_search: the retention rule's query (active persons by last contact).
CREATE INDEX person_status_contact ON person (status, last_contact_at);
