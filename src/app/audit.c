/* audit.c — turning an event into an audit row. */
#include "audit.h"
#include "store.h"

int audit_record(db_t *db, const scope_t *actor, const char *ip, const char *request_id,
                 const audit_event_t *ev)
{
    audit_row_t row = {
        .at = db_now(),
        .user_id = actor->user_id,
        .username = actor->username,
        .action = ev->action,
        .object_kind = ev->object_kind,
        .object_id = ev->object_id,
        .person_id = ev->person_id,
        .org_id = ev->org_id,
        .ip = ip,
        .request_id = request_id,
        .reason = ev->reason,
        .detail = ev->detail,
    };
    return store_audit_insert(db, &row);
}
