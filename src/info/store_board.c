/* store_board.c — notices of the digital notice board and newsletter
 * subscribers (store.h). */
#include "store.h"
#include "db/row_json.h"

int info_store_notice_insert(db_t *db, const org_t *org, const info_notice_input_t *in, int64_t user, int64_t now,
                             int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO info_notice (org_id, title, body, valid_from, valid_until, pinned, created_by,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "itttti" "iii", org->id, in->title, in->body, in->valid_from, in->valid_until,
                             (int64_t)in->pinned, user, now, now);
    if (!st) return rc;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_ERR;
}

/* The columns of a notice as JSON (types "itttttb"). */
#define NOTICE_COLS                                                                                            \
    "SELECT n.id AS id, o.code AS org, n.title AS title, n.body AS body, n.valid_from AS valid_from,"          \
    " n.valid_until AS valid_until, n.pinned AS pinned FROM info_notice n JOIN org o ON o.id = n.org_id"

int info_store_notice_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, NOTICE_COLS " WHERE o.path LIKE ? AND (? = 0 OR n.id < ?) ORDER BY n.id DESC LIMIT ?",
                             "tiii", scope_subtree_like(sc), cursor, cursor, (int64_t)limit);
    return db_rows_json(st, rc, "itttttb", items);
}

int info_store_notices_valid(db_t *db, const org_t *org, const char *today, json_t *items)
{
    char like[300];
    snprintf(like, sizeof like, "%s%%", org->path);
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             NOTICE_COLS " WHERE o.path LIKE ? AND n.valid_from <= ? AND n.valid_until >= ?"
                                         " ORDER BY n.pinned DESC, n.valid_from DESC, n.id DESC LIMIT 100",
                             "ttt", like, today, today);
    return db_rows_json(st, rc, "itttttb", items);
}

int info_store_subscriber_upsert(db_t *db, const char *email, const char *name, const char *lang,
                                 const char *consent, char confirm_token[48], char unsub_token[48], int64_t now,
                                 int64_t *id, bool *fresh)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id, confirmed_at, unsubscribed_at, confirm_token, unsubscribe_token"
                             " FROM info_subscriber WHERE email = ?",
                             "t", email);
    if (!st) return rc;
    bool known = rc == DB_ROW, confirmed = known && !db_col_is_null(st, 1) && db_col_is_null(st, 2);
    if (known) {
        *id = db_col_int(st, 0);
        snprintf(confirm_token, 48, "%s", db_col_text(st, 3));
        snprintf(unsub_token, 48, "%s", db_col_text(st, 4));
    }
    db_reset(st);
    if (rc < 0) return rc;
    *fresh = !confirmed;
    if (confirmed) return 0;
    if (known)
        return db_run(db,
                      "UPDATE info_subscriber SET name = ?, lang = ?, consent_text = ?, consent_at = ?,"
                      " confirmed_at = NULL, unsubscribed_at = NULL WHERE id = ?",
                      "tttii", name, lang, consent, now, *id);
    st = db_query(db, &rc,
                  "INSERT INTO info_subscriber (email, name, lang, consent_text, consent_at, confirm_token,"
                  " unsubscribe_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  "ttttitti", email, name, lang, consent, now, confirm_token, unsub_token, now);
    if (!st) return rc;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_ERR;
}

/* Runs a stamping UPDATE .. RETURNING id of `sql` with (now, token): 0 or 1 (no such token). */
static int subscriber_stamp(db_t *db, const char *sql, const char *token, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, sql, "it", now, token);
    if (!st) return rc;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int info_store_subscriber_confirm(db_t *db, const char *token, int64_t now, int64_t *id)
{
    return subscriber_stamp(db,
                            "UPDATE info_subscriber SET confirmed_at = COALESCE(confirmed_at, ?)"
                            " WHERE confirm_token = ? AND unsubscribed_at IS NULL RETURNING id",
                            token, now, id);
}

int info_store_subscriber_unsubscribe(db_t *db, const char *token, int64_t now, int64_t *id)
{
    return subscriber_stamp(db,
                            "UPDATE info_subscriber SET unsubscribed_at = COALESCE(unsubscribed_at, ?)"
                            " WHERE unsubscribe_token = ? RETURNING id",
                            token, now, id);
}
