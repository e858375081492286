/* store.c — the help desk's SQL (see store.h). Portable SQL for SQLite and
 * PostgreSQL; the name search is the one place that branches on the engine
 * (FTS5 MATCH vs tsvector @@ tsquery). Every read of personal data joins
 * org and filters `o.path LIKE <scope subtree>`; never remove that filter. */
#include "store.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds a JSON object from the current row: `spec` lists "name:type" per
 * column in order; type i (integer), n (integer or null), t (text or null),
 * b (boolean), s (text, "" for null), j (JSON text parsed, null when bad). */
static json_t *row_obj(db_stmt_t *st, const char *spec)
{
    json_t *o = json_object();
    char name[64];
    int col = 0;
    for (const char *p = spec; *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        size_t n = strcspn(p, ":");
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        p += n + 1;
        char type = *p++;
        json_t *v;
        if (type != 's' && type != 'i' && type != 'b' && db_col_is_null(st, col)) v = json_null();
        else if (type == 'i' || type == 'n') v = json_integer(db_col_int(st, col));
        else if (type == 'b') v = json_boolean(db_col_int(st, col));
        else if (type == 'j') {
            v = json_loads(db_col_text(st, col), 0, NULL);
            if (!v) v = json_null();
        } else v = json_text(db_col_text(st, col));
        json_object_set_new(o, name, v);
        col++;
    }
    return o;
}

/* Runs a query already positioned (st, rc) and appends every row. */
static int rows_into(db_stmt_t *st, int rc, const char *spec, json_t *items)
{
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(items, row_obj(st, spec));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int one_into(db_stmt_t *st, int rc, const char *spec, json_t **out)
{
    if (!st) return rc;
    if (rc == DB_ROW) *out = row_obj(st, spec);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

static int insert_id(db_stmt_t *st, int rc, int64_t *id)
{
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : (*id ? 0 : DB_ERR);
}

/* ---- persons ------------------------------------------------------------------ */

#define PERSON_SELECT                                                                                             \
    "SELECT p.id, o.code, p.org_id, o.path, p.given_name, p.family_name, p.sex, p.birth_date, p.citizenship,"    \
    " p.codice_fiscale, p.phone, p.email, p.languages, p.preferred_language, p.age_band_first, p.status,"        \
    " p.merged_into, p.last_contact_at, p.created_at, p.updated_at FROM person p JOIN org o ON o.id = p.org_id "
#define PERSON_SPEC                                                                                                 \
    "id:i org:t org_id:i org_path:t given_name:s family_name:s sex:t birth_date:t citizenship:t codice_fiscale:t " \
    "phone:t email:t languages:s preferred_language:t age_band_first:t status:t merged_into:n last_contact_at:i "   \
    "created_at:i updated_at:i"

/* "ar,fr" -> ["ar","fr"] in place of the text. */
static void languages_array(json_t *p)
{
    const char *s = json_string_value(json_object_get(p, "languages"));
    json_t *arr = json_array();
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t; t = strtok_r(NULL, ",", &sv)) json_array_append_new(arr, json_string(t));
    json_object_set_new(p, "languages", arr);
}

int store_person_get(const scope_t *sc, db_t *db, int64_t id, json_t **out)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, PERSON_SELECT "WHERE p.id = ? AND o.path LIKE ?", "it", id,
                             scope_subtree_like(sc, like));
    rc = one_into(st, rc, PERSON_SPEC, out);
    if (rc == 0) languages_array(*out);
    return rc;
}


/* Replaces the search keys of a person by the district-prefixed tokens of
 * `doc` ("4xmohamed": digits, 'x', the rest). */
static int write_keys(db_t *db, int64_t id, const char *doc)
{
    int rc = db_run(db, "DELETE FROM person_key WHERE person_id = ?", "i", id);
    char tok[160];
    for (const char *p = doc ? doc : ""; !rc && *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (n && n < sizeof tok) {
            size_t d = 0;
            while (d < n && p[d] >= '0' && p[d] <= '9') d++;
            if (d > 0 && d < n && p[d] == 'x') {
                memcpy(tok, p, n);
                tok[n] = '\0';
                rc = db_run(db, "INSERT INTO person_key (k, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING", "ti", tok, id);
            }
        }
        p += n;
    }
    return rc;
}

int store_person_insert(db_t *db, const person_row_t *p, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO person (org_id, given_name, family_name, sex, birth_date, citizenship,"
                             " codice_fiscale, phone, email, languages, preferred_language, age_band_first, search_doc,"
                             " dup_key, last_contact_at, created_by, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "i" "ttttttttttttt" "iiii", p->org_id, p->given_name, p->family_name, p->sex, p->birth_date,
                             p->citizenship, p->codice_fiscale, p->phone, p->email, p->languages ? p->languages : "",
                             p->preferred_language, p->age_band_first, p->search_doc, p->dup_key, now, by, now, now);
    rc = insert_id(st, rc, id);
    return rc ? rc : write_keys(db, *id, p->search_doc);
}

