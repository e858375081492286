-- 0005_outbox_org: the organisation an e-mail was sent for, so that a district
-- admin sees the district's messages and not others' (NULL: the region's).
ALTER TABLE outbox ADD COLUMN org_id BIGINT REFERENCES org(id);
CREATE INDEX outbox_org ON outbox (org_id, id);
