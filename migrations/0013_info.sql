-- 0013_info: qualified information, second part (src/info/) — attachments
-- of a material per language, the review-by reminder's ledger, newsletter
-- issues with their sending job, and the contacts and office hours of every
-- desk and office. Portable SQL.

-- A file attached to a material in one language ('it' for the source's).
-- The bytes live under the one documents folder (as the desk's documents),
-- by a random name; the type is sniffed from the content.
CREATE TABLE info_attachment (
    id {{id}},
    material_id BIGINT NOT NULL REFERENCES info_material(id),
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX info_attachment_material ON info_attachment (material_id, lang);

-- The review-by date an editor was last reminded of (so once per date).
ALTER TABLE info_material ADD COLUMN reminded_for TEXT;

-- A newsletter issue: composed by an editor of a district from notices,
-- materials and events (item lists as JSON arrays of ids), then sent once.
-- The sending is a job: one outbox message per confirmed subscriber, queued
-- in one transaction (ref 'issue:<id>'); the counts come from the outbox.
CREATE TABLE info_issue (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    subject TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    notice_ids TEXT NOT NULL DEFAULT '[]',
    material_ids TEXT NOT NULL DEFAULT '[]',
    event_ids TEXT NOT NULL DEFAULT '[]',
    translations TEXT NOT NULL DEFAULT '{}',  -- {"ar": {"subject","intro"}, ...}: the editor's words per language
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
    recipients INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    sent_by BIGINT REFERENCES app_user(id),
    sent_at BIGINT
);
CREATE INDEX info_issue_org ON info_issue (org_id, id);
CREATE INDEX outbox_ref ON outbox (ref);

-- Contacts of a desk or office (one row an organisation).
CREATE TABLE info_contact (
    org_id BIGINT PRIMARY KEY REFERENCES org(id),
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    by_appointment INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES app_user(id),
    updated_at BIGINT NOT NULL
);

-- Weekly opening hours: weekday 1 (Monday) .. 7, 'HH:MM' local time; kind
-- 'open' or 'facilitation' (the weekly digital-facilitation afternoon).
CREATE TABLE info_hours (
    org_id BIGINT NOT NULL REFERENCES org(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('open', 'facilitation')),
    CHECK (closes > opens)
);
CREATE INDEX info_hours_org ON info_hours (org_id, weekday);
