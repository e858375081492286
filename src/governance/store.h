/* store.h — the governance module's SQL, prefixed gov_store_, and nothing
 * else; only the operations (attribution.c, projects.c, budget.c,
 * submissions.c) and the demo loader call it.
 *
 * No function here takes a bare record id, except the attribution lookups
 * the other modules call with an activity's own organisation and project
 * (gov_store_project_above / _on / _period_locked / _org_path). Each other
 * one takes the caller's scope first and sees only its subtree (G1), or a
 * handle (gov_project_t, gov_line_t, gov_expense_t, gov_submission_t) that
 * only a scoped load here fills, or an org_t an organisation lookup filled.
 * Returns 0, 1 for "absent or out of scope" where said, or DB_E*. */
#ifndef LI_GOVERNANCE_STORE_H
#define LI_GOVERNANCE_STORE_H
#include "app/org.h"
#include "db/row_json.h"
#include "governance.h"

/* ---- attribution (store_attribution.c) ---- */

/* 0 when project `id`'s organisation is `org_path` or an ancestor of it, 1
 * when not (or no such project), or a negative DB code. */
int gov_store_project_above(db_t *db, const char *org_path, int64_t id);
/* The latest-started project of a district at or above `org_path` whose
 * dates hold `date`, into *id (0 when none): 0 or a negative DB code. */
int gov_store_project_on(db_t *db, const char *org_path, const char *date, int64_t *id);
/* 1 when an approved submission of project `id` covers `date` (locked), 2
 * when it was reopened (*submission_id names it), 0 when none, or a
 * negative DB code. */
int gov_store_period_locked(db_t *db, int64_t id, const char *date, int64_t *submission_id);
/* Records a late correction of submission `submission_id` (G8). */
int gov_store_late_insert(db_t *db, int64_t submission_id, const char *date, const char *field, int64_t now);
/* The path of organisation `org_id` (an activity's own): 0 or 1. */
int gov_store_org_path(db_t *db, int64_t org_id, char *out, size_t len);

/* ---- projects (store_projects.c) ---- */

/* A project as loaded through the scope. Money -1 when not set. */
typedef struct gov_project {
    int64_t id, org_id, budget_cents, grant_cents;
    char org_code[64], org_path[256], code[64], title[256], edition[16], fund[128], start[11], end[11];
    char description[1100];
} gov_project_t;

/* A project of the scope's subtree: 0 or 1. */
int gov_store_project_get(const scope_t *sc, db_t *db, int64_t id, gov_project_t *out);
/* A new project of `org` with code `code`: its id. */
int gov_store_project_insert(db_t *db, const org_t *org, const gov_project_t *p, int64_t now, int64_t *id);
/* Writes the fields of loaded project `p` back (after a change). */
int gov_store_project_update(db_t *db, const gov_project_t *p, int64_t now);
/* How many approved (or reopened) semesters of the project meet [a1, a2] or [b1, b2] (NULL: none), into *n. */
int gov_store_approved_meeting(db_t *db, const gov_project_t *p, const char *a1, const char *a2, const char *b1,
                               const char *b2, int64_t *n);
/* 0 when code `code` is free (1 when taken). */
int gov_store_code_free(db_t *db, const char *code);
/* The project's JSON with its actions and its network. */
int gov_store_project_json(db_t *db, const gov_project_t *p, json_t **out);
/* Projects of the scope's subtree by id after cursor (with planned and spent totals). */
int gov_store_project_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
/* 0 when the project has no action `code` (1 when it has). */
int gov_store_action_code_free(db_t *db, const gov_project_t *p, const char *code);
int gov_store_action_insert(db_t *db, const gov_project_t *p, const gov_action_input_t *in, int64_t *id);
/* 0 when `action_id` is an action of the project, 1 when not. */
int gov_store_action_of(db_t *db, const gov_project_t *p, int64_t action_id);
/* An organisation strictly below the project's: 0 or 1. */
int gov_store_org_below(db_t *db, const gov_project_t *p, const char *code, org_t *out);
/* 0 inserted, 1 already a partner. */
int gov_store_partner_insert(db_t *db, const gov_project_t *p, const org_t *org, int64_t now);
/* 0 removed, 1 not a partner. */
int gov_store_partner_delete(db_t *db, const gov_project_t *p, const org_t *org);
/* Organisations below the project's that are not partners: {code, name, kind}. */
int gov_store_partner_candidates(db_t *db, const gov_project_t *p, json_t *items);

/* The columns a joined load reads a project with (its table `p`, its
 * organisation `o`), and the field map entries they fill, in a map of
 * struct T whose gov_project_t is reached by member prefix `m` (`project.`
 * inside a line, nothing for a gov_project_t itself). */
#define GOV_PROJECT_COLS                                                                                          \
    "p.id, p.org_id, COALESCE(p.budget_cents, -1), COALESCE(p.grant_cents, -1), o.code, o.path, p.code, p.title, " \
    "p.edition, p.fund, COALESCE(p.start_date, ''), COALESCE(p.end_date, ''), COALESCE(p.description, '') "
