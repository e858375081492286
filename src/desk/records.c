/* records.c — what else is held about a person (consents, household links,
 * permits, uploaded documents), the retention rule, the daily digest and the
 * printable PDFs (checklist in the person's language, GDPR export).
 *
 * Documents: the body is the file itself (at most the server's body cap,
 * 1 MiB); its type is sniffed from the content, never taken from the client;
 * only PDF, PNG and JPEG are kept. Files are written under var/documents/
 * (outside the web root, never served by the static handler) with a random
 * name, 0600, fsync'ed before the row commits; they are served back only as
 * attachments, to someone who may read the person. */
#include "app/outbox.h"
#include "app/server.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/pdf.h"
#include "deskweb.h"
#include "network/network.h"
#include "store.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The person of path parameter {id} in scope, active when `write`; -status. */
static int person_of(http_req_t *req, desk_ctx_t *c, bool write, int64_t *pid, int64_t *org)
{
    json_t *p = NULL;
    *pid = web_param_id(req, "id");
    int rc = desk_store_person_get(&c->scope, c->db, *pid, &p);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    *org = json_integer_value(json_object_get(p, "org_id"));
    bool active = !strcmp(jstr(p, "status"), "active");
    json_decref(p);
    if (write && !active)
        return web_fail(req, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
    return 0;
}

static int created(http_req_t *req, http_res_t *res, desk_ctx_t *c, const char *table, const char *kind, int64_t id,
                   int64_t pid, int64_t org)
{
    char action[48];
    snprintf(action, sizeof action, "%s.create", kind);
    int rc = desk_web_audit(req, c, action, kind, id, pid, org, NULL);
    if (rc) return rc;
    json_t *out = NULL;
    if ((rc = desk_store_row_get(&c->scope, c->db, table, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    json_object_del(out, "storage");
    return web_json(req, res, 201, out);
}

/* ---- consents ------------------------------------------------------------------ */

static int post_consent(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int64_t pid, org, id;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = person_of(req, &c, true, &pid, &org))) return rc;
    json_t *b = web_body(req);
    if (!b) return -w->err.status;
    static const char *const allowed[] = {"kind", "given_on", "note", NULL};
    const char *kind, *on, *note;
    char today[11];
    date_today(today, 0);
    if ((rc = jin_only(b, allowed, &w->err)) || (rc = jin_str(b, "kind", true, 60, &kind, &w->err)) ||
        (rc = jin_str(b, "given_on", false, 10, &on, &w->err)) || (rc = jin_str(b, "note", false, 500, &note, &w->err)))
        goto out;
    if (on && (!date_valid(on) || strcmp(on, today) > 0)) {
        rc = web_fail(req, 422, "invalid", "given_on", "This date cannot be in the future.");
        goto out;
    }
    if ((rc = desk_store_consent_insert(c.db, pid, org, kind, on ? on : today, note, w->scope.user_id, db_now(), &id))) {
        rc = web_db_fail(req, rc);
        goto out;
    }
    rc = created(req, res, &c, "consent", "consent", id, pid, org);
out:
    json_decref(b);
    return rc;
}

static int post_consent_withdraw(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t pid = 0, org = 0, id = web_param_id(req, "id");
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    rc = desk_store_owner(&c.scope, c.db, "consent", id, &pid, &org);
    if (rc == 1) return web_not_found(req);
    char today[11];
    date_today(today, 0);
    if (rc || (rc = desk_store_consent_withdraw(c.db, id, today, web(req)->scope.user_id))) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "consent.withdraw", "consent", id, pid, org, NULL))) return rc;
    json_t *out = NULL;
    if ((rc = desk_store_row_get(&c.scope, c.db, "consent", id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 200, out);
}

/* ---- household ------------------------------------------------------------------ */

static int post_household(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int64_t pid, org, other = 0, id;
    bool has;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = person_of(req, &c, true, &pid, &org))) return rc;
    json_t *b = web_body(req), *o = NULL;
    if (!b) return -w->err.status;
    static const char *const allowed[] = {"other_id", "relation", NULL};
    static const char *const relations[] = {"spouse", "partner", "child", "parent", "sibling", "other", NULL};
    const char *rel;
    if ((rc = jin_only(b, allowed, &w->err)) || (rc = jin_int(b, "other_id", true, 1, INT64_MAX, &other, &has, &w->err)) ||
        (rc = jin_str(b, "relation", true, 16, &rel, &w->err)))
        goto out;
    bool ok = false;
    for (int i = 0; relations[i]; i++) ok = ok || !strcmp(relations[i], rel);
    if (!ok) {
        rc = web_fail(req, 422, "invalid", "relation", "Choose one of the listed values.");
        goto out;
    }
    rc = desk_store_person_get(&c.scope, c.db, other, &o);
    if (rc == 1 || other == pid) {
        rc = web_fail(req, 422, "unknown_person", "other_id", "Unknown person.");
        goto out;
    }
    if (rc || (rc = desk_store_household_insert(c.db, pid, other, rel, w->scope.user_id, db_now(), &id))) {
        rc = web_db_fail(req, rc);
        goto out;
    }
    rc = desk_web_audit(req, &c, "household.create", "household_link", id, other,
                        json_integer_value(json_object_get(o, "org_id")), NULL);
    if (!rc) rc = created(req, res, &c, "household_link", "household_link", id, pid, org);
