/* static_files.h — the files under static/ (own CSS and JS, Bootstrap Italia
 * copied at build) held in memory with a content hash as ETag, served under
 * /static/ with cache headers and 304 for a matching If-None-Match. Paths
 * outside the folder (.., absolute, hidden files) are never served. */
#ifndef LI_STATIC_FILES_H
#define LI_STATIC_FILES_H
#include "core/http.h"

/* Loads every regular file below `dir` (at most 64 MiB in all). 0 or -1. */
int static_files_load(const char *dir);
void static_files_free(void);
/* The route handler for GET /static/{*}. */
int static_files_serve(http_req_t *req, http_res_t *res);

#endif
