/* tmpl.h — a small logic-less template engine (mustache-like), compiled once
 * at start-up, rendering view models (jansson values) to HTML.
 *
 * Escaping is the default: {{x}} writes x HTML-escaped; only {{{x}}} (or
 * {{& x}}) writes raw, and is used solely for content sanitised on input or
 * produced by the server itself (rendered partial pages).
 *
 * Syntax
 *   {{name}}  {{a.b.c}}  {{.}}       variable (escaped); dotted names walk objects;
 *                                    names are looked up the context stack upwards
 *   {{{name}}}  {{& name}}           variable, raw
 *   {{#name}}...{{/name}}            section: array -> once per element (element
 *                                    pushed); object -> once, pushed; true,
 *                                    non-empty string, non-zero number -> once;
 *                                    false, null, missing, "", 0, [] -> skipped
 *   {{^name}}...{{/name}}            inverted section: rendered when the section
 *                                    would be skipped
 *   {{>name}}                        partial: another template of the set, same context
 *   {{<layout}} {{$block}}..{{/block}} {{/layout}}
 *                                    inheritance: render `layout`, replacing its
 *                                    {{$block}}default{{/block}} blocks with ours
 *   {{_ Some text}}                  the text translated through the set's
 *                                    translator for the render (escaped)
 *   {{! comment }}                   nothing
 * Numbers render as integers when integral. Booleans render as true/false.
 *
 * Errors are found when compiling (unclosed or mismatched sections, bad tags,
 * empty names, nesting deeper than 64) and when linking (a partial or layout
 * that does not exist, a partial cycle): the message names the template and line. */
#ifndef LI_TMPL_H
#define LI_TMPL_H
#include "str.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct tmpl_set tmpl_set_t;

/* Returns the translation of `msgid` (or msgid itself); must not return NULL. */
typedef const char *(*tmpl_translate_fn)(void *ctx, const char *msgid);

tmpl_set_t *tmpl_set_new(void);
void tmpl_set_free(tmpl_set_t *set);
/* Compiles `src` under `name` (replacing an existing template of that name).
 * Returns 0, or -1 with a message in errbuf. */
int tmpl_compile(tmpl_set_t *set, const char *name, const char *src, size_t len, char *errbuf,
                 size_t errlen);
/* Checks that every partial and layout referenced exists and that partials do
 * not recurse. Returns 0 or -1 with a message. Call after compiling all. */
int tmpl_link(tmpl_set_t *set, char *errbuf, size_t errlen);
/* Loads every *.html file below `dir`, named by its path relative to dir
 * without ".html" ("network/home"), then links. NULL with a message on error. */
tmpl_set_t *tmpl_load_dir(const char *dir, char *errbuf, size_t errlen);
bool tmpl_exists(const tmpl_set_t *set, const char *name);
/* Renders template `name` with `ctx` appended to `out`. `tr` may be NULL
 * (texts are written untranslated). Returns 0, or -1 when the template does
 * not exist or rendering exceeded the depth limit (partials nested > 32). */
int tmpl_render(const tmpl_set_t *set, const char *name, const json_t *ctx, tmpl_translate_fn tr,
                void *tr_ctx, str_t *out);

#endif
