/* network.c — rules for organisations: codes, kinds and where each kind may
 * stand in the tree. Never writes outside the caller's subtree. */
#include "network.h"
#include "app/org.h"
#include "core/json.h"
#include "store.h"
#include <ctype.h>
#include <string.h>

/* The error for a failed store call: lost connection or busy -> 503 (retry),
 * anything else -> 500. Returns -status. */
static int store_failure(int db_rc, err_t *e)
{
    if (db_rc == DB_ECONN || db_rc == DB_EBUSY)
        return err_set(e, 503, db_rc == DB_EBUSY ? "busy" : "unavailable", NULL,
                       "The service is temporarily unavailable.");
    return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
}

/* 0 when `code` is 2-40 characters of a-z, 0-9 and '-', starting with a letter. */
static int check_code(const char *code, err_t *e)
{
    size_t n = strlen(code);
    bool ok = n >= 2 && n <= ORG_CODE_MAX && islower((unsigned char)code[0]);
    for (const char *p = code; ok && *p; p++)
        ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-';
    return ok ? 0
              : err_set(e, 422, "invalid", "code",
                        "The code must have 2 to 40 characters: lowercase letters, digits and dashes.");
}

/* Which kind may stand under which: region at the root only; districts and
 * support bodies under the region; comuni and partners under a district. */
static int check_kind(const char *kind, const org_t *parent, err_t *e)
{
    static const char *const kinds[] = {"region", "ambito", "comune", "partner", "support", NULL};
    bool known = false;
    for (const char *const *k = kinds; *k; k++) known = known || strcmp(*k, kind) == 0;
    if (!known)
        return err_set(e, 422, "invalid", "kind", "Unknown kind: region, ambito, comune, partner or support.");
    const char *pk = parent ? parent->kind : "";
    bool placed = (strcmp(kind, "ambito") == 0 || strcmp(kind, "support") == 0) ? strcmp(pk, "region") == 0
                  : (strcmp(kind, "comune") == 0 || strcmp(kind, "partner") == 0) ? strcmp(pk, "ambito") == 0
                                                                                   : false;
    return placed ? 0 : err_set(e, 422, "invalid_parent", "parent", "This kind of organisation cannot stand under that parent.");
}

/* 0 when the optional ISTAT code is six digits. */
static int check_istat(const char *istat, err_t *e)
{
    if (!istat || !*istat) return 0;
    bool ok = strlen(istat) == 6;
    for (const char *p = istat; ok && *p; p++) ok = isdigit((unsigned char)*p);
    return ok ? 0 : err_set(e, 422, "invalid", "istat_code", "The ISTAT code has six digits.");
}

int network_org_create(const scope_t *sc, db_t *db, const org_input_t *in, int64_t *id, err_t *e)
{
    int rc = scope_require(sc, CAP_ORG_MANAGE, e);
    if (rc) return rc;
    if ((rc = check_code(in->code, e))) return rc;
    if (!in->name || !*in->name) return err_set(e, 422, "required", "name", "This field is required.");
    if (!in->parent || !*in->parent) return err_set(e, 422, "required", "parent", "This field is required.");
    org_t parent;
    rc = org_visible(sc, db, in->parent, &parent);
    if (rc < 0) return store_failure(rc, e);
    if (rc == 1 || !scope_covers(sc, parent.path))
        return err_set(e, 422, "unknown_org", "parent", "Unknown organisation.");
    if ((rc = check_kind(in->kind, &parent, e)) || (rc = check_istat(in->istat_code, e))) return rc;
    org_t existing;
    if (org_public(db, in->code, &existing) == 0)
        return err_set(e, 409, "code_taken", "code", "This code is already used.");
    rc = store_org_insert(db, in, &parent, db_now(), id);
    if (rc == DB_ECONSTRAINT) return err_set(e, 409, "code_taken", "code", "This code is already used.");
    return rc ? store_failure(rc, e) : 0;
}

int network_org_update(const scope_t *sc, db_t *db, const char *code, const org_input_t *in, org_t *out,
                       err_t *e)
{
    int rc = scope_require(sc, CAP_ORG_MANAGE, e);
    if (rc) return rc;
    rc = org_visible(sc, db, code, out);
    if (rc < 0) return store_failure(rc, e);
    /* Ancestors are visible but not the caller's to change. */
    if (rc == 1 || !scope_covers(sc, out->path)) return err_set(e, 404, "not_found", NULL, "Not found.");
    if (in->name && !*in->name) return err_set(e, 422, "required", "name", "This field is required.");
    if ((rc = check_istat(in->istat_code, e))) return rc;
    rc = store_org_update(db, out->id, in, db_now());
    return rc ? store_failure(rc, e) : 0;
}
