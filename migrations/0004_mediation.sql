-- 0004_mediation: on-call intercultural mediation — the territorial register
-- of mediators, requesting bodies and their requesters, requests, offers,
-- bookings, close-outs and cancellations (src/mediation/).
-- Portable SQL (SQLite and PostgreSQL). Times BIGINT Unix seconds UTC; money
-- BIGINT euro cents; travel in hectometres (0.1 km) so that no float is stored.

-- A mediator in the register of a district (org.kind 'ambito').
CREATE TABLE mediator (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    user_id BIGINT UNIQUE REFERENCES app_user(id),   -- the mediator's own account
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    qualifications TEXT NOT NULL DEFAULT '[]',       -- JSON array of strings
    training TEXT NOT NULL DEFAULT '[]',             -- JSON array of strings
    notes TEXT,
    remote INTEGER NOT NULL DEFAULT 1,               -- takes phone / video jobs
    active INTEGER NOT NULL DEFAULT 1,
    calendar_token TEXT NOT NULL UNIQUE,             -- secret of the .ics feed URL
    last_assigned_at BIGINT NOT NULL DEFAULT 0,      -- fairness: least recently served first
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mediator_org ON mediator (org_id, active);

-- Languages (ISO 639-1, or 639-3 where there is no two-letter code: "ti", "wo", "pa").
CREATE TABLE mediator_language (
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    lang TEXT NOT NULL,
    PRIMARY KEY (mediator_id, lang)
);
CREATE INDEX mediator_language_lang ON mediator_language (lang, mediator_id);

-- Service domains the mediator is qualified for.
CREATE TABLE mediator_domain (
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    domain TEXT NOT NULL CHECK (domain IN ('school', 'health', 'social', 'legal')),
    PRIMARY KEY (mediator_id, domain)
);

-- Areas (zones of the district) the mediator goes to in person; none = all.
CREATE TABLE mediator_area (
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    area TEXT NOT NULL,
    PRIMARY KEY (mediator_id, area)
);

-- Weekly availability in Rome local time; none = any time.
CREATE TABLE mediator_availability (
    id {{id}},
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),      -- 1 Monday .. 7 Sunday
    start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
    CHECK (end_min > start_min)
);
CREATE INDEX mediator_availability_m ON mediator_availability (mediator_id, weekday);

-- Periods away (leave, illness): not offered, not bookable.
CREATE TABLE mediator_absence (
    id {{id}},
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    from_at BIGINT NOT NULL,
    to_at BIGINT NOT NULL,
    CHECK (to_at > from_at)
);
CREATE INDEX mediator_absence_m ON mediator_absence (mediator_id, from_at);

-- Requesting bodies (schools, consultori, hospitals, comuni, social services)
-- of a district; ask_token is the secret of their request form.
CREATE TABLE mediation_body (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('school', 'health', 'social', 'comune', 'legal', 'other')),
    partner_org_id BIGINT REFERENCES org(id),
    email TEXT,
    ask_token TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

-- People at a body who ask for mediators (told by e-mail).
CREATE TABLE mediation_requester (
    id {{id}},
    body_id BIGINT NOT NULL REFERENCES mediation_body(id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (body_id, name)
);

CREATE TABLE mediation_request (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),        -- the district
    body_id BIGINT REFERENCES mediation_body(id),
    requester_id BIGINT REFERENCES mediation_requester(id),
    requester_name TEXT,
    requester_email TEXT,
    language TEXT NOT NULL,
    domain TEXT NOT NULL CHECK (domain IN ('school', 'health', 'social', 'legal')),
    start_at BIGINT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 720),
    end_at BIGINT NOT NULL,
    remote INTEGER NOT NULL DEFAULT 0,
    place TEXT,
    area TEXT,
    notes TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'offered', 'assigned', 'done', 'cancelled')),
    mediator_id BIGINT REFERENCES mediator(id),
    assigned_at BIGINT,
    minutes_worked INTEGER,
    travel_hm INTEGER,
    closed_at BIGINT,
    cancel_kind TEXT CHECK (cancel_kind IN ('void', 'late')),
    cancelled_at BIGINT,
    cancel_reason TEXT,
    -- pay, computed once at close-out (or late cancellation) from the tariff in force
    tariff_ref TEXT,
    billable_minutes INTEGER,
    evening_minutes INTEGER,
    holiday_minutes INTEGER,
    base_cents BIGINT,
    supplement_cents BIGINT,
    travel_cents BIGINT,
    total_cents BIGINT,
    -- the requester's confirmation (link sent by e-mail after close-out)
    confirm_token TEXT UNIQUE,
    confirmed_at BIGINT,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    reminder_sent_at BIGINT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mediation_request_org ON mediation_request (org_id, start_at);
CREATE INDEX mediation_request_mediator ON mediation_request (mediator_id, start_at);
CREATE INDEX mediation_request_status ON mediation_request (status, start_at);

CREATE TABLE mediation_offer (
    id {{id}},
    request_id BIGINT NOT NULL REFERENCES mediation_request(id),
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn')),
    auto_assign INTEGER NOT NULL DEFAULT 1,          -- first acceptance wins
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    UNIQUE (request_id, mediator_id)
);
CREATE INDEX mediation_offer_mediator ON mediation_offer (mediator_id, status);

-- Bookings in quarter hours: a booking holds every 15-minute slot
-- (Unix seconds / 900) it touches. The primary key is what makes a double
-- booking impossible, on both engines and under concurrency.
CREATE TABLE mediation_slot (
    mediator_id BIGINT NOT NULL REFERENCES mediator(id),
    slot BIGINT NOT NULL,
    request_id BIGINT NOT NULL REFERENCES mediation_request(id),
    PRIMARY KEY (mediator_id, slot)
);
CREATE INDEX mediation_slot_request ON mediation_slot (request_id);