int store_person_update(db_t *db, int64_t id, const person_row_t *p, int64_t now)
{
    int rc = db_run(db,
                  "UPDATE person SET given_name = ?, family_name = ?, sex = ?, birth_date = ?, citizenship = ?,"
                  " codice_fiscale = ?, phone = ?, email = ?, languages = ?, preferred_language = ?, search_doc = ?,"
                  " dup_key = ?, updated_at = ? WHERE id = ?",
                  "ttttttttttttii", p->given_name, p->family_name, p->sex, p->birth_date, p->citizenship,
                  p->codice_fiscale, p->phone, p->email, p->languages ? p->languages : "", p->preferred_language,
                  p->search_doc, p->dup_key, now, id);
    return rc ? rc : write_keys(db, id, p->search_doc);
}

int store_person_touch(db_t *db, int64_t id, int64_t now)
{
    return db_run(db, "UPDATE person SET last_contact_at = ? WHERE id = ? AND last_contact_at < ?", "iii", now, id, now);
}

#define SUMMARY_SELECT                                                                                \
    "SELECT p.id, o.code, p.given_name, p.family_name, p.sex, p.birth_date, p.citizenship, p.status" \
    " FROM person p JOIN org o ON o.id = p.org_id "
#define SUMMARY_SPEC "id:i org:t given_name:s family_name:s sex:t birth_date:t citizenship:t status:t"

int store_person_search(const scope_t *sc, db_t *db, const char *match, int64_t cursor, int limit, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st;
    if (!match) {
        st = db_query(db, &rc,
                      SUMMARY_SELECT "WHERE o.path LIKE ? AND p.status <> 'merged' AND (? = 0 OR p.id < ?)"
                                     " ORDER BY p.id DESC LIMIT ?",
                      "tiii", scope_subtree_like(sc, like), cursor, cursor, (int64_t)limit);
    } else if (db_kind(db) == DB_PG) {
        /* `match` holds one line per typed word: "lo hi [lo2 hi2]", key
         * ranges [lo, hi) of the district-prefixed keys (b-tree, byte order);
         * the words' person sets are intersected. Built from constants, with
         * every key bound. */
        str_t sql = STR_INIT;
        const char *vals[24];
        int nv = 0;
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", match);
        str_adds(&sql, SUMMARY_SELECT "WHERE p.id IN (SELECT x.id FROM (");
        int words = 0;
        for (char *sv = NULL, *line = strtok_r(buf, "\n", &sv); line && nv < 20; line = strtok_r(NULL, "\n", &sv)) {
            /* UNION of range scans (index-only on the primary key), not OR. */
            if (words++) str_adds(&sql, " INTERSECT ");
            str_adds(&sql, "SELECT id FROM (");
            int ranges = 0;
            for (char *sv2 = NULL, *t = strtok_r(line, " ", &sv2); t && nv < 20; t = strtok_r(NULL, " ", &sv2)) {
                char *hi = strtok_r(NULL, " ", &sv2);
                if (!hi) break;
                str_adds(&sql, ranges++ ? " UNION SELECT person_id FROM person_key WHERE k >= ? AND k < ?"
                                        : "SELECT person_id AS id FROM person_key WHERE k >= ? AND k < ?");
                vals[nv++] = t;
                vals[nv++] = hi;
            }
            str_addf(&sql, ") w%d", words);
        }
        str_adds(&sql, ") x WHERE (? = 0 OR x.id < ?) ORDER BY x.id DESC LIMIT ?)"
                       " AND o.path LIKE ? AND p.status = 'active' ORDER BY p.id DESC");
        st = db_prepare(db, str_cstr(&sql));
        str_release(&sql);
        if (!st) return DB_ERR;
        int i = 1;
        rc = 0;
        for (int k = 0; k < nv && !rc; k++) rc = db_bind_text(st, i++, vals[k]);
        if (!rc) rc = db_bind_int(st, i++, cursor);
        if (!rc) rc = db_bind_int(st, i++, cursor);
        if (!rc) rc = db_bind_int(st, i++, limit);
        if (!rc) rc = db_bind_text(st, i++, scope_subtree_like(sc, like));
        if (rc) {
            db_reset(st);
            return rc;
        }
        rc = db_step(st);
    } else {
        st = db_query(db, &rc,
                      SUMMARY_SELECT "WHERE p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?)"
                                     " AND o.path LIKE ? AND p.status = 'active' AND (? = 0 OR p.id < ?)"
                                     " ORDER BY p.id DESC LIMIT ?",
                      "ttiii", match, scope_subtree_like(sc, like), cursor, cursor, (int64_t)limit);
    }
    return rows_into(st, rc, SUMMARY_SPEC, items);
}

