/* contacts.c — the contacts and office hours of every desk and office:
 * address, phone, e-mail, "by appointment", a note, and the weekly hours
 * (open hours and the weekly digital-facilitation afternoon, kind
 * "facilitation"). Written by the district's coordinator or editor for the
 * organisations of their area; read by anyone on the district's page and on
 * /info. No personal data: an office's own contacts. */
#include "internal.h"
#include "core/json.h"
#include <string.h>

const capability_t cap_contact_edit = {"contact.edit", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COORDINATOR) |
                                                           ROLE_BIT(ROLE_EDITOR)};

/* True for "HH:MM", 00:00 .. 23:59. */
static bool hhmm_valid(const char *s)
{
    return s && strlen(s) == 5 && s[2] == ':' && strspn(s, "0123456789:") == 5 && s[0] <= '2' &&
           (s[0] < '2' || s[1] <= '3') && s[3] <= '5';
}

/* True for a phone number: digits, spaces and + - ( ) / ., at least 6 digits. */
static bool phone_valid(const char *s)
{
    size_t digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') digits++;
        else if (!strchr(" +-()/.", *p)) return false;
    }
    return digits >= 6 && strlen(s) <= 40;
}

/* Checks `hours` (NULL: none): at most 28 rows {"weekday","opens","closes","kind"?}; sets kind. */
static int hours_valid(json_t *hours, err_t *e)
{
    if (!hours) return 0;
    if (!json_is_array(hours) || json_array_size(hours) > 28)
        return err_set(e, 422, "invalid", "hours", "Give at most 28 opening hours.");
    size_t i;
    json_t *h;
    json_array_foreach(hours, i, h) {
        json_t *wd = json_object_get(h, "weekday");
        const char *o = jstr(h, "opens"), *c = jstr(h, "closes"), *k = jstr(h, "kind");
        if (!json_is_object(h) || !json_is_integer(wd) || json_integer_value(wd) < 1 || json_integer_value(wd) > 7)
            return err_set(e, 422, "invalid", "hours", "Each day is 1 (Monday) to 7 (Sunday).");
        if (!hhmm_valid(o) || !hhmm_valid(c) || strcmp(c, o) <= 0)
            return err_set(e, 422, "invalid", "hours", "Hours are HH:MM, closing after opening.");
        if (k && strcmp(k, "open") != 0 && strcmp(k, "facilitation") != 0)
            return err_set(e, 422, "invalid", "hours", "The kind of hours is open or facilitation.");
        if (!k) json_object_set_new(h, "kind", json_string("open"));
    }
    return 0;
}

/* The organisation `code` when the scope may edit its contacts: 0, 1 (404) or DB_E*. */
static int contact_org(const scope_t *sc, db_t *db, const char *code, org_t *org)
{
    int rc = code && *code ? org_visible(sc, db, code, org) : 1;
    return rc == 0 && !scope_covers(sc, org->path) ? 1 : rc;
}

int info_contact_put(const scope_t *sc, db_t *db, const char *code, json_t *body, info_ref_t *ref, err_t *e)
{
    static const char *const allowed[] = {"address", "phone", "email", "by_appointment", "note", "hours", NULL};
    const char *address = NULL, *phone = NULL, *email = NULL, *note = NULL;
    bool appointment = false, has;
    org_t org;
    int rc = scope_require(sc, CAP_CONTACT_EDIT, e);
    if (rc || (rc = contact_org(sc, db, code, &org))) return rc;
    json_t *hours = json_object_get(body, "hours");
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "address", false, 300, &address, e)) ||
        (rc = jin_str(body, "phone", false, 40, &phone, e)) || (rc = jin_str(body, "email", false, 254, &email, e)) ||
        (rc = jin_str(body, "note", false, 500, &note, e)) ||
        (rc = jin_bool(body, "by_appointment", false, &appointment, &has, e)) || (rc = hours_valid(hours, e)))
        return rc;
    if (phone && *phone && !phone_valid(phone))
        return err_set(e, 422, "invalid", "phone", "The phone number has digits, spaces and + - ( ) only.");
    if (email && *email && !info_email_ok(email)) return err_set(e, 422, "invalid", "email", "Give a valid e-mail address.");
    if ((rc = info_store_contact_put(db, &org, address ? address : "", phone ? phone : "", email ? email : "",
                                     appointment, note ? note : "", hours, sc->user_id, db_now())))
        return rc;
    *ref = (info_ref_t){org.id, org.id};
    return 0;
}

int info_contact_read(const scope_t *sc, db_t *db, const char *code, json_t **out, info_ref_t *ref, err_t *e)
{
    org_t org;
    int rc = scope_require(sc, CAP_CONTACT_EDIT, e);
    if (rc || (rc = contact_org(sc, db, code, &org)) || (rc = info_store_contact_get(db, &org, out))) return rc;
    *ref = (info_ref_t){org.id, org.id};
    return 0;
}

int info_public_contacts(db_t *db, const char *code, json_t *items, err_t *e)
{
    (void)e;
    org_t org;
    int rc = code && *code ? org_public(db, code, &org) : 1;
    return rc ? rc : info_store_contacts_public(db, org.path, items);
}

int info_public_contacts_all(db_t *db, json_t *items, err_t *e)
{
    (void)e;
    return info_store_contacts_public(db, "", items);
}

int info_contact_orgs(const scope_t *sc, db_t *db, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_CONTACT_EDIT, e);
    return rc ? rc : info_store_contact_orgs(sc, db, items);
}
