/* store.c — the mediation module's SQL (see store.h). Every scoped read
 * binds the scope's visibility (MED_VIS / REQ_VIS below); every value is
 * bound, never spliced. Portable between SQLite and PostgreSQL: no engine
 * functions beyond COALESCE, LOWER, SUM, COUNT; CAST(? AS TEXT) IS NULL for
 * optional filters. One statement at a time: child rows are read after the
 * parent cursor is closed. */
#include "store.h"
#include "ops.h"
#include "core/ical.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

/* The scope's visibility, bound as parameters. */
typedef struct vis {
    int64_t manage;     /* 1 with CAP_MEDIATION_MANAGE */
    char like[260];     /* the subtree pattern */
    int64_t self_uid;   /* the user id with CAP_MEDIATION_SELF, else 0 */
} vis_t;

static void vis_init(const scope_t *sc, vis_t *v)
{
    v->manage = scope_can(sc, CAP_MEDIATION_MANAGE);
    scope_subtree_like(sc, v->like);
    v->self_uid = scope_can(sc, CAP_MEDIATION_SELF) ? sc->user_id : 0;
}

/* Mediator m (joined with org o) visible: params manage, like, self, self. */
#define MED_VIS " ((? = 1 AND o.path LIKE ?) OR (? > 0 AND m.user_id = ?)) "
#define MED_VIS_ARGS(v) (v).manage, (v).like, (v).self_uid, (v).self_uid
/* Request r (joined with org o) visible: params manage, like, self x3. */
#define REQ_VIS                                                                                              \
    " ((? = 1 AND o.path LIKE ?) OR (? > 0 AND (r.mediator_id = (SELECT sm.id FROM mediator sm WHERE sm.user_id = ?)" \
    " OR EXISTS (SELECT 1 FROM mediation_offer sf JOIN mediator sm2 ON sm2.id = sf.mediator_id"               \
    " WHERE sf.request_id = r.id AND sm2.user_id = ?)))) "
#define REQ_VIS_ARGS(v) (v).manage, (v).like, (v).self_uid, (v).self_uid, (v).self_uid

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static json_t *local_time(int64_t t)
{
    char b[17];
    rome_format(t, b);
    return json_string(b);
}

/* ---- mediators -------------------------------------------------------------- */

int medstore_self_id(db_t *db, int64_t user_id, int64_t *id)
{
    int rc;
    *id = 0;
    db_stmt_t *st = db_query(db, &rc, "SELECT id FROM mediator WHERE user_id = ?", "i", user_id);
    if (!st) return rc;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

#define MED_COLS                                                                                              \
    "SELECT m.id, m.org_id, COALESCE(m.user_id, 0), o.code, m.given_name, m.family_name, m.email,"            \
    " m.calendar_token, m.active, m.remote FROM mediator m JOIN org o ON o.id = m.org_id "

static int mediator_one(db_stmt_t *st, int rc, med_mediator_t *out)
{
    if (!st) return rc;
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        out->org_id = db_col_int(st, 1);
        out->user_id = db_col_int(st, 2);
        copy(out->org_code, sizeof out->org_code, db_col_text(st, 3));
        copy(out->given_name, sizeof out->given_name, db_col_text(st, 4));
        copy(out->family_name, sizeof out->family_name, db_col_text(st, 5));
        copy(out->email, sizeof out->email, db_col_text(st, 6));
        copy(out->calendar_token, sizeof out->calendar_token, db_col_text(st, 7));
        out->active = db_col_int(st, 8) != 0;
        out->remote = db_col_int(st, 9) != 0;
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int medstore_mediator_get(const scope_t *sc, db_t *db, int64_t id, med_mediator_t *out)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(db, &rc, MED_COLS "WHERE m.id = ? AND" MED_VIS, "iitii", id, MED_VIS_ARGS(v));
    return mediator_one(st, rc, out);
}

int medstore_mediator_by_token(db_t *db, int64_t id, const char *token, med_mediator_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, MED_COLS "WHERE m.id = ? AND m.calendar_token = ?", "it", id, token);
    return mediator_one(st, rc, out);
}

