-- 0016_meetings: the meetings of the network (src/meetings/) — the tavolo
-- territoriale, ANCI Lombardia's laboratories, case meetings about a person
-- of the help desk, school contacts' meetings — with their invitees and
-- attendance, minutes, decisions followed up, and the documents library
-- (minutes' files, the laboratories' e-books); and attachments in the outbox
-- (an invitation's iCalendar file).
-- Portable SQL. Instants BIGINT Unix seconds UTC; dates TEXT 'YYYY-MM-DD'.

-- A meeting of a district (or of the region, for the laboratories).
-- A case meeting names the person it is about (personal data: scoped to the
-- district, every read and write audited).
CREATE TABLE meeting (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    kind TEXT NOT NULL CHECK (kind IN ('tavolo', 'lab', 'case', 'school')),
    title TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 720),
    place TEXT,
    agenda TEXT,
    series TEXT,                                     -- laboratories: the series they belong to
    person_id BIGINT REFERENCES person(id),          -- case meetings only
    project_id BIGINT REFERENCES project(id),        -- resolved at creation (governance.h)
    minutes_text TEXT,                               -- the minutes (verbale), plain text
    sequence INTEGER NOT NULL DEFAULT 0,             -- iCalendar revision
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((kind = 'case') = (person_id IS NOT NULL))
);
CREATE INDEX meeting_org ON meeting (org_id, start_at);
CREATE INDEX meeting_project ON meeting (project_id, start_at);

-- Who is invited: an account, or an organisation's e-mail; ikey ("u:<id>" or
-- "e:<address>") keeps each once. status NULL until attendance is taken.
CREATE TABLE meeting_invitee (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES meeting(id),
    ikey TEXT NOT NULL,
    user_id BIGINT REFERENCES app_user(id),
    org_id BIGINT REFERENCES org(id),                -- the organisation they come for
    name TEXT NOT NULL,
    email TEXT,
    status TEXT CHECK (status IN ('present', 'absent', 'excused')),
    invited_at BIGINT NOT NULL,
    marked_by BIGINT REFERENCES app_user(id),
    marked_at BIGINT,
    UNIQUE (meeting_id, ikey)
);

-- A decision of a meeting, with who follows it up and by when.
CREATE TABLE meeting_decision (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES meeting(id),
    text TEXT NOT NULL,
    owner_user_id BIGINT REFERENCES app_user(id),
    owner_name TEXT,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_at BIGINT,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meeting_decision_meeting ON meeting_decision (meeting_id);
CREATE INDEX meeting_decision_due ON meeting_decision (status, due_date);

-- A document: a file of a meeting's minutes (meeting_id set), or of the
-- library (e-books, guides), network-only (logged in) or public. The file
-- is `storage` under the one documents folder.
CREATE TABLE meeting_document (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    meeting_id BIGINT REFERENCES meeting(id),
    title TEXT NOT NULL,
    series TEXT,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('network', 'public')),
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX meeting_document_meeting ON meeting_document (meeting_id);
CREATE INDEX meeting_document_public ON meeting_document (visibility, id);

-- An attachment of an outbox message (an invitation's .ics), sent as a
-- second MIME part.
ALTER TABLE outbox ADD COLUMN attachment TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
