/* internal.h — what the operation files of info share (not for pages or API). */
#ifndef LI_INFO_INTERNAL_H
#define LI_INFO_INTERNAL_H
#include "store.h"

/* Sets the search document of material `m` in `lang` (title NULL: removes it). 0 or DB_E*. */
int info_search_index(db_t *db, const info_material_t *m, const char *lang, const char *title, const char *body);
/* The line diff of two texts: [{"op":"same|add|del","text"}]. */
json_t *info_line_diff(const char *a, const char *b);
/* The diff between two revisions of `m`: 0, -422 for a revision that does not exist, or DB_E*. */
int info_revision_diff(db_t *db, const info_material_t *m, int from, int to, json_t **out, err_t *e);
/* The organisation a new record goes to: `code`, else the scope's own; 0,
 * -422 (field "org") when it is not in the scope's area, or DB_E*. */
int info_new_record_org(const scope_t *sc, db_t *db, const char *code, org_t *org, err_t *e);
/* 0 when the scope may read materials (editors and translators), else -status. */
int info_may_read(const scope_t *sc, err_t *e);
/* True when `email` looks like one address (no spaces, one @, a dot after it). */
bool info_email_ok(const char *email);

#endif