int store_person_dups(const scope_t *sc, db_t *db, const char *k1, const char *k2, const char *cf, int64_t except,
                      json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             SUMMARY_SELECT "WHERE (p.dup_key = ? OR p.dup_key = ? OR (CAST(? AS TEXT) IS NOT NULL"
                                            " AND p.codice_fiscale = ?)) AND o.path LIKE ? AND p.status = 'active'"
                                            " AND p.id <> ? ORDER BY p.id LIMIT 10",
                             "ttttti", k1, k2, cf, cf, scope_subtree_like(sc, like), except);
    return rows_into(st, rc, SUMMARY_SPEC, items);
}

int store_person_anonymise(db_t *db, int64_t id, int64_t now, json_t *files)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT storage FROM person_document WHERE person_id = ?", "i", id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(files, json_text(db_col_text(st, 0)));
    db_reset(st);
    if (rc < 0) return rc;
    static const char *const sql[] = {
        "DELETE FROM person_document WHERE person_id = ?",
        "DELETE FROM person_key WHERE person_id = ?",
        "DELETE FROM consent WHERE person_id = ?",
        "DELETE FROM household_link WHERE person_id = ? OR other_id = ?",
        "DELETE FROM permit WHERE person_id = ?",
        "UPDATE consultation SET notes = NULL WHERE person_id = ?",
        "UPDATE desk_procedure SET facts = '{}' WHERE person_id = ?",
        "UPDATE referral SET reason = NULL, outcome = NULL WHERE person_id = ?",
        "UPDATE appointment SET purpose = NULL, place = NULL WHERE person_id = ?",
        "UPDATE followup SET note = NULL WHERE person_id = ?",
        NULL,
    };
    for (int i = 0; sql[i]; i++) {
        rc = strstr(sql[i], "OR other_id") ? db_run(db, sql[i], "ii", id, id) : db_run(db, sql[i], "i", id);
        if (rc) return rc;
    }
    /* Statistics stay: sex, citizenship, age band at first registration, and
     * every consultation's own country/sex/age band and topics. */
    return db_run(db,
                  "UPDATE person SET given_name = '', family_name = '', birth_date = NULL, codice_fiscale = NULL,"
                  " phone = NULL, email = NULL, languages = '', preferred_language = NULL, search_doc = '',"
                  " dup_key = '', status = 'anonymised', anonymised_at = ?, updated_at = ? WHERE id = ?",
                  "iii", now, now, id);
}

int store_persons_stale(const scope_t *sc, db_t *db, int64_t before, int limit, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT p.id, o.code, p.org_id, p.last_contact_at FROM person p JOIN org o ON o.id = p.org_id"
                             " WHERE p.last_contact_at < ? AND p.status = 'active' AND o.path LIKE ?"
                             " ORDER BY p.last_contact_at, p.id LIMIT ?",
                             "iti", before, scope_subtree_like(sc, like), (int64_t)limit);
    return rows_into(st, rc, "id:i org:t org_id:i last_contact_at:i", items);
}

int store_person_merge(db_t *db, int64_t keep, int64_t gone, int64_t now)
{
    static const char *const sql[] = {
        "UPDATE consultation SET person_id = ? WHERE person_id = ?",
        "UPDATE desk_procedure SET person_id = ? WHERE person_id = ?",
        "UPDATE procedure_deadline SET person_id = ? WHERE person_id = ?",
        "UPDATE referral SET person_id = ? WHERE person_id = ?",
        "UPDATE appointment SET person_id = ? WHERE person_id = ?",
        "UPDATE followup SET person_id = ? WHERE person_id = ?",
        "UPDATE consent SET person_id = ? WHERE person_id = ?",
        "UPDATE permit SET person_id = ? WHERE person_id = ?",
        "UPDATE person_document SET person_id = ? WHERE person_id = ?",
        NULL,
    };
    int rc;
    for (int i = 0; sql[i]; i++)
        if ((rc = db_run(db, sql[i], "ii", keep, gone))) return rc;
    if ((rc = db_run(db, "DELETE FROM household_link WHERE person_id = ? OR other_id = ?", "ii", gone, gone)) ||
        (rc = db_run(db, "DELETE FROM person_key WHERE person_id = ?", "i", gone)))
        return rc;
    return db_run(db,
                  "UPDATE person SET status = 'merged', merged_into = ?, search_doc = '', dup_key = '',"
                  " updated_at = ? WHERE id = ?",
                  "iii", keep, now, gone);
}

/* ---- consultations ------------------------------------------------------------------ */

int store_consultation_insert(db_t *db, const consultation_row_t *c, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO consultation (org_id, person_id, date, channel, topics, outcome, notes,"
                             " duration_minutes, citizenship, sex, age_band, operator_id, created_at, updated_at)"
                             " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, NULLIF(?, 0), ?, ?)"
                             " RETURNING id",
                             "iitttttitttiii", c->org_id, c->person_id, c->date, c->channel, c->topics, c->outcome,
                             c->notes, c->duration, c->citizenship, c->sex, c->age_band, c->operator_id, now, now);
    return insert_id(st, rc, id);
}

