/* public.c — what the public portal reads (I5): the list by category with
 * search, one material in the visitor's language with the Italian fallback,
 * and its printable leaflet (core/pdfdoc.h). */
#include "internal.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/pdfdoc.h"
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

/* The search text as a LIKE pattern "%text%", without the wildcards a
 * visitor might type; NULL for no search (nothing else left). */
static char *search_pattern(const char *q)
{
    if (!q) return NULL;
    while (*q == ' ') q++;
    if (!*q) return NULL;
    size_t n = strlen(q);
    char *p = malloc(n + 3), *w = p;
    if (!p) return NULL;
    *w++ = '%';
    for (; *q; q++)
        if (*q != '%' && *q != '_' && *q != '\\') *w++ = *q;
    while (w > p + 1 && w[-1] == ' ') w--;
    if (w == p + 1) { /* only wildcards: no search */
        free(p);
        return NULL;
    }
    *w++ = '%';
    *w = '\0';
    return p;
}

/* `lang` when it is a translation language, else Italian. */
static const char *public_lang(const char *lang) { return info_lang_valid(lang) ? lang : "it"; }

int info_public_list(db_t *db, const char *lang, const char *category, const char *query, json_t *items,
                     err_t *e)
{
    if (category && *category && !info_category_valid(category))
        return err_set(e, 422, "invalid", "category", "No such category.");
    if (query && strlen(query) > INFO_QUERY_MAX * 4) return err_set(e, 422, "too_long", "q", "The search is too long.");
    char *pattern = search_pattern(query);
    int rc = info_store_public_list(db, public_lang(lang), category ? category : "", pattern, items);
    free(pattern);
    return rc;
}

int info_public_material(db_t *db, int64_t id, const char *lang, json_t **out, err_t *e)
{
    (void)e;
    info_material_t m;
    bool fallback;
    const char *l = public_lang(lang);
    int rc = info_store_material_public(db, id, &m);
    if (rc || (rc = info_store_public_text(db, &m, l, out, &fallback))) return rc;
    const char *shown = fallback ? "it" : l;
    char *html = info_markdown(jstr(*out, "body"));
    json_object_set_new(*out, "body_html", json_text(html ? html : ""));
    free(html);
    json_int_t rev = json_integer_value(json_object_get(*out, "revision"));
    json_int_t src = json_integer_value(json_object_get(*out, "source_revision"));
    json_object_set_new(*out, "id", json_integer(m.id));
    json_object_set_new(*out, "lang", json_string(shown));
    json_object_set_new(*out, "dir", json_string(i18n_is_rtl(shown) ? "rtl" : "ltr"));
    json_object_set_new(*out, "fallback", json_boolean(fallback && strcmp(l, "it") != 0));
    json_object_set_new(*out, "stale", json_boolean(!fallback && src < rev));
    return 0;
}

/* The Markdown `md` as plain text (for the leaflet), malloc'ed. */
static char *markdown_text(const char *md)
{
    cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    char *text = doc ? cmark_render_plaintext(doc, CMARK_OPT_DEFAULT, 0) : NULL;
    if (doc) cmark_node_free(doc);
    return text;
}

int info_public_material_text(db_t *db, int64_t id, const char *lang, json_t **out, err_t *e)
{
    int rc = info_public_material(db, id, lang, out, e);
    if (rc) return rc;
    char *text = markdown_text(jstr_or_empty(*out, "body"));
    json_object_del(*out, "body_html");
    json_object_set_new(*out, "text", json_text(text ? text : ""));
    free(text);
    return 0;
}

int info_leaflet_pdf(db_t *db, int64_t id, const char *lang, char **pdf, size_t *len, err_t *e)
{
    json_t *mat = NULL;
    int rc = info_public_material(db, id, lang, &mat, e);
    if (rc) return rc;
    pdfdoc_t *d = pdfdoc_new(jstr(mat, "lang"));
    char *text = markdown_text(jstr_or_empty(mat, "body"));
    if (!d || !text) {
        free(text);
        json_decref(mat);
        if (d) pdfdoc_finish(d, pdf, len), free(*pdf);
        return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
    }
    pdfdoc_title(d, jstr(mat, "title"));
    /* Paragraph by paragraph, so long texts break between pages cleanly. */
    for (char *p = text, *next; p && *p; p = next) {
        next = strstr(p, "\n\n");
        if (next) *next = '\0', next += 2;
        if (*p) pdfdoc_paragraph(d, p);
    }
    pdfdoc_note(d, "Lab'Impact · Regione Lombardia · FAMI / AMIF 2021-2027");
    free(text);
    json_decref(mat);
    if (pdfdoc_finish(d, pdf, len)) return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
    return 0;
}
