/* store_board.c — notices of the digital notice board and newsletter
 * subscribers (store.h). */
#include "store.h"
#include "db/row_json.h"
#include <string.h>

int info_store_notice_insert(db_t *db, const org_t *org, const info_notice_input_t *in, int64_t user, int64_t now,
                             int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO info_notice (org_id, title, body, valid_from, valid_until, pinned, created_by,"
                        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                        "itttti" "iii", org->id, in->title, in->body, in->valid_from, in->valid_until,
                        (int64_t)in->pinned, user, now, now);
}

/* The columns of a notice as JSON (types "itttttb"). */
#define NOTICE_COLS                                                                                            \
    "SELECT n.id AS id, o.code AS org, n.title AS title, n.body AS body, n.valid_from AS valid_from,"          \
    " n.valid_until AS valid_until, n.pinned AS pinned FROM info_notice n JOIN org o ON o.id = n.org_id"

int info_store_notice_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    return db_list_json(db, items, "itttttb",
                        NOTICE_COLS " WHERE o.path LIKE ? AND (? = 0 OR n.id < ?) ORDER BY n.id DESC LIMIT ?", "tiii",
                        scope_subtree_like(sc), cursor, cursor, (int64_t)limit);
}

int info_store_notices_valid(db_t *db, const org_t *org, const char *today, json_t *items)
{
    char like[300];
    snprintf(like, sizeof like, "%s%%", org->path);
    return db_list_json(db, items, "itttttb",
                        NOTICE_COLS " WHERE o.path LIKE ? AND n.valid_from <= ? AND n.valid_until >= ?"
                                    " ORDER BY n.pinned DESC, n.valid_from DESC, n.id DESC LIMIT 100",
                        "ttt", like, today, today);
}

/* A subscriber as a sign-up finds it. */
typedef struct subscriber_row {
    int64_t id;
    bool confirmed; /* confirmed and not unsubscribed */
    char confirm_token[48], unsub_token[48];
} subscriber_row_t;
static const db_field_t subscriber_map[] = {DB_INT(subscriber_row_t, id), DB_INT(subscriber_row_t, confirmed),
                                            DB_TEXT(subscriber_row_t, confirm_token),
                                            DB_TEXT(subscriber_row_t, unsub_token)};

int info_store_subscriber_upsert(db_t *db, const char *email, const char *name, const char *lang,
                                 const char *consent, char confirm_token[48], char unsub_token[48], int64_t now,
                                 int64_t *id, bool *fresh)
{
    subscriber_row_t known;
    int rc = db_get_row(db, DB_MAP(subscriber_map), &known, sizeof known,
                        "SELECT id, CASE WHEN confirmed_at IS NOT NULL AND unsubscribed_at IS NULL THEN 1 ELSE 0 END,"
                        " confirm_token, unsubscribe_token FROM info_subscriber WHERE email = ?",
                        "t", email);
    if (rc < 0) return rc;
    *fresh = rc == 1 || !known.confirmed;
    if (rc == 1)
        return db_insert_id(db, id,
                            "INSERT INTO info_subscriber (email, name, lang, consent_text, consent_at, confirm_token,"
                            " unsubscribe_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            "ttttitti", email, name, lang, consent, now, confirm_token, unsub_token, now);
    *id = known.id;
    memcpy(confirm_token, known.confirm_token, sizeof known.confirm_token);
    memcpy(unsub_token, known.unsub_token, sizeof known.unsub_token);
    if (known.confirmed) return 0;
    return db_run(db,
                  "UPDATE info_subscriber SET name = ?, lang = ?, consent_text = ?, consent_at = ?,"
                  " confirmed_at = NULL, unsubscribed_at = NULL WHERE id = ?",
                  "tttii", name, lang, consent, now, *id);
}

/* The id a stamping UPDATE returns. */
typedef struct stamped {
    int64_t id;
} stamped_t;
static const db_field_t stamped_map[] = {DB_INT(stamped_t, id)};

/* Runs a stamping UPDATE .. RETURNING id of `sql` with (now, token): 0 or 1 (no such token). */
static int subscriber_stamp(db_t *db, const char *sql, const char *token, int64_t now, int64_t *id)
{
    stamped_t row;
    int rc = db_get_row(db, DB_MAP(stamped_map), &row, sizeof row, sql, "it", now, token);
    if (!rc) *id = row.id;
    return rc;
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
