-- 0011_budget (SQLite part): existing mediation requests belong to the
-- project of their district whose dates hold their start's date. SQLite
-- has no Rome time zone: the date is taken in UTC, which is Rome's date for
-- every start from 02:00 to midnight (mediations start in the daytime).
UPDATE mediation_request SET project_id = (
    SELECT p.id FROM project p JOIN org po ON po.id = p.org_id JOIN org a ON a.id = mediation_request.org_id
    WHERE po.kind = 'ambito' AND substr(a.path, 1, length(po.path)) = po.path
      AND (p.start_date IS NULL OR p.start_date <= date(mediation_request.start_at, 'unixepoch'))
      AND (p.end_date IS NULL OR p.end_date >= date(mediation_request.start_at, 'unixepoch'))
    ORDER BY p.start_date DESC, p.id DESC LIMIT 1)
WHERE project_id IS NULL;