#define GOV_PROJECT_FIELDS(T, m)                                                                                  \
    DB_INT(T, m id), DB_INT(T, m org_id), DB_INT(T, m budget_cents), DB_INT(T, m grant_cents), DB_TEXT(T, m org_code), \
        DB_TEXT(T, m org_path), DB_TEXT(T, m code), DB_TEXT(T, m title), DB_TEXT(T, m edition), DB_TEXT(T, m fund),    \
        DB_TEXT(T, m start), DB_TEXT(T, m end), DB_TEXT(T, m description)
/* A one-row lookup's answer as 0 / 1 / DB_E* (resets the statement). In
 * store_projects.c. */
int gov_store_found(db_stmt_t *st, int rc);
/* Sets o[key] to the array of the rows of `sql` (types as db_rows_json), its
 * one parameter `id`: 0 or DB_E*. In store_projects.c. */
int gov_store_rows_at(db_t *db, json_t *o, const char *key, const char *types, const char *sql, int64_t id);

/* ---- budget (store_budget.c) ---- */

/* A budget line, with its project, as loaded through the scope. */
typedef struct gov_line {
    int64_t id, action_id, planned_cents;
    gov_project_t project;
} gov_line_t;

/* An expense, with its project, as loaded through the scope. */
typedef struct gov_expense {
    int64_t id, line_id, amount_cents;
    char date[11], storage[64];
    gov_project_t project;
} gov_expense_t;

/* A document kept in the documents folder, as the expense row keeps it. */
typedef struct gov_doc {
    const char *title, *filename, *type, *sha256, *storage;
    int64_t size;
} gov_doc_t;

int gov_store_line_insert(db_t *db, const gov_project_t *p, const gov_line_input_t *in, int64_t now, int64_t *id);
/* The sum of the project's planned cents. */
int gov_store_planned_total(db_t *db, const gov_project_t *p, int64_t *sum);
/* A line of a project of the scope's subtree: 0 or 1. */
int gov_store_line_get(const scope_t *sc, db_t *db, int64_t id, gov_line_t *out);
/* An expense on line `l` (doc NULL: none yet), late when `late`. */
int gov_store_expense_insert(const scope_t *sc, db_t *db, const gov_line_t *l, const gov_expense_input_t *in,
                             const gov_doc_t *doc, bool late, int64_t now, int64_t *id);
/* An expense of a project of the scope's subtree: 0 or 1. */
int gov_store_expense_get(const scope_t *sc, db_t *db, int64_t id, gov_expense_t *out);
int gov_store_expense_set_doc(db_t *db, const gov_expense_t *x, const gov_doc_t *doc, bool late, int64_t now);
/* {title, filename, content_type, storage} of the expense's document: 0 or 1 when none. */
int gov_store_expense_doc(db_t *db, const gov_expense_t *x, json_t **out);
/* Lines (each with planned and spent), per action, in total (see gov_budget). */
int gov_store_budget(db_t *db, const gov_project_t *p, json_t *out);
/* Expenses of the project dated in [from, to] (NULL: open), by date then id. */
int gov_store_expenses(db_t *db, const gov_project_t *p, const char *from, const char *to, json_t *items);

/* ---- submissions (store_submissions.c) ---- */

/* A submission, with its project, as loaded through the scope. */
typedef struct gov_submission {
    int64_t id, reopened_at;
    char period[8], status[12], from[11], to[11];
    gov_project_t project;
} gov_submission_t;

/* The project's submission of `period`: 0 (filled) or 1 when none. */
int gov_store_submission_find(db_t *db, const gov_project_t *p, const char *period, gov_submission_t *out);
/* A submission of a project of the scope's subtree: 0 or 1. */
int gov_store_submission_get(const scope_t *sc, db_t *db, int64_t id, gov_submission_t *out);
int gov_store_submission_insert(const scope_t *sc, db_t *db, const gov_project_t *p, const char *period,
                                const char *from, const char *to, int64_t now, int64_t *id);
/* Sets status (and the comment; reopened: `reopen` 1 opens, 0 clears, -1 keeps). */
int gov_store_submission_set(const scope_t *sc, db_t *db, const gov_submission_t *s, const char *status,
                             const char *comment, int reopen, int64_t now);
int gov_store_submission_event(const scope_t *sc, db_t *db, const gov_submission_t *s, const char *action,
                               const char *comment, int64_t now);
/* Submissions of the scope's subtree (project > 0: of it; status: of it), newest first. */
int gov_store_submission_list(const scope_t *sc, db_t *db, int64_t project_id, const char *status, json_t *items);
/* The submission's JSON with "history" and "late_corrections". */
int gov_store_submission_json(db_t *db, const gov_submission_t *s, json_t **out);

#endif
