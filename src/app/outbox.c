/* outbox.c — queueing e-mails in the caller's transaction and delivering them
 * from one sender thread with retries. A row is claimed before sending (its
 * next attempt pushed forward under a condition on its old value), so two
 * servers sharing a PostgreSQL database never send the same message twice at
 * once. Never logs recipients or bodies. */
#include "outbox.h"
#include "core/log.h"
#include "core/mail.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OUTBOX_BATCH 20
#define OUTBOX_GIVE_UP (3 * 86400)
#define OUTBOX_CLAIM_SECONDS 300

int outbox_enqueue(db_t *db, const char *to, const char *subject, const char *body, const char *kind,
                   const char *ref, int64_t *id)
{
    return outbox_enqueue_for(db, 0, to, subject, body, kind, ref, id);
}

int outbox_enqueue_for(db_t *db, int64_t org_id, const char *to, const char *subject, const char *body,
                       const char *kind, const char *ref, int64_t *id)
{
    if (!mail_address_ok(to) || !subject || strpbrk(subject, "\r\n")) return DB_ECONSTRAINT;
    int64_t now = db_now(), new_id = 0;
    int rc = db_insert_id(db, &new_id,
                          "INSERT INTO outbox (created_at, kind, ref, recipient, subject, body, status, attempts,"
                          " next_attempt_at, org_id) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULLIF(?, 0))"
                          " RETURNING id",
                          "itttttii", now, kind, ref, to, subject, body, now, org_id);
    if (id) *id = new_id;
    return rc;
}

int outbox_attach(db_t *db, int64_t id, const char *content_type, const char *filename, const char *data)
{
    if (!content_type || !filename || !data || strpbrk(content_type, "\r\n\"\\") || strpbrk(filename, "\r\n\"\\/"))
        return DB_ECONSTRAINT;
    int rc = db_run(db, "UPDATE outbox SET attachment = ?, attachment_type = ?, attachment_name = ? WHERE id = ?", "ttti",
                    data, content_type, filename, id);
    return rc < 0 ? rc : db_changes(db) == 1 ? 0 : DB_ERR;
}

/* Seconds to wait after the n-th failed attempt. */
static int64_t retry_delay(int attempts)
{
    static const int64_t delays[] = {60, 300, 1800, 7200};
    return attempts <= 4 ? delays[attempts - 1] : 21600;
}

static mail_config_t mail_cfg(void)
{
    const char *from = getenv("LABIMPACT_MAIL_FROM");
    mail_config_t c = {getenv("LABIMPACT_SMTP_URL"), getenv("LABIMPACT_SMTP_USER"), getenv("LABIMPACT_SMTP_PASSWORD"),
                       from && *from ? from : "labimpact@localhost", 30};
    return c;
}

typedef struct due {
    int64_t id, created_at, next;
    int attempts;
    char *to, *subject, *body;
    char *att, *att_type, *att_name; /* NULL: no attachment */
} due_t;

/* strdup of a column, NULL for SQL NULL. */
static char *dup_or_null(db_stmt_t *st, int col)
{
    const char *v = db_col_text_or_null(st, col);
    return v ? strdup(v) : NULL;
}

/* Reads up to OUTBOX_BATCH due messages into `out`; returns how many. */
static int load_due(db_t *db, int64_t now, due_t *out)
{
    int rc, n = 0;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id, created_at, next_attempt_at, attempts, recipient, subject, body, attachment,"
                             " attachment_type, attachment_name FROM outbox"
                             " WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                             "ii", now, (int64_t)OUTBOX_BATCH);
    if (!st) return rc;
    for (; rc == DB_ROW && n < OUTBOX_BATCH; rc = db_step(st), n++) {
        out[n].id = db_col_int(st, 0);
        out[n].created_at = db_col_int(st, 1);
        out[n].next = db_col_int(st, 2);
        out[n].attempts = (int)db_col_int(st, 3);
        out[n].to = strdup(db_col_text(st, 4));
        out[n].subject = strdup(db_col_text(st, 5));
        out[n].body = strdup(db_col_text(st, 6));
        out[n].att = dup_or_null(st, 7);
        out[n].att_type = dup_or_null(st, 8);
        out[n].att_name = dup_or_null(st, 9);
    }
    db_reset(st);
    return rc < 0 ? rc : n;
}

