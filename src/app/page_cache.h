/* page_cache.h — public pages kept in memory for a few seconds, so that a
 * page many visitors read at once (a material on the portal) is rendered
 * once: an entry is fresh for PAGE_CACHE_TTL seconds and while no public
 * content changed (web_public_generation). Only for pages without a session
 * and without per-visitor content (no form token). Thread-safe. */
#ifndef LI_PAGE_CACHE_H
#define LI_PAGE_CACHE_H
#include "core/str.h"
#include <stdbool.h>

#define PAGE_CACHE_TTL 10

/* Appends the fresh page cached under `key` to `out`; false when none. */
bool page_cache_get(const char *key, str_t *out);
/* Keeps a copy of `body` under `key` (replacing what its slot held). */
void page_cache_put(const char *key, const str_t *body);

#endif
