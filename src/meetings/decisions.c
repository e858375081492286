/* decisions.c — minutes, decisions with an owner and a due date followed up
 * (G6), and the workspace: upcoming meetings, my decisions, overdue ones. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

int mtg_minutes(const scope_t *sc, db_t *db, int64_t id, const char *text, mtg_ref_t *ref, err_t *e)
{
    mtg_meeting_t m;
    int rc = mtg_managed(sc, db, id, true, &m, ref, e);
    if (rc) return rc;
    rc = mtg_store_meeting_minutes(db, &m, text ? text : "", db_now());
    return rc ? mtg_fail_db(e, rc) : 0;
}

/* Checks a decision's fields: all of them on creation, those given on a change. */
static int decision_input(const scope_t *sc, db_t *db, const mtg_decision_input_t *in, bool create, err_t *e)
{
    if (create && (!in->text || !*in->text)) return err_set(e, 422, "required", "text", "This field is required.");
    if (in->text && !*in->text) return err_set(e, 422, "required", "text", "This field is required.");
    if (create && !in->due) return err_set(e, 422, "required", "due", "This field is required.");
    if (in->due && !date_valid(in->due)) return err_set(e, 422, "invalid", "due", "A date: YYYY-MM-DD.");
    if (in->status && strcmp(in->status, "open") != 0 && strcmp(in->status, "done") != 0)
        return err_set(e, 422, "invalid", "status", "A decision is open or done.");
    if (create && in->owner_user_id <= 0 && (!in->owner_name || !*in->owner_name))
        return err_set(e, 422, "required", "owner_user_id", "Say who follows the decision up (an account or a name).");
    if (in->owner_user_id > 0) {
        mtg_account_t acc;
        int rc = mtg_store_account_get(sc, db, in->owner_user_id, &acc);
        if (rc == 1) return err_set(e, 422, "unknown_user", "owner_user_id", "Unknown account, or not of your network.");
        if (rc) return mtg_fail_db(e, rc);
    }
    return 0;
}

int mtg_decision_add(const scope_t *sc, db_t *db, int64_t id, const mtg_decision_input_t *in, int64_t *decision_id,
                     mtg_ref_t *ref, err_t *e)
{
    mtg_meeting_t m;
    int rc = mtg_managed(sc, db, id, false, &m, ref, e);
    if (rc || (rc = decision_input(sc, db, in, true, e))) return rc;
    mtg_decision_input_t row = *in;
    if (row.owner_user_id > 0) row.owner_name = NULL;
    rc = mtg_store_decision_insert(db, &m, &row, sc->user_id, db_now(), decision_id);
    return rc ? mtg_fail_db(e, rc) : 0;
}

int mtg_decision_update(const scope_t *sc, db_t *db, int64_t decision_id, const mtg_decision_input_t *in,
                        mtg_ref_t *ref, json_t **out, err_t *e)
{
    mtg_meeting_t m;
    int64_t meeting_id = 0;
    *out = NULL;
    int rc = scope_require(sc, CAP_MEETING_READ, e);
    if (rc || (rc = mtg_store_result(e, mtg_store_decision_meeting(sc, db, decision_id, &meeting_id))) ||
        (rc = mtg_managed(sc, db, meeting_id, false, &m, ref, e)) || (rc = decision_input(sc, db, in, false, e)))
        return rc;
    if ((rc = mtg_store_decision_update(db, &m, decision_id, in, db_now()))) return mtg_fail_db(e, rc);
    return mtg_store_result(e, mtg_store_decision_json(db, &m, decision_id, out));
}

int mtg_decision_list(const scope_t *sc, db_t *db, bool mine, bool overdue, const char *today, json_t *items,
                      err_t *e)
{
    int rc = scope_require(sc, CAP_MEETING_READ, e);
    if (rc) return rc;
    rc = mtg_store_decision_open(sc, db, mine ? (sc->user_id > 0 ? sc->user_id : -1) : 0, overdue ? today : NULL, items);
    return rc ? mtg_fail_db(e, rc) : 0;
}

int mtg_workspace(const scope_t *sc, db_t *db, const char *today, json_t **out, err_t *e)
{
    json_t *upcoming = json_array(), *recent = json_array(), *mine = json_array(), *overdue = json_array();
    *out = json_pack("{s:o,s:o,s:o,s:o}", "upcoming", upcoming, "recent", recent, "mine", mine, "overdue", overdue);
    int rc = scope_require(sc, CAP_MEETING_READ, e);
    if (rc) return rc;
    int64_t from = db_now() - 3600;
    if ((rc = mtg_store_meeting_upcoming(sc, db, from, false, 20, upcoming)) ||
        (rc = mtg_store_meeting_upcoming(sc, db, from, true, 10, recent)) ||
        (rc = mtg_store_decision_open(sc, db, sc->user_id > 0 ? sc->user_id : -1, NULL, mine)) ||
        (rc = mtg_store_decision_open(sc, db, 0, today, overdue)))
        return mtg_fail_db(e, rc);
    size_t i;
    json_t *o;
    json_array_foreach(upcoming, i, o) mtg_add_times(o);
    json_array_foreach(recent, i, o) mtg_add_times(o);
    return 0;
}
