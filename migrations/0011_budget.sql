-- 0011_budget: governance as a module of its own — the targets of a
-- project's actions, its network of partners, its budget lines and the
-- expenses booked on them (with their supporting document), the history of
-- its submissions to the region, and the late corrections made after the
-- region reopened an approved period.
ALTER TABLE action ADD COLUMN target_participants BIGINT;
ALTER TABLE action ADD COLUMN target_hours BIGINT;
ALTER TABLE action ADD COLUMN target_materials BIGINT;

-- Partners of a project's network (its lead is the project's organisation).
CREATE TABLE project_partner (
    id {{id}},
    project_id BIGINT NOT NULL REFERENCES project(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    added_at BIGINT NOT NULL,
    UNIQUE (project_id, org_id)
);

-- A line of a project's budget: a category, optionally under one action.
CREATE TABLE budget_line (
    id {{id}},
    project_id BIGINT NOT NULL REFERENCES project(id),
    action_id BIGINT REFERENCES action(id),
    category TEXT NOT NULL,
    label TEXT,
    planned_cents BIGINT NOT NULL CHECK (planned_cents >= 0),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX budget_line_project ON budget_line (project_id);

-- An expense booked on a budget line, with the document that supports it
-- (stored in the one documents folder under a random name). late = 1: made
-- in a period the region had approved and then reopened (a late correction).
CREATE TABLE expense (
    id {{id}},
    project_id BIGINT NOT NULL REFERENCES project(id),
    budget_line_id BIGINT NOT NULL REFERENCES budget_line(id),
    date TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    description TEXT NOT NULL,
    supplier TEXT,
    doc_title TEXT,
    doc_filename TEXT,
    doc_type TEXT,
    doc_size BIGINT,
    doc_sha256 TEXT,
    doc_storage TEXT,
    late INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX expense_project ON expense (project_id, date);
CREATE INDEX expense_line ON expense (budget_line_id);

-- An approved period the region reopened (with its reason) is unlocked
-- until the region approves it again; changes meanwhile are late
-- corrections.
ALTER TABLE project_submission ADD COLUMN reopened_at BIGINT;
ALTER TABLE project_submission ADD COLUMN reopen_reason TEXT;

-- What happened to a submission, in order: submitted, returned (with the
-- region's comment), approved, reopened (with its reason).
CREATE TABLE submission_event (
    id {{id}},
    submission_id BIGINT NOT NULL REFERENCES project_submission(id),
    action TEXT NOT NULL CHECK (action IN ('submitted', 'returned', 'approved', 'reopened')),
    comment TEXT,
    user_id BIGINT,
    at BIGINT NOT NULL
);
CREATE INDEX submission_event_of ON submission_event (submission_id, id);

-- A change of an activity dated inside a reopened period: which period,
-- the activity's date and the field that named it (date, opened_on, ...).
CREATE TABLE late_correction (
    id {{id}},
    submission_id BIGINT NOT NULL REFERENCES project_submission(id),
    activity_date TEXT NOT NULL,
    field TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX late_correction_of ON late_correction (submission_id, id);

-- Existing consultations and procedures belong to the project of their
-- district whose dates hold their date (the rule of gov_project_for).
UPDATE consultation SET project_id = (
    SELECT p.id FROM project p JOIN org po ON po.id = p.org_id JOIN org a ON a.id = consultation.org_id
    WHERE po.kind = 'ambito' AND substr(a.path, 1, length(po.path)) = po.path
      AND (p.start_date IS NULL OR p.start_date <= consultation.date)
      AND (p.end_date IS NULL OR p.end_date >= consultation.date)
    ORDER BY p.start_date DESC, p.id DESC LIMIT 1)
WHERE project_id IS NULL;
UPDATE desk_procedure SET project_id = (
    SELECT p.id FROM project p JOIN org po ON po.id = p.org_id JOIN org a ON a.id = desk_procedure.org_id
    WHERE po.kind = 'ambito' AND substr(a.path, 1, length(po.path)) = po.path
      AND (p.start_date IS NULL OR p.start_date <= desk_procedure.opened_on)
      AND (p.end_date IS NULL OR p.end_date >= desk_procedure.opened_on)
    ORDER BY p.start_date DESC, p.id DESC LIMIT 1)
WHERE project_id IS NULL;
