/* store_referral.c — the SQL of the referrals the help desks send to the
 * directory's services, as the receiving service sees them (see store.h,
 * rule D6): scoped by the receiving organisation, with only the person's
 * name, phone and preferred language. Portable SQL, bound values. */
#include "store.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

static const db_field_t target_map[] = {DB_INT(dir_service_target_t, id), DB_INT(dir_service_target_t, org_id),
                                        DB_TEXT(dir_service_target_t, name), DB_TEXT(dir_service_target_t, org_code)};

int dir_store_service_target(db_t *db, int64_t id, dir_service_target_t *out)
{
    return db_get_row(db, DB_MAP(target_map), out, sizeof *out,
                      "SELECT s.id, s.org_id, s.name, o.code FROM dir_service s JOIN org o ON o.id = s.org_id"
                      " WHERE s.id = ?",
                      "i", id);
}

/* D6: sent to an organisation of the scope's subtree. */
#define INCOMING " FROM referral r JOIN org t ON t.id = r.to_org_id WHERE t.path LIKE ?"

static const db_field_t referral_map[] = {DB_INT(dir_referral_t, id),         DB_INT(dir_referral_t, org_id),
                                          DB_INT(dir_referral_t, to_org_id),  DB_INT(dir_referral_t, created_by),
                                          DB_TEXT(dir_referral_t, status),    DB_TEXT(dir_referral_t, service)};

int dir_store_referral_incoming_get(const scope_t *sc, db_t *db, int64_t id, dir_referral_t *out)
{
    return db_get_row(db, DB_MAP(referral_map), out, sizeof *out,
                      "SELECT r.id, r.org_id, r.to_org_id, COALESCE(r.created_by, 0), r.status,"
                      " COALESCE(r.to_service, '')" INCOMING " AND r.id = ?",
                      "ti", scope_subtree_like(sc), id);
}

int dir_store_referral_incoming(const scope_t *sc, db_t *db, const char *status, int64_t cursor, int limit,
                                json_t *items)
{
    return db_list_json(db, items, "iittt" "tttttt" "tiii",
                        "SELECT r.id, r.created_at, f.name AS from_org, t.name AS to_org, r.to_service AS service,"
                        " p.given_name, p.family_name, p.phone, p.preferred_language, r.reason, r.status,"
                        " r.answer_note, r.answered_at, r.org_id AS from_org_id, r.person_id"
                        " FROM referral r JOIN org t ON t.id = r.to_org_id JOIN org f ON f.id = r.org_id"
                        " JOIN person p ON p.id = r.person_id"
                        " WHERE t.path LIKE ? AND (? = '' OR r.status = ?) AND (? = 0 OR r.id < ?)"
                        " ORDER BY r.id DESC LIMIT ?",
                        "tttiii", scope_subtree_like(sc), status ? status : "", status ? status : "",
                        cursor, cursor, (int64_t)limit);
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
    return db_list_json(db, emails, "t",
                        "SELECT DISTINCT u.email AS email FROM app_user u JOIN role_grant g ON g.user_id = u.id"
                        " WHERE g.org_id = ? AND g.role IN ('operator', 'coordinator', 'mediator', 'teacher')"
                        " AND u.active = 1 AND u.email IS NOT NULL AND u.email <> '' ORDER BY u.email",
                        "i", org_id);
}