int store_consultation_topic(db_t *db, int64_t id, const char *topic)
{
    return db_run(db, "INSERT INTO consultation_topic (consultation_id, topic) VALUES (?, ?)", "it", id, topic);
}

#define CONS_SELECT                                                                                                \
    "SELECT c.id, o.code, c.org_id, c.person_id, c.date, c.channel, c.topics, c.outcome, c.notes, c.duration_minutes," \
    " c.citizenship, c.sex, c.age_band, u.username, c.created_at FROM consultation c JOIN org o ON o.id = c.org_id"     \
    " LEFT JOIN app_user u ON u.id = c.operator_id "
#define CONS_SPEC                                                                                                  \
    "id:i org:t org_id:i person_id:n date:t channel:t topics:s outcome:t notes:t duration_minutes:n citizenship:t " \
    "sex:t age_band:t operator:t created_at:i"

static void topics_array(json_t *items)
{
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(c, "topics")));
        json_t *arr = json_array();
        for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t; t = strtok_r(NULL, ",", &sv)) json_array_append_new(arr, json_string(t));
        json_object_set_new(c, "topics", arr);
    }
}

int store_consultation_get(const scope_t *sc, db_t *db, int64_t id, json_t **out)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, CONS_SELECT "WHERE c.id = ? AND o.path LIKE ?", "it", id,
                             scope_subtree_like(sc, like));
    rc = one_into(st, rc, CONS_SPEC, out);
    if (rc == 0) {
        json_t *tmp = json_array();
        json_array_append(tmp, *out);
        topics_array(tmp);
        json_decref(tmp);
    }
    return rc;
}

int store_consultation_list(const scope_t *sc, db_t *db, int64_t person_id, const char *from, const char *to,
                            int64_t cursor, int limit, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st;
    /* One person's consultations go through consultation_person (an OR on
     * the person would make the engines scan the whole table). */
    if (person_id)
        st = db_query(db, &rc,
                      CONS_SELECT "WHERE c.person_id = ? AND o.path LIKE ?"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND (? = 0 OR c.id < ?)"
                                  " ORDER BY c.id DESC LIMIT ?",
                      "itttttiii", person_id, scope_subtree_like(sc, like), from, from, to, to, cursor, cursor,
                      (int64_t)limit);
    else
        st = db_query(db, &rc,
                      CONS_SELECT "WHERE o.path LIKE ? AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND (? = 0 OR c.id < ?)"
                                  " ORDER BY c.id DESC LIMIT ?",
                      "tttttiii", scope_subtree_like(sc, like), from, from, to, to, cursor, cursor, (int64_t)limit);
    rc = rows_into(st, rc, CONS_SPEC, items);
    if (rc == 0) topics_array(items);
    return rc;
}

/* ---- procedures ------------------------------------------------------------------ */

int store_procedure_insert(db_t *db, int64_t person_id, int64_t org_id, const char *type, const char *facts,
                           const char *opened_on, const char *rule_from, const char *rule_origin, int64_t by,
                           int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO desk_procedure (person_id, org_id, type, facts, opened_on, rule_effective_from,"
                             " rule_origin, created_by, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "iitttttiii", person_id, org_id, type, facts, opened_on, rule_from, rule_origin, by, now,
                             now);
    return insert_id(st, rc, id);
}

#define PROC_SELECT                                                                                            \
    "SELECT d.id, d.person_id, d.org_id, o.code, d.type, d.status, d.facts, d.opened_on, d.closed_on,"       \
    " d.rule_effective_from, d.rule_origin, d.created_at, d.updated_at FROM desk_procedure d"                \
    " JOIN org o ON o.id = d.org_id "
#define PROC_SPEC                                                                                              \
    "id:i person_id:i org_id:i org:t type:t status:t facts:j opened_on:t closed_on:t rule_effective_from:t " \
    "rule_origin:t created_at:i updated_at:i"

int store_procedure_get(const scope_t *sc, db_t *db, int64_t id, json_t **out)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, PROC_SELECT "WHERE d.id = ? AND o.path LIKE ?", "it", id,
                             scope_subtree_like(sc, like));
    return one_into(st, rc, PROC_SPEC, out);
}

int store_procedure_update(db_t *db, int64_t id, const char *facts, const char *status, const char *closed_on,
                           const char *rule_from, const char *rule_origin, int64_t now)
{
    return db_run(db,
                  "UPDATE desk_procedure SET facts = ?, status = ?, closed_on = ?, rule_effective_from = ?,"
                  " rule_origin = ?, updated_at = ? WHERE id = ?",
                  "tttttii", facts, status, closed_on, rule_from, rule_origin, now, id);
}

