-- 0012_course_teachers: the teachers assigned by name to a course (teacher
-- accounts of the course's organisation or of one containing it). A teacher
-- manages the courses they are assigned to; coordinators manage every course
-- of their subtree.
CREATE TABLE course_teacher (
    course_id BIGINT NOT NULL REFERENCES course(id),
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    assigned_by BIGINT REFERENCES app_user(id),
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_teacher_user ON course_teacher (user_id);