/* Appends to `o` the arrays of one child table of mediator `id`. */
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
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT weekday, start_min, end_min FROM mediator_availability WHERE mediator_id = ?"
                             " ORDER BY weekday, start_min",
                             "i", id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_array_append_new(avail, json_pack("{s:I, s:o, s:o}", "weekday", (json_int_t)db_col_int(st, 0), "from",
                                               hhmm((int)db_col_int(st, 1)), "to", hhmm((int)db_col_int(st, 2))));
    db_reset(st);
    if (rc < 0) return rc;
    st = db_query(db, &rc,
                  "SELECT COALESCE(SUM(minutes_worked), 0), COUNT(*) FROM mediation_request"
                  " WHERE mediator_id = ? AND status = 'done' AND start_at >= ? AND start_at < ?",
                  "iii", id, year_from, year_to);
    if (!st) return rc;
    if (rc == DB_ROW) {
        int64_t minutes = db_col_int(st, 0);
        json_object_set_new(o, "minutes_this_year", json_integer(minutes));
        json_object_set_new(o, "hours_this_year", json_sprintf("%lld:%02lld", (long long)(minutes / 60),
                                                               (long long)(minutes % 60)));
        json_object_set_new(o, "jobs_this_year", json_integer(db_col_int(st, 1)));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

#define MED_JSON_COLS                                                                                         \
    "SELECT m.id, o.code, m.given_name, m.family_name, m.email, m.phone, m.qualifications, m.training,"     \
    " m.notes, m.remote, m.active, u.username, m.last_assigned_at, m.created_at"                           \
    " FROM mediator m JOIN org o ON o.id = m.org_id LEFT JOIN app_user u ON u.id = m.user_id "

static json_t *json_list_text(const char *text)
{
    json_error_t je;
    json_t *v = text ? json_loads(text, 0, &je) : NULL;
    if (!json_is_array(v)) {
        json_decref(v);
        v = json_array();
    }
    return v;
}

static json_t *mediator_row(db_stmt_t *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
    json_object_set_new(o, "org", json_text(db_col_text(st, 1)));
    json_object_set_new(o, "given_name", json_text(db_col_text(st, 2)));
    json_object_set_new(o, "family_name", json_text(db_col_text(st, 3)));
    json_object_set_new(o, "email", json_text(db_col_text_or_null(st, 4)));
    json_object_set_new(o, "phone", json_text(db_col_text_or_null(st, 5)));
    json_object_set_new(o, "qualifications", json_list_text(db_col_text(st, 6)));
    json_object_set_new(o, "training", json_list_text(db_col_text(st, 7)));
    json_object_set_new(o, "notes", json_text(db_col_text_or_null(st, 8)));
    json_object_set_new(o, "remote", json_boolean(db_col_int(st, 9)));
    json_object_set_new(o, "active", json_boolean(db_col_int(st, 10)));
    json_object_set_new(o, "username", json_text(db_col_text_or_null(st, 11)));
    int64_t last = db_col_int(st, 12);
    json_object_set_new(o, "last_assigned_at", last ? local_time(last) : json_null());
    return o;
}

int medstore_mediator_json(const scope_t *sc, db_t *db, int64_t id, int64_t year_from, int64_t year_to, json_t **out)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(db, &rc, MED_JSON_COLS "WHERE m.id = ? AND" MED_VIS, "iitii", id, MED_VIS_ARGS(v));
    if (!st) return rc;
    json_t *o = rc == DB_ROW ? mediator_row(st) : NULL;
    db_reset(st);
    if (rc < 0) return rc;
    if (!o) return 1;
    if ((rc = mediator_children(db, id, year_from, year_to, o))) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

int medstore_mediator_list(const scope_t *sc, db_t *db, const char *lang, int64_t cursor, int limit,
                           int64_t year_from, int64_t year_to, json_t *items)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             MED_JSON_COLS "WHERE m.id > ? AND" MED_VIS
                                           " AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM mediator_language l"
                                           " WHERE l.mediator_id = m.id AND l.lang = ?)) ORDER BY m.id LIMIT ?",
                             "iitiitti", cursor, MED_VIS_ARGS(v), lang, lang, (int64_t)limit);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(items, mediator_row(st));
    db_reset(st);
    if (rc < 0) return rc;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        if ((rc = mediator_children(db, json_integer_value(json_object_get(o, "id")), year_from, year_to, o)))
            return rc;
    }
    return 0;
}

static char *dump_list(json_t *arr)
{
    return arr ? json_dumps(arr, JSON_COMPACT) : NULL;
}

int medstore_mediator_insert(db_t *db, const med_mediator_input_t *in, int64_t org_id, int64_t user_id,
                             const char *token, int64_t now, int64_t *id)
{
    char *q = dump_list(in->qualifications), *t = dump_list(in->training);
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO mediator (org_id, user_id, given_name, family_name, email, phone,"
                             " qualifications, training, notes, remote, active, calendar_token, created_at, updated_at)"
                             " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                             "iittttttt" "iitii", org_id, user_id, in->given_name, in->family_name, in->email,
                             in->phone, q ? q : "[]", t ? t : "[]", in->notes, (int64_t)(in->remote != 0),
                             (int64_t)(in->active != 0), token, now, now);
    free(q);
    free(t);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    return *id ? 0 : DB_ERR;
}

int medstore_mediator_update(db_t *db, int64_t id, const med_mediator_input_t *in, int64_t now)
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
                    now, id);
    free(q);
    free(t);
    return rc;
}

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

int medstore_mediator_lists(db_t *db, int64_t id, const med_mediator_input_t *in)
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
                    (int64_t)med_hhmm(json_string_value(json_object_get(w, "from"))),
                    (int64_t)med_hhmm(json_string_value(json_object_get(w, "to"))));
    }
    return rc;
}

int medstore_mediator_absence_add(db_t *db, int64_t id, int64_t from, int64_t to)
{
    return db_run(db, "INSERT INTO mediator_absence (mediator_id, from_at, to_at) VALUES (?, ?, ?)", "iii", id, from, to);
}

int medstore_mediator_account(const scope_t *sc, db_t *db, const char *username, int64_t *user_id)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT u.id FROM app_user u JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id"
                             " WHERE u.username = ? AND g.role = 'mediator' AND o.path LIKE ?",
                             "tt", username, scope_subtree_like(sc, like));
    if (!st) return rc;
    if (rc == DB_ROW) *user_id = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

/* ---- bodies -------------------------------------------------------------------- */

