/* deskweb.h — what the help desk's API handlers (web.c, *_web.c) and pages
 * (pages.c, *_pages.c) share: the access context of a request, the audit,
 * the handler skeleton, query parameters, the page helpers and the route
 * tables. Handlers call the operations of desk.h, never the store. */
#ifndef LI_DESKWEB_H
#define LI_DESKWEB_H
#include "app/server.h"
#include "desk.h"

/* Fills `c` for the request; -401/-403 unless the caller may read persons
 * (and write them, when `write`). */
int desk_web_begin(http_req_t *req, desk_ctx_t *c, bool write);
/* Audits an access to personal data through web_audit_event, with the
 * grant's reason when reading through break-the-glass. */
int desk_web_audit(http_req_t *req, desk_ctx_t *c, const char *action, const char *kind, int64_t obj, int64_t person_id,
                   int64_t org_id, const char *detail);
/* Scoped, audited search (items of person summaries). */
int desk_search(http_req_t *req, desk_ctx_t *c, const char *q, int64_t cursor, int limit, json_t *items);
/* The handler skeleton ("begin, load in scope or 404, act, audit, answer").
 * An event is an audit entry of personal data: action, object kind, object
 * id, person and organisation, detail. */
typedef struct desk_web_event {
    const char *action, *kind;
    int64_t obj, person_id, org_id;
    const char *detail;
} desk_web_event_t;
/* desk_web_begin, then CAP `cap` of the session (NULL: none): 0 or -status. */
int desk_web_allowed(http_req_t *req, desk_ctx_t *c, bool write, cap_t cap);
/* Begins (desk_web_begin) and finds the record of `kind` (as in
 * desk_record_get: "person", "consultation", "desk_procedure", ...) of path
 * parameter {id} in scope: fills ev->obj, ev->person_id and ev->org_id, and
 * *out with its object when `out` is not NULL. 0, or the answer's -status
 * (404 when absent or out of scope). */
int desk_web_find(http_req_t *req, desk_ctx_t *c, bool write, const char *kind, desk_web_event_t *ev, json_t **out);
/* desk_web_find (`out` required) and the audit entry `ev` of the read:
 * 0, or -status with nothing in *out. */
int desk_web_read(http_req_t *req, desk_ctx_t *c, bool write, const char *kind, desk_web_event_t *ev, json_t **out);
/* desk_web_find of procedure {id} ("desk_procedure"; *proc when not NULL)
 * with its person's object in *person (the caller frees both). */
int desk_web_procedure(http_req_t *req, desk_ctx_t *c, bool write, desk_web_event_t *ev, json_t **proc, json_t **person);
/* The audit entry of `ev` through desk_web_audit. 0 or -status. */
int desk_web_event(http_req_t *req, desk_ctx_t *c, const desk_web_event_t *ev);
/* Writes the audit entry `ev` (none when NULL or without action) of what was done and answers
 * `out` as JSON with `status` (taking it), or an empty `status` (204) when
 * `out` is NULL. */
int desk_web_done(http_req_t *req, http_res_t *res, desk_ctx_t *c, int status, const desk_web_event_t *ev, json_t *out);
/* desk_web_done with the API object of record ev->obj of `kind`, read again
 * after a write (a person's without "org_path"); its absence is a 500. */
int desk_web_done_record(http_req_t *req, http_res_t *res, desk_ctx_t *c, int status, const desk_web_event_t *ev,
                         const char *kind);
/* The JSON object body of an API request into *body (the caller frees it):
 * 0, or -status with the error set. */
int desk_web_body(http_req_t *req, json_t **body);
/* Erases person {id} (desk_person_erase) for a caller with CAP_GDPR_ERASE
 * who `confirmed` it (else -422 on "confirm"), audited "person.erase";
 * *id the person's id. 0 or -status. */
int desk_web_erase(http_req_t *req, desk_ctx_t *c, bool confirmed, int64_t *id);
/* Merges person `gone` into `keep` (desk_person_merge) and audits both. */
int desk_web_merge(http_req_t *req, desk_ctx_t *c, int64_t keep, int64_t gone);
/* Creates a consultation from a JSON body (desk_consultation_create) and
 * fills `ev`, the audit entry the caller writes. 0 or -status. */
int desk_create_consultation(http_req_t *req, desk_ctx_t *c, const json_t *body, desk_web_event_t *ev);
/* Stores a new rule version (admin), recomputes open procedures, audits. */
int desk_rule_put(http_req_t *req, const char *type, json_t *rule, const char *reason, int *recomputed);

/* Optional query parameters: a positive id (0 when absent), a date (NULL
 * when absent); -422 naming the parameter when malformed. */
int desk_query_id(http_req_t *req, const char *name, int64_t *out);
int desk_query_date(http_req_t *req, const char *name, const char **out);

/* ---- what the pages share (pages.c) ---- */

/* The translated label of a code (topic, channel, status, ...); the code itself when unknown. */
const char *desk_code_label(http_req_t *req, const char *code);
/* A form field, trimmed; NULL when absent or blank. */
const char *desk_field(http_req_t *req, const char *name);
/* Sets o[k] to the text v when v is not NULL. */
void desk_put(json_t *o, const char *k, const char *v);
/* Renders a page; a 4xx render shows the request's error and keeps nothing
 * of the transaction (desk_page_rollback). */
