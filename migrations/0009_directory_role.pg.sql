ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check;
ALTER TABLE role_grant ADD CONSTRAINT role_grant_role_check CHECK (role IN ('admin', 'region', 'coordinator',
    'operator', 'mediator', 'teacher', 'editor', 'translator', 'association'));
