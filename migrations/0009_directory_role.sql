-- 0009_directory_role: the association role in role_grant's list of roles
-- (the engine parts rebuild the CHECK: SQLite cannot alter one in place).
SELECT 1;
