/* sql.h — the SQL fragments monitoring's stores share (store.c reads the
 * records, store_summary.c keeps the summaries): the target's projects,
 * the attribution of an activity without project_id, CEFR levels, the
 * activity flags and the age band; and the statement helpers both use to
 * bind the target and read the rows (store.c). Private to src/monitoring. */
#ifndef LI_MON_SQL_H
#define LI_MON_SQL_H
#include "db/db.h"
#include "monitoring.h"
#include <jansson.h>

/* The target's projects, with their organisation's path. Two parameters:
 * the project id (0: none) and the organisation pattern (used when 0). */
#define TP                                                                                                     \
    "tp AS (SELECT p.id, o.path, p.start_date, p.end_date, o.kind FROM project p JOIN org o ON o.id = p.org_id " \
    "WHERE (CAST(? AS BIGINT) > 0 AND p.id = CAST(? AS BIGINT)) OR (CAST(? AS BIGINT) = 0 AND o.path LIKE ?)), "

/* The project of a row of organisation alias X dated D when its project_id
 * is NULL (governance's store_attribution.c, as an expression). */
#define ATTRIB(X, D)                                                                                            \
    "(SELECT p2.id FROM project p2 JOIN org d2 ON d2.id = p2.org_id WHERE d2.kind = 'ambito' "               \
    "AND substr(" X ".path, 1, length(d2.path)) = d2.path AND (p2.start_date IS NULL OR p2.start_date <= " D \
    ") AND (p2.end_date IS NULL OR p2.end_date >= " D ") ORDER BY p2.start_date DESC, p2.id DESC LIMIT 1)"

/* A row of organisation alias X may be attributed to a target project. */
#define UNDER_TP(X) "EXISTS (SELECT 1 FROM tp WHERE substr(" X ".path, 1, length(tp.path)) = tp.path)"

#define LEVEL(x)                                                                                                \
    "CASE " x " WHEN 'pre-A1' THEN 0 WHEN 'A1' THEN 1 WHEN 'A2' THEN 2 WHEN 'B1' THEN 3 WHEN 'B2' THEN 4 "   \
    "WHEN 'C1' THEN 5 WHEN 'C2' THEN 6 END"
#define LANG_KINDS "('italian_l2', 'literacy', 'italian_work', 'pupils_l2')"
#define FR_TOPIC                                                                                                \
    "CASE WHEN EXISTS (SELECT 1 FROM consultation_topic ct WHERE ct.consultation_id = c.id "                 \
    "AND ct.topic = 'family_reunification') THEN 1 ELSE 0 END"
#define ENROL_FLAGS                                                                                             \
    "CASE WHEN co.kind IN " LANG_KINDS " THEN 1 ELSE 0 END, "                                                  \
    "CASE WHEN co.kind = 'civic_orientation' THEN 1 ELSE 0 END, "                                              \
    "CASE WHEN co.kind = 'job_orientation' THEN 1 ELSE 0 END, 0, "                                             \
    "CASE WHEN co.kind IN " LANG_KINDS " AND " LEVEL("ce.exit_level") " >= " LEVEL("ce.entry_level") " + 1 "   \
    "THEN 1 ELSE 0 END, 0, "                                                                                   \
    "CASE WHEN co.kind IN ('operator_training', 'mediator_training') THEN 1 ELSE 0 END"

/* The age band at first_d of person pe (birth date, else the recorded band). */
#define BIRTH_PLUS(n) "CAST(CAST(substr(pe.birth_date, 1, 4) AS INTEGER) + " n " AS TEXT) || substr(pe.birth_date, 5)"
#define BAND                                                                                                    \
    "CASE WHEN pe.birth_date IS NOT NULL AND length(pe.birth_date) = 10 THEN "                                 \
    "CASE WHEN per.first_d < " BIRTH_PLUS("18") " THEN '<18' WHEN per.first_d < " BIRTH_PLUS("61")             \
    " THEN '18-60' ELSE '>60' END "                                                                            \
    "WHEN pe.age_band_first = '0-17' THEN '<18' WHEN pe.age_band_first = '18-60' THEN '18-60' "               \
    "WHEN pe.age_band_first = '61+' THEN '>60' ELSE '' END"
/* The semester of a date column: 'YYYY-S1' or 'YYYY-S2'. */
#define SEMESTER(d) "substr(" d ", 1, 4) || CASE WHEN substr(" d ", 6, 2) <= '06' THEN '-S1' ELSE '-S2' END"

/* Prepares `sql` and binds the target's four tp parameters, then `windows`
 * pairs of the window (`times`: as Unix times, else as dates) from index 5:
 * the statement, or NULL. */
db_stmt_t *mon_tp_prepare(db_t *db, const char *sql, const mon_target_t *t, int windows, bool times);
/* Each of the readers below steps st (NULL, a failed prepare: DB_ERR) to the
 * end and resets it: 0 or DB_E*. */
/* Appends each row as an array of its columns (the first `ntext` as text,
 * the rest as integers). */
int mon_rows_arrays(db_stmt_t *st, int ntext, json_t *rows);
/* Rows (topic, n): the topic '' is the total, the others go into `by`. */
int mon_topic_counts(db_stmt_t *st, int64_t *total, json_t *by);
/* Rows (domain, language, minutes): summed in total, per domain and per
 * language. */
int mon_minutes_counts(db_stmt_t *st, int64_t *minutes, json_t *by_domain, json_t *by_lang);

#endif
