/* store_summary.c — the summaries behind the fast indicators (migration
 * 0015_monitoring): refreshing them from the records for what the triggers
 * marked, and reading them.
 *
 * A refresh runs at the start of every read of indicators. When nothing is
 * marked it costs three indexed reads and no write. Otherwise, in one write
 * transaction (a transaction-scoped advisory lock serialises refreshers on
 * PostgreSQL; BEGIN IMMEDIATE does on SQLite):
 * - a rebuild recomputes every summary from the records;
 * - else, first, each organisation marked by a change of a district's
 *   project or of the organisation tree (migration 0017) marks the persons
 *   and buckets of the activities without project_id in its subtree (the
 *   only ones whose attribution can change); then
 *   the marked persons' participations are recomputed from their own
 *   activities (indexed by person), the counts of the (project, period)
 *   keys they touch recounted, and the marked (district, semester) buckets
 *   of consultations recounted.
 * The marks taken are those present when it starts: marks a concurrent
 * write adds stay for the next refresh. */
#include "sql.h"
#include "store.h"
#include <stdio.h>
#include <string.h>

/* Every identified person's activity in any project, for the persons that
 * `WHO` selects ("1 = 1" or a subquery on person_id column P):
 * (pid, person, d, lang, civic, job, fr, gain, eult, train). */
#define ACT_ALL(WHO_C, WHO_P, WHO_E)                                                                            \
    "act AS ("                                                                                                 \
    "SELECT c.project_id AS pid, c.person_id AS person, c.date AS d, 0 AS lang, 0 AS civic, 0 AS job, "       \
    FR_TOPIC " AS fr, 0 AS gain, 0 AS eult, 0 AS train FROM consultation c "                                   \
    "WHERE c.project_id IS NOT NULL AND c.person_id IS NOT NULL AND " WHO_C " "                               \
    "UNION ALL SELECT x.* FROM (SELECT " ATTRIB("o", "c.date") " AS pid, c.person_id, c.date, 0, 0, 0, "       \
    FR_TOPIC ", 0, 0, 0 FROM consultation c JOIN org o ON o.id = c.org_id "                                    \
    "WHERE c.project_id IS NULL AND c.person_id IS NOT NULL AND " WHO_C ") x WHERE x.pid IS NOT NULL "        \
    "UNION ALL SELECT dp.project_id, dp.person_id, dp.opened_on, 0, 0, 0, "                                    \
    "CASE WHEN dp.type = 'family_reunification' THEN 1 ELSE 0 END, 0, "                                        \
    "CASE WHEN dp.type = 'eu_long_term' THEN 1 ELSE 0 END, 0 FROM desk_procedure dp "                          \
    "WHERE dp.project_id IS NOT NULL AND " WHO_P " "                                                          \
    "UNION ALL SELECT y.* FROM (SELECT " ATTRIB("o", "dp.opened_on") " AS pid, dp.person_id, dp.opened_on, "   \
    "0, 0, 0, CASE WHEN dp.type = 'family_reunification' THEN 1 ELSE 0 END, 0, "                               \
    "CASE WHEN dp.type = 'eu_long_term' THEN 1 ELSE 0 END, 0 FROM desk_procedure dp "                          \
    "JOIN org o ON o.id = dp.org_id WHERE dp.project_id IS NULL AND " WHO_P ") y WHERE y.pid IS NOT NULL "    \
    "UNION ALL SELECT ce.project_id, ce.person_id, co.start_date, " ENROL_FLAGS " FROM course_enrolment ce "   \
    "JOIN course co ON co.id = ce.course_id WHERE ce.project_id IS NOT NULL AND ce.status = 'enrolled' AND "   \
    WHO_E " UNION ALL SELECT z.* FROM (SELECT " ATTRIB("o", "co.start_date") " AS pid, ce.person_id, "         \
    "co.start_date, " ENROL_FLAGS " FROM course_enrolment ce JOIN course co ON co.id = ce.course_id "          \
    "JOIN org o ON o.id = co.org_id WHERE ce.project_id IS NULL AND ce.status = 'enrolled' AND " WHO_E ") z " \
    "WHERE z.pid IS NOT NULL), "

#define FLAGS_MAX                                                                                               \
    "MAX(a.lang) AS lang, MAX(a.civic) AS civic, MAX(a.job) AS job, MAX(a.fr) AS fr, MAX(a.gain) AS gain, "   \
    "MAX(a.eult) AS eult, MAX(a.train) AS train"

