/* projects.c — the operations on projects, their actions and their network
 * (governance.h, G1-G4): validation, the scope's checks, writes. No SQL here
 * (store_projects.c), no HTTP here (web.c, pages.c). */
#include "internal.h"
#include "core/date.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int gov_project_load(const scope_t *sc, db_t *db, cap_t cap, int64_t id, gov_project_t *p, gov_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, cap, e);
    if (rc || (rc = gov_store_project_get(sc, db, id, p))) return rc;
    ref->id = p->id;
    ref->org_id = p->org_id;
    return 0;
}

/* True when `s` is "YYYY-YYYY", the second year not before the first. */
static bool edition_valid(const char *s)
{
    if (!s || strlen(s) != 9 || s[4] != '-') return false;
    for (int i = 0; i < 9; i++)
        if (i != 4 && !isdigit((unsigned char)s[i])) return false;
    return strncmp(s, s + 5, 4) <= 0;
}

/* True for a code of letters, digits, '-', '_' and '.', 1 to 60 long. */
static bool code_valid(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.') return false;
    return true;
}

/* G2 on the project's resulting fields; 0 or -422 naming the first wrong. */
static int project_check(const gov_project_t *p, err_t *e)
{
    if (!p->title[0]) return err_set(e, 422, "required", "title", "This field is required.");
    if (!p->fund[0]) return err_set(e, 422, "required", "fund", "This field is required.");
    if (!edition_valid(p->edition))
        return err_set(e, 422, "invalid", "edition", "The edition is a span of years such as 2021-2027.");
    if (!date_valid(p->start)) return err_set(e, 422, "invalid", "start", "Give a date as YYYY-MM-DD.");
    if (!date_valid(p->end)) return err_set(e, 422, "invalid", "end", "Give a date as YYYY-MM-DD.");
    if (strcmp(p->end, p->start) < 0) return err_set(e, 422, "invalid", "end", "The end comes before the start.");
    char limit[11];
    if (date_add(p->start, 10, 0, 0, limit) != 0 || strcmp(p->end, limit) > 0)
        return err_set(e, 422, "invalid", "end", "A project lasts at most ten years.");
    if (!code_valid(p->code, 60))
        return err_set(e, 422, "invalid", "code", "Use letters, digits, '-', '_' or '.' (at most 60).");
    if (p->budget_cents < 0) return err_set(e, 422, "required", "budget_cents", "This field is required.");
    if (p->grant_cents > p->budget_cents)
        return err_set(e, 422, "invalid", "grant_cents", "The grant cannot exceed the budget.");
    return 0;
}

/* Copies the fields `in` gives over `p` (the edition from the fund when
 * neither gives one). */
static void project_apply(gov_project_t *p, const gov_project_input_t *in)
{
    if (in->title) snprintf(p->title, sizeof p->title, "%s", in->title);
    if (in->fund) snprintf(p->fund, sizeof p->fund, "%s", in->fund);
    if (in->edition) snprintf(p->edition, sizeof p->edition, "%s", in->edition);
    if (in->code) snprintf(p->code, sizeof p->code, "%s", in->code);
    if (in->start) snprintf(p->start, sizeof p->start, "%s", in->start);
    if (in->end) snprintf(p->end, sizeof p->end, "%s", in->end);
    if (in->description) snprintf(p->description, sizeof p->description, "%s", in->description);
    if (in->budget_cents >= 0) p->budget_cents = in->budget_cents;
    if (in->grant_cents >= 0) p->grant_cents = in->grant_cents;
    size_t n = strlen(p->fund);
    if (!p->edition[0] && n >= 9 && edition_valid(p->fund + n - 9)) snprintf(p->edition, sizeof p->edition, "%s", p->fund + n - 9);
    else if (!p->edition[0] && date_valid(p->start) && date_valid(p->end)) /* else the years of its dates */
        snprintf(p->edition, sizeof p->edition, "%.4s-%.4s", p->start, p->end);
}

