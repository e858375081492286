/* store_issue.c — the SQL of newsletter issues and their sending job
 * (store.h). The job's counts are read from the outbox rows the sending
 * queued (ref "issue:<id>"), so the progress is what SMTP really did. */
#include "store_row.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int info_store_issue_insert(db_t *db, const org_t *org, const info_issue_input_t *in, int64_t user, int64_t now,
                            int64_t *id)
{
    char *n = json_dumps(in->notice_ids ? in->notice_ids : json_array(), JSON_COMPACT);
    char *m = json_dumps(in->material_ids ? in->material_ids : json_array(), JSON_COMPACT);
    char *e = json_dumps(in->event_ids ? in->event_ids : json_array(), JSON_COMPACT);
    char *t = json_dumps(in->translations ? in->translations : json_object(), JSON_COMPACT);
    int rc = n && m && e && t ? db_insert_id(db, id,
                                             "INSERT INTO info_issue (org_id, subject, intro, notice_ids, material_ids,"
                                             " event_ids, translations, status, created_by, created_at)"
                                             " VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', NULLIF(?, 0), ?) RETURNING id",
                                             "ittttttii", org->id, in->subject, in->intro ? in->intro : "", n, m, e,
                                             t, user, now)
                              : DB_ERR;
    free(n), free(m), free(e), free(t);
    return rc;
}

static const db_field_t issue_map[] = {DB_INT(info_issue_t, id), DB_INT(info_issue_t, org_id),
                                       DB_INT(info_issue_t, sent)};

int info_store_issue_load(const scope_t *sc, db_t *db, int64_t id, info_issue_t *out)
{
    return info_store_scoped_row(sc, db, "info_issue", "x.id, x.org_id, CASE WHEN x.status = 'sent' THEN 1 ELSE 0 END",
                                 id, DB_MAP(issue_map), out, sizeof *out);
}

#define ISSUE_COLS                                                                                                \
    "i.id AS id, o.code AS org, i.subject AS subject, i.intro AS intro, i.notice_ids AS notice_ids,"             \
    " i.material_ids AS material_ids, i.event_ids AS event_ids, i.translations AS translations,"              \
    " i.status AS status, i.recipients AS recipients, i.created_at AS created_at, i.sent_at AS sent_at"
#define ISSUE_TYPES "ittttttt" "tiii"

int info_store_issue_json(db_t *db, const info_issue_t *is, json_t **out)
{
    return db_get_json(db, out, ISSUE_TYPES,
                       "SELECT " ISSUE_COLS " FROM info_issue i JOIN org o ON o.id = i.org_id WHERE i.id = ?",
                       "i", is->id);
}

int info_store_issue_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    return db_list_json(db, items, ISSUE_TYPES,
                        "SELECT " ISSUE_COLS " FROM info_issue i JOIN org o ON o.id = i.org_id"
                        " WHERE o.path LIKE ? AND (? = 0 OR i.id < ?) ORDER BY i.id DESC LIMIT ?",
                        "tiii", scope_subtree_like(sc), cursor, cursor, (int64_t)limit);
}

int info_store_issue_mark_sent(db_t *db, const info_issue_t *is, int64_t recipients, int64_t user, int64_t now)
{
    return db_run(db,
                  "UPDATE info_issue SET status = 'sent', recipients = ?, sent_by = NULLIF(?, 0), sent_at = ?"
                  " WHERE id = ? AND status = 'draft'",
                  "iiii", recipients, user, now, is->id);
}

static const db_field_t job_map[] = {DB_INT(info_issue_job_t, total), DB_INT(info_issue_job_t, sent),
                                     DB_INT(info_issue_job_t, failed)};

int info_store_issue_job(db_t *db, const info_issue_t *is, info_issue_job_t *job)
{
    char ref[32];
    snprintf(ref, sizeof ref, "issue:%lld", (long long)is->id);
    int rc = db_get_row(db, DB_MAP(job_map), job, sizeof *job,
                        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0),"
                        " COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0)"
                        " FROM outbox WHERE ref = ?",
                        "t", ref);
    return rc < 0 ? rc : 0;
}

int info_store_subscribers_confirmed(db_t *db, json_t *items)
{
    return db_list_json(db, items, "ittt" "t",
                        "SELECT id AS id, email AS email, name AS name, lang AS lang,"
                        " unsubscribe_token AS unsubscribe_token FROM info_subscriber"
                        " WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL ORDER BY id",
                        "");
}

int info_store_source_in_scope(const scope_t *sc, db_t *db, const char *kind, int64_t id)
{
    static const db_field_t ref_map[] = {DB_INT(info_ref_t, id), DB_INT(info_ref_t, org_id)};
    const char *table = !strcmp(kind, "notice") ? "info_notice" : !strcmp(kind, "material") ? "info_material" : "dir_event";
    info_ref_t found;
    return info_store_scoped_row(sc, db, table, "x.id, x.org_id", id, DB_MAP(ref_map), &found, sizeof found);
}

/* Appends the rows of `sql` (one "?" for the id) for each id of `ids`. */
static int rows_by_ids(db_t *db, const char *sql, const char *types, json_t *ids, json_t *items)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        int rc = db_list_json(db, items, types, sql, "i", (int64_t)json_integer_value(v));
        if (rc) return rc;
    }
    return 0;
}

int info_store_issue_notices(db_t *db, json_t *ids, json_t *items)
{
    return rows_by_ids(db,
                       "SELECT id AS id, title AS title, body AS body, valid_until AS valid_until FROM info_notice"
                       " WHERE id = ?",
                       "itt" "t", ids, items);
}

int info_store_issue_events(db_t *db, json_t *ids, json_t *items)
{
    return rows_by_ids(db, "SELECT id AS id, title AS title, place AS place, start_at AS start_at FROM dir_event WHERE id = ?",
                       "itti", ids, items);
}

int info_store_sources(const scope_t *sc, db_t *db, const char *today, int64_t now, json_t *notices,
                       json_t *materials, json_t *events)
{
    const char *like = scope_subtree_like(sc);
    int rc;
    if ((rc = db_list_json(db, notices, "itt",
                           "SELECT n.id AS id, n.title AS title, n.valid_until AS valid_until FROM info_notice n"
                           " JOIN org o ON o.id = n.org_id WHERE o.path LIKE ? AND n.valid_until >= ?"
                           " ORDER BY n.valid_from DESC, n.id DESC LIMIT 100",
                           "tt", like, today)) ||
        (rc = db_list_json(db, materials, "itt",
                           "SELECT m.id AS id, m.title AS title, m.category AS category FROM info_material m"
                           " JOIN org o ON o.id = m.org_id WHERE o.path LIKE ?"
                           " ORDER BY m.updated_at DESC, m.id DESC LIMIT 100",
                           "t", like)))
        return rc;
    return db_list_json(db, events, "itti",
                        "SELECT e.id AS id, e.title AS title, e.place AS place, e.start_at AS start_at FROM dir_event e"
                        " JOIN org o ON o.id = e.org_id WHERE o.path LIKE ? AND e.end_at >= ?"
                        " ORDER BY e.start_at, e.id LIMIT 100",
                        "ti", like, now);
}
