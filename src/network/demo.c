/* demo.c — loading the demo network and accounts. Uses the same store
 * functions as the server, so demo data obeys the same rules. Never writes a
 * password anywhere but the credentials file (mode 0600) and standard output. */
#include "demo.h"
#include "app/org.h"
#include "core/json.h"
#include "app/auth.h"
#include "app/store.h"
#include "core/crypto.h"
#include "store.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Inserts one organisation under `parent` (NULL for the root). */
static int add_org(db_t *db, const org_t *parent, const char *code, const char *name, const char *kind,
                   const char *category, const char *istat, const char *description, int lead, org_t *out)
{
    org_input_t in = {code, name, kind, parent ? parent->code : NULL, category, istat, description, lead};
    int64_t id;
    int rc = net_store_org_insert(db, &in, parent, db_now(), &id);
    if (rc) return rc;
    return org_public(db, code, out) == 0 ? 0 : DB_ERR;
}

/* A comune's code from its name: "Brezzo di Bedero" -> "luino-brezzo-di-bedero". */
static void comune_code(const char *district, const char *name, char *out, size_t len)
{
    size_t o = (size_t)snprintf(out, len, "%s-", district);
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 1 < len && o < 40; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) out[o++] = (char)*p;
        else if (*p >= 'A' && *p <= 'Z') out[o++] = (char)(*p - 'A' + 'a');
        else if (o > 0 && out[o - 1] != '-' && *p < 0x80) out[o++] = '-';
    }
    while (o > 0 && out[o - 1] == '-') o--;
    out[o] = '\0';
}

/* Inserts district `d` under the region: its partners and comuni (its
 * projects are governance's: src/governance/demo.c). */
static int load_district(db_t *db, const org_t *region, json_t *d)
{
    org_t dist, child;
    int rc = add_org(db, region, jstr(d, "code"), jstr(d, "name"), "ambito", NULL, NULL, jstr(d, "description"), 0,
                     &dist);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(d, "partners"), i, p) {
        if (rc) break;
        rc = add_org(db, &dist, jstr(p, "code"), jstr(p, "name"), "partner", jstr(p, "category"), NULL, NULL,
                     json_is_true(json_object_get(p, "lead")), &child);
    }
    json_array_foreach(json_object_get(d, "comuni"), i, p) {
        if (rc) break;
        char code[64];
        comune_code(jstr(d, "code"), json_string_value(p), code, sizeof code);
        rc = add_org(db, &dist, code, json_string_value(p), "comune", NULL, NULL, NULL, 0, &child);
    }
    return rc;
}

/* Inserts the whole seed network of `root`: the region, the macro-actions in
 * each language given, the support bodies, the districts. */
static int load_network(db_t *db, json_t *root, FILE *log)
{
    json_t *r = json_object_get(root, "region");
    org_t region, child;
    int rc = add_org(db, NULL, jstr(r, "code"), jstr(r, "name"), "region", NULL, jstr(r, "istat_code"), NULL, 0, &region);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(root, "macro_actions"), i, x) {
        static const char *const langs[] = {"it", "en", "fr", "ar"};
        for (int l = 0; l < 4 && !rc; l++)
            if (jstr(x, langs[l]))
                rc = net_store_macro_action_put(db, (int)json_integer_value(json_object_get(x, "n")), langs[l], jstr(x, langs[l]));
    }
    json_array_foreach(json_object_get(root, "support"), i, x) {
        if (rc) break;
        rc = add_org(db, &region, jstr(x, "code"), jstr(x, "name"), "support", jstr(x, "category"), NULL,
                     jstr(x, "description"), 0, &child);
    }
    json_array_foreach(json_object_get(root, "districts"), i, x) {
        if (rc) break;
        rc = load_district(db, &region, x);
    }
    if (!rc) fprintf(log, "demo: network loaded (%zu districts)\n", json_array_size(json_object_get(root, "districts")));
    return rc;
}

/* Creates the demo accounts that do not exist yet; writes "username role org
 * password" lines to `creds` (a memory buffer, saved only after the commit). */
static int load_accounts(db_t *db, json_t *accounts, FILE *creds)
{
    size_t i;
    json_t *a;
    json_array_foreach(accounts, i, a) {
        int64_t id;
        char hash[CRYPTO_PWHASH_LEN];
        bool active;
        if (store_user_for_login(db, jstr(a, "username"), &id, hash, sizeof hash, &active) == 0) continue;
        org_t org;
        if (org_public(db, jstr(a, "org"), &org) != 0) return DB_ERR;
        char password[21];
        crypto_random_password(password, 20);
        if (crypto_password_hash(password, hash) != 0) return DB_ERR;
        int rc = store_user_create(db, jstr(a, "username"), hash, jstr(a, "display_name"), NULL,
                                   role_parse(jstr(a, "role")), org.id, db_now(), &id);
        if (rc) return rc;
        fprintf(creds, "%-18s %-12s %-10s %s\n", jstr(a, "username"), jstr(a, "role"), jstr(a, "org"), password);
    }
    return 0;
}

int network_demo(db_t *db, module_demo_t *d)
{
    json_error_t jerr;
    json_t *root = json_load_file(d->data_file, 0, &jerr);
    if (!root) {
        fprintf(d->log, "demo: cannot read %s: %s (line %d)\n", d->data_file, jerr.text, jerr.line);
        return -1;
    }
    org_t existing;
    int rc = 0;
    d->fresh = org_public(db, jstr(json_object_get(root, "region"), "code"), &existing) != 0;
    if (d->fresh)
        rc = load_network(db, root, d->log);
    else
        fprintf(d->log, "demo: network already present, left as it is (no synthetic data added)\n");
    if (!rc) rc = load_accounts(db, json_object_get(root, "accounts"), d->credentials);
    json_decref(root);
    return rc ? -1 : 0;
}