int desk_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm);
/* A page of `status` 400 or more (a write refused) rolls the request's
 * transaction back at once: nothing of the write stays, and the audit
 * entries of what the page then shows commit on their own (desk_web_audit
 * outside a transaction). Nothing for other statuses. */
void desk_page_rollback(http_req_t *req, int status);
/* Audits person `id` of organisation `org_id` that a page of `status`
 * shows as "person.read" with `detail`, after desk_page_rollback; and the
 * persons of a list a page shows (summaries with "id": possible duplicates)
 * alike, each with their organisation. 0 or -status. */
int desk_page_audit_person(http_req_t *req, desk_ctx_t *c, int status, int64_t id, int64_t org_id, const char *detail);
int desk_page_audit_shown(http_req_t *req, desk_ctx_t *c, int status, const json_t *persons, const char *detail);
/* Sets vm[name] to true for each of the NULL-terminated `names` present in
 * the query (?saved=1 after a redirect). */
void desk_page_flags(http_req_t *req, json_t *vm, const char *const *names);
/* Sets vm[key] to true. */
void desk_flag(json_t *vm, const char *key);
/* Adds display fields (country name, labels, languages text) to a person. */
void desk_person_display(http_req_t *req, json_t *p);
/* Options [{code, label, selected?}] of NULL-terminated codes. */
json_t *desk_options(http_req_t *req, const char *const *codes, const char *selected);
json_t *desk_country_options(http_req_t *req, const char *selected);

/* The route tables of the desk's API and pages (module.c lists them). */
const resource_t *const *desk_api_routes(size_t *n);
const resource_t *const *desk_person_api_routes(size_t *n);
const resource_t *const *desk_casework_api_routes(size_t *n);
const resource_t *const *desk_procedure_api_routes(size_t *n);
const resource_t *const *desk_page_routes(size_t *n);
const resource_t *const *desk_person_page_routes(size_t *n);
const resource_t *const *desk_casework_page_routes(size_t *n);
const resource_t *const *desk_procedure_page_routes(size_t *n);
const resource_t *const *desk_extra_routes(size_t *n);
const resource_t *const *desk_import_routes(size_t *n);
const resource_t *const *desk_records_routes(size_t *n);
/* The referral to a service of the directory (referral_pages.c). */
const resource_t *const *desk_referral_page_routes(size_t *n);
/* Imports CSV rows (see import.c); the report lists rows and errors. */
int desk_import_csv(http_req_t *req, desk_ctx_t *c, const char *data, size_t len, bool dry_run, json_t **report);

/* ---- the printed checklist and the desk's PDFs (checklist.c) ---- */

/* A heading of the printed checklist (data/desk/checklist.json: "steps",
 * "documents", "deadlines", "fees", "total", "sources", "material",
 * "fallback", "leaflet") in `lang`; English when missing there. */
const char *desk_checklist_label(const char *key, const char *lang);
/* The checklist's language: query parameter `param` when a valid language
 * code, else the person's preferred language, their first language, the
 * request's (in the request's arena). */
const char *desk_checklist_lang(http_req_t *req, const json_t *person, const char *param);
/* The language to take the rule's labels of procedure `proc` in: the
 * first of `lang`, the person's preferred and spoken languages, English,
 * that the rule is written in (`lang` when none; in the request's arena). */
const char *desk_checklist_rule_lang(http_req_t *req, db_t *db, const json_t *proc, const json_t *person,
                                     const char *lang);
/* The procedure {id} to print and its person (desk_web_procedure, read
 * only): *lang the language of the checklist (desk_checklist_lang of query
 * parameter `param`), *rule_lang that of the rule's labels
 * (desk_checklist_rule_lang), in which c->lang is set and *proc read again
 * (desk_procedure_json). The caller frees both. 0 or -status, with nothing
 * in *proc and *person. */
int desk_checklist_procedure(http_req_t *req, desk_ctx_t *c, desk_web_event_t *ev, const char *param, json_t **proc,
                             json_t **person, const char **lang, const char **rule_lang);
/* The published information material on procedures of `type` (the
 * categories of data/desk/checklist.json), at most "materials_max", in
 * `lang` or in Italian: [{"id","category","title","lang","dir","asked",
 * "fallback" (Italian shown for another language)}], with "text" (plain)
 * when `with_text`. Never NULL; empty when none or on a store error. */
json_t *desk_checklist_materials(db_t *db, const char *type, const char *lang, bool with_text);
/* The checklist PDF of `proc` (desk_procedure_json, labels in
 * desk_checklist_rule_lang) for `person`: headings and material in `lang`,
 * the material's text after the checklist; appended to `out`. 0 or -1. */
int desk_checklist_pdf(db_t *db, const json_t *proc, const json_t *person, const char *lang, str_t *out);
/* The GDPR export (desk_person_export) as a readable PDF in the request's language. 0 or -1. */
int desk_export_pdf(http_req_t *req, const json_t *x, str_t *out);

#endif
