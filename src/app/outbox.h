/* outbox.h — e-mail that is never lost: a message is written to the outbox
 * table in the same transaction as the change that causes it, and a sender
 * thread of `serve` delivers it by SMTP (core/mail.c) after the commit,
 * retrying with growing delays (1 min, 5 min, 30 min, 2 h, then every 6 h,
 * giving up after 3 days: status 'failed'). A rolled-back change sends nothing.
 *
 * Configuration (environment):
 *   LABIMPACT_SMTP_URL   smtp://host:port or smtps://host:port (unset: messages
 *                        stay queued, status 'pending', and nothing is sent);
 *                        TLS (STARTTLS or smtps) is required unless the relay
 *                        is on loopback (127.0.0.0/8, ::1, localhost)
 *   LABIMPACT_SMTP_USER, LABIMPACT_SMTP_PASSWORD   optional credentials
 *   LABIMPACT_MAIL_FROM  sender address (default labimpact@localhost)
 *   LABIMPACT_OUTBOX_INTERVAL  seconds between sender passes (default 5)
 * Never log a recipient or a body: log outbox ids and SMTP status only. */
#ifndef LI_OUTBOX_H
#define LI_OUTBOX_H
#include "db/db.h"
#include <stdint.h>

/* Queues a plain-text UTF-8 message. `kind` names what it is for
 * ("desk.digest", "mediation.offer") and `ref` an optional record reference,
 * for the coordinator's view of what was sent. Call inside the caller's write
 * transaction. Returns 0 or DB_E*; *id (if not NULL) receives the outbox id. */
int outbox_enqueue(db_t *db, const char *to, const char *subject, const char *body, const char *kind,
                   const char *ref, int64_t *id);
/* The same, recording the organisation the message is sent for (0: none),
 * which decides which admins see it in the outbox list. */
int outbox_enqueue_for(db_t *db, int64_t org_id, const char *to, const char *subject, const char *body,
                       const char *kind, const char *ref, int64_t *id);
/* Attaches one file to queued message `id` (sent as a second MIME part,
 * core/mail.h): content_type and filename printable ASCII without quotes,
 * data UTF-8 text (an iCalendar file). Call in the transaction that queued
 * it. 0, DB_ECONSTRAINT when a value is not acceptable, or DB_E*. */
int outbox_attach(db_t *db, int64_t id, const char *content_type, const char *filename, const char *data);
/* Delivers what is due (status 'pending' and next_attempt_at <= now) with the
 * given connection; returns how many were sent, or DB_E*. */
int outbox_deliver_due(db_t *db, int64_t now);
/* Starts / stops the sender thread of `serve` (no-op without LABIMPACT_SMTP_URL). */
int outbox_start(const char *db_uri);
void outbox_stop(void);

#endif
