-- 0017_monitoring_districts (SQLite): the project and organisation triggers
-- mark organisations instead of asking for a rebuild. A project counts for
-- attribution only when its organisation is a district (kind ambito).
DROP TRIGGER mon_project_insert;
DROP TRIGGER mon_project_update;
DROP TRIGGER mon_project_delete;
DROP TRIGGER mon_org_update;

CREATE TRIGGER mon_project_insert AFTER INSERT ON project BEGIN
    INSERT INTO mon_dirty_org (org_id) SELECT id FROM org WHERE id = NEW.org_id AND kind = 'ambito';
END;

CREATE TRIGGER mon_project_update AFTER UPDATE OF org_id, start_date, end_date ON project
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date BEGIN
    INSERT INTO mon_dirty_org (org_id) SELECT id FROM org WHERE id IN (OLD.org_id, NEW.org_id) AND kind = 'ambito';
END;

CREATE TRIGGER mon_project_delete AFTER DELETE ON project BEGIN
    INSERT INTO mon_dirty_org (org_id) SELECT id FROM org WHERE id = OLD.org_id AND kind = 'ambito';
END;

CREATE TRIGGER mon_org_update AFTER UPDATE OF path, kind, parent_id ON org
WHEN OLD.path IS NOT NEW.path OR OLD.kind IS NOT NEW.kind OR OLD.parent_id IS NOT NEW.parent_id BEGIN
    INSERT INTO mon_dirty_org (org_id) VALUES (NEW.id);
END;
