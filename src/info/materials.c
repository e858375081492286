/* materials.c — the vocabularies, safe Markdown (I4), and the materials'
 * operations: create, change by revision (I1), read, list, diff, progress. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include "core/str.h"
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

const char *const info_categories[] = {"permits", "health",           "school",      "work", "housing",
                                       "family",  "language_courses", "citizenship", NULL};
const char *const info_langs[] = {"en", "fr", "es", "ar", "sq", "zh", "uk", "ur", "bn", "pa", "tl", NULL};

/* True when `s` is one of the NULL-terminated `list`. */
bool info_category_valid(const char *category) { return str_in_list(info_categories, category); }
bool info_lang_valid(const char *lang) { return str_in_list(info_langs, lang); }

char *info_markdown(const char *md)
{
    /* CMARK_OPT_DEFAULT is cmark-gfm's safe mode: raw HTML becomes a comment
     * placeholder and unsafe link schemes are emptied (CMARK_OPT_UNSAFE is
     * never set). */
    return cmark_markdown_to_html(md ? md : "", md ? strlen(md) : 0, CMARK_OPT_DEFAULT | CMARK_OPT_SAFE);
}

/* Checks the fields given; `create` requires title, body, category. */
static int material_valid(const info_material_input_t *in, bool create, err_t *e)
{
    if (create && (!in->title || !*in->title)) return err_set(e, 422, "required", "title", "The title is required.");
    if (create && (!in->body || !*in->body)) return err_set(e, 422, "required", "body", "The text is required.");
    if (in->title && (!*in->title || strlen(in->title) > INFO_TITLE_MAX * 4))
        return err_set(e, 422, "invalid", "title", "The title is 1 to 200 characters.");
    if (in->body && (!*in->body || strlen(in->body) > INFO_BODY_MAX * 4))
        return err_set(e, 422, "invalid", "body", "The text is 1 to 20000 characters.");
    if ((create || in->category) && !info_category_valid(in->category))
        return err_set(e, 422, "invalid", "category",
                       "The category is one of permits, health, school, work, housing, family, language_courses, "
                       "citizenship.");
    if (in->review_by && *in->review_by && !date_valid(in->review_by))
        return err_set(e, 422, "invalid", "review_by", "The review date is YYYY-MM-DD.");
    return 0;
}

/* The title and body the public search finds the material by, in one text. */
static char *search_doc(const char *title, const char *body)
{
    size_t n = strlen(title) + strlen(body) + 2;
    char *doc = malloc(n);
    if (doc) snprintf(doc, n, "%s\n%s", title, body);
    return doc;
}

int info_search_index(db_t *db, const info_material_t *m, const char *lang, const char *title, const char *body)
{
    if (!title) return info_store_search_put(db, m, lang, NULL);
    char *doc = search_doc(title, body);
    if (!doc) return DB_ERR;
    int rc = info_store_search_put(db, m, lang, doc);
    free(doc);
    return rc;
}

int info_material_create(const scope_t *sc, db_t *db, const info_material_input_t *in, info_ref_t *ref,
                         int *revision, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    if (rc || (rc = material_valid(in, true, e))) return rc;
    org_t org;
    if ((rc = info_new_record_org(sc, db, in->org, &org, e))) return rc;
    info_material_input_t v = *in;
    if (v.review_by && !*v.review_by) v.review_by = NULL;
    int64_t id;
    if ((rc = info_store_material_insert(db, &org, &v, sc->user_id, db_now(), &id))) return rc;
    info_material_t m = {id, org.id, 1};
    if ((rc = info_search_index(db, &m, "it", in->title, in->body))) return rc;
    *ref = (info_ref_t){id, org.id};
    *revision = 1;
    return 0;
}

/* `given` when not NULL, else the stored string `key` of `cur`. */
static const char *given_or(const char *given, json_t *cur, const char *key)
{
    return given ? given : json_string_value(json_object_get(cur, key));
}

int info_material_update(const scope_t *sc, db_t *db, int64_t id, const info_material_input_t *in, info_ref_t *ref,
                         int *revision, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    if (rc || (rc = material_valid(in, false, e))) return rc;
    info_material_t m;
    json_t *cur = NULL;
    if ((rc = info_store_material_load(sc, db, id, &m)) || (rc = info_store_material_json(db, &m, &cur))) return rc;
    const char *title = given_or(in->title, cur, "title"), *body = given_or(in->body, cur, "body");
    const char *review_by = in->review_by ? (*in->review_by ? in->review_by : NULL) : jstr(cur, "review_by");
    bool changed = strcmp(title, jstr(cur, "title")) != 0 || strcmp(body, jstr(cur, "body")) != 0;
    rc = info_store_material_update(db, &m, title, body, given_or(in->category, cur, "category"), review_by, changed,
                                    sc->user_id, db_now());
    if (!rc && changed) rc = info_search_index(db, &m, "it", title, body);
    json_decref(cur);
    if (rc) return rc;
    *ref = (info_ref_t){m.id, m.org_id};
    *revision = m.revision;
    return 0;
}

int info_new_record_org(const scope_t *sc, db_t *db, const char *code, org_t *org, err_t *e)
{
    int rc = org_visible(sc, db, code ? code : sc->org_code, org);
    if (rc == 1 || (!rc && !scope_covers(sc, org->path)))
        return err_set(e, 422, "invalid", "org", "No such organisation in your area.");
    return rc;
}

int info_may_read(const scope_t *sc, err_t *e)
{
    return scope_can(sc, CAP_MATERIAL_TRANSLATE) ? 0 : scope_require(sc, CAP_MATERIAL_EDIT, e);
}

