/* store_referral.c — the SQL of the referrals the help desks send to the
 * directory's services, as the receiving service sees them (see store.h,
 * rule D6): scoped by the receiving organisation, with only the person's
 * name, phone and preferred language. Portable SQL, bound values. */
#include "store.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

int dir_store_service_target(db_t *db, int64_t id, dir_service_target_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT s.id, s.org_id, s.name, o.code FROM dir_service s JOIN org o ON o.id = s.org_id"
                             " WHERE s.id = ?",
                             "i", id);
    if (!st) return rc;
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        out->org_id = db_col_int(st, 1);
        snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 2));
        snprintf(out->org_code, sizeof out->org_code, "%s", db_col_text(st, 3));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

/* D6: sent to an organisation of the scope's subtree. */
#define INCOMING " FROM referral r JOIN org t ON t.id = r.to_org_id WHERE t.path LIKE ?"

int dir_store_referral_incoming_get(const scope_t *sc, db_t *db, int64_t id, dir_referral_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT r.id, r.org_id, r.to_org_id, COALESCE(r.created_by, 0), r.status,"
                             " COALESCE(r.to_service, '')" INCOMING " AND r.id = ?",
                             "ti", scope_subtree_like(sc), id);
    if (!st) return rc;
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        out->org_id = db_col_int(st, 1);
        out->to_org_id = db_col_int(st, 2);
        out->created_by = db_col_int(st, 3);
        snprintf(out->status, sizeof out->status, "%s", db_col_text(st, 4));
        snprintf(out->service, sizeof out->service, "%s", db_col_text(st, 5));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int dir_store_referral_incoming(const scope_t *sc, db_t *db, const char *status, int64_t cursor, int limit,
                                json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT r.id, r.created_at, f.name AS from_org, t.name AS to_org, r.to_service AS service,"
                             " p.given_name, p.family_name, p.phone, p.preferred_language, r.reason, r.status,"
                             " r.answer_note, r.answered_at, r.org_id AS from_org_id, r.person_id"
                             " FROM referral r JOIN org t ON t.id = r.to_org_id JOIN org f ON f.id = r.org_id"
                             " JOIN person p ON p.id = r.person_id"
                             " WHERE t.path LIKE ? AND (? = '' OR r.status = ?) AND (? = 0 OR r.id < ?)"
                             " ORDER BY r.id DESC LIMIT ?",
                             "tttiii", scope_subtree_like(sc), status ? status : "", status ? status : "",
                             cursor, cursor, (int64_t)limit);
    return db_rows_json(st, rc, "iittt" "tttttt" "tiii", items);
}

int dir_store_referral_answer(db_t *db, const dir_referral_t *r, const char *status, const char *note,
                              int64_t user_id, int64_t now)
{
    return db_run(db,
                  "UPDATE referral SET status = ?, answer_note = ?, answered_at = ?, answered_by = NULLIF(?, 0),"
                  " updated_at = ? WHERE id = ?",
                  "ttiiii", status, note, now, user_id, now, r->id);
}

int dir_store_referral_author_email(db_t *db, const dir_referral_t *r, char email[256])
{
    int rc;
    *email = '\0';
    db_stmt_t *st = db_query(db, &rc, "SELECT COALESCE(email, '') FROM app_user WHERE id = ? AND active = 1", "i",
                             r->created_by);
    if (!st) return rc;
    if (rc == DB_ROW) snprintf(email, 256, "%s", db_col_text(st, 0));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int dir_store_referral_receivers(db_t *db, int64_t org_id, json_t *emails)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT DISTINCT u.email AS email FROM app_user u JOIN role_grant g ON g.user_id = u.id"
                             " WHERE g.org_id = ? AND g.role IN ('operator', 'coordinator', 'mediator', 'teacher')"
                             " AND u.active = 1 AND u.email IS NOT NULL AND u.email <> '' ORDER BY u.email",
                             "i", org_id);
    return db_rows_json(st, rc, "t", emails);
}
