/* association.c — the associations register (directory.h, rules D1-D3):
 * self-registration confirmed by e-mail, the district's review, the public
 * list and profiles, and the association's own changes. */
#include "internal.h"
#include "app/outbox.h"
#include "app/store.h"
#include "core/crypto.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

static const char *const legal_forms[] = {"aps", "odv", "ets", "cooperative", "foundation", "informal", "other", NULL};

/* Checks the formats of an association's fields (those given). */
static int association_check(const dir_association_input_t *in, err_t *e)
{
    if (in->email && !dir_email_valid(in->email))
        return err_set(e, 422, "invalid", "email", "This is not an e-mail address.");
    if (in->website && *in->website && !dir_url_valid(in->website))
        return err_set(e, 422, "invalid", "website", "The website must be an http:// or https:// address.");
    if (in->runts && *in->runts && !dir_runts_valid(in->runts))
        return err_set(e, 422, "invalid", "runts", "The RUNTS number has 1 to 12 digits.");
    if (in->legal_form && *in->legal_form) {
        size_t i = 0;
        while (legal_forms[i] && strcmp(legal_forms[i], in->legal_form) != 0) i++;
        if (!legal_forms[i])
            return err_set(e, 422, "invalid", "legal_form",
                           "The legal form is one of aps, odv, ets, cooperative, foundation, informal, other.");
    }
    return 0;
}

int dir_association_register(db_t *db, const dir_association_input_t *in, const char *base_url, dir_ref_t *ref,
                             err_t *e)
{
    dir_district_t d;
    int rc = association_check(in, e);
    if (rc) return rc;
    if ((rc = dir_store_district_public(db, in->org, &d)))
        return rc == 1 ? err_set(e, 422, "invalid", "org", "Choose a district (ambito) by its code.") : dir_fail(rc, e);
    char token[CRYPTO_TOKEN_LEN + 1];
    crypto_token(token);
    int64_t now = db_now();
    if ((rc = dir_store_association_insert(db, &d, in, token, now, &ref->id))) return dir_fail(rc, e);
    ref->org_id = d.id;
    char body[1024];
    snprintf(body, sizeof body,
             "Grazie per la registrazione di \"%s\" nell'elenco delle associazioni (%s).\n"
             "Confermate l'indirizzo e-mail aprendo questo collegamento:\n%s/associazioni/conferma/%s\n\n"
             "Thank you for registering \"%s\". Confirm your e-mail address by opening the link above.\n",
             in->name, d.name, base_url, token, in->name);
    if ((rc = outbox_enqueue_for(db, d.id, in->email, "Conferma la registrazione / Confirm your registration", body,
                                 "directory.confirm", NULL, NULL)))
        return dir_fail(rc, e);
    return 0;
}

int dir_association_confirm(db_t *db, const char *token, bool apply, char *name, dir_ref_t *ref, err_t *e)
{
    dir_association_t a;
    int rc = dir_store_association_by_token(db, token ? token : "", &a);
    if (!rc && apply && !a.email_confirmed) rc = dir_store_association_confirm(db, &a, db_now());
    if (rc) return dir_fail(rc, e);
    snprintf(name, 256, "%s", a.name);
    ref->id = a.id;
    ref->org_id = a.org_id;
    return 0;
}

/* D3: the account of an approved association, its one-time password mailed. */
static int association_account(db_t *db, const dir_association_t *a, const char *base_url, int64_t *uid,
                               err_t *e)
{
    char username[32], password[20], hash[CRYPTO_PWHASH_LEN], body[1024];
    snprintf(username, sizeof username, "assoc-%lld", (long long)a->id);
    crypto_random_password(password, 16);
    if (crypto_password_hash(password, hash) != 0) return err_set(e, 500, "internal", NULL, "Internal error.");
    int rc = store_user_create(db, username, hash, a->name, a->email, ROLE_ASSOCIATION, a->org_id, db_now(), uid);
    if (!rc) rc = store_user_password_one_time(db, *uid);
    if (rc) return dir_fail(rc, e);
    snprintf(body, sizeof body,
             "L'associazione \"%s\" è stata approvata ed è ora nell'elenco pubblico.\n"
             "Accesso: %s/login\nNome utente: %s\nPassword provvisoria (da cambiare al primo accesso): %s\n\n"
             "Your association was approved. Log in with the account above and choose your own password.\n",
             a->name, base_url, username, password);
    rc = outbox_enqueue_for(db, a->org_id, a->email, "Associazione approvata / Association approved", body,
                            "directory.review", NULL, NULL);
    return rc ? dir_fail(rc, e) : 0;
}

/* Tells a rejected association why. */
static int association_rejected(db_t *db, const dir_association_t *a, const char *reason, err_t *e)
{
    char body[2600];
    snprintf(body, sizeof body,
             "La richiesta di iscrizione di \"%s\" non è stata accolta.\nMotivo: %s\n\n"
             "Your registration was not accepted. Reason: see above.\n",
             a->name, reason);
    int rc = outbox_enqueue_for(db, a->org_id, a->email, "Iscrizione non accolta / Registration not accepted", body,
                                "directory.review", NULL, NULL);
    return rc ? dir_fail(rc, e) : 0;
}