/* From act: one participation per (project, person) for the whole period
 * and one per semester with an activity, inserted into mon_part. */
#define PART_INSERT                                                                                             \
    "per AS (SELECT a.pid, a.person, MIN(a.d) AS first_d FROM act a GROUP BY a.pid, a.person), "              \
    "grp AS (SELECT a.pid, a.person, '' AS period, " FLAGS_MAX " FROM act a GROUP BY a.pid, a.person "         \
    "UNION ALL SELECT a.pid, a.person, " SEMESTER("a.d") ", " FLAGS_MAX " FROM act a "                         \
    "GROUP BY a.pid, a.person, " SEMESTER("a.d") ") "                                                          \
    "INSERT INTO mon_part (person_id, project_id, period, sex, band, flags) "                                  \
    "SELECT g.person, g.pid, g.period, pe.sex, " BAND ", 1 + 2 * g.lang + 4 * g.civic + 8 * g.job + "          \
    "16 * g.fr + 32 * g.gain + 64 * g.eult + 128 * g.train FROM grp g JOIN per ON per.pid = g.pid "           \
    "AND per.person = g.person JOIN person pe ON pe.id = g.person"

#define WORK "IN (SELECT person_id FROM mon_work_person)"

#define COUNT_COLS                                                                                              \
    "COUNT(*), SUM(flags & 2) / 2, SUM(flags & 4) / 4, SUM(flags & 8) / 8, SUM(flags & 16) / 16, "            \
    "SUM(flags & 32) / 32, SUM(flags & 64) / 64, SUM(flags & 128) / 128"
#define COUNT_INSERT                                                                                            \
    "INSERT INTO mon_count (project_id, period, sex, band, n_any, n_lang, n_civic, n_job, n_fr, n_gain, "     \
    "n_eult, n_train) SELECT project_id, period, sex, band, " COUNT_COLS " FROM mon_part p "

/* Consultations (anonymous included) of the rows FROM selects (c the
 * consultation), counted per bucket, project and topic ('' = all) into
 * mon_contact. */
#define CONTACT_INSERT(FROM)                                                                                    \
    "WITH cc AS (SELECT x.* FROM (SELECT c.id, c.org_id, " SEMESTER("c.date") " AS period, "                   \
    "COALESCE(c.project_id, " ATTRIB("o", "c.date") ") AS pid FROM " FROM " JOIN org o ON o.id = c.org_id) x " \
    "WHERE x.pid IS NOT NULL) "                                                                               \
    "INSERT INTO mon_contact (org_id, period, project_id, topic, n) "                                         \
    "SELECT org_id, period, pid, '', COUNT(*) FROM cc GROUP BY org_id, period, pid UNION ALL "                \
    "SELECT cc.org_id, cc.period, cc.pid, ct.topic, COUNT(*) FROM cc JOIN consultation_topic ct "             \
    "ON ct.consultation_id = cc.id GROUP BY cc.org_id, cc.period, cc.pid, ct.topic"

/* The first and last day of the semester in column P ('YYYY-S1'). */
#define SEM_FROM(P) "substr(" P ", 1, 4) || CASE WHEN substr(" P ", 7, 1) = '1' THEN '-01-01' ELSE '-07-01' END"
#define SEM_TO(P) "substr(" P ", 1, 4) || CASE WHEN substr(" P ", 7, 1) = '1' THEN '-06-30' ELSE '-12-31' END"
/* The consultations of the marked buckets, each a range of the index (org_id, date). */
#define WORK_CONTACT_FROM                                                                                       \
    "mon_work_contact w JOIN consultation c ON c.org_id = w.org_id AND c.date >= " SEM_FROM("w.period")        \
    " AND c.date <= " SEM_TO("w.period")

/* Runs each statement; on PostgreSQL, a statement filling a work table is
 * followed by ANALYZE of it, so the planner knows it holds a few rows and
 * reaches the records through their indexes (not a scan of them all). */
static int run_all(db_t *db, const char *const *sql)
{
    for (int i = 0; sql[i]; i++) {
        int rc = db_run(db, sql[i], "");
        if (rc) return rc;
        const char *w = strstr(sql[i], "INSERT INTO mon_work_");
        if (w == sql[i] && db_kind(db) == DB_PG) {
            char an[64];
            snprintf(an, sizeof an, "ANALYZE %.*s", (int)strcspn(w + 12, " "), w + 12);
            if ((rc = db_run(db, an, ""))) return rc;
        }
    }
    return 0;
}

