/* store.c — the SQL of the directory (see store.h). Every value is bound,
 * never spliced; one fixed statement per query (filters that are not asked
 * bind a pattern matching everything). Portable between SQLite and
 * PostgreSQL. */
#include "store.h"
#include "app/org.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies a C string into a fixed buffer (NULL gives ""). */
static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* Fills `out` from an org_t. */
static void from_org(const org_t *org, dir_org_t *out)
{
    out->id = org->id;
    copy(out->code, sizeof out->code, org->code);
    copy(out->name, sizeof out->name, org->name);
}

int dir_store_district_public(db_t *db, const char *code, dir_district_t *out)
{
    org_t org;
    int rc = org_public(db, code ? code : "", &org);
    if (rc) return rc;
    if (strcmp(org.kind, "ambito") != 0) return 1;
    from_org(&org, out);
    return 0;
}

/* The organisation `code` of the scope's subtree (an ancestor it only sees does not count). */
static int subtree_org(const scope_t *sc, db_t *db, const char *code, org_t *org)
{
    int rc = org_visible(sc, db, code ? code : "", org);
    return rc ? rc : scope_covers(sc, org->path) ? 0 : 1;
}

int dir_store_org(const scope_t *sc, db_t *db, const char *code, dir_org_t *out)
{
    org_t org;
    int rc = subtree_org(sc, db, code, &org);
    if (!rc) from_org(&org, out);
    return rc;
}

int dir_store_district(const scope_t *sc, db_t *db, const char *code, dir_district_t *out)
{
    org_t org;
    int rc = subtree_org(sc, db, code, &org);
    if (!rc && strcmp(org.kind, "ambito") != 0) rc = 1;
    if (!rc) from_org(&org, out);
    return rc;
}

int dir_store_district_list(db_t *db, json_t *items)
{
    return db_list_json(db, items, "tt", "SELECT code, name FROM org WHERE kind = 'ambito' ORDER BY name", "");
}

/* ---- associations ------------------------------------------------------------- */

int dir_store_association_insert(db_t *db, const dir_district_t *d, const dir_association_input_t *in,
                                 const char *token, int64_t now, int64_t *id)
{
    char *c = dir_store_list_text(in->communities), *l = dir_store_list_text(in->languages),
         *a = dir_store_list_text(in->activities);
    int rc = db_insert_id(db, id,
                          "INSERT INTO dir_association (org_id, name, email, description, legal_form, runts, phone,"
                          " website, communities, languages, activities, confirm_token, created_at, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "itttttttttttii", d->id, in->name, in->email, in->description ? in->description : "",
                          in->legal_form, in->runts, in->phone, in->website, c, l, a, token, now, now);
    free(c);
    free(l);
    free(a);
    return rc;
}

char *dir_store_list_text(const json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT) : strdup("[]");
}

void dir_store_lists_parse(json_t *o, const char *const keys[3])
{
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_loads(jstr_or_empty(o, keys[i]), 0, NULL);
        json_object_set_new(o, keys[i], json_is_array(v) ? v : json_array());
        if (!json_is_array(v)) json_decref(v);
    }
}

#define ASSOC_COLS                                                                                           \
    "SELECT a.id, a.org_id, COALESCE(a.user_id, 0), a.name, a.email, a.status, o.code, a.email_confirmed"    \
    " FROM dir_association a JOIN org o ON o.id = a.org_id "

/* Where each column of ASSOC_COLS goes. */
static const db_field_t association_map[] = {
    DB_INT(dir_association_t, id),        DB_INT(dir_association_t, org_id),   DB_INT(dir_association_t, user_id),
    DB_TEXT(dir_association_t, name),     DB_TEXT(dir_association_t, email),   DB_TEXT(dir_association_t, status),
    DB_TEXT(dir_association_t, org_code), DB_INT(dir_association_t, email_confirmed)};

int dir_store_association_by_token(db_t *db, const char *token, dir_association_t *out)
{
    return db_get_row(db, DB_MAP(association_map), out, sizeof *out, ASSOC_COLS "WHERE a.confirm_token = ?", "t",
                      token);
}

/* D5: the reviewer's subtree, or the scope's own association. */
#define ASSOC_OWN " ((? = 1 AND o.path LIKE ?) OR (? > 0 AND a.user_id = ?)) "
#define ASSOC_OWN_ARGS(sc)                                                                             \
    (int64_t)scope_can(sc, CAP_ASSOCIATION_REVIEW), scope_subtree_like(sc),                            \
        (int64_t)(scope_can(sc, CAP_ASSOCIATION_SELF) ? (sc)->user_id : 0),                                  \
        (int64_t)(scope_can(sc, CAP_ASSOCIATION_SELF) ? (sc)->user_id : 0)
/* D2: approved ones are public, the others seen by their own only. */
#define ASSOC_VIS " (a.status = 'approved' OR" ASSOC_OWN ") "

int dir_store_association_get(const scope_t *sc, db_t *db, int64_t id, dir_association_t *out)
{
    return db_get_row(db, DB_MAP(association_map), out, sizeof *out, ASSOC_COLS "WHERE a.id = ? AND" ASSOC_VIS,
                      "iitii", id, ASSOC_OWN_ARGS(sc));
}

