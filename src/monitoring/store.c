/* store.c — the SQL of the indicators (store.h). One statement per family
 * of figures; each starts from `tp`, the target's projects, and reads the
 * activity tables through their (project_id, ...) indexes. Rows whose
 * project_id is NULL are attributed in the query by district and date. */
#include "store.h"
#include "sql.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

/* Every identified person's activity in a target project:
 * (pid, person, d, lang, civic, job, fr, gain, eult, train). */
#define ACT                                                                                                     \
    "act AS ("                                                                                                 \
    "SELECT c.project_id AS pid, c.person_id AS person, c.date AS d, 0 AS lang, 0 AS civic, 0 AS job, "       \
    FR_TOPIC " AS fr, 0 AS gain, 0 AS eult, 0 AS train FROM consultation c "                                   \
    "WHERE c.project_id IN (SELECT id FROM tp) AND c.person_id IS NOT NULL "                                   \
    "UNION ALL SELECT x.* FROM (SELECT " ATTRIB("o", "c.date") " AS pid, c.person_id, c.date, 0, 0, 0, "       \
    FR_TOPIC ", 0, 0, 0 FROM consultation c JOIN org o ON o.id = c.org_id "                                    \
    "WHERE c.project_id IS NULL AND c.person_id IS NOT NULL AND " UNDER_TP("o") ") x "                         \
    "WHERE x.pid IN (SELECT id FROM tp) "                                                                      \
    "UNION ALL SELECT dp.project_id, dp.person_id, dp.opened_on, 0, 0, 0, "                                    \
    "CASE WHEN dp.type = 'family_reunification' THEN 1 ELSE 0 END, 0, "                                        \
    "CASE WHEN dp.type = 'eu_long_term' THEN 1 ELSE 0 END, 0 FROM desk_procedure dp "                          \
    "WHERE dp.project_id IN (SELECT id FROM tp) "                                                              \
    "UNION ALL SELECT y.* FROM (SELECT " ATTRIB("o", "dp.opened_on") " AS pid, dp.person_id, dp.opened_on, "   \
    "0, 0, 0, CASE WHEN dp.type = 'family_reunification' THEN 1 ELSE 0 END, 0, "                               \
    "CASE WHEN dp.type = 'eu_long_term' THEN 1 ELSE 0 END, 0 FROM desk_procedure dp "                          \
    "JOIN org o ON o.id = dp.org_id WHERE dp.project_id IS NULL AND " UNDER_TP("o") ") y "                     \
    "WHERE y.pid IN (SELECT id FROM tp) "                                                                      \
    "UNION ALL SELECT ce.project_id, ce.person_id, co.start_date, " ENROL_FLAGS " FROM course_enrolment ce "   \
    "JOIN course co ON co.id = ce.course_id WHERE ce.project_id IN (SELECT id FROM tp) "                       \
    "AND ce.status = 'enrolled' "                                                                              \
    "UNION ALL SELECT z.* FROM (SELECT " ATTRIB("o", "co.start_date") " AS pid, ce.person_id, co.start_date, " \
    ENROL_FLAGS " FROM course_enrolment ce JOIN course co ON co.id = ce.course_id "                            \
    "JOIN org o ON o.id = co.org_id WHERE ce.project_id IS NULL AND ce.status = 'enrolled' AND "               \
    UNDER_TP("o") ") z WHERE z.pid IN (SELECT id FROM tp)), "

/* "in the window" for an act row. */
#define INWIN "(a.d >= CAST(? AS TEXT) AND a.d <= CAST(? AS TEXT))"
#define WMAX(col) "MAX(CASE WHEN " INWIN " THEN a." col " ELSE 0 END)"