int medstore_body_list(const scope_t *sc, db_t *db, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT b.id, o.code, b.name, b.kind, b.email, b.ask_token, b.active FROM mediation_body b"
                             " JOIN org o ON o.id = b.org_id WHERE o.path LIKE ? AND ? = 1 ORDER BY o.code, b.name",
                             "ti", scope_subtree_like(sc, like), (int64_t)scope_can(sc, CAP_MEDIATION_MANAGE));
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_array_append_new(items, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)db_col_int(st, 0),
                                               "org", json_text(db_col_text(st, 1)), "name",
                                               json_text(db_col_text(st, 2)), "kind", json_text(db_col_text(st, 3)),
                                               "email", json_text(db_col_text_or_null(st, 4)), "ask_token",
                                               json_text(db_col_text(st, 5)), "active", (int)db_col_int(st, 6)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int medstore_body_insert(db_t *db, int64_t org_id, const char *name, const char *kind, const char *email,
                         const char *token, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO mediation_body (org_id, name, kind, email, ask_token, created_at)"
                             " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                             "itttti", org_id, name, kind, email, token, now);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    return *id ? 0 : DB_ERR;
}

int medstore_body_in(db_t *db, int64_t org_id, int64_t body_id, char *name, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT name FROM mediation_body WHERE id = ? AND org_id = ?", "ii", body_id, org_id);
    if (!st) return rc;
    if (rc == DB_ROW) copy(name, len, db_col_text(st, 0));
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int medstore_body_ensure(db_t *db, int64_t org_id, const char *name, const char *token, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT id FROM mediation_body WHERE org_id = ? AND name = ?", "it", org_id, name);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    if (*id) return 0;
    return medstore_body_insert(db, org_id, name, "other", NULL, token, now, id);
}

int medstore_body_by_token(db_t *db, const char *token, int64_t *body_id, int64_t *org_id, char *org_code,
                           char *name, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT b.id, b.org_id, o.code, b.name FROM mediation_body b JOIN org o ON o.id = b.org_id"
                             " WHERE b.ask_token = ? AND b.active = 1",
                             "t", token);
    if (!st) return rc;
    if (rc == DB_ROW) {
        *body_id = db_col_int(st, 0);
        *org_id = db_col_int(st, 1);
        copy(org_code, 64, db_col_text(st, 2));
        copy(name, len, db_col_text(st, 3));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int medstore_requester_ensure(db_t *db, int64_t body_id, const char *name, const char *email, const char *phone,
                              int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT id FROM mediation_requester WHERE body_id = ? AND name = ?", "it",
                             body_id, name);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    if (*id)
        return db_run(db, "UPDATE mediation_requester SET email = COALESCE(?, email), phone = COALESCE(?, phone) WHERE id = ?",
                      "tti", email, phone, *id);
    st = db_query(db, &rc,
                  "INSERT INTO mediation_requester (body_id, name, email, phone, created_at) VALUES (?, ?, ?, ?, ?)"
                  " RETURNING id",
                  "ittti", body_id, name, email, phone, now);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    return *id ? 0 : DB_ERR;
}

/* ---- requests -------------------------------------------------------------------- */

int medstore_request_insert(db_t *db, const med_request_input_t *in, int64_t org_id, int64_t body_id,
                            int64_t requester_id, int64_t start, int64_t created_by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "INSERT INTO mediation_request (org_id, body_id, requester_id, requester_name, requester_email, language,"
        " domain, start_at, minutes, end_at, remote, place, area, notes, status, created_by, created_at, updated_at)"
        " VALUES (?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', NULLIF(?, 0), ?, ?)"
        " RETURNING id",
        "iiittttiiiittt" "iii", org_id, body_id, requester_id, in->requester_name, in->requester_email, in->language,
        in->domain, start, in->minutes, start + in->minutes * 60, (int64_t)in->remote, in->place, in->area, in->notes,
        created_by, now, now);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    return *id ? 0 : DB_ERR;
}

#define REQ_COLS                                                                                               \
    "SELECT r.id, r.org_id, COALESCE(r.body_id, 0), COALESCE(r.requester_id, 0), COALESCE(r.mediator_id, 0),"  \
    " r.start_at, r.end_at, COALESCE(r.travel_hm, 0), COALESCE(r.total_cents, 0), r.minutes,"                  \
    " COALESCE(r.minutes_worked, 0), r.remote, o.code, o.name, r.language, r.domain, r.status,"                \
    " COALESCE(r.cancel_kind, ''), COALESCE(r.area, ''), COALESCE(r.place, ''), COALESCE(r.requester_name, ''),"\
    " COALESCE(r.requester_email, ''), COALESCE(b.name, '')"                                                   \
    " FROM mediation_request r JOIN org o ON o.id = r.org_id LEFT JOIN mediation_body b ON b.id = r.body_id "

