-- 0010_governance: every activity belongs to a project, and the periods the
-- region approves are locked.
-- An activity's project: given explicitly, or the project of its district
-- whose dates hold the activity's date (resolved when the activity is
-- written, so every figure counts from the records). Course enrolments carry
-- theirs since 0007.
ALTER TABLE project ADD COLUMN grant_cents BIGINT;
ALTER TABLE consultation ADD COLUMN project_id BIGINT REFERENCES project(id);
ALTER TABLE desk_procedure ADD COLUMN project_id BIGINT REFERENCES project(id);
ALTER TABLE mediation_request ADD COLUMN project_id BIGINT REFERENCES project(id);
CREATE INDEX consultation_project ON consultation (project_id, date);
CREATE INDEX desk_procedure_project ON desk_procedure (project_id, opened_on);
CREATE INDEX mediation_request_project ON mediation_request (project_id, start_at);

-- A semester of a project submitted by its district to the region.
-- period 'YYYY-S1' (1 January - 30 June) or 'YYYY-S2' (1 July - 31 December);
-- from_date / to_date spell it out. Approved: the period is locked.
CREATE TABLE project_submission (
    id {{id}},
    project_id BIGINT NOT NULL REFERENCES project(id),
    period TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'returned', 'approved')),
    comment TEXT,
    submitted_by BIGINT,
    submitted_at BIGINT NOT NULL,
    decided_by BIGINT,
    decided_at BIGINT,
    UNIQUE (project_id, period)
);
CREATE INDEX project_submission_lock ON project_submission (project_id, status, from_date);
