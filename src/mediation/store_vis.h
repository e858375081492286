/* store_vis.h — what the store files of mediation share: the scope's
 * visibility (rule M5) as SQL with its bound parameters, two small
 * conversions and the map of a one-number query. Included by store_*.c only. */
#ifndef LI_MEDIATION_STORE_VIS_H
#define LI_MEDIATION_STORE_VIS_H
#include "store.h"
#include "db/row_json.h"

/* The scope's visibility, bound as parameters. */
typedef struct vis {
    int64_t manage;   /* 1 with CAP_MEDIATION_MANAGE */
    const char *like; /* the subtree pattern (lives as long as the scope) */
    int64_t self_uid; /* the user id with CAP_MEDIATION_SELF, else 0 */
} vis_t;

/* The visibility of the scope. */
vis_t med_vis(const scope_t *sc);

/* Mediator m (joined with org o) visible: params manage, like, self, self ("itii"). */
#define MED_VIS " ((? = 1 AND o.path LIKE ?) OR (? > 0 AND m.user_id = ?)) "
#define MED_VIS_ARGS(v) (v).manage, (v).like, (v).self_uid, (v).self_uid
/* Request r (joined with org o) visible: params manage, like, self x3 ("itiii"). */
#define REQ_VIS                                                                                              \
    " ((? = 1 AND o.path LIKE ?) OR (? > 0 AND (r.mediator_id = (SELECT sm.id FROM mediator sm WHERE sm.user_id = ?)" \
    " OR EXISTS (SELECT 1 FROM mediation_offer sf JOIN mediator sm2 ON sm2.id = sf.mediator_id"               \
    " WHERE sf.request_id = r.id AND sm2.user_id = ?)))) "
#define REQ_VIS_ARGS(v) (v).manage, (v).like, (v).self_uid, (v).self_uid, (v).self_uid

/* Copies a column's text (NULL as "") into a fixed buffer. */
void med_copy(char *dst, size_t n, const char *src);
/* A UTC instant as Rome local "YYYY-MM-DDTHH:MM" (JSON string). */
json_t *med_local_time(int64_t t);

#endif
