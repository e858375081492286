/* attachments.c — files attached to a material per language (a leaflet in
 * Arabic, a form in Italian), and the review-by reminders.
 *
 * Attachments are uploaded as the desk's documents are: the body is the
 * file, its type sniffed from the bytes (PDF, PNG, JPEG; never the
 * client's word), stored under the one documents folder by a random name
 * (desk_document_write / desk_document_path). The public reads them beside
 * the material in the visitor's language, else the Italian ones, marked. */
#include "internal.h"
#include "app/settings.h"
#include "app/outbox.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/json.h"
#include "core/str.h"
#include "desk/desk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* `s` with only [A-Za-z0-9_-] kept (others become '_'), at most 100, then ".ext". */
static void clean_filename(const char *s, const char *ext, char out[121])
{
    size_t o = 0;
    for (s = s && *s ? s : "attachment"; *s && o < 100; s++)
        out[o++] = ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
                    *s == '_')
                       ? *s
                       : '_';
    snprintf(out + o, 121 - o, ".%s", ext);
}

int info_attachment_create(const scope_t *sc, db_t *db, int64_t id, const char *lang, const char *title,
                           const char *filename, const char *data, size_t len, int64_t *att_id, info_ref_t *ref,
                           err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    info_material_t m;
    if (rc || (rc = info_store_material_load(sc, db, id, &m))) return rc;
    if (!lang || (strcmp(lang, "it") != 0 && !info_lang_valid(lang)))
        return err_set(e, 422, "invalid", "lang", "The language is it or one of the portal's languages.");
    if (!len) return err_set(e, 422, "required", "file", "The file is required.");
    if (len > INFO_ATTACHMENT_MAX) return err_set(e, 413, "too_large", "file", "The file is larger than 20 MB.");
    const char *ext = NULL, *type = desk_document_sniff((const unsigned char *)data, len, &ext);
    if (!type) return err_set(e, 415, "unsupported_media_type", "file", "Only PDF, PNG and JPEG files are accepted.");
    if (title && strlen(title) > INFO_TITLE_MAX * 4) return err_set(e, 422, "too_long", "title", "The title is too long.");
    json_t *jt = json_text(title && *title ? title : filename && *filename ? filename : "attachment");
    char clean_title[INFO_TITLE_MAX * 4 + 1], clean_name[121], sha[CRYPTO_HASH_HEX], name[64], path[1200];
    snprintf(clean_title, sizeof clean_title, "%s", json_string_value(jt));
    json_decref(jt);
    clean_filename(filename, ext, clean_name);
    crypto_sha256_hex(data, len, sha);
    if (desk_document_write(data, len, name) != 0)
        return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
    rc = info_store_attachment_insert(db, &m, lang, clean_title, clean_name, type, (int64_t)len, sha, name,
                                      sc->user_id, db_now(), att_id);
    if (rc && desk_document_path(name, path, sizeof path) == 0) unlink(path);
    *ref = (info_ref_t){m.id, m.org_id};
    return rc;
}

int info_attachment_delete(const scope_t *sc, db_t *db, int64_t att_id, info_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    info_material_t m;
    char storage[64], path[1200];
    if (rc || (rc = info_store_attachment_load(sc, db, att_id, &m, storage))) return rc;
    if ((rc = info_store_attachment_delete(db, &m, att_id))) return rc;
    /* The file goes with the row; a crash between leaves an orphan file, never a dangling row. */
    if (desk_document_path(storage, path, sizeof path) == 0) unlink(path);
    *ref = (info_ref_t){m.id, m.org_id};
    return 0;
}

int info_attachment_list(const scope_t *sc, db_t *db, int64_t id, json_t *items, info_ref_t *ref, err_t *e)
{
    info_material_t m;
    int rc = info_may_read(sc, e);
    if (rc || (rc = info_store_material_load(sc, db, id, &m))) return rc;
    *ref = (info_ref_t){m.id, m.org_id};
    return info_store_attachment_list(db, &m, "", items);
}

int info_public_attachments(db_t *db, int64_t id, const char *lang, json_t *items, err_t *e)
{
    (void)e;
    info_material_t m;
    int rc = info_store_material_public(db, id, &m);
    if (rc) return rc;
    const char *l = info_lang_valid(lang) ? lang : "it";
    if ((rc = info_store_attachment_list(db, &m, l, items))) return rc;
    if (json_array_size(items) || !strcmp(l, "it")) return 0;
    if ((rc = info_store_attachment_list(db, &m, "it", items))) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) json_object_set_new(it, "fallback", json_true());
    return 0;
}

int info_attachment_open(db_t *db, int64_t att_id, json_t **row, str_t *content)
{
    int rc = info_store_attachment_public(db, att_id, row);
    if (rc) return rc;
    return desk_document_row_read(row, content);
}

/* ---- review-by reminders ------------------------------------------------------------- */

/* Queues the reminder of one editor: the materials of rows [from, to) of `due`. */
static int remind_one(db_t *db, json_t *due, size_t from, size_t to)
{
    json_t *first = json_array_get(due, from);
    str_t body = STR_INIT;
    str_adds(&body, "Questi materiali informativi hanno superato la data di revisione.\n"
                    "These information materials are past their review-by date.\n\n");
    for (size_t i = from; i < to; i++) {
        json_t *r = json_array_get(due, i);
        str_addf(&body, "- %s (%s)\n  %s/info/editor/%lld\n", jstr_or_empty(r, "title"), jstr_or_empty(r, "review_by"),
                 settings_public_url(), (long long)json_integer_value(json_object_get(r, "material_id")));
    }
    char ref[40];
    snprintf(ref, sizeof ref, "user:%lld", (long long)json_integer_value(json_object_get(first, "user_id")));
    int rc = outbox_enqueue_for(db, json_integer_value(json_object_get(first, "org_id")), jstr(first, "email"),
                                "Materiali da rivedere / Materials to review", str_cstr(&body), "info.review", ref,
                                NULL);
    str_release(&body);
    return rc;
}

int info_review_reminders(db_t *db, const char *today, size_t *sent, size_t *materials)
{
    json_t *due = json_array();
    int rc = info_store_review_due(db, today, due);
    size_t n = json_array_size(due), start = 0;
    *sent = *materials = 0;
    for (size_t i = 1; !rc && i <= n; i++) {
        json_int_t u = json_integer_value(json_object_get(json_array_get(due, start), "user_id"));
        if (i < n && json_integer_value(json_object_get(json_array_get(due, i), "user_id")) == u) continue;
        if (!(rc = remind_one(db, due, start, i))) (*sent)++;
        start = i;
    }
    /* Every material reminded of is marked once, whoever got it. */
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t mid = json_integer_value(json_object_get(json_array_get(due, i), "material_id"));
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = json_integer_value(json_object_get(json_array_get(due, k), "material_id")) == mid;
        if (!seen && !(rc = info_store_review_mark(db, mid))) (*materials)++;
    }
    json_decref(due);
    return rc;
}

int info_material_overdue(const scope_t *sc, db_t *db, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    char today[11];
    date_today(today, 0);
    return rc ? rc : info_store_material_overdue(sc, db, today, items);
}
