-- 0006_password_change: a password set by an admin (on creation or reset) is
-- one-time: its first login must replace it before the session may do
-- anything else. The command line (`demo`, `user add`) sets lasting ones.
-- last_login_attempt_at is written by every login attempt on the account
-- before its password is checked: that UPDATE takes the account's row lock,
-- so parallel attempts are counted one after the other (throttling).
ALTER TABLE app_user ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN last_login_attempt_at BIGINT;
