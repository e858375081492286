/* access.c — break-the-glass access grants: an admin gives a region account
 * time-limited, read-only access to the persons of one organisation, with a
 * reason that every read through the grant carries into the audit
 * (desk_ctx_init reads the grant). No SQL, no HTTP. */
#include "desk.h"
#include "app/org.h"
#include "core/json.h"
#include "store.h"
#include <stdio.h>
#include <string.h>

int desk_grant_create(const scope_t *sc, db_t *db, const json_t *body, json_t **out, int64_t *org_id, err_t *e)
{
    static const char *const allowed[] = {"user", "org", "reason", "hours", NULL};
    const char *user, *org_code, *reason;
    int64_t hours = 24, uid = 0, id = 0;
    bool has;
    org_t org;
    int rc;
    json_t *b = (json_t *)body;
    if ((rc = jin_only(b, allowed, e)) || (rc = jin_str(b, "user", true, 64, &user, e)) ||
        (rc = jin_str(b, "org", true, ORG_CODE_MAX, &org_code, e)) || (rc = jin_str(b, "reason", true, 250, &reason, e)) ||
        (rc = jin_int(b, "hours", false, 1, 168, &hours, &has, e)))
        return rc;
    if (strlen(reason) < 10) return err_set(e, 422, "invalid", "reason", "Say why access is needed (at least 10 characters).");
    rc = desk_store_region_user(db, user, &uid);
    if (rc == 1) return err_set(e, 422, "invalid", "user", "Only a region account can be granted access.");
    if (rc) return rc;
    rc = org_visible(sc, db, org_code, &org);
    if (rc == 1 || (rc == 0 && !scope_covers(sc, org.path)))
        return err_set(e, 422, "unknown_org", "org", "Unknown organisation.");
    int64_t now = db_now();
    if (rc || (rc = desk_store_grant_insert(sc, db, uid, org.id, reason, now, now + hours * 3600, &id))) return rc;
    *org_id = org.id;
    *out = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)id, "user", user, "org", org.code, "reason",
                     reason, "expires_at", (json_int_t)(now + hours * 3600), "hours", (json_int_t)hours);
    return 0;
}

int desk_grant_list(const scope_t *sc, db_t *db, json_t *items)
{
    return desk_store_grant_list(sc, db, db_now(), items);
}

int desk_grant_revoke(const scope_t *sc, db_t *db, int64_t id)
{
    return desk_store_grant_revoke(sc, db, id, db_now());
}
