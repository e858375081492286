/* demo.c — governance's part of `labimpact demo`: the projects of the demo
 * network (data/demo-network.json: the region's and each district's, with
 * their actions and targets), and for each project with a budget its
 * budget lines (per action: staff, external services, materials) and a
 * year of expenses up to today, drawn from the seed. Through the same store
 * functions as the server. Inside the caller's transaction. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

/* A small deterministic generator (xorshift) of the demo's figures. */
static unsigned long next(unsigned long *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The lines of each action of project `p` (a share of its budget each) and
 * monthly expenses on them from the start for up to twelve months, never
 * after today. */
static int add_budget(db_t *db, const scope_t *sc, const gov_project_t *p, const int64_t *actions, size_t n,
                      unsigned long *seed)
{
    static const char *const cats[] = {"staff", "external_services", "materials"};
    static const int shares[] = {60, 30, 10};
    static const char *const suppliers[] = {"Cooperativa sociale (dati dimostrativi)", "Studio di mediazione (demo)",
                                            "Tipografia locale (demo)", "Associazione di volontariato (demo)"};
    char today[11];
    date_today(today, 0);
    int64_t per_action = p->budget_cents / (int64_t)(n ? n : 1);
    for (size_t a = 0; a < n; a++)
        for (int c = 0; c < 3; c++) {
            gov_line_input_t li = {actions[a], cats[c], NULL, per_action * shares[c] / 100};
            int64_t line_id;
            int rc = gov_store_line_insert(db, p, &li, db_now(), &line_id);
            if (rc) return rc;
            gov_line_t line = {line_id, actions[a], li.planned_cents, *p};
            for (int m = 0; m < 12; m++) {
                char date[11];
                if (date_add(p->start, 0, m, (int)(next(seed) % 20), date) != 0 || strcmp(date, today) > 0 ||
                    (p->end[0] && strcmp(date, p->end) > 0))
                    break;
                int64_t amount = li.planned_cents / 36 * (70 + (int64_t)(next(seed) % 60)) / 100;
                if (amount < 1) continue;
                gov_expense_input_t ex = {line_id, amount, date, c == 0 ? "Personale del progetto (mese)"
                                                                 : c == 1 ? "Servizi esterni"
                                                                          : "Materiali e stampa",
                                          suppliers[next(seed) % 4]};
                int64_t id;
                if ((rc = gov_store_expense_insert(sc, db, &line, &ex, NULL, false, db_now(), &id))) return rc;
            }
        }
    return 0;
}

/* The second semester of 2025 of a district's current project, sent to the
 * region (never approved here: the demo locks no period); Lodi's was
 * returned with a comment. */
static int add_submission(db_t *db, const scope_t *sc, const gov_project_t *p)
{
    char today[11];
    date_today(today, 0);
    if (strcmp(p->edition, "2021-2027") || strcmp(p->start, "2025-12-31") > 0 || strcmp(today, "2026-01-01") < 0) return 0;
    gov_submission_t s;
    memset(&s, 0, sizeof s);
    int64_t now = db_now();
    int rc = gov_store_submission_insert(sc, db, p, "2025-S2", "2025-07-01", "2025-12-31", now, &s.id);
    if (!rc) rc = gov_store_submission_event(sc, db, &s, "submitted", NULL, now);
    if (rc || strcmp(p->org_code, "lodi")) return rc;
    static const char *const comment = "Allegare i giustificativi delle spese di dicembre (dati dimostrativi).";
    rc = gov_store_submission_set(sc, db, &s, "returned", comment, -1, now);
    return rc ? rc : gov_store_submission_event(sc, db, &s, "returned", comment, now);
}

/* Inserts the projects of organisation `code` as the data file lists them. */
static int add_projects(db_t *db, const scope_t *sc, const char *code, json_t *projects, unsigned long *seed, int *count)
{
    org_t org;
    size_t i, k;
    json_t *j, *a;
    if (!json_array_size(projects)) return 0;
    if (org_public(db, code, &org) != 0) return DB_ERR;
    json_array_foreach(projects, i, j) {
        gov_project_t p;
        memset(&p, 0, sizeof p);
        json_t *budget = json_object_get(j, "budget_cents"), *grant = json_object_get(j, "grant_cents");
        p.budget_cents = budget ? json_integer_value(budget) : -1;
        p.grant_cents = grant ? json_integer_value(grant) : -1;
        snprintf(p.code, sizeof p.code, "%s", jstr_or_empty(j, "code"));
        snprintf(p.title, sizeof p.title, "%s", jstr_or_empty(j, "title"));
        snprintf(p.edition, sizeof p.edition, "%s", jstr_or_empty(j, "edition"));
        snprintf(p.fund, sizeof p.fund, "%s", jstr_or_empty(j, "fund"));
        snprintf(p.start, sizeof p.start, "%s", jstr_or_empty(j, "start"));
        snprintf(p.end, sizeof p.end, "%s", jstr_or_empty(j, "end"));
        snprintf(p.description, sizeof p.description, "%s", jstr_or_empty(j, "description"));
        int rc = gov_store_project_insert(db, &org, &p, db_now(), &p.id);
        if (rc) return rc;
        p.org_id = org.id;
        snprintf(p.org_code, sizeof p.org_code, "%s", org.code);
        int64_t actions[16];
        size_t n = 0;
        json_array_foreach(json_object_get(j, "actions"), k, a) {
            json_t *t = json_object_get(a, "targets");
            gov_action_input_t in = {jstr(a, "code"), jstr(a, "title"), jstr(a, "description"),
                                     json_integer_value(json_object_get(a, "macro")),
                                     json_object_get(t, "participants") ? json_integer_value(json_object_get(t, "participants")) : -1,
                                     json_object_get(t, "hours") ? json_integer_value(json_object_get(t, "hours")) : -1,
                                     json_object_get(t, "materials") ? json_integer_value(json_object_get(t, "materials")) : -1};
            int64_t id;
            if ((rc = gov_store_action_insert(db, &p, &in, &id))) return rc;
            if (n < 16) actions[n++] = id;
        }
        if (p.budget_cents > 0 && n && (rc = add_budget(db, sc, &p, actions, n, seed))) return rc;
        if (!strcmp(org.kind, "ambito") && (rc = add_submission(db, sc, &p))) return rc;
        (*count)++;
    }
    return 0;
}

int gov_demo(db_t *db, const char *data_file, unsigned long seed, FILE *log)
{
    json_error_t jerr;
    json_t *root = json_load_file(data_file, 0, &jerr);
    if (!root) {
        fprintf(log, "demo: cannot read %s: %s (line %d)\n", data_file, jerr.text, jerr.line);
        return -1;
    }
    scope_t sc = scope_system("/1/");
    unsigned long s = seed ? seed * 2654435761UL + 1 : 88172645463325252UL;
    int count = 0;
    int rc = add_projects(db, &sc, jstr(json_object_get(root, "region"), "code"),
                          json_object_get(root, "projects_region"), &s, &count);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(root, "districts"), i, d) {
        if (rc) break;
        rc = add_projects(db, &sc, jstr(d, "code"), json_object_get(d, "projects"), &s, &count);
    }
    json_decref(root);
    if (rc) {
        fprintf(log, "demo: cannot load the projects (%d)\n", rc);
        return -1;
    }
    fprintf(log, "demo: %d projects with their actions and budgets\n", count);
    return 0;
}
