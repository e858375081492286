-- 0014_directory: recurring initiatives, and referrals from the help desks to
-- the services of the directory (src/directory/, issue 12).
-- A recurring initiative keeps its first occurrence in start_at / end_at and
-- its rule as an RFC 5545 RRULE value (FREQ=WEEKLY or MONTHLY, INTERVAL,
-- BYDAY or BYMONTHDAY, UNTIL in UTC); repeat_until is the last instant an
-- occurrence may start, so the calendar's reads stay one indexed range.
ALTER TABLE dir_event ADD COLUMN rrule TEXT;
ALTER TABLE dir_event ADD COLUMN repeat_until BIGINT;
CREATE INDEX dir_event_until ON dir_event (org_id, repeat_until);

-- A referral may name the directory's service it is sent to (its
-- organisation is then to_org_id); the receiving service answers it
-- (accepted, declined, completed) with a note the sending desk reads.
ALTER TABLE referral ADD COLUMN to_dir_service_id BIGINT REFERENCES dir_service(id);
ALTER TABLE referral ADD COLUMN answer_note TEXT;
ALTER TABLE referral ADD COLUMN answered_at BIGINT;
ALTER TABLE referral ADD COLUMN answered_by BIGINT REFERENCES app_user(id);
CREATE INDEX referral_to_org ON referral (to_org_id, status);
