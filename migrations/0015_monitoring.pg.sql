-- 0015_monitoring (PostgreSQL): the triggers marking what the indicators' summaries
-- must recompute (see 0015_monitoring.sql). One rule per table and event, the same on both engines.

CREATE FUNCTION mon_consultation_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_contact (org_id, period) VALUES (NEW.org_id, substr(NEW.date, 1, 4) || CASE WHEN substr(NEW.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END) ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_consultation_insert AFTER INSERT ON consultation FOR EACH ROW EXECUTE FUNCTION mon_consultation_insert();

CREATE FUNCTION mon_consultation_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_contact (org_id, period) VALUES (OLD.org_id, substr(OLD.date, 1, 4) || CASE WHEN substr(OLD.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END) ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_contact (org_id, period) VALUES (NEW.org_id, substr(NEW.date, 1, 4) || CASE WHEN substr(NEW.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END) ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_consultation_update AFTER UPDATE ON consultation FOR EACH ROW EXECUTE FUNCTION mon_consultation_update();

CREATE FUNCTION mon_consultation_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_contact (org_id, period) VALUES (OLD.org_id, substr(OLD.date, 1, 4) || CASE WHEN substr(OLD.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END) ON CONFLICT DO NOTHING;
    RETURN OLD;
END
$$;
CREATE TRIGGER mon_consultation_delete AFTER DELETE ON consultation FOR EACH ROW EXECUTE FUNCTION mon_consultation_delete();

CREATE FUNCTION mon_consultation_topic_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT c.person_id FROM consultation c WHERE c.id = NEW.consultation_id AND c.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_contact (org_id, period) SELECT c.org_id, substr(c.date, 1, 4) || CASE WHEN substr(c.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END FROM consultation c WHERE c.id = NEW.consultation_id ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_consultation_topic_insert AFTER INSERT ON consultation_topic FOR EACH ROW EXECUTE FUNCTION mon_consultation_topic_insert();

CREATE FUNCTION mon_consultation_topic_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT c.person_id FROM consultation c WHERE c.id = OLD.consultation_id AND c.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_contact (org_id, period) SELECT c.org_id, substr(c.date, 1, 4) || CASE WHEN substr(c.date, 6, 2) <= '06' THEN '-S1' ELSE '-S2' END FROM consultation c WHERE c.id = OLD.consultation_id ON CONFLICT DO NOTHING;
    RETURN OLD;
END
$$;
CREATE TRIGGER mon_consultation_topic_delete AFTER DELETE ON consultation_topic FOR EACH ROW EXECUTE FUNCTION mon_consultation_topic_delete();

CREATE FUNCTION mon_desk_procedure_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_desk_procedure_insert AFTER INSERT ON desk_procedure FOR EACH ROW EXECUTE FUNCTION mon_desk_procedure_insert();

CREATE FUNCTION mon_desk_procedure_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_desk_procedure_update AFTER UPDATE ON desk_procedure FOR EACH ROW EXECUTE FUNCTION mon_desk_procedure_update();

CREATE FUNCTION mon_desk_procedure_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    RETURN OLD;
END
$$;
CREATE TRIGGER mon_desk_procedure_delete AFTER DELETE ON desk_procedure FOR EACH ROW EXECUTE FUNCTION mon_desk_procedure_delete();

CREATE FUNCTION mon_course_enrolment_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_course_enrolment_insert AFTER INSERT ON course_enrolment FOR EACH ROW EXECUTE FUNCTION mon_course_enrolment_insert();

CREATE FUNCTION mon_course_enrolment_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO mon_dirty_person (person_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_course_enrolment_update AFTER UPDATE ON course_enrolment FOR EACH ROW EXECUTE FUNCTION mon_course_enrolment_update();

CREATE FUNCTION mon_course_enrolment_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL ON CONFLICT DO NOTHING;
    RETURN OLD;
END
$$;
CREATE TRIGGER mon_course_enrolment_delete AFTER DELETE ON course_enrolment FOR EACH ROW EXECUTE FUNCTION mon_course_enrolment_delete();

CREATE FUNCTION mon_course_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) SELECT e.person_id FROM course_enrolment e WHERE e.course_id = NEW.id ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_course_update AFTER UPDATE OF kind, start_date, org_id ON course FOR EACH ROW EXECUTE FUNCTION mon_course_update();

CREATE FUNCTION mon_person_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_person (person_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_person_update AFTER UPDATE OF sex, birth_date, age_band_first, status ON person FOR EACH ROW EXECUTE FUNCTION mon_person_update();

CREATE FUNCTION mon_project_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_project_insert AFTER INSERT ON project FOR EACH ROW EXECUTE FUNCTION mon_project_insert();

CREATE FUNCTION mon_project_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_project_update AFTER UPDATE OF org_id, start_date, end_date ON project FOR EACH ROW EXECUTE FUNCTION mon_project_update();

CREATE FUNCTION mon_project_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
    RETURN OLD;
END
$$;
CREATE TRIGGER mon_project_delete AFTER DELETE ON project FOR EACH ROW EXECUTE FUNCTION mon_project_delete();

CREATE FUNCTION mon_org_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mon_state SET rebuild = 1 WHERE rebuild = 0;
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_org_update AFTER UPDATE OF path, kind, parent_id ON org FOR EACH ROW EXECUTE FUNCTION mon_org_update();

CREATE FUNCTION mon_mediation_request_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_med (org_id, period) VALUES (NEW.org_id, substr(to_char(to_timestamp(NEW.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1, 4) || CASE WHEN substr(to_char(to_timestamp(NEW.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_mediation_request_insert AFTER INSERT ON mediation_request FOR EACH ROW EXECUTE FUNCTION mon_mediation_request_insert();

CREATE FUNCTION mon_mediation_request_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_med (org_id, period) VALUES (OLD.org_id, substr(to_char(to_timestamp(OLD.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1, 4) || CASE WHEN substr(to_char(to_timestamp(OLD.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
    INSERT INTO mon_dirty_med (org_id, period) VALUES (NEW.org_id, substr(to_char(to_timestamp(NEW.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1, 4) || CASE WHEN substr(to_char(to_timestamp(NEW.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
    RETURN NEW;
END
$$;
CREATE TRIGGER mon_mediation_request_update AFTER UPDATE ON mediation_request FOR EACH ROW EXECUTE FUNCTION mon_mediation_request_update();

CREATE FUNCTION mon_mediation_request_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mon_dirty_med (org_id, period) VALUES (OLD.org_id, substr(to_char(to_timestamp(OLD.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1, 4) || CASE WHEN substr(to_char(to_timestamp(OLD.start_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 6, 2) <= '06' THEN '-S1' ELSE '-S2' END);
    RETURN OLD;
END
$$;
CREATE TRIGGER mon_mediation_request_delete AFTER DELETE ON mediation_request FOR EACH ROW EXECUTE FUNCTION mon_mediation_request_delete();
