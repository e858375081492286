-- 0009_directory: participation and the directory of services (src/directory/):
-- associations that register themselves and are reviewed by their district,
-- their events, channels between the district and its associations (threads,
-- support given), and the directory of services published as Open Referral
-- HSDS 3.0. Portable SQL (SQLite and PostgreSQL). Times BIGINT Unix seconds
-- UTC. Lists (countries, languages, activities, themes, categories, weekly
-- hours) are JSON arrays in TEXT columns, validated by the server.

-- An association of a district (org.kind 'ambito'): pending until its
-- e-mail is confirmed and the district approves it; only approved ones are public.
CREATE TABLE dir_association (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    legal_form TEXT,                                  -- aps, odv, ets, cooperative, informal, other
    runts TEXT,                                       -- number in the Registro Unico Nazionale del Terzo Settore
    phone TEXT,
    website TEXT,
    communities TEXT NOT NULL DEFAULT '[]',           -- ISO 3166-1 alpha-2 countries
    languages TEXT NOT NULL DEFAULT '[]',             -- ISO 639 codes
    activities TEXT NOT NULL DEFAULT '[]',            -- free texts
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    email_confirmed INTEGER NOT NULL DEFAULT 0,
    confirm_token TEXT NOT NULL UNIQUE,               -- secret of the confirmation link
    reason TEXT,                                      -- the district's reason for its decision
    user_id BIGINT UNIQUE REFERENCES app_user(id),    -- the association's own account (role association)
    reviewed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dir_association_org ON dir_association (org_id, status);

-- An event or initiative of a district, optionally of one of its associations.
CREATE TABLE dir_event (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    association_id BIGINT REFERENCES dir_association(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    themes TEXT NOT NULL DEFAULT '[]',                -- youth, women, asylum, culture, sport, language
    languages TEXT NOT NULL DEFAULT '[]',
    audience TEXT,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (end_at > start_at)
);
CREATE INDEX dir_event_org ON dir_event (org_id, start_at);

-- A service of the directory, provided by an organisation of the network
-- (the HSDS organization); its one location is its address.
CREATE TABLE dir_service (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    email TEXT,
    phone TEXT,
    url TEXT,
    address_1 TEXT,
    city TEXT,
    postal_code TEXT,
    languages TEXT NOT NULL DEFAULT '[]',             -- ISO 639 codes
    categories TEXT NOT NULL DEFAULT '[]',            -- codes of data/directory/taxonomy.json
    schedules TEXT NOT NULL DEFAULT '[]',             -- [{"byday":"MO,WE","opens_at":"09:00","closes_at":"12:00"}]
    search_text TEXT NOT NULL DEFAULT '',             -- lower-case name and description, for ?search=
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dir_service_org ON dir_service (org_id);
CREATE INDEX dir_service_updated ON dir_service (updated_at);

-- A channel between the district's Ufficio di Piano and its associations: a
-- thread (call for co-design, announcement, question) and its messages.
CREATE TABLE dir_thread (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    kind TEXT NOT NULL CHECK (kind IN ('codesign', 'announcement', 'question')),
    title TEXT NOT NULL,
    association_id BIGINT REFERENCES dir_association(id),  -- the association that opened it (a question)
    created_by BIGINT NOT NULL REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dir_thread_org ON dir_thread (org_id, updated_at);

CREATE TABLE dir_message (
    id {{id}},
    thread_id BIGINT NOT NULL REFERENCES dir_thread(id),
    author_id BIGINT NOT NULL REFERENCES app_user(id),
    association_id BIGINT REFERENCES dir_association(id),  -- when an association wrote it
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX dir_message_thread ON dir_message (thread_id, id);

-- Support the district gives an association: training, spaces, small grants, promotion.
CREATE TABLE dir_support (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    association_id BIGINT NOT NULL REFERENCES dir_association(id),
    kind TEXT NOT NULL CHECK (kind IN ('training', 'space', 'grant', 'promotion')),
    description TEXT NOT NULL,
    amount_cents BIGINT CHECK (amount_cents IS NULL OR amount_cents >= 0),
    given_on TEXT NOT NULL,                                 -- YYYY-MM-DD
    created_by BIGINT NOT NULL REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX dir_support_association ON dir_support (association_id);