/* The district a new project belongs to: `code` (else the scope's own),
 * a district ('ambito') inside the scope's subtree; 422 on "org". */
static int project_org(const scope_t *sc, db_t *db, const char *code, org_t *org, err_t *e)
{
    int rc = org_visible(sc, db, code ? code : sc->org_code, org);
    if (rc < 0) return rc;
    if (rc || !scope_covers(sc, org->path) || strcmp(org->kind, "ambito"))
        return err_set(e, 422, "unknown_org", "org", "Choose a district of your area.");
    return 0;
}

/* A free code for a new project of `org`: "<org>-<start year>[-n]". */
static int project_code(db_t *db, const org_t *org, const char *start, char *out, size_t len)
{
    for (int n = 1; n < 100; n++) {
        if (n == 1) snprintf(out, len, "%.40s-%.4s", org->code, start);
        else snprintf(out, len, "%.40s-%.4s-%d", org->code, start, n);
        int rc = gov_store_code_free(db, out);
        if (rc <= 0) return rc;
    }
    return DB_ERR;
}

int gov_project_create(const scope_t *sc, db_t *db, const gov_project_input_t *in, gov_ref_t *ref, err_t *e)
{
    gov_project_t p;
    org_t org;
    memset(&p, 0, sizeof p);
    p.budget_cents = p.grant_cents = -1;
    int rc = scope_require(sc, CAP_GOV_MANAGE, e);
    if (rc || (rc = project_org(sc, db, in->org, &org, e))) return rc;
    project_apply(&p, in);
    if (in->grant_cents < 0) return err_set(e, 422, "required", "grant_cents", "This field is required.");
    if (!in->code && date_valid(p.start) && (rc = project_code(db, &org, p.start, p.code, sizeof p.code))) return rc;
    if ((rc = project_check(&p, e))) return rc;
    if (in->code && (rc = gov_store_code_free(db, p.code)))
        return rc == 1 ? err_set(e, 409, "conflict", "code", "Another project has this code.") : rc;
    int64_t id = 0;
    if ((rc = gov_store_project_insert(db, &org, &p, db_now(), &id))) return rc;
    ref->id = id;
    ref->org_id = org.id;
    return 0;
}

int gov_project_update(const scope_t *sc, db_t *db, int64_t id, const gov_project_input_t *in, gov_ref_t *ref,
                       err_t *e)
{
    gov_project_t p;
    int rc = gov_project_load(sc, db, CAP_GOV_MANAGE, id, &p, ref, e);
    if (rc) return rc;
    if (in->org) return err_set(e, 422, "invalid", "org", "A project's district does not change.");
    char old_code[64], old_start[11], old_end[11];
    snprintf(old_code, sizeof old_code, "%s", p.code);
    snprintf(old_start, sizeof old_start, "%s", p.start);
    snprintf(old_end, sizeof old_end, "%s", p.end);
    project_apply(&p, in);
    if ((rc = project_check(&p, e))) return rc;
    if (strcmp(old_code, p.code) && (rc = gov_store_code_free(db, p.code)))
        return rc == 1 ? err_set(e, 409, "conflict", "code", "Another project has this code.") : rc;
    /* G7: the dates never move across a semester the region approved (the days gained or lost would change it). */
    int64_t planned = 0, locked = 0;
    bool ms = strcmp(old_start, p.start) != 0, me = strcmp(old_end, p.end) != 0;
    const char *s_lo = strcmp(old_start, p.start) < 0 ? old_start : p.start, *s_hi = s_lo == old_start ? p.start : old_start;
    const char *e_lo = strcmp(old_end, p.end) < 0 ? old_end : p.end, *e_hi = e_lo == old_end ? p.end : old_end;
    if ((ms || me) && (rc = gov_store_approved_meeting(db, &p, ms ? s_lo : NULL, s_hi, me ? e_lo : NULL, e_hi, &locked)))
        return rc;
    if (locked)
        return err_set(e, 409, "period_locked", ms ? "start" : "end",
                       "The new dates would change a semester the region has approved.");
    if ((rc = gov_store_planned_total(db, &p, &planned))) return rc;
    if (planned > p.budget_cents)
        return err_set(e, 422, "invalid", "budget_cents", "The budget cannot be less than its lines already plan.");
    return gov_store_project_update(db, &p, db_now());
}

