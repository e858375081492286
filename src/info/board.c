/* board.c — the digital notice board of each district and the
 * newsletter's double opt-in (I6). */
#include "internal.h"
#include "app/outbox.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/i18n.h"
#include "app/settings.h"
#include <stdlib.h>
#include <string.h>

int info_notice_create(const scope_t *sc, db_t *db, const info_notice_input_t *in, info_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_NOTICE_MANAGE, e);
    if (rc) return rc;
    if (!in->title || !*in->title) return err_set(e, 422, "required", "title", "The title is required.");
    if (!in->body) return err_set(e, 422, "required", "body", "The text is required.");
    if (!in->valid_from || !date_valid(in->valid_from))
        return err_set(e, 422, "invalid", "valid_from", "The first day is YYYY-MM-DD.");
    if (!in->valid_until || !date_valid(in->valid_until))
        return err_set(e, 422, "invalid", "valid_until", "The last day is YYYY-MM-DD.");
    if (strcmp(in->valid_until, in->valid_from) < 0)
        return err_set(e, 422, "invalid", "valid_until", "The last day is not before the first.");
    org_t org;
    int64_t id;
    if ((rc = info_new_record_org(sc, db, in->org, &org, e)) ||
        (rc = info_store_notice_insert(db, &org, in, sc->user_id, db_now(), &id)))
        return rc;
    *ref = (info_ref_t){id, org.id};
    return 0;
}

int info_notice_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_NOTICE_MANAGE, e);
    return rc ? rc : info_store_notice_list(sc, db, cursor, limit, items);
}

int info_public_notices(db_t *db, const char *code, org_t *org, json_t *items, err_t *e)
{
    if (!code || !*code) return err_set(e, 422, "required", "org", "Name the district (?org=).");
    int rc = org_public(db, code, org);
    if (rc) return rc;
    char today[11];
    date_today(today, 0);
    return info_store_notices_valid(db, org, today, items);
}

/* ---- newsletter ------------------------------------------------------------------- */

/* The consent as the visitor read it on the form, in their language. */
static const char *consent_text(const char *lang)
{
    const settings_t *s = settings();
    const char *msg = "I want to receive the Lab'Impact newsletter by e-mail. I can unsubscribe at any time with "
                      "the link in every message.";
    return s && s->i18n ? i18n_get(s->i18n, lang, msg) : msg;
}

bool info_email_ok(const char *email)
{
    const char *at = email ? strchr(email, '@') : NULL;
    return at && at > email && !strchr(at + 1, '@') && strchr(at + 1, '.') && !strpbrk(email, " \t\r\n<>,;") &&
           strlen(email) <= 254;
}

int info_newsletter_subscribe(db_t *db, const char *email, const char *name, const char *lang, info_ref_t *ref,
                              err_t *e)
{
    if (!info_email_ok(email)) return err_set(e, 422, "invalid", "email", "Give a valid e-mail address.");
    if (name && strlen(name) > 400) return err_set(e, 422, "too_long", "name", "The name is too long.");
    const char *l = lang && (info_lang_valid(lang) || !strcmp(lang, "it")) ? lang : "it";
    char confirm[48], unsub[48];
    crypto_token(confirm);
    crypto_token(unsub);
    int64_t id = 0;
    bool fresh = false;
    int rc = info_store_subscriber_upsert(db, email, name, l, consent_text(l), confirm, unsub, db_now(), &id, &fresh);
    if (rc) return rc;
    *ref = (info_ref_t){id, 0};
    if (!fresh) return 0; /* already confirmed: nothing to send, and the answer is the same (I6) */
    const settings_t *s = settings();
    const char *subject = s && s->i18n ? i18n_get(s->i18n, l, "Confirm your newsletter subscription") : "";
    const char *intro = s && s->i18n ? i18n_get(s->i18n, l, "To confirm, open this link:") : "";
    const char *leave = s && s->i18n ? i18n_get(s->i18n, l, "To unsubscribe at any time:") : "";
    size_t n = 2048;
    char *body = malloc(n);
    if (!body) return DB_ERR;
    snprintf(body, n, "%s\n\n%s\n%s/newsletter/confirm/%s\n\n%s\n%s/newsletter/unsubscribe/%s\n", consent_text(l),
             intro, settings_public_url(), confirm, leave, settings_public_url(), unsub);
    char refbuf[32];
    snprintf(refbuf, sizeof refbuf, "subscriber:%lld", (long long)id);
    rc = outbox_enqueue(db, email, subject, body, "info.newsletter.confirm", refbuf, NULL);
    free(body);
    return rc;
}

int info_newsletter_confirm(db_t *db, const char *token, info_ref_t *ref, err_t *e)
{
    (void)e;
    int64_t id = 0;
    int rc = token && *token ? info_store_subscriber_confirm(db, token, db_now(), &id) : 1;
    *ref = (info_ref_t){id, 0};
    return rc;
}

int info_newsletter_unsubscribe(db_t *db, const char *token, info_ref_t *ref, err_t *e)
{
    (void)e;
    int64_t id = 0;
    int rc = token && *token ? info_store_subscriber_unsubscribe(db, token, db_now(), &id) : 1;
    *ref = (info_ref_t){id, 0};
    return rc;
}
