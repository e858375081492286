/* checklist.c — what a procedure's printed checklist carries beside its
 * rule, and the PDFs of the desk (core/pdfdoc.h, every script):
 *  - the headings of the checklist in the person's language and the
 *    categories of information material per procedure type, from
 *    data/desk/checklist.json (loaded once, then read-only);
 *  - the published material on the procedure (info.h, the public portal's
 *    reading: a published translation, else the Italian source), linked
 *    by the checklist page and printed after the checklist in the PDF,
 *    Italian text marked as such;
 *  - the checklist PDF and the readable GDPR export.
 * The callers (records_web.c, procedures_pages.c) load the records in
 * scope and write the audit entries. */
#include "deskweb.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "core/pdfdoc.h"
#include "info/info.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *conf; /* data/desk/checklist.json, or an empty object */
static pthread_once_t conf_once = PTHREAD_ONCE_INIT;

static void load_conf(void)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/data/desk/checklist.json", desk_home());
    json_error_t jerr;
    conf = json_load_file(path, 0, &jerr);
    if (!json_is_object(conf)) {
        log_error("desk: cannot read %s: %s (line %d)", path, jerr.text, jerr.line);
        json_decref(conf);
        conf = json_object();
    }
}

static const json_t *get_conf(void)
{
    pthread_once(&conf_once, load_conf);
    return conf;
}

const char *desk_checklist_label(const char *key, const char *lang)
{
    const json_t *l = json_object_get(json_object_get(get_conf(), "labels"), key);
    const char *s = json_string_value(json_object_get(l, lang ? lang : "en"));
    if (!s) s = json_string_value(json_object_get(l, "en"));
    return s ? s : key;
}

const char *desk_checklist_lang(http_req_t *req, const json_t *person, const char *param)
{
    const char *lang = http_query(req, param);
    if (!lang || !desk_language_valid(lang)) lang = jstr(person, "preferred_language");
    if (!lang) lang = json_string_value(json_array_get(json_object_get(person, "languages"), 0));
    return arena_strdup(req->arena, lang ? lang : web(req)->lang);
}

const char *desk_checklist_rule_lang(http_req_t *req, db_t *db, const json_t *proc, const json_t *person,
                                     const char *lang)
{
    json_t *rule = NULL, *cands = json_array();
    char origin[32];
    const char *found = lang;
    json_array_append_new(cands, json_string(lang));
    if (jstr(person, "preferred_language")) json_array_append_new(cands, json_string(jstr(person, "preferred_language")));
    json_array_extend(cands, json_object_get(person, "languages"));
    json_array_append_new(cands, json_string("en"));
    if (desk_rule_get(db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin) == 0) {
        size_t k;
        json_t *l;
        json_array_foreach(cands, k, l) {
            if (json_object_get(json_object_get(rule, "title"), json_string_value(l))) {
                found = json_string_value(l);
                break;
            }
        }
    }
    found = arena_strdup(req->arena, found);
    json_decref(rule);
    json_decref(cands);
    return found;
}

int desk_checklist_procedure(http_req_t *req, desk_ctx_t *c, desk_web_event_t *ev, const char *param, json_t **proc,
                             json_t **person, const char **lang, const char **rule_lang)
{
    int rc = desk_web_procedure(req, c, false, ev, proc, person);
    if (rc) return rc;
    *lang = desk_checklist_lang(req, *person, param);
    c->lang = *rule_lang = desk_checklist_rule_lang(req, c->db, *proc, *person, *lang);
    json_decref(*proc);
    *proc = NULL;
    if ((rc = desk_procedure_json(c, ev->obj, proc))) {
        json_decref(*person);
        *person = NULL;
        return web_store_fail(req, rc < 0 ? rc : DB_ERR);
    }
    return 0;
}