int store_procedure_set_rule(db_t *db, int64_t id, const char *rule_from, const char *rule_origin)
{
    return db_run(db, "UPDATE desk_procedure SET rule_effective_from = ?, rule_origin = ? WHERE id = ?", "tti", rule_from,
                  rule_origin, id);
}

int store_procedure_checks(db_t *db, int64_t id, json_t *done)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT kind, code FROM procedure_check WHERE procedure_id = ?", "i", id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        char key[128];
        snprintf(key, sizeof key, "%s:%s", db_col_text(st, 0), db_col_text(st, 1));
        json_object_set_new(done, key, json_true());
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_procedure_check_set(db_t *db, int64_t id, const char *kind, const char *code, bool done, int64_t by,
                              int64_t now)
{
    int rc = db_run(db, "DELETE FROM procedure_check WHERE procedure_id = ? AND kind = ? AND code = ?", "itt", id, kind,
                    code);
    if (rc || !done) return rc;
    return db_run(db,
                  "INSERT INTO procedure_check (procedure_id, kind, code, done_at, done_by) VALUES (?, ?, ?, ?, NULLIF(?, 0))",
                  "ittii", id, kind, code, now, by);
}

int store_procedure_set_deadlines(db_t *db, int64_t id, int64_t person_id, int64_t org_id, const json_t *deadlines)
{
    int rc = db_run(db, "DELETE FROM procedure_deadline WHERE procedure_id = ?", "i", id);
    size_t i;
    json_t *d;
    json_array_foreach((json_t *)deadlines, i, d) {
        if (rc) break;
        rc = db_run(db,
                    "INSERT INTO procedure_deadline (procedure_id, person_id, org_id, code, kind, date, met)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "iiittti", id, person_id, org_id, json_string_value(json_object_get(d, "code")),
                    json_string_value(json_object_get(d, "kind")), json_string_value(json_object_get(d, "date")),
                    (int64_t)json_is_true(json_object_get(d, "met")));
    }
    return rc;
}

int store_procedure_list(const scope_t *sc, db_t *db, int64_t person_id, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, PROC_SELECT "WHERE d.person_id = ? AND o.path LIKE ? ORDER BY d.id DESC", "it",
                             person_id, scope_subtree_like(sc, like));
    return rows_into(st, rc, PROC_SPEC, items);
}

int store_procedure_deadline_list(db_t *db, int64_t id, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT code, kind, date, met FROM procedure_deadline WHERE procedure_id = ? ORDER BY date, code",
                             "i", id);
    return rows_into(st, rc, "code:t kind:t date:t met:b", items);
}