static const char persons_sql[] =
    "WITH " TP ACT
    "per AS (SELECT a.pid, a.person, MIN(a.d) AS first_d, "
    "MAX(CASE WHEN " INWIN " THEN 1 ELSE 0 END) AS anyw, " WMAX("lang") " AS lang, " WMAX("civic") " AS civic, "
    WMAX("job") " AS job, " WMAX("fr") " AS fr, " WMAX("gain") " AS gain, " WMAX("eult") " AS eult, "
    WMAX("train") " AS train FROM act a GROUP BY a.pid, a.person) "
    "SELECT pe.sex, " BAND " AS band, COUNT(*), SUM(per.lang), SUM(per.civic), SUM(per.job), SUM(per.fr), "
    "SUM(per.gain), SUM(per.eult), SUM(per.train) FROM per JOIN person pe ON pe.id = per.person "
    "WHERE per.anyw = 1 GROUP BY pe.sex, " BAND;

db_stmt_t *mon_tp_prepare(db_t *db, const char *sql, const mon_target_t *t, int windows, bool times)
{
    db_stmt_t *st = db_prepare(db, sql);
    if (!st) return NULL;
    db_bind_int(st, 1, t->project_id);
    db_bind_int(st, 2, t->project_id);
    db_bind_int(st, 3, t->project_id);
    db_bind_text(st, 4, t->path_like);
    for (int k = 0, i = 5; k < windows; k++, i += 2) {
        if (times) {
            db_bind_int(st, i, t->from_ts);
            db_bind_int(st, i + 1, t->to_ts);
        } else {
            db_bind_text(st, i, t->from);
            db_bind_text(st, i + 1, t->to);
        }
    }
    return st;
}

int mon_rows_arrays(db_stmt_t *st, int ntext, json_t *rows)
{
    if (!st) return DB_ERR;
    int rc, n = db_col_count(st);
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *r = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(r, i < ntext ? json_string(db_col_text(st, i)) : json_integer(db_col_int(st, i)));
        json_array_append_new(rows, r);
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : rc;
}

int mon_topic_counts(db_stmt_t *st, int64_t *total, json_t *by)
{
    if (!st) return DB_ERR;
    int rc;
    *total = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *topic = db_col_text(st, 0);
        if (!*topic) *total = db_col_int(st, 1);
        else json_object_set_new(by, topic, json_integer(db_col_int(st, 1)));
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : rc;
}

static void add_count(json_t *o, const char *k, int64_t n)
{
    json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + n));
}