/* Claims one message for this sender: 1 when claimed, 0 when another took it. */
static int claim(db_t *db, const due_t *d, int64_t now)
{
    int rc = db_run(db, "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
                    "iii", now + OUTBOX_CLAIM_SECONDS, d->id, d->next);
    return rc < 0 ? rc : (int)(db_changes(db) == 1);
}

/* Records the outcome of one attempt. */
static int record(db_t *db, const due_t *d, int64_t now, bool ok, const char *error)
{
    int attempts = d->attempts + 1;
    if (ok)
        return db_run(db, "UPDATE outbox SET status = 'sent', attempts = ?, sent_at = ?, last_error = NULL WHERE id = ?",
                      "iii", (int64_t)attempts, now, d->id);
    const char *status = now - d->created_at > OUTBOX_GIVE_UP ? "failed" : "pending";
    return db_run(db, "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                  "tiiti", status, (int64_t)attempts, now + retry_delay(attempts), error, d->id);
}

int outbox_deliver_due(db_t *db, int64_t now)
{
    mail_config_t cfg = mail_cfg();
    if (!cfg.url || !*cfg.url) return 0;
    due_t due[OUTBOX_BATCH];
    int n = load_due(db, now, due), sent = 0;
    if (n < 0) return n;
    for (int i = 0; i < n; i++) {
        if (claim(db, &due[i], now) == 1) {
            char err[256] = "";
            mail_attachment_t att = {due[i].att_type, due[i].att_name, due[i].att, due[i].att ? strlen(due[i].att) : 0};
            bool ok = mail_send(&cfg, due[i].to, due[i].subject, due[i].body, due[i].att ? &att : NULL, err,
                                sizeof err) == 0;
            if (!ok) log_warn("outbox %lld: delivery failed: %s", (long long)due[i].id, err);
            record(db, &due[i], db_now(), ok, ok ? NULL : err);
            sent += ok;
        }
        free(due[i].to);
        free(due[i].subject);
        free(due[i].body);
        free(due[i].att);
        free(due[i].att_type);
        free(due[i].att_name);
    }
    return sent;
}

/* ---- the sender thread ------------------------------------------------------- */

static pthread_t sender;
static bool running, stopping;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static char *sender_uri;

static void *sender_main(void *arg)
{
    (void)arg;
    const char *iv = getenv("LABIMPACT_OUTBOX_INTERVAL");
    int interval = iv && atoi(iv) > 0 ? atoi(iv) : 5;
    db_t *db = NULL;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        pthread_mutex_unlock(&lock);
        char err[256];
        if (!db) db = db_open(sender_uri, err, sizeof err);
        if (db) {
            int rc = outbox_deliver_due(db, db_now());
            if (rc == DB_ECONN) {
                db_close(db);
                db = NULL;
            }
        }
        pthread_mutex_lock(&lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += interval;
        if (!stopping) pthread_cond_timedwait(&wake, &lock, &until);
    }
    pthread_mutex_unlock(&lock);
    db_close(db);
    return NULL;
}

int outbox_start(const char *db_uri)
{
    const char *url = getenv("LABIMPACT_SMTP_URL");
    if (!url || !*url) {
        log_info("outbox: LABIMPACT_SMTP_URL not set; e-mails stay queued");
        return 0;
    }
    sender_uri = strdup(db_uri);
    stopping = false;
    if (pthread_create(&sender, NULL, sender_main, NULL) != 0) return -1;
    running = true;
    return 0;
}

void outbox_stop(void)
{
    if (!running) return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(sender, NULL);
    running = false;
    free(sender_uri);
    sender_uri = NULL;
}
