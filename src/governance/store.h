/* store.h — the governance module's SQL, prefixed gov_store_. */
#ifndef LI_GOVERNANCE_STORE_H
#define LI_GOVERNANCE_STORE_H
#include "db/db.h"
#include <stdint.h>

/* 0 when project `id`'s organisation is `org_path` or an ancestor of it, 1
 * when not (or no such project), or a negative DB code. */
int gov_store_project_above(db_t *db, const char *org_path, int64_t id);
/* The latest-started project of a district at or above `org_path` whose
 * dates hold `date`, into *id (0 when none): 0 or a negative DB code. */
int gov_store_project_on(db_t *db, const char *org_path, const char *date, int64_t *id);
/* 1 when an approved submission of project `id` covers `date`, 0 when none,
 * or a negative DB code. */
int gov_store_period_locked(db_t *db, int64_t id, const char *date);

#endif
