/* records.c — the operations on what else is held about a person: consents,
 * household links, permits, uploaded documents; the retention setting and
 * the daily digest. No SQL (store), no HTTP (records_web.c, pages).
 *
 * Documents: the body is the file itself; its type is sniffed from the
 * content, never taken from the client; only PDF, PNG and JPEG are kept.
 * Files live under one documents folder (desk_document_path: the variable
 * LABIMPACT_DOCUMENTS, else var/documents) outside the web root, never
 * served by the static handler, with a random name, 0600, fsync'ed before
 * the row commits. */
#include "desk.h"
#include "ops.h"
#include "app/outbox.h"
#include "core/crypto.h"
#include "core/json.h"
#include "store.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The active person `pid` of the scope, for a record about them: 1 when
 * absent, -409 when anonymised or merged. */
static int person_for_record(desk_ctx_t *c, int64_t pid, desk_person_ref_t *p, err_t *e)
{
    int rc = desk_store_person_load(&c->scope, c->db, pid, p, NULL);
    if (rc) return rc;
    if (!p->active) return err_set(e, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
    return 0;
}

int desk_consent_create(desk_ctx_t *c, int64_t pid, const json_t *body, int64_t *id, int64_t *org_id, err_t *e)
{
    static const char *const allowed[] = {"kind", "given_on", "note", NULL};
    const char *kind, *on, *note;
    desk_person_ref_t p;
    char today[11];
    date_today(today, 0);
    int rc = person_for_record(c, pid, &p, e);
    if (rc || (rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "kind", true, 60, &kind, e)) ||
        (rc = jin_str((json_t *)body, "given_on", false, 10, &on, e)) ||
        (rc = jin_str((json_t *)body, "note", false, 500, &note, e)))
        return rc;
    if (on && (!date_valid(on) || strcmp(on, today) > 0))
        return err_set(e, 422, "invalid", "given_on", "This date cannot be in the future.");
    desk_record_ref_t ref;
    rc = desk_store_consent_insert(&c->scope, c->db, &p, kind, on ? on : today, note, db_now(), &ref);
    *id = ref.id;
    *org_id = p.org_id;
    return rc;
}

int desk_consent_withdraw(desk_ctx_t *c, int64_t id, int64_t *person_id, int64_t *org_id)
{
    desk_record_ref_t ref;
    int rc = desk_store_record_load(&c->scope, c->db, "consent", id, &ref, NULL);
    if (rc) return rc;
    *person_id = ref.person_id;
    *org_id = ref.org_id;
    char today[11];
    date_today(today, 0);
    return desk_store_consent_withdraw(&c->scope, c->db, &ref, today);
}

int desk_household_create(desk_ctx_t *c, int64_t pid, const json_t *body, int64_t *id, int64_t *org_id,
                          int64_t *other_id, int64_t *other_org, err_t *e)
{
    static const char *const allowed[] = {"other_id", "relation", NULL};
    static const char *const relations[] = {"spouse", "partner", "child", "parent", "sibling", "other", NULL};
    const char *rel;
    bool has;
    desk_person_ref_t p, other;
    int rc = person_for_record(c, pid, &p, e);
    if (rc || (rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "other_id", true, 1, INT64_MAX, other_id, &has, e)) ||
        (rc = jin_str((json_t *)body, "relation", true, 16, &rel, e)))
        return rc;
    bool ok = false;
    for (int i = 0; relations[i]; i++) ok = ok || !strcmp(relations[i], rel);
    if (!ok) return err_set(e, 422, "invalid", "relation", "Choose one of the listed values.");
    rc = *other_id == pid ? 1 : desk_store_person_load(&c->scope, c->db, *other_id, &other, NULL);
    if (rc == 1) return err_set(e, 422, "unknown_person", "other_id", "Unknown person.");
    if (rc) return rc;
    desk_record_ref_t ref;
    rc = desk_store_household_insert(&c->scope, c->db, &p, &other, rel, db_now(), &ref);
    *id = ref.id;
    *org_id = p.org_id;
    *other_org = other.org_id;
    return rc;
}

int desk_permit_create(desk_ctx_t *c, int64_t pid, const json_t *body, int64_t *id, int64_t *org_id, err_t *e)
{
    static const char *const allowed[] = {"kind", "number", "issued_on", "expiry", NULL};
    const char *kind, *number, *issued, *expiry;
    desk_person_ref_t p;
    int rc = person_for_record(c, pid, &p, e);
    if (rc || (rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "kind", true, 60, &kind, e)) ||
        (rc = jin_str((json_t *)body, "number", false, 40, &number, e)) ||
        (rc = jin_str((json_t *)body, "issued_on", false, 10, &issued, e)) ||
        (rc = jin_str((json_t *)body, "expiry", true, 10, &expiry, e)))
        return rc;
    if (issued && !date_valid(issued)) return err_set(e, 422, "invalid", "issued_on", "Enter a real date as YYYY-MM-DD.");
    if (!date_valid(expiry) || (issued && strcmp(expiry, issued) < 0))
        return err_set(e, 422, "invalid", "expiry", "Enter a real date as YYYY-MM-DD.");
    desk_record_ref_t ref;
    rc = desk_store_permit_insert(&c->scope, c->db, &p, kind, number, issued, expiry, db_now(), &ref);
    *id = ref.id;
    *org_id = p.org_id;
    return rc;
}

/* ---- documents ------------------------------------------------------------------ */

