/* records_web.c — the API of what else is held about a person (consents,
 * household links, permits, documents), the retention run, the daily digest
 * and the printable PDFs (checklist in the person's language, GDPR export).
 * Handlers parse, call the operations of desk.h and answer; documents are
 * served back only as attachments, to someone who may read the person. */
#include "app/server.h"
#include "core/json.h"
#include "deskweb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A person's record from a JSON body: consents and permits. */
typedef int (*record_create_fn)(desk_ctx_t *, int64_t, const json_t *, int64_t *, int64_t *, err_t *);

/* POST of a record `kind` of person {id} (404 before the body is read):
 * audited "<kind>.create", answered 201 with the record. */
static int post_record(http_req_t *req, http_res_t *res, const char *kind, record_create_fn fn)
{
    desk_ctx_t c;
    json_t *b = NULL;
    char action[48];
    snprintf(action, sizeof action, "%s.create", kind);
    desk_web_event_t ev = {.action = action, .kind = kind};
    int rc = desk_web_find(req, &c, true, "person", &ev, NULL);
    if (rc || (rc = desk_web_body(req, &b))) return rc;
    rc = fn(&c, ev.person_id, b, &ev.obj, &ev.org_id, &web(req)->err);
    json_decref(b);
    return rc ? web_store_fail(req, rc) : desk_web_done_record(req, res, &c, 201, &ev, kind);
}

static int post_consent(http_req_t *q, http_res_t *r) { return post_record(q, r, "consent", desk_consent_create); }
static const resource_t res_persons_id_consents = {"/api/v1/persons/{id}/consents", .post = post_consent};
static int post_permit(http_req_t *q, http_res_t *r) { return post_record(q, r, "permit", desk_permit_create); }
static const resource_t res_persons_id_permits = {"/api/v1/persons/{id}/permits", .post = post_permit};

static int post_consent_withdraw(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "consent.withdraw", .kind = "consent", .obj = web_param_id(req, "id")};
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    if ((rc = desk_consent_withdraw(&c, ev.obj, &ev.person_id, &ev.org_id))) return web_store_fail(req, rc);
    return desk_web_done_record(req, res, &c, 200, &ev, "consent");
}
static const resource_t res_consents_id_withdraw = {"/api/v1/consents/{id}/withdraw", .post = post_consent_withdraw};

/* A household link: audited on the other person too. */
static int post_household(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    json_t *b = NULL;
    desk_web_event_t ev = {.action = "household_link.create", .kind = "household_link"};
    desk_web_event_t other = {.action = "household.create", .kind = "household_link"};
    int rc = desk_web_find(req, &c, true, "person", &ev, NULL);
    if (rc || (rc = desk_web_body(req, &b))) return rc;
    rc = desk_household_create(&c, ev.person_id, b, &ev.obj, &ev.org_id, &other.person_id, &other.org_id,
                               &web(req)->err);
    json_decref(b);
    other.obj = ev.obj;
    if (rc || (rc = desk_web_event(req, &c, &other))) return web_store_fail(req, rc);
    return desk_web_done_record(req, res, &c, 201, &ev, "household_link");
}
static const resource_t res_persons_id_household = {"/api/v1/persons/{id}/household", .post = post_household};

/* DELETE of a household link, permit or document: audited "<action>". */
static int delete_record(http_req_t *req, http_res_t *res, const char *table, const char *kind, const char *action)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = action, .kind = kind, .obj = web_param_id(req, "id")};
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    if ((rc = desk_record_delete(&c, table, ev.obj, &ev.person_id, &ev.org_id))) return web_store_fail(req, rc);
    return desk_web_done(req, res, &c, 204, &ev, NULL);
}

static int delete_household(http_req_t *q, http_res_t *r) { return delete_record(q, r, "household_link", "household_link", "household.delete"); }
static const resource_t res_household_id = {"/api/v1/household/{id}", .del = delete_household};
static int delete_permit(http_req_t *q, http_res_t *r) { return delete_record(q, r, "permit", "permit", "permit.delete"); }
static const resource_t res_permits_id = {"/api/v1/permits/{id}", .del = delete_permit};
static int delete_document(http_req_t *q, http_res_t *r) { return delete_record(q, r, "person_document", "document", "document.delete"); }

