/* internal.h — what the directory's operation files share (not for pages or API). */
#ifndef LI_DIRECTORY_INTERNAL_H
#define LI_DIRECTORY_INTERNAL_H
#include "store.h"

/* Maps a store result into `e`: 1 to the one 404, DB_E* to 409 / 503 / 500.
 * Returns -status. */
int dir_fail(int rc, err_t *e);

/* The search text of a service (service.c): each word of its name and
 * description after one space, lower-case, ASCII punctuation dropped. */
void dir_search_text(const dir_service_input_t *in, char *out, size_t n);

#endif