static int request_one(db_stmt_t *st, int rc, med_request_t *out)
{
    if (!st) return rc;
    if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(st, 0);
        out->org_id = db_col_int(st, 1);
        out->body_id = db_col_int(st, 2);
        out->requester_id = db_col_int(st, 3);
        out->mediator_id = db_col_int(st, 4);
        out->start_at = db_col_int(st, 5);
        out->end_at = db_col_int(st, 6);
        out->travel_hm = db_col_int(st, 7);
        out->total_cents = db_col_int(st, 8);
        out->minutes = (int)db_col_int(st, 9);
        out->minutes_worked = (int)db_col_int(st, 10);
        out->remote = db_col_int(st, 11) != 0;
        copy(out->org_code, sizeof out->org_code, db_col_text(st, 12));
        copy(out->org_name, sizeof out->org_name, db_col_text(st, 13));
        copy(out->language, sizeof out->language, db_col_text(st, 14));
        copy(out->domain, sizeof out->domain, db_col_text(st, 15));
        copy(out->status, sizeof out->status, db_col_text(st, 16));
        copy(out->cancel_kind, sizeof out->cancel_kind, db_col_text(st, 17));
        copy(out->area, sizeof out->area, db_col_text(st, 18));
        copy(out->place, sizeof out->place, db_col_text(st, 19));
        copy(out->requester_name, sizeof out->requester_name, db_col_text(st, 20));
        copy(out->requester_email, sizeof out->requester_email, db_col_text(st, 21));
        copy(out->body_name, sizeof out->body_name, db_col_text(st, 22));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int medstore_request_get(const scope_t *sc, db_t *db, int64_t id, med_request_t *out)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(db, &rc, REQ_COLS "WHERE r.id = ? AND" REQ_VIS, "iitiii", id, REQ_VIS_ARGS(v));
    return request_one(st, rc, out);
}

int medstore_request_by_confirm(db_t *db, const char *token, med_request_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, REQ_COLS "WHERE r.confirm_token = ?", "t", token);
    return request_one(st, rc, out);
}

#define REQ_JSON_COLS                                                                                          \
    "SELECT r.id, o.code, r.status, r.language, r.domain, r.start_at, r.end_at, r.minutes, r.remote, r.place,"  \
    " r.area, r.notes, r.body_id, b.name, r.requester_name, r.requester_email, r.mediator_id, m.given_name,"     \
    " m.family_name, r.assigned_at, r.minutes_worked, r.travel_hm, r.cancel_kind, r.cancelled_at,"              \
    " r.cancel_reason, r.tariff_ref, r.billable_minutes, r.evening_minutes, r.holiday_minutes, r.base_cents,"   \
    " r.supplement_cents, r.travel_cents, r.total_cents, r.confirmed_at, r.rating, r.created_at, r.closed_at,"  \
    " m.user_id"                                                                                               \
    " FROM mediation_request r JOIN org o ON o.id = r.org_id LEFT JOIN mediation_body b ON b.id = r.body_id"    \
    " LEFT JOIN mediator m ON m.id = r.mediator_id "

/* The JSON of a request row; `full` shows notes and the requester's contact
 * (coordinators, and the mediator once the job is theirs). */
static json_t *request_row(db_stmt_t *st, int64_t self_uid, bool manage)
{
    json_t *o = json_object();
    bool mine = self_uid > 0 && !db_col_is_null(st, 37) && db_col_int(st, 37) == self_uid;
    bool full = manage || mine;
    json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
    json_object_set_new(o, "org", json_text(db_col_text(st, 1)));
    json_object_set_new(o, "status", json_text(db_col_text(st, 2)));
    json_object_set_new(o, "language", json_text(db_col_text(st, 3)));
    json_object_set_new(o, "domain", json_text(db_col_text(st, 4)));
    json_object_set_new(o, "start", local_time(db_col_int(st, 5)));
    json_object_set_new(o, "end", local_time(db_col_int(st, 6)));
    json_object_set_new(o, "minutes", json_integer(db_col_int(st, 7)));
    json_object_set_new(o, "remote", json_boolean(db_col_int(st, 8)));
    json_object_set_new(o, "place", json_text(db_col_text_or_null(st, 9)));
    json_object_set_new(o, "area", json_text(db_col_text_or_null(st, 10)));
    json_object_set_new(o, "notes", full ? json_text(db_col_text_or_null(st, 11)) : json_null());
    json_object_set_new(o, "body", db_col_is_null(st, 12) ? json_null()
                                   : json_pack("{s:I, s:o}", "id", (json_int_t)db_col_int(st, 12), "name",
                                               json_text(db_col_text(st, 13))));
    json_object_set_new(o, "requester", json_pack("{s:o, s:o}", "name", json_text(db_col_text_or_null(st, 14)),
                                                  "email", full ? json_text(db_col_text_or_null(st, 15)) : json_null()));
    json_object_set_new(o, "mediator", db_col_is_null(st, 16) ? json_null()
                                       : json_pack("{s:I, s:o, s:o}", "id", (json_int_t)db_col_int(st, 16),
                                                   "given_name", json_text(db_col_text(st, 17)), "family_name",
                                                   json_text(db_col_text(st, 18))));
    json_object_set_new(o, "assigned_at", db_col_is_null(st, 19) ? json_null() : local_time(db_col_int(st, 19)));
    json_object_set_new(o, "minutes_worked", db_col_is_null(st, 20) ? json_null() : json_integer(db_col_int(st, 20)));
    json_object_set_new(o, "travel_km", db_col_is_null(st, 21) ? json_null() : json_real((double)db_col_int(st, 21) / 10.0));
    json_object_set_new(o, "cancel", db_col_is_null(st, 22) ? json_null()
                                     : json_pack("{s:o, s:o, s:o}", "kind", json_text(db_col_text(st, 22)), "at",
                                                 local_time(db_col_int(st, 23)), "reason",
                                                 json_text(db_col_text_or_null(st, 24))));
    if (!db_col_is_null(st, 25))
        json_object_set_new(o, "pay", json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "tariff",
                                                json_text(db_col_text(st, 25)), "billable_minutes",
                                                (json_int_t)db_col_int(st, 26), "evening_minutes",
                                                (json_int_t)db_col_int(st, 27), "holiday_minutes",
                                                (json_int_t)db_col_int(st, 28), "base_cents",
                                                (json_int_t)db_col_int(st, 29), "supplement_cents",
                                                (json_int_t)db_col_int(st, 30), "travel_cents",
                                                (json_int_t)db_col_int(st, 31), "total_cents",
                                                (json_int_t)db_col_int(st, 32)));
    else
        json_object_set_new(o, "pay", json_null());
    json_object_set_new(o, "confirmed_at", db_col_is_null(st, 33) ? json_null() : local_time(db_col_int(st, 33)));
    json_object_set_new(o, "rating", db_col_is_null(st, 34) ? json_null() : json_integer(db_col_int(st, 34)));
    json_object_set_new(o, "created_at", local_time(db_col_int(st, 35)));
    json_object_set_new(o, "closed_at", db_col_is_null(st, 36) ? json_null() : local_time(db_col_int(st, 36)));
    return o;
}