int dir_association_review(const scope_t *sc, db_t *db, int64_t id, const char *decision, const char *reason,
                           const char *base_url, dir_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_ASSOCIATION_REVIEW, e);
    if (rc) return rc;
    dir_association_t a;
    if ((rc = dir_store_association_own(sc, db, id, &a))) return dir_fail(rc, e);
    ref->id = a.id;
    ref->org_id = a.org_id;
    bool approve = decision && strcmp(decision, "approve") == 0;
    if (!approve && !(decision && strcmp(decision, "reject") == 0))
        return err_set(e, 422, "invalid", "decision", "The decision is approve or reject.");
    if (!approve && (!reason || !*reason))
        return err_set(e, 422, "required", "reason", "Give the reason of a rejection.");
    if (strcmp(a.status, "pending") != 0)
        return err_set(e, 409, "already_reviewed", NULL, "This association was already reviewed.");
    if (!a.email_confirmed)
        return err_set(e, 409, "not_confirmed", NULL, "The association has not confirmed its e-mail address yet.");
    int64_t uid = 0;
    if (approve) rc = association_account(db, &a, base_url, &uid, e);
    else rc = association_rejected(db, &a, reason, e);
    if (rc) return rc;
    rc = dir_store_association_decide(db, &a, approve ? "approved" : "rejected", reason && *reason ? reason : NULL,
                                      uid, db_now());
    return rc ? dir_fail(rc, e) : 0;
}

int dir_association_public_list(db_t *db, const char *org, int64_t cursor, int limit, json_t *items, err_t *e)
{
    dir_district_t d = {0};
    int rc;
    if (org && (rc = dir_store_district_public(db, org, &d))) return dir_fail(rc, e);
    scope_t anon = scope_anonymous();
    rc = dir_store_association_list(&anon, db, d.id, "approved", cursor, limit, false, items);
    return rc ? dir_fail(rc, e) : 0;
}

int dir_association_public(db_t *db, int64_t id, json_t **out, err_t *e)
{
    scope_t anon = scope_anonymous();
    dir_association_t a;
    int rc = dir_store_association_get(&anon, db, id, &a);
    if (!rc) rc = dir_store_association_json(db, &a, false, out);
    return rc ? dir_fail(rc, e) : 0;
}

int dir_association_queue(const scope_t *sc, db_t *db, const char *status, int64_t cursor, int limit, json_t *items,
                          err_t *e)
{
    int rc = scope_require(sc, CAP_ASSOCIATION_REVIEW, e);
    if (rc) return rc;
    if (status && strcmp(status, "pending") && strcmp(status, "approved") && strcmp(status, "rejected"))
        return err_set(e, 422, "invalid", "status", "The status is pending, approved or rejected.");
    rc = dir_store_association_list(sc, db, 0, status, cursor, limit, true, items);
    return rc ? dir_fail(rc, e) : 0;
}

int dir_association_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, dir_ref_t *ref, err_t *e)
{
    dir_association_t a;
    int rc = scope_can(sc, CAP_ASSOCIATION_SELF) ? 0 : scope_require(sc, CAP_ASSOCIATION_REVIEW, e);
    if (rc) return rc;
    if (!(rc = dir_store_association_own(sc, db, id, &a))) rc = dir_store_association_json(db, &a, true, out);
    if (rc) return dir_fail(rc, e);
    ref->id = a.id;
    ref->org_id = a.org_id;
    return 0;
}

int dir_association_update(const scope_t *sc, db_t *db, int64_t id, const dir_association_input_t *in,
                           dir_ref_t *ref, err_t *e)
{
    dir_association_t a;
    int rc = scope_can(sc, CAP_ASSOCIATION_SELF) ? 0 : scope_require(sc, CAP_ASSOCIATION_REVIEW, e);
    if (rc || (rc = association_check(in, e))) return rc;
    if (in->email || in->org)
        return err_set(e, 422, "invalid", in->email ? "email" : "org", "The e-mail and district are not changed here.");
    if ((rc = dir_store_association_own(sc, db, id, &a)) || (rc = dir_store_association_update(db, &a, in, db_now())))
        return dir_fail(rc, e);
    ref->id = a.id;
    ref->org_id = a.org_id;
    return 0;
}

int64_t dir_association_self(const scope_t *sc, db_t *db)
{
    int64_t id = 0;
    if (scope_can(sc, CAP_ASSOCIATION_SELF)) dir_store_association_self(sc, db, &id);
    return id;
}

int dir_districts(db_t *db, const char *selected, json_t **out, err_t *e)
{
    *out = json_array();
    int rc = dir_store_district_list(db, *out);
    if (rc) {
        json_decref(*out);
        return dir_fail(rc, e);
    }
    size_t i;
    json_t *o;
    json_array_foreach(*out, i, o)
        json_object_set_new(o, "selected", json_boolean(selected && strcmp(selected, jstr_or_empty(o, "code")) == 0));
    return 0;
}
