-- 0003_desk: the help desk (sportello immigrati): persons and what is held
-- about them, consultations, procedures from the rules file with their
-- deadlines, referrals, appointments, follow-ups, rule versions set by an
-- admin, and time-limited access grants (break-the-glass) for the region.
-- Every row holding personal data carries org_id: the desk (district or
-- partner) it belongs to, which is what scope checks use (org.path).

CREATE TABLE person (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('m', 'f', 'x')),
    birth_date TEXT,
    citizenship TEXT NOT NULL,
    codice_fiscale TEXT,
    phone TEXT,
    email TEXT,
    languages TEXT NOT NULL DEFAULT '',
    preferred_language TEXT,
    -- AMIF: the age band at first registration ('0-17', '18-60', '61+').
    age_band_first TEXT,
    -- Search tokens computed in C (folded and phonetic name keys, the
    -- organisation ancestors 'o<id>'); indexed by FTS5 / tsvector per engine.
    search_doc TEXT NOT NULL DEFAULT '',
    -- Phonetic family|given|birth date, for duplicate warnings.
    dup_key TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'anonymised')),
    merged_into BIGINT REFERENCES person(id),
    last_contact_at BIGINT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    anonymised_at BIGINT
);
CREATE INDEX person_org ON person (org_id, id);
CREATE INDEX person_dup ON person (dup_key);
CREATE INDEX person_cf ON person (codice_fiscale);
CREATE INDEX person_contact ON person (last_contact_at);

CREATE TABLE consent (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    kind TEXT NOT NULL,
    given_on TEXT NOT NULL,
    recorded_by BIGINT,
    recorded_at BIGINT NOT NULL,
    withdrawn_on TEXT,
    withdrawn_by BIGINT,
    note TEXT
);
CREATE INDEX consent_person ON consent (person_id);

CREATE TABLE household_link (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES person(id),
    other_id BIGINT NOT NULL REFERENCES person(id),
    relation TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (person_id, other_id)
);
CREATE INDEX household_other ON household_link (other_id);

CREATE TABLE permit (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    kind TEXT NOT NULL,
    number TEXT,
    issued_on TEXT,
    expiry TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX permit_person ON permit (person_id);
CREATE INDEX permit_expiry ON permit (expiry);

-- Uploaded files live under var/documents/, outside the web root; the row
-- keeps what is needed to serve them back as attachments.
CREATE TABLE person_document (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL,
    uploaded_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX person_document_person ON person_document (person_id);

-- A consultation keeps citizenship, sex and age band itself, so statistics
-- survive the erasure of the person; an anonymous one keeps only these.
CREATE TABLE consultation (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    person_id BIGINT REFERENCES person(id),
    date TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('in_person', 'phone', 'online')),
    topics TEXT NOT NULL,
    outcome TEXT,
    notes TEXT,
    duration_minutes INTEGER,
    citizenship TEXT,
    sex TEXT,
    age_band TEXT,
    operator_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX consultation_person ON consultation (person_id, date);
CREATE INDEX consultation_org_date ON consultation (org_id, date);

CREATE TABLE consultation_topic (
    consultation_id BIGINT NOT NULL REFERENCES consultation(id),
    topic TEXT NOT NULL,
    PRIMARY KEY (consultation_id, topic)
);
CREATE INDEX consultation_topic_topic ON consultation_topic (topic);

-- A procedure ("procedure" is an SQL keyword, hence the name).
CREATE TABLE desk_procedure (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    type TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'completed', 'cancelled')),
    facts TEXT NOT NULL DEFAULT '{}',
    opened_on TEXT NOT NULL,
    rule_effective_from TEXT NOT NULL,
    rule_origin TEXT NOT NULL,
    closed_on TEXT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX desk_procedure_person ON desk_procedure (person_id);
CREATE INDEX desk_procedure_type ON desk_procedure (type, status);

-- Checklist state: a step or document of the rule, ticked off.
CREATE TABLE procedure_check (
    procedure_id BIGINT NOT NULL REFERENCES desk_procedure(id),
    kind TEXT NOT NULL CHECK (kind IN ('step', 'document')),
    code TEXT NOT NULL,
    done_at BIGINT NOT NULL,
    done_by BIGINT,
    PRIMARY KEY (procedure_id, kind, code)
);

-- Deadlines computed from the rule and the facts; replaced on every recompute.
CREATE TABLE procedure_deadline (
    id {{id}},
    procedure_id BIGINT NOT NULL REFERENCES desk_procedure(id),
    person_id BIGINT NOT NULL REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    -- 1 when the rule's met_by fact or step is there (nothing left to do).
    met INTEGER NOT NULL DEFAULT 0,
    UNIQUE (procedure_id, code)
);
CREATE INDEX procedure_deadline_date ON procedure_deadline (date, org_id);

CREATE TABLE referral (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    consultation_id BIGINT REFERENCES consultation(id),
    to_org_id BIGINT REFERENCES org(id),
    to_service TEXT,
    reason TEXT,
    status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'completed', 'declined', 'no_show')),
    outcome TEXT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX referral_person ON referral (person_id);

CREATE TABLE appointment (
    id {{id}},
    person_id BIGINT REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    date TEXT NOT NULL,
    time TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL DEFAULT 30,
    purpose TEXT,
    place TEXT,
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'done', 'missed', 'cancelled')),
    user_id BIGINT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX appointment_date ON appointment (date, org_id);
CREATE INDEX appointment_person ON appointment (person_id);

CREATE TABLE followup (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES person(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    due_date TEXT NOT NULL,
    note TEXT,
    assigned_to BIGINT,
    done_at BIGINT,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX followup_due ON followup (due_date, org_id);
CREATE INDEX followup_person ON followup (person_id);

-- Rule versions added by an admin (the shipped ones are in data/rules/).
CREATE TABLE desk_rule (
    id {{id}},
    type TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    body TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_by BIGINT,
    changed_at BIGINT NOT NULL
);
CREATE INDEX desk_rule_type ON desk_rule (type, effective_from);

-- Time-limited access of a region account to the persons of a subtree.
CREATE TABLE access_grant (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    org_id BIGINT NOT NULL REFERENCES org(id),
    reason TEXT NOT NULL,
    granted_by BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX access_grant_user ON access_grant (user_id, expires_at);

-- One daily digest per user and day (the digest job is idempotent).
CREATE TABLE desk_digest (
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    day TEXT NOT NULL,
    outbox_id BIGINT,
    PRIMARY KEY (user_id, day)
);
