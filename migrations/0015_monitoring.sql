-- 0015_monitoring: what makes the regional indicators fast while they stay
-- computed from the records. Summaries the indicators read, kept exact by
-- refreshing at each read what changed since the last one:
-- * triggers (engine parts) mark what a write touched: the person whose
--   activities changed, the (district, semester) bucket of a consultation,
--   or, when a project or the tree changes (attribution by district and
--   date moves), everything;
-- * the first read after writes (src/monitoring/store_summary.c) recomputes
--   those persons and buckets from the records, in one transaction, then
--   reads the summaries.
-- A period is '' (the whole life of the project) or a semester 'YYYY-S1'
-- (January-June) / 'YYYY-S2' (July-December).

-- A person's participation in a project: band is the age band at the first
-- activity in the project, flags a bit per indicator (1 any, 2 language
-- course, 4 civic orientation, 8 job orientation, 16 family reunification,
-- 32 CEFR level gained, 64 EU long-term, 128 operators'/mediators' training).
CREATE TABLE mon_part (
    person_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    sex TEXT NOT NULL,
    band TEXT NOT NULL,
    flags INTEGER NOT NULL,
    PRIMARY KEY (person_id, project_id, period)
);
CREATE INDEX mon_part_key ON mon_part (project_id, period);

-- The participations counted per project, period, sex and band.
CREATE TABLE mon_count (
    project_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    sex TEXT NOT NULL,
    band TEXT NOT NULL,
    n_any BIGINT NOT NULL,
    n_lang BIGINT NOT NULL,
    n_civic BIGINT NOT NULL,
    n_job BIGINT NOT NULL,
    n_fr BIGINT NOT NULL,
    n_gain BIGINT NOT NULL,
    n_eult BIGINT NOT NULL,
    n_train BIGINT NOT NULL,
    PRIMARY KEY (project_id, period, sex, band)
);

-- Consultations (anonymous included) per district bucket, project and topic
-- ('' = all topics: the number of consultations).
CREATE TABLE mon_contact (
    org_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    project_id BIGINT NOT NULL,
    topic TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, period, project_id, topic)
);
CREATE INDEX mon_contact_project ON mon_contact (project_id, period);
-- A district's consultations of a semester, read from the index alone when
-- a bucket is recounted.
CREATE INDEX mon_consultation_bucket ON consultation (org_id, date, project_id, id);

-- Minutes of mediation done per district bucket, project, domain and
-- language (the semester of the request's day, UTC).
CREATE TABLE mon_med (
    org_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    project_id BIGINT NOT NULL,
    domain TEXT NOT NULL,
    language TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    PRIMARY KEY (org_id, period, project_id, domain, language)
);
CREATE INDEX mon_med_project ON mon_med (project_id, period);

-- What changed since the last refresh. No unique key: a mark may repeat (a
-- refresh takes each once), so copying a database between engines
-- (migrate-data), whose inserts fire the triggers, never conflicts.
CREATE TABLE mon_dirty_person (person_id BIGINT NOT NULL);
CREATE INDEX mon_dirty_person_id ON mon_dirty_person (person_id);
CREATE TABLE mon_dirty_contact (org_id BIGINT NOT NULL, period TEXT NOT NULL);
CREATE INDEX mon_dirty_contact_key ON mon_dirty_contact (org_id, period);
CREATE TABLE mon_dirty_med (org_id BIGINT NOT NULL, period TEXT NOT NULL);
-- What a refresh is working on, taken out of the marks above (emptied by
-- each refresh; marks made meanwhile stay for the next one).
CREATE TABLE mon_work_person (person_id BIGINT PRIMARY KEY);
CREATE TABLE mon_work_contact (org_id BIGINT NOT NULL, period TEXT NOT NULL, PRIMARY KEY (org_id, period));
CREATE TABLE mon_work_med (org_id BIGINT NOT NULL, period TEXT NOT NULL, PRIMARY KEY (org_id, period));
-- The (project, period) keys a refresh recounts (emptied by each refresh).
CREATE TABLE mon_keys (project_id BIGINT NOT NULL, period TEXT NOT NULL, PRIMARY KEY (project_id, period));
-- At most one row: rebuild = 1 when everything must be recomputed; no row
-- (a new database) means the same. Written by the first refresh, so a new
-- database stays empty for migrate-data.
CREATE TABLE mon_state (id INTEGER PRIMARY KEY, rebuild INTEGER NOT NULL, refreshed_at BIGINT NOT NULL);