/* POST /api/v1/persons/{id}/documents — the body is the file; its title in
 * X-Title and its name in Content-Disposition's filename (or X-Filename),
 * percent-encoded when not ASCII: headers, never the address, which logs
 * and proxies keep. */
static int post_document(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "document.create", .kind = "document"};
    int rc = desk_web_find(req, &c, true, "person", &ev, NULL);
    if (rc) return rc;
    const char *title = web_header(req, "X-Title"), *filename = web_upload_filename(req);
    rc = desk_document_create(&c, ev.person_id, title, filename, req->body, req->body_len, &ev.obj, &ev.org_id,
                              &web(req)->err);
    return rc ? web_store_fail(req, rc) : desk_web_done_record(req, res, &c, 201, &ev, "person_document");
}
static const resource_t res_persons_id_documents = {"/api/v1/persons/{id}/documents", .post = post_document, .max_body = ROUTE_BODY_UPLOAD};

static int get_document(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "document.read", .kind = "document", .obj = web_param_id(req, "id")};
    json_t *d = NULL;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    ev.org_id = c.scope.org_id;
    str_reset(&res->body);
    if (!(rc = desk_document_open(&c, ev.obj, &d, &res->body))) {
        ev.person_id = json_integer_value(json_object_get(d, "person_id"));
        rc = desk_web_event(req, &c, &ev);
    }
    if (rc) str_reset(&res->body);
    else web_download(req, res, 0, arena_strdup(req->arena, jstr(d, "content_type")), jstr(d, "filename"));
    json_decref(d);
    return rc ? web_store_fail(req, rc) : 0;
}
static const resource_t res_documents_id = {"/api/v1/documents/{id}", .get = get_document, .del = delete_document};

/* ---- retention ------------------------------------------------------------------ */

/* POST /api/v1/desk/retention {"years": N, "dry_run": true} — persons with no
 * contact for N years (default: the setting desk.retention_years, else 5)
 * are anonymised, at most 1000 a call; a dry run only lists them. */
static int post_retention(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    json_t *b = NULL;
    int rc = desk_web_allowed(req, &c, true, CAP_GDPR_ERASE);
    if (rc || (rc = desk_web_body(req, &b))) return rc;
    static const char *const allowed[] = {"years", "dry_run", NULL};
    int64_t years = 0;
    bool has_years, dry = true, has_dry;
    rc = jin_only(b, allowed, &w->err);
    if (!rc) rc = jin_int(b, "years", false, 1, 50, &years, &has_years, &w->err);
    if (!rc) rc = jin_bool(b, "dry_run", false, &dry, &has_dry, &w->err);
    json_decref(b);
    if (rc) return rc;
    if (!has_dry) dry = true;
    if (!has_years) years = desk_retention_years(&c);
    json_t *items = json_array();
    rc = desk_persons_stale(&c, (int)years, items);
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) {
        if (dry || rc) break;
        int64_t pid = json_integer_value(json_object_get(p, "id")), org = 0;
        err_t e = {0};
        if (!(rc = desk_person_erase(&c, pid, &org, &e)))
            rc = desk_web_audit(req, &c, "person.erase", "person", pid, pid, org, "retention");
    }
    char detail[64];
    snprintf(detail, sizeof detail, "years=%lld persons=%zu%s", (long long)years, json_array_size(items), dry ? " dry run" : "");
    if (rc || (rc = desk_web_audit(req, &c, dry ? "retention.dry_run" : "retention.run", NULL, 0, 0, c.scope.org_id, detail))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return web_json(req, res, 200,
                    json_pack("{s:b, s:I, s:I, s:o}", "dry_run", dry, "years", (json_int_t)years, "count",
                              (json_int_t)json_array_size(items), "items", items));
}
static const resource_t res_desk_retention = {"/api/v1/desk/retention", .post = post_retention};

