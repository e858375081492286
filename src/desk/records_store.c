/* records_store.c — the SQL of what else is held about a person (consents,
 * household links, permits, documents) and of the per-person records of
 * every kind: one table of their columns serves the lists, the scoped loads
 * and the deletes (see store.h). */
#include "store.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record kind: its table (never user input), the columns of its API
 * object (from x, joined to the org o that scopes it), their types and the
 * order of a person's list. Household links are scoped by their person's
 * organisation. */
typedef struct record_def {
    const char *kind, *cols, *types, *order;
} record_def_t;

static const record_def_t defs[] = {
    {"referral",
     "x.id AS id, x.person_id AS person_id, x.consultation_id AS consultation_id, t.code AS to_org,"
     " t.name AS to_org_name, x.to_service AS to_service, x.reason AS reason, x.status AS status,"
     " x.outcome AS outcome, x.created_at AS created_at, x.updated_at AS updated_at,"
     " x.to_dir_service_id AS service_id, x.answer_note AS answer_note, x.answered_at AS answered_at,"
     " x.org_id AS scope_org"
     " FROM referral x LEFT JOIN org t ON t.id = x.to_org_id JOIN org o ON o.id = x.org_id",
     "iiittttttii" "iti" "-", "x.id DESC"},
    {"appointment",
     "x.id AS id, x.person_id AS person_id, x.date AS date, x.time AS time, x.duration_minutes AS duration_minutes,"
     " x.purpose AS purpose, x.place AS place, x.status AS status, x.created_at AS created_at, x.org_id AS scope_org"
     " FROM appointment x JOIN org o ON o.id = x.org_id",
     "iittittti-", "x.date DESC, x.time DESC"},
    {"followup",
     "x.id AS id, x.person_id AS person_id, x.due_date AS due_date, x.note AS note, x.done_at AS done_at,"
     " x.created_at AS created_at, x.org_id AS scope_org FROM followup x JOIN org o ON o.id = x.org_id",
     "iittii-", "x.due_date DESC"},
    {"consent",
     "x.id AS id, x.person_id AS person_id, x.kind AS kind, x.given_on AS given_on, x.withdrawn_on AS withdrawn_on,"
     " x.note AS note, x.recorded_at AS recorded_at, x.org_id AS scope_org FROM consent x JOIN org o ON o.id = x.org_id",
     "iitttti-", "x.id DESC"},
    {"household_link",
     "x.id AS id, x.person_id AS person_id, x.other_id AS other_id, COALESCE(q.given_name, '') AS other_given_name,"
     " COALESCE(q.family_name, '') AS other_family_name, x.relation AS relation, x.created_at AS created_at,"
     " p.org_id AS scope_org FROM household_link x JOIN person q ON q.id = x.other_id"
     " JOIN person p ON p.id = x.person_id JOIN org o ON o.id = p.org_id",
     "iiittti-", "x.id"},
    {"permit",
     "x.id AS id, x.person_id AS person_id, x.kind AS kind, x.number AS number, x.issued_on AS issued_on,"
     " x.expiry AS expiry, x.created_at AS created_at, x.org_id AS scope_org FROM permit x"
     " JOIN org o ON o.id = x.org_id",
     "iitttti-", "x.expiry DESC"},
    {"person_document",
     "x.id AS id, x.person_id AS person_id, x.title AS title, x.filename AS filename,"
     " x.content_type AS content_type, x.size AS size, x.sha256 AS sha256, x.created_at AS created_at,"
     " x.storage AS storage, x.org_id AS scope_org FROM person_document x JOIN org o ON o.id = x.org_id",
     "iitttitit-", "x.id DESC"},
};

static const record_def_t *def_of(const char *kind)
{
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
        if (strcmp(defs[i].kind, kind) == 0) return &defs[i];
    return NULL;
}

int desk_store_person_records(db_t *db, const char *kind, const desk_person_ref_t *ref, json_t *items)
{
    const record_def_t *d = def_of(kind);
    if (!d) return DB_ERR;
    char sql[900];
    snprintf(sql, sizeof sql, "SELECT %s WHERE x.person_id = ? ORDER BY %s LIMIT 500", d->cols, d->order);
    return db_list_json(db, items, d->types, sql, "i", ref->id);
}

/* The row of record `id` of `d` in scope, with its organisation last. */
static db_stmt_t *record_query(const scope_t *sc, db_t *db, const record_def_t *d, int64_t id, int *rc)
{
    char sql[900];
    snprintf(sql, sizeof sql, "SELECT %s WHERE x.id = ? AND o.path LIKE ?", d->cols);
    return desk_store_query_id(sc, db, sql, id, rc);
}

int desk_store_record_load(const scope_t *sc, db_t *db, const char *kind, int64_t id, desk_record_ref_t *ref,
                           json_t **out)
{
    const record_def_t *d = def_of(kind);
    if (!d) return DB_ERR;
    int rc;
    db_stmt_t *st = record_query(sc, db, d, id, &rc);
    if (!st) return rc;
    if (rc == DB_ROW) {
        int last = (int)strlen(d->types) - 1;
        ref->kind = d->kind;
        ref->id = id;
        ref->person_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
        ref->org_id = db_col_int(st, last);
        if (out) *out = db_row_json(st, d->types);
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int desk_store_record_delete(db_t *db, const desk_record_ref_t *ref)
{
    const record_def_t *d = def_of(ref->kind);
    if (!d || !strcmp(d->kind, "consent")) return DB_ERR; /* consents are withdrawn, never deleted */
    char sql[80];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?", d->kind);
    return db_run(db, sql, "i", ref->id);
}

int desk_store_consent_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *kind,
                              const char *given_on, const char *note, int64_t now, desk_record_ref_t *out)
{
    *out = (desk_record_ref_t){"consent", 0, p->id, p->org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO consent (person_id, org_id, kind, given_on, note, recorded_by, recorded_at)"
                        " VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                        "iitttii", p->id, p->org_id, kind, given_on, note, sc->user_id, now);
}

int desk_store_consent_withdraw(const scope_t *sc, db_t *db, const desk_record_ref_t *ref, const char *on)
{
    return db_run(db, "UPDATE consent SET withdrawn_on = ?, withdrawn_by = NULLIF(?, 0) WHERE id = ? AND withdrawn_on IS NULL",
                  "tii", on, sc->user_id, ref->id);
}

int desk_store_household_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p,
                                const desk_person_ref_t *other, const char *relation, int64_t now,
                                desk_record_ref_t *out)
{
    *out = (desk_record_ref_t){"household_link", 0, p->id, p->org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO household_link (person_id, other_id, relation, created_by, created_at)"
                        " VALUES (?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                        "iitii", p->id, other->id, relation, sc->user_id, now);
}

int desk_store_permit_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *kind,
                             const char *number, const char *issued, const char *expiry, int64_t now,
                             desk_record_ref_t *out)
{
    *out = (desk_record_ref_t){"permit", 0, p->id, p->org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO permit (person_id, org_id, kind, number, issued_on, expiry, created_by,"
                        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                        "iittttiii", p->id, p->org_id, kind, number, issued, expiry, sc->user_id, now, now);
}

int desk_store_document_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *title,
                               const char *filename, const char *type, int64_t size, const char *sha,
                               const char *storage, int64_t now, desk_record_ref_t *out)
{
    *out = (desk_record_ref_t){"person_document", 0, p->id, p->org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO person_document (person_id, org_id, title, filename, content_type, size, sha256, storage,"
                        " uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                        "iitttittii", p->id, p->org_id, title, filename, type, size, sha, storage, sc->user_id,
                        now);
}