int mon_minutes_counts(db_stmt_t *st, int64_t *minutes, json_t *by_domain, json_t *by_lang)
{
    if (!st) return DB_ERR;
    int rc;
    *minutes = 0;
    while ((rc = db_step(st)) == DB_ROW) { /* one pass: the totals are added up here */
        int64_t n = db_col_int(st, 2);
        *minutes += n;
        add_count(by_domain, db_col_text(st, 0), n);
        add_count(by_lang, db_col_text(st, 1), n);
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : rc;
}

int mon_store_persons(db_t *db, const mon_target_t *t, json_t *rows)
{
    /* the window, once per windowed MAX */
    return mon_rows_arrays(mon_tp_prepare(db, persons_sql, t, 8, false), 2, rows);
}

int mon_store_entities_budget(db_t *db, const mon_target_t *t, int64_t *o22, int64_t *o27, int64_t *planned,
                              int64_t *spent)
{
    db_stmt_t *st = mon_tp_prepare(db,
                                   "WITH " TP "tw AS (SELECT * FROM tp WHERE (tp.end_date IS NULL OR tp.end_date >= ?) "
                                   "AND (tp.start_date IS NULL OR tp.start_date <= ?)) "
                                   "SELECT (SELECT COUNT(*) FROM tw JOIN org a ON a.kind IN ('ambito', 'comune') "
                                   "AND substr(a.path, 1, length(tw.path)) = tw.path), "
                                   "(SELECT COUNT(*) FROM tw WHERE tw.kind IN ('region', 'ambito', 'comune')), "
                                   "(SELECT CAST(COALESCE(SUM(b.planned_cents), 0) AS BIGINT) FROM budget_line b "
                                   "WHERE b.project_id IN (SELECT id FROM tp)), "
                                   "(SELECT CAST(COALESCE(SUM(e.amount_cents), 0) AS BIGINT) FROM expense e "
                                   "WHERE e.project_id IN (SELECT id FROM tp) AND e.date >= ? AND e.date <= ?)",
                                   t, 2, false);
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *o22 = db_col_int(st, 0);
        *o27 = db_col_int(st, 1);
        *planned = db_col_int(st, 2);
        *spent = db_col_int(st, 3);
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? DB_ERR : rc;
}

/* Every consultation (anonymous included) of a target project in the window. */
#define CONS                                                                                                    \
    "cons AS (SELECT c.id FROM consultation c WHERE c.project_id IN (SELECT id FROM tp) "                    \
    "AND c.date >= ? AND c.date <= ? UNION ALL SELECT x.id FROM (SELECT c.id, " ATTRIB("o", "c.date")        \
    " AS pid FROM consultation c JOIN org o ON o.id = c.org_id WHERE c.project_id IS NULL "                   \
    "AND c.date >= ? AND c.date <= ? AND " UNDER_TP("o") ") x WHERE x.pid IN (SELECT id FROM tp)) "

int mon_store_consultations(db_t *db, const mon_target_t *t, int64_t *total, json_t *by)
{
    db_stmt_t *st = mon_tp_prepare(db,
                                   "WITH " TP CONS "SELECT '', COUNT(*) FROM cons UNION ALL "
                                   "SELECT ct.topic, COUNT(*) FROM cons JOIN consultation_topic ct "
                                   "ON ct.consultation_id = cons.id GROUP BY ct.topic",
                                   t, 2, false);
    return mon_topic_counts(st, total, by);
}

/* The UTC day of a Unix time column, per engine. */
static void day_expr(db_t *db, const char *col, char *out, size_t len)
{
    if (db_kind(db) == DB_PG) snprintf(out, len, "to_char(to_timestamp(%s) AT TIME ZONE 'UTC', 'YYYY-MM-DD')", col);
    else snprintf(out, len, "date(%s, 'unixepoch')", col);
}

/* Fills `sql` with "WITH tp, <name> AS (rows of `table` alias r in the
 * window by `ts`, attributed when project_id is NULL)". `has_pid`: the table
 * has a project_id column; `join`/`org` name the organisation's join. */
static void windowed(db_t *db, char *sql, size_t len, const char *cols, const char *from, const char *org,
                     const char *ts, const char *where, bool has_pid)
{
    char day[160], attrib[900];
    day_expr(db, ts, day, sizeof day);
    snprintf(attrib, sizeof attrib, ATTRIB("o", "%s"), day, day);
    if (has_pid)
        snprintf(sql, len,
                 "WITH " TP "w AS (SELECT %s, r.project_id AS pid FROM %s WHERE r.project_id IN (SELECT id FROM tp) AND %s >= ? AND %s < ? "
                 "AND %s UNION ALL SELECT x.* FROM (SELECT %s, %s AS pid FROM %s JOIN org o ON o.id = %s "
                 "WHERE r.project_id IS NULL AND %s >= ? AND %s < ? AND %s AND " UNDER_TP("o") ") x "
                 "WHERE x.pid IN (SELECT id FROM tp)) ",
                 cols, from, ts, ts, where, cols, attrib, from, org, ts, ts, where);
    else
        snprintf(sql, len,
                 "WITH " TP "w AS (SELECT x.* FROM (SELECT %s, %s AS pid FROM %s JOIN org o ON o.id = %s "
                 "WHERE %s >= ? AND %s < ? AND %s AND " UNDER_TP("o") ") x WHERE x.pid IN (SELECT id FROM tp)) ",
                 cols, attrib, from, org, ts, ts, where);
}

/* Runs `sql` (tp, then `windows` pairs of the window as Unix times): rows
 * (kind, code, n) into totals and the two objects. */
static int grouped(db_t *db, const char *sql, const mon_target_t *t, int windows, int64_t *total, json_t *a,
                   json_t *b)
{
    db_stmt_t *st = mon_tp_prepare(db, sql, t, windows, true);
    if (!st) return DB_ERR;
    int rc;
    *total = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *kind = db_col_text(st, 0);
        int64_t n = db_col_int(st, 2);
        if (!strcmp(kind, "t")) *total = n;
        else json_object_set_new(!strcmp(kind, "a") ? a : b, db_col_text(st, 1), json_integer(n));
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : rc;
}

int mon_store_mediation(db_t *db, const mon_target_t *t, int64_t *minutes, json_t *by_domain, json_t *by_lang)
{
    char sql[6000];
    windowed(db, sql, sizeof sql - 400, "r.domain, r.language, COALESCE(r.minutes_worked, r.minutes) AS m",
             "mediation_request r", "r.org_id", "r.start_at", "r.status = 'done'", true);
    strcat(sql, "SELECT domain, language, SUM(m) FROM w GROUP BY domain, language");
    return mon_minutes_counts(mon_tp_prepare(db, sql, t, 2, true), minutes, by_domain, by_lang);
}

int mon_store_translations(db_t *db, const mon_target_t *t, int64_t *total, json_t *by_lang)
{
    char sql[6000];
    windowed(db, sql, sizeof sql - 300, "r.lang", "info_translation r JOIN info_material m ON m.id = r.material_id",
             "m.org_id", "r.published_at", "r.status = 'published'", false);
    strcat(sql, "SELECT 't', '', COUNT(*) FROM w UNION ALL SELECT 'a', lang, COUNT(*) FROM w GROUP BY lang");
    return grouped(db, sql, t, 1, total, by_lang, by_lang);
}

int mon_store_districts(db_t *db, const char *path_like, json_t *items)
{
    return db_list_json(db, items, "tt", "SELECT code, name FROM org WHERE kind = 'ambito' AND path LIKE ? ORDER BY name",
                        "t", path_like);
}

/* The id and path of the row a query answered: 0, 1 when none, or DB_E*. */
static int id_and_path(db_stmt_t *st, int rc, int64_t *id, char *path, size_t len)
{
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        snprintf(path, len, "%s", db_col_text(st, 1));
    }
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int mon_store_org(db_t *db, const char *path_like, const char *code, int64_t *id, char *path, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT id, path FROM org WHERE code = ? AND path LIKE ?", "tt", code, path_like);
    return id_and_path(st, rc, id, path, len);
}

int mon_store_project(db_t *db, const char *path_like, int64_t id, int64_t *org_id, char *path, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT o.id, o.path FROM project p JOIN org o ON o.id = p.org_id WHERE p.id = ? "
                             "AND o.path LIKE ?",
                             "it", id, path_like);
    return id_and_path(st, rc, org_id, path, len);
}