json_t *desk_checklist_materials(db_t *db, const char *type, const char *lang, bool with_text)
{
    json_t *out = json_array();
    const json_t *cats = json_object_get(json_object_get(get_conf(), "materials"), type ? type : "");
    json_int_t max = json_integer_value(json_object_get(get_conf(), "materials_max"));
    size_t i;
    json_t *cat;
    json_array_foreach((json_t *)cats, i, cat) {
        json_t *items = json_array();
        err_t e = {0};
        if (info_public_list(db, lang, json_string_value(cat), NULL, items, &e) != 0) {
            json_decref(items);
            continue; /* the material is a help, never a reason not to print */
        }
        size_t k;
        json_t *it;
        json_array_foreach(items, k, it) {
            if ((json_int_t)json_array_size(out) >= (max > 0 ? max : 3)) break;
            int64_t id = (int64_t)json_integer_value(json_object_get(it, "id"));
            bool fallback = json_integer_value(json_object_get(it, "fallback")) != 0 && strcmp(lang, "it") != 0;
            json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s}", "id", (json_int_t)id, "category",
                                  jstr_or_empty(it, "category"), "title", jstr_or_empty(it, "title"), "lang",
                                  jstr_or_empty(it, "lang"), "fallback", fallback, "dir",
                                  i18n_is_rtl(jstr_or_empty(it, "lang")) ? "rtl" : "ltr", "asked", lang);
            json_t *full = NULL;
            if (with_text && info_public_material_text(db, id, lang, &full, &e) == 0)
                json_object_set(m, "text", json_object_get(full, "text"));
            json_decref(full);
            json_array_append_new(out, m);
        }
        json_decref(items);
    }
    return out;
}

/* The material after the checklist: a heading in the checklist's language,
 * then each text in its own language (Italian marked as such). */
static void print_materials(pdfdoc_t *d, const json_t *mats, const char *lang)
{
    if (!json_array_size(mats)) return;
    pdfdoc_space(d, 10);
    pdfdoc_heading(d, desk_checklist_label("material", lang));
    size_t i;
    json_t *m;
    json_array_foreach((json_t *)mats, i, m) {
        pdfdoc_lang(d, jstr_or_empty(m, "lang"));
        pdfdoc_heading(d, jstr_or_empty(m, "title"));
        if (json_is_true(json_object_get(m, "fallback"))) {
            pdfdoc_lang(d, lang);
            pdfdoc_note(d, desk_checklist_label("fallback", lang));
            pdfdoc_lang(d, "it");
        }
        /* Paragraph by paragraph, so long texts break between pages cleanly. */
        char *text = strdup(jstr_or_empty(m, "text"));
        for (char *p = text, *next; p && *p; p = next) {
            next = strstr(p, "\n\n");
            if (next) *next = '\0', next += 2;
            if (*p) pdfdoc_paragraph(d, p);
        }
        free(text);
    }
    pdfdoc_lang(d, lang);
}

/* A list of checklist items as a two-column table: the tick, the label. */
static void print_items(pdfdoc_t *d, const json_t *items, const char *heading)
{
    if (!json_array_size(items)) return;
    static const pdfdoc_col_t cols[] = {{NULL, 0.07, PDFDOC_CENTER}, {NULL, 0.93, PDFDOC_START}};
    pdfdoc_heading(d, heading);
    pdfdoc_table_begin(d, cols, 2);
    size_t i;
    json_t *x;
    json_array_foreach((json_t *)items, i, x) {
        const char *cells[2] = {json_is_true(json_object_get(x, "done")) ? "☑" : "☐", jstr(x, "label")};
        pdfdoc_table_row(d, cells);
    }
    pdfdoc_table_end(d);
}