int store_procedures_open(db_t *db, const char *type, const char *from, json_t *ids)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id FROM desk_procedure WHERE type = ? AND status IN ('open', 'submitted')"
                             " AND opened_on >= ? ORDER BY id",
                             "tt", type, from);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(ids, json_integer(db_col_int(st, 0)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- referrals, appointments, follow-ups ---------------------------------------------- */

/* The tables store_owner and store_row_get may name (never user input). */
static const char *owned_table(const char *t)
{
    static const char *const ok[] = {"referral", "appointment", "followup", "consent", "household_link", "permit",
                                     "person_document", NULL};
    for (int i = 0; ok[i]; i++)
        if (strcmp(ok[i], t) == 0) return ok[i];
    return NULL;
}

int store_owner(const scope_t *sc, db_t *db, const char *table, int64_t id, int64_t *person_id, int64_t *org_id)
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

int store_referral_insert(db_t *db, int64_t person_id, int64_t org_id, int64_t consultation_id, int64_t to_org_id,
                          const char *to_service, const char *reason, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO referral (person_id, org_id, consultation_id, to_org_id, to_service, reason,"
                             " created_by, created_at, updated_at) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?,"
                             " NULLIF(?, 0), ?, ?) RETURNING id",
                             "iiiittiii", person_id, org_id, consultation_id, to_org_id, to_service, reason, by, now,
                             now);
    return insert_id(st, rc, id);
}

int store_referral_update(db_t *db, int64_t id, const char *status, const char *outcome, int64_t now)
{
    return db_run(db,
                  "UPDATE referral SET status = COALESCE(?, status), outcome = COALESCE(?, outcome), updated_at = ?"
                  " WHERE id = ?",
                  "ttii", status, outcome, now, id);
}

int store_appointment_insert(db_t *db, int64_t person_id, int64_t org_id, const char *date, const char *time,
                             int64_t minutes, const char *purpose, const char *place, int64_t user_id, int64_t by,
                             int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO appointment (person_id, org_id, date, time, duration_minutes, purpose, place,"
                             " user_id, created_by, created_at, updated_at)"
                             " VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?) RETURNING id",
                             "iittittiiii", person_id, org_id, date, time, minutes, purpose, place, user_id, by, now, now);
    return insert_id(st, rc, id);
}

int store_appointment_update(db_t *db, int64_t id, const char *status, const char *date, const char *time, int64_t now)
{
    return db_run(db,
                  "UPDATE appointment SET status = COALESCE(?, status), date = COALESCE(?, date),"
                  " time = COALESCE(?, time), updated_at = ? WHERE id = ?",
                  "tttii", status, date, time, now, id);
}

int store_followup_insert(db_t *db, int64_t person_id, int64_t org_id, const char *due, const char *note,
                          int64_t assigned_to, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO followup (person_id, org_id, due_date, note, assigned_to, created_by, created_at)"
                             " VALUES (?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?) RETURNING id",
                             "iittiii", person_id, org_id, due, note, assigned_to, by, now);
    return insert_id(st, rc, id);
}

int store_followup_update(db_t *db, int64_t id, int done, const char *due, int64_t now)
{
    return db_run(db,
                  "UPDATE followup SET done_at = CASE WHEN ? < 0 THEN done_at WHEN ? = 1 THEN ? ELSE NULL END,"
                  " due_date = COALESCE(?, due_date) WHERE id = ?",
                  "iiiti", (int64_t)done, (int64_t)done, now, due, id);
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

int store_list_of_person(db_t *db, const char *what, int64_t person_id, json_t *items)
{
    const list_def_t *d = list_def(what);
    if (!d) return DB_ERR;
    char sql[800];
    snprintf(sql, sizeof sql, "SELECT %s WHERE x.person_id = ? ORDER BY %s LIMIT 500", d->cols, d->order);
    int rc;
    db_stmt_t *st = db_query(db, &rc, sql, "i", person_id);
    return rows_into(st, rc, d->spec, items);
}

int store_row_get(const scope_t *sc, db_t *db, const char *what, int64_t id, json_t **out)
{
    const list_def_t *d = list_def(what);
    if (!d) return DB_ERR;
    char sql[800], like[260];
    snprintf(sql, sizeof sql, "SELECT %s WHERE x.id = ? AND o.path LIKE ?", d->cols);
    int rc;
    db_stmt_t *st = db_query(db, &rc, sql, "it", id, scope_subtree_like(sc, like));
    return one_into(st, rc, d->spec, out);
}

/* ---- agenda --------------------------------------------------------------------------- */

int store_agenda_appointments(const scope_t *sc, db_t *db, const char *date, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT a.id, a.time, a.duration_minutes, a.purpose, a.place, a.status, a.person_id,"
                             " p.given_name, p.family_name FROM appointment a JOIN org o ON o.id = a.org_id"
                             " LEFT JOIN person p ON p.id = a.person_id WHERE a.date = ? AND o.path LIKE ?"
                             " AND a.status <> 'cancelled' ORDER BY a.time, a.id LIMIT 200",
                             "tt", date, scope_subtree_like(sc, like));
    return rows_into(st, rc,
                     "id:i time:t duration_minutes:i purpose:t place:t status:t person_id:n given_name:t family_name:t",
                     items);
}

int store_agenda_deadlines(const scope_t *sc, db_t *db, const char *from, const char *to, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT d.date, d.code, d.kind, d.procedure_id, r.type, r.opened_on, d.person_id,"
                             " p.given_name, p.family_name FROM procedure_deadline d JOIN org o ON o.id = d.org_id"
                             " JOIN desk_procedure r ON r.id = d.procedure_id JOIN person p ON p.id = d.person_id"
                             " WHERE d.date >= ? AND d.date <= ? AND d.met = 0 AND d.kind IN ('due', 'limit', 'expiry')"
                             " AND r.status IN ('open', 'submitted') AND o.path LIKE ? ORDER BY d.date, d.id LIMIT 500",
                             "ttt", from, to, scope_subtree_like(sc, like));
    return rows_into(st, rc,
                     "date:t code:t kind:t procedure_id:i type:t opened_on:t person_id:i given_name:s family_name:s",
                     items);
}

int store_agenda_permits(const scope_t *sc, db_t *db, const char *from, const char *to, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT x.expiry, x.kind, x.id, x.person_id, p.given_name, p.family_name FROM permit x"
                             " JOIN org o ON o.id = x.org_id JOIN person p ON p.id = x.person_id"
                             " WHERE x.expiry >= ? AND x.expiry <= ? AND o.path LIKE ? AND p.status = 'active'"
                             " ORDER BY x.expiry, x.id LIMIT 500",
                             "ttt", from, to, scope_subtree_like(sc, like));
    return rows_into(st, rc, "date:t kind:t permit_id:i person_id:i given_name:s family_name:s", items);
}

