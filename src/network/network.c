/* network.c — the network's operations (network.h): the portal's and the
 * workspace's reads, and the rules for organisations: codes, kinds and where
 * each kind may stand in the tree. Never writes outside the caller's subtree;
 * every database failure is mapped here (store_failure), never passed up. */
#include "network.h"
#include "app/org.h"
#include "core/json.h"
#include "store.h"
#include "core/str.h"
#include <ctype.h>
#include <string.h>

/* The answer to a failed store call: 1 (absent) stays 1; lost connection or
 * busy -> 503 (retry), anything else -> 500, as -status with `e` filled. */
static int store_failure(int db_rc, err_t *e)
{
    if (db_rc == 1) return 1;
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
    if (!str_in_list(kinds, kind))
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
    rc = net_store_org_insert(db, in, &parent, db_now(), id);
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
    rc = net_store_org_update(db, out, in, db_now());
    return rc ? store_failure(rc, e) : 0;
}

/* Takes `obj` into *out when rc is 0, else frees it; maps rc. */
static int answer(int rc, json_t *obj, json_t **out, err_t *e)
{
    if (rc) {
        json_decref(obj);
        return store_failure(rc, e);
    }
    *out = obj;
    return 0;
}

int network_portal(db_t *db, const char *lang, json_t **out, err_t *e)
{
    json_t *o = json_pack("{s:[], s:[], s:{}}", "macro_actions", "districts", "counts");
    int rc = net_store_macro_actions(db, lang, json_object_get(o, "macro_actions"));
    if (!rc) rc = net_store_districts(db, json_object_get(o, "districts"));
    if (!rc) rc = net_store_org_counts(db, json_object_get(o, "counts"));
    return answer(rc, o, out, e);
}

/* The children and the projects of `org` into the arrays of `o`. 0 or DB_E*. */
static int org_network(db_t *db, const org_t *org, json_t *o)
{
    int rc = net_store_org_children(db, org, json_object_get(o, "children"));
    return rc ? rc : net_store_projects(db, org, json_object_get(o, "projects"));
}

int network_district(db_t *db, const char *code, json_t **out, err_t *e)
{
    org_t d;
    int rc = org_public(db, code, &d);
    if (rc == 0 && strcmp(d.kind, "ambito") != 0) rc = 1;
    if (rc) return store_failure(rc, e);
    json_t *o = json_pack("{s:[], s:[]}", "children", "projects"), *about = NULL;
    if (!(rc = net_store_org_about(db, &d, &about))) json_object_set_new(o, "district", about);
    return answer(rc ? rc : org_network(db, &d, o), o, out, e);
}

int network_workspace(const scope_t *sc, db_t *db, json_t **out, err_t *e)
{
    int rc = scope_require(sc, CAP_WORKSPACE, e);
    if (rc) return rc;
    org_t own;
    if ((rc = org_visible(sc, db, sc->org_code, &own))) return store_failure(rc, e);
    json_t *o = json_pack("{s:[], s:[]}", "children", "projects");
    return answer(org_network(db, &own, o), o, out, e);
}

int network_org_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_ORG_READ, e);
    if (rc) return rc;
    rc = net_store_org_list(sc, db, cursor, limit, items);
    return rc ? store_failure(rc, e) : 0;
}

int network_org_get(const scope_t *sc, db_t *db, const char *code, json_t **out, err_t *e)
{
    int rc = scope_require(sc, CAP_ORG_READ, e);
    if (rc) return rc;
    rc = net_store_org_json(sc, db, code, out);
    return rc ? store_failure(rc, e) : 0;
}