/* The UTC day of a Unix time column, per engine. */
static void day_of(db_t *db, const char *col, char *out, size_t len)
{
    if (db_kind(db) == DB_PG) snprintf(out, len, "to_char(to_timestamp(%s) AT TIME ZONE 'UTC', 'YYYY-MM-DD')", col);
    else snprintf(out, len, "date(%s, 'unixepoch')", col);
}

/* Minutes of the mediation requests done that `from` selects (r the
 * request; `work`: joined to the marked buckets), into mon_med. */
static int med_insert(db_t *db, const char *from, bool work)
{
    char day[120], sql[4000], join[600] = "";
    day_of(db, "r.start_at", day, sizeof day);
    if (work) /* each bucket: its district's requests (index org_id, start_at) whose day falls in it */
        snprintf(join, sizeof join, " JOIN mon_work_med w ON w.org_id = r.org_id AND %s >= " SEM_FROM("w.period")
                 " AND %s <= " SEM_TO("w.period"), day, day);
    snprintf(sql, sizeof sql,
             "WITH mm AS (SELECT x.* FROM (SELECT r.org_id, " SEMESTER("%s") " AS period, r.domain, r.language, "
             "COALESCE(r.minutes_worked, r.minutes) AS m, COALESCE(r.project_id, " ATTRIB("o", "%s") ") AS pid "
             "FROM %s%s JOIN org o ON o.id = r.org_id WHERE r.status = 'done') x WHERE x.pid IS NOT NULL) "
             "INSERT INTO mon_med (org_id, period, project_id, domain, language, minutes) "
             "SELECT org_id, period, pid, domain, language, SUM(m) FROM mm GROUP BY org_id, period, pid, domain, language",
             day, day, day, day, from, join);
    return db_run(db, sql, "");
}

/* The marked (district, semester) buckets of summary mon_<name>: moved from
 * mon_dirty_<name> into mon_work_<name>, their rows deleted, then `fill`
 * recounts them from the records. */
static int refresh_buckets(db_t *db, const char *name, int (*fill)(db_t *db))
{
    char clear[64], take[200], done[300], stale[300];
    snprintf(clear, sizeof clear, "DELETE FROM mon_work_%s", name);
    snprintf(take, sizeof take, "INSERT INTO mon_work_%s (org_id, period) SELECT DISTINCT org_id, period FROM mon_dirty_%s",
             name, name);
    snprintf(done, sizeof done,
             "DELETE FROM mon_dirty_%s WHERE EXISTS (SELECT 1 FROM mon_work_%s w WHERE w.org_id = mon_dirty_%s.org_id "
             "AND w.period = mon_dirty_%s.period)",
             name, name, name, name);
    snprintf(stale, sizeof stale,
             "DELETE FROM mon_%s WHERE EXISTS (SELECT 1 FROM mon_work_%s w WHERE w.org_id = mon_%s.org_id "
             "AND w.period = mon_%s.period)",
             name, name, name, name);
    const char *const sql[] = {clear, take, done, stale, NULL};
    int rc = run_all(db, sql);
    if (!rc) rc = fill(db);
    return rc ? rc : db_run(db, clear, "");
}

static int fill_med(db_t *db) { return med_insert(db, "mediation_request r", true); }

/* A bucket's rows: its district's consultations of that semester (index org_id, date). */
static int fill_contacts(db_t *db) { return db_run(db, CONTACT_INSERT(WORK_CONTACT_FROM), ""); }

static int rebuild(db_t *db)
{
    /* PostgreSQL: TRUNCATE leaves no dead rows for the next reads to skip */
    int rc = db_kind(db) != DB_PG ? 0
                                  : db_run(db, "TRUNCATE mon_part, mon_count, mon_contact, mon_med, mon_dirty_person, "
                                               "mon_dirty_contact, mon_dirty_med, mon_dirty_org", "");
    if (rc) return rc;
    static const char *const sql[] = {
        "DELETE FROM mon_part", "DELETE FROM mon_count", "DELETE FROM mon_contact", "DELETE FROM mon_dirty_person",
        "DELETE FROM mon_dirty_contact", "DELETE FROM mon_med", "DELETE FROM mon_dirty_med", "DELETE FROM mon_dirty_org",
        "WITH " ACT_ALL("1 = 1", "1 = 1", "1 = 1") PART_INSERT,
        COUNT_INSERT "GROUP BY project_id, period, sex, band",
        CONTACT_INSERT("consultation c"),
        "DELETE FROM mon_state",
        NULL};
    rc = run_all(db, sql);
    if (!rc) rc = med_insert(db, "mediation_request r", false);
    if (!rc && db_kind(db) == DB_PG) rc = db_run(db, "ANALYZE mon_part, mon_count, mon_contact, mon_med", "");
    return rc ? rc : db_run(db, "INSERT INTO mon_state (id, rebuild, refreshed_at) VALUES (1, 0, ?)", "i", db_now());
}

