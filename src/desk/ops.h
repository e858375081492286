/* ops.h — what the help desk's operation files (persons.c, casework.c,
 * procedures.c) share. Not for pages or API handlers: they call desk.h. */
#ifndef LI_DESK_OPS_H
#define LI_DESK_OPS_H
#include "app/org.h"
#include "desk.h"
#include "store.h"

/* The integer member `k` of `o` (0 when absent). */
static inline int64_t jint(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}
/* The organisation a new record goes to: `code` in the context's scope, or
 * the scope's own. 0, -422 naming "org", or DB_E*. */
int desk_op_org(desk_ctx_t *c, const char *code, org_t *org, err_t *e);
/* An active person of the scope named by a body field: 0 with *ref and, when
 * `person` is not NULL, its object (the caller frees); -422 naming `field`
 * when unknown or not active, or DB_E*. */
int desk_op_person(desk_ctx_t *c, int64_t pid, const char *field, desk_person_ref_t *ref, json_t **person, err_t *e);
/* An optional (or required) date field "YYYY-MM-DD" of `body`, not in the
 * future when `not_future`; *out NULL when absent. 0 or -422. */
int desk_op_date(const json_t *body, const char *key, bool required, bool not_future, const char **out, err_t *e);
/* Days from today to `date` (negative when past). */
int desk_op_days_until(const char *date);
/* Adds label, days_left and overdue to deadline objects of `rule`. */
void desk_op_label_deadlines(json_t *items, const json_t *rule, const char *lang);

#endif
