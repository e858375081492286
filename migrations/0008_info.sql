-- 0008_info: qualified information (src/info/) — materials with their Italian
-- revisions, translations through draft -> review -> published, the search
-- documents of what the public reads, notices of the digital notice board,
-- and newsletter subscribers with their consent. Portable SQL; the search
-- index differs per engine (.sqlite.sql: FTS5 trigram; .pg.sql: pg_trgm).

-- A material: the Italian source, at its current revision.
CREATE TABLE info_material (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    category TEXT NOT NULL CHECK (category IN ('permits', 'health', 'school', 'work', 'housing', 'family',
                                               'language_courses', 'citizenship')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,                    -- Markdown (rendered safe: raw HTML never passes)
    revision INTEGER NOT NULL DEFAULT 1,
    review_by TEXT,                        -- 'YYYY-MM-DD': the editor is reminded after it
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX info_material_org ON info_material (org_id, category);

-- Every revision of the Italian source, kept for the diff between two.
CREATE TABLE info_revision (
    material_id BIGINT NOT NULL REFERENCES info_material(id),
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (material_id, revision)
);

-- A translation; source_revision is the Italian revision it was made from.
-- "stale" is not stored: a published translation reads stale while
-- source_revision is behind the material's revision.
CREATE TABLE info_translation (
    material_id BIGINT NOT NULL REFERENCES info_material(id),
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'review', 'published')),
    source_revision INTEGER NOT NULL,
    author_id BIGINT REFERENCES app_user(id),      -- who wrote the text
    reviewer_id BIGINT REFERENCES app_user(id),    -- who published it (never the author)
    updated_at BIGINT NOT NULL,
    published_at BIGINT,
    PRIMARY KEY (material_id, lang)
);

-- What the public search reads: the Italian source and each published
-- translation, one row per material and language.
CREATE TABLE info_search (
    id {{id}},
    material_id BIGINT NOT NULL REFERENCES info_material(id),
    lang TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (material_id, lang)
);

-- A notice of a district's digital notice board, shown from valid_from to
-- valid_until (inclusive, Rome dates).
CREATE TABLE info_notice (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES org(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (valid_until >= valid_from)
);
CREATE INDEX info_notice_org ON info_notice (org_id, valid_until);

-- A newsletter subscriber: double opt-in (confirmed_at set by the link of
-- the confirmation e-mail), the consent as worded and when it was given.
CREATE TABLE info_subscriber (
    id {{id}},
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    lang TEXT NOT NULL,
    consent_text TEXT NOT NULL,
    consent_at BIGINT NOT NULL,
    confirm_token TEXT NOT NULL UNIQUE,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    confirmed_at BIGINT,
    unsubscribed_at BIGINT,
    created_at BIGINT NOT NULL
);