int medstore_request_json(const scope_t *sc, db_t *db, int64_t id, json_t **out)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(db, &rc, REQ_JSON_COLS "WHERE r.id = ? AND" REQ_VIS, "iitiii", id, REQ_VIS_ARGS(v));
    if (!st) return rc;
    if (rc == DB_ROW) *out = request_row(st, v.self_uid, v.manage);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int medstore_request_list(const scope_t *sc, db_t *db, const char *status, int64_t mediator_id, int64_t from,
                          int64_t to, int64_t cursor, int limit, bool by_start, json_t *items)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    const char *sql = by_start
        ? REQ_JSON_COLS "WHERE r.id > ? AND" REQ_VIS " AND (CAST(? AS TEXT) IS NULL OR r.status = ?)"
                        " AND (? = 0 OR r.mediator_id = ?) AND (? = 0 OR r.start_at >= ?) AND (? = 0 OR r.start_at < ?)"
                        " ORDER BY r.start_at, r.id LIMIT ?"
        : REQ_JSON_COLS "WHERE r.id > ? AND" REQ_VIS " AND (CAST(? AS TEXT) IS NULL OR r.status = ?)"
                        " AND (? = 0 OR r.mediator_id = ?) AND (? = 0 OR r.start_at >= ?) AND (? = 0 OR r.start_at < ?)"
                        " ORDER BY r.id LIMIT ?";
    db_stmt_t *st = db_query(db, &rc, sql, "iitiii" "tt" "ii" "ii" "ii" "i", cursor, REQ_VIS_ARGS(v), status, status,
                             mediator_id, mediator_id, from, from, to, to, (int64_t)limit);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(items, request_row(st, v.self_uid, v.manage));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int medstore_slots_book(db_t *db, int64_t mediator_id, int64_t request_id, int64_t first, int64_t last)
{
    int rc = 0;
    for (int64_t s = first; s <= last && rc == 0; s++)
        rc = db_run(db, "INSERT INTO mediation_slot (mediator_id, slot, request_id) VALUES (?, ?, ?)", "iii",
                    mediator_id, s, request_id);
    return rc;
}

int medstore_slots_free(db_t *db, int64_t request_id)
{
    return db_run(db, "DELETE FROM mediation_slot WHERE request_id = ?", "i", request_id);
}

int medstore_request_assign(db_t *db, int64_t id, int64_t mediator_id, int64_t now)
{
    int rc = db_run(db,
                    "UPDATE mediation_request SET mediator_id = ?, status = 'assigned', assigned_at = ?, updated_at = ?"
                    " WHERE id = ? AND status IN ('open', 'offered')",
                    "iiii", mediator_id, now, now, id);
    if (rc) return rc;
    if (db_changes(db) != 1) return 1;
    return db_run(db, "UPDATE mediator SET last_assigned_at = ? WHERE id = ?", "ii", now, mediator_id);
}

int medstore_request_unassign(db_t *db, int64_t id, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET mediator_id = NULL, status = 'open', assigned_at = NULL, updated_at = ?"
                  " WHERE id = ?",
                  "ii", now, id);
}

int medstore_request_set_status(db_t *db, int64_t id, const char *status, int64_t now)
{
    return db_run(db, "UPDATE mediation_request SET status = ?, updated_at = ? WHERE id = ?", "tii", status, now, id);
}

int medstore_request_close(db_t *db, int64_t id, int minutes_worked, int64_t travel_hm, const char *tariff_ref,
                           const med_pay_t *p, const char *confirm_token, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET status = 'done', minutes_worked = ?, travel_hm = ?, closed_at = ?,"
                  " tariff_ref = ?, billable_minutes = ?, evening_minutes = ?, holiday_minutes = ?, base_cents = ?,"
                  " supplement_cents = ?, travel_cents = ?, total_cents = ?, confirm_token = ?, updated_at = ?"
                  " WHERE id = ?",
                  "iiit" "iii" "iiii" "tii", (int64_t)minutes_worked, travel_hm, now, tariff_ref,
                  (int64_t)p->billable_minutes, (int64_t)p->evening_minutes, (int64_t)p->holiday_minutes,
                  p->base_cents, p->supplement_cents, p->travel_cents, p->total_cents, confirm_token, now, id);
}