out:
    json_decref(o);
    json_decref(b);
    return rc;
}

static int delete_household(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t pid = 0, org = 0, id = web_param_id(req, "id");
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    rc = desk_store_owner(&c.scope, c.db, "household_link", id, &pid, &org);
    if (rc == 1) return web_not_found(req);
    if (rc || (rc = desk_store_household_delete(c.db, id))) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "household.delete", "household_link", id, pid, org, NULL))) return rc;
    res->status = 204;
    return 0;
}

/* ---- permits ------------------------------------------------------------------ */

static int post_permit(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int64_t pid, org, id;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = person_of(req, &c, true, &pid, &org))) return rc;
    json_t *b = web_body(req);
    if (!b) return -w->err.status;
    static const char *const allowed[] = {"kind", "number", "issued_on", "expiry", NULL};
    const char *kind, *number, *issued, *expiry;
    if ((rc = jin_only(b, allowed, &w->err)) || (rc = jin_str(b, "kind", true, 60, &kind, &w->err)) ||
        (rc = jin_str(b, "number", false, 40, &number, &w->err)) ||
        (rc = jin_str(b, "issued_on", false, 10, &issued, &w->err)) ||
        (rc = jin_str(b, "expiry", true, 10, &expiry, &w->err)))
        goto out;
    if (issued && !date_valid(issued)) {
        rc = web_fail(req, 422, "invalid", "issued_on", "Enter a real date as YYYY-MM-DD.");
        goto out;
    }
    if (!date_valid(expiry) || (issued && strcmp(expiry, issued) < 0)) {
        rc = web_fail(req, 422, "invalid", "expiry", "Enter a real date as YYYY-MM-DD.");
        goto out;
    }
    if ((rc = desk_store_permit_insert(c.db, pid, org, kind, number, issued, expiry, w->scope.user_id, db_now(), &id))) {
        rc = web_db_fail(req, rc);
        goto out;
    }
    rc = created(req, res, &c, "permit", "permit", id, pid, org);
out:
    json_decref(b);
    return rc;
}

static int delete_permit(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t pid = 0, org = 0, id = web_param_id(req, "id");
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    rc = desk_store_owner(&c.scope, c.db, "permit", id, &pid, &org);
    if (rc == 1) return web_not_found(req);
    if (rc || (rc = desk_store_permit_delete(c.db, id))) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "permit.delete", "permit", id, pid, org, NULL))) return rc;
    res->status = 204;
    return 0;
}

/* ---- documents ------------------------------------------------------------------ */

static const char *sniff(const unsigned char *p, size_t n, const char **ext)
{
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) return *ext = "pdf", "application/pdf";
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return *ext = "png", "image/png";
    if (n >= 3 && memcmp(p, "\xFF\xD8\xFF", 3) == 0) return *ext = "jpg", "image/jpeg";
    return NULL;
}

static const char *documents_dir(void)
{
    static _Thread_local char dir[1100];
    const char *env = getenv("LABIMPACT_DOCUMENTS");
    if (env && *env) snprintf(dir, sizeof dir, "%s", env);
    else snprintf(dir, sizeof dir, "%s/var/documents", desk_home());
    return dir;
}