static int refresh_persons(db_t *db)
{
    static const char *const sql[] = {
        "DELETE FROM mon_work_person", "DELETE FROM mon_keys",
        "INSERT INTO mon_work_person (person_id) SELECT DISTINCT person_id FROM mon_dirty_person",
        "DELETE FROM mon_dirty_person WHERE person_id " WORK,
        "INSERT INTO mon_keys (project_id, period) SELECT DISTINCT project_id, period FROM mon_part WHERE person_id " WORK,
        "DELETE FROM mon_part WHERE person_id " WORK,
        "WITH " ACT_ALL("c.person_id " WORK, "dp.person_id " WORK, "ce.person_id " WORK) PART_INSERT,
        "INSERT INTO mon_keys (project_id, period) SELECT DISTINCT p.project_id, p.period FROM mon_part p "
        "WHERE p.person_id " WORK " AND NOT EXISTS (SELECT 1 FROM mon_keys k WHERE k.project_id = p.project_id "
        "AND k.period = p.period)",
        "DELETE FROM mon_count WHERE EXISTS (SELECT 1 FROM mon_keys k WHERE k.project_id = mon_count.project_id "
        "AND k.period = mon_count.period)",
        COUNT_INSERT "WHERE EXISTS (SELECT 1 FROM mon_keys k WHERE k.project_id = p.project_id AND k.period = p.period) "
        "GROUP BY project_id, period, sex, band",
        "DELETE FROM mon_work_person", "DELETE FROM mon_keys",
        NULL};
    return run_all(db, sql);
}

/* The marked organisations (mon_dirty_org): the activities without
 * project_id of their subtrees, as they are now, get their persons and
 * their (district, semester) buckets of consultations and mediation marked
 * for the steps below. */
static int refresh_orgs(db_t *db)
{
    static const char *const sql[] = {
        "DELETE FROM mon_work_org", "DELETE FROM mon_work_sub",
        "INSERT INTO mon_work_org (org_id) SELECT DISTINCT org_id FROM mon_dirty_org",
        "DELETE FROM mon_dirty_org WHERE org_id IN (SELECT org_id FROM mon_work_org)",
        "INSERT INTO mon_work_sub (org_id) SELECT DISTINCT o.id FROM mon_work_org w JOIN org wo ON wo.id = w.org_id "
        "JOIN org o ON substr(o.path, 1, length(wo.path)) = wo.path",
        "INSERT INTO mon_dirty_person (person_id) SELECT DISTINCT c.person_id FROM mon_work_sub s "
        "JOIN consultation c ON c.org_id = s.org_id WHERE c.project_id IS NULL AND c.person_id IS NOT NULL",
        "INSERT INTO mon_dirty_person (person_id) SELECT DISTINCT dp.person_id FROM mon_work_sub s "
        "JOIN desk_procedure dp ON dp.org_id = s.org_id WHERE dp.project_id IS NULL",
        "INSERT INTO mon_dirty_person (person_id) SELECT DISTINCT ce.person_id FROM mon_work_sub s "
        "JOIN course co ON co.org_id = s.org_id JOIN course_enrolment ce ON ce.course_id = co.id "
        "WHERE ce.project_id IS NULL",
        "INSERT INTO mon_dirty_contact (org_id, period) SELECT DISTINCT c.org_id, " SEMESTER("c.date")
        " FROM mon_work_sub s JOIN consultation c ON c.org_id = s.org_id WHERE c.project_id IS NULL",
        NULL};
    int rc = run_all(db, sql);
    char day[120], med[900];
    day_of(db, "r.start_at", day, sizeof day);
    snprintf(med, sizeof med,
             "INSERT INTO mon_dirty_med (org_id, period) SELECT DISTINCT r.org_id, " SEMESTER("%s")
             " FROM mon_work_sub s JOIN mediation_request r ON r.org_id = s.org_id WHERE r.project_id IS NULL",
             day, day);
    if (!rc) rc = db_run(db, med, "");
    if (!rc) rc = db_run(db, "DELETE FROM mon_work_sub", "");
    return rc ? rc : db_run(db, "DELETE FROM mon_work_org", "");
}

