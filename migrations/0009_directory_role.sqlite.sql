CREATE TABLE role_grant_new (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'region', 'coordinator', 'operator', 'mediator',
                                       'teacher', 'editor', 'translator', 'association')),
    org_id BIGINT NOT NULL REFERENCES org(id),
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, role, org_id)
);
INSERT INTO role_grant_new (id, user_id, role, org_id, created_at)
    SELECT id, user_id, role, org_id, created_at FROM role_grant;
DROP TABLE role_grant;
ALTER TABLE role_grant_new RENAME TO role_grant;
CREATE INDEX role_grant_user ON role_grant (user_id);