int mon_store_meetings(db_t *db, const mon_target_t *t, int64_t now, json_t *held, json_t *persons, json_t *orgs)
{
    char sql[7000], where[64];
    snprintf(where, sizeof where, "r.start_at < %lld", (long long)now);
    windowed(db, sql, sizeof sql - 700, "r.id AS mid, r.kind", "meeting r", "r.org_id", "r.start_at", where, true);
    strcat(sql, "SELECT 'h', w.kind, COUNT(*) FROM w GROUP BY w.kind "
                "UNION ALL SELECT 'p', w.kind, COUNT(*) FROM w JOIN meeting_invitee i ON i.meeting_id = w.mid "
                "AND i.status = 'present' GROUP BY w.kind "
                "UNION ALL SELECT 'o', x.kind, COUNT(*) FROM (SELECT DISTINCT w.mid, w.kind, i.org_id FROM w "
                "JOIN meeting_invitee i ON i.meeting_id = w.mid WHERE i.status = 'present' AND i.org_id IS NOT NULL) x "
                "GROUP BY x.kind");
    db_stmt_t *st = mon_tp_prepare(db, sql, t, 2, true);
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *what = db_col_text(st, 0);
        json_t *o = *what == 'h' ? held : *what == 'p' ? persons : orgs;
        json_object_set_new(o, db_col_text(st, 1), json_integer(db_col_int(st, 2)));
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : rc;
}
