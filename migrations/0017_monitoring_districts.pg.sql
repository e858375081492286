-- 0017_monitoring_districts (PostgreSQL): the project and organisation
-- triggers' functions mark organisations instead of asking for a rebuild.
-- A project counts for attribution only when its organisation is a district.
CREATE OR REPLACE FUNCTION mon_project_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_org (org_id) SELECT id FROM org WHERE id = NEW.org_id AND kind = 'ambito';
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION mon_project_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.start_date IS DISTINCT FROM NEW.start_date
       OR OLD.end_date IS DISTINCT FROM NEW.end_date THEN
        INSERT INTO mon_dirty_org (org_id) SELECT id FROM org WHERE id IN (OLD.org_id, NEW.org_id) AND kind = 'ambito';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION mon_project_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_org (org_id) SELECT id FROM org WHERE id = OLD.org_id AND kind = 'ambito';
    RETURN OLD;
END
$$;

CREATE OR REPLACE FUNCTION mon_org_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.path IS DISTINCT FROM NEW.path OR OLD.kind IS DISTINCT FROM NEW.kind
       OR OLD.parent_id IS DISTINCT FROM NEW.parent_id THEN
        INSERT INTO mon_dirty_org (org_id) VALUES (NEW.id);
    END IF;
    RETURN NEW;
END
$$;