/* Writes the file durably under a fresh random name; fills `name`. */
static int write_document_file(const char *data, size_t len, char name[64])
{
    const char *dir = documents_dir();
    char tok[CRYPTO_TOKEN_LEN + 1], path[1200], tmp[1220];
    crypto_token(tok);
    snprintf(name, 64, "%.40s", tok);
    char parent[1100];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        mkdir(parent, 0700); /* var/ */
    }
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.part", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t k = write(fd, data + off, len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        off += (size_t)k;
    }
    int ok = off == len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int post_document(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int64_t pid, org, id;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = person_of(req, &c, true, &pid, &org))) return rc;
    const char *title = http_query(req, "title"), *filename = http_query(req, "filename"), *ext = NULL;
    if (!req->body_len) return web_fail(req, 422, "required", "file", "This field is required.");
    const char *type = sniff((const unsigned char *)req->body, req->body_len, &ext);
    if (!type) return web_fail(req, 415, "unsupported_media_type", "file", "Only PDF, PNG and JPEG files are accepted.");
    if (!title || !*title) title = filename && *filename ? filename : "document";
    json_t *jt = json_text(title);
    char clean_title[201], clean_name[121];
    snprintf(clean_title, sizeof clean_title, "%s", json_string_value(jt));
    json_decref(jt);
    /* The download name: safe characters only, with the sniffed extension. */
    size_t o = 0;
    for (const char *p = filename && *filename ? filename : "document"; *p && o < 100; p++)
        clean_name[o++] = ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_') ? *p : '_';
    snprintf(clean_name + o, sizeof clean_name - o, ".%s", ext);
    char sha[CRYPTO_HASH_HEX], name[64];
    crypto_sha256_hex(req->body, req->body_len, sha);
    if (write_document_file(req->body, req->body_len, name) != 0)
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    rc = desk_store_document_insert(c.db, pid, org, clean_title, clean_name, type, (int64_t)req->body_len, sha, name,
                               w->scope.user_id, db_now(), &id);
    if (rc) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", documents_dir(), name);
        unlink(path);
        return web_db_fail(req, rc);
    }
    return created(req, res, &c, "person_document", "document", id, pid, org);
}

static int get_document(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    json_t *d = NULL;
    rc = desk_store_row_get(&c.scope, c.db, "person_document", id, &d);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", documents_dir(), jstr(d, "storage"));
    FILE *f = strchr(jstr(d, "storage"), '/') ? NULL : fopen(path, "rb");
    if (!f) {
        json_decref(d);
        return web_not_found(req);
    }
    char buf[65536];
    size_t n;
    str_reset(&res->body);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) str_add(&res->body, buf, n);
    fclose(f);
    rc = desk_web_audit(req, &c, "document.read", "document", id, json_integer_value(json_object_get(d, "person_id")),
                        c.scope.org_id, NULL);
    if (rc) {
        json_decref(d);
        return rc;
    }
    res->status = 200;
    res->content_type = arena_strdup(req->arena, jstr(d, "content_type"));
    http_res_header(res, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"%s\"", jstr(d, "filename")));
    json_decref(d);
    return 0;
}

static int delete_document(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t pid = 0, org = 0, id = web_param_id(req, "id");
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *d = NULL;
    rc = desk_store_row_get(&c.scope, c.db, "person_document", id, &d);
    if (rc == 1) return web_not_found(req);
    if (rc || (rc = desk_store_owner(&c.scope, c.db, "person_document", id, &pid, &org)) || (rc = desk_store_document_delete(c.db, id))) {
        json_decref(d);
        return web_db_fail(req, rc);
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", documents_dir(), jstr(d, "storage"));
    if (!strchr(jstr(d, "storage"), '/')) unlink(path);
    json_decref(d);
    if ((rc = desk_web_audit(req, &c, "document.delete", "document", id, pid, org, NULL))) return rc;
    res->status = 204;
    return 0;
}

/* ---- retention ------------------------------------------------------------------ */

/* POST /api/v1/desk/retention {"years": N, "dry_run": true} — persons with no
 * contact for N years (default: the setting desk.retention_years, else 5)
 * are anonymised, at most 1000 a call; a dry run only lists them. */
static int post_retention(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = scope_require(&w->scope, CAP_GDPR_ERASE, &w->err))) return rc;
    json_t *b = web_body(req);
    if (!b) return -w->err.status;
    static const char *const allowed[] = {"years", "dry_run", NULL};
    int64_t years = 0;
    bool has_years, dry = true, has_dry;
    if ((rc = jin_only(b, allowed, &w->err)) || (rc = jin_int(b, "years", false, 1, 50, &years, &has_years, &w->err)) ||
        (rc = jin_bool(b, "dry_run", false, &dry, &has_dry, &w->err))) {
        json_decref(b);
        return rc;
    }
    json_decref(b);
    if (!has_dry) dry = true;
    if (!has_years) {
        char v[32];
        years = desk_store_setting_get(c.db, "desk.retention_years", v, sizeof v) == 0 ? atoi(v) : 5;
        if (years < 1) years = 5;
    }
    int64_t before = db_now() - years * 365 * 86400;
    json_t *items = json_array();
    if ((rc = desk_store_persons_stale(&c.scope, c.db, before, 1000, items))) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) {
        if (dry) break;
        int64_t pid = json_integer_value(json_object_get(p, "id")), org = 0;
        err_t e = {0};
        if ((rc = desk_person_erase(&c, pid, &org, &e)) ||
            (rc = desk_web_audit(req, &c, "person.erase", "person", pid, pid, org, "retention"))) {
            json_decref(items);
            return rc < -100 ? rc : web_db_fail(req, rc);
        }
    }
    char detail[64];
    snprintf(detail, sizeof detail, "years=%lld persons=%zu%s", (long long)years, json_array_size(items), dry ? " dry run" : "");
    if ((rc = desk_web_audit(req, &c, dry ? "retention.dry_run" : "retention.run", NULL, 0, 0, c.scope.org_id, detail))) {
        json_decref(items);
        return rc;
    }
    return web_json(req, res, 200,
                    json_pack("{s:b, s:I, s:I, s:o}", "dry_run", dry, "years", (json_int_t)years, "count",
                              (json_int_t)json_array_size(items), "items", items));
}

