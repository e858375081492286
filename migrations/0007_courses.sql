-- 0007_courses: courses of the plan's training paths (src/courses/) — Italian
-- L2 for adults and pupils, orientation, operators' and mediators' training —
-- with their sessions, enrolments (waiting list, entry and exit levels, the
-- project they count for), attendance marks and certificates.
-- Portable SQL (SQLite and PostgreSQL). Dates TEXT 'YYYY-MM-DD'; times of the
-- day in minutes; instants BIGINT Unix seconds UTC.

-- A course organised by an organisation of the network (school, CPIA,
-- cooperative, district).
CREATE TABLE course (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('italian_l2', 'literacy', 'italian_work', 'pupils_l2', 'summer_support',
        'civic_orientation', 'job_orientation', 'operator_training', 'mediator_training', 'experiential')),
    audience TEXT NOT NULL CHECK (audience IN ('adults', 'women', 'pupils', 'operators', 'mediators')),
    target_level TEXT,                               -- CEFR 'pre-A1', 'A1' .. 'C2'
    hours INTEGER NOT NULL CHECK (hours > 0),
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    min_attendance_pct INTEGER NOT NULL DEFAULT 80 CHECK (min_attendance_pct BETWEEN 0 AND 100),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    place TEXT,
    childcare INTEGER NOT NULL DEFAULT 0,            -- childcare offered during the lessons
    evening INTEGER NOT NULL DEFAULT 0,
    online INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX course_org ON course (org_id, start_date);

-- A lesson of a course. A moved or cancelled session keeps its marks.
CREATE TABLE course_session (
    id {{id}},
    course_id BIGINT NOT NULL REFERENCES course(id),
    date TEXT NOT NULL,
    start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 720),
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX course_session_course ON course_session (course_id, date, start_min);
CREATE INDEX course_session_date ON course_session (date);

-- A person (the help desk's record) in a course: enrolled, or waiting for a
-- place, or withdrawn with a reason. The same person once per course.
CREATE TABLE course_enrolment (
    id {{id}},
    course_id BIGINT NOT NULL REFERENCES course(id),
    person_id BIGINT NOT NULL REFERENCES person(id),
    project_id BIGINT REFERENCES project(id),         -- the project it counts for (resolved at creation)
    status TEXT NOT NULL CHECK (status IN ('enrolled', 'waiting', 'withdrawn')),
    entry_level TEXT,
    exit_level TEXT,
    withdrawal_reason TEXT,
    school_class TEXT,                                -- pupils: their class ("2B")
    guardian_name TEXT,                               -- pupils: the guardian to contact
    guardian_phone TEXT,
    guardian_consent INTEGER NOT NULL DEFAULT 0,      -- pupils: the guardian agreed to the enrolment
    withdrawn_at BIGINT,
    enrolled_at BIGINT,                               -- when the place was given (NULL while waiting)
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (course_id, person_id)
);
CREATE INDEX course_enrolment_person ON course_enrolment (person_id);
CREATE INDEX course_enrolment_project ON course_enrolment (project_id);

-- One mark per learner and session.
CREATE TABLE course_attendance (
    session_id BIGINT NOT NULL REFERENCES course_session(id),
    enrolment_id BIGINT NOT NULL REFERENCES course_enrolment(id),
    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
    marked_by BIGINT REFERENCES app_user(id),
    marked_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, enrolment_id)
);
CREATE INDEX course_attendance_enrolment ON course_attendance (enrolment_id);

-- A certificate issued once per enrolment; its code is what /verify/{code}
-- answers, with the learner's initials only.
CREATE TABLE course_certificate (
    id {{id}},
    enrolment_id BIGINT NOT NULL UNIQUE REFERENCES course_enrolment(id),
    code TEXT NOT NULL UNIQUE,
    initials TEXT NOT NULL,
    hours_attended INTEGER NOT NULL,
    level TEXT,
    issued_by BIGINT REFERENCES app_user(id),
    issued_at BIGINT NOT NULL
);

-- School support that is not a course: one record per pupil and activity
-- (first-months reception, L2 laboratory, summer support, school-family
-- meeting, intercultural laboratory), kept by the school; the early-leaving
-- watch list is computed from them.
CREATE TABLE school_support (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),        -- the school
    person_id BIGINT NOT NULL REFERENCES person(id),  -- the pupil
    kind TEXT NOT NULL CHECK (kind IN ('reception', 'l2_lab', 'summer_support', 'family_meeting', 'intercultural_lab')),
    date TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 720),
    attended INTEGER NOT NULL DEFAULT 1,              -- 0: the pupil missed it
    notes TEXT,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX school_support_person ON school_support (person_id, date);
CREATE INDEX school_support_org ON school_support (org_id, date);

-- A mediator's internship (the training path of intercultural mediators):
-- the trainee from the district's register, the host organisation, the
-- tutor, hours required and done, the evaluation; completion adds it to the
-- mediator's training in the register.
CREATE TABLE course_internship (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),         -- the mediator's district
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    host_org_id BIGINT NOT NULL REFERENCES org(id),
    tutor TEXT NOT NULL,
    hours_required INTEGER NOT NULL CHECK (hours_required > 0),
    hours_done INTEGER NOT NULL DEFAULT 0 CHECK (hours_done >= 0),
    evaluation TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
    completed_on TEXT,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX course_internship_org ON course_internship (org_id);
CREATE INDEX course_internship_mediator ON course_internship (mediator_id);