/* What is marked: bit 1 rebuild, 2 persons, 4 consultation buckets, 8
 * mediation buckets, 16 organisations; or a DB_E* code. */
static int marked(db_t *db)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT COALESCE((SELECT rebuild FROM mon_state WHERE id = 1), 1), "
                             "(SELECT COUNT(*) FROM (SELECT 1 FROM mon_dirty_person LIMIT 1) a), "
                             "(SELECT COUNT(*) FROM (SELECT 1 FROM mon_dirty_contact LIMIT 1) b), "
                             "(SELECT COUNT(*) FROM (SELECT 1 FROM mon_dirty_med LIMIT 1) c), "
                             "(SELECT COUNT(*) FROM (SELECT 1 FROM mon_dirty_org LIMIT 1) d)",
                             "");
    int m = 0;
    if (rc == DB_ROW)
        m = (db_col_int(st, 0) ? 1 : 0) | (db_col_int(st, 1) ? 2 : 0) | (db_col_int(st, 2) ? 4 : 0) |
            (db_col_int(st, 3) ? 8 : 0) | (db_col_int(st, 4) ? 16 : 0);
    if (st) db_reset(st);
    return rc == DB_ROW ? m : rc < 0 ? rc : DB_ERR;
}

int mon_store_refresh(db_t *db)
{
    int m = marked(db);
    if (m <= 0) return m;
    bool own = !db_in_tx(db);
    int rc = own ? db_begin(db, true) : 0;
    /* one refresher at a time: SQLite's write lock, PostgreSQL's advisory lock */
    if (!rc && db_kind(db) == DB_PG) rc = db_run(db, "SELECT pg_advisory_xact_lock(7215013)", "");
    if (!rc && (m = marked(db)) < 0) rc = m;
    if (!rc && (m & 1)) rc = rebuild(db);
    else {
        if (!rc && (m & 16) && !(rc = refresh_orgs(db)) && (m = marked(db)) < 0) rc = m;
        if (!rc && (m & 2)) rc = refresh_persons(db);
        if (!rc && (m & 4)) rc = refresh_buckets(db, "contact", fill_contacts);
        if (!rc && (m & 8)) rc = refresh_buckets(db, "med", fill_med);
    }
    if (own) {
        if (rc) db_rollback(db);
        else rc = db_commit(db);
    }
    return rc;
}

int mon_store_persons_summary(db_t *db, const mon_target_t *t, const char *period, json_t *rows)
{
    db_stmt_t *st = mon_tp_prepare(db,
                                   "WITH " TP "x AS (SELECT 1) SELECT sex, band, SUM(n_any), SUM(n_lang), "
                                   "SUM(n_civic), SUM(n_job), SUM(n_fr), SUM(n_gain), SUM(n_eult), SUM(n_train) "
                                   "FROM mon_count WHERE project_id IN (SELECT id FROM tp) AND period = ? "
                                   "GROUP BY sex, band",
                                   t, 0, false);
    if (st) db_bind_text(st, 5, period);
    return mon_rows_arrays(st, 2, rows);
}

/* Prepares a summary's `sql` for the target and `period`, bound twice ('' or
 * that period): the statement, or NULL. */
static db_stmt_t *period_prepare(db_t *db, const char *sql, const mon_target_t *t, const char *period)
{
    db_stmt_t *st = mon_tp_prepare(db, sql, t, 0, false);
    if (st) {
        db_bind_text(st, 5, period);
        db_bind_text(st, 6, period);
    }
    return st;
}

int mon_store_consultations_summary(db_t *db, const mon_target_t *t, const char *period, int64_t *total, json_t *by)
{
    db_stmt_t *st = period_prepare(db,
                                   "WITH " TP "x AS (SELECT 1) SELECT topic, SUM(n) FROM mon_contact "
                                   "WHERE project_id IN (SELECT id FROM tp) AND (? = '' OR period = ?) GROUP BY topic",
                                   t, period);
    return mon_topic_counts(st, total, by);
}

int mon_store_mediation_summary(db_t *db, const mon_target_t *t, const char *period, int64_t *minutes, json_t *by_domain,
                                json_t *by_lang)
{
    db_stmt_t *st = period_prepare(db,
                                   "WITH " TP "x AS (SELECT 1) SELECT domain, language, SUM(minutes) FROM mon_med "
                                   "WHERE project_id IN (SELECT id FROM tp) AND (? = '' OR period = ?) "
                                   "GROUP BY domain, language",
                                   t, period);
    return mon_minutes_counts(st, minutes, by_domain, by_lang);
}
