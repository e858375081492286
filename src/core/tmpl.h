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
 * null, missing names, objects and arrays render as nothing.
 *
 * Details a template author must know
 *   - Names are letters, digits, '_', '-' and '.'; template names after > and
 *     < may also hold '/' ("network/parts/row"). Spaces around a name are
 *     allowed ({{ name }}), spaces inside are an error. An all-digit segment
 *     indexes an array: {{items.0.name}}. A dotted name looks up its first
 *     segment on the context stack, then walks from there only.
 *   - A section over a scalar pushes it, so {{.}} inside {{#s}} prints it.
 *   - {{_ text}}: '_' must be followed by a space; the msgid is the text
 *     trimmed with every run of whitespace (newlines too) made one space, so
 *     a long text may wrap over lines. The text cannot contain "}}".
 *   - Inside {{<layout}}..{{/layout}} only {{$block}}s, comments and
 *     whitespace may appear. With several levels of layouts the outermost
 *     override wins; blocks are also overridden inside partials that the
 *     layout includes. Text outside the {{<layout}} tag is rendered as usual.
 *   - Text outside tags is copied byte for byte: there is no "standalone
 *     tag" whitespace stripping, so a section tag alone on its line leaves
 *     its newline in the output. Delimiters cannot be changed ({{=..=}}).
 *   - {{{ starts a raw tag, so write "{ {{x}}" rather than "{{{x}}" when a
 *     literal brace must precede an escaped variable.
 *
 * Errors are found when compiling (unclosed or mismatched sections, bad tags,
 * empty names, nesting deeper than 64) and when linking (a partial or layout
 * that does not exist, a partial or layout cycle): the message reads
 * "template:line: what". Compile and link before rendering starts: a set may
 * be rendered from many threads at once, but not while it is being changed. */
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
 * not exist, a partial is missing (unlinked set), rendering exceeded the
 * depth limit (partials and layouts nested > 32) or ran away (more than 10
 * million nodes visited or 64 MiB written); on -1 `out` is left as it was. */
int tmpl_render(const tmpl_set_t *set, const char *name, const json_t *ctx, tmpl_translate_fn tr,
                void *tr_ctx, str_t *out);

#endif