int medstore_request_cancel(db_t *db, int64_t id, const char *kind, const char *reason, const char *tariff_ref,
                            const med_pay_t *p, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET status = 'cancelled', cancel_kind = ?, cancel_reason = ?,"
                  " cancelled_at = ?, closed_at = ?, tariff_ref = ?, billable_minutes = ?, evening_minutes = ?,"
                  " holiday_minutes = ?, base_cents = ?, supplement_cents = ?, travel_cents = ?, total_cents = ?,"
                  " updated_at = ? WHERE id = ?",
                  "ttiit" "iii" "iiii" "ii", kind, reason, now, now, tariff_ref, (int64_t)p->billable_minutes,
                  (int64_t)p->evening_minutes, (int64_t)p->holiday_minutes, p->base_cents, p->supplement_cents,
                  p->travel_cents, p->total_cents, now, id);
}

int medstore_request_confirm(db_t *db, int64_t id, int rating, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET confirmed_at = ?, rating = NULLIF(?, 0), updated_at = ? WHERE id = ?",
                  "iiii", now, (int64_t)rating, now, id);
}

int medstore_reminders_due(db_t *db, int64_t from, int64_t to, json_t *ids)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id FROM mediation_request WHERE status = 'assigned' AND reminder_sent_at IS NULL"
                             " AND start_at >= ? AND start_at < ? ORDER BY start_at",
                             "ii", from, to);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(ids, json_integer(db_col_int(st, 0)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int medstore_reminder_sent(db_t *db, int64_t id, int64_t now)
{
    return db_run(db, "UPDATE mediation_request SET reminder_sent_at = ? WHERE id = ?", "ii", now, id);
}

/* ---- offers ---------------------------------------------------------------------- */

int medstore_offer_insert(db_t *db, int64_t request_id, int64_t mediator_id, bool auto_assign, int64_t now,
                          int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO mediation_offer (request_id, mediator_id, status, auto_assign, created_at)"
                             " VALUES (?, ?, 'open', ?, ?) RETURNING id",
                             "iiii", request_id, mediator_id, (int64_t)auto_assign, now);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    return *id ? 0 : DB_ERR;
}

int medstore_offer_get(const scope_t *sc, db_t *db, int64_t id, int64_t *request_id, int64_t *mediator_id,
                       char *status, bool *auto_assign)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT f.request_id, f.mediator_id, f.status, f.auto_assign FROM mediation_offer f"
                             " JOIN mediator m ON m.id = f.mediator_id JOIN org o ON o.id = m.org_id"
                             " WHERE f.id = ? AND" MED_VIS,
                             "iitii", id, MED_VIS_ARGS(v));
    if (!st) return rc;
    if (rc == DB_ROW) {
        *request_id = db_col_int(st, 0);
        *mediator_id = db_col_int(st, 1);
        copy(status, 16, db_col_text(st, 2));
        *auto_assign = db_col_int(st, 3) != 0;
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int medstore_offer_set(db_t *db, int64_t id, const char *status, int64_t now)
{
    return db_run(db, "UPDATE mediation_offer SET status = ?, answered_at = ? WHERE id = ?", "tii", status, now, id);
}

int medstore_offers_withdraw(db_t *db, int64_t request_id, int64_t keep_mediator, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_offer SET status = 'withdrawn', answered_at = ?"
                  " WHERE request_id = ? AND mediator_id <> ? AND status IN ('open', 'accepted')",
                  "iii", now, request_id, keep_mediator);
}

