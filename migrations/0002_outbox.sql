-- 0002_outbox: e-mails written in the same transaction as the change that
-- causes them, delivered after the commit by the sender thread (app/outbox.c).
CREATE TABLE outbox (
    id {{id}},
    created_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