int store_agenda_followups(const scope_t *sc, db_t *db, const char *before, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT f.id, f.due_date, f.note, f.person_id, p.given_name, p.family_name FROM followup f"
                             " JOIN org o ON o.id = f.org_id JOIN person p ON p.id = f.person_id"
                             " WHERE f.due_date <= ? AND f.done_at IS NULL AND o.path LIKE ? ORDER BY f.due_date, f.id"
                             " LIMIT 500",
                             "tt", before, scope_subtree_like(sc, like));
    return rows_into(st, rc, "id:i due_date:t note:t person_id:i given_name:s family_name:s", items);
}

/* ---- consents, household, permits, documents ------------------------------------------ */

int store_consent_insert(db_t *db, int64_t person_id, int64_t org_id, const char *kind, const char *given_on,
                         const char *note, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO consent (person_id, org_id, kind, given_on, note, recorded_by, recorded_at)"
                             " VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "iitttii", person_id, org_id, kind, given_on, note, by, now);
    return insert_id(st, rc, id);
}

int store_consent_withdraw(db_t *db, int64_t id, const char *on, int64_t by)
{
    return db_run(db, "UPDATE consent SET withdrawn_on = ?, withdrawn_by = NULLIF(?, 0) WHERE id = ? AND withdrawn_on IS NULL",
                  "tii", on, by, id);
}

int store_household_insert(db_t *db, int64_t person_id, int64_t other_id, const char *relation, int64_t by,
                           int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO household_link (person_id, other_id, relation, created_by, created_at)"
                             " VALUES (?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "iitii", person_id, other_id, relation, by, now);
    return insert_id(st, rc, id);
}

int store_household_delete(db_t *db, int64_t id)
{
    return db_run(db, "DELETE FROM household_link WHERE id = ?", "i", id);
}

int store_permit_insert(db_t *db, int64_t person_id, int64_t org_id, const char *kind, const char *number,
                        const char *issued, const char *expiry, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO permit (person_id, org_id, kind, number, issued_on, expiry, created_by,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "iittttiii", person_id, org_id, kind, number, issued, expiry, by, now, now);
    return insert_id(st, rc, id);
}

int store_permit_delete(db_t *db, int64_t id)
{
    return db_run(db, "DELETE FROM permit WHERE id = ?", "i", id);
}

int store_document_insert(db_t *db, int64_t person_id, int64_t org_id, const char *title, const char *filename,
                          const char *type, int64_t size, const char *sha, const char *storage, int64_t by,
                          int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO person_document (person_id, org_id, title, filename, content_type, size, sha256,"
                             " storage, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?)"
                             " RETURNING id",
                             "iitttittii", person_id, org_id, title, filename, type, size, sha, storage, by, now);
    return insert_id(st, rc, id);
}

int store_document_delete(db_t *db, int64_t id)
{
    return db_run(db, "DELETE FROM person_document WHERE id = ?", "i", id);
}

int store_person_access_log(db_t *db, int64_t person_id, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT a.id, a.at, a.username, a.action, a.object_kind, a.object_id, a.reason, a.detail"
                             " FROM audit a WHERE a.person_id = ? ORDER BY a.id DESC LIMIT ?",
                             "ii", person_id, (int64_t)limit);
    return rows_into(st, rc, "id:i at:i username:t action:t object_kind:t object_id:t reason:t detail:t", items);
}

/* ---- rules ----------------------------------------------------------------------------- */

