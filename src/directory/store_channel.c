/* store_channel.c — the SQL of the channels between a district and its
 * associations (threads, messages, their notices' recipients) and of the
 * support the district records (see store.h). Portable SQL, bound values. */
#include "store.h"
#include "db/row_json.h"

int dir_store_thread_insert(db_t *db, const dir_district_t *d, const char *kind, const char *title,
                            const dir_association_t *a, int64_t user_id, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO dir_thread (org_id, kind, title, association_id, created_by, created_at,"
                        " updated_at) VALUES (?, ?, ?, NULLIF(?, 0), ?, ?, ?) RETURNING id",
                        "ittiiii", d->id, kind, title, a ? a->id : 0, user_id, now, now);
}

/* D5: the reviewers' subtree, or the association's district without other associations' questions. */
#define THREAD_VIS                                                                                            \
    " ((? = 1 AND o.path LIKE ?) OR (? > 0 AND t.org_id = ? AND (t.kind <> 'question' OR t.association_id = ?))) "
#define THREAD_VIS_ARGS(sc, self)                                                                       \
    (int64_t)scope_can(sc, CAP_ASSOCIATION_REVIEW), scope_subtree_like(sc), (self) ? (self)->id : 0,    \
        (self) ? (self)->org_id : 0, (self) ? (self)->id : 0

static const db_field_t thread_map[] = {DB_INT(dir_thread_t, id), DB_INT(dir_thread_t, org_id),
                                        DB_INT(dir_thread_t, association_id), DB_TEXT(dir_thread_t, kind),
                                        DB_TEXT(dir_thread_t, title)};

int dir_store_thread_get(const scope_t *sc, db_t *db, const dir_association_t *self, int64_t id, dir_thread_t *out)
{
    return db_get_row(db, DB_MAP(thread_map), out, sizeof *out,
                      "SELECT t.id, t.org_id, COALESCE(t.association_id, 0), t.kind, t.title FROM dir_thread t"
                      " JOIN org o ON o.id = t.org_id WHERE t.id = ? AND" THREAD_VIS,
                      "iitiii", id, THREAD_VIS_ARGS(sc, self));
}

int dir_store_thread_list(const scope_t *sc, db_t *db, const dir_association_t *self, int64_t cursor, int limit,
                          json_t *items)
{
    return db_list_json(db, items, "itttt" "ii",
                        "SELECT t.id, o.code AS org, t.kind, t.title, a.name AS association, t.updated_at,"
                        " (SELECT COUNT(*) FROM dir_message m WHERE m.thread_id = t.id) AS messages"
                        " FROM dir_thread t JOIN org o ON o.id = t.org_id"
                        " LEFT JOIN dir_association a ON a.id = t.association_id WHERE" THREAD_VIS
                        "AND (? = 0 OR t.id < ?) ORDER BY t.id DESC LIMIT ?",
                        "itiiiiii", THREAD_VIS_ARGS(sc, self), cursor, cursor, (int64_t)limit);
}

int dir_store_message_insert(db_t *db, const dir_thread_t *t, int64_t author_id, const dir_association_t *a,
                             const char *body, int64_t now, int64_t *id)
{
    int rc = db_insert_id(db, id,
                          "INSERT INTO dir_message (thread_id, author_id, association_id, body, created_at)"
                          " VALUES (?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                          "iiiti", t->id, author_id, a ? a->id : 0, body, now);
    if (rc) return rc;
    return db_run(db, "UPDATE dir_thread SET updated_at = ? WHERE id = ?", "ii", now, t->id);
}

int dir_store_thread_messages(db_t *db, const dir_thread_t *t, json_t *items)
{
    return db_list_json(db, items, "itbti",
                        "SELECT m.id, COALESCE(a.name, u.display_name, u.username) AS author,"
                        " CASE WHEN m.association_id IS NULL THEN 0 ELSE 1 END AS from_association, m.body, m.created_at"
                        " FROM dir_message m JOIN app_user u ON u.id = m.author_id"
                        " LEFT JOIN dir_association a ON a.id = m.association_id"
                        " WHERE m.thread_id = ? ORDER BY m.id",
                        "i", t->id);
}

int dir_store_thread_recipients(db_t *db, const dir_thread_t *t, bool to_district, json_t *emails)
{
    if (to_district)
        return db_list_json(db, emails, "t",
                            "SELECT DISTINCT u.email AS email FROM app_user u JOIN role_grant g ON g.user_id = u.id"
                            " WHERE g.role = 'coordinator' AND g.org_id = ? AND u.active = 1 AND u.email IS NOT NULL"
                            " AND u.email <> '' ORDER BY u.email",
                            "i", t->org_id);
    return db_list_json(db, emails, "t",
                        "SELECT email FROM dir_association WHERE org_id = ? AND status = 'approved'"
                        " AND (? = 0 OR id = ?) ORDER BY id",
                        "iii", t->org_id, t->association_id, t->association_id);
}

int dir_store_support_insert(db_t *db, const dir_association_t *a, const char *kind, const char *description,
                             int64_t amount_cents, const char *given_on, int64_t user_id, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO dir_support (org_id, association_id, kind, description, amount_cents,"
                        " given_on, created_by, created_at) VALUES (?, ?, ?, ?, NULLIF(?, -1), ?, ?, ?)"
                        " RETURNING id",
                        "iittitii", a->org_id, a->id, kind, description, amount_cents, given_on, user_id, now);
}

int dir_store_support_list(db_t *db, const dir_association_t *a, json_t *items)
{
    return db_list_json(db, items, "ittit",
                        "SELECT id, kind, description, amount_cents, given_on FROM dir_support"
                        " WHERE association_id = ? ORDER BY given_on, id",
                        "i", a->id);
}
