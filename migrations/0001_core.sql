-- 0001_core: the plan's network, accounts, sessions, audit.
-- Portable SQL for SQLite and PostgreSQL; {{id}} is an auto-increment key.
-- Times are BIGINT Unix seconds (UTC); dates TEXT YYYY-MM-DD; money BIGINT cents.

-- Organisations: one tree. region > ambito (district) > comune / partner;
-- support bodies (ANCI, ISMU) under the region. `path` holds the ids from the
-- root down to this node, '/1/5/23/', so a subtree is `path LIKE '/1/5/%'`.
CREATE TABLE org (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('region', 'ambito', 'comune', 'partner', 'support')),
    category TEXT,
    parent_id BIGINT REFERENCES org(id),
    path TEXT NOT NULL,
    is_lead INTEGER NOT NULL DEFAULT 0,
    istat_code TEXT,
    description TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX org_parent ON org (parent_id);
CREATE INDEX org_path ON org (path);

-- The four macro-actions of the plan, with their titles per language.
CREATE TABLE macro_action (
    n INTEGER NOT NULL CHECK (n BETWEEN 1 AND 4),
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (n, lang)
);

-- Projects (an edition of the plan in a district, or the regional plan).
CREATE TABLE project (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    edition TEXT NOT NULL,
    fund TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES org(id),
    start_date TEXT,
    end_date TEXT,
    budget_cents BIGINT,
    description TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX project_org ON project (org_id);

-- Actions of a project, each under one macro-action.
CREATE TABLE action (
    id {{id}},
    project_id BIGINT NOT NULL REFERENCES project(id),
    code TEXT NOT NULL,
    macro_action INTEGER NOT NULL CHECK (macro_action BETWEEN 1 AND 4),
    title TEXT NOT NULL,
    description TEXT,
    UNIQUE (project_id, code)
);

-- Accounts. "user" is reserved in PostgreSQL, hence app_user.
CREATE TABLE app_user (
    id {{id}},
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT,
    email TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_login_at BIGINT
);

-- A role bound to an organisation subtree.
CREATE TABLE role_grant (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'region', 'coordinator', 'operator', 'mediator',
                                       'teacher', 'editor', 'translator')),
    org_id BIGINT NOT NULL REFERENCES org(id),
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, role, org_id)
);
CREATE INDEX role_grant_user ON role_grant (user_id);

-- Sessions: only the SHA-256 of the token is stored.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX session_by_user ON session (user_id);

-- Failed logins, for throttling per account and per address.
CREATE TABLE login_failure (
    id {{id}},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failure_user ON login_failure (username, at);
CREATE INDEX login_failure_ip ON login_failure (ip, at);

-- The audit log: append-only (the engine files add triggers refusing change).
-- org_id is the organisation the touched record belongs to (scope of readers).
CREATE TABLE audit (
    id {{id}},
    at BIGINT NOT NULL,
    user_id BIGINT,
    username TEXT,
    action TEXT NOT NULL,
    object_kind TEXT,
    object_id TEXT,
    person_id BIGINT,
    org_id BIGINT,
    ip TEXT,
    request_id TEXT,
    reason TEXT,
    detail TEXT
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_person ON audit (person_id, at);
CREATE INDEX audit_org ON audit (org_id, at);

-- Settings an admin may change at run time (key/value, JSON values).
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