/* ---- the daily digest --------------------------------------------------------------- */

/* POST /api/v1/desk/digest — queues today's digest (appointments, deadlines
 * within 14 days, overdue items) for every operator and coordinator with an
 * e-mail address, once a day each. Meant for a timer on the machine
 * (loopback) or an admin; idempotent. The mail holds counts and procedure
 * names but no personal data beyond first names. */
static int post_digest(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    /* A timer on the machine (loopback, no session) or an admin; nobody else. */
    if (w->has_session ? w->scope.role != ROLE_ADMIN : !req->loopback)
        return w->has_session ? web_fail(req, 403, "forbidden", NULL, "You are not allowed to do this.")
                              : web_fail(req, 401, "unauthenticated", NULL, "Please log in.");
    char today[11];
    date_today(today, 0);
    json_t *users = json_array();
    int rc = desk_store_digest_recipients(w->db, today, users);
    size_t i, sent = 0;
    json_t *u;
    json_array_foreach(users, i, u) {
        if (rc) break;
        desk_ctx_t c;
        memset(&c, 0, sizeof c);
        c.db = w->db;
        c.lang = "it";
        c.can_read = true;
        c.scope.role = ROLE_OPERATOR;
        c.scope.org_id = json_integer_value(json_object_get(u, "org_id"));
        snprintf(c.scope.org_path, sizeof c.scope.org_path, "%s", jstr(u, "org_path"));
        json_t *ag = NULL;
        if ((rc = desk_agenda(&c, 14, &ag))) break;
        str_t body = STR_INIT;
        str_addf(&body, "Sportello immigrati — agenda del %s\n\n", today);
        str_addf(&body, "Appuntamenti di oggi: %zu\n", json_array_size(json_object_get(ag, "appointments")));
        str_addf(&body, "Scadenze nei prossimi 14 giorni: %zu\n", json_array_size(json_object_get(ag, "deadlines")));
        str_addf(&body, "Permessi in scadenza nei prossimi 14 giorni: %zu\n", json_array_size(json_object_get(ag, "permits_expiring")));
        str_addf(&body, "Scadenze superate: %zu\n", json_array_size(json_object_get(ag, "overdue_deadlines")));
        str_addf(&body, "Richiami in ritardo: %zu\n\n", json_array_size(json_object_get(ag, "overdue_followups")));
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(ag, "deadlines"), k, d) {
            if (k >= 30) break;
            str_addf(&body, "- %s: %s (%s)\n", jstr(d, "date"), jstr(d, "title"), jstr(d, "label"));
        }
        str_adds(&body, "\nApri l'agenda: /desk\n");
        json_decref(ag);
        char subject[96];
        snprintf(subject, sizeof subject, "Sportello immigrati: agenda del %s", today);
        int64_t oid = 0;
        rc = outbox_enqueue(w->db, jstr(u, "email"), subject, str_cstr(&body), "desk.digest", today, &oid);
        str_release(&body);
        if (!rc) rc = desk_store_digest_mark(w->db, json_integer_value(json_object_get(u, "user_id")), today, oid);
        if (!rc) sent++;
    }
    json_decref(users);
    if (rc) return web_db_fail(req, rc);
    char detail[48];
    snprintf(detail, sizeof detail, "digests=%zu", sent);
    if (w->has_session && (rc = web_audit(req, "desk.digest", NULL, NULL, 0, w->scope.org_id, detail))) return rc;
    return web_json(req, res, 200, json_pack("{s:s, s:I}", "day", today, "queued", (json_int_t)sent));
}