int dir_store_association_own(const scope_t *sc, db_t *db, int64_t id, dir_association_t *out)
{
    return db_get_row(db, DB_MAP(association_map), out, sizeof *out, ASSOC_COLS "WHERE a.id = ? AND" ASSOC_OWN,
                      "iitii", id, ASSOC_OWN_ARGS(sc));
}

int dir_store_association_self(const scope_t *sc, db_t *db, int64_t *id)
{
    int rc;
    *id = 0;
    if (!sc->user_id) return 0;
    db_stmt_t *st = db_query(db, &rc, "SELECT id FROM dir_association WHERE user_id = ?", "i", sc->user_id);
    if (!st) return rc;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int dir_store_association_confirm(db_t *db, const dir_association_t *a, int64_t now)
{
    return db_run(db, "UPDATE dir_association SET email_confirmed = 1, updated_at = ? WHERE id = ?", "ii", now,
                  a->id);
}

int dir_store_association_decide(db_t *db, const dir_association_t *a, const char *status, const char *reason,
                                 int64_t user_id, int64_t now)
{
    if (user_id)
        return db_run(db,
                      "UPDATE dir_association SET status = ?, reason = ?, user_id = ?, reviewed_at = ?,"
                      " updated_at = ? WHERE id = ?",
                      "ttiiii", status, reason, user_id, now, now, a->id);
    return db_run(db,
                  "UPDATE dir_association SET status = ?, reason = ?, reviewed_at = ?, updated_at = ? WHERE id = ?",
                  "ttiii", status, reason, now, now, a->id);
}

/* Sets one text column of the association when `v` is given. */
static int set_text(db_t *db, const char *sql, const char *v, int64_t id)
{
    return v ? db_run(db, sql, "ti", v, id) : 0;
}

/* Sets one list column of the association when `v` is given. */
static int set_list(db_t *db, const char *sql, const json_t *v, int64_t id)
{
    if (!v) return 0;
    char *t = dir_store_list_text(v);
    int rc = db_run(db, sql, "ti", t, id);
    free(t);
    return rc;
}

int dir_store_association_update(db_t *db, const dir_association_t *a, const dir_association_input_t *in,
                                 int64_t now)
{
    int64_t id = a->id;
    int rc;
    if ((rc = set_text(db, "UPDATE dir_association SET name = ? WHERE id = ?", in->name, id)) ||
        (rc = set_text(db, "UPDATE dir_association SET description = ? WHERE id = ?", in->description, id)) ||
        (rc = set_text(db, "UPDATE dir_association SET legal_form = ? WHERE id = ?", in->legal_form, id)) ||
        (rc = set_text(db, "UPDATE dir_association SET runts = ? WHERE id = ?", in->runts, id)) ||
        (rc = set_text(db, "UPDATE dir_association SET phone = ? WHERE id = ?", in->phone, id)) ||
        (rc = set_text(db, "UPDATE dir_association SET website = ? WHERE id = ?", in->website, id)) ||
        (rc = set_list(db, "UPDATE dir_association SET communities = ? WHERE id = ?", in->communities, id)) ||
        (rc = set_list(db, "UPDATE dir_association SET languages = ? WHERE id = ?", in->languages, id)) ||
        (rc = set_list(db, "UPDATE dir_association SET activities = ? WHERE id = ?", in->activities, id)))
        return rc;
    return db_run(db, "UPDATE dir_association SET updated_at = ? WHERE id = ?", "ii", now, id);
}

#define ASSOC_JSON_COLS                                                                                      \
    "SELECT a.id, o.code AS org, a.name, a.description, a.legal_form, a.runts, a.phone, a.website,"         \
    " a.communities, a.languages, a.activities, a.email, a.status, a.email_confirmed AS email_confirmed,"    \
    " a.reason FROM dir_association a JOIN org o ON o.id = a.org_id "
#define ASSOC_JSON_TYPES "i" "tttttttttttt" "bt" /* one letter per column above */

/* Turns the stored JSON list texts of an association row into arrays and,
 * unless `private`, drops what only its district sees. */
static void association_shape(json_t *o, bool private)
{
    static const char *const lists[] = {"communities", "languages", "activities"};
    dir_store_lists_parse(o, lists);
    if (!private) {
        json_object_del(o, "email");
        json_object_del(o, "email_confirmed");
        json_object_del(o, "reason");
    }
}

int dir_store_association_json(db_t *db, const dir_association_t *a, bool private, json_t **out)
{
    int rc = db_get_json(db, out, ASSOC_JSON_TYPES, ASSOC_JSON_COLS "WHERE a.id = ?", "i", a->id);
    if (rc) return rc;
    association_shape(*out, private);
    return 0;
}

int dir_store_association_list(const scope_t *sc, db_t *db, int64_t org_id, const char *status, int64_t cursor,
                               int limit, bool private, json_t *items)
{
    int rc = db_list_json(db, items, ASSOC_JSON_TYPES,
                          ASSOC_JSON_COLS "WHERE a.id > ? AND (? = 0 OR a.org_id = ?) AND a.status LIKE ?"
                          " AND ((? = 0 AND a.status = 'approved') OR (? = 1 AND" ASSOC_OWN "))"
                          " ORDER BY a.id LIMIT ?",
                          "iiitiiitiii", cursor, org_id, org_id, status ? status : "%", (int64_t)private,
                          (int64_t)private, ASSOC_OWN_ARGS(sc), (int64_t)limit);
    if (rc) return rc;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) association_shape(o, private);
    return 0;
}