/* ---- the daily digest --------------------------------------------------------------- */

/* POST /api/v1/desk/digest — queues today's digest (appointments, deadlines
 * within 14 days, overdue items) for every operator and coordinator with an
 * e-mail address, once a day each. Meant for a timer on the machine
 * (loopback) or an admin; idempotent. The mail holds counts and procedure
 * names but no personal data beyond first names. */
static int post_digest(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = web_machine_or_admin(req); /* a timer on the machine or an admin; nobody else */
    if (rc) return rc;
    char today[11];
    date_today(today, 0);
    size_t sent = 0;
    rc = desk_digest_queue(w->db, today, &sent);
    if (rc) return web_store_fail(req, rc);
    char detail[48];
    snprintf(detail, sizeof detail, "digests=%zu", sent);
    if (w->has_session && (rc = web_audit(req, "desk.digest", NULL, NULL, 0, w->scope.org_id, detail))) return rc;
    return web_json(req, res, 200, json_pack("{s:s, s:I}", "day", today, "queued", (json_int_t)sent));
}
static const resource_t res_desk_digest = {"/api/v1/desk/digest", .post = post_digest, .flags = R_PUBLIC | R_NO_CSRF};

/* ---- PDFs (checklist.c) ------------------------------------------------------------ */

/* GET /api/v1/procedures/{id}/checklist.pdf?lang= — in the language asked,
 * else the person's (desk_checklist_lang): headings and the published
 * material on the procedure in it, the rule's labels in the first of the
 * person's languages the rule is written in (desk_checklist_rule_lang). */
static int get_checklist_pdf(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "procedure.print", .kind = "procedure"};
    json_t *proc = NULL, *person = NULL;
    const char *lang, *rule_lang;
    int rc = desk_checklist_procedure(req, &c, &ev, "lang", &proc, &person, &lang, &rule_lang);
    if (rc) return rc;
    int64_t id = ev.obj;
    ev.detail = lang;
    if (!(rc = desk_web_event(req, &c, &ev))) {
        str_reset(&res->body);
        rc = web_download(req, res, desk_checklist_pdf(c.db, proc, person, lang, &res->body), "application/pdf",
                          arena_printf(req->arena, "checklist-%lld-%s.pdf", (long long)id, lang));
    }
    json_decref(proc);
    json_decref(person);
    return rc;
}
static const resource_t res_procedures_id_checklist_pdf = {"/api/v1/procedures/{id}/checklist.pdf", .get = get_checklist_pdf};

/* GET /api/v1/persons/{id}/export.pdf — the GDPR export in readable form. */
static int get_export_pdf(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.export", .kind = "person", .detail = "pdf"};
    int rc = desk_web_find(req, &c, false, "person", &ev, NULL);
    if (rc) return rc;
    int64_t id = ev.obj;
    json_t *x = NULL;
    if ((rc = desk_person_export(&c, id, &x))) return web_store_fail(req, rc);
    if (!(rc = desk_web_event(req, &c, &ev))) {
        str_reset(&res->body);
        rc = web_download(req, res, desk_export_pdf(req, x, &res->body), "application/pdf",
                          arena_printf(req->arena, "person-%lld.pdf", (long long)id));
    }
    json_decref(x);
    return rc;
}
static const resource_t res_persons_id_export_pdf = {"/api/v1/persons/{id}/export.pdf", .get = get_export_pdf};

static const resource_t *const routes[] = {&res_persons_id_consents, &res_consents_id_withdraw,
    &res_persons_id_household, &res_household_id, &res_persons_id_permits, &res_permits_id,
    &res_persons_id_documents, &res_documents_id, &res_desk_retention, &res_desk_digest,
    &res_procedures_id_checklist_pdf, &res_persons_id_export_pdf};

ROUTE_TABLE(desk_records_routes, routes)