int medstore_offer_list(const scope_t *sc, db_t *db, int64_t request_id, int64_t mediator_id, const char *status,
                        json_t *items)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT f.id, f.request_id, f.mediator_id, m.given_name, m.family_name, f.status, f.auto_assign, f.created_at,"
        " f.answered_at, r.language, r.domain, r.start_at, r.minutes, r.remote, r.place, b.name, r.status"
        " FROM mediation_offer f JOIN mediator m ON m.id = f.mediator_id JOIN org o ON o.id = m.org_id"
        " JOIN mediation_request r ON r.id = f.request_id LEFT JOIN mediation_body b ON b.id = r.body_id"
        " WHERE" MED_VIS " AND (? = 0 OR f.request_id = ?) AND (? = 0 OR f.mediator_id = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR f.status = ?) ORDER BY r.start_at, f.id LIMIT 500",
        "itii" "ii" "ii" "tt", MED_VIS_ARGS(v), request_id, request_id, mediator_id, mediator_id, status, status);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
        json_object_set_new(o, "request_id", json_integer(db_col_int(st, 1)));
        json_object_set_new(o, "mediator", json_pack("{s:I, s:o, s:o}", "id", (json_int_t)db_col_int(st, 2),
                                                     "given_name", json_text(db_col_text(st, 3)), "family_name",
                                                     json_text(db_col_text(st, 4))));
        json_object_set_new(o, "status", json_text(db_col_text(st, 5)));
        json_object_set_new(o, "auto_assign", json_boolean(db_col_int(st, 6)));
        json_object_set_new(o, "created_at", local_time(db_col_int(st, 7)));
        json_object_set_new(o, "answered_at", db_col_is_null(st, 8) ? json_null() : local_time(db_col_int(st, 8)));
        json_object_set_new(o, "request", json_pack("{s:o, s:o, s:o, s:o, s:I, s:b, s:o, s:o, s:o}", "language",
                                                    json_text(db_col_text(st, 9)), "domain",
                                                    json_text(db_col_text(st, 10)), "start",
                                                    local_time(db_col_int(st, 11)), "end",
                                                    local_time(db_col_int(st, 11) + db_col_int(st, 12) * 60),
                                                    "minutes", (json_int_t)db_col_int(st, 12), "remote",
                                                    (int)db_col_int(st, 13), "place",
                                                    json_text(db_col_text_or_null(st, 14)), "body",
                                                    json_text(db_col_text_or_null(st, 15)), "status",
                                                    json_text(db_col_text(st, 16))));
        json_array_append_new(items, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- matching (M2) ------------------------------------------------------------------ */

int medstore_candidate_rows(db_t *db, const med_request_t *r, int weekday, int start_min, int end_min,
                            int64_t first_slot, int64_t last_slot, json_t *rows)
{
    int rc;
    const char *area = r->remote || !r->area[0] ? NULL : r->area;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT m.id, m.given_name, m.family_name, m.active, m.remote, m.last_assigned_at,"
        " CASE WHEN EXISTS (SELECT 1 FROM mediator_domain d WHERE d.mediator_id = m.id AND d.domain = ?) THEN 1 ELSE 0 END,"
        " CASE WHEN CAST(? AS TEXT) IS NULL OR NOT EXISTS (SELECT 1 FROM mediator_area a WHERE a.mediator_id = m.id)"
        "  OR EXISTS (SELECT 1 FROM mediator_area a WHERE a.mediator_id = m.id AND LOWER(a.area) = LOWER(?))"
        "  THEN 1 ELSE 0 END,"
        " CASE WHEN NOT EXISTS (SELECT 1 FROM mediator_availability w WHERE w.mediator_id = m.id)"
        "  OR EXISTS (SELECT 1 FROM mediator_availability w WHERE w.mediator_id = m.id AND w.weekday = ?"
        "  AND w.start_min <= ? AND w.end_min >= ?) THEN 1 ELSE 0 END,"
        " CASE WHEN EXISTS (SELECT 1 FROM mediator_absence x WHERE x.mediator_id = m.id AND x.from_at < ?"
        "  AND x.to_at > ?) THEN 1 ELSE 0 END,"
        " CASE WHEN EXISTS (SELECT 1 FROM mediation_slot s WHERE s.mediator_id = m.id AND s.slot >= ?"
        "  AND s.slot <= ? AND s.request_id <> ?) THEN 1 ELSE 0 END,"
        " (SELECT f.status FROM mediation_offer f WHERE f.request_id = ? AND f.mediator_id = m.id)"
        " FROM mediator m JOIN mediator_language l ON l.mediator_id = m.id AND l.lang = ?"
        " WHERE m.org_id = ? ORDER BY m.last_assigned_at, m.id",
        "t" "tt" "iii" "ii" "iii" "i" "ti", r->domain, area, area, (int64_t)weekday, (int64_t)start_min,
        (int64_t)end_min, r->end_at, r->start_at, first_slot, last_slot, r->id, r->id, r->language, r->org_id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
        json_object_set_new(o, "given_name", json_text(db_col_text(st, 1)));
        json_object_set_new(o, "family_name", json_text(db_col_text(st, 2)));
        json_object_set_new(o, "active", json_boolean(db_col_int(st, 3)));
        json_object_set_new(o, "takes_remote", json_boolean(db_col_int(st, 4)));
        int64_t last = db_col_int(st, 5);
        json_object_set_new(o, "last_assigned_at", last ? local_time(last) : json_null());
        json_object_set_new(o, "domain_ok", json_boolean(db_col_int(st, 6)));
        json_object_set_new(o, "area_ok", json_boolean(db_col_int(st, 7)));
        json_object_set_new(o, "available", json_boolean(db_col_int(st, 8)));
        json_object_set_new(o, "absent", json_boolean(db_col_int(st, 9)));
        json_object_set_new(o, "busy", json_boolean(db_col_int(st, 10)));
        json_object_set_new(o, "offer", json_text(db_col_text_or_null(st, 11)));
        json_array_append_new(rows, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int medstore_others_count(db_t *db, int64_t org_id, const char *lang, int64_t *n)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT COUNT(*) FROM mediator m WHERE m.org_id = ? AND m.active = 1 AND NOT EXISTS"
                             " (SELECT 1 FROM mediator_language l WHERE l.mediator_id = m.id AND l.lang = ?)",
                             "it", org_id, lang);
    if (!st) return rc;
    *n = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- statements and calendars ------------------------------------------------------------ */

int medstore_statement_lines(db_t *db, int64_t mediator_id, int64_t from, int64_t to, json_t *lines)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT r.id, r.start_at, r.minutes, r.remote, r.language, r.domain, r.status, r.minutes_worked, r.travel_hm,"
        " r.billable_minutes, r.evening_minutes, r.holiday_minutes, r.base_cents, r.supplement_cents, r.travel_cents,"
        " r.total_cents, r.tariff_ref, b.name, r.place"
        " FROM mediation_request r LEFT JOIN mediation_body b ON b.id = r.body_id"
        " WHERE r.mediator_id = ? AND r.start_at >= ? AND r.start_at < ? AND r.total_cents IS NOT NULL"
        " AND (r.status = 'done' OR (r.status = 'cancelled' AND r.cancel_kind = 'late'))"
        " ORDER BY r.start_at, r.id",
        "iii", mediator_id, from, to);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *o = json_object();
        char start[17];
        rome_format(db_col_int(st, 1), start);
        json_object_set_new(o, "request_id", json_integer(db_col_int(st, 0)));
        json_object_set_new(o, "date", json_stringn(start, 10));
        json_object_set_new(o, "start", json_string(start + 11));
        json_object_set_new(o, "booked_minutes", json_integer(db_col_int(st, 2)));
        json_object_set_new(o, "remote", json_boolean(db_col_int(st, 3)));
        json_object_set_new(o, "language", json_text(db_col_text(st, 4)));
        json_object_set_new(o, "domain", json_text(db_col_text(st, 5)));
        json_object_set_new(o, "kind", json_string(strcmp(db_col_text(st, 6), "done") == 0 ? "done" : "late_cancel"));
        json_object_set_new(o, "minutes_worked", json_integer(db_col_int(st, 7)));
        json_object_set_new(o, "travel_km", json_real((double)db_col_int(st, 8) / 10.0));
        json_object_set_new(o, "billable_minutes", json_integer(db_col_int(st, 9)));
        json_object_set_new(o, "evening_minutes", json_integer(db_col_int(st, 10)));
        json_object_set_new(o, "holiday_minutes", json_integer(db_col_int(st, 11)));
        json_object_set_new(o, "base_cents", json_integer(db_col_int(st, 12)));
        json_object_set_new(o, "supplement_cents", json_integer(db_col_int(st, 13)));
        json_object_set_new(o, "travel_cents", json_integer(db_col_int(st, 14)));
        json_object_set_new(o, "total_cents", json_integer(db_col_int(st, 15)));
        json_object_set_new(o, "tariff", json_text(db_col_text(st, 16)));
        json_object_set_new(o, "body", json_text(db_col_text_or_null(st, 17)));
        json_object_set_new(o, "place", json_text(db_col_text_or_null(st, 18)));
        json_array_append_new(lines, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int medstore_statement_summary(const scope_t *sc, db_t *db, int64_t from, int64_t to, json_t *items)
{
    vis_t v;
    vis_init(sc, &v);
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT m.id, m.given_name, m.family_name, o.code, COUNT(r.id), COALESCE(SUM(r.billable_minutes), 0),"
        " COALESCE(SUM(r.total_cents), 0)"
        " FROM mediator m JOIN org o ON o.id = m.org_id"
        " LEFT JOIN mediation_request r ON r.mediator_id = m.id AND r.start_at >= ? AND r.start_at < ?"
        " AND r.total_cents IS NOT NULL AND (r.status = 'done' OR (r.status = 'cancelled' AND r.cancel_kind = 'late'))"
        " WHERE" MED_VIS " GROUP BY m.id, m.given_name, m.family_name, o.code ORDER BY m.family_name, m.given_name, m.id",
        "ii" "itii", from, to, MED_VIS_ARGS(v));
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_array_append_new(items, json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:I}", "mediator_id",
                                               (json_int_t)db_col_int(st, 0), "given_name",
                                               json_text(db_col_text(st, 1)), "family_name",
                                               json_text(db_col_text(st, 2)), "org", json_text(db_col_text(st, 3)),
                                               "lines", (json_int_t)db_col_int(st, 4), "billable_minutes",
                                               (json_int_t)db_col_int(st, 5), "total_cents",
                                               (json_int_t)db_col_int(st, 6)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int medstore_calendar_rows(db_t *db, int64_t mediator_id, int64_t since, json_t *rows)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT r.id, r.start_at, r.end_at, r.status, r.language, r.domain, r.remote, r.place, b.name,"
        " r.requester_name, r.updated_at, r.created_at, o.code"
        " FROM mediation_request r JOIN org o ON o.id = r.org_id LEFT JOIN mediation_body b ON b.id = r.body_id"
        " WHERE r.mediator_id = ? AND r.end_at > ?"
        " AND (r.status IN ('assigned', 'done') OR (r.status = 'cancelled' AND r.cancel_kind IS NOT NULL))"
        " ORDER BY r.start_at LIMIT 5000",
        "ii", mediator_id, since);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_array_append_new(rows, json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:I, s:I, s:o}", "id",
                                              (json_int_t)db_col_int(st, 0), "start", (json_int_t)db_col_int(st, 1),
                                              "end", (json_int_t)db_col_int(st, 2), "status",
                                              json_text(db_col_text(st, 3)), "language", json_text(db_col_text(st, 4)),
                                              "domain", json_text(db_col_text(st, 5)), "remote",
                                              (int)db_col_int(st, 6), "place", json_text(db_col_text_or_null(st, 7)),
                                              "body", json_text(db_col_text_or_null(st, 8)), "requester",
                                              json_text(db_col_text_or_null(st, 9)), "updated_at",
                                              (json_int_t)db_col_int(st, 10), "created_at",
                                              (json_int_t)db_col_int(st, 11), "org", json_text(db_col_text(st, 12))));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int med_district(const scope_t *sc, db_t *db, const char *code, int64_t *org_id, char org_code[64])
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT id, code FROM org WHERE code = ? AND kind = 'ambito' AND path LIKE ?",
                             "tt", code ? code : "", scope_subtree_like(sc, like));
    if (!st) return rc;
    if (rc == DB_ROW) {
        *org_id = db_col_int(st, 0);
        copy(org_code, 64, db_col_text(st, 1));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}