/* ---- PDFs --------------------------------------------------------------------------- */

static int send_pdf(http_req_t *req, http_res_t *res, pdf_doc_t *d, const char *filename)
{
    str_reset(&res->body);
    int rc = pdf_render(d, &res->body);
    pdf_free(d);
    if (rc) return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    res->status = 200;
    res->content_type = "application/pdf";
    http_res_header(res, "Content-Disposition", arena_printf(req->arena, "attachment; filename=\"%s\"", filename));
    return 0;
}

/* GET /api/v1/procedures/{id}/checklist.pdf?lang= — in the person's language
 * when the rule is written in it (Latin and Cyrillic scripts; see pdf.h). */
static int get_checklist_pdf(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    json_t *proc = NULL, *person = NULL;
    rc = desk_store_procedure_get(&c.scope, c.db, id, &proc);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    int64_t pid = json_integer_value(json_object_get(proc, "person_id"));
    json_decref(proc);
    proc = NULL;
    if ((rc = desk_store_person_get(&c.scope, c.db, pid, &person))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    const char *lang = http_query(req, "lang");
    if (!lang || !desk_language_valid(lang)) lang = jstr(person, "preferred_language");
    if (!lang) lang = json_string_value(json_array_get(json_object_get(person, "languages"), 0));
    c.lang = arena_strdup(req->arena, lang ? lang : web(req)->lang);
    if ((rc = desk_procedure_json(&c, id, &proc))) {
        json_decref(person);
        return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    }
    char err[128];
    pdf_doc_t *d = pdf_new(jstr(proc, "title"), err, sizeof err);
    if (!d) {
        json_decref(proc);
        json_decref(person);
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
    char name[260];
    snprintf(name, sizeof name, "%s %s", jstr(person, "given_name"), jstr(person, "family_name"));
    pdf_heading(d, 1, jstr(proc, "title"));
    pdf_text(d, name);
    size_t i;
    json_t *x;
    if (json_array_size(json_object_get(proc, "deadlines"))) {
        pdf_space(d, 6);
        json_array_foreach(json_object_get(proc, "deadlines"), i, x) pdf_kv(d, jstr(x, "date"), jstr(x, "label"));
    }
    static const pdf_col_t cols[] = {{"", 0.08, PDF_LEFT}, {"", 0.92, PDF_LEFT}};
    const char *lists[] = {"steps", "documents"};
    for (int l = 0; l < 2; l++) {
        pdf_space(d, 8);
        pdf_table_begin(d, cols, 2);
        json_array_foreach(json_object_get(proc, lists[l]), i, x) {
            const char *cells[2] = {json_is_true(json_object_get(x, "done")) ? "[x]" : "[ ]", jstr(x, "label")};
            pdf_table_row(d, cells);
        }
        pdf_table_end(d);
    }
    if (json_array_size(json_object_get(proc, "fees"))) {
        pdf_space(d, 8);
        json_array_foreach(json_object_get(proc, "fees"), i, x) pdf_kv(d, jstr(x, "label"), jstr(x, "amount"));
        pdf_kv(d, "Σ", jstr(proc, "fees_total"));
    }
    if (jstr(proc, "notes")) pdf_small(d, jstr(proc, "notes"));
    json_array_foreach(json_object_get(proc, "sources"), i, x) pdf_small(d, jstr(x, "title"));
    rc = desk_web_audit(req, &c, "procedure.print", "procedure", id, pid, json_integer_value(json_object_get(proc, "org_id")),
                        c.lang);
    json_decref(proc);
    json_decref(person);
    if (rc) {
        pdf_free(d);
        return rc;
    }
    return send_pdf(req, res, d, arena_printf(req->arena, "checklist-%lld-%s.pdf", (long long)id, c.lang));
}

/* GET /api/v1/persons/{id}/export.pdf — the GDPR export in readable form. */
static int get_export_pdf(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    json_t *x = NULL;
    rc = desk_person_export(&c, id, &x);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    json_t *p = json_object_get(x, "person");
    char err[128];
    pdf_doc_t *d = pdf_new(web_tr(req, "Export all data (GDPR)"), err, sizeof err);
    if (!d) {
        json_decref(x);
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
    pdf_heading(d, 1, web_tr(req, "Export all data (GDPR)"));
    static const char *const fields[][2] = {{"given_name", "Given name"}, {"family_name", "Family name"}, {"sex", "Sex"},
                                            {"birth_date", "Birth date"}, {"citizenship", "Citizenship"},
                                            {"codice_fiscale", "Codice fiscale"}, {"phone", "Phone"}, {"email", "E-mail"},
                                            {"org", "Organisation"}, {"status", "Status"}};
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
        if (jstr(p, fields[k][0])) pdf_kv(d, web_tr(req, fields[k][1]), jstr(p, fields[k][0]));
    pdf_heading(d, 2, web_tr(req, "Consultations"));
    static const pdf_col_t cc[] = {{"Date", 0.15, PDF_LEFT}, {"Channel", 0.15, PDF_LEFT}, {"Topics", 0.3, PDF_LEFT}, {"Notes", 0.4, PDF_LEFT}};
    pdf_table_begin(d, cc, 4);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(x, "consultations"), i, it) {
        char *topics = json_dumps(json_object_get(it, "topics"), JSON_COMPACT);
        const char *cells[4] = {jstr(it, "date"), jstr(it, "channel"), topics, jstr(it, "notes")};
        pdf_table_row(d, cells);
        free(topics);
    }
    pdf_table_end(d);
    pdf_heading(d, 2, web_tr(req, "Procedures"));
    json_array_foreach(json_object_get(x, "procedures"), i, it) {
        pdf_kv(d, jstr(it, "title"), jstr(it, "status"));
        size_t k;
        json_t *dl;
        json_array_foreach(json_object_get(it, "deadlines"), k, dl) pdf_kv(d, jstr(dl, "date"), jstr(dl, "label"));
    }
    pdf_heading(d, 2, web_tr(req, "Who has seen this record"));
    static const pdf_col_t ac[] = {{"Who", 0.25, PDF_LEFT}, {"What", 0.35, PDF_LEFT}, {"Detail", 0.4, PDF_LEFT}};
    pdf_table_begin(d, ac, 3);
    json_array_foreach(json_object_get(x, "access_log"), i, it) {
        const char *cells[3] = {jstr(it, "username"), jstr(it, "action"), jstr(it, "detail")};
        pdf_table_row(d, cells);
    }
    pdf_table_end(d);
    rc = desk_web_audit(req, &c, "person.export", "person", id, id, json_integer_value(json_object_get(p, "org_id")), "pdf");
    json_decref(x);
    if (rc) {
        pdf_free(d);
        return rc;
    }
    return send_pdf(req, res, d, arena_printf(req->arena, "person-%lld.pdf", (long long)id));
}

static const route_t routes[] = {
    {"POST", "/api/v1/persons/{id}/consents", post_consent, R_WRITE},
    {"POST", "/api/v1/consents/{id}/withdraw", post_consent_withdraw, R_WRITE},
    {"POST", "/api/v1/persons/{id}/household", post_household, R_WRITE},
    {"DELETE", "/api/v1/household/{id}", delete_household, R_WRITE},
    {"POST", "/api/v1/persons/{id}/permits", post_permit, R_WRITE},
    {"DELETE", "/api/v1/permits/{id}", delete_permit, R_WRITE},
    {"POST", "/api/v1/persons/{id}/documents", post_document, R_WRITE},
    {"GET", "/api/v1/documents/{id}", get_document, 0},
    {"DELETE", "/api/v1/documents/{id}", delete_document, R_WRITE},
    {"POST", "/api/v1/desk/retention", post_retention, R_WRITE},
    {"POST", "/api/v1/desk/digest", post_digest, R_PUBLIC | R_WRITE | R_NO_CSRF},
    {"GET", "/api/v1/procedures/{id}/checklist.pdf", get_checklist_pdf, 0},
    {"GET", "/api/v1/persons/{id}/export.pdf", get_export_pdf, 0},
};

const route_t *desk_records_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}