int desk_checklist_pdf(db_t *db, const json_t *proc, const json_t *person, const char *lang, str_t *out)
{
    pdfdoc_t *d = pdfdoc_new(lang);
    if (!d) return -1;
    const char *title = jstr_or_empty(proc, "title");
    pdfdoc_info(d, title, "labimpact", NULL);
    pdfdoc_footer(d, title);
    pdfdoc_title(d, title);
    char name[260];
    snprintf(name, sizeof name, "%s %s", jstr_or_empty(person, "given_name"), jstr_or_empty(person, "family_name"));
    pdfdoc_paragraph(d, name);
    size_t i;
    json_t *x;
    if (json_array_size(json_object_get(proc, "deadlines"))) {
        pdfdoc_heading(d, desk_checklist_label("deadlines", lang));
        json_array_foreach(json_object_get(proc, "deadlines"), i, x) pdfdoc_kv(d, jstr(x, "date"), jstr(x, "label"));
    }
    print_items(d, json_object_get(proc, "steps"), desk_checklist_label("steps", lang));
    print_items(d, json_object_get(proc, "documents"), desk_checklist_label("documents", lang));
    if (json_array_size(json_object_get(proc, "fees"))) {
        pdfdoc_heading(d, desk_checklist_label("fees", lang));
        json_array_foreach(json_object_get(proc, "fees"), i, x) pdfdoc_kv(d, jstr(x, "label"), jstr(x, "amount"));
        pdfdoc_kv(d, desk_checklist_label("total", lang), jstr(proc, "fees_total"));
    }
    if (jstr(proc, "notes")) pdfdoc_note(d, jstr(proc, "notes"));
    if (json_array_size(json_object_get(proc, "sources"))) {
        pdfdoc_note(d, desk_checklist_label("sources", lang));
        json_array_foreach(json_object_get(proc, "sources"), i, x) pdfdoc_note(d, jstr(x, "title"));
    }
    json_t *mats = desk_checklist_materials(db, jstr(proc, "type"), lang, true);
    print_materials(d, mats, lang);
    json_decref(mats);
    return pdfdoc_render(d, out);
}

int desk_export_pdf(http_req_t *req, const json_t *x, str_t *out)
{
    pdfdoc_t *d = pdfdoc_new(web(req)->lang);
    if (!d) return -1;
    const char *title = web_tr(req, "Export all data (GDPR)");
    pdfdoc_info(d, title, "labimpact", NULL);
    pdfdoc_footer(d, title);
    pdfdoc_title(d, title);
    const json_t *p = json_object_get(x, "person");
    static const char *const fields[][2] = {{"given_name", "Given name"}, {"family_name", "Family name"}, {"sex", "Sex"},
                                            {"birth_date", "Birth date"}, {"citizenship", "Citizenship"},
                                            {"codice_fiscale", "Codice fiscale"}, {"phone", "Phone"}, {"email", "E-mail"},
                                            {"org", "Organisation"}, {"status", "Status"}};
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
        if (jstr(p, fields[k][0])) pdfdoc_kv(d, web_tr(req, fields[k][1]), jstr(p, fields[k][0]));
    pdfdoc_heading(d, web_tr(req, "Consultations"));
    const pdfdoc_col_t cc[] = {{web_tr(req, "Date"), 0.15, PDFDOC_START}, {web_tr(req, "Channel"), 0.15, PDFDOC_START},
                               {web_tr(req, "Topics"), 0.3, PDFDOC_START}, {web_tr(req, "Notes"), 0.4, PDFDOC_START}};
    pdfdoc_table_begin(d, cc, 4);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(x, "consultations"), i, it) {
        char *topics = json_dumps(json_object_get(it, "topics"), JSON_COMPACT);
        const char *cells[4] = {jstr(it, "date"), jstr(it, "channel"), topics, jstr(it, "notes")};
        pdfdoc_table_row(d, cells);
        free(topics);
    }
    pdfdoc_table_end(d);
    pdfdoc_heading(d, web_tr(req, "Procedures"));
    json_array_foreach(json_object_get(x, "procedures"), i, it) {
        pdfdoc_kv(d, jstr(it, "title"), jstr(it, "status"));
        size_t k;
        json_t *dl;
        json_array_foreach(json_object_get(it, "deadlines"), k, dl) pdfdoc_kv(d, jstr(dl, "date"), jstr(dl, "label"));
    }
    pdfdoc_heading(d, web_tr(req, "Who has seen this record"));
    const pdfdoc_col_t ac[] = {{web_tr(req, "Who"), 0.25, PDFDOC_START}, {web_tr(req, "What"), 0.35, PDFDOC_START},
                               {web_tr(req, "Detail"), 0.4, PDFDOC_START}};
    pdfdoc_table_begin(d, ac, 3);
    json_array_foreach(json_object_get(x, "access_log"), i, it) {
        const char *cells[3] = {jstr(it, "username"), jstr(it, "action"), jstr(it, "detail")};
        pdfdoc_table_row(d, cells);
    }
    pdfdoc_table_end(d);
    return pdfdoc_render(d, out);
}
