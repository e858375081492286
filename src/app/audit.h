/* audit.h — the append-only record of who did what to which record.
 *
 * Logins, failures, denials and admin changes are recorded now; every module
 * records each read and write of personal data, in the same transaction as the
 * write it describes (so a write without its audit entry cannot exist). */
#ifndef LI_AUDIT_H
#define LI_AUDIT_H
#include "db/db.h"
#include "scope.h"

typedef struct audit_event {
    const char *action;      /* "login.success", "person.read", "user.create", ... */
    const char *object_kind; /* "user", "org", "person", ... or NULL */
    const char *object_id;   /* or NULL */
    int64_t person_id;       /* the person whose data was touched, 0 when none */
    int64_t org_id;          /* the organisation the record belongs to, 0 when none */
    const char *reason;      /* why (break-the-glass access), or NULL */
    const char *detail;      /* short non-personal detail (field names, counts), or NULL */
} audit_event_t;

/* Appends an entry made by the scope's user from `ip` during request `request_id`.
 * Returns 0 or DB_E*. */
int audit_record(db_t *db, const scope_t *actor, const char *ip, const char *request_id,
                 const audit_event_t *ev);

#endif
