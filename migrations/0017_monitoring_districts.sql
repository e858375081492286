-- 0017_monitoring_districts: a change of a project or of the organisation
-- tree no longer rebuilds every summary of 0015_monitoring. It marks the
-- organisations whose activities' attribution can change (a district's
-- project created, moved or deleted: that district; an organisation moved
-- or re-kinded: that organisation), and the next refresh recomputes only the
-- persons and buckets of the activities without project_id under them
-- (src/monitoring/store_summary.c). Engine parts: the triggers.
CREATE TABLE mon_dirty_org (org_id BIGINT NOT NULL);
CREATE INDEX mon_dirty_org_id ON mon_dirty_org (org_id);
-- What a refresh is working on: the marked organisations, and every
-- organisation of their subtrees (emptied by each refresh).
CREATE TABLE mon_work_org (org_id BIGINT PRIMARY KEY);
CREATE TABLE mon_work_sub (org_id BIGINT PRIMARY KEY);
-- The help desk's procedures of an organisation (a marked subtree's).
CREATE INDEX mon_procedure_org ON desk_procedure (org_id, project_id);
