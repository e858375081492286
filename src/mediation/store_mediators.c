/* store_mediators.c — the SQL of districts, mediator accounts, the register
 * of mediators and requesting bodies (see store.h). Every scoped read binds
 * the scope's visibility (store_vis.h); every value is bound, never spliced.
 * Portable between SQLite and PostgreSQL. One statement at a time: child rows
 * are read after the parent cursor is closed. */
#include "store_vis.h"
#include "app/org.h"
#include "core/ical.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

vis_t med_vis(const scope_t *sc)
{
    vis_t v;
    v.manage = scope_can(sc, CAP_MEDIATION_MANAGE);
    v.like = scope_subtree_like(sc);
    v.self_uid = scope_can(sc, CAP_MEDIATION_SELF) ? sc->user_id : 0;
    return v;
}

void med_copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

json_t *med_local_time(int64_t t)
{
    char b[17];
    rome_format(t, b);
    return json_string(b);
}

/* ---- districts and accounts ---------------------------------------------------- */

int med_store_district(const scope_t *sc, db_t *db, const char *code, med_district_t *out)
{
    org_t org;
    int rc = org_visible(sc, db, code ? code : "", &org);
    if (rc) return rc;
    /* A district of the subtree itself, not an ancestor the scope only sees. */
    if (strcmp(org.kind, "ambito") != 0 || !scope_covers(sc, org.path)) return 1;
    out->org_id = org.id;
    med_copy(out->code, sizeof out->code, org.code);
    return 0;
}

static const db_field_t account_map[] = {DB_INT(med_account_t, user_id)};

int med_store_account(const scope_t *sc, db_t *db, const char *username, med_account_t *out)
{
    return db_get_row(db, DB_MAP(account_map), out, sizeof *out,
                      "SELECT u.id FROM app_user u JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id"
                      " WHERE u.username = ? AND g.role = 'mediator' AND o.path LIKE ?",
                      "tt", username, scope_subtree_like(sc));
}

/* ---- mediators -------------------------------------------------------------- */

int med_store_self_id(const scope_t *sc, db_t *db, int64_t *id)
{
    *id = 0;
    int rc = db_get_int(db, id, "SELECT id FROM mediator WHERE user_id = ?", "i", sc->user_id);
    return rc == 1 ? 0 : rc;
}

#define MED_COLS                                                                                              \
    "SELECT m.id, m.org_id, COALESCE(m.user_id, 0), o.code, m.given_name, m.family_name, m.email,"            \
    " m.calendar_token, m.active, m.remote FROM mediator m JOIN org o ON o.id = m.org_id "

/* Where the MED_COLS columns go. */
static const db_field_t mediator_map[] = {
    DB_INT(med_mediator_t, id),           DB_INT(med_mediator_t, org_id),         DB_INT(med_mediator_t, user_id),
    DB_TEXT(med_mediator_t, org_code),    DB_TEXT(med_mediator_t, given_name),    DB_TEXT(med_mediator_t, family_name),
    DB_TEXT(med_mediator_t, email),       DB_TEXT(med_mediator_t, calendar_token), DB_INT(med_mediator_t, active),
    DB_INT(med_mediator_t, remote),
};

int med_store_mediator_get(const scope_t *sc, db_t *db, int64_t id, med_mediator_t *out)
{
    vis_t v = med_vis(sc);
    return db_get_row(db, DB_MAP(mediator_map), out, sizeof *out, MED_COLS "WHERE m.id = ? AND" MED_VIS, "iitii", id,
                      MED_VIS_ARGS(v));
}

int med_store_mediator_by_token(db_t *db, const char *token, med_mediator_t *out)
{
    return db_get_row(db, DB_MAP(mediator_map), out, sizeof *out, MED_COLS "WHERE m.calendar_token = ?", "t", token);
}

int med_store_request_mediator(db_t *db, const med_request_t *r, med_mediator_t *out)
{
    return db_get_row(db, DB_MAP(mediator_map), out, sizeof *out, MED_COLS "WHERE m.id = ? AND m.org_id = ?", "ii",
                      r->mediator_id, r->org_id);
}