int gov_project_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_GOV_READ, e);
    return rc ? rc : gov_store_project_list(sc, db, cursor, limit, items);
}

int gov_project_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, gov_ref_t *ref, err_t *e)
{
    gov_project_t p;
    int rc = gov_project_load(sc, db, CAP_GOV_READ, id, &p, ref, e);
    return rc ? rc : gov_store_project_json(db, &p, out);
}

/* ---- actions ------------------------------------------------------------------------- */

int gov_action_add(const scope_t *sc, db_t *db, int64_t project_id, const gov_action_input_t *in, gov_ref_t *ref,
                   err_t *e)
{
    gov_project_t p;
    int rc = gov_project_load(sc, db, CAP_GOV_MANAGE, project_id, &p, ref, e);
    if (rc) return rc;
    if (!code_valid(in->code, 16))
        return err_set(e, 422, "invalid", "code", "Use letters, digits, '-', '_' or '.' (at most 16).");
    if (!in->title || !*in->title) return err_set(e, 422, "required", "title", "This field is required.");
    if (in->macro_action < 1 || in->macro_action > 4)
        return err_set(e, 422, "invalid", "macro_action", "The macro-action is 1, 2, 3 or 4.");
    if ((rc = gov_store_action_code_free(db, &p, in->code)))
        return rc == 1 ? err_set(e, 409, "conflict", "code", "The project already has an action with this code.") : rc;
    return gov_store_action_insert(db, &p, in, &ref->id);
}

/* ---- the network ---------------------------------------------------------------------- */

/* The managed project `project_id` and the organisation `code` below it (422 on "org"). */
static int partner_load(const scope_t *sc, db_t *db, int64_t project_id, const char *code, gov_project_t *p,
                        org_t *org, gov_ref_t *ref, err_t *e)
{
    int rc = gov_project_load(sc, db, CAP_GOV_MANAGE, project_id, p, ref, e);
    if (rc) return rc;
    if (!code || !*code) return err_set(e, 422, "required", "org", "This field is required.");
    rc = gov_store_org_below(db, p, code, org);
    if (rc == 1) return err_set(e, 422, "unknown_org", "org", "Choose an organisation of the project's district.");
    return rc;
}

int gov_partner_add(const scope_t *sc, db_t *db, int64_t project_id, const char *code, gov_ref_t *ref, err_t *e)
{
    gov_project_t p;
    org_t org;
    int rc = partner_load(sc, db, project_id, code, &p, &org, ref, e);
    if (rc || (rc = gov_store_partner_insert(db, &p, &org, db_now())) != 1) return rc;
    return err_set(e, 409, "conflict", "org", "This organisation is already a partner.");
}

int gov_partner_remove(const scope_t *sc, db_t *db, int64_t project_id, const char *code, gov_ref_t *ref, err_t *e)
{
    gov_project_t p;
    org_t org;
    int rc = partner_load(sc, db, project_id, code, &p, &org, ref, e);
    if (rc == -422) return 1; /* no such organisation: no such partner */
    return rc ? rc : gov_store_partner_delete(db, &p, &org);
}

int gov_partner_candidates(const scope_t *sc, db_t *db, int64_t project_id, json_t *items, err_t *e)
{
    gov_project_t p;
    gov_ref_t ref;
    int rc = gov_project_load(sc, db, CAP_GOV_MANAGE, project_id, &p, &ref, e);
    return rc ? rc : gov_store_partner_candidates(db, &p, items);
}