int store_rule_latest(db_t *db, const char *type, const char *date, int64_t *id, json_t **rule)
{
    int rc;
    *rule = NULL;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id, body FROM desk_rule WHERE type = ? AND effective_from <= ?"
                             " ORDER BY effective_from DESC, id DESC LIMIT 1",
                             "tt", type, date);
    if (!st) return rc;
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        *rule = json_loads(db_col_text(st, 1), 0, NULL);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_rule_types(db_t *db, json_t *types)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT DISTINCT type FROM desk_rule ORDER BY type", NULL);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(types, json_text(db_col_text(st, 0)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_rule_versions(db_t *db, const char *type, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT r.effective_from, r.id, r.reason, u.username, r.changed_at FROM desk_rule r"
                             " LEFT JOIN app_user u ON u.id = r.changed_by WHERE r.type = ? ORDER BY r.effective_from, r.id",
                             "t", type);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *o = row_obj(st, "effective_from:t id:i reason:t changed_by:t changed_at:i");
        json_object_set_new(o, "origin", json_sprintf("db:%lld", (long long)db_col_int(st, 1)));
        json_object_del(o, "id");
        json_array_append_new(items, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_rule_insert(db_t *db, const char *type, const char *from, const char *body, const char *reason, int64_t by,
                      int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO desk_rule (type, effective_from, body, reason, changed_by, changed_at)"
                             " VALUES (?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "ttttii", type, from, body, reason, by, now);
    return insert_id(st, rc, id);
}

/* ---- access grants ------------------------------------------------------------------------ */

int store_grant_active(db_t *db, int64_t user_id, int64_t now, int64_t *grant_id, int64_t *org_id, char *org_path,
                       size_t path_len, char *org_code, size_t code_len, char *reason, size_t reason_len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT g.id, g.org_id, o.path, o.code, g.reason FROM access_grant g JOIN org o ON o.id = g.org_id"
                             " WHERE g.user_id = ? AND g.revoked_at IS NULL AND g.created_at <= ? AND g.expires_at > ?"
                             " ORDER BY g.id DESC LIMIT 1",
                             "iii", user_id, now, now);
    if (!st) return rc;
    if (rc == DB_ROW) {
        *grant_id = db_col_int(st, 0);
        *org_id = db_col_int(st, 1);
        snprintf(org_path, path_len, "%s", db_col_text(st, 2));
        snprintf(org_code, code_len, "%s", db_col_text(st, 3));
        snprintf(reason, reason_len, "%s", db_col_text(st, 4));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int store_grant_insert(db_t *db, int64_t user_id, int64_t org_id, const char *reason, int64_t by, int64_t now,
                       int64_t expires, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO access_grant (user_id, org_id, reason, granted_by, created_at, expires_at)"
                             " VALUES (?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "iitiii", user_id, org_id, reason, by, now, expires);
    return insert_id(st, rc, id);
}

int store_grant_revoke(db_t *db, int64_t id, int64_t now)
{
    return db_run(db, "UPDATE access_grant SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "ii", now, id);
}

int store_grant_list(db_t *db, int64_t now, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT g.id, u.username, o.code, g.reason, b.username, g.created_at, g.expires_at, g.revoked_at,"
                             " CASE WHEN g.revoked_at IS NULL AND g.expires_at > ? THEN 1 ELSE 0 END"
                             " FROM access_grant g JOIN app_user u ON u.id = g.user_id JOIN org o ON o.id = g.org_id"
                             " LEFT JOIN app_user b ON b.id = g.granted_by ORDER BY g.id DESC LIMIT 200",
                             "i", now);
    return rows_into(st, rc, "id:i user:t org:t reason:t granted_by:t created_at:i expires_at:i revoked_at:n active:b",
                     items);
}

int store_region_user(db_t *db, const char *username, int64_t *user_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT u.id FROM app_user u JOIN role_grant g ON g.user_id = u.id"
                             " WHERE u.username = ? AND g.role = 'region' AND u.active = 1 LIMIT 1",
                             "t", username);
    if (!st) return rc;
    if (rc == DB_ROW) *user_id = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

/* ---- register, digest, settings ------------------------------------------------------------ */

int store_register(const scope_t *sc, db_t *db, const char *from, const char *to, int64_t cursor, int limit,
                   json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT c.id, c.date, o.code, c.person_id, p.family_name, p.given_name, c.citizenship, c.sex,"
                             " c.age_band, c.channel, c.topics, c.outcome, c.duration_minutes, u.username"
                             " FROM consultation c JOIN org o ON o.id = c.org_id LEFT JOIN person p ON p.id = c.person_id"
                             " LEFT JOIN app_user u ON u.id = c.operator_id"
                             " WHERE o.path LIKE ? AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                             " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND c.id > ? ORDER BY c.id LIMIT ?",
                             "tttttii", scope_subtree_like(sc, like), from, from, to, to, cursor, (int64_t)limit);
    return rows_into(st, rc,
                     "id:i date:t org:t person_id:n family_name:t given_name:t citizenship:t sex:t age_band:t "
                     "channel:t topics:t outcome:t duration_minutes:n operator:t",
                     items);
}

int store_digest_recipients(db_t *db, const char *day, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT u.id, u.username, u.email, g.role, o.id, o.code, o.path FROM app_user u"
                             " JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id"
                             " WHERE u.active = 1 AND u.email IS NOT NULL AND u.email <> ''"
                             " AND g.role IN ('operator', 'coordinator')"
                             " AND NOT EXISTS (SELECT 1 FROM desk_digest d WHERE d.user_id = u.id AND d.day = ?)"
                             " ORDER BY u.id",
                             "t", day);
    return rows_into(st, rc, "user_id:i username:t email:t role:t org_id:i org:t org_path:t", items);
}

int store_digest_mark(db_t *db, int64_t user_id, const char *day, int64_t outbox_id)
{
    return db_run(db, "INSERT INTO desk_digest (user_id, day, outbox_id) VALUES (?, ?, NULLIF(?, 0))", "iti", user_id,
                  day, outbox_id);
}

int store_setting_get(db_t *db, const char *key, char *out, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT value FROM setting WHERE key = ?", "t", key);
    if (!st) return rc;
    if (rc == DB_ROW) snprintf(out, len, "%s", db_col_text(st, 0));
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int store_setting_put(db_t *db, const char *key, const char *value, int64_t now)
{
    int rc = db_run(db, "DELETE FROM setting WHERE key = ?", "t", key);
    return rc ? rc : db_run(db, "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)", "tti", key, value, now);
}
