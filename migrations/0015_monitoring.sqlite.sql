-- 0015_monitoring (SQLite): the triggers marking what the indicators' summaries
-- must recompute (see 0015_monitoring.sql). One rule per table and event, the same on both engines.

CREATE TRIGGER mon_consultation_insert AFTER INSERT ON consultation BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_contact (org_id, period) VALUES (NEW.org_id, substr(NEW.date, 1, 4) || CASE WHEN substr(NEW.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
END;

CREATE TRIGGER mon_consultation_update AFTER UPDATE ON consultation BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_contact (org_id, period) VALUES (OLD.org_id, substr(OLD.date, 1, 4) || CASE WHEN substr(OLD.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
    INSERT OR IGNORE INTO mon_dirty_contact (org_id, period) VALUES (NEW.org_id, substr(NEW.date, 1, 4) || CASE WHEN substr(NEW.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
END;

CREATE TRIGGER mon_consultation_delete AFTER DELETE ON consultation BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_contact (org_id, period) VALUES (OLD.org_id, substr(OLD.date, 1, 4) || CASE WHEN substr(OLD.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
END;

CREATE TRIGGER mon_consultation_topic_insert AFTER INSERT ON consultation_topic BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT c.person_id FROM consultation c WHERE c.id = NEW.consultation_id AND c.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_contact (org_id, period) SELECT c.org_id, substr(c.date, 1, 4) || CASE WHEN substr(c.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END FROM consultation c WHERE c.id = NEW.consultation_id;
END;

CREATE TRIGGER mon_consultation_topic_delete AFTER DELETE ON consultation_topic BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT c.person_id FROM consultation c WHERE c.id = OLD.consultation_id AND c.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_contact (org_id, period) SELECT c.org_id, substr(c.date, 1, 4) || CASE WHEN substr(c.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END FROM consultation c WHERE c.id = OLD.consultation_id;
END;

CREATE TRIGGER mon_desk_procedure_insert AFTER INSERT ON desk_procedure BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL;
END;

CREATE TRIGGER mon_desk_procedure_update AFTER UPDATE ON desk_procedure BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL;
END;

CREATE TRIGGER mon_desk_procedure_delete AFTER DELETE ON desk_procedure BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL;
END;

CREATE TRIGGER mon_course_enrolment_insert AFTER INSERT ON course_enrolment BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL;
END;

CREATE TRIGGER mon_course_enrolment_update AFTER UPDATE ON course_enrolment BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL;
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL;
END;

CREATE TRIGGER mon_course_enrolment_delete AFTER DELETE ON course_enrolment BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL;
END;

CREATE TRIGGER mon_course_update AFTER UPDATE OF kind, start_date, org_id ON course BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) SELECT e.person_id FROM course_enrolment e WHERE e.course_id = NEW.id;
END;

CREATE TRIGGER mon_person_update AFTER UPDATE OF sex, birth_date, age_band_first, status ON person BEGIN
    INSERT OR IGNORE INTO mon_dirty_person (person_id) VALUES (NEW.id);
END;

CREATE TRIGGER mon_project_insert AFTER INSERT ON project BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
END;

CREATE TRIGGER mon_project_update AFTER UPDATE OF org_id, start_date, end_date ON project BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
END;

CREATE TRIGGER mon_project_delete AFTER DELETE ON project BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
END;

CREATE TRIGGER mon_org_update AFTER UPDATE OF path, kind, parent_id ON org BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
END;

CREATE TRIGGER mon_mediation_request_insert AFTER INSERT ON mediation_request BEGIN
    INSERT INTO mon_dirty_med (org_id, period) VALUES (NEW.org_id, substr(date(NEW.start_at, 'unixepoch'), 1, 4) || CASE WHEN substr(date(NEW.start_at, 'unixepoch'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
END;

CREATE TRIGGER mon_mediation_request_update AFTER UPDATE ON mediation_request BEGIN
    INSERT INTO mon_dirty_med (org_id, period) VALUES (OLD.org_id, substr(date(OLD.start_at, 'unixepoch'), 1, 4) || CASE WHEN substr(date(OLD.start_at, 'unixepoch'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
    INSERT INTO mon_dirty_med (org_id, period) VALUES (NEW.org_id, substr(date(NEW.start_at, 'unixepoch'), 1, 4) || CASE WHEN substr(date(NEW.start_at, 'unixepoch'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
END;

CREATE TRIGGER mon_mediation_request_delete AFTER DELETE ON mediation_request BEGIN
    INSERT INTO mon_dirty_med (org_id, period) VALUES (OLD.org_id, substr(date(OLD.start_at, 'unixepoch'), 1, 4) || CASE WHEN substr(date(OLD.start_at, 'unixepoch'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
END;
