/* docs.c — documents (G7): minutes' files of a meeting and the library
 * (e-books of the laboratories, guides), network-only or public. Files go to
 * the one documents folder of the help desk (desk_document_write /
 * desk_document_path) with a random name; the type is read from the bytes. */
#include "internal.h"
#include "app/org.h"
#include "core/crypto.h"
#include "core/json.h"
#include "desk/desk.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* True when the ZIP at p[0..n) holds the entry `name` (its local header's
 * name is searched in the first 64 KiB, where a document's parts start). */
static bool zip_has(const unsigned char *p, size_t n, const char *name)
{
    size_t k = strlen(name), lim = n < 65536 ? n : 65536;
    for (size_t i = 0; i + 30 + k <= lim; i++)
        if (p[i] == 'P' && p[i + 1] == 'K' && p[i + 2] == 3 && p[i + 3] == 4 && memcmp(p + i + 30, name, k) == 0)
            return true;
    return false;
}

const char *mtg_sniff(const unsigned char *p, size_t n, const char **ext)
{
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) return *ext = "pdf", "application/pdf";
    if (n < 30 || memcmp(p, "PK\3\4", 4) != 0) return NULL;
    /* EPUB and ODF: an uncompressed "mimetype" first entry (OCF / ODF rule). */
    static const char epub[] = "mimetypeapplication/epub+zip";
    static const char odt[] = "mimetypeapplication/vnd.oasis.opendocument.text";
    if (n >= 30 + sizeof epub - 1 && memcmp(p + 30, epub, sizeof epub - 1) == 0)
        return *ext = "epub", "application/epub+zip";
    if (n >= 30 + sizeof odt - 1 && memcmp(p + 30, odt, sizeof odt - 1) == 0)
        return *ext = "odt", "application/vnd.oasis.opendocument.text";
    if (zip_has(p, n, "[Content_Types].xml") && zip_has(p, n, "word/"))
        return *ext = "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    return NULL;
}

/* Checks and stores the file of `in` under meeting `m` (or the library when
 * NULL), for organisation `org_id`. */
static int doc_store(const scope_t *sc, db_t *db, int64_t org_id, const mtg_meeting_t *m, const mtg_doc_input_t *in,
                     int64_t *doc_id, err_t *e)
{
    const char *ext = NULL;
    if (!in->len) return err_set(e, 422, "required", "file", "This field is required.");
    if (in->len > MTG_FILE_MAX) return err_set(e, 413, "too_large", "file", "A document is at most 20 MB.");
    const char *type = mtg_sniff((const unsigned char *)in->data, in->len, &ext);
    if (!type) return err_set(e, 415, "unsupported_media_type", "file", "Only PDF, EPUB, ODT and DOCX files are accepted.");
    if (in->visibility && strcmp(in->visibility, "network") != 0 && strcmp(in->visibility, "public") != 0)
        return err_set(e, 422, "invalid", "visibility", "A document is network (logged in) or public.");
    if (m && in->visibility && strcmp(in->visibility, "public") == 0)
        return err_set(e, 422, "invalid", "visibility", "A meeting's files are never public.");
    mtg_doc_input_t row = *in;
    json_t *jt = json_text(in->title && *in->title ? in->title : in->filename && *in->filename ? in->filename : "documento");
    char title[201], name[121], sha[CRYPTO_HASH_HEX], storage[64], path[1200];
    snprintf(title, sizeof title, "%s", json_string_value(jt));
    json_decref(jt);
    row.title = title;
    /* The download name: safe characters only, with the extension the bytes say. */
    size_t o = 0;
    const char *src = in->filename && *in->filename ? in->filename : "documento";
    const char *dot = strrchr(src, '.');
    for (const char *s = src; *s && s != dot && o < 100; s++)
        name[o++] = ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
                     *s == '_') ? *s : '_';
    snprintf(name + o, sizeof name - o, ".%s", ext);
    crypto_sha256_hex(in->data, in->len, sha);
    if (desk_document_write(in->data, in->len, storage) != 0)
        return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
    int rc = mtg_store_doc_insert(sc, db, org_id, m, &row, name, type, sha, storage, db_now(), doc_id);
    if (rc && desk_document_path(storage, path, sizeof path) == 0) unlink(path);
    return rc ? mtg_fail_db(e, rc) : 0;
}

int mtg_file_add(const scope_t *sc, db_t *db, int64_t id, const mtg_doc_input_t *in, int64_t *doc_id,
                 mtg_ref_t *ref, err_t *e)
{
    mtg_meeting_t m;
    int rc = mtg_managed(sc, db, id, false, &m, ref, e);
    if (rc) return rc;
    return doc_store(sc, db, m.org_id, &m, in, doc_id, e);
}

int mtg_doc_add(const scope_t *sc, db_t *db, const mtg_doc_input_t *in, int64_t *doc_id, mtg_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MEETING_MANAGE, e);
    if (rc) return rc;
    org_t org;
    rc = org_visible(sc, db, in->org ? in->org : sc->org_code, &org);
    if (rc < 0) return mtg_fail_db(e, rc);
    if (rc || !scope_covers(sc, org.path))
        return err_set(e, 422, "unknown_org", "org", "Unknown organisation, or not one of yours.");
    if ((rc = doc_store(sc, db, org.id, NULL, in, doc_id, e))) return rc;
    ref->id = *doc_id;
    ref->org_id = org.id;
    ref->person_id = 0;
    ref->is_case = false;
    return 0;
}

int mtg_doc_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    if (sc->role != ROLE_NONE) {
        int rc = scope_require(sc, CAP_MEETING_READ, e);
        if (rc) return rc;
    }
    int rc = mtg_store_doc_list(sc, db, cursor, limit, items);
    return rc ? mtg_fail_db(e, rc) : 0;
}

int mtg_doc_open(const scope_t *sc, db_t *db, int64_t id, json_t **row, str_t *content, mtg_ref_t *ref, err_t *e)
{
    *row = NULL;
    int rc;
    if (sc->role != ROLE_NONE && (rc = scope_require(sc, CAP_MEETING_READ, e))) return rc;
    rc = mtg_store_doc_get(sc, db, id, row);
    if (rc == 1 && sc->role == ROLE_NONE) return err_set(e, 401, "unauthenticated", NULL, "Please log in.");
    if ((rc = mtg_store_result(e, rc))) return rc;
    memset(ref, 0, sizeof *ref);
    ref->id = id;
    ref->org_id = json_integer_value(json_object_get(*row, "org_id"));
    int64_t meeting_id = json_integer_value(json_object_get(*row, "meeting_id"));
    if (meeting_id) {
        /* A minutes file is seen as its meeting is (G2). */
        mtg_meeting_t m;
        mtg_ref_t mref;
        if ((rc = mtg_load(sc, db, meeting_id, &m, &mref, e))) return rc;
        ref->person_id = mref.person_id;
        ref->is_case = mref.is_case;
    }
    return desk_document_row_read(row, content) ? mtg_store_result(e, 1) : 0;
}
