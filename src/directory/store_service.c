/* store_service.c — the SQL of events and services (see store.h): writes,
 * and the public reads behind the calendar and the HSDS API. Portable
 * between SQLite and PostgreSQL; the optional filters of a query bind "%"
 * (matches everything) when not asked, so each read is one fixed statement. */
#include "store.h"
#include "core/str.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- events -------------------------------------------------------------------- */

int dir_store_event_insert(db_t *db, const dir_district_t *d, const dir_association_t *a,
                           const dir_event_input_t *in, int64_t start, int64_t end, const char *rrule,
                           int64_t repeat_until, int64_t user_id, int64_t now, int64_t *id)
{
    char *th = dir_store_list_text(in->themes), *la = dir_store_list_text(in->languages);
    int rc = db_insert_id(db, id,
                          "INSERT INTO dir_event (org_id, association_id, title, description, place, start_at,"
                          " end_at, themes, languages, audience, rrule, repeat_until, created_by, created_at, updated_at)"
                          " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?)"
                          " RETURNING id",
                          "iitttiittttiiii", d->id, a ? a->id : 0, in->title,
                          in->description ? in->description : "", in->place, start, end, th, la, in->audience,
                          rrule, rrule ? repeat_until : 0, user_id, now, now);
    free(th);
    free(la);
    return rc;
}

int dir_store_event_list(db_t *db, const dir_district_t *d, int64_t from, int limit, json_t *items)
{
    return db_list_json(db, items, "ittti" "itttti" "t",
                        "SELECT e.id, e.title, e.description, e.place, e.start_at, e.end_at, e.themes,"
                        " e.languages, e.audience, a.name AS association, e.updated_at, e.rrule"
                        " FROM dir_event e LEFT JOIN dir_association a ON a.id = e.association_id"
                        " WHERE e.org_id = ? AND (e.end_at >= ? OR e.repeat_until >= ?)"
                        " AND (e.association_id IS NULL OR a.status = 'approved')"
                        " ORDER BY e.start_at, e.id LIMIT ?",
                        "iiii", d->id, from, from, (int64_t)limit);
}

/* ---- services ---------------------------------------------------------------------- */

int dir_store_service_insert(db_t *db, const dir_org_t *o, const dir_service_input_t *in, const char *search_text,
                             int64_t now, int64_t *id)
{
    char *la = dir_store_list_text(in->languages), *ca = dir_store_list_text(in->categories), *sc = dir_store_list_text(in->schedules);
    int rc = db_insert_id(db, id,
                          "INSERT INTO dir_service (org_id, name, description, email, phone, url, address_1, city,"
                          " postal_code, languages, categories, schedules, search_text, created_at, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "ittttttttttttii", o->id, in->name, in->description ? in->description : "", in->email,
                          in->phone, in->url, in->address_1, in->city, in->postal_code, la, ca, sc, search_text,
                          now, now);
    free(la);
    free(ca);
    free(sc);
    return rc;
}

static const db_field_t service_ref_map[] = {DB_INT(dir_service_ref_t, id), DB_INT(dir_service_ref_t, org_id)};