int info_material_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, info_ref_t *ref, err_t *e)
{
    info_material_t m;
    int rc = info_may_read(sc, e);
    if (rc || (rc = info_store_material_load(sc, db, id, &m)) || (rc = info_store_material_json(db, &m, out)))
        return rc;
    json_t *revs = json_array(), *trs = json_array(), *atts = json_array();
    json_object_set_new(*out, "revisions", revs);
    json_object_set_new(*out, "translations", trs);
    json_object_set_new(*out, "attachments", atts);
    if ((rc = info_store_revision_list(db, &m, revs)) || (rc = info_store_translation_list(db, &m, trs)) ||
        (rc = info_store_attachment_list(db, &m, "", atts))) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    *ref = (info_ref_t){m.id, m.org_id};
    return 0;
}

int info_material_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    int rc = info_may_read(sc, e);
    char today[11];
    date_today(today, 0);
    return rc ? rc : info_store_material_list(sc, db, today, cursor, limit, items);
}

/* ---- diff ------------------------------------------------------------------------ */

/* Splits `s` into lines (pointers into a copy held by *buf). */
static size_t split_lines(const char *s, char **buf, char ***lines)
{
    *buf = strdup(s ? s : "");
    size_t n = 1;
    for (const char *p = *buf; *p; p++) n += *p == '\n';
    *lines = calloc(n, sizeof **lines);
    size_t k = 0;
    for (char *p = *buf, *start = *buf;; p++) {
        if (*p == '\n' || !*p) {
            bool end = !*p;
            *p = '\0';
            (*lines)[k++] = start;
            start = p + 1;
            if (end) break;
        }
    }
    return k;
}

/* Longest common subsequence over lines; inputs are capped (INFO_BODY_MAX),
 * so the table stays small. */
json_t *info_line_diff(const char *a, const char *b)
{
    char *ba, *bb, **la, **lb;
    size_t na = split_lines(a, &ba, &la), nb = split_lines(b, &bb, &lb);
    unsigned *t = calloc((na + 1) * (nb + 1), sizeof *t);
    json_t *out = json_array();
    for (size_t i = na; t && i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            t[i * (nb + 1) + j] = strcmp(la[i], lb[j]) == 0
                                      ? t[(i + 1) * (nb + 1) + j + 1] + 1
                                      : (t[(i + 1) * (nb + 1) + j] > t[i * (nb + 1) + j + 1] ? t[(i + 1) * (nb + 1) + j]
                                                                                            : t[i * (nb + 1) + j + 1]);
    size_t i = 0, j = 0;
    while (t && (i < na || j < nb)) {
        const char *op, *text;
        if (i < na && j < nb && strcmp(la[i], lb[j]) == 0) op = "same", text = la[i++], j++;
        else if (i < na && (j == nb || t[(i + 1) * (nb + 1) + j] >= t[i * (nb + 1) + j + 1])) op = "del", text = la[i++];
        else op = "add", text = lb[j++];
        json_array_append_new(out, json_pack("{s:s, s:o}", "op", op, "text", json_text(text)));
    }
    free(t);
    free(la);
    free(lb);
    free(ba);
    free(bb);
    return out;
}

int info_revision_diff(db_t *db, const info_material_t *m, int from, int to, json_t **out, err_t *e)
{
    json_t *a = NULL, *b = NULL;
    int rc = info_store_revision_get(db, m, from, &a);
    if (rc == 1) return err_set(e, 422, "invalid", "from", "No such revision.");
    if (rc || (rc = info_store_revision_get(db, m, to, &b)) == 1) {
        json_decref(a);
        return rc == 1 ? err_set(e, 422, "invalid", "to", "No such revision.") : rc;
    }
    *out = json_pack("{s:i, s:i, s:o, s:o}", "from", from, "to", to, "title",
                     info_line_diff(jstr(a, "title"), jstr(b, "title")), "body",
                     info_line_diff(jstr(a, "body"), jstr(b, "body")));
    json_decref(a);
    json_decref(b);
    return rc;
}

int info_material_diff(const scope_t *sc, db_t *db, int64_t id, int from, int to, json_t **out, info_ref_t *ref,
                       err_t *e)
{
    info_material_t m;
    int rc = info_may_read(sc, e);
    if (rc || (rc = info_store_material_load(sc, db, id, &m))) return rc;
    *ref = (info_ref_t){m.id, m.org_id};
    return info_revision_diff(db, &m, from, to, out, e);
}

int info_progress(const scope_t *sc, db_t *db, json_t **out, err_t *e)
{
    int rc = info_may_read(sc, e);
    if (rc) return rc;
    json_t *rows = json_array(), *items = json_array();
    int64_t total = 0;
    if ((rc = info_store_progress(sc, db, rows, &total))) {
        json_decref(rows);
        json_decref(items);
        return rc;
    }
    for (const char *const *l = info_langs; *l; l++) {
        int64_t published = 0, current = 0;
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r) if (strcmp(jstr_or_empty(r, "lang"), *l) == 0) {
            published = json_integer_value(json_object_get(r, "published"));
            current = json_integer_value(json_object_get(r, "current"));
        }
        json_array_append_new(items, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "lang", *l, "materials",
                                               (json_int_t)total, "published", (json_int_t)published, "current",
                                               (json_int_t)current, "published_pct",
                                               (json_int_t)(total ? published * 100 / total : 0), "current_pct",
                                               (json_int_t)(total ? current * 100 / total : 0)));
    }
    json_decref(rows);
    *out = json_pack("{s:I, s:o}", "materials", (json_int_t)total, "items", items);
    return 0;
}