/* The documents folder: LABIMPACT_DOCUMENTS, else var/documents under desk_home(). */
static const char *documents_dir(void)
{
    static _Thread_local char dir[1100];
    const char *env = getenv("LABIMPACT_DOCUMENTS");
    if (env && *env) snprintf(dir, sizeof dir, "%s", env);
    else snprintf(dir, sizeof dir, "%s/var/documents", desk_home());
    return dir;
}

int desk_document_path(const char *storage, char *out, size_t len)
{
    if (!storage || !*storage || strchr(storage, '/')) return -1;
    int n = snprintf(out, len, "%s/%s", documents_dir(), storage);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

const char *desk_document_sniff(const unsigned char *p, size_t n, const char **ext)
{
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) return *ext = "pdf", "application/pdf";
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return *ext = "png", "image/png";
    if (n >= 3 && memcmp(p, "\xFF\xD8\xFF", 3) == 0) return *ext = "jpg", "image/jpeg";
    return NULL;
}

int desk_document_write(const char *data, size_t len, char name[64])
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

int desk_file_keep(const char *data, size_t len, const char *title, const char *filename, desk_file_t *out)
{
    const char *ext = NULL;
    out->type = desk_document_sniff((const unsigned char *)data, len, &ext);
    if (!out->type) return -415;
    if (!title || !*title) title = filename && *filename ? filename : "document";
    json_t *jt = json_text(title);
    snprintf(out->title, sizeof out->title, "%s", json_string_value(jt));
    json_decref(jt);
    /* The download name: safe characters only, with the sniffed extension. */
    size_t o = 0;
    for (const char *s = filename && *filename ? filename : "document"; *s && o < 100; s++)
        out->filename[o++] = ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                              *s == '-' || *s == '_') ? *s : '_';
    snprintf(out->filename + o, sizeof out->filename - o, ".%s", ext);
    crypto_sha256_hex(data, len, out->sha256);
    return desk_document_write(data, len, out->storage) == 0 ? 0 : -1;
}

int desk_document_create(desk_ctx_t *c, int64_t pid, const char *title, const char *filename, const char *data,
                         size_t len, int64_t *id, int64_t *org_id, err_t *e)
{
    desk_person_ref_t p;
    int rc = person_for_record(c, pid, &p, e);
    if (rc) return rc;
    if (!len) return err_set(e, 422, "required", "file", "This field is required.");
    desk_file_t f;
    rc = desk_file_keep(data, len, title, filename, &f);
    if (rc == -415) return err_set(e, 415, "unsupported_media_type", "file", "Only PDF, PNG and JPEG files are accepted.");
    if (rc) return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
    char path[1200];
    desk_record_ref_t ref;
    rc = desk_store_document_insert(&c->scope, c->db, &p, f.title, f.filename, f.type, (int64_t)len, f.sha256,
                                    f.storage, db_now(), &ref);
    if (rc && desk_document_path(f.storage, path, sizeof path) == 0) unlink(path);
    *id = ref.id;
    *org_id = p.org_id;
    return rc;
}

int desk_document_open(desk_ctx_t *c, int64_t id, json_t **row, str_t *content)
{
    desk_record_ref_t ref;
    int rc = desk_store_record_load(&c->scope, c->db, "person_document", id, &ref, row);
    return rc ? rc : desk_document_row_read(row, content);
}

int desk_document_read(const char *storage, str_t *content)
{
    char path[1200];
    return desk_document_path(storage, path, sizeof path) == 0 && str_read_file(content, path) == 0 ? 0 : 1;
}

int desk_document_row_read(json_t **row, str_t *content)
{
    if (desk_document_read(jstr(*row, "storage"), content)) {
        json_decref(*row);
        *row = NULL;
        return 1;
    }
    json_object_del(*row, "storage");
    return 0;
}

int desk_record_delete(desk_ctx_t *c, const char *kind, int64_t id, int64_t *person_id, int64_t *org_id)
{
    desk_record_ref_t ref;
    json_t *row = NULL;
    int rc = desk_store_record_load(&c->scope, c->db, kind, id, &ref, &row);
    if (!rc) rc = desk_store_record_delete(c->db, &ref);
    char path[1200];
    if (!rc && !strcmp(kind, "person_document") && desk_document_path(jstr(row, "storage"), path, sizeof path) == 0)
        unlink(path);
    json_decref(row);
    *person_id = ref.person_id;
    *org_id = ref.org_id;
    return rc;
}

/* ---- retention and digest ---------------------------------------------------------- */

int desk_retention_years(desk_ctx_t *c)
{
    char v[32];
    int years = desk_store_setting_get(c->db, "desk.retention_years", v, sizeof v) == 0 ? atoi(v) : 5;
    return years < 1 ? 5 : years;
}

int desk_digest_queue(db_t *db, const char *today, size_t *sent)
{
    json_t *users = json_array();
    int rc = desk_store_digest_recipients(db, today, users);
    size_t i;
    json_t *u;
    *sent = 0;
    json_array_foreach(users, i, u) {
        if (rc) break;
        desk_ctx_t c; /* the recipient's district, for counts only: no audit */
        memset(&c, 0, sizeof c);
        c.db = db;
        c.lang = "it";
        c.can_read = true;
        c.scope.role = ROLE_OPERATOR;
        c.scope.org_id = jint(u, "org_id");
        scope_set_path(&c.scope, jstr(u, "org_path"));
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
        rc = outbox_enqueue(db, jstr(u, "email"), subject, str_cstr(&body), "desk.digest", today, &oid);
        str_release(&body);
        if (!rc) rc = desk_store_digest_mark(db, u, today, oid);
        if (!rc) (*sent)++;
    }
    json_decref(users);
    return rc;
}