int dir_store_service_own(const scope_t *sc, db_t *db, int64_t id, dir_service_ref_t *out)
{
    return db_get_row(db, DB_MAP(service_ref_map), out, sizeof *out,
                      "SELECT s.id, s.org_id FROM dir_service s JOIN org o ON o.id = s.org_id"
                      " WHERE s.id = ? AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

int dir_store_service_update(db_t *db, const dir_service_ref_t *s, const dir_org_t *o, const dir_service_input_t *in,
                             const char *search_text, int64_t now)
{
    char *la = dir_store_list_text(in->languages), *ca = dir_store_list_text(in->categories), *sc = dir_store_list_text(in->schedules);
    int rc = db_run(db,
                    "UPDATE dir_service SET org_id = ?, name = ?, description = ?, email = ?, phone = ?, url = ?,"
                    " address_1 = ?, city = ?, postal_code = ?, languages = ?, categories = ?, schedules = ?,"
                    " search_text = ?, updated_at = ? WHERE id = ?",
                    "ittttttttttttii", o->id, in->name, in->description ? in->description : "", in->email, in->phone,
                    in->url, in->address_1, in->city, in->postal_code, la, ca, sc, search_text, now, s->id);
    free(la);
    free(ca);
    free(sc);
    return rc;
}

int dir_store_service_edit_json(db_t *db, const dir_service_ref_t *s, json_t **out)
{
    int rc = db_get_json(db, out, "itttttttttttti",
                         "SELECT s.id, o.code AS org, s.name, s.description, s.email, s.phone, s.url, s.address_1,"
                         " s.city, s.postal_code, s.languages, s.categories, s.schedules, s.updated_at"
                         " FROM dir_service s JOIN org o ON o.id = s.org_id WHERE s.id = ?",
                         "i", s->id);
    if (rc) return rc;
    static const char *const lists[] = {"languages", "categories", "schedules"};
    dir_store_lists_parse(*out, lists);
    return 0;
}

int dir_store_service_list_own(const scope_t *sc, db_t *db, int limit, json_t *items)
{
    return db_list_json(db, items, "ittti",
                        "SELECT s.id, s.name, o.name AS org, s.city, s.updated_at FROM dir_service s"
                        " JOIN org o ON o.id = s.org_id WHERE o.path LIKE ? ORDER BY s.name, s.id LIMIT ?",
                        "ti", scope_subtree_like(sc), (int64_t)limit);
}

int dir_store_org_options(const scope_t *sc, db_t *db, const char *selected, json_t *items)
{
    return db_list_json(db, items, "ttb",
                        "SELECT code, name, CASE WHEN code = ? THEN 1 ELSE 0 END AS selected FROM org"
                        " WHERE path LIKE ? ORDER BY name LIMIT 500",
                        "tt", selected ? selected : "", scope_subtree_like(sc));
}

/* The LIKE pattern "%text%" of one filter, its % _ and \ escaped; "%" when
 * `text` is NULL or empty. `quoted` wraps it in JSON quotes (a list member). */
static void like_pattern(str_t *out, const char *text, bool quoted)
{
    str_addc(out, '%');
    if (text && *text) {
        if (quoted) str_addc(out, '"');
        for (const char *p = text; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\') str_addc(out, '\\');
            str_addc(out, *p);
        }
        if (quoted) str_addc(out, '"');
        str_addc(out, '%');
    }
}

#define DIR_SEARCH_WORDS 4

/* The patterns of a query: four search words, language, category, city;
 * and the SQL of each word's condition. */
typedef struct patterns {
    str_t p[DIR_SEARCH_WORDS + 3];
    str_t where; /* " WHERE ..." with one ? per pattern, then updated_at */
} patterns_t;

/* The condition of search word i: none (its pattern "" and "? = ''"), or
 * the services holding a word that starts with it ("media" finds
 * "mediazione"): on SQLite a prefix query of the FTS5 word index, on
 * PostgreSQL one prefix query of the words of search_text for all the words
 * ('media':* & 'lodi':*, on the first word's condition), which the GIN index
 * of migration 0018 answers. Words hold only letters and
 * digits (the search is split at anything else), so neither query sees an
 * operator, a quote or a wildcard. */
static void word_condition(db_t *db, patterns_t *ps, int i, const char *w)
{
    if (!w) {
        str_adds(&ps->where, " AND ? = ''");
        return;
    }
    if (db_kind(db) == DB_SQLITE) {
        str_addf(&ps->p[i], "\"%s\"*", w);
        str_adds(&ps->where, " AND s.id IN (SELECT rowid FROM dir_service_fts WHERE dir_service_fts MATCH ?)");
    } else if (i == 0) { /* all the words in one query of quoted prefixes: the words hold no quote */
        str_addf(&ps->p[0], "'%s':*", w);
        /* OFFSET 0 keeps the lookup a subquery the index answers first, so no plan
         * walks the services in id order computing their words one by one */
        str_adds(&ps->where, " AND s.id IN (SELECT w.id FROM dir_service w WHERE to_tsvector('simple', w.search_text)"
                             " @@ to_tsquery('simple', ?) OFFSET 0)");
    } else {
        str_addf(&ps->p[0], " & '%s':*", w);
        str_adds(&ps->where, " AND ? = ''");
    }
}

/* Splits the search into lower-case words (the rest ignored) and builds the
 * patterns and the WHERE clause. */
static void patterns_build(db_t *db, const dir_hsds_query_t *q, patterns_t *ps)
{
    for (size_t i = 0; i < DIR_SEARCH_WORDS + 3; i++) str_init(&ps->p[i]);
    str_init(&ps->where);
    /* Only the filters asked become conditions (the others "? = ''", "? = 0"):
     * a count over the search index alone never reads the services' rows. */
    str_adds(&ps->where, q->language && *q->language ? " WHERE s.languages LIKE ? ESCAPE '\\'" : " WHERE ? = ''");
    str_adds(&ps->where, q->category && *q->category ? " AND s.categories LIKE ? ESCAPE '\\'" : " AND ? = ''");
    str_adds(&ps->where, q->city && *q->city ? " AND LOWER(COALESCE(s.city, '')) LIKE ? ESCAPE '\\'" : " AND ? = ''");
    str_adds(&ps->where, q->modified_after ? " AND s.updated_at >= ?" : " AND ? = 0");
    char buf[256];
    snprintf(buf, sizeof buf, "%s", q->search ? q->search : "");
    for (char *c = buf; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (u >= 'A' && u <= 'Z') *c = (char)(u - 'A' + 'a');
        else if (u < 0x80 && !(u >= 'a' && u <= 'z') && !(u >= '0' && u <= '9')) *c = ' ';
    }
    char *save = NULL, *w = strtok_r(buf, " ", &save);
    for (int i = 0; i < DIR_SEARCH_WORDS; i++, w = w ? strtok_r(NULL, " ", &save) : NULL)
        word_condition(db, ps, i, w);
    if (q->language && *q->language) like_pattern(&ps->p[DIR_SEARCH_WORDS], q->language, true);
    if (q->category && *q->category) like_pattern(&ps->p[DIR_SEARCH_WORDS + 1], q->category, true);
    char city[128];
    snprintf(city, sizeof city, "%s", q->city ? q->city : "");
    for (char *c = city; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    if (*city) like_pattern(&ps->p[DIR_SEARCH_WORDS + 2], city, false);
}

static void patterns_release(patterns_t *ps)
{
    for (size_t i = 0; i < DIR_SEARCH_WORDS + 3; i++) str_release(&ps->p[i]);
    str_release(&ps->where);
}

/* The bound values of patterns_t.where, in its order. */
#define SERVICE_FILTER_ARGS(ps, q)                                                                            \
    str_cstr(&(ps).p[4]), str_cstr(&(ps).p[5]), str_cstr(&(ps).p[6]), (q)->modified_after, str_cstr(&(ps).p[0]), \
        str_cstr(&(ps).p[1]), str_cstr(&(ps).p[2]), str_cstr(&(ps).p[3])
#define SERVICE_COLS                                                                                          \
    "SELECT s.id, s.org_id, o.name AS org_name, COALESCE(o.description, '') AS org_description, s.name,"      \
    " s.description, s.email, s.phone, s.url, s.address_1, s.city, s.postal_code, s.languages, s.categories," \
    " s.schedules, s.updated_at FROM dir_service s JOIN org o ON o.id = s.org_id"
#define SERVICE_TYPES "ii" "ttttttttttttt" "i" /* one letter per column of SERVICE_COLS */

int dir_store_service_page(const scope_t *sc, db_t *db, const dir_hsds_query_t *q, json_t *rows, int64_t *total)
{
    (void)sc; /* D4: the directory is public */
    patterns_t ps;
    patterns_build(db, q, &ps);
    str_t sql = STR_INIT;
    str_addf(&sql, "SELECT COUNT(*) FROM dir_service s%s", str_cstr(&ps.where));
    int rc;
    db_stmt_t *st = db_query(db, &rc, str_cstr(&sql), "tttitttt", SERVICE_FILTER_ARGS(ps, q));
    if (st) {
        *total = rc == DB_ROW ? db_col_int(st, 0) : 0;
        db_reset(st);
        if (rc >= 0) {
            str_reset(&sql);
            str_addf(&sql, SERVICE_COLS "%s ORDER BY s.id LIMIT ? OFFSET ?", str_cstr(&ps.where));
            st = db_query(db, &rc, str_cstr(&sql), "tttittttii", SERVICE_FILTER_ARGS(ps, q), (int64_t)q->per_page,
                          (int64_t)(q->page - 1) * q->per_page);
            rc = db_rows_json(st, rc, SERVICE_TYPES, rows);
        }
    }
    str_release(&sql);
    patterns_release(&ps);
    return rc < 0 ? rc : 0;
}

int dir_store_service_row(const scope_t *sc, db_t *db, int64_t n, json_t **row)
{
    (void)sc; /* D4: the directory is public */
    return db_get_json(db, row, SERVICE_TYPES, SERVICE_COLS " WHERE s.id = ?", "i", n);
}

#define ORG_COLS                                                                                              \
    "SELECT o.id, o.name, COALESCE(o.description, '') AS description, o.code FROM org o"                      \
    " WHERE EXISTS (SELECT 1 FROM dir_service s WHERE s.org_id = o.id)"

int dir_store_org_page(const scope_t *sc, db_t *db, const dir_hsds_query_t *q, json_t *rows, int64_t *total)
{
    (void)sc; /* D4: the directory is public */
    str_t p = STR_INIT;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", q->search ? q->search : "");
    for (char *c = buf; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    like_pattern(&p, *buf ? buf : NULL, false);
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT COUNT(*) FROM (" ORG_COLS " AND LOWER(o.name) LIKE ? ESCAPE '\\') c",
                             "t", str_cstr(&p));
    if (st) {
        *total = rc == DB_ROW ? db_col_int(st, 0) : 0;
        db_reset(st);
        if (rc >= 0) {
            st = db_query(db, &rc, ORG_COLS " AND LOWER(o.name) LIKE ? ESCAPE '\\' ORDER BY o.id LIMIT ? OFFSET ?",
                          "tii", str_cstr(&p), (int64_t)q->per_page, (int64_t)(q->page - 1) * q->per_page);
            rc = db_rows_json(st, rc, "ittt", rows);
        }
    }
    str_release(&p);
    return rc < 0 ? rc : 0;
}

int dir_store_org_row(const scope_t *sc, db_t *db, int64_t n, json_t **row, json_t *services)
{
    (void)sc; /* D4: the directory is public */
    int rc = db_get_json(db, row, "ittt", ORG_COLS " AND o.id = ?", "i", n);
    if (rc) return rc;
    return db_list_json(db, services, SERVICE_TYPES, SERVICE_COLS " WHERE s.org_id = ? ORDER BY s.id", "i", n);
}
