/* records_store.c — the SQL of what else is held about a person: consents,
 * household links, permits, documents, and the per-person lists of every
 * record kind (see store.h). */
#include "store.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tables desk_store_owner and desk_store_row_get may name (never user input). */
static const char *owned_table(const char *t)
{
    static const char *const ok[] = {"referral", "appointment", "followup", "consent", "household_link", "permit",
                                     "person_document", NULL};
    for (int i = 0; ok[i]; i++)
        if (strcmp(ok[i], t) == 0) return ok[i];
    return NULL;
}

int desk_store_owner(const scope_t *sc, db_t *db, const char *table, int64_t id, int64_t *person_id, int64_t *org_id)
{
    const char *t = owned_table(table);
    if (!t) return DB_ERR;
    char like[260], sql[400];
    int rc;
    if (strcmp(t, "household_link") == 0)
        snprintf(sql, sizeof sql,
                 "SELECT x.person_id, p.org_id FROM household_link x JOIN person p ON p.id = x.person_id"
                 " JOIN org o ON o.id = p.org_id WHERE x.id = ? AND o.path LIKE ?");
    else
        snprintf(sql, sizeof sql,
                 "SELECT x.person_id, x.org_id FROM %s x JOIN org o ON o.id = x.org_id WHERE x.id = ? AND o.path LIKE ?",
                 t);
    db_stmt_t *st = db_query(db, &rc, sql, "it", id, scope_subtree_like(sc, like));
    if (!st) return rc;
    if (rc == DB_ROW) {
        *person_id = db_col_is_null(st, 0) ? 0 : db_col_int(st, 0);
        *org_id = db_col_int(st, 1);
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

/* Per-table SELECT (columns after "SELECT ", from x joined to org o) and spec. */
typedef struct list_def {
    const char *what, *cols, *spec, *order;
} list_def_t;

static const list_def_t lists[] = {
    {"referral",
     "x.id, x.person_id, x.consultation_id, t.code, t.name, x.to_service, x.reason, x.status, x.outcome, x.created_at,"
     " x.updated_at FROM referral x LEFT JOIN org t ON t.id = x.to_org_id JOIN org o ON o.id = x.org_id",
     "id:i person_id:i consultation_id:n to_org:t to_org_name:t to_service:t reason:t status:t outcome:t created_at:i "
     "updated_at:i",
     "x.id DESC"},
    {"appointment",
     "x.id, x.person_id, x.date, x.time, x.duration_minutes, x.purpose, x.place, x.status, x.created_at"
     " FROM appointment x JOIN org o ON o.id = x.org_id",
     "id:i person_id:n date:t time:t duration_minutes:i purpose:t place:t status:t created_at:i", "x.date DESC, x.time DESC"},
    {"followup",
     "x.id, x.person_id, x.due_date, x.note, x.done_at, x.created_at FROM followup x JOIN org o ON o.id = x.org_id",
     "id:i person_id:i due_date:t note:t done_at:n created_at:i", "x.due_date DESC"},
    {"consent",
     "x.id, x.person_id, x.kind, x.given_on, x.withdrawn_on, x.note, x.recorded_at FROM consent x"
     " JOIN org o ON o.id = x.org_id",
     "id:i person_id:i kind:t given_on:t withdrawn_on:t note:t recorded_at:i", "x.id DESC"},
    {"household_link",
     "x.id, x.person_id, x.other_id, q.given_name, q.family_name, x.relation, x.created_at FROM household_link x"
     " JOIN person q ON q.id = x.other_id JOIN person p ON p.id = x.person_id JOIN org o ON o.id = p.org_id",
     "id:i person_id:i other_id:i other_given_name:s other_family_name:s relation:t created_at:i", "x.id"},
    {"permit",
     "x.id, x.person_id, x.kind, x.number, x.issued_on, x.expiry, x.created_at FROM permit x"
     " JOIN org o ON o.id = x.org_id",
     "id:i person_id:i kind:t number:t issued_on:t expiry:t created_at:i", "x.expiry DESC"},
    {"person_document",
     "x.id, x.person_id, x.title, x.filename, x.content_type, x.size, x.sha256, x.created_at, x.storage"
     " FROM person_document x JOIN org o ON o.id = x.org_id",
     "id:i person_id:i title:t filename:t content_type:t size:i sha256:t created_at:i storage:t", "x.id DESC"},
};

static const list_def_t *list_def(const char *what)
{
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (strcmp(lists[i].what, what) == 0) return &lists[i];
    return NULL;
}

int desk_store_list_of_person(db_t *db, const char *what, int64_t person_id, json_t *items)
{
    const list_def_t *d = list_def(what);
    if (!d) return DB_ERR;
    char sql[800];
    snprintf(sql, sizeof sql, "SELECT %s WHERE x.person_id = ? ORDER BY %s LIMIT 500", d->cols, d->order);
    int rc;
    db_stmt_t *st = db_query(db, &rc, sql, "i", person_id);
    return desk_store_rows_into(st, rc, d->spec, items);
}

int desk_store_row_get(const scope_t *sc, db_t *db, const char *what, int64_t id, json_t **out)
{
    const list_def_t *d = list_def(what);
    if (!d) return DB_ERR;
    char sql[800], like[260];
    snprintf(sql, sizeof sql, "SELECT %s WHERE x.id = ? AND o.path LIKE ?", d->cols);
    int rc;
    db_stmt_t *st = db_query(db, &rc, sql, "it", id, scope_subtree_like(sc, like));
    return desk_store_one_into(st, rc, d->spec, out);
}

int desk_store_consent_insert(db_t *db, int64_t person_id, int64_t org_id, const char *kind, const char *given_on,
                         const char *note, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO consent (person_id, org_id, kind, given_on, note, recorded_by, recorded_at)"
                             " VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "iitttii", person_id, org_id, kind, given_on, note, by, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_consent_withdraw(db_t *db, int64_t id, const char *on, int64_t by)
{
    return db_run(db, "UPDATE consent SET withdrawn_on = ?, withdrawn_by = NULLIF(?, 0) WHERE id = ? AND withdrawn_on IS NULL",
                  "tii", on, by, id);
}

int desk_store_household_insert(db_t *db, int64_t person_id, int64_t other_id, const char *relation, int64_t by,
                           int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO household_link (person_id, other_id, relation, created_by, created_at)"
                             " VALUES (?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "iitii", person_id, other_id, relation, by, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_household_delete(db_t *db, int64_t id)
{
    return db_run(db, "DELETE FROM household_link WHERE id = ?", "i", id);
}

int desk_store_permit_insert(db_t *db, int64_t person_id, int64_t org_id, const char *kind, const char *number,
                        const char *issued, const char *expiry, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO permit (person_id, org_id, kind, number, issued_on, expiry, created_by,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "iittttiii", person_id, org_id, kind, number, issued, expiry, by, now, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_permit_delete(db_t *db, int64_t id)
{
    return db_run(db, "DELETE FROM permit WHERE id = ?", "i", id);
}

int desk_store_document_insert(db_t *db, int64_t person_id, int64_t org_id, const char *title, const char *filename,
                          const char *type, int64_t size, const char *sha, const char *storage, int64_t by,
                          int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO person_document (person_id, org_id, title, filename, content_type, size, sha256,"
                             " storage, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?)"
                             " RETURNING id",
                             "iitttittii", person_id, org_id, title, filename, type, size, sha, storage, by, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_document_delete(db_t *db, int64_t id)
{
    return db_run(db, "DELETE FROM person_document WHERE id = ?", "i", id);
}
