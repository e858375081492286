/* service.c — services of the directory (directory.h, D4): creation by
 * editors and coordinators for organisations of their subtree, with every
 * field checked (e-mail, http(s) URL, ISO 639 languages, taxonomy terms,
 * weekly opening hours as RFC 5545 BYDAY with times). */
#include "internal.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True for "HH:MM" (00:00 .. 24:00). */
static bool hhmm_ok(const char *s)
{
    int h, m;
    char c;
    return s && strlen(s) == 5 && sscanf(s, "%2d:%2d%c", &h, &m, &c) == 2 && h >= 0 && m >= 0 && m < 60 &&
           (h < 24 || (h == 24 && m == 0));
}

/* True for an RFC 5545 BYDAY list of plain weekdays: "MO,WE,FR". */
static bool byday_ok(const char *s)
{
    static const char days[] = "MOTUWETHFRSASU";
    size_t n = s ? strlen(s) : 0;
    if (n < 2 || n > 20 || (n + 1) % 3) return false;
    for (size_t i = 0; i < n; i += 3) {
        bool hit = false;
        for (size_t d = 0; d < 14; d += 2) hit |= s[i] == days[d] && s[i + 1] == days[d + 1];
        if (!hit || (i + 2 < n && s[i + 2] != ',')) return false;
    }
    return true;
}

/* Checks the weekly hours: [{"byday","opens_at","closes_at","description"?}]. */
static int schedules_check(const json_t *v, err_t *e)
{
    size_t i;
    json_t *o;
    if (!v) return 0;
    if (!json_is_array(v) || json_array_size(v) > 14) goto bad;
    json_array_foreach(v, i, o) {
        const char *from = jstr(o, "opens_at"), *to = jstr(o, "closes_at"), *note = jstr(o, "description");
        if (!json_is_object(o) || json_object_size(o) > 4 || !byday_ok(jstr(o, "byday")) || !hhmm_ok(from) ||
            !hhmm_ok(to) || strcmp(from, to) >= 0 || (json_object_get(o, "description") && (!note || strlen(note) > 200)))
            goto bad;
    }
    return 0;
bad:
    return err_set(e, 422, "invalid", "schedules",
                   "Opening hours are [{\"byday\": \"MO,WE\", \"opens_at\": \"09:00\", \"closes_at\": \"12:00\"}].");
}

/* Checks the formats of a service's fields. */
static int service_check(const dir_service_input_t *in, err_t *e)
{
    if (in->email && *in->email && !dir_email_valid(in->email))
        return err_set(e, 422, "invalid", "email", "This is not an e-mail address.");
    if (in->url && *in->url && !dir_url_valid(in->url))
        return err_set(e, 422, "invalid", "url", "The address must be an http:// or https:// URL.");
    if (in->postal_code && *in->postal_code &&
        (strlen(in->postal_code) != 5 || strspn(in->postal_code, "0123456789") != 5))
        return err_set(e, 422, "invalid", "address.postal_code", "The postal code (CAP) has five digits.");
    return schedules_check(in->schedules, e);
}

/* The words of name and description for ?search= (store_service.c): each
 * after one space, lower-case (ASCII folding), any other ASCII character a
 * separator: " sportello immigrati cremona". */
void dir_search_text(const dir_service_input_t *in, char *out, size_t n)
{
    char *raw = malloc(n);
    if (!raw || n < 2) {
        free(raw);
        if (n) *out = '\0';
        return;
    }
    snprintf(raw, n, "%s %s", in->name, in->description ? in->description : "");
    size_t k = 0;
    bool space = false;
    for (const unsigned char *c = (const unsigned char *)raw; *c && k + 2 < n; c++) {
        bool word = *c >= 0x80 || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
        if (!word) {
            space = true;
            continue;
        }
        if (space || k == 0) out[k++] = ' ';
        space = false;
        out[k++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    }
    out[k] = '\0';
    free(raw);
}

int dir_service_create(const scope_t *sc, db_t *db, const dir_service_input_t *in, dir_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_SERVICE_MANAGE, e);
    if (rc || (rc = service_check(in, e))) return rc;
    dir_org_t o;
    if ((rc = dir_store_org(sc, db, in->org ? in->org : sc->org_code, &o)))
        return rc == 1 ? err_set(e, 404, "not_found", "org", "Not found.") : dir_fail(rc, e);
    char text[DIR_TEXT_MAX * 4 + DIR_NAME_MAX * 4 + 2];
    dir_search_text(in, text, sizeof text);
    if ((rc = dir_store_service_insert(db, &o, in, text, db_now(), &ref->id))) return dir_fail(rc, e);
    ref->org_id = o.id;
    return 0;
}

int dir_service_update(const scope_t *sc, db_t *db, int64_t id, const dir_service_input_t *in, dir_ref_t *ref,
                       err_t *e)
{
    int rc = scope_require(sc, CAP_SERVICE_MANAGE, e);
    if (rc || (rc = service_check(in, e))) return rc;
    dir_service_ref_t s;
    dir_org_t o;
    if ((rc = dir_store_service_own(sc, db, id, &s))) return dir_fail(rc, e);
    if (in->org) {
        if ((rc = dir_store_org(sc, db, in->org, &o)))
            return rc == 1 ? err_set(e, 422, "invalid", "org", "Name an organisation of your network.") : dir_fail(rc, e);
    } else o.id = s.org_id;
    char text[DIR_TEXT_MAX * 4 + DIR_NAME_MAX * 4 + 2];
    dir_search_text(in, text, sizeof text);
    if ((rc = dir_store_service_update(db, &s, &o, in, text, db_now()))) return dir_fail(rc, e);
    ref->id = s.id;
    ref->org_id = o.id;
    return 0;
}

int dir_service_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, dir_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_SERVICE_MANAGE, e);
    dir_service_ref_t s;
    if (rc) return rc;
    if ((rc = dir_store_service_own(sc, db, id, &s)) || (rc = dir_store_service_edit_json(db, &s, out)))
        return dir_fail(rc, e);
    ref->id = s.id;
    ref->org_id = s.org_id;
    return 0;
}

int dir_service_list_own(const scope_t *sc, db_t *db, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_SERVICE_MANAGE, e);
    if (rc) return rc;
    return (rc = dir_store_service_list_own(sc, db, 1000, items)) ? dir_fail(rc, e) : 0;
}

int dir_org_options(const scope_t *sc, db_t *db, const char *selected, json_t *items, err_t *e)
{
    int rc = dir_store_org_options(sc, db, selected, items);
    return rc ? dir_fail(rc, e) : 0;
}
