/* internal.h — what the directory's operation files share (not for pages or API). */
#ifndef LI_DIRECTORY_INTERNAL_H
#define LI_DIRECTORY_INTERNAL_H
#include "store.h"

/* Maps a store result into `e`: 1 to the one 404, DB_E* to 409 / 503 / 500.
 * Returns -status. */
int dir_fail(int rc, err_t *e);

#endif