/* Appends to `arr` the one text column of each row of `sql` about mediator `id`. */
static int child_strings(db_t *db, const char *sql, int64_t id, json_t *arr)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, sql, "i", id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(arr, json_text(db_col_text(st, 0)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static json_t *hhmm(int minutes)
{
    return json_sprintf("%02d:%02d", minutes / 60, minutes % 60);
}

/* A mediator's done jobs in a year: their minutes worked and their count. */
typedef struct year_work {
    int64_t minutes, jobs;
} year_work_t;
static const db_field_t year_work_map[] = {DB_INT(year_work_t, minutes), DB_INT(year_work_t, jobs)};

/* Adds languages, domains, areas, availability and the year's minutes to a mediator object. */
static int mediator_children(db_t *db, int64_t id, int64_t year_from, int64_t year_to, json_t *o)
{
    json_t *langs = json_array(), *doms = json_array(), *areas = json_array(), *avail = json_array();
    json_object_set_new(o, "languages", langs);
    json_object_set_new(o, "domains", doms);
    json_object_set_new(o, "areas", areas);
    json_object_set_new(o, "availability", avail);
    int rc;
    if ((rc = child_strings(db, "SELECT lang FROM mediator_language WHERE mediator_id = ? ORDER BY lang", id, langs)) ||
        (rc = child_strings(db, "SELECT domain FROM mediator_domain WHERE mediator_id = ? ORDER BY domain", id, doms)) ||
        (rc = child_strings(db, "SELECT area FROM mediator_area WHERE mediator_id = ? ORDER BY area", id, areas)))
        return rc;
    if ((rc = db_list_json(db, avail, "iii",
                           "SELECT weekday AS weekday, start_min AS \"from\", end_min AS \"to\" FROM mediator_availability"
                           " WHERE mediator_id = ? ORDER BY weekday, start_min",
                           "i", id)))
        return rc;
    size_t i;
    json_t *w;
    json_array_foreach(avail, i, w) { /* minutes of the day as "HH:MM" */
        json_object_set_new(w, "from", hhmm((int)json_integer_value(json_object_get(w, "from"))));
        json_object_set_new(w, "to", hhmm((int)json_integer_value(json_object_get(w, "to"))));
    }
    year_work_t y;
    rc = db_get_row(db, DB_MAP(year_work_map), &y, sizeof y,
                    "SELECT COALESCE(SUM(minutes_worked), 0), COUNT(*) FROM mediation_request"
                    " WHERE mediator_id = ? AND status = 'done' AND start_at >= ? AND start_at < ?",
                    "iii", id, year_from, year_to);
    if (rc) return rc < 0 ? rc : 0;
    json_object_set_new(o, "minutes_this_year", json_integer(y.minutes));
    json_object_set_new(o, "hours_this_year",
                        json_sprintf("%lld:%02lld", (long long)(y.minutes / 60), (long long)(y.minutes % 60)));
    json_object_set_new(o, "jobs_this_year", json_integer(y.jobs));
    return 0;
}

/* The mediator's own columns, as JSON keys (qualifications and training
 * are JSON arrays in text; last_assigned_at a UTC instant, 0 never). */
#define MED_JSON_COLS                                                                                         \
    "SELECT m.id AS id, o.code AS org, m.given_name AS given_name, m.family_name AS family_name,"              \
    " m.email AS email, m.phone AS phone, m.qualifications AS qualifications, m.training AS training,"        \
    " m.notes AS notes, m.remote AS remote, m.active AS active, u.username AS username,"                     \
    " m.last_assigned_at AS last_assigned_at"                                                                \
    " FROM mediator m JOIN org o ON o.id = m.org_id LEFT JOIN app_user u ON u.id = m.user_id "
#define MED_JSON_TYPES "ittttttttbbti"

/* Replaces the text member `key` of `o` by the JSON array it holds ([] when it is none). */
static void parse_list(json_t *o, const char *key)
{
    json_error_t je;
    const char *text = jstr(o, key);
    json_t *v = text ? json_loads(text, 0, &je) : NULL;
    if (!json_is_array(v)) {
        json_decref(v);
        v = json_array();
    }
    json_object_set_new(o, key, v);
}

/* Turns a MED_JSON_COLS object into the API's mediator (before its children). */
static void mediator_shape(json_t *o)
{
    parse_list(o, "qualifications");
    parse_list(o, "training");
    json_int_t last = json_integer_value(json_object_get(o, "last_assigned_at"));
    json_object_set_new(o, "last_assigned_at", last ? med_local_time(last) : json_null());
}

int med_store_mediator_json(const scope_t *sc, db_t *db, int64_t id, int64_t year_from, int64_t year_to,
                            json_t **out)
{
    vis_t v = med_vis(sc);
    json_t *o = NULL;
    int rc = db_get_json(db, &o, MED_JSON_TYPES, MED_JSON_COLS "WHERE m.id = ? AND" MED_VIS, "iitii", id,
                         MED_VIS_ARGS(v));
    if (rc) return rc;
    mediator_shape(o);
    if ((rc = mediator_children(db, id, year_from, year_to, o))) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

int med_store_mediator_list(const scope_t *sc, db_t *db, const char *lang, int64_t cursor, int limit,
                            int64_t year_from, int64_t year_to, json_t *items)
{
    vis_t v = med_vis(sc);
    int rc = db_list_json(db, items, MED_JSON_TYPES,
                          MED_JSON_COLS "WHERE m.id > ? AND" MED_VIS
                                        " AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM mediator_language l"
                                        " WHERE l.mediator_id = m.id AND l.lang = ?)) ORDER BY m.id LIMIT ?",
                          "iitiitti", cursor, MED_VIS_ARGS(v), lang, lang, (int64_t)limit);
    if (rc) return rc;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        mediator_shape(o);
        if ((rc = mediator_children(db, json_integer_value(json_object_get(o, "id")), year_from, year_to, o)))
            return rc;
    }
    return 0;
}

static char *dump_list(json_t *arr)
{
    return arr ? json_dumps(arr, JSON_COMPACT) : NULL;
}

/* Replaces the rows of one child table of mediator `id` by the strings of `arr` (NULL: keeps them). */
static int replace_strings(db_t *db, const char *del, const char *ins, int64_t id, json_t *arr)
{
    if (!arr) return 0;
    int rc = db_run(db, del, "i", id);
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s) {
        if (rc) break;
        rc = db_run(db, ins, "it", id, json_string_value(s));
    }
    return rc;
}

/* Replaces the languages / domains / areas / availability given. */
static int mediator_lists(db_t *db, int64_t id, const med_mediator_input_t *in)
{
    int rc;
    if ((rc = replace_strings(db, "DELETE FROM mediator_language WHERE mediator_id = ?",
                              "INSERT INTO mediator_language (mediator_id, lang) VALUES (?, ?)", id, in->languages)) ||
        (rc = replace_strings(db, "DELETE FROM mediator_domain WHERE mediator_id = ?",
                              "INSERT INTO mediator_domain (mediator_id, domain) VALUES (?, ?)", id, in->domains)) ||
        (rc = replace_strings(db, "DELETE FROM mediator_area WHERE mediator_id = ?",
                              "INSERT INTO mediator_area (mediator_id, area) VALUES (?, ?)", id, in->areas)))
        return rc;
    if (!in->availability) return 0;
    rc = db_run(db, "DELETE FROM mediator_availability WHERE mediator_id = ?", "i", id);
    size_t i;
    json_t *w;
    json_array_foreach(in->availability, i, w) {
        if (rc) break;
        rc = db_run(db, "INSERT INTO mediator_availability (mediator_id, weekday, start_min, end_min) VALUES (?, ?, ?, ?)",
                    "iiii", id, (int64_t)json_integer_value(json_object_get(w, "weekday")),
                    (int64_t)med_hhmm(jstr(w, "from")), (int64_t)med_hhmm(jstr(w, "to")));
    }
    return rc;
}

int med_store_mediator_insert(db_t *db, const med_district_t *d, const med_mediator_input_t *in,
                              const med_account_t *account, const char *token, int64_t now, int64_t *id)
{
    char *q = dump_list(in->qualifications), *t = dump_list(in->training);
    int rc = db_insert_id(db, id,
                          "INSERT INTO mediator (org_id, user_id, given_name, family_name, email, phone,"
                          " qualifications, training, notes, remote, active, calendar_token, created_at, updated_at)"
                          " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "iittttttt" "iitii", d->org_id, account ? account->user_id : 0, in->given_name,
                          in->family_name, in->email, in->phone, q ? q : "[]", t ? t : "[]", in->notes,
                          (int64_t)(in->remote != 0), (int64_t)(in->active != 0), token, now, now);
    free(q);
    free(t);
    return rc ? rc : mediator_lists(db, *id, in);
}

int med_store_mediator_update(db_t *db, const med_mediator_t *m, const med_mediator_input_t *in, int64_t now)
{
    char *q = dump_list(in->qualifications), *t = dump_list(in->training);
    int rc = db_run(db,
                    "UPDATE mediator SET given_name = COALESCE(?, given_name), family_name = COALESCE(?, family_name),"
                    " email = COALESCE(?, email), phone = COALESCE(?, phone), notes = COALESCE(?, notes),"
                    " qualifications = COALESCE(?, qualifications), training = COALESCE(?, training),"
                    " remote = CASE WHEN ? < 0 THEN remote ELSE ? END, active = CASE WHEN ? < 0 THEN active ELSE ? END,"
                    " updated_at = ? WHERE id = ?",
                    "ttttttt" "iiiiii", in->given_name, in->family_name, in->email, in->phone, in->notes, q, t,
                    (int64_t)in->remote, (int64_t)(in->remote > 0), (int64_t)in->active, (int64_t)(in->active > 0),
                    now, m->id);
    free(q);
    free(t);
    return rc ? rc : mediator_lists(db, m->id, in);
}

/* ---- bodies -------------------------------------------------------------------- */

int med_store_body_list(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(db, items, "itttttb",
                        "SELECT b.id AS id, o.code AS org, b.name AS name, b.kind AS kind, b.email AS email,"
                        " b.ask_token AS ask_token, b.active AS active FROM mediation_body b"
                        " JOIN org o ON o.id = b.org_id WHERE o.path LIKE ? AND ? = 1 ORDER BY o.code, b.name",
                        "ti", scope_subtree_like(sc), (int64_t)scope_can(sc, CAP_MEDIATION_MANAGE));
}

/* Fills a body handle of district `d`. */
static void body_set(med_body_t *out, const med_district_t *d, int64_t id, const char *name)
{
    out->id = id;
    out->org_id = d->org_id;
    med_copy(out->org_code, sizeof out->org_code, d->code);
    med_copy(out->name, sizeof out->name, name);
}

int med_store_body_insert(db_t *db, const med_district_t *d, const med_body_input_t *in, const char *token,
                          int64_t now, med_body_t *out)
{
    int64_t id = 0;
    int rc = db_insert_id(db, &id,
                          "INSERT INTO mediation_body (org_id, name, kind, email, ask_token, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                          "itttti", d->org_id, in->name, in->kind, in->email, token, now);
    if (rc) return rc;
    body_set(out, d, id, in->name);
    return 0;
}

int med_store_body_in(db_t *db, const med_district_t *d, int64_t body_id, med_body_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT name FROM mediation_body WHERE id = ? AND org_id = ?", "ii", body_id,
                             d->org_id);
    if (!st) return rc;
    if (rc == DB_ROW) body_set(out, d, body_id, db_col_text(st, 0));
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int med_store_body_ensure(db_t *db, const med_district_t *d, const char *name, const char *token, int64_t now,
                          med_body_t *out)
{
    int64_t id;
    int rc = db_get_int(db, &id, "SELECT id FROM mediation_body WHERE org_id = ? AND name = ?", "it", d->org_id, name);
    if (rc < 0) return rc;
    if (rc == 0) {
        body_set(out, d, id, name);
        return 0;
    }
    med_body_input_t in = {name, "other", NULL, NULL};
    return med_store_body_insert(db, d, &in, token, now, out);
}

static const db_field_t body_map[] = {
    DB_INT(med_body_t, id), DB_INT(med_body_t, org_id), DB_TEXT(med_body_t, org_code), DB_TEXT(med_body_t, name),
};

int med_store_body_by_token(db_t *db, const char *token, med_body_t *out)
{
    return db_get_row(db, DB_MAP(body_map), out, sizeof *out,
                      "SELECT b.id, b.org_id, o.code, b.name FROM mediation_body b JOIN org o ON o.id = b.org_id"
                      " WHERE b.ask_token = ? AND b.active = 1",
                      "t", token);
}

int med_store_requester_ensure(db_t *db, const med_body_t *b, const char *name, const char *email, const char *phone,
                               int64_t now, med_requester_t *out)
{
    int rc = db_get_int(db, &out->id, "SELECT id FROM mediation_requester WHERE body_id = ? AND name = ?", "it", b->id,
                        name);
    if (rc < 0) return rc;
    if (rc == 0)
        return db_run(db, "UPDATE mediation_requester SET email = COALESCE(?, email), phone = COALESCE(?, phone) WHERE id = ?",
                      "tti", email, phone, out->id);
    return db_insert_id(db, &out->id,
                        "INSERT INTO mediation_requester (body_id, name, email, phone, created_at) VALUES (?, ?, ?, ?, ?)"
                        " RETURNING id",
                        "ittti", b->id, name, email, phone, now);
}
